// Line-protocol reader throughput (nodes/line_protocol.h) on 1,000,000 generated lines like
//   cpu,host=server01,region=us-west usage_idle=5.0,usage_user=80.1 1465839830100400200
// with varied tags and 2-10 fields (fixed seed), next to a memchr newline-scan baseline over
// the same buffer (the memory-speed limit of any line-oriented reader).
//
//   build-*/bench/line_protocol_bench --benchmark_counters_tabular=true
#include <cstdio>
#include <cstring>
#include <random>
#include <string>

#include "benchmark/benchmark.h"
#include "nodes/line_protocol.h"
#include "nodes/point.h"

namespace tick::nodes {
namespace {

const std::string& Input() {
  static const std::string* input = [] {
    auto* out = new std::string;
    std::mt19937_64 rng(20160613);
    static const char* const kRegions[] = {"us-west", "us-east", "eu-central", "ap-south"};
    static const char* const kFields[] = {
        "usage_idle",    "usage_user",  "usage_system", "usage_iowait", "usage_irq",
        "usage_softirq", "usage_steal", "usage_guest",  "usage_nice",   "usage_guest_nice"};
    int64_t ts = 1465839830100400200;
    char buf[64];
    out->reserve(170'000'000);
    for (int i = 0; i < 1'000'000; ++i) {
      std::snprintf(buf, sizeof(buf), "cpu,cpu=cpu%d,host=server%02d,region=%s ",
                    static_cast<int>(rng() % 8), static_cast<int>(rng() % 100),
                    kRegions[rng() % 4]);
      out->append(buf);
      const int fields = 2 + static_cast<int>(rng() % 9);
      for (int f = 0; f < fields; ++f) {
        if (f) out->push_back(',');
        out->append(kFields[f]);
        std::snprintf(buf, sizeof(buf), "=%.*f", 1 + static_cast<int>(rng() % 3),
                      static_cast<double>(rng() % 100000) / 1000.0);
        out->append(buf);
      }
      ts += 10'000'000 + static_cast<int64_t>(rng() % 1000);
      std::snprintf(buf, sizeof(buf), " %lld\n", static_cast<long long>(ts));
      out->append(buf);
    }
    return out;
  }();
  return *input;
}

void BM_MemchrNewlines(benchmark::State& state) {
  const std::string& in = Input();
  size_t lines = 0;
  for (auto _ : state) {
    lines = 0;
    const char* p = in.data();
    const char* end = in.data() + in.size();
    while ((p = static_cast<const char*>(std::memchr(p, '\n', end - p))) != nullptr) {
      ++p;
      ++lines;
    }
    benchmark::DoNotOptimize(lines);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.size()));
  state.counters["lines/s"] = benchmark::Counter(static_cast<double>(lines) * state.iterations(),
                                                 benchmark::Counter::kIsRate);
}
BENCHMARK(BM_MemchrNewlines)->Unit(benchmark::kMillisecond);

void BM_LineProtocolReader(benchmark::State& state) {
  const std::string& in = Input();
  uint64_t points = 0;
  uint64_t errors = 0;
  for (auto _ : state) {
    ReaderOptions options;
    options.database = "telegraf";
    options.retention_policy = "autogen";
    LineProtocolReader reader(options);
    double sink = 0;
    reader.ParseBuffer(
        in, [&](const Point& p) { sink += p.fields()[0].value.float_value(); },
        [&](std::string_view) {});
    benchmark::DoNotOptimize(sink);
    points = reader.stats().points;
    errors = reader.stats().errors;
  }
  if (errors != 0 || points != 1'000'000) state.SkipWithError("unexpected parse result");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.size()));
  state.counters["points/s"] = benchmark::Counter(static_cast<double>(points) * state.iterations(),
                                                  benchmark::Counter::kIsRate);
  state.counters["MB"] = static_cast<double>(in.size()) / 1e6;
}
BENCHMARK(BM_LineProtocolReader)->Unit(benchmark::kMillisecond);

// The same input fed as 1 MiB chunks, as ReadFd does.
void BM_LineProtocolReaderChunked(benchmark::State& state) {
  const std::string& in = Input();
  uint64_t points = 0;
  for (auto _ : state) {
    LineProtocolReader reader(ReaderOptions{});
    double sink = 0;
    auto on_point = [&](const Point& p) { sink += p.fields()[0].value.float_value(); };
    auto on_error = [](std::string_view) {};
    for (size_t at = 0; at < in.size(); at += 1 << 20) {
      reader.Feed(std::string_view(in).substr(at, 1 << 20), on_point, on_error);
    }
    reader.Finish(on_point, on_error);
    benchmark::DoNotOptimize(sink);
    points = reader.stats().points;
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.size()));
  state.counters["points/s"] = benchmark::Counter(static_cast<double>(points) * state.iterations(),
                                                  benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LineProtocolReaderChunked)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tick::nodes

BENCHMARK_MAIN();
