// File: nodes/task.h
//
// Task: the running pipeline of one TICKscript stream task, built from an interp::TaskSpec.
//
//   TaskOptions opts;
//   opts.on_event = [&](const AlertEventData& e, std::string_view json) { out += json; };
//   TICK_ASSIGN_OR_RETURN(std::unique_ptr<Task> task, Task::Create(std::move(spec), opts));
//   for (const Point& p : points) task->Process(p);
//   TICK_RETURN_IF_ERROR(task->Close(absl::Seconds(5)));
//
// Semantics are Kapacitor's (stream.go, where.go, eval.go, group_by.go, default.go, delete.go,
// log.go, alert.go): points not matching the task's dbrps are skipped (a task without dbrps
// accepts every point); per-group state keyed by the group ID computed from the dimensions
// set by from().groupBy()/|groupBy(); evaluation errors drop the point (from.where, where,
// eval) or make an alert level not match; errors are counted per node and kind and logged at
// most once per interval per node, with the count of suppressed ones.
//
// Single-threaded: Process/Close must be called from one thread at a time.
#ifndef TICK_NODES_TASK_H_
#define TICK_NODES_TASK_H_

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "interpreter/task_spec.h"
#include "nodes/alert_event.h"
#include "nodes/alert_handler.h"
#include "nodes/alert_template_data.h"
#include "nodes/point.h"

namespace tick::nodes {

struct TaskOptions {
  // Creates handlers of kinds other than "log" (which the task creates itself). May be null:
  // then such handlers are an InvalidArgument error at Create.
  HandlerFactory* handler_factory = nullptr;
  // Receives events of alert nodes with `.topic('t')`. May be null (topic state is still kept).
  TopicSink* topic_sink = nullptr;
  // Every event emitted by any alert node, in order; previousLevel from the node's anonymous
  // topic (as an inline handler would see it). `json` is AppendEventJson's output.
  std::function<void(const AlertEventData& event, std::string_view json)> on_event;
  // Log lines (rate-limited error reports, |log() output); no trailing newline. Default: stderr.
  std::function<void(std::string_view line)> log;
  // `.ServerInfo` in templates.
  std::string hostname;
  std::string cluster_id;
  std::string server_id;
  // Minimum interval between two error logs of one node.
  absl::Duration error_log_interval = absl::Seconds(1);
  // Monotonic clock for the rate limit (tests inject one). Default: absl::Now().
  std::function<absl::Time()> clock;
};

struct NodeStats {
  std::string name;  // "alert2"
  uint64_t points_in = 0;
  uint64_t points_out = 0;
  uint64_t errors = 0;
  std::map<std::string, uint64_t> errors_by_kind;  // "missing value", "division by zero", ...
};

struct TaskStats {
  uint64_t points = 0;        // handed to Process
  uint64_t skipped_dbrp = 0;  // not matching the task's dbrps
  uint64_t errors = 0;        // evaluation errors (all nodes)
  std::map<std::string, uint64_t> errors_by_kind;
  std::array<uint64_t, kNumAlertLevels> alerts_by_level{};  // emitted events per level
  uint64_t events = 0;
  std::vector<NodeStats> nodes;
};

class Task final {
 public:
  // Builds the node graph and creates the alert handlers. Errors: InvalidArgument (handler
  // creation failed, formatted at the handler's position).
  static absl::StatusOr<std::unique_ptr<Task>> Create(interp::TaskSpec spec, TaskOptions options);

  ~Task();
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;

  // Runs one point through the pipeline.
  void Process(const Point& point);

  // Logs pending suppressed-error counts and closes every handler (bounded by `timeout`).
  // Returns the first handler error. Idempotent.
  absl::Status Close(absl::Duration timeout);

  TaskStats Stats() const;
  // Per handler: name and stats (valid after Close for final numbers).
  std::vector<std::pair<std::string, HandlerStats>> HandlerStatistics() const;

  const interp::TaskSpec& spec() const;

  class Impl;

 private:
  explicit Task(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tick::nodes

#endif  // TICK_NODES_TASK_H_
