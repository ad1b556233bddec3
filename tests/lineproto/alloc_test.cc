// The steady-state parse loop performs no heap allocation: this file replaces the global
// operator new/delete of the lineproto_test binary with counting versions that count only
// while a measurement is active on the current thread.
#include <cstdlib>
#include <new>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "nodes/line_protocol.h"
#include "nodes/point.h"

namespace {
thread_local bool g_counting = false;
thread_local size_t g_allocations = 0;

void* CountedAlloc(size_t n) {
  if (g_counting) ++g_allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
}  // namespace

void* operator new(size_t n) { return CountedAlloc(n); }
void* operator new[](size_t n) { return CountedAlloc(n); }
// The nothrow forms too (std::stable_sort's temporary buffer uses them): every allocation must
// come from malloc, since every deallocation goes to free (ASan checks the pairing).
void* operator new(size_t n, const std::nothrow_t&) noexcept {
  if (g_counting) ++g_allocations;
  return std::malloc(n == 0 ? 1 : n);
}
void* operator new[](size_t n, const std::nothrow_t&) noexcept {
  if (g_counting) ++g_allocations;
  return std::malloc(n == 0 ? 1 : n);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }

namespace tick::nodes {
namespace {

std::string Lines(int count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  static const char* const kFields[] = {"usage_idle", "usage_user",   "usage_system",
                                        "usage_nice", "usage_iowait", "usage_irq"};
  std::string out;
  for (int i = 0; i < count; ++i) {
    out += "cpu,host=server" + std::to_string(rng() % 20) + ",region=r" +
           std::to_string(rng() % 3) + " ";
    const int fields = 2 + static_cast<int>(rng() % 5);
    for (int f = 0; f < fields; ++f) {
      if (f) out += ',';
      out += kFields[f];
      out += '=' + std::to_string(rng() % 10000) + "." + std::to_string(rng() % 10);
    }
    if (i % 5 == 0) out += ",msg=\"say \\\"hi\\\"\",n=" + std::to_string(i) + "i,ok=t";
    out += " " + std::to_string(1465839830100400200 + i) + (i % 2 ? "\n" : "\r\n");
    if (i % 50 == 0) out += "# comment\n\n";
  }
  return out;
}

TEST(AllocationTest, SteadyStateParseLoopDoesNotAllocate) {
  const std::string warmup = Lines(2000, 1);
  const std::string measured = Lines(20000, 2);
  ReaderOptions o;
  o.database = "telegraf";
  o.retention_policy = "autogen";
  LineProtocolReader reader(o);
  size_t fields = 0;
  auto on_point = [&](const Point& p) { fields += p.fields().size(); };
  auto on_error = [](std::string_view d) { ADD_FAILURE() << d; };
  reader.Feed(warmup, on_point, on_error);

  g_allocations = 0;
  g_counting = true;
  reader.Feed(measured, on_point, on_error);
  g_counting = false;

  EXPECT_EQ(g_allocations, 0u);
  EXPECT_EQ(reader.stats().points, 22000u);
  EXPECT_GT(fields, 22000u * 2);
}

TEST(AllocationTest, CountingWorks) {
  // Guards the test above against a replacement that never counts.
  g_allocations = 0;
  g_counting = true;
  auto* s = new std::string(100, 'x');
  g_counting = false;
  delete s;
  EXPECT_GE(g_allocations, 1u);
}

}  // namespace
}  // namespace tick::nodes
