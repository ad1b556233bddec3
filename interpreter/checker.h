// File: interpreter/checker.h
//
// Semantic checks of a parsed TICKscript, before any pipeline is built: the equivalent of
// Kapacitor's script evaluation (tick/eval.go) and node validation, reported as compiler errors.
//
//   TICK_ASSIGN_OR_RETURN(ast::Script script, grammar::ParseScript(text, "cpu.tick"));
//   TICK_RETURN_IF_ERROR(interp::CheckScript(script, {}));
//
// Checked: unknown nodes and methods (with did-you-mean), `|` vs `.` misuse, argument counts and
// kinds (exact, no int->float coercion), undefined and redefined vars, invalid var types, invalid
// constant values (flapping thresholds, partition algorithms, log handler paths, eval `.as()`
// counts, ...), kafka clusters against the configured ones, and features tickrun recognises but
// does not run (batch, UDFs, most nodes and handlers).
//
// All problems are collected (at most kMaxDiagnostics, the earliest by position), sorted by
// position and returned as ONE kInvalidArgument status whose message is the formatted diagnostics
// joined by '\n', each `file:line:col: error: message` + source line + caret line.
#ifndef TICK_INTERPRETER_CHECKER_H_
#define TICK_INTERPRETER_CHECKER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "base/source.h"
#include "grammar/ast.h"

namespace tick::interp {

inline constexpr size_t kMaxDiagnostics = 20;

struct CheckOptions {
  // The ids of the enabled kafka clusters (from kapacitor.conf). nullopt: unknown (no config
  // given), cluster ids are not checked.
  std::optional<std::vector<std::string>> kafka_clusters;
  // When true, a `.kafka()` handler without `.cluster()` is accepted if exactly one cluster is
  // enabled (it is used). When false `.cluster()` is always required (as in Kapacitor).
  bool allow_omitted_cluster = true;
  // When true (default), lambdas and `var` values whose names all resolve are also compiled by
  // the lambda engine (interpreter/lambda.h), which reports static type errors, unknown
  // functions and invalid constant folding. Costs a few µs per lambda.
  bool compile_lambdas = true;
};

// Runs every check; OK when the script is clean.
absl::Status CheckScript(const ast::Script& script, const CheckOptions& options = {});

// The same checks, returning the diagnostics (sorted by offset, at most kMaxDiagnostics).
std::vector<Diagnostic> CheckScriptDiagnostics(const ast::Script& script,
                                               const CheckOptions& options = {});

}  // namespace tick::interp

#endif  // TICK_INTERPRETER_CHECKER_H_
