// File: cli/kafka_runtime.h
//
// KafkaRuntime: everything `tickrun run` needs for Kafka alert delivery and topic handlers.
//
//   KafkaRunOptions opts{.config_path = "kapacitor.conf", .embedded = true};
//   TICK_ASSIGN_OR_RETURN(auto rt, KafkaRuntime::Start(opts));
//   ... pipeline: rt->handler_factory()->Create(spec), rt->topic_sink()->Publish(...) ...
//   TICK_ASSIGN_OR_RETURN(uint64_t failed, rt->Finish(absl::Seconds(10), stderr));
//
// Start loads the `[[kafka]]` clusters of the config (kafka/config.h), starts the embedded mock
// cluster with --embedded-kafka (every enabled cluster — or a cluster "default" when the config
// has none enabled — is pointed at it; topics are created with 3 partitions before the first
// message), creates one producer per enabled cluster (kafka/producer.h) and loads the topic
// handler files (nodes/handler_file.h) into a topic router (nodes/topic_router.h).
//
// Finish closes the topic handlers, flushes every producer (bounded), prints per-cluster/topic
// delivered/failed counts and the topic summary to `report`, reads back with a real consumer what
// landed on the embedded cluster (printed per topic and partition) and writes the --kafka-dump
// JSON lines ({topic, partition, offset, key, value}, kafka/mock_cluster.h's ToJsonLine) of every
// topic of the embedded cluster, ordered by topic, partition and offset. --kafka-dump requires
// --embedded-kafka (Start fails otherwise: `--kafka-dump needs --embedded-kafka`).
#ifndef TICK_CLI_KAFKA_RUNTIME_H_
#define TICK_CLI_KAFKA_RUNTIME_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "nodes/alert_handler.h"

namespace tick::cli {

struct KafkaRunOptions {
  std::string config_path;                 // --config FILE ("" = none)
  bool embedded = false;                   // --embedded-kafka
  std::string dump_path;                   // --kafka-dump FILE ("" = none; "-" = stdout)
  std::vector<std::string> handler_paths;  // --handlers FILE|DIR (repeatable)
  // What `taskName()` returns in topic-handler match expressions (the run's task name).
  std::string task_name;
};

class KafkaRuntime {
 public:
  // Loads the config (errors → InvalidArgument with file:line:col), starts the embedded mock
  // cluster when asked (pointing every enabled cluster — or a cluster "default" when the config
  // has none — at it), creates one producer per enabled cluster, loads topic-handler files.
  static absl::StatusOr<std::unique_ptr<KafkaRuntime>> Start(const KafkaRunOptions& opts);

  virtual ~KafkaRuntime() = default;

  // Creates handlers of kind "kafka" and "log"; the pipeline's factory delegates here. Owned by
  // the runtime (valid until it is destroyed).
  virtual nodes::HandlerFactory* handler_factory() = 0;
  // Receives `.topic()` events; nullptr if no topic handlers were loaded.
  virtual nodes::TopicSink* topic_sink() = 0;
  // Ids of the enabled clusters (for the checker), in config order.
  virtual std::vector<std::string> enabled_cluster_ids() const = 0;

  // Flushes every producer (bounded by timeout), prints per-cluster/topic delivered/failed and,
  // with the embedded cluster, what landed (per topic and partition) to `report` (stderr);
  // writes the --kafka-dump file. Returns the number of failed alert deliveries (Kafka delivery
  // failures, rejected produces and topic-handler failures). Errors: the dump cannot be written
  // or read back. Call once, after the pipeline has closed its own handlers.
  virtual absl::StatusOr<uint64_t> Finish(absl::Duration timeout, FILE* report) = 0;
};

}  // namespace tick::cli

#endif  // TICK_CLI_KAFKA_RUNTIME_H_
