// File: tests/lambda/differential_test.cc
//
// Differential test: thousands of random well-typed and ill-typed operator expressions (fixed
// seed) are evaluated by the compiled engine and by the simple reference interpreter
// (reference_eval.cc); they must agree on the value, or both fail with the same message. An
// expression the engine rejects at compile time (constant type error) must fail in the
// reference too.
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "base/source.h"
#include "grammar/parser.h"
#include "gtest/gtest.h"
#include "interpreter/lambda.h"
#include "tests/lambda/lambda_test_util.h"
#include "tests/lambda/reference_eval.h"

namespace tick::interp {
namespace {

class Gen {
 public:
  explicit Gen(uint32_t seed) : rng_(seed) {}

  std::string Expr(int depth) {
    if (depth == 0 || Pick(10) < 3) return Leaf();
    const int k = Pick(10);
    if (k == 0) return std::string(Pick(2) ? "-" : "!") + "(" + Expr(depth - 1) + ")";
    static const char* kOps[] = {"AND", "OR", "==", "!=", "<", "<=", ">",
                                 ">=",  "+",  "-",  "*",  "/", "%"};
    return "(" + Expr(depth - 1) + " " + kOps[Pick(13)] + " " + Expr(depth - 1) + ")";
  }

  std::map<std::string, Value> Bindings() {
    std::map<std::string, Value> b;
    const char* names[] = {"a", "b", "c", "d", "e", "f"};
    const ValueKind natural[] = {ValueKind::kFloat, ValueKind::kInt,      ValueKind::kString,
                                 ValueKind::kBool,  ValueKind::kDuration, ValueKind::kInt};
    for (int i = 0; i < 6; ++i) {
      ValueKind k = natural[i];
      if (Pick(10) == 0) {
        const ValueKind any[] = {ValueKind::kFloat, ValueKind::kInt,      ValueKind::kString,
                                 ValueKind::kBool,  ValueKind::kDuration, ValueKind::kMissing,
                                 ValueKind::kUint};
        k = any[Pick(7)];
      }
      if (k == ValueKind::kMissing) continue;
      b[names[i]] = Random(k);
    }
    b["u"] = Value::Uint(3);
    return b;
  }

 private:
  int Pick(int n) { return static_cast<int>(rng_() % static_cast<uint32_t>(n)); }

  Value Random(ValueKind k) {
    static const double floats[] = {0.0, 1.5, -2.25, 10.0, 1e300, 0.1};
    static const int64_t ints[] = {0, 1, -1, 7, 3, -9223372036854775807LL - 1, 100};
    static const char* strs[] = {"", "x", "abc", "abd", "B"};
    switch (k) {
      case ValueKind::kFloat:
        return Value::Float(floats[Pick(6)]);
      case ValueKind::kInt:
        return Value::Int(ints[Pick(7)]);
      case ValueKind::kString:
        return Value::String(strs[Pick(5)]);
      case ValueKind::kBool:
        return Value::Bool(Pick(2) == 0);
      case ValueKind::kDuration:
        return Value::Duration(static_cast<int64_t>(static_cast<uint64_t>(ints[Pick(7)]) * 1000u));
      default:
        return Value::Uint(1);
    }
  }

  std::string Leaf() {
    static const char* leaves[] = {R"("a")", R"("b")", R"("c")", R"("d")", R"("e")", R"("f")",
                                   R"("m")", R"("u")", "0",      "1",      "2",      "7",
                                   "0.0",    "1.5",    "2.0",    "'x'",    "'abc'",  "TRUE",
                                   "FALSE",  "1s",     "5m",     "0s"};
    return leaves[Pick(sizeof(leaves) / sizeof(leaves[0]))];
  }

  std::mt19937 rng_;
};

bool SameValue(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  if (a.kind() == ValueKind::kFloat && std::isnan(a.float_value())) {
    return std::isnan(b.float_value());
  }
  return a == b;
}

TEST(LambdaDifferential, EngineAgreesWithReferenceInterpreter) {
  Gen gen(20261128);
  int compiled = 0, errors = 0, values = 0;
  for (int iter = 0; iter < 6000; ++iter) {
    const std::string text = gen.Expr(1 + iter % 4);
    auto body = grammar::ParseLambdaBody(text, "d.tick");
    ASSERT_TRUE(body.ok()) << text << ": " << body.status();
    const std::map<std::string, Value> bindings = gen.Bindings();
    testing::RefEvaluator ref(bindings);
    const testing::RefResult want = ref.EvalTop(**body);

    SourceFile src("d.tick", text);
    auto l = CompileLambda(**body, Scope(), src);
    if (!l.ok()) {
      // A constant subexpression with a type error is rejected at compile time (as Kapacitor
      // does when it creates the expression), even where evaluation would short-circuit it.
      const std::string msg(l.status().message());
      EXPECT_TRUE(want.is_error || msg.find("mismatched type") != std::string::npos ||
                  msg.find("operator") != std::string::npos)
          << text << " compile error: " << msg;
      continue;
    }
    ++compiled;
    std::vector<Value> slots(l->slot_names().size());
    for (size_t i = 0; i < slots.size(); ++i) {
      auto it = bindings.find(l->slot_names()[i]);
      if (it != bindings.end()) slots[i] = it->second;
    }
    EvalScratch scratch;
    auto state = l->NewState();
    const Value got = l->Eval(slots, state.get(), &scratch);
    if (want.is_error) {
      ++errors;
      ASSERT_TRUE(got.is_error()) << text << " engine: " << testing::Render(*l, got)
                                  << " reference error: " << want.error;
      EXPECT_EQ(l->FormatError(got), want.error) << text;
    } else {
      ++values;
      EXPECT_TRUE(SameValue(got, want.value)) << text << " engine: " << testing::Render(*l, got)
                                              << " reference: " << testing::Render(*l, want.value);
    }
  }
  // The generator must exercise both outcomes substantially.
  EXPECT_GT(values, 1000);
  EXPECT_GT(errors, 1000);
  EXPECT_GT(compiled, 4000);
}

}  // namespace
}  // namespace tick::interp
