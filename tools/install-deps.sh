#!/usr/bin/env bash
# Installs the Debian 12 packages tickrun needs to build, test, fuzz and benchmark.
# Idempotent: runs apt-get only when a package is missing. Needs root (or sudo).
set -euo pipefail
PKGS=(cmake g++ make ninja-build ccache pkg-config
      tao-pegtl-dev librdkafka-dev libtomlplusplus-dev libabsl-dev libre2-dev libyaml-cpp-dev
      libcurl4-openssl-dev googletest libgtest-dev libgmock-dev libbenchmark-dev kcat
      clang-14 libclang-rt-14-dev clang-format clang-tidy
      stunnel4 socat openssl iproute2)  # the last four: the kafka TLS end-to-end test (tools/kafka-tls-bridge.sh)
if [[ "${1:-}" == "--print" ]]; then printf '%s\n' "${PKGS[@]}"; exit 0; fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then exit 0; fi
echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
