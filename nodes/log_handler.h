// File: nodes/log_handler.h
//
// The alert node's `.log('/path')` handler (Kapacitor services/alert/handlers.go, log handler):
// every event's JSON line (AppendEventJson, with its trailing newline) is appended to the file.
// The file is created with mode `.mode(0644)` or 0600 by default (the mode only applies when
// the file is created, as with Go's os.OpenFile); the path must be absolute.
//
//   interp::HandlerSpec spec;  // kind "log", options path (string) and optional mode (int)
//   TICK_ASSIGN_OR_RETURN(std::unique_ptr<AlertHandler> h, CreateLogHandler(spec));
#ifndef TICK_NODES_LOG_HANDLER_H_
#define TICK_NODES_LOG_HANDLER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "interpreter/handler_spec.h"
#include "nodes/alert_handler.h"

namespace tick::nodes {

inline constexpr int kDefaultLogHandlerMode = 0600;

// Opens (creating, appending) the file. Errors: InvalidArgument for a missing/relative path or a
// bad mode/unknown option; the OS error (e.g. kPermissionDenied/kNotFound) when it cannot open.
absl::StatusOr<std::unique_ptr<AlertHandler>> CreateLogHandler(const interp::HandlerSpec& spec);

}  // namespace tick::nodes

#endif  // TICK_NODES_LOG_HANDLER_H_
