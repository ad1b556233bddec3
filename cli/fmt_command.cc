// File: cli/fmt_command.cc
//
// `tickrun fmt [-w] FILE...`: canonical formatting of TICKscripts, as Kapacitor's tickfmt.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "base/strings.h"
#include "cli/command.h"
#include "grammar/formatter.h"
#include "grammar/parser.h"

namespace tick::cli {
namespace {

constexpr char kUsage[] =
    "usage: tickrun fmt [-w] FILE...\n"
    "\n"
    "Formats each TICKscript FILE canonically, as Kapacitor's tickfmt does: one statement per\n"
    "paragraph, each '|node()' on its own line indented one tab, each '.property()' on its own\n"
    "line indented two tabs, comments kept, canonical spacing in expressions, strings\n"
    "single-quoted. Formatting is idempotent.\n"
    "\n"
    "Without -w the formatted scripts are printed to stdout, in order. Files that do not parse\n"
    "are reported on stderr and left untouched.\n"
    "\n"
    "options:\n"
    "  -w          rewrite each FILE in place (only when its formatting changes)\n"
    "  -h, --help  show this help\n"
    "\n"
    "exit codes: 0 ok, 1 parse or I/O errors, 2 usage errors\n";

int Run(const std::vector<std::string>& args);

TICK_REGISTER_COMMAND(fmt, "fmt", "format TICKscripts canonically (like tickfmt)", kUsage, &Run,
                      30);

const Command& Self() {
  for (const Command& c : Commands()) {
    if (std::string_view(c.name) == "fmt") return c;
  }
  std::abort();
}

int Run(const std::vector<std::string>& args) {
  bool write = false;
  std::vector<std::string> files;
  for (const std::string& a : args) {
    if (a == "-w") {
      write = true;
    } else if (a.size() > 1 && a[0] == '-') {
      return UsageError(Self(), "unknown option '" + a + "'");
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) return UsageError(Self(), "no FILE given");

  int rc = kExitOk;
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "tickrun fmt: cannot read \"%s\"\n", file.c_str());
      rc = kExitInputErrors;
      continue;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    absl::StatusOr<ast::Script> script = grammar::ParseScript(text, file);
    if (!script.ok()) {
      std::fprintf(stderr, "%s\n", std::string(Sv(script.status().message())).c_str());
      rc = kExitInputErrors;
      continue;
    }
    const std::string formatted = grammar::FormatScript(*script);
    if (!write) {
      std::fwrite(formatted.data(), 1, formatted.size(), stdout);
      continue;
    }
    if (formatted == text) continue;
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << formatted;
    if (!out) {
      std::fprintf(stderr, "tickrun fmt: cannot write \"%s\"\n", file.c_str());
      rc = kExitInputErrors;
    }
  }
  return rc;
}

}  // namespace
}  // namespace tick::cli
