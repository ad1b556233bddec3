// tickrun: Kapacitor TICKscript alerting in C++. See README.md and `tickrun --help`.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cli/command.h"

namespace tick::cli {

namespace {
std::vector<Command>& Registry() {
  static std::vector<Command> commands;
  return commands;
}
}  // namespace

bool RegisterCommand(const Command& c) {
  Registry().push_back(c);
  std::stable_sort(Registry().begin(), Registry().end(),
                   [](const Command& a, const Command& b) { return a.order < b.order; });
  return true;
}

const std::vector<Command>& Commands() { return Registry(); }

int UsageError(const Command& c, std::string_view message) {
  std::fprintf(stderr, "tickrun %s: %.*s\n\n%s", c.name, static_cast<int>(message.size()),
               message.data(), c.usage);
  return kExitUsage;
}

namespace {

void PrintHelp(FILE* out) {
  std::fprintf(out,
               "tickrun - Kapacitor TICKscript alerting, with a first-class Kafka handler\n\n"
               "usage: tickrun COMMAND [ARGS...]\n"
               "       tickrun COMMAND --help\n\n"
               "commands:\n");
  for (const Command& c : Commands()) std::fprintf(out, "  %-8s %s\n", c.name, c.summary);
  std::fprintf(out,
               "\nexit codes: 0 ok, 1 script/input/config errors, 2 usage, 3 alerts failed "
               "delivery\n");
}

}  // namespace
}  // namespace tick::cli

int main(int argc, char** argv) {
  using namespace tick::cli;
  if (argc < 2) {
    PrintHelp(stderr);
    return kExitUsage;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    PrintHelp(stdout);
    return kExitOk;
  }
  if (name == "--version") {
    std::printf("tickrun 0.1.0\n");
    return kExitOk;
  }
  for (const Command& c : Commands()) {
    if (name != c.name) continue;
    std::vector<std::string> args(argv + 2, argv + argc);
    for (const std::string& a : args) {
      if (a == "--help" || a == "-h") {
        std::fputs(c.usage, stdout);
        return kExitOk;
      }
    }
    return c.run(args);
  }
  std::fprintf(stderr, "tickrun: unknown command '%s'\n\n", name.c_str());
  PrintHelp(stderr);
  return kExitUsage;
}
