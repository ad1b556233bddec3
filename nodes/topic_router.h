// File: nodes/topic_router.h
//
// TopicRouter: the TopicSink of a run. Events an alert node publishes with `.topic('t')` go to
// every handler subscribed to `t` (from topic-handler files, nodes/handler_file.h), in the order
// the handlers were added, each behind its optional `match` expression (nodes/match_expr.h).
// A match evaluation error skips that handler for that event; it is logged (the first 20, then
// every 1000th) and counted in the handler's `match_errors` (not a delivery failure).
// previousLevel is computed by the alert node (nodes/alert_topics.h) before Publish.
// Single-threaded: Publish runs on the pipeline thread.
#ifndef TICK_NODES_TOPIC_ROUTER_H_
#define TICK_NODES_TOPIC_ROUTER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "nodes/alert_handler.h"
#include "nodes/kafka_handler.h"
#include "nodes/match_expr.h"

namespace tick::nodes {

struct TopicSummary {
  std::string topic;
  uint64_t events = 0;  // published to the topic
};

struct TopicHandlerSummary {
  std::string topic;
  std::string id;
  std::string name;           // the handler's name()
  uint64_t matched = 0;       // events passed to the handler
  uint64_t not_matched = 0;   // match expression false
  uint64_t match_errors = 0;  // match expression failed (handler skipped)
  HandlerStats stats;         // the handler's own counters
};

class TopicRouter final : public TopicSink {
 public:
  // `task_name` is what `taskName()` returns in match expressions.
  explicit TopicRouter(std::string task_name = "", HandlerLogFn log = {});

  void set_task_name(std::string task_name) { task_name_ = std::move(task_name); }

  // Subscribes `handler` (id `id`) to `topic`; `match` absent = every event.
  void AddHandler(std::string topic, std::string id, std::unique_ptr<AlertHandler> handler,
                  std::optional<MatchExpr> match);

  void Publish(std::string_view topic, const AlertEventData& event, std::string_view json) override;

  // Closes every handler (each bounded by `timeout`); returns the first error. Idempotent.
  absl::Status Close(absl::Duration timeout);

  size_t handler_count() const { return handlers_.size(); }
  // Topics in first-seen order (subscribed topics first, in handler order).
  std::vector<TopicSummary> topics() const;
  std::vector<TopicHandlerSummary> handlers() const;
  // Human summary, one line per topic and per handler:
  //   topic "cpu": 3 events
  //     handler "kafka-cpu-alert" kafka(cluster=default, topic=cpu-alerts): 3 matched, 0 not
  //     matched, 0 match errors, 3 delivered, 0 failed
  std::string FormatSummary() const;

 private:
  struct Entry {
    std::string topic;
    std::string id;
    std::unique_ptr<AlertHandler> handler;
    std::optional<MatchExpr> match;
    uint64_t matched = 0;
    uint64_t not_matched = 0;
    uint64_t match_errors = 0;
  };
  struct Topic {
    std::string name;
    uint64_t events = 0;
    std::vector<Entry*> entries;
  };
  Topic* FindOrAddTopic(std::string_view name);
  void Log(const std::string& line);

  std::string task_name_;
  HandlerLogFn log_;
  std::vector<std::unique_ptr<Entry>> handlers_;
  std::vector<std::unique_ptr<Topic>> topics_;
  bool closed_ = false;
};

}  // namespace tick::nodes

#endif  // TICK_NODES_TOPIC_ROUTER_H_
