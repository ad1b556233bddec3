// File: cli/run_command.cc
//
// `tickrun run SCRIPT.tick [options]`: runs a TICKscript stream task over line-protocol (or
// .srpl) input and writes the alert events, with a summary on stderr. The pipeline itself is
// nodes::TickTask / nodes::RunInputs (nodes/tickrun.h), shared with the golden tests.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "base/strings.h"
#include "cli/command.h"
#include "cli/kafka_runtime.h"
#include "nodes/line_protocol.h"
#include "nodes/tickrun.h"

namespace tick::cli {
namespace {

constexpr char kUsage[] =
    "usage: tickrun run SCRIPT.tick [--input FILE|-]... [--format lp|srpl]\n"
    "                   [--precision ns|us|ms|s|m|h] [--dbrp DB.RP] [--task-name NAME]\n"
    "                   [--rebase-time RFC3339] [--alerts FILE|-] [--config FILE]\n"
    "                   [--embedded-kafka] [--kafka-dump FILE] [--handlers FILE|DIR]...\n"
    "\n"
    "Runs the stream task SCRIPT.tick over InfluxDB line protocol (or Kapacitor .srpl\n"
    "recordings) and emits its alerts exactly as Kapacitor would.\n"
    "\n"
    "options:\n"
    "  --input FILE|-        input file (repeatable, read in order); default: stdin\n"
    "  --format lp|srpl      input format; default: srpl for *.srpl files, else lp\n"
    "  --precision P         timestamp unit: ns (default for lp), us, ms, s (default for\n"
    "                        srpl), m, h\n"
    "  --dbrp DB.RP          database and retention policy of line-protocol points;\n"
    "                        default: the script's first dbrp statement. Points whose\n"
    "                        db/rp match none of the script's dbrps are skipped\n"
    "  --task-name NAME      .TaskName in templates; default: SCRIPT without extension\n"
    "  --rebase-time T       shift all times so the first point lands on T (RFC3339),\n"
    "                        like `kapacitor replay` without recorded times\n"
    "  --alerts FILE|-       write every alert event as a JSON line (- = stdout)\n"
    "  --config FILE         kapacitor.conf with [[kafka]] clusters for .kafka() handlers\n"
    "  --embedded-kafka      start an in-process Kafka mock cluster for the handlers\n"
    "  --kafka-dump FILE     write what the embedded cluster received (- = stdout)\n"
    "  --handlers FILE|DIR   topic-handler files (YAML/JSON) for .topic() events\n"
    "  -h, --help            show this help\n"
    "\n"
    "A summary (points read, dropped with reasons, alerts by level, handler deliveries) is\n"
    "printed to stderr at the end; on a terminal a progress line is shown while reading.\n"
    "SIGINT/SIGTERM stop reading, flush the handlers and print the summary.\n"
    "\n"
    "exit codes: 0 ok, 1 script or input errors, 2 usage errors, 3 alerts failed delivery\n";

int Run(const std::vector<std::string>& args);

TICK_REGISTER_COMMAND(run, "run", "run a TICKscript over line protocol and emit its alerts", kUsage,
                      &Run, 10);

const Command& Self() {
  for (const Command& c : Commands()) {
    if (std::string_view(c.name) == "run") return c;
  }
  std::abort();
}

std::atomic<bool> g_stop{false};

void OnSignal(int) { g_stop.store(true); }

bool ReadWholeFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

std::string HumanCount(double v) {
  if (v >= 1e6) return absl::StrFormat("%.2f M", v / 1e6);
  if (v >= 1e3) return absl::StrFormat("%.1f k", v / 1e3);
  return absl::StrFormat("%.0f ", v);
}

int Run(const std::vector<std::string>& args) {
  std::string script_path;
  nodes::RunInputOptions run;
  std::string task_name;
  std::optional<std::string> alerts_path;
  KafkaRunOptions kafka_opts;
  bool want_kafka = false;

  for (size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i];
    std::optional<std::string> inline_value;
    if (a.rfind("--", 0) == 0) {
      const size_t eq = a.find('=');
      if (eq != std::string::npos) {
        inline_value = a.substr(eq + 1);
        a = a.substr(0, eq);
      }
    }
    auto value = [&](std::string* out) -> bool {
      if (inline_value) {
        *out = *inline_value;
        return true;
      }
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    std::string v;
    if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      return kExitOk;
    } else if (a == "--input") {
      if (!value(&v)) return UsageError(Self(), "--input needs a FILE (or -)");
      run.inputs.push_back(v);
    } else if (a == "--format") {
      if (!value(&v)) return UsageError(Self(), "--format needs lp or srpl");
      if (v == "lp") {
        run.format = nodes::LineFormat::kLineProtocol;
      } else if (v == "srpl") {
        run.format = nodes::LineFormat::kSrpl;
      } else {
        return UsageError(Self(), "--format must be lp or srpl, got '" + v + "'");
      }
    } else if (a == "--precision") {
      if (!value(&v)) return UsageError(Self(), "--precision needs a unit");
      run.precision = nodes::ParsePrecision(v);
      if (!run.precision) {
        return UsageError(Self(),
                          "--precision must be one of ns, us, ms, s, m, h, got '" + v + "'");
      }
    } else if (a == "--dbrp") {
      if (!value(&v)) return UsageError(Self(), "--dbrp needs DB.RP");
      const size_t dot = v.find('.');
      if (dot == std::string::npos || dot == 0 || dot + 1 == v.size()) {
        return UsageError(Self(), "--dbrp must look like DB.RP, got '" + v + "'");
      }
      run.dbrp = interp::Dbrp{v.substr(0, dot), v.substr(dot + 1)};
    } else if (a == "--task-name") {
      if (!value(&task_name) || task_name.empty()) {
        return UsageError(Self(), "--task-name needs a NAME");
      }
    } else if (a == "--rebase-time") {
      if (!value(&v)) return UsageError(Self(), "--rebase-time needs an RFC3339 time");
      absl::Time t;
      std::string err;
      if (!absl::ParseTime(absl::RFC3339_full, v, &t, &err)) {
        return UsageError(Self(), "--rebase-time: invalid RFC3339 time '" + v + "'");
      }
      run.rebase_ns = absl::ToUnixNanos(t);
    } else if (a == "--alerts") {
      if (!value(&v)) return UsageError(Self(), "--alerts needs a FILE (or -)");
      alerts_path = v;
    } else if (a == "--config") {
      if (!value(&kafka_opts.config_path)) return UsageError(Self(), "--config needs a FILE");
      want_kafka = true;
    } else if (a == "--embedded-kafka") {
      kafka_opts.embedded = true;
      want_kafka = true;
    } else if (a == "--kafka-dump") {
      if (!value(&kafka_opts.dump_path)) return UsageError(Self(), "--kafka-dump needs a FILE");
      want_kafka = true;
    } else if (a == "--handlers") {
      if (!value(&v)) return UsageError(Self(), "--handlers needs a FILE or DIR");
      kafka_opts.handler_paths.push_back(v);
      want_kafka = true;
    } else if (a.size() > 1 && a[0] == '-') {
      return UsageError(Self(), "unknown option '" + a + "'");
    } else if (script_path.empty()) {
      script_path = a;
    } else {
      return UsageError(Self(), "only one SCRIPT may be given (extra '" + a + "')");
    }
  }
  if (script_path.empty()) return UsageError(Self(), "no SCRIPT given");

