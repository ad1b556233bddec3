// File: nodes/alert_handler.h
//
// AlertHandler: what an alert node (or a topic) hands its events to. Implementations: the log
// file handler (nodes/log_handler.*), the Kafka handler (nodes/kafka_handler.*), and test sinks.
//
// Contract:
//  * Handle() is called on the pipeline thread, in event order, once per event. `json` is
//    exactly AppendEventJson(event) (with its trailing "\n"); both stay valid only during the
//    call, so a handler that queues work must copy what it needs.
//  * Handle() must not block indefinitely (a Kafka handler may wait, bounded, for queue space)
//    and never throws; failures are counted in the handler's stats and logged by it.
//  * Close() flushes (bounded by `timeout`) and reports what was delivered and what failed; it is
//    called once at shutdown (EOF, SIGINT, SIGTERM).
#ifndef TICK_NODES_ALERT_HANDLER_H_
#define TICK_NODES_ALERT_HANDLER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "interpreter/handler_spec.h"
#include "nodes/alert_event.h"

namespace tick::nodes {

struct HandlerStats {
  uint64_t events = 0;     // events handed to Handle()
  uint64_t delivered = 0;  // confirmed written (file write ok / Kafka delivery report ok)
  uint64_t failed = 0;     // confirmed failed
};

class AlertHandler {
 public:
  virtual ~AlertHandler() = default;
  virtual void Handle(const AlertEventData& event, std::string_view json) = 0;
  virtual absl::Status Close(absl::Duration timeout) = 0;
  virtual HandlerStats stats() const = 0;
  // Human name for summaries, e.g. "kafka(cluster=default, topic=cpu-alerts)".
  virtual std::string name() const = 0;
};

// Creates handlers from specs. The pipeline owns one factory per task run; the Kafka part holds
// the per-cluster producers, shared by every Kafka handler of the run.
class HandlerFactory {
 public:
  virtual ~HandlerFactory() = default;
  // Validates `spec` (unknown kind / option / cluster / algorithm → InvalidArgument naming the
  // option and its position) and creates the handler.
  virtual absl::StatusOr<std::unique_ptr<AlertHandler>> Create(const interp::HandlerSpec& spec) = 0;
};

// Receives the events an alert node publishes with `.topic('name')` (Kapacitor's topics). The
// topic router (nodes/topic_router.*) implements it: it keeps per-topic state and dispatches to
// the topic's handlers (from handler files) whose `match` expression accepts the event.
// Same lifetime rules as AlertHandler::Handle.
class TopicSink {
 public:
  virtual ~TopicSink() = default;
  virtual void Publish(std::string_view topic, const AlertEventData& event,
                       std::string_view json) = 0;
};

}  // namespace tick::nodes

#endif  // TICK_NODES_ALERT_HANDLER_H_
