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

namespace tick::cli {
namespace {

constexpr char kUsage[] =
    "usage: tickrun check [--config kapacitor.conf] FILE...\n"
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

int Run(const std::vector<std::string>& args) {
  std::optional<std::string> config;
  std::vector<std::string> files;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--config") {
      if (i + 1 >= args.size()) return UsageError(Self(), "--config needs a PATH");
      config = args[++i];
    } else if (a.rfind("--config=", 0) == 0) {
      config = a.substr(9);
    } else if (a.size() > 1 && a[0] == '-') {
      return UsageError(Self(), "unknown option '" + a + "'");
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) return UsageError(Self(), "no FILE given");

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
