// File: nodes/kafka_handler.h
//
// The Kafka alert handler (`.kafka()` in a TICKscript, kind `kafka` in a topic-handler file):
// each event becomes one Kafka message on the cluster's shared batched producer
// (kafka/producer.h).
//
//   KafkaProducerSet producers;
//   producers.Add("infra", producer.get());            // one per enabled cluster
//   TICK_ASSIGN_OR_RETURN(auto h, CreateKafkaHandler(spec, &producers, {}));
//   h->Handle(event, json);                             // key = event.id, value = json
//
// Options (interp::HandlerSpec names): cluster (string), topic (string), template (string),
// disablePartitionById (bool), partitionAlgorithm (string: crc32 (default, also ""), murmur2,
// fnv-1a). Creation errors (InvalidArgument, bare messages; the caller adds positions — the
// offending option's name is in the kKafkaOptionPayloadUrl payload):
//   unknown option            `unknown kafka handler option "x"`
//   wrong type                `kafka handler option "topic" must be a string, got int`
//   cluster omitted, none     `no enabled kafka cluster`
//   cluster omitted, several  `several kafka clusters are enabled (a, b): select one with cluster`
//   unknown cluster           `unknown cluster "x"`
//   bad algorithm             `invalid partition algorithm: "x"`
//   empty topic               `kafka handler topic must not be empty` (Kapacitor only fails each
//                             write with `topic must not be empty`; tickrun rejects it up front)
//   bad template              `failed to parse template: <Go's text>`
//
// What is written: key = the alert ID; value = the template rendered on Kapacitor's alert.Data
// (nodes/alert_template_data.h; no newline added) or, without a template, the event JSON with
// its trailing newline. A template execution error is logged, counted as failed and NO message
// is sent (Kapacitor logs it and sends an empty value; an empty message is useless to consumers
// and would hide the failure). disablePartitionById: random partition, key still written.
//
// Statistics: events handed to Handle; failed = rejected produces (queue full after the bounded
// wait, closed producer), template errors and failed delivery reports; delivered = successful
// delivery reports. Delivery reports are counted by the producer per (cluster, topic); when
// several handlers of a run write the same cluster and topic, the topic's reports are
// attributed to them in proportion to what each enqueued (exact when one handler owns the
// topic, and exact whenever nothing failed).
#ifndef TICK_NODES_KAFKA_HANDLER_H_
#define TICK_NODES_KAFKA_HANDLER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "interpreter/handler_spec.h"
#include "kafka/partition.h"
#include "kafka/producer.h"
#include "nodes/alert_handler.h"

namespace tick::nodes {

// Payload type URL on option errors: the value is the offending option's name.
inline constexpr char kHandlerOptionPayloadUrl[] = "tick/handler-option";

// The validated options of one Kafka handler.
struct KafkaHandlerConfig {
  std::string cluster;  // resolved (never empty)
  std::string topic;
  std::string template_text;  // "" = no template
  bool has_template = false;
  bool disable_partition_by_id = false;
  kafka::PartitionAlgorithm algorithm = kafka::PartitionAlgorithm::kCrc32;
};

// Validates `spec` (kind must be "kafka") against the enabled cluster ids and resolves the
// cluster (see the file comment for the errors). Does not parse the template.
absl::StatusOr<KafkaHandlerConfig> ParseKafkaHandlerSpec(const interp::HandlerSpec& spec,
                                                         const std::vector<std::string>& clusters);

// The producers of a run, by cluster id (not owned: they must outlive the handlers), and the
// per-topic bookkeeping that attributes delivery reports to handlers.
class KafkaProducerSet final {
 public:
  void Add(std::string cluster_id, kafka::Producer* producer);
  kafka::Producer* Find(std::string_view cluster_id) const;
  // Cluster ids in Add order.
  const std::vector<std::string>& ids() const { return ids_; }

  // Bookkeeping used by the handlers: total messages enqueued by all handlers on a
  // (cluster, topic) pair. Single pipeline thread.
  uint64_t* EnqueuedCounter(const std::string& cluster, const std::string& topic);
  // Alerts the handlers failed to hand to a producer (template errors, rejected produces); the
  // producers' own stats count delivery-report failures. Sum of both = alerts lost.
  uint64_t local_failures() const { return local_failures_; }
  void AddLocalFailure() { ++local_failures_; }

 private:
  std::vector<std::string> ids_;
  std::map<std::string, kafka::Producer*, std::less<>> producers_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<uint64_t>> enqueued_;
  uint64_t local_failures_ = 0;
};

// Log sink for handler errors (one line, no newline). Default: stderr.
using HandlerLogFn = std::function<void(std::string_view)>;

// Validates the spec and creates the handler on the cluster's producer from `producers`.
absl::StatusOr<std::unique_ptr<AlertHandler>> CreateKafkaHandler(const interp::HandlerSpec& spec,
                                                                 KafkaProducerSet* producers,
                                                                 HandlerLogFn log = {});

}  // namespace tick::nodes

#endif  // TICK_NODES_KAFKA_HANDLER_H_
