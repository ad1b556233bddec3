#!/usr/bin/env bash
# The main job, end to end: the Kafka handler page's example script runs over bundled line
# protocol; its alerts go through a batched librdkafka producer into an embedded Kafka-protocol
# cluster (librdkafka's mock broker on loopback) and are read back with a real consumer.
set -euo pipefail
cd "$(dirname "$0")/.."
TICKRUN=${1:-build/cli/tickrun}
DUMP=$(mktemp /tmp/tickrun-demo.XXXXXX.jsonl)
trap 'rm -f "$DUMP"' EXIT
echo "== scripts/kafka-cpu-alert.tick"
cat scripts/kafka-cpu-alert.tick
echo
echo "== tickrun run scripts/kafka-cpu-alert.tick --input scripts/data/demo_cpu.lp --embedded-kafka --kafka-dump $DUMP"
"$TICKRUN" run scripts/kafka-cpu-alert.tick --input scripts/data/demo_cpu.lp --embedded-kafka \
  --kafka-dump "$DUMP"
echo
echo "== the first message read back from Kafka (--kafka-dump: topic, partition, offset, key, value):"
head -n 1 "$DUMP"
echo "== $(wc -l < "$DUMP") messages landed in Kafka"
