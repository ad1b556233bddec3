// File: kafka/producer.h
//
// One batched librdkafka producer per `[[kafka]]` cluster. Topics and partitioners are chosen per
// message (no "first handler wins" as in Kapacitor): any number of handlers may share a Producer.
//
//   TICK_ASSIGN_OR_RETURN(std::unique_ptr<Producer> p, Producer::Create(cluster, {}));
//   TICK_RETURN_IF_ERROR(p->Produce("cpu-alerts", alert_id, json, PartitionAlgorithm::kCrc32,
//                                   /*partition_by_id=*/true));
//   ...
//   ProducerStats s = p->Close(absl::Seconds(10));   // flush (bounded) + final counts
//
// Delivery is never silent: every delivery report is counted per topic (delivered, failed) and
// each failure is logged through ProducerOptions::log with topic, partition and error. Messages
// still queued when Close's timeout expires are purged and counted as failed.
// Thread safety: Produce, Flush and Stats may be called concurrently from any thread.
#ifndef TICK_KAFKA_PRODUCER_H_
#define TICK_KAFKA_PRODUCER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "kafka/config.h"
#include "kafka/partition.h"

namespace tick::kafka {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

// Receives log lines (already formatted, no trailing newline, never containing secrets).
using LogFn = std::function<void(LogLevel, std::string_view)>;

struct ProducerOptions {
  // Replaces the config's brokers (e.g. the embedded mock cluster's bootstraps()).
  std::string bootstrap_override;
  // Extra librdkafka properties applied last (tests: {"reconnect.backoff.max.ms", "500"}).
  std::vector<std::pair<std::string, std::string>> extra_properties;
  // When librdkafka's local queue is full, Produce polls and retries for at most this long, then
  // returns kResourceExhausted. Zero means the cluster's `timeout`.
  absl::Duration queue_full_wait = absl::ZeroDuration();
  // Log sink; default writes `kafka: ...` lines to stderr.
  LogFn log;
};

struct TopicStats {
  std::string topic;
  uint64_t enqueued = 0;   // accepted by Produce
  uint64_t delivered = 0;  // delivery report OK
  uint64_t failed = 0;     // delivery report error (incl. purged at Close)
};

struct ProducerStats {
  std::string cluster_id;
  std::vector<TopicStats> topics;  // sorted by topic
  uint64_t enqueued = 0;
  uint64_t delivered = 0;
  uint64_t failed = 0;
  uint64_t rejected = 0;   // Produce returned an error (queue full, bad topic ...)
  uint64_t in_flight = 0;  // enqueued - delivered - failed
};

class Producer {
 public:
  // Builds the librdkafka producer from ToRdKafkaConfig(config) + options. Does not wait for the
  // brokers. kInvalidArgument for a config librdkafka rejects (message names the property).
  static absl::StatusOr<std::unique_ptr<Producer>> Create(const ClusterConfig& config,
                                                          ProducerOptions options = {});

  virtual ~Producer() = default;  // closes with the cluster timeout if Close was not called

  // Enqueues one message (bytes copied). `topic` must be non-empty (kInvalidArgument
  // `topic must not be empty`). Partition: see kafka/partition.h; with partition_by_id == false
  // the partition is random and the key is still written. Blocks at most queue_full_wait when the
  // local queue is full, then kResourceExhausted. kFailedPrecondition after Close.
  virtual absl::Status Produce(std::string_view topic, std::string_view key, std::string_view value,
                               PartitionAlgorithm algorithm, bool partition_by_id) = 0;

  // Waits until every enqueued message has a delivery report or `timeout` expires
  // (kDeadlineExceeded with the number still in flight).
  virtual absl::Status Flush(absl::Duration timeout) = 0;

  virtual ProducerStats Stats() const = 0;

  // Flushes (bounded by `timeout`), purges what is left (counted as failed), stops the poller
  // and returns the final statistics. Idempotent.
  virtual ProducerStats Close(absl::Duration timeout) = 0;

  virtual const std::string& cluster_id() const = 0;
};

// "cluster \"id\": N delivered, M failed" style one-line summary of `stats`.
std::string FormatStats(const ProducerStats& stats);

}  // namespace tick::kafka

#endif  // TICK_KAFKA_PRODUCER_H_
