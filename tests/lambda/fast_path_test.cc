// File: tests/lambda/fast_path_test.cc
//
// The fast predicate form of a lambda (comparisons, regex matches, strContains, float math,
// NOT/AND/OR without Value boxing) must be unobservable: for random expressions and random
// bindings (every kind, missing values, uints, field/tag conflicts), a lambda compiled with the
// fast form and the same lambda compiled without it (general evaluator only) give the same
// truth value, the same error text and the same Eval value. Also: which shapes get a fast form,
// and the per-scratch regex memo.
#include <cmath>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "base/source.h"
#include "grammar/parser.h"
#include "gtest/gtest.h"
#include "interpreter/lambda.h"
#include "interpreter/lambda_internal.h"
#include "re2/re2.h"

namespace tick::interp {
namespace {

struct Compiled {
  std::string text;
  CompiledLambda fast;
  CompiledLambda general;
};

// Compiles `text` twice: with the fast form (if it has one) and without.
std::optional<Compiled> CompileBoth(const std::string& text) {
  auto body = grammar::ParseLambdaBody(text, "f.tick");
  if (!body.ok()) {
    ADD_FAILURE() << text << ": " << body.status();
    return std::nullopt;
  }
  SourceFile src("f.tick", text);
  auto fast = CompileLambda(**body, Scope(), src);
  internal::SetFastPathForTesting(false);
  auto general = CompileLambda(**body, Scope(), src);
  internal::SetFastPathForTesting(true);
  if (!fast.ok() || !general.ok()) {
    EXPECT_EQ(fast.ok(), general.ok()) << text;
    return std::nullopt;
  }
  EXPECT_FALSE(internal::HasFastPathForTesting(*general)) << text;
  return Compiled{text, *std::move(fast), *std::move(general)};
}

std::string Outcome(const CompiledLambda& l, const std::vector<Value>& slots,
                    EvalScratch* scratch) {
  scratch->Reset();
  Value err;
  auto state = l.NewState();
  switch (l.EvalPredicate(slots, state.get(), scratch, &err)) {
    case CompiledLambda::Truth::kTrue:
      return "true";
    case CompiledLambda::Truth::kFalse:
      return "false";
    case CompiledLambda::Truth::kError:
      return "error: " + l.FormatError(err);
  }
  return "?";
}

std::string EvalText(const CompiledLambda& l, const std::vector<Value>& slots,
                     EvalScratch* scratch) {
  scratch->Reset();
  auto state = l.NewState();
  const Value v = l.Eval(slots, state.get(), scratch);
  if (v.is_error()) return "error: " + l.FormatError(v);
  switch (v.kind()) {
    case ValueKind::kBool:
      return v.bool_value() ? "bool true" : "bool false";
    case ValueKind::kFloat:
      return "float " + std::to_string(v.float_value());
    default:
      return std::string("kind ") + KindName(v.kind());
  }
}

class Gen {
 public:
  explicit Gen(uint32_t seed) : rng_(seed) {}

  std::string Predicate(int depth) {
    if (depth == 0 || Pick(10) < 3) return Leaf();
    switch (Pick(5)) {
      case 0:
        return "!(" + Predicate(depth - 1) + ")";
      case 1:
      case 2:
        return "(" + Predicate(depth - 1) + " AND " + Predicate(depth - 1) + ")";
      default:
        return "(" + Predicate(depth - 1) + " OR " + Predicate(depth - 1) + ")";
    }
  }

  // Slot values for the names used by Leaf(): usually their natural kind, sometimes anything.
  std::map<std::string, Value> Bindings() {
    std::map<std::string, Value> b;
    const std::pair<const char*, ValueKind> natural[] = {
        {"f", ValueKind::kFloat},   {"g", ValueKind::kFloat},  {"i", ValueKind::kInt},
        {"s", ValueKind::kString},  {"t", ValueKind::kString}, {"b", ValueKind::kBool},
        {"d", ValueKind::kDuration}};
    for (const auto& [name, kind] : natural) {
      ValueKind k = kind;
      if (Pick(6) == 0) {
        const ValueKind any[] = {ValueKind::kFloat, ValueKind::kInt,      ValueKind::kString,
                                 ValueKind::kBool,  ValueKind::kDuration, ValueKind::kMissing,
                                 ValueKind::kUint,  ValueKind::kError};
        k = any[Pick(8)];
      }
      if (k == ValueKind::kMissing) continue;
      b[name] = Random(k, static_cast<size_t>(name[0]));
    }
    return b;
  }

