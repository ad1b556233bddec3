// File: nodes/task.cc
//
// Task: builds the runtime node graph from a TaskSpec (one node per spec node, children in
// spec order), creates the alert handlers (log handlers here, other kinds via the
// HandlerFactory) and feeds points into the stream node after the dbrp filter.
#include "nodes/task.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/strings.h"
#include "nodes/log_handler.h"
#include "nodes/pipeline_internal.h"

namespace tick::nodes {

using internal::Flow;
using internal::Node;

class Task::Impl {
 public:
  interp::TaskSpec spec;
  TaskOptions options;
  internal::TaskContext ctx;
  std::vector<std::unique_ptr<Node>> nodes;  // parallel to spec.nodes
  std::vector<internal::AlertNodeBase*> alerts;
  internal::Node* stream = nullptr;  // nodes[0]
  bool stream_forwards = false;      // nodes[0] is a stream node (which only forwards)
  uint64_t points = 0;
  uint64_t skipped_dbrp = 0;
  bool closed = false;
};

Task::Task(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Task::~Task() = default;

absl::StatusOr<std::unique_ptr<Task>> Task::Create(interp::TaskSpec spec, TaskOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->spec = std::move(spec);
  impl->options = std::move(options);
  impl->ctx.spec = &impl->spec;
  impl->ctx.options = &impl->options;
  internal::TaskContext* ctx = &impl->ctx;
  for (const interp::TaskNodeSpec& n : impl->spec.nodes) {
    std::unique_ptr<Node> node;
    switch (n.kind) {
      case interp::TaskNodeKind::kStream:
        node = internal::NewStreamNode(ctx, n);
        break;
      case interp::TaskNodeKind::kFrom:
        node = internal::NewFromNode(ctx, n);
        break;
      case interp::TaskNodeKind::kWhere:
        node = internal::NewWhereNode(ctx, n);
        break;
      case interp::TaskNodeKind::kEval:
        node = internal::NewEvalNode(ctx, n);
        break;
      case interp::TaskNodeKind::kGroupBy:
        node = internal::NewGroupByNode(ctx, n);
        break;
      case interp::TaskNodeKind::kDefault:
        node = internal::NewDefaultNode(ctx, n);
        break;
      case interp::TaskNodeKind::kDelete:
        node = internal::NewDeleteNode(ctx, n);
        break;
      case interp::TaskNodeKind::kLog:
        node = internal::NewLogNode(ctx, n);
        break;
      case interp::TaskNodeKind::kAlert: {
        std::unique_ptr<internal::AlertNodeBase> alert = internal::NewAlertNode(ctx, n);
        for (const interp::HandlerSpec& h : n.alert.handlers) {
          absl::StatusOr<std::unique_ptr<AlertHandler>> handler;
          if (h.kind == "log") {
            handler = CreateLogHandler(h);
          } else if (impl->options.handler_factory != nullptr) {
            handler = impl->options.handler_factory->Create(h);
          } else {
            handler = absl::InvalidArgumentError(absl::StrCat(
                "the \"", h.kind, "\" handler needs a handler configuration (for kafka: ",
                "--config or --embedded-kafka)"));
          }
          if (!handler.ok()) {
            std::string msg(Sv(handler.status().message()));
            // Factories may already format a positioned diagnostic.
            if (msg.rfind(impl->spec.source.name() + ":", 0) == 0) {
              return absl::InvalidArgumentError(msg);
            }
            return absl::InvalidArgumentError(impl->spec.source.FormatError(h.where.begin, msg));
          }
          alert->AddHandler(std::move(*handler));
        }
        impl->alerts.push_back(alert.get());
        node = std::move(alert);
        break;
      }
    }
    impl->nodes.push_back(std::move(node));
  }
  for (size_t i = 0; i < impl->spec.nodes.size(); ++i) {
    for (int c : impl->spec.nodes[i].children) impl->nodes[i]->AddChild(impl->nodes[c].get());
  }
  if (!impl->nodes.empty()) {
    impl->stream = impl->nodes[0].get();
    impl->stream_forwards = impl->spec.nodes[0].kind == interp::TaskNodeKind::kStream;
  }
  return std::unique_ptr<Task>(new Task(std::move(impl)));
}

void Task::Process(const Point& point) {
  Impl& m = *impl_;
  ++m.points;
  if (!m.spec.dbrps.empty()) {
    bool match = false;
    for (const interp::Dbrp& d : m.spec.dbrps) {
      if (point.database() == d.db && point.retention_policy() == d.rp) {
        match = true;
        break;
      }
    }
    if (!match) {
      ++m.skipped_dbrp;
      return;
    }
  }
  Flow f;
  f.point = &point;
  if (m.stream_forwards) {
    m.stream->CountInAndForward(f);
    return;
  }
  m.stream->CountIn();
  m.stream->Process(f);
}

absl::Status Task::Close(absl::Duration timeout) {
  Impl& m = *impl_;
  if (m.closed) return absl::OkStatus();
  m.closed = true;
  for (auto& n : m.nodes) n->errors().Flush();
  absl::Status first;
  for (internal::AlertNodeBase* a : m.alerts) {
    for (AlertHandler* h : a->handlers()) {
      absl::Status s = h->Close(timeout);
      if (!s.ok() && first.ok()) first = s;
    }
  }
  return first;
}

TaskStats Task::Stats() const {
  const Impl& m = *impl_;
  TaskStats s;
  s.points = m.points;
  s.skipped_dbrp = m.skipped_dbrp;
  for (const auto& n : m.nodes) {
    NodeStats ns;
    ns.name = n->spec().name;
    ns.points_in = n->points_in();
    ns.points_out = n->points_out();
    ns.errors = n->errors().total();
    ns.errors_by_kind = n->errors().by_kind();
    s.errors += ns.errors;
    for (const auto& [k, v] : ns.errors_by_kind) s.errors_by_kind[k] += v;
    s.nodes.push_back(std::move(ns));
  }
  for (internal::AlertNodeBase* a : m.alerts) {
    const auto by = a->alerts_by_level();
    for (int l = 0; l < kNumAlertLevels; ++l) {
      s.alerts_by_level[l] += by[l];
      s.events += by[l];
    }
  }
  return s;
}

std::vector<std::pair<std::string, HandlerStats>> Task::HandlerStatistics() const {
  std::vector<std::pair<std::string, HandlerStats>> out;
  for (internal::AlertNodeBase* a : impl_->alerts) {
    for (AlertHandler* h : a->handlers()) out.emplace_back(h->name(), h->stats());
  }
  return out;
}

const interp::TaskSpec& Task::spec() const { return impl_->spec; }

}  // namespace tick::nodes
