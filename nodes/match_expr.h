// File: nodes/match_expr.h
//
// Topic-handler `match` expressions (Kapacitor services/alert/handlers.go matchHandler): a
// lambda body without `lambda:`, e.g. `level() >= WARNING AND "host" == 'serverA'`.
//
//   identifiers   OK INFO WARNING CRITICAL (the ints 0..3); any other → `unknown identifier "x"`
//   functions     level() (int), changed() (bool: level != previous level), name() (string: the
//                 measurement), taskName() (string), alertDuration() (duration; Kapacitor's own
//                 spelling `duration()` with no argument is accepted too), plus every lambda
//                 built-in; these five take no arguments (`level takes no arguments`)
//   references    "t" = the event's tag t; a missing tag is an evaluation error
//                 `no tag exists for t` (the handler is skipped for that event)
//
// Compiled once with the lambda engine: the five functions are rewritten into reserved slots.
#ifndef TICK_NODES_MATCH_EXPR_H_
#define TICK_NODES_MATCH_EXPR_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "interpreter/lambda.h"
#include "interpreter/value.h"
#include "nodes/alert_event.h"

namespace tick::nodes {

class MatchExpr final {
 public:
  // Errors (InvalidArgument): `invalid match expression: <line>:<col>: <syntax error>`,
  // `unknown identifier "x"`, `level takes no arguments`, and the lambda compiler's errors
  // prefixed with `invalid match expression: `.
  static absl::StatusOr<MatchExpr> Compile(std::string_view text);

  // True when the event matches. Errors: a missing tag (`no tag exists for t`), a non-boolean
  // result or any evaluation error (Kapacitor's message). Not thread-safe (own scratch/state).
  absl::StatusOr<bool> Matches(const AlertEventData& event, std::string_view task_name);

  const std::string& text() const { return text_; }

 private:
  MatchExpr() = default;
  enum class Slot : uint8_t { kTag, kLevel, kChanged, kName, kTaskName, kDuration };
  std::string text_;
  interp::CompiledLambda lambda_;
  std::vector<Slot> slot_kinds_;
  std::vector<interp::Value> slots_;
  std::shared_ptr<interp::EvalState> state_;
  std::shared_ptr<interp::EvalScratch> scratch_;
};

}  // namespace tick::nodes

#endif  // TICK_NODES_MATCH_EXPR_H_
