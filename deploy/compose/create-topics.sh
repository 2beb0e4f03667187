#!/usr/bin/env bash
# Creates Handoff's topics (contracts' Topics.ALL) on the compose broker, once; a topic that exists is kept.
# Partitions as in deploy/kubernetes (docs/deployment.md, "Topics and partitions"); one broker: replication 1.
set -euo pipefail
bootstrap="${KAFKA_BOOTSTRAP:-kafka:9092}"
while read -r topic partitions; do
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor 1
done <<'TOPICS'
handoff.task-events 12
handoff.provisioner-commands 6
handoff.provisioner-events 6
handoff.gateway-events 6
handoff.node-commands 12
handoff.node-reports 12
handoff.dead-letters 3
TOPICS
