// File: base/status_macros.h
//
// TICK_RETURN_IF_ERROR / TICK_ASSIGN_OR_RETURN over absl::Status and absl::StatusOr.
// Abseil 20220623 (Debian 12) has no ABSL_RETURN_IF_ERROR, so tickrun defines its own; the names
// are chosen so they can later become aliases of the upstream macros.
//
// Example:
//   absl::StatusOr<Script> Load(std::string_view path) {
//     TICK_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
//     TICK_RETURN_IF_ERROR(Validate(text));
//     return ParseScript(text, path);
//   }
#ifndef TICK_BASE_STATUS_MACROS_H_
#define TICK_BASE_STATUS_MACROS_H_

#include <utility>

#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define TICK_INTERNAL_CONCAT_IMPL(a, b) a##b
#define TICK_INTERNAL_CONCAT(a, b) TICK_INTERNAL_CONCAT_IMPL(a, b)

// Evaluates `expr` (an absl::Status); returns it from the enclosing function when not OK.
#define TICK_RETURN_IF_ERROR(expr)                        \
  do {                                                    \
    ::absl::Status tick_status_internal = (expr);         \
    if (ABSL_PREDICT_FALSE(!tick_status_internal.ok())) { \
      return tick_status_internal;                        \
    }                                                     \
  } while (false)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status, otherwise moves the
// value into `lhs`, which may be a declaration (`auto x`, `std::string s`) or an lvalue.
#define TICK_ASSIGN_OR_RETURN(lhs, rexpr) \
  TICK_INTERNAL_ASSIGN_OR_RETURN(TICK_INTERNAL_CONCAT(tick_statusor_, __LINE__), lhs, rexpr)

#define TICK_INTERNAL_ASSIGN_OR_RETURN(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                   \
  if (ABSL_PREDICT_FALSE(!statusor.ok())) {                  \
    return std::move(statusor).status();                     \
  }                                                          \
  lhs = std::move(statusor).value()

#endif  // TICK_BASE_STATUS_MACROS_H_
