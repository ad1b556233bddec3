// File: bench/lambda_bench.cc
//
// Lambda engine benchmarks: every expression of Kapacitor's tick/stateful/expr_benchmarks_test.go
// plus typical alert predicates. Each expression is measured as a compiled lambda
// (CompiledLambda::EvalPredicate on pre-bound slots, like Kapacitor's EvalBool on a filled scope)
// and as a hand-written C++ function computing the same predicate from the same slot Values
// (the practical limit). `allocs_per_eval` counts global operator new calls per evaluation.
// The regex rows: tickrun memoises regex matches per EvalScratch (tag values repeat), the
// hand-written version calls RE2 every time; `..._DistinctHosts` cycles through 4096 host names
// so that the memo never answers and RE2 runs on every evaluation in both variants.
//
// Ratios are taken within one run, with repetitions interleaved at random so that both variants
// see the same phases of the machine (bench/lambda_table.py prints the BENCHMARKS.md table):
//
//   build/bench/lambda_bench --benchmark_min_time=0.05 --benchmark_repetitions=10
//     --benchmark_enable_random_interleaving=true --benchmark_format=json > /tmp/lambda.json
//   python3 bench/lambda_table.py /tmp/lambda.json
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/source.h"
#include "benchmark/benchmark.h"
#include "grammar/parser.h"
#include "interpreter/lambda.h"
#include "re2/re2.h"

namespace {
std::atomic<uint64_t> g_allocs{0};
}  // namespace

