// File: tests/lambda/alloc_test.cc
//
// Proves that evaluation allocates nothing in the steady state: this file replaces the global
// operator new of the lambda_test binary with a counting one.
#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "interpreter/lambda.h"
#include "tests/lambda/lambda_test_util.h"

namespace {
std::atomic<uint64_t> g_allocs{0};
}  // namespace

#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t n) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return ::operator new(n); }
// Every form that the replaced deletes can free must allocate with malloc (ASan checks the
// pairing; its own nothrow new would otherwise be freed with free()).
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n == 0 ? 1 : n);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n == 0 ? 1 : n);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace tick::interp {
namespace {

TEST(LambdaAllocations, ZeroPerEvaluationInSteadyState) {
  const char* exprs[] = {
      R"("usage_idle" < 10)",
      R"("usage_idle" < 10 AND "host" == 'server01')",
      R"("value" > 30 AND "value" < 50 OR "host" =~ /^server0[0-9]$/)",
      R"(abs("usage_idle" - 50.0) > 40.0 AND strContains("host", 'server'))",
      R"(sigma("usage_idle") > 3.0)",
      R"(strToUpper("host" + '-x') == 'SERVER01-X' AND strLength(string("value")) > 1)",
      R"(int("value") % 7 == 1 OR spread("usage_idle") > 100.0 OR count() < 0)",
      R"("missing" > 1 OR isPresent("missing"))",  // an error result: lazily formatted
      R"(if("value" > 10.0, 'a', 'b') + strTrimSpace(' x '))",
  };
  const testing::Bindings b = {{"usage_idle", Value::Float(95)},
                               {"value", Value::Float(43)},
                               {"host", Value::String("server01")}};
  for (const char* e : exprs) {
    auto l = testing::CompileText(e);
    ASSERT_TRUE(l.ok()) << e << ": " << l.status();
    std::vector<Value> slots = testing::BindSlots(*l, b);
    auto state = l->NewState();
    EvalScratch scratch;
    // Warm-up over the same inputs as the measured loop: scratch blocks, RE2 DFA caches, the
    // scratch's regex memo (allocated on its first regex match).
    for (int i = 0; i < 10; ++i) {
      scratch.Reset();
      slots[0] = slots[0].kind() == ValueKind::kFloat ? Value::Float(90 + i % 10) : slots[0];
      l->Eval(slots, state.get(), &scratch);
    }
    const uint64_t before = g_allocs.load();
    uint64_t results = 0;
    for (int i = 0; i < 1000; ++i) {
      scratch.Reset();
      slots[0] = slots[0].kind() == ValueKind::kFloat ? Value::Float(90 + i % 10) : slots[0];
      Value v = l->Eval(slots, state.get(), &scratch);
      results += static_cast<uint64_t>(v.kind());
    }
    EXPECT_EQ(g_allocs.load() - before, 0u) << e;
    EXPECT_GT(results, 0u);
  }
}

TEST(LambdaAllocations, CounterWorks) {
  const uint64_t before = g_allocs.load();
  auto* p = new std::string(100, 'x');
  delete p;
  EXPECT_GE(g_allocs.load() - before, 2u);
}

}  // namespace
}  // namespace tick::interp
