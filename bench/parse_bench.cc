// File: bench/parse_bench.cc
//
// ParseScript of a realistic 30-line alert script (parse only; the checker is benchmarked
// separately).
//   cmake --build build --target parse_bench && build/bench/parse_bench
#include <string>

#include "benchmark/benchmark.h"
#include "grammar/parser.h"

namespace {

const char kScript[] = R"(// CPU alert per host with Kafka delivery.
dbrp "telegraf"."autogen"

var warn_threshold = 80.0
var crit_threshold = 90.0
var period = 10s

stream
    |from()
        .measurement('cpu')
        .where(lambda: "cpu" == 'cpu-total' AND "host" =~ /^web\d+$/)
        .groupBy('host')
    |window()
        .period(period)
        .every(5s)
    |eval(lambda: 100.0 - "usage_idle", lambda: "usage_user" + "usage_system")
        .as('used', 'busy')
    |alert()
        .id('{{ index .Tags "host" }}/cpu_used')
        .message('{{ .ID }} is {{ .Level }} value: {{ index .Fields "used" }}')
        .details('''<b>{{ .ID }}</b> {{ .Time }}''')
        .info(lambda: "used" > 70.0)
        .warn(lambda: "used" > warn_threshold)
        .crit(lambda: "used" > crit_threshold OR ("busy" > 95.0 AND "used" > 85.0))
        .stateChangesOnly(5m)
        .flapping(0.25, 0.5)
        .kafka()
            .cluster('infra-monitoring')
            .kafkaTopic('cpu-alerts')
            .partitionAlgorithm('murmur2')
)";

void BM_ParseScript30Lines(benchmark::State& state) {
  const std::string text(kScript);
  for (auto _ : state) {
    auto script = tick::grammar::ParseScript(text, "cpu.tick");
    if (!script.ok()) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(script);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_ParseScript30Lines)->Unit(benchmark::kMicrosecond);

void BM_ParseLambdaBody(benchmark::State& state) {
  const std::string text = R"("used" > 90.0 OR ("busy" > 95.0 AND "host" =~ /^web\d+$/))";
  for (auto _ : state) {
    auto expr = tick::grammar::ParseLambdaBody(text, "match");
    benchmark::DoNotOptimize(expr);
  }
}
BENCHMARK(BM_ParseLambdaBody)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
