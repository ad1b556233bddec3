// File: tests/lambda/functions_test.cc
//
// Built-in functions: every signature family, results and Kapacitor's error texts; stateful
// functions against hand computations; time functions in a fixed time zone.
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "interpreter/lambda.h"
#include "tests/lambda/lambda_test_util.h"

namespace tick::interp {
namespace {

using testing::Bindings;

std::string Ev(std::string_view body, const Bindings& b = {}) { return testing::Run(body, b); }

const Bindings& Vars() {
  static const Bindings* b = new Bindings{
      {"i", Value::Int(7)},
      {"f", Value::Float(-2.5)},
      {"s", Value::String("server01")},
      {"b", Value::Bool(true)},
      {"d", Value::Duration(60000000000)},
      // 2021-03-04T05:06:07Z, a Thursday.
      {"time", Value::Time(1614834367000000000)},
  };
  return *b;
}

struct Case {
  const char* expr;
  std::string want;
};

class FunctionTable : public ::testing::TestWithParam<Case> {
 protected:
  static void SetUpTestSuite() {
    setenv("TZ", "UTC", 1);
    tzset();
  }
};

TEST_P(FunctionTable, Evaluates) {
  EXPECT_EQ(Ev(GetParam().expr, Vars()), GetParam().want) << GetParam().expr;
}

INSTANTIATE_TEST_SUITE_P(
    Conversions, FunctionTable,
    ::testing::Values(
        Case{"bool('true')", "bool:true"}, Case{"bool('F')", "bool:false"},
        Case{"bool(1)", "bool:true"}, Case{"bool(0.0)", "bool:false"},
        Case{R"(bool("b"))", "bool:true"},
        Case{"bool('yes')",
             "error:error calling \"bool\": strconv.ParseBool: parsing \"yes\": invalid syntax"},
        Case{"bool(2)", "error:error calling \"bool\": cannot convert 2 to boolean"},
        Case{"bool(1.5)", "error:error calling \"bool\": cannot convert 1.5 to boolean"},
        Case{"int(2.9)", "int:2"}, Case{"int(-2.9)", "int:-2"}, Case{"int('42')", "int:42"},
        Case{"int('-42')", "int:-42"}, Case{"int(TRUE)", "int:1"}, Case{R"(int("i"))", "int:7"},
        Case{"int('4x')",
             "error:error calling \"int\": strconv.ParseInt: parsing \"4x\": invalid syntax"},
        Case{"int('99999999999999999999')",
             "error:error calling \"int\": strconv.ParseInt: parsing \"99999999999999999999\": "
             "value out of range"},
        Case{"float(3)", "float:3"}, Case{"float('1.5')", "float:1.5"},
        Case{"float(FALSE)", "float:0"},
        Case{"float('abc')",
             "error:error calling \"float\": strconv.ParseFloat: parsing \"abc\": invalid syntax"},
        Case{"string(1.5)", "string:1.5"}, Case{"string(0.1)", "string:0.1"},
        Case{"string(100000000000000000000.0)", "string:100000000000000000000"},
        Case{"string(-3)", "string:-3"}, Case{"string(TRUE)", "string:true"},
        Case{"string(5m)", "string:5m"}, Case{"string(90s)", "string:90s"},
        Case{"string(0s)", "string:0s"}, Case{R"(string("s"))", "string:server01"},
        Case{"duration(5m)", "duration:300000000000ns"},
        Case{"duration(2, 1s)", "duration:2000000000ns"},
        Case{"duration(1.5, 1s)", "duration:1500000000ns"},
        Case{"duration('1h30m', 1s)", "duration:5400000000000ns"},
        Case{"duration('-5ms', 1s)", "duration:-5000000ns"},
        Case{"duration('x', 1s)",
             "error:error calling \"duration\": invalid duration string \"x\""}));

INSTANTIATE_TEST_SUITE_P(
    Signatures, FunctionTable,
    ::testing::Values(
        Case{R"(abs("i"))",
             "error:Cannot call function \"abs\" with args (\"i\": int), available signatures are "
             "[(float)]."},
        Case{
            R"(abs("m"))",
            "error:Cannot call function \"abs\" argument \"m\" is missing, values in scope are []"},
        Case{R"(max("m", "n"))",
             "error:Cannot call function \"max\" arguments \"m\", \"n\" are missing, values in "
             "scope are []"},
        Case{R"(max("m", "f"))",
             "error:Cannot call function \"max\" argument \"m\" is missing, values in scope are "
             "[\"f\"]"},
        Case{R"(isPresent("d"))",
             "error:Cannot call function \"isPresent\" with args (\"d\": duration), available "
             "signatures are [(missing), (boolean), (string), (int), (float)]."},
        Case{R"(string("time"))",
             "error:Cannot call function \"string\" with args (\"time\": time), available "
             "signatures are [(boolean), (string), (int), (float), (duration)]."},
        Case{R"(abs("i" + 1) > 1)",
             "error:Cannot call function \"abs\" with args (\"i\" + 1: int), available "
             "signatures are [(float)]."},
        Case{R"(abs("m" + 1.0))",
             "error:Failed to handle 1 argument: invalid math operator + for type missing"},
        Case{R"(sigma("i"))",
             "error:Cannot call function \"sigma\" with args (\"i\": int), available signatures "
             "are [(float)]."},
        Case{R"(sigma("m"))",
             "error:Cannot call function \"sigma\" argument \"m\" is missing, values in scope "
             "are []"},
        Case{R"(sigma("m" + 1.0) > 2.0)",
             "error:Failed to handle 1 argument: invalid math operator + for type missing"},
        Case{R"(sigma("f"))", "float:0"},
        // Arguments print as Kapacitor's String() of their nodes: calls, floats, ints and bools
        // formatted from their values, anything else as written.
        Case{R"(max(abs("f"), "i"))",
             "error:Cannot call function \"max\" with args (abs(\"f\"): float,\"i\": int), "
             "available signatures are [(float,float)]."},
        Case{R"(max(2.50, "i"))",
             "error:Cannot call function \"max\" with args (2.5: float,\"i\": int), available "
             "signatures are [(float,float)]."},
        Case{R"(max("i", 010))",
             "error:Cannot call function \"max\" with args (\"i\": int,8: int), available "
             "signatures are [(float,float)]."},
        Case{R"(max(TRUE, "f" * 2.0))",
             "error:Cannot call function \"max\" with args (true: boolean,\"f\" * 2.0: float), "
             "available signatures are [(float,float)]."},
        Case{R"(max(1 + 2, "f"))",
             "error:Cannot call function \"max\" with args (3: int,\"f\": float), available "
             "signatures are [(float,float)]."},
        Case{"duration('5m')",
             "compile:t.tick:1:1: error: Cannot call function \"duration\" with args ('5m': "
             "string), available signatures are [(duration), (int,duration), (float,duration), "
             "(string,duration)].\nduration('5m')\n^"},
        Case{"count(1)",
             "compile:t.tick:1:1: error: Cannot call function \"count\" with args (1: int), "
             "available signatures are [()].\ncount(1)\n^"}));

INSTANTIATE_TEST_SUITE_P(
    Math, FunctionTable,
    ::testing::Values(
        Case{R"(abs("f"))", "float:2.5"}, Case{"max(1.0, 2.0)", "float:2"},
        Case{"min(1.0, 2.0)", "float:1"}, Case{"pow(2.0, 10.0)", "float:1024"},
        Case{"pow10(3)", "float:1000"}, Case{"jn(0, 0.0)", "float:1"},
        Case{"yn(0, 1.0) > 0.08", "bool:true"}, Case{"mod(7.0, 3.0)", "float:1"},
        Case{"atan2(0.0, 1.0)", "float:0"}, Case{"hypot(3.0, 4.0)", "float:5"},
        Case{"sqrt(16.0)", "float:4"}, Case{"floor(-1.5)", "float:-2"},
        Case{"ceil(1.2)", "float:2"}, Case{"trunc(-1.7)", "float:-1"}, Case{"log(1.0)", "float:0"},
        Case{"exp(0.0)", "float:1"}, Case{"log2(8.0)", "float:3"}, Case{"log10(1000.0)", "float:3"},
        Case{"cbrt(27.0)", "float:3"}, Case{"exp2(3.0)", "float:8"}, Case{"expm1(0.0)", "float:0"},
        Case{"log1p(0.0)", "float:0"}, Case{"logb(8.0)", "float:3"}, Case{"gamma(5.0)", "float:24"},
        Case{"erf(0.0)", "float:0"}, Case{"erfc(0.0)", "float:1"}, Case{"sin(0.0)", "float:0"},
        Case{"cos(0.0)", "float:1"}, Case{"tan(0.0)", "float:0"}, Case{"asin(0.0)", "float:0"},
        Case{"acos(1.0)", "float:0"}, Case{"atan(0.0)", "float:0"}, Case{"sinh(0.0)", "float:0"},
        Case{"cosh(0.0)", "float:1"}, Case{"tanh(0.0)", "float:0"}, Case{"asinh(0.0)", "float:0"},
        Case{"acosh(1.0)", "float:0"}, Case{"atanh(0.0)", "float:0"}, Case{"j0(0.0)", "float:1"},
        Case{"j1(0.0)", "float:0"}, Case{"y0(1.0) > 0.08", "bool:true"},
        Case{"y1(1.0) < 0.0", "bool:true"}, Case{"sqrt(-1.0) == sqrt(-1.0)", "bool:false"}));

INSTANTIATE_TEST_SUITE_P(
    Strings, FunctionTable,
    ::testing::Values(
        Case{"strContains('abc', 'b')", "bool:true"},
        Case{R"(strContains("s", 'x'))", "bool:false"},
        Case{"strContainsAny('abc', 'xyzc')", "bool:true"},
        Case{"strCount('cheese', 'e')", "int:3"}, Case{"strCount('five', '')", "int:5"},
        Case{"strHasPrefix('abc', 'ab')", "bool:true"},
        Case{"strHasSuffix('abc', 'bc')", "bool:true"}, Case{"strIndex('chicken', 'ken')", "int:4"},
        Case{"strIndexAny('golang', 'y')", "int:-1"},
        Case{"strLastIndex('go gopher', 'go')", "int:3"},
        Case{"strLastIndexAny('go gopher', 'go')", "int:4"},
        Case{"strLength('h\xC3\xA9llo')", "int:6"},
        Case{"strReplace('oink oink oink', 'k', 'ky', 2)", "string:oinky oinky oink"},
        Case{"strReplace('oink oink oink', 'oink', 'moo', -1)", "string:moo moo moo"},
        Case{"strReplace('ab', '', '-', -1)", "string:-a-b-"},
        Case{"strSubstring('abcdef', 1, 3)", "string:bc"},
        Case{"strSubstring('abc', 0, 3)",
             "error:error calling \"strSubstring\": stop index too large for string in "
             "strSubstring: 3"},
        Case{"strSubstring('abc', -1, 2)",
             "error:error calling \"strSubstring\": found negative index for strSubstring: -1"},
        Case{"strToLower('ABC')", "string:abc"}, Case{"strToUpper('abc')", "string:ABC"},
        Case{"strTrim('  xx  ', ' ')", "string:xx"},
        Case{"strTrimLeft('xxaxx', 'x')", "string:axx"},
        Case{"strTrimRight('xxaxx', 'x')", "string:xxa"},
        Case{"strTrimPrefix('prefix-body', 'prefix-')", "string:body"},
        Case{"strTrimSuffix('a.go', '.go')", "string:a"},
        Case{"strTrimSpace('''  a b \n''')", "string:a b"},
        Case{"regexReplace(/a(x*)b/, '-ab-axxb-', '${1}W')", "string:-W-xxW-"},
        Case{"regexReplace(/a(x*)b/, '-ab-axxb-', '$1W')", "string:---"},
        Case{"regexReplace(/(?P<n>x+)/, 'axxb', '[$n]')", "string:a[xx]b"},
        Case{"regexReplace(/x*/, 'abc', '-')", "string:-a-b-c-"},
        Case{R"("s" + '-' + string("i"))", "string:server01-7"}));

INSTANTIATE_TEST_SUITE_P(
    Misc, FunctionTable,
    ::testing::Values(
        Case{R"(isPresent("m"))", "bool:false"}, Case{R"(isPresent("i"))", "bool:true"},
        Case{R"(isPresent("m") AND "m" > 1)", "bool:false"}, Case{"if(TRUE, 1, 2)", "int:1"},
        Case{R"(if("b", 'x', 'y'))", "string:x"},
        Case{R"(if(FALSE, "d", 2m))", "duration:120000000000ns"},
        Case{"humanBytes(1000)", "string:1.0 kB"}, Case{"humanBytes(82854982)", "string:83 MB"},
        Case{"humanBytes(5)", "string:5 B"}, Case{"humanBytes(1500.0)", "string:1.5 kB"},
        Case{R"(unixNano("time"))", "int:1614834367000000000"}, Case{R"(hour("time"))", "int:5"},
        Case{R"(minute("time"))", "int:6"}, Case{R"(day("time"))", "int:4"},
        Case{R"(month("time"))", "int:3"}, Case{R"(year("time"))", "int:2021"},
        Case{R"(weekday("time"))", "int:4"},
        Case{"unixNano(now()) > 1600000000000000000", "bool:true"},
        Case{R"(hour("i"))",
             "error:Cannot call function \"hour\" with args (\"i\": int), available signatures "
             "are [(time)]."}));

TEST(FunctionsTimeZone, HourFollowsTheLocalZone) {
  setenv("TZ", "Asia/Kolkata", 1);  // UTC+05:30
  tzset();
  EXPECT_EQ(Ev(R"(hour("time"))", Vars()), "int:10");
  EXPECT_EQ(Ev(R"(minute("time"))", Vars()), "int:36");
  setenv("TZ", "UTC", 1);
  tzset();
}

// Runs `expr` over a sequence of values of "x" with one state; returns the rendered results.
std::vector<std::string> Sequence(std::string_view expr, const std::vector<double>& xs) {
  auto l = testing::CompileText(expr);
  EXPECT_TRUE(l.ok()) << l.status();
  auto state = l->NewState();
  EvalScratch scratch;
  std::vector<std::string> out;
  for (double x : xs) {
    std::vector<Value> slots = {Value::Float(x)};
    scratch.Reset();
    out.push_back(testing::Render(*l, l->Eval(slots, state.get(), &scratch)));
  }
  return out;
}

TEST(StatefulFunctions, SigmaMatchesAHandComputation) {
  const std::vector<double> xs = {1, 2, 3, 4, 100, 5};
  auto l = testing::CompileText(R"(sigma("x"))");
  ASSERT_TRUE(l.ok());
  auto state = l->NewState();
  EvalScratch scratch;
  // Welford with the sample variance, as in the Kapacitor source.
  double n = 0, mean = 0, m2 = 0;
  for (double x : xs) {
    n += 1;
    double delta = x - mean;
    mean += delta / n;
    m2 += delta * (x - mean);
    double var = m2 / (n - 1);
    double want = (n < 2 || var == 0) ? 0 : std::fabs(x - mean) / std::sqrt(var);
    std::vector<Value> slots = {Value::Float(x)};
    Value got = l->Eval(slots, state.get(), &scratch);
    ASSERT_EQ(got.kind(), ValueKind::kFloat);
    EXPECT_DOUBLE_EQ(got.float_value(), want) << "x=" << x;
  }
  // The 5th value (100) is ~1.78 sigma away from the running mean.
  state->Reset();
  std::vector<Value> one = {Value::Float(7)};
  EXPECT_EQ(l->Eval(one, state.get(), &scratch), Value::Float(0));
}

TEST(StatefulFunctions, CountAndSpread) {
  EXPECT_EQ(Sequence("count()", {0, 0, 0}), (std::vector<std::string>{"int:1", "int:2", "int:3"}));
  EXPECT_EQ(Sequence(R"(spread("x"))", {5, 3, 9, 4}),
            (std::vector<std::string>{"float:0", "float:2", "float:6", "float:6"}));
  EXPECT_EQ(Sequence(R"(count() + count())", {0, 0}),
            (std::vector<std::string>{"int:2", "int:4"}));  // two independent call sites
}

TEST(StatefulFunctions, StatesAreIndependent) {
  auto l = testing::CompileText("count()");
  ASSERT_TRUE(l.ok());
  auto a = l->NewState();
  auto b = l->NewState();
  EvalScratch scratch;
  EXPECT_EQ(l->Eval({}, a.get(), &scratch), Value::Int(1));
  EXPECT_EQ(l->Eval({}, a.get(), &scratch), Value::Int(2));
  EXPECT_EQ(l->Eval({}, b.get(), &scratch), Value::Int(1));
  a->Reset();
  EXPECT_EQ(l->Eval({}, a.get(), &scratch), Value::Int(1));
  EXPECT_TRUE(l->has_state());
}

}  // namespace
}  // namespace tick::interp
