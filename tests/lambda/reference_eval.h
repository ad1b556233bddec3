// File: tests/lambda/reference_eval.h
//
// A deliberately simple reference interpreter of lambda operators over the AST, written
// independently of the engine (no compile step, no specialisation, no folding), used by the
// differential test. Supports literals, references, unary and binary operators (no function
// calls). Errors are returned as Kapacitor's message text.
#ifndef TICK_TESTS_LAMBDA_REFERENCE_EVAL_H_
#define TICK_TESTS_LAMBDA_REFERENCE_EVAL_H_

#include <deque>
#include <map>
#include <string>

#include "grammar/ast.h"
#include "interpreter/value.h"

namespace tick::interp::testing {

struct RefResult {
  bool is_error = false;
  std::string error;  // message when is_error
  Value value;        // otherwise (strings point into the RefEvaluator)
};

class RefEvaluator {
 public:
  explicit RefEvaluator(std::map<std::string, Value> bindings) : bindings_(std::move(bindings)) {}
  // Evaluates a lambda body as CompiledLambda::Eval does (top-level result kind check included).
  RefResult EvalTop(const ast::Expr& e);

 private:
  RefResult Eval(const ast::Expr& e);
  // Kapacitor's Type(): kind, or an error.
  RefResult TypeOf(const ast::Expr& e, ValueKind* kind);

  std::map<std::string, Value> bindings_;
  std::deque<std::string> strings_;
};

}  // namespace tick::interp::testing

#endif  // TICK_TESTS_LAMBDA_REFERENCE_EVAL_H_