 private:
  int Pick(size_t n) { return static_cast<int>(rng_() % static_cast<uint32_t>(n)); }

  Value Random(ValueKind k, size_t slot_hint) {
    static const double floats[] = {0.0, -0.0, 1.5, -2.25, 10.0,     1e300,
                                    0.1, 95.0, 5.0, NAN,   INFINITY, -INFINITY};
    static const int64_t ints[] = {0, 1, -1, 7, 10, 9007199254740993LL, -9223372036854775807LL - 1};
    static const char* strs[] = {"",        "x",          "abc",      "server01",
                                 "server1", "serverXYZ0", "web-01.b", "a-longer-host-name-x"};
    switch (k) {
      case ValueKind::kFloat:
        return Value::Float(floats[Pick(std::size(floats))]);
      case ValueKind::kInt:
        return Value::Int(ints[Pick(7)]);
      case ValueKind::kString:
        return Value::String(strs[Pick(8)]);
      case ValueKind::kBool:
        return Value::Bool(Pick(2) == 0);
      case ValueKind::kDuration:
        return Value::Duration(ints[Pick(7)]);
      case ValueKind::kError:
        return CompiledLambda::FieldTagConflictError(slot_hint % 3);
      default:
        return Value::Uint(3);
    }
  }

  std::string Leaf() {
    static const char* leaves[] = {
        R"("f" < 10)",
        R"("f" >= 1.5)",
        R"("f" != 5.0)",
        R"("f" == 0)",
        R"("f" <= 1.5)",
        R"("f" > 0.1)",
        R"(("f" > 0.1 AND "f" <= 10))",
        R"(("f" >= 0 AND 1.5 > "f"))",
        R"(("i" > -1 AND "i" < 10))",
        R"(("f" < 10 AND "f" != 5.0))",
        R"(("f" > 95.0 AND "f" < 5))",
        R"(("f" < 10 AND "s" == 'serverXYZ0'))",
        R"(("f" >= 1.5 OR "t" != 'web-01.b'))",
        R"(("f" != 5.0 AND "t" == 'a-longer-host-name-x'))",
        R"(10 > "f")",
        R"("i" == 7)",
        R"("i" != 7.0)",
        R"("i" <= 9007199254740992)",
        R"("i" > -1)",
        R"("i" < 0)",
        R"("i" >= 9007199254740993)",
        R"("i" != -1)",
        R"("f" == "g")",
        R"("f" != "g")",
        R"("f" >= "g")",
        R"("g" > "f")",
        R"("f" <= "g")",
        R"("f" < "i")",
        R"("s" == 'server01')",
        R"("s" != 'abc')",
        R"("s" < 'server')",
        R"('x' >= "s")",
        R"("s" == "t")",
        R"("s" > "t")",
        R"("s" =~ /^server0[0-9]$/)",
        R"("s" !~ /b/)",
        R"("t" =~ /^$/)",
        R"("s" =~ /a-longer-host-name-x$/)",
        R"(strContains("s", 'server'))",
        R"(strContains("t", ''))",
        R"(strContains("s", 'er0'))",
        R"(strContains("t", 'a-longer-host-name-x'))",
        R"(strContains("s", 'x'))",
        R"(abs("f" - 1.5) <= 0)",
        R"(sqrt("f" * 4.0) != 2.0)",
        R"("b")",
        R"("b" == TRUE)",
        R"("b" != FALSE)",
        R"(TRUE)",
        R"(FALSE)",
        R"(abs("f" - 50.0) > 40.0)",
        R"(("f" * 2.0 + "g") / 3.0 <= 4)",
        R"(sqrt("f") < 2.0)",
        R"(floor("g") == 1.0)",
        R"(ceil("f") >= 3.0)",
        R"(abs(floor("f")) < 3.0)",
        R"((10.5 - "g") * "f" > 1.0)",
        R"(sqrt(abs("f")) + ceil("g") <= 5.5)",
        R"(2.0 * 3.0 + "f" != 7.5)",
        R"(floor("f" * 2.0) == 3.0)",
        R"(ceil("g" / 4.0) >= 1.0)",
        R"(sqrt("f" + 1.0) < 2.0)",
        R"("d" > 1s)",
        R"("i" + 1 > 5)",
        R"("f")",
    };
    return leaves[Pick(sizeof(leaves) / sizeof(leaves[0]))];
  }

