// File: nodes/alert_topics.h
//
// Topic event state, as Kapacitor's alert/topics.go keeps it: every event the alert node hands
// to a topic is "collected"; the topic remembers, per event ID, the state of the last collected
// event. That remembered level is the next event's `previousLevel` (OK when the topic has never
// collected an event with that ID). Events that are never collected (suppressed points,
// recoveries suppressed by noRecoveries) are invisible to it.
//
// An alert node with inline handlers collects into its anonymous topic
// `<taskmaster>:<task>:<node>`; with `.topic('t')` it also collects into `t`. Each topic keeps its
// own states, so the same event may carry different previous levels in different topics.
// Single-threaded (the pipeline owns its topics).
#ifndef TICK_NODES_ALERT_TOPICS_H_
#define TICK_NODES_ALERT_TOPICS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "nodes/alert_state.h"

namespace tick::nodes {

// The stored state of the last event collected for one ID.
struct TopicEventState {
  AlertLevel level = AlertLevel::kOK;
  int64_t time_ns = 0;
};

class AlertTopic final {
 public:
  explicit AlertTopic(std::string id) : id_(std::move(id)) {}

  const std::string& id() const { return id_; }

  // Collects an event: stores {level, time} for `event_id` and returns the previous level for
  // it (OK when none). Increments collected().
  AlertLevel Collect(std::string_view event_id, AlertLevel level, int64_t time_ns);

  // The stored state for `event_id`, if any event with that ID was collected.
  std::optional<TopicEventState> EventState(std::string_view event_id) const;

  // The highest stored level over all IDs (OK when empty), as Topic.MaxLevel.
  AlertLevel MaxLevel() const;

  int64_t collected() const { return collected_; }

 private:
  std::string id_;
  absl::flat_hash_map<std::string, TopicEventState> events_;
  int64_t collected_ = 0;
};

// Topics by ID, created on first use.
class AlertTopics final {
 public:
  AlertTopic* GetOrCreate(std::string_view topic_id);
  // nullptr when the topic does not exist.
  const AlertTopic* Find(std::string_view topic_id) const;

 private:
  absl::flat_hash_map<std::string, std::unique_ptr<AlertTopic>> topics_;
};

}  // namespace tick::nodes

#endif  // TICK_NODES_ALERT_TOPICS_H_
