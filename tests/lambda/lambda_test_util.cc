// File: tests/lambda/lambda_test_util.cc
#include "tests/lambda/lambda_test_util.h"

#include "absl/strings/str_cat.h"
#include "base/source.h"
#include "grammar/parser.h"
#include "interpreter/gofmt.h"

namespace tick::interp::testing {

absl::StatusOr<CompiledLambda> CompileText(std::string_view body, const Scope& scope) {
  absl::StatusOr<ast::ExprPtr> e = grammar::ParseLambdaBody(body, "t.tick");
  if (!e.ok()) return e.status();
  SourceFile src("t.tick", std::string(body));
  return CompileLambda(**e, scope, src);
}

std::vector<Value> BindSlots(const CompiledLambda& l, const Bindings& b) {
  std::vector<Value> slots(l.slot_names().size());
  for (size_t i = 0; i < slots.size(); ++i) {
    for (const auto& [name, v] : b) {
      if (name == l.slot_names()[i]) slots[i] = v;
    }
  }
  return slots;
}

std::string Render(const CompiledLambda& l, const Value& v) {
  switch (v.kind()) {
    case ValueKind::kFloat: {
      std::string s = "float:";
      AppendGoFloatV(&s, v.float_value());
      return s;
    }
    case ValueKind::kInt:
      return absl::StrCat("int:", v.int_value());
    case ValueKind::kString:
      return absl::StrCat("string:", std::string(v.string_value()));
    case ValueKind::kBool:
      return v.bool_value() ? "bool:true" : "bool:false";
    case ValueKind::kDuration:
      return absl::StrCat("duration:", v.int_value(), "ns");
    case ValueKind::kTime:
      return absl::StrCat("time:", v.int_value());
    case ValueKind::kMissing:
      return "missing";
    case ValueKind::kError:
      return "error:" + l.FormatError(v);
    default:
      return "other";
  }
}

std::string Run(std::string_view body, const Bindings& b, const Scope& scope) {
  absl::StatusOr<CompiledLambda> l = CompileText(body, scope);
  if (!l.ok()) return absl::StrCat("compile:", std::string(l.status().message()));
  std::vector<Value> slots = BindSlots(*l, b);
  auto state = l->NewState();
  EvalScratch scratch;
  return Render(*l, l->Eval(slots, state.get(), &scratch));
}

std::string RunPredicate(std::string_view body, const Bindings& b) {
  absl::StatusOr<CompiledLambda> l = CompileText(body);
  if (!l.ok()) return absl::StrCat("compile:", std::string(l.status().message()));
  std::vector<Value> slots = BindSlots(*l, b);
  auto state = l->NewState();
  EvalScratch scratch;
  Value err;
  switch (l->EvalPredicate(slots, state.get(), &scratch, &err)) {
    case CompiledLambda::Truth::kTrue:
      return "true";
    case CompiledLambda::Truth::kFalse:
      return "false";
    default:
      return "error:" + l->FormatError(err);
  }
}

}  // namespace tick::interp::testing