  std::mt19937 rng_;
};

TEST(LambdaFastPath, AgreesWithGeneralEvaluator) {
  Gen gen(20261128);
  int with_fast = 0, checked = 0, errors = 0, trues = 0;
  EvalScratch scratch_fast, scratch_general;
  for (int iter = 0; iter < 3000; ++iter) {
    const std::string text = gen.Predicate(1 + iter % 4);
    std::optional<Compiled> c = CompileBoth(text);
    if (!c) continue;
    with_fast += internal::HasFastPathForTesting(c->fast);
    for (int round = 0; round < 4; ++round) {
      const std::map<std::string, Value> bindings = gen.Bindings();
      std::vector<Value> slots(c->fast.slot_names().size());
      for (size_t i = 0; i < slots.size(); ++i) {
        auto it = bindings.find(c->fast.slot_names()[i]);
        if (it != bindings.end()) slots[i] = it->second;
      }
      const std::string want = Outcome(c->general, slots, &scratch_general);
      ASSERT_EQ(Outcome(c->fast, slots, &scratch_fast), want) << text;
      ASSERT_EQ(EvalText(c->fast, slots, &scratch_fast),
                EvalText(c->general, slots, &scratch_general))
          << text;
      ++checked;
      errors += want.rfind("error", 0) == 0;
      trues += want == "true";
    }
  }
  // The fast form must really be exercised, with every outcome.
  EXPECT_GT(with_fast, 1500);
  EXPECT_GT(trues, 1000);
  EXPECT_GT(errors, 1000);
  EXPECT_GT(checked - trues - errors, 1000);
}

bool HasFast(const std::string& text) {
  std::optional<Compiled> c = CompileBoth(text);
  return c && internal::HasFastPathForTesting(c->fast);
}

TEST(LambdaFastPath, CommonAlertRulesHaveAFastForm) {
  EXPECT_TRUE(HasFast(R"("usage_idle" < 10)"));
  EXPECT_TRUE(HasFast(R"("usage_idle" < 10 AND "host" == 'server01')"));
  EXPECT_TRUE(HasFast(R"("value" > 30 AND "value" < 50 OR "host" =~ /^server0[0-9]$/)"));
  EXPECT_TRUE(HasFast(R"(abs("usage_idle" - 50.0) > 40.0 AND strContains("host", 'server'))"));
  EXPECT_TRUE(HasFast(R"(!FALSE == "value")"));
  EXPECT_TRUE(HasFast(R"(20.0 > 10.0)"));
  EXPECT_TRUE(HasFast(R"(!"value")"));
  EXPECT_TRUE(HasFast(R"(sigma("usage_idle") > 3.0)"));  // the stateful form, as the whole lambda
  // Stateful functions inside AND/OR, clock-dependent, int math and string-producing expressions
  // keep the general evaluator only.
  EXPECT_FALSE(HasFast(R"(sigma("usage_idle") > 3.0 AND "host" == 'a')"));
  EXPECT_FALSE(HasFast(R"(sigma("a" + 1.0) > 3.0)"));
  EXPECT_FALSE(HasFast(R"(now() > "time")"));
  EXPECT_FALSE(HasFast(R"("a" + 1 > 5)"));
  EXPECT_FALSE(HasFast(R"("a" + 'x' == 'bx')"));
  EXPECT_FALSE(HasFast(R"("a" - 1)"));
}

// The stateful fast form (sigma compared with a constant) updates the state exactly as the general
// evaluator does, and leaves it untouched when it hands a value over (missing, int, error).
TEST(LambdaFastPath, SigmaAgreesWithGeneralEvaluator) {
  for (const char* text : {R"(sigma("x") > 1.5)", R"(sigma("x") <= 1)", R"(2.0 < sigma("x"))"}) {
    std::optional<Compiled> c = CompileBoth(text);
    ASSERT_TRUE(c) << text;
    EXPECT_EQ(internal::HasFastPathForTesting(c->fast),
              std::string_view(text).substr(0, 5) == "sigma")
        << text;
    auto fast_state = c->fast.NewState();
    auto general_state = c->general.NewState();
    EvalScratch scratch;
    std::mt19937 rng(5);
    for (int i = 0; i < 3000; ++i) {
      std::vector<Value> slots(1);
      switch (rng() % 8) {
        case 0:
          break;  // missing
        case 1:
          slots[0] = Value::Int(static_cast<int64_t>(rng() % 10));
          break;
        case 2:
          slots[0] = CompiledLambda::FieldTagConflictError(0);
          break;
        default:
          slots[0] = Value::Float(static_cast<double>(rng() % 1000) / 100.0);
      }
      if (i == 1500) {
        fast_state->Reset();
        general_state->Reset();
      }
      Value e1, e2;
      scratch.Reset();
      const auto t1 = c->fast.EvalPredicate(slots, fast_state.get(), &scratch, &e1);
      const std::string o1 =
          t1 == CompiledLambda::Truth::kError ? c->fast.FormatError(e1) : std::to_string(int(t1));
      scratch.Reset();
      const auto t2 = c->general.EvalPredicate(slots, general_state.get(), &scratch, &e2);
      const std::string o2 = t2 == CompiledLambda::Truth::kError ? c->general.FormatError(e2)
                                                                 : std::to_string(int(t2));
      ASSERT_EQ(o1, o2) << text << " step " << i;
    }
  }
}

// The memo is keyed by regex identity and string bytes: distinct regexes, strings that share a
// hash bucket, long strings and lambdas compiled after others were destroyed all answer right.
TEST(LambdaFastPath, RegexMemoIsKeyedByRegexAndBytes) {
  EvalScratch scratch;
  std::vector<std::string> texts;
  for (int i = 0; i < 2000; ++i) texts.push_back("host-" + std::to_string(i));
  texts.push_back(std::string(200, 'a') + "7");  // longer than the memo key
  // Every length around the memo's paths: inline hits (up to 16 bytes), hits through the slow
  // path (17 to 54), not memoised (longer); strings that differ only in their middle byte.
  for (size_t n = 1; n <= 60; ++n) {
    for (char mid : {'1', '7', 'x'}) {
      std::string t = "host-" + std::string(n, 'a');
      t.resize(n);
      t[n / 2] = mid;
      texts.push_back(t);
    }
  }
  texts.push_back("");
  for (int round = 0; round < 3; ++round) {
    // Compiled anew each round: the memo must not answer for a destroyed lambda's regex.
    const char* patterns[] = {R"("h" =~ /7$/)", R"("h" =~ /^host-1/)", R"("h" !~ /[05]$/)"};
    for (const char* p : patterns) {
      std::optional<Compiled> c = CompileBoth(p);
      ASSERT_TRUE(c && internal::HasFastPathForTesting(c->fast)) << p;
      for (const std::string& t : texts) {
        const std::vector<Value> slots = {Value::String(t)};
        EvalScratch general;
        ASSERT_EQ(Outcome(c->fast, slots, &scratch), Outcome(c->general, slots, &general))
            << p << " on " << t;
      }
    }
  }
}

// `x <cmp> c` as C++ computes it (IEEE for doubles).
template <typename T>
bool Compare(internal::FastCmp cmp, T x, T c) {
  switch (cmp) {
    case internal::FastCmp::kEq:
      return x == c;
    case internal::FastCmp::kNe:
      return x != c;
    case internal::FastCmp::kLt:
      return x < c;
    case internal::FastCmp::kLe:
      return x <= c;
    case internal::FastCmp::kGt:
      return x > c;
    case internal::FastCmp::kGe:
      return x >= c;
  }
  return false;
}

// For every comparison and every pair of edge values, "x in [lo, hi]" (negated when the
// interval says so) answers as Compare does.
template <typename T, size_t N, typename ToInterval>
void ExpectIntervalsMatch(const T (&edges)[N], ToInterval to_interval) {
  using internal::FastCmp;
  for (FastCmp cmp :
       {FastCmp::kEq, FastCmp::kNe, FastCmp::kLt, FastCmp::kLe, FastCmp::kGt, FastCmp::kGe}) {
    for (T c : edges) {
      const auto in = to_interval(cmp, c);
      for (T x : edges) {
        const bool got = ((in.lo <= x) && (x <= in.hi)) != in.negate;
        ASSERT_EQ(got, Compare(cmp, x, c))
            << "cmp " << static_cast<int>(cmp) << " x " << x << " c " << c;
      }
    }
  }
}

// The inline form of `slot <cmp> number` ("x in [lo, hi]", maybe negated) answers exactly as the
// IEEE comparison for every pair of edge values: signed zeros, the smallest subnormals, the
// largest finite values, infinities and NaN, as constant and as value.
TEST(LambdaFastPath, FloatIntervalMatchesIeeeComparison) {
  const double kInf = std::numeric_limits<double>::infinity();
  const double kMin = std::numeric_limits<double>::denorm_min();
  const double kMax = std::numeric_limits<double>::max();
  const double edges[] = {0.0,
                          -0.0,
                          kMin,
                          -kMin,
                          kMax,
                          -kMax,
                          kInf,
                          -kInf,
                          NAN,
                          1.0,
                          -1.0,
                          10.0,
                          std::nextafter(10.0, 0.0),
                          1e-300,
                          0.1,
                          -2.25,
                          95.0};
  ExpectIntervalsMatch<double>(edges, internal::ToFloatInterval);
}

// The same for an int compared with an int constant, over the int64 edges.
TEST(LambdaFastPath, IntIntervalMatchesIntComparison) {
  const int64_t kMin = std::numeric_limits<int64_t>::min();
  const int64_t kMax = std::numeric_limits<int64_t>::max();
  const int64_t edges[] = {kMin, kMin + 1, -7, -1, 0, 1, 7, kMax - 1, kMax};
  ExpectIntervalsMatch<int64_t>(edges, internal::ToIntInterval);
}

TEST(LambdaFastPath, EvalScratchRegexMatch) {
  EvalScratch scratch;
  const re2::RE2 a("^x+$"), b("y");
  EXPECT_TRUE(scratch.RegexMatch(a, 1001, "xxx"));
  EXPECT_FALSE(scratch.RegexMatch(b, 1002, "xxx"));  // same bytes, another regex
  EXPECT_TRUE(scratch.RegexMatch(a, 1001, "xxx"));   // memoised answer
  EXPECT_FALSE(scratch.RegexMatch(a, 1001, "xxy"));
  EXPECT_TRUE(scratch.RegexMatch(b, 1002, "xxy"));
  EXPECT_TRUE(scratch.RegexMatch(a, 1001, std::string(100, 'x')));  // not memoised, still right
  EXPECT_FALSE(scratch.RegexMatch(a, 1001, ""));
  scratch.Reset();  // the memo survives Reset
  EXPECT_TRUE(scratch.RegexMatch(a, 1001, "x"));
}

}  // namespace
}  // namespace tick::interp
