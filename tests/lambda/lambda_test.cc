// File: tests/lambda/lambda_test.cc
//
// Table tests of the lambda engine: every binary operator over every operand type pair that
// Kapacitor defines, the error texts of undefined pairs, missing references, short-circuit,
// unary operators, division by zero, regexes, compile errors and predicates.
#include "interpreter/lambda.h"

#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/lambda/lambda_test_util.h"

namespace tick::interp {
namespace {

using testing::Bindings;
std::string Ev(std::string_view body, const Bindings& b = {}, const Scope& scope = Scope()) {
  return testing::Run(body, b, scope);
}
std::string Pred(std::string_view body, const Bindings& b = {}) {
  return testing::RunPredicate(body, b);
}

const Bindings& Vars() {
  static const Bindings* b = new Bindings{
      {"f", Value::Float(2.5)},
      {"g", Value::Float(4)},
      {"i", Value::Int(7)},
      {"j", Value::Int(2)},
      {"s", Value::String("abc")},
      {"t", Value::String("abd")},
      {"b", Value::Bool(true)},
      {"c", Value::Bool(false)},
      {"d", Value::Duration(60000000000)},
      {"e", Value::Duration(1000000000)},
      {"u", Value::Uint(5)},
      {"z", Value::Int(0)},
      {"time", Value::Time(86400000000000)},
  };
  return *b;
}

struct Case {
  const char* expr;
  std::string want;
};

class OperatorTable : public ::testing::TestWithParam<Case> {};

TEST_P(OperatorTable, Evaluates) {
  EXPECT_EQ(Ev(GetParam().expr, Vars()), GetParam().want) << GetParam().expr;
}

constexpr char kMis[] = ". see bool(), int(), float(), string(), duration()";

INSTANTIATE_TEST_SUITE_P(
    Defined, OperatorTable,
    ::testing::Values(
        // Logical.
        Case{R"("b" AND "c")", "bool:false"}, Case{R"("b" AND "b")", "bool:true"},
        Case{R"("c" OR "b")", "bool:true"}, Case{R"("c" OR "c")", "bool:false"},
        // Equality.
        Case{R"("b" == TRUE)", "bool:true"}, Case{R"("b" != "c")", "bool:true"},
        Case{R"("i" == 7)", "bool:true"}, Case{R"("f" == 2.5)", "bool:true"},
        Case{R"("g" == 4)", "bool:true"}, Case{R"("j" == 2.0)", "bool:true"},
        Case{R"("s" == 'abc')", "bool:true"}, Case{R"("s" != 'abc')", "bool:false"},
        Case{R"("d" == 1m)", "bool:true"}, Case{R"("d" != "e")", "bool:true"},
        // Ordering.
        Case{R"("i" > "j")", "bool:true"}, Case{R"("i" <= 7)", "bool:true"},
        Case{R"("f" < "g")", "bool:true"}, Case{R"("f" >= 2.5)", "bool:true"},
        Case{R"("i" > "f")", "bool:true"}, Case{R"("f" < "i")", "bool:true"},
        Case{R"("s" < "t")", "bool:true"}, Case{R"('B' < 'a')", "bool:true"},
        Case{R"('ab' < 'abc')", "bool:true"}, Case{R"("d" > "e")", "bool:true"},
        Case{R"("e" >= 1s)", "bool:true"},
        // Regex.
        Case{R"("s" =~ /b/)", "bool:true"}, Case{R"("s" =~ /^b/)", "bool:false"},
        Case{R"("s" !~ /^b/)", "bool:true"}, Case{R"("s" !~ /c$/)", "bool:false"},
        // Arithmetic.
        Case{R"("i" + "j")", "int:9"}, Case{R"("f" + "g")", "float:6.5"},
        Case{R"("s" + "t")", "string:abcabd"}, Case{R"("d" + "e")", "duration:61000000000ns"},
        Case{R"("i" - 10)", "int:-3"}, Case{R"("f" - 0.5)", "float:2"},
        Case{R"("d" - "e")", "duration:59000000000ns"}, Case{R"("i" * "j")", "int:14"},
        Case{R"("f" * "g")", "float:10"}, Case{R"("d" * 2)", "duration:120000000000ns"},
        Case{R"(2 * "d")", "duration:120000000000ns"},
        Case{R"("e" * 1.5)", "duration:1500000000ns"}, Case{R"(0.5 * "e")", "duration:500000000ns"},
        Case{R"("i" / "j")", "int:3"}, Case{R"(-7 / 2)", "int:-3"},
        Case{R"("f" / "g")", "float:0.625"}, Case{R"("d" / 4)", "duration:15000000000ns"},
        Case{R"("d" / 2.5)", "duration:24000000000ns"}, Case{R"("d" / "e")", "int:60"},
        Case{R"("i" % "j")", "int:1"}, Case{R"(-7 % 2)", "int:-1"},
        // Unary.
        Case{R"(-"i")", "int:-7"}, Case{R"(-"f")", "float:-2.5"},
        Case{R"(-"d")", "duration:-60000000000ns"}, Case{R"(!"b")", "bool:false"},
        Case{R"(!("i" > 100))", "bool:true"},
        // Precedence.
        Case{R"(1 + 2 * 3)", "int:7"}, Case{R"((1 + 2) * 3)", "int:9"},
        Case{R"(1 < 2 == 3 < 4)", "bool:true"}, Case{R"(10 - 4 - 3)", "int:3"}));

INSTANTIATE_TEST_SUITE_P(
    Errors, OperatorTable,
    ::testing::Values(
        // No int/float mixing in arithmetic.
        Case{R"("i" + "f")",
             "error:mismatched type to binary operator. got int + float" + std::string(kMis)},
        Case{R"("f" * "i")",
             "error:mismatched type to binary operator. got float * int" + std::string(kMis)},
        Case{R"("f" % "g")", "error:invalid math operator % for type float"},
        Case{R"("s" - "t")", "error:invalid math operator - for type string"},
        Case{R"("b" + "b")", "error:invalid math operator + for type boolean"},
        Case{R"("d" / "f" + 1)",
             "error:mismatched type to binary operator. got duration + int" + std::string(kMis)},
        Case{R"("i" / "d")",
             "error:mismatched type to binary operator. got int / duration" + std::string(kMis)},
        // Comparisons.
        Case{R"("b" < "c")", "error:invalid comparison operator < for type boolean"},
        Case{R"("s" == 1)",
             "error:mismatched type to binary operator. got string == int" + std::string(kMis)},
        Case{R"("d" == 1)",
             "error:mismatched type to binary operator. got duration == int" + std::string(kMis)},
        Case{R"("i" =~ /x/)", "error:invalid comparison operator =~ for type int"},
        Case{R"("b" AND 1)",
             "error:mismatched type to binary operator. got boolean AND int" + std::string(kMis)},
        Case{R"(1 OR "b")", "error:invalid logical operator OR for type int"},
        // Missing references.
        Case{R"("m" > 1)", "error:left reference value \"m\" is missing value"},
        Case{R"(1 < "m")", "error:right reference value \"m\" is missing value"},
        Case{R"("m" AND TRUE)", "error:left reference value \"m\" is missing value"},
        Case{R"("m" + 1)", "error:invalid math operator + for type missing"},
        Case{R"("m" + 1 > 2)", "error:invalid math operator + for type missing"},
        Case{R"(-"m" > 1)",
             "error:expected leftEvaluator to be *EvalReferenceNode got *stateful.EvalUnaryNode"},
        Case{R"("m")", "error:expression returned unexpected type missing"},
        // Invalid (uint) values.
        Case{R"("u" > 1)", "error:left value is invalid value type"},
        Case{R"(1 == "u")", "error:right value is invalid value type"},
        Case{R"("u" + 1)", "error:invalid math operator + for type int"},
        // Unary on wrong types.
        Case{R"(!"i")",
             "error:TypeGuard: expression returned unexpected type int, expected boolean"},
        Case{R"(-"s")",
             "error:TypeGuard: expression returned unexpected type invalid type, expected string"},
        // Integer division by zero is an error value; float division follows IEEE.
        Case{R"("i" / "z")", "error:runtime error: integer divide by zero"},
        Case{R"("i" % "z")", "error:runtime error: integer divide by zero"},
        Case{R"("d" / "z")", "error:runtime error: integer divide by zero"},
        Case{R"("f" / 0.0)", "float:+Inf"}, Case{R"(-"f" / 0.0)", "float:-Inf"},
        Case{R"(0.0 / 0.0 == 0.0)", "bool:false"},
        // A time value is not a lambda result.
        Case{R"("time")", "error:expression returned unexpected type time"}));

TEST(LambdaShortCircuit, AndOrSkipTheRightOperand) {
  // The right side would be a missing-reference error if evaluated.
  EXPECT_EQ(Ev(R"("c" AND "m" > 1)", Vars()), "bool:false");
  EXPECT_EQ(Ev(R"("b" OR "m" > 1)", Vars()), "bool:true");
  EXPECT_EQ(Ev(R"("b" AND "m" > 1)", Vars()), "error:left reference value \"m\" is missing value");
  EXPECT_EQ(Ev(R"("s" == 'x' AND "i" / "z" > 1)", Vars()), "bool:false");
  // Kapacitor checks both operand types before short-circuiting: a right operand that is a
  // missing reference (not a boolean expression) is an error even when the left is false.
  EXPECT_EQ(Ev(R"("c" AND "m")", Vars()), "error:right reference value \"m\" is missing value");
  EXPECT_EQ(Ev(R"("c" AND "i")", Vars()),
            "error:mismatched type to binary operator. got boolean AND int" + std::string(kMis));
}

TEST(LambdaShortCircuit, StatefulFunctionsAdvanceOnlyWhenEvaluated) {
  auto l = testing::CompileText(R"("b" AND count() > 0)");
  ASSERT_TRUE(l.ok()) << l.status();
  auto state = l->NewState();
  EvalScratch scratch;
  Value err;
  std::vector<Value> off = {Value::Bool(false)};
  std::vector<Value> on = {Value::Bool(true)};
  auto l2 = testing::CompileText(R"("b" AND count() == 2)");
  ASSERT_TRUE(l2.ok());
  auto state2 = l2->NewState();
  EXPECT_EQ(l2->EvalPredicate(on, state2.get(), &scratch, &err), CompiledLambda::Truth::kFalse);
  EXPECT_EQ(l2->EvalPredicate(off, state2.get(), &scratch, &err), CompiledLambda::Truth::kFalse);
  EXPECT_EQ(l2->EvalPredicate(on, state2.get(), &scratch, &err), CompiledLambda::Truth::kTrue);
}

TEST(LambdaPredicate, RequiresBoolean) {
  EXPECT_EQ(Pred(R"("x" > 10)", {{"x", Value::Float(11)}}), "true");
  EXPECT_EQ(Pred(R"("x" > 10)", {{"x", Value::Float(9)}}), "false");
  EXPECT_EQ(Pred(R"("x")", {{"x", Value::Float(9)}}),
            "error:TypeGuard: expression returned unexpected type float, expected boolean");
  EXPECT_EQ(Pred(R"("x" + 1.0)", {{"x", Value::Float(9)}}),
            "error:expression returned unexpected type float64");
  EXPECT_EQ(Pred(R"("x" + 1)", {{"x", Value::Int(9)}}),
            "error:expression returned unexpected type int64");
  EXPECT_EQ(Pred(R"("x" + 'a')", {{"x", Value::String("b")}}),
            "error:expression returned unexpected type <nil>");
  EXPECT_EQ(Pred(R"("x" > 10)", {}), "error:left reference value \"x\" is missing value");
  EXPECT_EQ(Pred("1 + 2"), "error:expression returned unexpected type int64");
  EXPECT_EQ(Pred("5"),
            "error:TypeGuard: expression returned unexpected type int, expected boolean");
}

TEST(LambdaSlots, FieldTagConflictAndTime) {
  auto l = testing::CompileText(R"("host" == 'a' AND unixNano("time") > 0)");
  ASSERT_TRUE(l.ok()) << l.status();
  ASSERT_EQ(l->slot_names(), (std::vector<std::string>{"host", "time"}));
  EvalScratch scratch;
  Value err;
  std::vector<Value> slots = {CompiledLambda::FieldTagConflictError(0), Value::Time(5)};
  EXPECT_EQ(l->EvalPredicate(slots, nullptr, &scratch, &err), CompiledLambda::Truth::kError);
  EXPECT_EQ(l->FormatError(err), "cannot have field and tags with same name \"host\"");
  slots = {Value::String("a"), Value::Time(5)};
  EXPECT_EQ(l->EvalPredicate(slots, nullptr, &scratch, &err), CompiledLambda::Truth::kTrue);
}

TEST(LambdaRegex, Re2SyntaxIsUnanchoredSearch) {
  const Bindings h = {{"h", Value::String("server01.example.com")}};
  EXPECT_EQ(Ev(R"("h" =~ /server0[0-9]/)", h), "bool:true");
  EXPECT_EQ(Ev(R"("h" =~ /^server0[0-9]$/)", h), "bool:false");
  EXPECT_EQ(Ev(R"("h" =~ /(?i)SERVER/)", h), "bool:true");
  EXPECT_EQ(Ev(R"("h" =~ /\.com$/)", h), "bool:true");
  EXPECT_EQ(Ev(R"("h" =~ /\d{2}/)", h), "bool:true");
  EXPECT_EQ(Ev(R"("h" =~ /a\/b/)", {{"h", Value::String("a/b")}}), "bool:true");
  EXPECT_THAT(Ev(R"("h" =~ /(/)", h), ::testing::HasSubstr("compile:"));
  EXPECT_THAT(Ev(R"("h" =~ /(?<n>x)/)", h), ::testing::HasSubstr("invalid regex"));
}

TEST(LambdaCompile, Errors) {
  EXPECT_EQ(Ev(R"(nope > 1)"),
            "compile:t.tick:1:1: error: name \"nope\" is undefined. Names in scope: \n"
            "nope > 1\n^");
  EXPECT_THAT(Ev(R"(foo("x"))"), ::testing::HasSubstr("error: undefined function: \"foo\""));
  EXPECT_THAT(Ev(R"(1 + 1.5 > 2)"),
              ::testing::HasSubstr("error: mismatched type to binary operator. got int + float"));
  EXPECT_THAT(Ev(R"(abs(1))"),
              ::testing::HasSubstr("Cannot call function \"abs\" with args (1: int), available "
                                   "signatures are [(float)]."));
  EXPECT_THAT(Ev(R"('a' < 1)"),
              ::testing::HasSubstr("mismatched type to binary operator. got string < int"));
}

TEST(LambdaCompile, ScriptVarsAreSubstituted) {
  Scope scope;
  auto lit = std::make_unique<ast::Expr>();
  lit->kind = ast::ExprKind::kFloat;
  lit->float_value = 80;
  ASSERT_TRUE(scope.Define("threshold", std::move(lit), {}).ok());
  auto re = std::make_unique<ast::Expr>();
  re->kind = ast::ExprKind::kRegex;
  re->text = "^web";
  ASSERT_TRUE(scope.Define("hosts", std::move(re), {}).ok());
  EXPECT_EQ(Ev(R"("v" > threshold AND "h" =~ hosts)",
               {{"v", Value::Float(81)}, {"h", Value::String("web1")}}, scope),
            "bool:true");
  EXPECT_EQ(Ev(R"("v" > threshold)", {{"v", Value::Float(79)}}, scope), "bool:false");
  EXPECT_THAT(Ev(R"(other > 1)", {}, scope),
              ::testing::HasSubstr("name \"other\" is undefined. Names in scope: hosts,threshold"));
  auto again = std::make_unique<ast::Expr>();
  again->kind = ast::ExprKind::kInt;
  EXPECT_EQ(scope.Define("threshold", std::move(again), {}).message(),
            "attempted to redefine threshold, vars are immutable");
}

TEST(LambdaCompile, ConstantFoldingAndStaticKind) {
  auto l = testing::CompileText("2 * 3 + 1");
  ASSERT_TRUE(l.ok());
  EXPECT_TRUE(l->is_constant());
  EXPECT_EQ(l->static_kind(), ValueKind::kInt);
  auto p = testing::CompileText(R"("x" > 1)");
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->is_constant());
  EXPECT_EQ(p->static_kind(), ValueKind::kBool);
  auto m = testing::CompileText(R"("x" + 1)");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->static_kind(), ValueKind::kMissing);
}

TEST(LambdaValue, CopiesShareTheCompiledCode) {
  auto l = testing::CompileText(R"("x" * 2)");
  ASSERT_TRUE(l.ok());
  CompiledLambda copy = *l;
  CompiledLambda moved = std::move(*l);
  EvalScratch scratch;
  std::vector<Value> slots = {Value::Int(21)};
  EXPECT_EQ(copy.Eval(slots, nullptr, &scratch), Value::Int(42));
  EXPECT_EQ(moved.Eval(slots, nullptr, &scratch), Value::Int(42));
}

}  // namespace
}  // namespace tick::interp
