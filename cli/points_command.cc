// `tickrun points`: parse line protocol (or a .srpl recording) and print each point canonically.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command.h"
#include "nodes/line_protocol.h"
#include "nodes/point.h"

namespace tick::cli {
namespace {

constexpr char kUsage[] =
    "usage: tickrun points FILE|- [--precision P] [--format lp|srpl] [--dbrp DB.RP]\n"
    "\n"
    "Parses InfluxDB line protocol (or a Kapacitor .srpl recording) and prints every point in\n"
    "canonical form, one per line, as `DB.RP <line protocol>` (\"\" for an empty database or\n"
    "retention policy): tags and fields sorted by key, integers with `i`, unsigned integers with\n"
    "`u`, floats always with a '.' or an exponent, the timestamp in nanoseconds.\n"
    "Malformed lines are reported on stderr as `FILE:LINE:COL: error: ...` with the line and a\n"
    "caret, and skipped. A summary `points: N, errors: M` goes to stderr at the end.\n"
    "\n"
    "arguments:\n"
    "  FILE               the input file; `-` reads standard input (named `input` in errors)\n"
    "\n"
    "options:\n"
    "  --precision P      timestamp unit: ns (or n), us (or u), ms, s, m, h\n"
    "                     (default: ns for lp, s for srpl)\n"
    "  --format lp|srpl   input format (default: srpl if FILE ends in .srpl, else lp)\n"
    "  --dbrp DB.RP       database and retention policy for lp points (default: none);\n"
    "                     the first '.' separates them\n"
    "  --help             show this text\n"
    "\n"
    "Points without a timestamp get the current time (lp) or the zero time (srpl).\n"
    "\n"
    "exit codes: 0 all input parsed, 1 some lines had errors (or reading failed),\n"
    "            2 usage error (unknown flag, bad value, missing or unopenable FILE)\n";

int Run(const std::vector<std::string>& args);

TICK_REGISTER_COMMAND(points, "points", "parse line protocol or .srpl input and print the points",
                      kUsage, &Run, 20);

const Command& Self() {
  for (const Command& c : Commands()) {
    if (std::string_view(c.name) == "points") return c;
  }
  static const Command fallback{"points", "", kUsage, &Run, 20};
  return fallback;
}

int Run(const std::vector<std::string>& args) {
  std::optional<std::string> file;
  nodes::ReaderOptions options;
  std::optional<nodes::LineFormat> format;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string_view flag) -> std::optional<std::string> {
      const std::string prefix = std::string(flag) + "=";
      if (a.rfind(prefix, 0) == 0) return a.substr(prefix.size());
      if (a == flag) {
        if (i + 1 >= args.size()) return std::nullopt;
        return args[++i];
      }
      return std::nullopt;
    };
    auto is_flag = [&](std::string_view flag) {
      return a == flag || a.rfind(std::string(flag) + "=", 0) == 0;
    };
    if (is_flag("--precision")) {
      std::optional<std::string> v = value("--precision");
      if (!v) return UsageError(Self(), "missing value for --precision");
      options.precision = nodes::ParsePrecision(*v);
      if (!options.precision) {
        return UsageError(Self(),
                          "invalid precision '" + *v + "' (expected ns, n, us, u, ms, s, m or h)");
      }
    } else if (is_flag("--format")) {
      std::optional<std::string> v = value("--format");
      if (!v) return UsageError(Self(), "missing value for --format");
      if (*v == "lp") {
        format = nodes::LineFormat::kLineProtocol;
      } else if (*v == "srpl") {
        format = nodes::LineFormat::kSrpl;
      } else {
        return UsageError(Self(), "invalid format '" + *v + "' (expected lp or srpl)");
      }
    } else if (is_flag("--dbrp")) {
      std::optional<std::string> v = value("--dbrp");
      if (!v) return UsageError(Self(), "missing value for --dbrp");
      const size_t dot = v->find('.');
      if (dot == std::string::npos || dot == 0 || dot + 1 == v->size()) {
        return UsageError(Self(), "invalid --dbrp '" + *v + "' (expected DB.RP)");
      }
      options.database = v->substr(0, dot);
      options.retention_policy = v->substr(dot + 1);
    } else if (a.size() > 1 && a[0] == '-') {
      return UsageError(Self(), "unknown flag '" + a + "'");
    } else if (file) {
      return UsageError(Self(), "more than one input file ('" + *file + "' and '" + a + "')");
    } else {
      file = a;
    }
  }
  if (!file) return UsageError(Self(), "missing input FILE (use - for standard input)");

  const bool is_stdin = *file == "-";
  if (!format) {
    const bool srpl = file->size() > 5 && file->compare(file->size() - 5, 5, ".srpl") == 0;
    format = srpl ? nodes::LineFormat::kSrpl : nodes::LineFormat::kLineProtocol;
  }
  options.format = *format;
  options.filename = is_stdin ? "input" : *file;
  if (options.format == nodes::LineFormat::kLineProtocol) {
    options.default_time = std::chrono::duration_cast<std::chrono::nanoseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  }

  int fd = 0;
  if (!is_stdin) {
    fd = ::open(file->c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      std::fprintf(stderr, "tickrun points: cannot open '%s': %s\n", file->c_str(),
                   std::strerror(errno));
      return kExitUsage;
    }
  }

  nodes::LineProtocolReader reader(options);
  std::string out;
  out.reserve(1 << 16);
  auto flush = [&] {
    std::fwrite(out.data(), 1, out.size(), stdout);
    out.clear();
  };
  const absl::Status status = reader.ReadFd(
      fd,
      [&](const nodes::Point& p) {
        out.append(nodes::DebugString(p));
        out.push_back('\n');
        if (out.size() > (1 << 16)) flush();
      },
      [&](std::string_view diagnostic) {
        flush();
        std::fflush(stdout);
        std::fprintf(stderr, "%.*s\n", static_cast<int>(diagnostic.size()), diagnostic.data());
      });
  flush();
  std::fflush(stdout);
  if (!is_stdin) ::close(fd);
  if (!status.ok()) {
    std::fprintf(stderr, "tickrun points: %.*s\n", static_cast<int>(status.message().size()),
                 status.message().data());
  }
  std::fprintf(stderr, "points: %llu, errors: %llu\n",
               static_cast<unsigned long long>(reader.stats().points),
               static_cast<unsigned long long>(reader.stats().errors));
  return (reader.stats().errors > 0 || !status.ok()) ? kExitInputErrors : kExitOk;
}

}  // namespace
}  // namespace tick::cli
