// File: nodes/topic_router.cc
#include "nodes/topic_router.h"

#include <iostream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/strings.h"

namespace tick::nodes {

TopicRouter::TopicRouter(std::string task_name, HandlerLogFn log)
    : task_name_(std::move(task_name)), log_(std::move(log)) {}

TopicRouter::Topic* TopicRouter::FindOrAddTopic(std::string_view name) {
  for (const std::unique_ptr<Topic>& t : topics_) {
    if (t->name == name) return t.get();
  }
  topics_.push_back(std::make_unique<Topic>());
  topics_.back()->name = std::string(name);
  return topics_.back().get();
}

void TopicRouter::AddHandler(std::string topic, std::string id,
                             std::unique_ptr<AlertHandler> handler,
                             std::optional<MatchExpr> match) {
  auto e = std::make_unique<Entry>();
  e->topic = std::move(topic);
  e->id = std::move(id);
  e->handler = std::move(handler);
  e->match = std::move(match);
  FindOrAddTopic(e->topic)->entries.push_back(e.get());
  handlers_.push_back(std::move(e));
}

void TopicRouter::Log(const std::string& line) {
  if (log_) {
    log_(line);
  } else {
    std::cerr << line << '\n';
  }
}

void TopicRouter::Publish(std::string_view topic, const AlertEventData& event,
                          std::string_view json) {
  Topic* t = FindOrAddTopic(topic);
  ++t->events;
  if (closed_) return;
  for (Entry* e : t->entries) {
    if (e->match.has_value()) {
      absl::StatusOr<bool> ok = e->match->Matches(event, task_name_);
      if (!ok.ok()) {
        ++e->match_errors;
        if (e->match_errors <= 20 || e->match_errors % 1000 == 0) {
          Log(absl::StrCat("topic \"", t->name, "\" handler \"", e->id,
                           "\": failed to evaluate match expression for alert \"", Sv(event.id),
                           "\": ", ok.status().message()));
        }
        continue;
      }
      if (!*ok) {
        ++e->not_matched;
        continue;
      }
    }
    ++e->matched;
    e->handler->Handle(event, json);
  }
}

absl::Status TopicRouter::Close(absl::Duration timeout) {
  if (closed_) return absl::OkStatus();
  closed_ = true;
  absl::Status first;
  for (const std::unique_ptr<Entry>& e : handlers_) {
    absl::Status s = e->handler->Close(timeout);
    if (!s.ok() && first.ok()) first = s;
  }
  return first;
}

std::vector<TopicSummary> TopicRouter::topics() const {
  std::vector<TopicSummary> out;
  for (const std::unique_ptr<Topic>& t : topics_) out.push_back({t->name, t->events});
  return out;
}

std::vector<TopicHandlerSummary> TopicRouter::handlers() const {
  std::vector<TopicHandlerSummary> out;
  for (const std::unique_ptr<Entry>& e : handlers_) {
    TopicHandlerSummary s;
    s.topic = e->topic;
    s.id = e->id;
    s.name = e->handler->name();
    s.matched = e->matched;
    s.not_matched = e->not_matched;
    s.match_errors = e->match_errors;
    s.stats = e->handler->stats();
    out.push_back(std::move(s));
  }
  return out;
}

std::string TopicRouter::FormatSummary() const {
  std::string out;
  const std::vector<TopicHandlerSummary> hs = handlers();
  for (const std::unique_ptr<Topic>& t : topics_) {
    absl::StrAppend(&out, "topic \"", t->name, "\": ", t->events, " events\n");
    for (const TopicHandlerSummary& h : hs) {
      if (h.topic != t->name) continue;
      absl::StrAppend(&out, "  handler \"", h.id, "\" ", h.name, ": ", h.matched, " matched, ",
                      h.not_matched, " not matched, ", h.match_errors, " match errors, ",
                      h.stats.delivered, " delivered, ", h.stats.failed, " failed\n");
    }
  }
  return out;
}

}  // namespace tick::nodes
