// File: cli/check_command.cc
//
// `tickrun check [--config kapacitor.conf] FILE...`: parses and semantically checks each script,
// printing compiler-style diagnostics to stderr and `FILE: ok` to stdout for clean files.
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "base/strings.h"
#include "cli/command.h"
#include "grammar/parser.h"
#include "interpreter/checker.h"
#include "kafka/config.h"
#include "nodes/handler_file.h"
#include "nodes/kafka_handler.h"

namespace tick::cli {
namespace {

constexpr char kUsage[] =
    "usage: tickrun check [--config kapacitor.conf] [--handlers FILE|DIR]... FILE...\n"
    "\n"
    "Parses each TICKscript FILE and runs tickrun's semantic checks: unknown nodes and\n"
    "properties (with did-you-mean suggestions), '|' versus '.' misuse, argument counts and\n"
    "kinds, undefined or redefined vars, invalid constant values (flapping thresholds, kafka\n"
    "partition algorithms, log handler paths, eval .as() names, ...), and features tickrun does\n"
    "not run (batch tasks, UDFs, most nodes and handlers). Up to 20 errors are reported per\n"
    "file, sorted by position, as\n"
    "\n"
    "  cpu.tick:3:10: error: no method or property \"critt\" on alert; did you mean \"crit\"?\n"
    "  <source line>\n"
    "  <caret line>\n"
    "\n"
    "Diagnostics go to stderr; each clean file prints \"FILE: ok\" on stdout.\n"
    "\n"
    "options:\n"
    "  --config PATH   kapacitor.conf whose enabled [[kafka]] clusters the scripts may use:\n"
    "                  .cluster('id') must name one of them; a .kafka() handler without\n"
    "                  .cluster() is accepted when exactly one cluster is enabled. Without\n"
    "                  --config, cluster ids are not checked.\n"
    "  --handlers P    topic-handler files (YAML/JSON, as `kapacitor define-topic-handler`\n"
    "                  reads them; a directory loads its .yaml/.yml/.json files) to validate:\n"
    "                  keys, id/topic patterns, kinds, options, match expressions and, with\n"
    "                  --config, the kafka cluster. Prints \"FILE: ok\" for each clean file.\n"
    "  -h, --help      show this help\n"
    "\n"
    "exit codes: 0 all files clean, 1 script or config errors, 2 usage errors\n";

int Run(const std::vector<std::string>& args);

TICK_REGISTER_COMMAND(check, "check", "parse and check TICKscripts, reporting all errors", kUsage,
                      &Run, 20);

const Command& Self() {
  for (const Command& c : Commands()) {
    if (std::string_view(c.name) == "check") return c;
  }
  std::abort();
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

// Validates topic-handler files; prints diagnostics to stderr and "FILE: ok" per clean file.
bool CheckHandlers(const std::vector<std::string>& paths, const interp::CheckOptions& options) {
  absl::StatusOr<std::vector<nodes::TopicHandlerSpec>> specs = nodes::LoadHandlerPaths(paths);
  if (!specs.ok()) {
    std::fprintf(stderr, "%s\n", std::string(Sv(specs.status().message())).c_str());
    return false;
  }
  bool ok = true;
  for (const nodes::TopicHandlerSpec& h : *specs) {
    absl::Status status;
    if (h.spec.kind == "kafka" && options.kafka_clusters.has_value()) {
      absl::StatusOr<nodes::KafkaHandlerConfig> k =
          nodes::ParseKafkaHandlerSpec(h.spec, *options.kafka_clusters);
      if (!k.ok()) {
        uint32_t where = h.spec.where.begin;
        if (auto option = k.status().GetPayload(nodes::kHandlerOptionPayloadUrl)) {
          if (const interp::HandlerOption* o = h.spec.Find(std::string(*option))) {
            where = o->where.begin;
          }
        }
        status =
            absl::InvalidArgumentError(Sv(h.source->FormatError(where, Sv(k.status().message()))));
      }
    }
    if (!status.ok()) {
      std::fprintf(stderr, "%s\n", std::string(Sv(status.message())).c_str());
      ok = false;
      continue;
    }
    std::printf("%s: ok\n", h.spec.origin.c_str());
  }
  return ok;
}

int Run(const std::vector<std::string>& args) {
  std::optional<std::string> config;
  std::vector<std::string> files;
  std::vector<std::string> handler_paths;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--config") {
      if (i + 1 >= args.size()) return UsageError(Self(), "--config needs a PATH");
      config = args[++i];
    } else if (a.rfind("--config=", 0) == 0) {
      config = a.substr(9);
    } else if (a == "--handlers") {
      if (i + 1 >= args.size()) return UsageError(Self(), "--handlers needs a FILE or DIR");
      handler_paths.push_back(args[++i]);
    } else if (a.rfind("--handlers=", 0) == 0) {
      handler_paths.push_back(a.substr(11));
    } else if (a.size() > 1 && a[0] == '-') {
      return UsageError(Self(), "unknown option '" + a + "'");
    } else {
      files.push_back(a);
    }
  }
  if (files.empty() && handler_paths.empty()) return UsageError(Self(), "no FILE given");

  interp::CheckOptions options;
  if (config) {
    absl::StatusOr<std::vector<kafka::ClusterConfig>> clusters = kafka::LoadConfigFile(*config);
    if (!clusters.ok()) {
      std::fprintf(stderr, "%s\n", std::string(Sv(clusters.status().message())).c_str());
      return kExitInputErrors;
    }
    std::vector<std::string> ids;
    for (const kafka::ClusterConfig& c : *clusters) {
      if (c.enabled) ids.push_back(c.id);
    }
    options.kafka_clusters = std::move(ids);
  }

  int rc = kExitOk;
  if (!handler_paths.empty()) {
    if (!CheckHandlers(handler_paths, options)) rc = kExitInputErrors;
  }
  for (const std::string& file : files) {
    std::string text;
    if (!ReadFile(file, &text)) {
      std::fprintf(stderr, "tickrun check: cannot read \"%s\"\n", file.c_str());
      rc = kExitInputErrors;
      continue;
    }
    absl::StatusOr<ast::Script> script = grammar::ParseScript(text, file);
    absl::Status status = script.ok() ? interp::CheckScript(*script, options) : script.status();
    if (!status.ok()) {
      std::fprintf(stderr, "%s\n", std::string(Sv(status.message())).c_str());
      rc = kExitInputErrors;
      continue;
    }
    std::printf("%s: ok\n", file.c_str());
  }
  return rc;
}

}  // namespace
}  // namespace tick::cli
