// File: nodes/tickrun.cc
#include "nodes/tickrun.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "base/status_macros.h"
#include "base/strings.h"
#include "grammar/parser.h"
#include "interpreter/task_builder.h"
#include "nodes/alert_template_data.h"

namespace tick::nodes {

std::string TaskNameFromPath(std::string_view path) {
  const size_t slash = path.find_last_of('/');
  if (slash != std::string_view::npos) path.remove_prefix(slash + 1);
  const size_t dot = path.find_last_of('.');
  if (dot != std::string_view::npos && dot > 0) path = path.substr(0, dot);
  return std::string(path);
}

namespace {
const interp::FuncMap& DetailsFuncs() {
  static const interp::FuncMap* funcs = [] {
    auto* f = new interp::FuncMap();
    AddAlertDetailsFuncs(f);
    return f;
  }();
  return *funcs;
}
}  // namespace

absl::StatusOr<std::unique_ptr<TickTask>> TickTask::Compile(std::string_view script,
                                                            std::string_view script_name,
                                                            const CompileOptions& options,
                                                            AlertCallback on_alert) {
  TICK_ASSIGN_OR_RETURN(ast::Script parsed, grammar::ParseScript(script, script_name));
  interp::TaskBuildOptions build;
  build.task_name = options.task_name.empty() ? TaskNameFromPath(script_name) : options.task_name;
  build.check.kafka_clusters = options.kafka_clusters;
  build.details_funcs = &DetailsFuncs();
  TICK_ASSIGN_OR_RETURN(interp::TaskSpec spec, interp::BuildTaskSpec(parsed, build));

  std::unique_ptr<TickTask> t(new TickTask());  // private constructor
  t->on_alert_ = std::move(on_alert);
  TaskOptions topts;
  topts.handler_factory = options.handler_factory;
  topts.topic_sink = options.topic_sink;
  topts.log = options.log;
  topts.hostname = options.hostname;
  TickTask* self = t.get();
  topts.on_event = [self](const AlertEventData& e, std::string_view json) {
    if (self->on_alert_) self->on_alert_(e, json);
  };
  TICK_ASSIGN_OR_RETURN(t->task_, Task::Create(std::move(spec), std::move(topts)));
  return t;
}

TickTask::~TickTask() {
  if (task_ != nullptr) task_->Close(absl::Seconds(1)).IgnoreError();
}

void TickTask::Push(const Point& point) { task_->Process(point); }

size_t TickTask::PushLineProtocol(std::string_view data, ReaderOptions options,
                                  std::vector<std::string>* errors) {
  if (options.database.empty() && options.retention_policy.empty() && !dbrps().empty()) {
    options.database = dbrps()[0].db;
    options.retention_policy = dbrps()[0].rp;
  }
  if (options.default_time == 0 && options.format == LineFormat::kLineProtocol) {
    options.default_time = absl::ToUnixNanos(absl::Now());
  }
  LineProtocolReader reader(std::move(options));
  size_t bad = 0;
  reader.ParseBuffer(
      data, [&](const Point& p) { task_->Process(p); },
      [&](std::string_view diag) {
        ++bad;
        if (errors != nullptr) errors->emplace_back(diag);
      });
  return bad;
}

absl::Status TickTask::Close(absl::Duration timeout) { return task_->Close(timeout); }

TaskStats TickTask::stats() const { return task_->Stats(); }

std::vector<std::pair<std::string, HandlerStats>> TickTask::handler_stats() const {
  return task_->HandlerStatistics();
}

const std::vector<interp::Dbrp>& TickTask::dbrps() const { return task_->spec().dbrps; }

const std::string& TickTask::name() const { return task_->spec().name; }

absl::StatusOr<RunInputResult> RunInputs(TickTask& task, const RunInputOptions& options) {
  RunInputResult result;
  std::vector<std::string> inputs = options.inputs;
  if (inputs.empty()) inputs.push_back("-");
  bool have_offset = false;
  int64_t offset = 0;
  Point shifted;
  std::vector<char> buf(1 << 20);
  absl::Time last_progress = absl::Now();
  const int64_t now_ns = absl::ToUnixNanos(absl::Now());

  for (const std::string& path : inputs) {
    if (options.stop != nullptr && options.stop->load()) {
      result.stopped = true;
      break;
    }
    ReaderOptions ro;
    ro.filename = path == "-" ? "<stdin>" : path;
    if (options.format) {
      ro.format = *options.format;
    } else {
      ro.format = path.size() > 5 && path.compare(path.size() - 5, 5, ".srpl") == 0
                      ? LineFormat::kSrpl
                      : LineFormat::kLineProtocol;
    }
    ro.precision = options.precision;
    if (options.dbrp) {
      ro.database = options.dbrp->db;
      ro.retention_policy = options.dbrp->rp;
    } else if (!task.dbrps().empty()) {
      ro.database = task.dbrps()[0].db;
      ro.retention_policy = task.dbrps()[0].rp;
    }
    ro.default_time = ro.format == LineFormat::kSrpl ? 0 : now_ns;
    int fd = 0;
    if (path != "-") {
      fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        return absl::Status(
            absl::ErrnoToStatusCode(errno),
            absl::StrCat("cannot open input \"", path, "\": ", std::strerror(errno)));
      }
    }
    LineProtocolReader reader(ro);
    auto on_point = [&](const Point& p) {
      ++result.points;
      if (options.rebase_ns) {
        if (!have_offset) {
          offset = *options.rebase_ns - p.time();
          have_offset = true;
        }
        shifted = p;
        shifted.set_time(p.time() + offset);
        task.Push(shifted);
      } else {
        task.Push(p);
      }
    };
    auto on_error = [&](std::string_view diag) {
      ++result.parse_errors;
      if (options.on_error) options.on_error(diag);
    };
    absl::Status io;
    for (;;) {
      if (options.stop != nullptr && options.stop->load()) {
        result.stopped = true;
        break;
      }
      const ssize_t n = ::read(fd, buf.data(), buf.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        io = absl::Status(absl::ErrnoToStatusCode(errno),
                          absl::StrCat("reading \"", path, "\": ", std::strerror(errno)));
        break;
      }
      if (n == 0) break;
      result.bytes += static_cast<uint64_t>(n);
      reader.Feed(std::string_view(buf.data(), static_cast<size_t>(n)), on_point, on_error);
      if (options.progress) {
        const absl::Time now = absl::Now();
        if (now - last_progress >= absl::Milliseconds(100)) {
          last_progress = now;
          options.progress(result.bytes, result.points);
        }
      }
    }
    reader.Finish(on_point, on_error);
    if (fd != 0) ::close(fd);
    if (!io.ok()) return io;
    if (result.stopped) break;
  }
  if (options.progress) options.progress(result.bytes, result.points);
  return result;
}

}  // namespace tick::nodes
