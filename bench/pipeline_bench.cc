// Pipeline throughput: 1,000,000 generated line-protocol points (100 hosts, about 1% of the points
// below the threshold) through
//   stream|from().measurement('cpu').groupBy('host')|alert().crit(lambda: "usage_idle" < 10)
// from the line-protocol bytes to the alert JSON in memory, on one thread; and, in the same run,
// the line-protocol reader alone (parse only) so the pipeline's own cost is visible.
// Timings are CPU time of the one benchmark thread (items_per_second = points per CPU second).
//
//   build-pipe/bench/pipeline_bench --benchmark_counters_tabular=true
#include <cstdint>
#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "nodes/line_protocol.h"
#include "nodes/tickrun.h"

namespace tick::nodes {
namespace {

constexpr int kPoints = 1'000'000;
constexpr int kHosts = 100;

const std::string& Input() {
  static const std::string* input = [] {
    auto* s = new std::string();
    s->reserve(kPoints * 64);
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> idle(10.5, 99.5);
    std::uniform_int_distribution<int> pct(0, 99);
    int64_t t = 1'700'000'000'000'000'000;
    for (int i = 0; i < kPoints; ++i) {
      const int host = i % kHosts;
      // ~1% of the points alert (usage_idle < 10).
      const double v = pct(rng) == 0 ? 5.25 : idle(rng);
      absl::StrAppend(s, "cpu,host=server", host,
                      ",region=us-west usage_idle=", static_cast<int>(v * 100) / 100.0,
                      ",usage_user=", 100 - v, " ", t, "\n");
      t += 10'000'000;
    }
    return s;
  }();
  return *input;
}

constexpr char kScript[] =
    "stream|from().measurement('cpu').groupBy('host')|alert().crit(lambda: \"usage_idle\" < 10)";

void BM_LineProtocolReaderOnly(benchmark::State& state) {
  const std::string& in = Input();
  uint64_t points = 0;
  for (auto _ : state) {
    ReaderOptions ro;
    LineProtocolReader reader(ro);
    reader.ParseBuffer(
        in,
        [&](const Point& p) {
          benchmark::DoNotOptimize(p.time());
          ++points;
        },
        [](std::string_view) {});
  }
  state.SetItemsProcessed(static_cast<int64_t>(points));
  state.SetBytesProcessed(static_cast<int64_t>(in.size()) * state.iterations());
}
BENCHMARK(BM_LineProtocolReaderOnly)->Unit(benchmark::kMillisecond);

// state.range(0): 1 = the script above (default details template), 0 = the same with
// .details('') to show what rendering Kapacitor's default details costs.
void BM_PipelineLineProtocolToAlertJson(benchmark::State& state) {
  const std::string& in = Input();
  const std::string script =
      state.range(0) == 1 ? std::string(kScript) : std::string(kScript) + ".details('')";
  uint64_t points = 0;
  uint64_t alerts = 0;
  std::string out;
  out.reserve(64 << 20);
  for (auto _ : state) {
    state.PauseTiming();
    out.clear();
    CompileOptions co;
    auto task = TickTask::Compile(script, "bench.tick", co,
                                  [&](const AlertEventData&, std::string_view json) {
                                    out.append(json);
                                    ++alerts;
                                  });
    if (!task.ok()) {
      state.SkipWithError(std::string(task.status().message()).c_str());
      return;
    }
    state.ResumeTiming();
    (*task)->PushLineProtocol(in);
    points += kPoints;
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(points));
  state.counters["alerts_per_run"] =
      benchmark::Counter(static_cast<double>(alerts) / static_cast<double>(state.iterations()));
}
BENCHMARK(BM_PipelineLineProtocolToAlertJson)
    ->Arg(1)
    ->Arg(0)
    ->ArgName("default_details")
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tick::nodes

BENCHMARK_MAIN();
