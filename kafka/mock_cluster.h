// File: kafka/mock_cluster.h
//
// An in-process Kafka-protocol cluster (librdkafka's mock cluster, real TCP on 127.0.0.1) for
// `tickrun run --embedded-kafka`, tests and benchmarks, plus a real consumer that reads back
// everything that landed.
//
//   TICK_ASSIGN_OR_RETURN(auto mc, EmbeddedCluster::Create(3));
//   TICK_RETURN_IF_ERROR(mc->CreateTopic("cpu-alerts", 6));
//   ProducerOptions opts; opts.bootstrap_override = mc->bootstraps();
//   ...
//   TICK_ASSIGN_OR_RETURN(std::vector<ConsumedMessage> got, mc->ReadAll("cpu-alerts"));
//
// Limits of the mock (librdkafka 2.0.2): no TLS/SASL, no replication, non-transactional
// idempotent retries may be written twice, at most 5 MiB / 100k message sets per partition.
#ifndef TICK_KAFKA_MOCK_CLUSTER_H_
#define TICK_KAFKA_MOCK_CLUSTER_H_

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tick::kafka {

struct ConsumedMessage {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  std::string key;
  bool key_is_null = false;
  std::string value;
};

// Kafka protocol ApiKeys used with PushRequestErrors.
inline constexpr int16_t kApiKeyProduce = 0;
inline constexpr int16_t kApiKeyMetadata = 3;

class EmbeddedCluster final {
 public:
  // Starts `brokers` mock brokers (ids 1..brokers) listening on random 127.0.0.1 ports.
  static absl::StatusOr<std::unique_ptr<EmbeddedCluster>> Create(int brokers = 3);
  ~EmbeddedCluster();
  EmbeddedCluster(const EmbeddedCluster&) = delete;
  EmbeddedCluster& operator=(const EmbeddedCluster&) = delete;

  // "127.0.0.1:P1,127.0.0.1:P2,..."
  const std::string& bootstraps() const { return bootstraps_; }
  int broker_count() const { return brokers_; }

  // Creates `topic` with `partitions` partitions (topics produced to without creation are
  // auto-created with 4 partitions by the mock). kAlreadyExists is not reported by the mock.
  absl::Status CreateTopic(std::string_view topic, int partitions);

  // Fault injection. broker_id -1 = all brokers.
  absl::Status SetBrokerDown(int32_t broker_id);
  absl::Status SetBrokerUp(int32_t broker_id);
  absl::Status SetRtt(int32_t broker_id, absl::Duration rtt);
  // The next `errors.size()` requests of `api_key` (cluster-wide) fail with these librdkafka
  // error codes (rd_kafka_resp_err_t values, e.g. 6 NOT_LEADER_FOR_PARTITION, 29
  // TOPIC_AUTHORIZATION_FAILED, -195 _TRANSPORT).
  void PushRequestErrors(int16_t api_key, const std::vector<int>& errors);
  absl::Status SetPartitionLeader(std::string_view topic, int32_t partition, int32_t broker_id);

  // Reads every partition of `topic` from the beginning up to its high watermark with a real
  // librdkafka consumer; messages ordered by (partition, offset). kNotFound for an unknown topic.
  absl::StatusOr<std::vector<ConsumedMessage>> ReadAll(std::string_view topic,
                                                       absl::Duration timeout = absl::Seconds(10));
  // Topic names present on the cluster (from Metadata), sorted.
  absl::StatusOr<std::vector<std::string>> ListTopics(absl::Duration timeout = absl::Seconds(5));
  // Number of partitions of `topic`.
  absl::StatusOr<int> PartitionCount(std::string_view topic,
                                     absl::Duration timeout = absl::Seconds(5));

 private:
  EmbeddedCluster() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string bootstraps_;
  int brokers_ = 0;
};

// Writes one JSON line per message: {"topic":..,"partition":..,"offset":..,"key":..,"value":..}
// (strings JSON-escaped; invalid UTF-8 bytes escaped as \u00XX; a NULL key is written as null).
void WriteJsonLines(const std::vector<ConsumedMessage>& messages, std::ostream& out);
std::string ToJsonLine(const ConsumedMessage& message);

}  // namespace tick::kafka

#endif  // TICK_KAFKA_MOCK_CLUSTER_H_
