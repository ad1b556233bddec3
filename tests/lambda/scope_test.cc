// File: tests/lambda/scope_test.cc
//
// Script-level vars: constant folding, immutability, typed (template) vars, predefined values,
// node vars, and lambdas that use vars.
#include <string>

#include "gmock/gmock.h"
#include "grammar/parser.h"
#include "gtest/gtest.h"
#include "interpreter/lambda.h"
#include "tests/lambda/lambda_test_util.h"

namespace tick::interp {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<Scope> Vars(const std::string& text, const PredefinedVars* pre = nullptr) {
  auto script = grammar::ParseScript(text, "s.tick");
  if (!script.ok()) return script.status();
  const std::string stream = "stream";
  return EvalScriptVars(*script, pre, absl::MakeConstSpan(&stream, 1));
}

TEST(ScriptVars, ConstantFolding) {
  auto scope = Vars(
      "var a = 5m * 2\n"
      "var s = 'a' + 'b'\n"
      "var t = 10\n"
      "var n = -t * 2\n"
      "var f = 1.5 + 2.0\n"
      "var r = /^web/\n"
      "var data = stream|from()\n"
      "var more = data\n"
      "var l = lambda: \"x\" > t\n");
  ASSERT_TRUE(scope.ok()) << scope.status();
  ASSERT_NE(scope->Find("a"), nullptr);
  EXPECT_EQ(scope->Find("a")->kind, ast::ExprKind::kDuration);
  EXPECT_EQ(scope->Find("a")->int_value, 600000000000);
  EXPECT_EQ(scope->Find("a")->text, "10m");
  EXPECT_EQ(scope->Find("s")->text, "ab");
  EXPECT_EQ(scope->Find("n")->int_value, -20);
  EXPECT_EQ(scope->Find("f")->float_value, 3.5);
  EXPECT_EQ(scope->Find("r")->kind, ast::ExprKind::kRegex);
  EXPECT_TRUE(scope->IsNode("data"));
  EXPECT_TRUE(scope->IsNode("more"));
  EXPECT_TRUE(scope->IsNode("stream"));
  EXPECT_EQ(scope->Find("data"), nullptr);
  // The lambda var froze `t`; using it inside another lambda inlines it.
  EXPECT_EQ(testing::Run(R"(l AND "x" < 20)", {{"x", Value::Int(15)}}, *scope), "bool:true");
  EXPECT_EQ(testing::Run(R"(l)", {{"x", Value::Int(5)}}, *scope), "bool:false");
}

TEST(ScriptVars, Errors) {
  EXPECT_THAT(Vars("var a = 1\nvar a = 2\n").status().message(),
              HasSubstr("s.tick:2:5: error: attempted to redefine a, vars are immutable"));
  EXPECT_THAT(Vars("var x = 1 + 1.5\n").status().message(),
              HasSubstr("mismatched type to binary operator. got int + float"));
  EXPECT_THAT(Vars("var x = y\n").status().message(),
              HasSubstr("name \"y\" is undefined. Names in scope: stream"));
  EXPECT_THAT(Vars("var x lambda\n").status().message(), HasSubstr("missing value for var \"x\"."));
  EXPECT_THAT(Vars("var x bogus\n").status().message(), HasSubstr("invalid var type \"bogus\""));
  EXPECT_THAT(Vars("var x = 1 / 0\n").status().message(),
              HasSubstr("runtime error: integer divide by zero"));
}

TEST(ScriptVars, PredefinedValues) {
  PredefinedVars pre;
  auto v = std::make_unique<ast::Expr>();
  v->kind = ast::ExprKind::kInt;
  v->int_value = 42;
  pre["x"] = std::move(v);
  auto f = std::make_unique<ast::Expr>();
  f->kind = ast::ExprKind::kFloat;
  f->float_value = 1;
  pre["y"] = std::move(f);
  auto scope = Vars("var x int\nvar y = 2.5\n", &pre);
  ASSERT_TRUE(scope.ok()) << scope.status();
  EXPECT_EQ(scope->Find("x")->int_value, 42);
  EXPECT_EQ(scope->Find("y")->float_value, 1);  // overridden
  EXPECT_THAT(Vars("var x float\n", &pre).status().message(),
              HasSubstr("invalid type supplied for x, got int exp float"));
  EXPECT_THAT(Vars("var y = 'str'\n", &pre).status().message(),
              HasSubstr("invalid type supplied for y, got float exp string"));
}

}  // namespace
}  // namespace tick::interp
