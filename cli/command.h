// File: cli/command.h
//
// The `tickrun` subcommand registry. Each subcommand lives in its own cli/<name>_command.cc and
// registers itself with TICK_REGISTER_COMMAND; cli/main.cc dispatches and prints `--help`.
//
// Exit codes shared by every subcommand:
//   0 ok, 1 script/input/config errors, 2 usage errors, 3 alerts that failed delivery.
#ifndef TICK_CLI_COMMAND_H_
#define TICK_CLI_COMMAND_H_

#include <string>
#include <string_view>
#include <vector>

namespace tick::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInputErrors = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitDeliveryFailed = 3;

struct Command {
  const char* name;
  const char* summary;                               // one line for `tickrun --help`
  const char* usage;                                 // full text for `tickrun NAME --help`
  int (*run)(const std::vector<std::string>& args);  // args after the subcommand name
  int order;                                         // position in `tickrun --help`
};

bool RegisterCommand(const Command& c);
const std::vector<Command>& Commands();

// Prints "tickrun NAME: MESSAGE" and the usage line to stderr; returns kExitUsage.
int UsageError(const Command& c, std::string_view message);

}  // namespace tick::cli

#define TICK_REGISTER_COMMAND(var, ...) \
  static const bool var##_registered =  \
      ::tick::cli::RegisterCommand(::tick::cli::Command{__VA_ARGS__})

#endif  // TICK_CLI_COMMAND_H_