// Counting global allocator (free() on memory from our malloc-based operator new is correct).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t n) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace tick::interp {
namespace {

using Slots = std::vector<std::pair<std::string, Value>>;
using Hand = std::function<int(const Value* slots)>;  // 1 true, 0 false, -1 error

struct Case {
  std::string name;
  std::string expr;
  Slots slots;
  double kapacitor_ns;         // Kapacitor's Go evaluator on a 2-core machine (0 = not given)
  Hand hand;                   // reads slots in the lambda's slot order
  bool value_changes = false;  // cycle the first slot through 21..40
  bool host_changes = false;   // cycle the second slot through 4096 distinct strings
};

// 4096 distinct host names: more than the regex memo holds, so every match runs RE2.
const std::vector<std::string>& DistinctHosts() {
  static const auto* hosts = [] {
    auto* v = new std::vector<std::string>();
    for (int i = 0; i < 4096; ++i) v->push_back(absl::StrCat("server", i));
    return v;
  }();
  return *hosts;
}

// Hand-written predicates. Slot order = first occurrence in the expression.
int CmpFloatConst(const Value* s, double c) {
  if (s[0].kind() == ValueKind::kFloat) return s[0].float_value() > c;
  if (s[0].kind() == ValueKind::kInt) return static_cast<double>(s[0].int_value()) > c;
  return -1;
}

const re2::RE2& ServerRe() {
  static const re2::RE2* re = new re2::RE2("^server0[0-9]$");
  return *re;
}

std::vector<Case> Cases() {
  std::vector<Case> c;
  c.push_back({"UnaryNode_BoolNode", "!FALSE", {}, 0, [](const Value*) { return 1; }});
  c.push_back(
      {"UnaryNode_ReferenceNode",
       R"(!"value")",
       {{"value", Value::Bool(false)}},
       0,
       [](const Value* s) { return s[0].kind() == ValueKind::kBool ? !s[0].bool_value() : -1; }});
  c.push_back(
      {"NumberFloat64_NumberFloat64", "20.0 > 10.0", {}, 41, [](const Value*) { return 1; }});
  c.push_back({"NumberFloat64_NumberInt64", "20.0 > 10", {}, 0, [](const Value*) { return 1; }});
  c.push_back({"NumberInt64_NumberInt64", "20 > 10", {}, 0, [](const Value*) { return 1; }});
  c.push_back({"UnaryNode_EqReference",
               R"(!FALSE == "value")",
               {{"value", Value::Bool(true)}},
               0,
               [](const Value* s) {
                 return s[0].kind() == ValueKind::kBool ? s[0].bool_value() == true : -1;
               }});
  c.push_back({"ReferenceFloat64_NumberFloat64",
               R"("value" > 10.0)",
               {{"value", Value::Float(20)}},
               112,
               [](const Value* s) { return CmpFloatConst(s, 10.0); }});
  c.push_back({"ReferenceFloat64_NumberInt64",
               R"("value" > 10)",
               {{"value", Value::Float(20)}},
               0,
               [](const Value* s) { return CmpFloatConst(s, 10.0); }});
  c.push_back({"ReferenceFloat64_ReferenceFloat64",
               R"("l" > "r")",
               {{"l", Value::Float(20)}, {"r", Value::Float(10)}},
               131,
               [](const Value* s) {
                 if (s[0].kind() != ValueKind::kFloat || s[1].kind() != ValueKind::kFloat) {
                   return -1;
                 }
                 return static_cast<int>(s[0].float_value() > s[1].float_value());
               }});
  {
    Slots many = {{"value", Value::Float(20)}};
    for (int i = 0; i < 10; ++i) many.push_back({absl::StrCat("value_", i), Value::Float(i)});
    c.push_back({"With11ScopeItem_ReferenceFloat64_NumberFloat64", R"("value" > 10.0)", many, 0,
                 [](const Value* s) { return CmpFloatConst(s, 10.0); }});
  }
  c.push_back({"ValueChanges_ReferenceFloat64_NumberFloat64",
               R"("value" > 10.0)",
               {{"value", Value::Float(21)}},
               0,
               [](const Value* s) { return CmpFloatConst(s, 10.0); },
               true});
  c.push_back({"ReferenceInt64_ReferenceInt64",
               R"("l" > "r")",
               {{"l", Value::Int(20)}, {"r", Value::Int(10)}},
               0,
               [](const Value* s) {
                 if (s[0].kind() != ValueKind::kInt || s[1].kind() != ValueKind::kInt) return -1;
                 return static_cast<int>(s[0].int_value() > s[1].int_value());
               }});
  {
    Slots many = {{"value", Value::Int(20)}};
    for (int i = 0; i < 10; ++i) many.push_back({absl::StrCat("value_", i), Value::Int(i)});
    c.push_back({"With11ScopeItem_ReferenceInt64_NumberInt64", R"("value" > 10)", many, 0,
                 [](const Value* s) {
                   return s[0].kind() == ValueKind::kInt ? s[0].int_value() > 10 : -1;
                 }});
  }
  c.push_back({"TwoLevelDeep",
               R"("a" > 10.0 AND "b" < 10.0)",
               {{"a", Value::Float(11)}, {"b", Value::Float(8)}},
               0,
               [](const Value* s) {
                 if (s[0].kind() != ValueKind::kFloat) return -1;
                 if (!(s[0].float_value() > 10.0)) return 0;
                 if (s[1].kind() != ValueKind::kFloat) return -1;
                 return static_cast<int>(s[1].float_value() < 10.0);
               }});
  c.push_back(
      {"ValueChanges_ReferenceInt64_NumberInt64",
       R"("value" > 10)",
       {{"value", Value::Int(21)}},
       0,
       [](const Value* s) { return s[0].kind() == ValueKind::kInt ? s[0].int_value() > 10 : -1; },
       true});
  // Alert predicates from the issue.
  c.push_back({"Alert_UsageIdleLt10",
               R"("usage_idle" < 10)",
               {{"usage_idle", Value::Float(5)}},
               98,
               [](const Value* s) {
                 return s[0].kind() == ValueKind::kFloat ? s[0].float_value() < 10.0 : -1;
               }});
  c.push_back({"Alert_UsageIdleLt10_AND_Host",
               R"("usage_idle" < 10 AND "host" == 'server01')",
               {{"usage_idle", Value::Float(5)}, {"host", Value::String("server01")}},
               258,
               [](const Value* s) {
                 if (s[0].kind() != ValueKind::kFloat) return -1;
                 if (!(s[0].float_value() < 10.0)) return 0;
                 if (s[1].kind() != ValueKind::kString) return -1;
                 return static_cast<int>(s[1].string_value() == "server01");
               }});
  c.push_back({"Alert_Range_OR_Regex",
               R"("value" > 30 AND "value" < 50 OR "host" =~ /^server0[0-9]$/)",
               {{"value", Value::Float(60)}, {"host", Value::String("server05")}},
               358,
               [](const Value* s) {
                 if (s[0].kind() != ValueKind::kFloat) return -1;
                 const double v = s[0].float_value();
                 if (v > 30 && v < 50) return 1;
                 if (s[1].kind() != ValueKind::kString) return -1;
                 std::string_view h = s[1].string_value();
                 return static_cast<int>(
                     re2::RE2::PartialMatch(re2::StringPiece(h.data(), h.size()), ServerRe()));
               }});
  c.push_back({"Alert_Range_OR_Regex_DistinctHosts",
               R"("value" > 30 AND "value" < 50 OR "host" =~ /^server0[0-9]$/)",
               {{"value", Value::Float(60)}, {"host", Value::String("server05")}},
               358,
               c.back().hand,
               false,
               true});
  c.push_back({"Alert_Abs_AND_StrContains",
               R"(abs("usage_idle" - 50.0) > 40.0 AND strContains("host", 'server'))",
               {{"usage_idle", Value::Float(95)}, {"host", Value::String("server01")}},
               1163,
               [](const Value* s) {
                 if (s[0].kind() != ValueKind::kFloat) return -1;
                 if (!(std::fabs(s[0].float_value() - 50.0) > 40.0)) return 0;
                 if (s[1].kind() != ValueKind::kString) return -1;
                 return static_cast<int>(s[1].string_value().find("server") !=
                                         std::string_view::npos);
               }});
  c.push_back({"Alert_Sigma",
               R"(sigma("usage_idle") > 3.0)",
               {{"usage_idle", Value::Float(5)}},
               387,
               nullptr,
               true});
  return c;
}

struct SigmaHand {
  double n = 0, mean = 0, m2 = 0;
  int Eval(const Value* s) {
    if (s[0].kind() != ValueKind::kFloat) return -1;
    const double x = s[0].float_value();
    n += 1;
    const double delta = x - mean;
    mean += delta / n;
    m2 += delta * (x - mean);
    const double var = m2 / (n - 1);
    const double sigma = (n < 2 || var == 0) ? 0 : std::fabs(x - mean) / std::sqrt(var);
    return sigma > 3.0;
  }
};

std::vector<Value> Bind(const CompiledLambda& l, const Slots& s) {
  std::vector<Value> out(l.slot_names().size());
  for (size_t i = 0; i < out.size(); ++i) {
    for (const auto& [n, v] : s) {
      if (n == l.slot_names()[i]) out[i] = v;
    }
  }
  return out;
}

void Report(benchmark::State& state, uint64_t allocs, double kapacitor_ns) {
  state.counters["allocs_per_eval"] =
      benchmark::Counter(static_cast<double>(allocs) / static_cast<double>(state.iterations()));
  if (kapacitor_ns > 0) state.counters["kapacitor_go_ns"] = kapacitor_ns;
}

// Sets the slots a case changes between evaluations (the same cost in both variants; Kapacitor
// sets its value outside the timer).
struct Changer {
  int64_t i = 0, h = 0;
  template <bool kValueChanges, bool kHostChanges>
  void Step(std::vector<Value>& slots) {
    if constexpr (kValueChanges) {
      slots[0] = slots[0].kind() == ValueKind::kInt
                     ? Value::Int(21 + i % 20)
                     : Value::Float(21 + static_cast<double>(i % 20));
      if (++i == 20) i = 0;
    }
    if constexpr (kHostChanges) {
      slots[1] = Value::String(DistinctHosts()[static_cast<size_t>(h++) % 4096]);
    }
  }
};

// The timed loops are instantiated per kind of case, so that a plain case's loop carries nothing
// it does not use: with one loop for every case, the iteration counter did not fit in a register
// and each iteration paid a store-to-load round trip on it (about 2 ns, in both variants).
template <bool kValueChanges, bool kHostChanges>
int LambdaLoop(benchmark::State& state, const CompiledLambda& l, std::vector<Value>& slots,
               EvalState* st, EvalScratch& scratch) {
  Changer changer;
  Value err;
  int trues = 0;
  for (auto _ : state) {
    changer.Step<kValueChanges, kHostChanges>(slots);
    scratch.Reset();
    auto t = l.EvalPredicate(slots, st, &scratch, &err);
    trues += t == CompiledLambda::Truth::kTrue;
    benchmark::DoNotOptimize(t);
  }
  return trues;
}

void RunLambda(benchmark::State& state, const Case& c) {
  auto body = grammar::ParseLambdaBody(c.expr, "bench.tick");
  if (!body.ok()) {
    state.SkipWithError(std::string(body.status().message()).c_str());
    return;
  }
  SourceFile src("bench.tick", c.expr);
  auto l = CompileLambda(**body, Scope(), src);
  if (!l.ok()) {
    state.SkipWithError(std::string(l.status().message()).c_str());
    return;
  }
  std::vector<Value> slots = Bind(*l, c.slots);
  auto st = l->NewState();
  EvalScratch scratch;
  Value err;
  // Warm up (steady state), then count allocations over the timed loop.
  l->EvalPredicate(slots, st.get(), &scratch, &err);
  const uint64_t before = g_allocs.load();
  int trues = 0;
  if (c.value_changes) {
    trues = LambdaLoop<true, false>(state, *l, slots, st.get(), scratch);
  } else if (c.host_changes) {
    trues = LambdaLoop<false, true>(state, *l, slots, st.get(), scratch);
  } else {
    trues = LambdaLoop<false, false>(state, *l, slots, st.get(), scratch);
  }
  Report(state, g_allocs.load() - before, c.kapacitor_ns);
  benchmark::DoNotOptimize(trues);
}

template <bool kValueChanges, bool kHostChanges, typename F>
void HandLoop(benchmark::State& state, std::vector<Value>& slots, F&& f) {
  Changer changer;
  for (auto _ : state) {
    changer.Step<kValueChanges, kHostChanges>(slots);
    benchmark::DoNotOptimize(slots.data());
    int r = f(slots.data());
    benchmark::DoNotOptimize(r);
  }
}

void RunHand(benchmark::State& state, const Case& c) {
  auto body = grammar::ParseLambdaBody(c.expr, "bench.tick");
  SourceFile src("bench.tick", c.expr);
  auto l = CompileLambda(**body, Scope(), src);
  std::vector<Value> slots = Bind(*l, c.slots);
  SigmaHand sigma;
  const uint64_t before = g_allocs.load();
  if (!c.hand) {  // sigma: its value changes
    HandLoop<true, false>(state, slots, [&sigma](const Value* s) { return sigma.Eval(s); });
  } else if (c.value_changes) {
    HandLoop<true, false>(state, slots, c.hand);
  } else if (c.host_changes) {
    HandLoop<false, true>(state, slots, c.hand);
  } else {
    HandLoop<false, false>(state, slots, c.hand);
  }
  Report(state, g_allocs.load() - before, 0);
}

const bool kRegistered = [] {
  static const std::vector<Case>* cases = new std::vector<Case>(Cases());
  for (const Case& c : *cases) {
    benchmark::RegisterBenchmark(("Lambda/" + c.name).c_str(),
                                 [&c](benchmark::State& s) { RunLambda(s, c); });
    benchmark::RegisterBenchmark(("Hand/" + c.name).c_str(),
                                 [&c](benchmark::State& s) { RunHand(s, c); });
  }
  return true;
}();

}  // namespace
}  // namespace tick::interp

BENCHMARK_MAIN();