  std::string script;
  if (!ReadWholeFile(script_path, &script)) {
    std::fprintf(stderr, "tickrun run: cannot read \"%s\"\n", script_path.c_str());
    return kExitInputErrors;
  }

  nodes::CompileOptions copts;
  copts.task_name = task_name;
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) == 0) copts.hostname = host;

  std::unique_ptr<KafkaRuntime> kafka;
  if (want_kafka) {
    kafka_opts.task_name = task_name.empty() ? nodes::TaskNameFromPath(script_path) : task_name;
    absl::StatusOr<std::unique_ptr<KafkaRuntime>> k = KafkaRuntime::Start(kafka_opts);
    if (!k.ok()) {
      std::fprintf(stderr, "%s\n", std::string(Sv(k.status().message())).c_str());
      return kExitInputErrors;
    }
    kafka = std::move(*k);
    copts.handler_factory = kafka->handler_factory();
    copts.topic_sink = kafka->topic_sink();
    if (!kafka_opts.config_path.empty() || kafka_opts.embedded) {
      copts.kafka_clusters = kafka->enabled_cluster_ids();
    }
  }

  FILE* alerts_out = nullptr;
  bool close_alerts = false;
  if (alerts_path) {
    if (*alerts_path == "-") {
      alerts_out = stdout;
    } else {
      alerts_out = std::fopen(alerts_path->c_str(), "wb");
      if (alerts_out == nullptr) {
        std::fprintf(stderr, "tickrun run: cannot write \"%s\": %s\n", alerts_path->c_str(),
                     std::strerror(errno));
        return kExitInputErrors;
      }
      close_alerts = true;
    }
  }

  uint64_t alerts_written = 0;
  absl::StatusOr<std::unique_ptr<nodes::TickTask>> task = nodes::TickTask::Compile(
      script, script_path, copts, [&](const nodes::AlertEventData&, std::string_view json) {
        ++alerts_written;
        if (alerts_out != nullptr) std::fwrite(json.data(), 1, json.size(), alerts_out);
      });
  if (!task.ok()) {
    std::fprintf(stderr, "%s\n", std::string(Sv(task.status().message())).c_str());
    if (close_alerts) std::fclose(alerts_out);
    return kExitInputErrors;
  }

  struct sigaction sa;
  std::memset(&sa, 0, sizeof(sa));
  sa.sa_handler = &OnSignal;  // no SA_RESTART: a blocking read returns EINTR
  sigemptyset(&sa.sa_mask);
  struct sigaction old_int, old_term;
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);

  const bool tty = isatty(STDERR_FILENO) != 0;
  const absl::Time start = absl::Now();
  bool progress_shown = false;
  run.stop = &g_stop;
  run.on_error = [](std::string_view diag) {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(diag.size()), diag.data());
  };
  if (tty) {
    run.progress = [&](uint64_t bytes, uint64_t points) {
      const double secs = absl::ToDoubleSeconds(absl::Now() - start);
      if (secs < 0.5) return;
      progress_shown = true;
      std::fprintf(stderr, "\r%.1f MB, %spoints (%spoints/s), %llu alerts   ",
                   static_cast<double>(bytes) / 1e6,
                   HumanCount(static_cast<double>(points)).c_str(),
                   HumanCount(static_cast<double>(points) / secs).c_str(),
                   static_cast<unsigned long long>(alerts_written));
    };
  }
  absl::StatusOr<nodes::RunInputResult> result = nodes::RunInputs(**task, run);
  if (progress_shown) std::fputs("\r\033[K", stderr);
  const double secs = absl::ToDoubleSeconds(absl::Now() - start);

  int rc = kExitOk;
  if (!result.ok()) {
    std::fprintf(stderr, "tickrun run: %s\n", std::string(Sv(result.status().message())).c_str());
    rc = kExitInputErrors;
  }
  absl::Status closed = (*task)->Close(absl::Seconds(10));
  if (!closed.ok()) {
    std::fprintf(stderr, "tickrun run: %s\n", std::string(Sv(closed.message())).c_str());
  }
  if (alerts_out != nullptr) std::fflush(alerts_out);
  if (close_alerts) std::fclose(alerts_out);

  // Summary.
  const nodes::TaskStats stats = (*task)->stats();
  const nodes::RunInputResult r = result.ok() ? *result : nodes::RunInputResult{};
  std::string s = absl::StrFormat("tickrun run: task \"%s\": %d points read in %.3fs",
                                  (*task)->name(), r.points, secs);
  if (secs > 0 && r.points > 0) {
    absl::StrAppend(&s, " (", HumanCount(static_cast<double>(r.points) / secs), "points/s)");
  }
  if (r.stopped) absl::StrAppend(&s, ", interrupted");
  absl::StrAppend(&s, "\n");
  absl::StrAppend(&s, "  dropped: ", r.parse_errors, " parse errors, ", stats.skipped_dbrp,
                  " not matching the task's dbrps, ", stats.errors, " evaluation errors");
  if (!stats.errors_by_kind.empty()) {
    absl::StrAppend(&s, " (");
    bool first = true;
    for (const auto& [kind, n] : stats.errors_by_kind) {
      absl::StrAppend(&s, first ? "" : ", ", kind, ": ", n);
      first = false;
    }
    absl::StrAppend(&s, ")");
  }
  absl::StrAppend(&s, "\n  alerts: ", stats.events, " (OK ", stats.alerts_by_level[0], ", INFO ",
                  stats.alerts_by_level[1], ", WARNING ", stats.alerts_by_level[2], ", CRITICAL ",
                  stats.alerts_by_level[3], ")\n");
  uint64_t failed = 0;
  for (const auto& [name, hs] : (*task)->handler_stats()) {
    absl::StrAppend(&s, "  handler ", name, ": ", hs.events, " events, ", hs.delivered,
                    " delivered, ", hs.failed, " failed\n");
    if (name.rfind("log(", 0) == 0) failed += hs.failed;
  }
  std::fputs(s.c_str(), stderr);

  if (kafka != nullptr) {
    absl::StatusOr<uint64_t> kfailed = kafka->Finish(absl::Seconds(10), stderr);
    if (!kfailed.ok()) {
      std::fprintf(stderr, "tickrun run: %s\n",
                   std::string(Sv(kfailed.status().message())).c_str());
      if (rc == kExitOk) rc = kExitInputErrors;
    } else {
      failed += *kfailed;
    }
  }

  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  if (rc == kExitOk && r.parse_errors > 0) rc = kExitInputErrors;
  if (rc == kExitOk && failed > 0) rc = kExitDeliveryFailed;
  return rc;
}

}  // namespace
}  // namespace tick::cli
