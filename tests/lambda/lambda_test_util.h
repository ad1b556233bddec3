// File: tests/lambda/lambda_test_util.h
//
// Helpers for the lambda engine tests: compile lambda source text with the real parser and
// evaluate it against named bindings, rendering results as "<kind>:<value>" or "error:<text>".
#ifndef TICK_TESTS_LAMBDA_LAMBDA_TEST_UTIL_H_
#define TICK_TESTS_LAMBDA_LAMBDA_TEST_UTIL_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "interpreter/lambda.h"
#include "interpreter/value.h"

namespace tick::interp::testing {

using Bindings = std::vector<std::pair<std::string, Value>>;

// Parses `body` (what follows `lambda:`) and compiles it.
absl::StatusOr<CompiledLambda> CompileText(std::string_view body, const Scope& scope = Scope());

// Binds slots by name (unbound names are Missing).
std::vector<Value> BindSlots(const CompiledLambda& l, const Bindings& b);

// Renders a value: "float:1.5" (Go %v), "int:3", "string:abc", "bool:true", "duration:<ns>ns",
// "time:<ns>", "missing", "error:<FormatError text>".
std::string Render(const CompiledLambda& l, const Value& v);

// Compile + Eval + Render; compile errors render as "compile:<status message>".
std::string Run(std::string_view body, const Bindings& b = {}, const Scope& scope = Scope());
// Compile + EvalPredicate: "true", "false" or "error:<text>".
std::string RunPredicate(std::string_view body, const Bindings& b = {});

}  // namespace tick::interp::testing

#endif  // TICK_TESTS_LAMBDA_LAMBDA_TEST_UTIL_H_
