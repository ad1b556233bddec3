// File: interpreter/task_builder.h
//
// BuildTaskSpec: a parsed TICKscript → a TaskSpec (interpreter/task_spec.h), the equivalent of
// Kapacitor's script evaluation (tick/eval.go) into a pipeline plus node validation.
//
//   TICK_ASSIGN_OR_RETURN(ast::Script script, grammar::ParseScript(text, "cpu.tick"));
//   TaskBuildOptions opts;
//   opts.task_name = "cpu";
//   opts.details_funcs = &details_funcs;   // Kapacitor's `json` (nodes::AddAlertDetailsFuncs)
//   TICK_ASSIGN_OR_RETURN(TaskSpec spec, BuildTaskSpec(script, opts));
//
// Runs the checker first (interp::CheckScript) so that every script error is reported with its
// position, then evaluates vars, follows chains (including var chains and forks), compiles
// every lambda, parses the alert templates (a template error is reported at its position inside
// the script's string literal) and collects handler specs. Nodes and features tickrun does not
// run are InvalidArgument errors "... is not supported by tickrun".
#ifndef TICK_INTERPRETER_TASK_BUILDER_H_
#define TICK_INTERPRETER_TASK_BUILDER_H_

#include <string>

#include "absl/status/statusor.h"
#include "grammar/ast.h"
#include "interpreter/checker.h"
#include "interpreter/task_spec.h"
#include "interpreter/template.h"

namespace tick::interp {

struct TaskBuildOptions {
  // `.TaskName` in templates.
  std::string task_name;
  // Options of the semantic checks run first.
  CheckOptions check;
  // Functions of the html-mode details template (Kapacitor's `json`); must outlive the spec.
  // Null: no functions (a details template using `json` is then an error).
  const FuncMap* details_funcs = nullptr;
};

// Errors: InvalidArgument with formatted diagnostics (file:line:col: error: ...).
absl::StatusOr<TaskSpec> BuildTaskSpec(const ast::Script& script, const TaskBuildOptions& options);

}  // namespace tick::interp

#endif  // TICK_INTERPRETER_TASK_BUILDER_H_
