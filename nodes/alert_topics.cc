// File: nodes/alert_topics.cc
#include "nodes/alert_topics.h"

#include <algorithm>

#include "base/strings.h"

namespace tick::nodes {

AlertLevel AlertTopic::Collect(std::string_view event_id, AlertLevel level, int64_t time_ns) {
  ++collected_;
  auto [it, inserted] = events_.try_emplace(Sv(event_id));
  const AlertLevel previous = inserted ? AlertLevel::kOK : it->second.level;
  it->second = TopicEventState{level, time_ns};
  return previous;
}

std::optional<TopicEventState> AlertTopic::EventState(std::string_view event_id) const {
  auto it = events_.find(Sv(event_id));
  if (it == events_.end()) return std::nullopt;
  return it->second;
}

AlertLevel AlertTopic::MaxLevel() const {
  AlertLevel max = AlertLevel::kOK;
  for (const auto& [id, state] : events_) max = std::max(max, state.level);
  return max;
}

AlertTopic* AlertTopics::GetOrCreate(std::string_view topic_id) {
  auto [it, inserted] = topics_.try_emplace(Sv(topic_id));
  if (inserted) it->second = std::make_unique<AlertTopic>(std::string(topic_id));
  return it->second.get();
}

const AlertTopic* AlertTopics::Find(std::string_view topic_id) const {
  auto it = topics_.find(Sv(topic_id));
  return it == topics_.end() ? nullptr : it->second.get();
}

}  // namespace tick::nodes
