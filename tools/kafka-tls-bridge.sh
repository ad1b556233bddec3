#!/usr/bin/env bash
# Runs a command in a private network namespace where every mock-broker address of BOOTSTRAPS
# (127.0.0.1:PORT,...) is a TLS listener (stunnel) that forwards, over a Unix socket bridged by
# socat, to the plaintext librdkafka mock broker in the root namespace. Clients inside therefore
# speak TLS to the very addresses the mock advertises in Metadata (kafka-testing.md §4).
#
#   tools/kafka-tls-bridge.sh BOOTSTRAPS CERTDIR -- command args...
#
# CERTDIR holds cert.pem and key.pem (server certificate, SAN IP:127.0.0.1). With MTLS=1 the
# listeners also require a client certificate signed by (or equal to) CERTDIR/cert.pem.
# Needs root (unshare -n), stunnel4, socat and ip. Exit status is the command's.
set -euo pipefail
if [[ $# -lt 4 || "$3" != "--" ]]; then
  echo "usage: $0 BOOTSTRAPS CERTDIR -- command..." >&2
  exit 2
fi
BOOT=$1
CERTDIR=$(cd "$2" && pwd)
shift 3
for tool in stunnel4 socat ip unshare; do
  command -v "$tool" >/dev/null || { echo "kafka-tls-bridge: missing $tool" >&2; exit 127; }
done
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

CONF="$WORK/stunnel.conf"
{
  echo "foreground = yes"
  echo "pid ="
  echo "debug = 4"
  echo "output = $WORK/stunnel.log"
} >"$CONF"
i=0
IFS=',' read -ra ADDRS <<<"$BOOT"
for addr in "${ADDRS[@]}"; do
  i=$((i + 1))
  sock="$WORK/b$i.sock"
  socat "UNIX-LISTEN:$sock,fork" "TCP:$addr" &
  PIDS+=($!)
  {
    echo "[b$i]"
    echo "accept = $addr"
    echo "connect = $sock"
    echo "cert = $CERTDIR/cert.pem"
    echo "key = $CERTDIR/key.pem"
    if [[ "${MTLS:-0}" == "1" ]]; then
      echo "CAfile = $CERTDIR/cert.pem"
      echo "verifyPeer = yes"
    fi
  } >>"$CONF"
done
for s in $(seq 1 $i); do
  for _ in $(seq 1 50); do [[ -S "$WORK/b$s.sock" ]] && break; sleep 0.05; done
done

set +e
unshare -n bash -c '
  set -e
  ip link set lo up
  stunnel4 "$1" &
  SPID=$!
  CONF=$1; shift
  # Wait until every listener is up.
  for a in $(grep "^accept" "$CONF" | sed "s/accept = //"); do
    port=${a##*:}
    for _ in $(seq 1 100); do
      (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break
      sleep 0.05
    done
  done
  set +e
  "$@"
  rc=$?
  kill $SPID 2>/dev/null
  wait $SPID 2>/dev/null
  exit $rc
' bridge "$CONF" "$@"
rc=$?
exit $rc
