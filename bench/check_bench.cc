// Parse + check of a 30-line alert script (target: under 30 µs), and each phase alone.
//   build-*/bench/check_bench --benchmark_filter=Check
#include <string>

#include "benchmark/benchmark.h"
#include "grammar/formatter.h"
#include "grammar/parser.h"
#include "interpreter/checker.h"

namespace {

// 30 lines: vars, dbrp, a from/where/groupBy, window, eval, and an alert with levels, flapping,
// a log handler and a kafka handler.
constexpr char kScript[] = R"(// CPU usage alert, to Kafka.
dbrp "telegraf"."autogen"

var warn_threshold = 80.0
var crit_threshold = 90.0
var period = 5m

stream
    |from()
        .database('telegraf')
        .measurement('cpu')
        .where(lambda: "cpu" == 'cpu-total' AND "host" =~ /web.*/)
        .groupBy('host', 'dc')
    |window()
        .period(period)
        .every(1m)
    |eval(lambda: 100.0 - "usage_idle")
        .as('used')
    |alert()
        .id('{{ .Name }}/{{ index .Tags "host" }}')
        .message('{{ .ID }} is {{ .Level }}: {{ index .Fields "used" }}')
        .warn(lambda: "used" > warn_threshold)
        .crit(lambda: "used" > crit_threshold)
        .flapping(0.25, 0.5)
        .stateChangesOnly(10m)
        .log('/var/log/kapacitor/cpu.log')
        .kafka()
            .cluster('infra')
            .kafkaTopic('cpu-alerts')
            .partitionHashAlgorithm('murmur2')
)";

// Parse + every check of kScript per iteration, with or without compiling the lambdas.
void ParseAndCheck(benchmark::State& state, bool compile_lambdas) {
  tick::interp::CheckOptions options;
  options.kafka_clusters = std::vector<std::string>{"infra"};
  options.compile_lambdas = compile_lambdas;
  for (auto _ : state) {
    absl::StatusOr<tick::ast::Script> script = tick::grammar::ParseScript(kScript, "cpu.tick");
    if (!script.ok()) {
      state.SkipWithError("parse failed");
      break;
    }
    absl::Status s = tick::interp::CheckScript(*script, options);
    if (!s.ok()) {
      state.SkipWithError("check failed");
      break;
    }
    benchmark::DoNotOptimize(s);
  }
}

void BM_ParseAndCheck(benchmark::State& state) { ParseAndCheck(state, true); }
BENCHMARK(BM_ParseAndCheck)->Unit(benchmark::kMicrosecond);

// The node/property/argument checks without compiling the lambdas (CheckOptions::compile_lambdas).
void BM_ParseAndCheckNoLambdaCompile(benchmark::State& state) { ParseAndCheck(state, false); }
BENCHMARK(BM_ParseAndCheckNoLambdaCompile)->Unit(benchmark::kMicrosecond);

void BM_ParseOnly(benchmark::State& state) {
  for (auto _ : state) {
    absl::StatusOr<tick::ast::Script> script = tick::grammar::ParseScript(kScript, "cpu.tick");
    benchmark::DoNotOptimize(script);
  }
}
BENCHMARK(BM_ParseOnly)->Unit(benchmark::kMicrosecond);

void BM_CheckOnly(benchmark::State& state) {
  absl::StatusOr<tick::ast::Script> script = tick::grammar::ParseScript(kScript, "cpu.tick");
  if (!script.ok()) {
    state.SkipWithError("parse failed");
    return;
  }
  for (auto _ : state) {
    absl::Status s = tick::interp::CheckScript(*script);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_CheckOnly)->Unit(benchmark::kMicrosecond);

void BM_Format(benchmark::State& state) {
  absl::StatusOr<tick::ast::Script> script = tick::grammar::ParseScript(kScript, "cpu.tick");
  if (!script.ok()) {
    state.SkipWithError("parse failed");
    return;
  }
  for (auto _ : state) {
    std::string out = tick::grammar::FormatScript(*script);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_Format)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
