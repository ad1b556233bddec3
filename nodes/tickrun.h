// File: nodes/tickrun.h
//
// The embedding API of tickrun: compile a TICKscript stream task, push points (Point objects or
// line-protocol bytes) and receive the alert events through a callback — the same code path as
// `tickrun run`.
//
//   tick::nodes::CompileOptions opts;
//   auto task = tick::nodes::TickTask::Compile(
//       "stream|from().measurement('cpu')|alert().crit(lambda: \"usage_idle\" < 10)",
//       "cpu.tick", opts,
//       [](const tick::nodes::AlertEventData& e, std::string_view json) {
//         std::fwrite(json.data(), 1, json.size(), stdout);   // one JSON line per event
//       });
//   if (!task.ok()) { /* compiler-style diagnostics in task.status().message() */ }
//   (*task)->PushLineProtocol("cpu,host=a usage_idle=5 1000000000\n");
//   (*task)->Close();
//
// A TickTask is single-threaded; distinct TickTasks may run on distinct threads.
#ifndef TICK_NODES_TICKRUN_H_
#define TICK_NODES_TICKRUN_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "interpreter/task_spec.h"
#include "nodes/alert_event.h"
#include "nodes/alert_handler.h"
#include "nodes/line_protocol.h"
#include "nodes/point.h"
#include "nodes/task.h"

namespace tick::nodes {

// Receives every alert event (and its JSON line, trailing newline included). Both are valid only
// during the call.
using AlertCallback = std::function<void(const AlertEventData& event, std::string_view json)>;

struct CompileOptions {
  // `.TaskName`; empty: the script name without directory and extension.
  std::string task_name;
  // Enabled Kafka cluster ids for the checker (nullopt: not checked).
  std::optional<std::vector<std::string>> kafka_clusters;
  // Creates handlers other than `.log()` (e.g. Kafka); may be null.
  HandlerFactory* handler_factory = nullptr;
  // Receives `.topic()` events; may be null.
  TopicSink* topic_sink = nullptr;
  // Runtime log lines (rate-limited evaluation errors, |log() output). Default: stderr.
  std::function<void(std::string_view)> log;
  // `.ServerInfo.Hostname` in templates.
  std::string hostname;
};

// "dir/cpu_alert.tick" -> "cpu_alert".
std::string TaskNameFromPath(std::string_view path);

class TickTask final {
 public:
  // Parses, checks and builds the task. Errors: InvalidArgument with compiler-style diagnostics.
  static absl::StatusOr<std::unique_ptr<TickTask>> Compile(std::string_view script,
                                                           std::string_view script_name,
                                                           const CompileOptions& options,
                                                           AlertCallback on_alert);
  ~TickTask();

  // Runs one point (points not matching the task's dbrps are skipped).
  void Push(const Point& point);

  // Parses complete line-protocol text (or .srpl with options.format) and pushes each point.
  // Points get the task's first dbrp unless `options` sets database/retention_policy. Returns
  // the number of malformed lines; each diagnostic is appended to `errors` when non-null.
  size_t PushLineProtocol(std::string_view data, ReaderOptions options = {},
                          std::vector<std::string>* errors = nullptr);

  // Flushes and closes the handlers. Idempotent.
  absl::Status Close(absl::Duration timeout = absl::Seconds(10));

  TaskStats stats() const;
  std::vector<std::pair<std::string, HandlerStats>> handler_stats() const;
  const std::vector<interp::Dbrp>& dbrps() const;
  const std::string& name() const;

 private:
  TickTask() = default;
  AlertCallback on_alert_;
  std::unique_ptr<Task> task_;
};

// ---- running inputs (shared by `tickrun run` and the golden tests) ---------------------------

struct RunInputOptions {
  std::vector<std::string> inputs;  // paths; "-" = stdin; empty = stdin
  // Format; nullopt: .srpl by extension, else line protocol.
  std::optional<LineFormat> format;
  std::optional<Precision> precision;
  // Database/retention policy of plain line-protocol points; nullopt: the task's first dbrp.
  std::optional<interp::Dbrp> dbrp;
  // Shift every time so that the first point lands on this time (ns since the epoch).
  std::optional<int64_t> rebase_ns;
  // Checked between reads: stop early when set (SIGINT/SIGTERM).
  const std::atomic<bool>* stop = nullptr;
  // Called about every 100 ms of reading with the bytes and points so far.
  std::function<void(uint64_t bytes, uint64_t points)> progress;
  // Input diagnostics (malformed lines), formatted.
  std::function<void(std::string_view)> on_error;
};

struct RunInputResult {
  uint64_t bytes = 0;
  uint64_t points = 0;        // points read (pushed)
  uint64_t parse_errors = 0;  // malformed lines
  bool stopped = false;       // interrupted by `stop`
};

// Reads every input in order and pushes its points. Errors: I/O failures (unreadable file).
absl::StatusOr<RunInputResult> RunInputs(TickTask& task, const RunInputOptions& options);

}  // namespace tick::nodes

#endif  // TICK_NODES_TICKRUN_H_
