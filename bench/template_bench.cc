// Benchmarks for interpreter/template.h: rendering Kapacitor's default alert ID and message
// templates, a printf-heavy message, and the default html details `{{ json . }}`.
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "interpreter/template.h"

namespace tick::interp {
namespace {

constexpr int64_t kSec = 1000000000LL;

struct Data {
  std::vector<TemplateField> tags = {{"host", TemplateValue::String("server042")},
                                     {"cpu", TemplateValue::String("cpu-total")}};
  std::vector<TemplateField> fields = {{"usage_idle", TemplateValue::Float(7.25)},
                                       {"usage_user", TemplateValue::Float(88.5)}};
  std::vector<TemplateField> top;
  Data() {
    top = {
        {"Name", TemplateValue::String("cpu")},
        {"TaskName", TemplateValue::String("cpu_alert")},
        {"Group", TemplateValue::String("host=server042")},
        {"Tags", TemplateValue::Map(tags, MapElem::kString)},
        {"ID", TemplateValue::String("cpu:host=server042")},
        {"Fields", TemplateValue::Map(fields, MapElem::kInterface)},
        {"Level", TemplateValue::String("CRITICAL")},
        {"Time", TemplateValue::Time(1700000000LL * kSec)},
        {"Duration", TemplateValue::Duration(90 * kSec)},
        {"Message", TemplateValue::String("cpu:host=server042 is CRITICAL")},
    };
  }
  TemplateValue Dot() const { return TemplateValue::Struct("kapacitor.detailsInfo", top); }
};

void RunTemplate(benchmark::State& state, std::string_view text, TemplateMode mode,
                 const FuncMap* funcs = nullptr) {
  Data d;
  auto t = ParseTemplate("bench", text, mode, funcs);
  if (!t.ok()) {
    state.SkipWithError("parse failed");
    return;
  }
  const TemplateValue dot = d.Dot();
  std::string out;
  for (auto _ : state) {
    out.clear();
    if (!t->Execute(dot, &out).ok()) {
      state.SkipWithError("execute failed");
      return;
    }
    benchmark::DoNotOptimize(out.data());
  }
}

void BM_DefaultId(benchmark::State& state) {
  RunTemplate(state, "{{ .Name }}:{{ .Group }}", TemplateMode::kText);
}
BENCHMARK(BM_DefaultId);

void BM_DefaultMessage(benchmark::State& state) {
  RunTemplate(state, "{{ .ID }} is {{ .Level }}", TemplateMode::kText);
}
BENCHMARK(BM_DefaultMessage);

void BM_PrintfMessage(benchmark::State& state) {
  RunTemplate(state,
              "{{ .ID }} is {{ .Level }}: idle {{ printf \"%.2f\" (index .Fields \"usage_idle\") "
              "}} on {{ index .Tags \"host\" }}{{ if eq .Level \"CRITICAL\" }}!{{ end }}",
              TemplateMode::kText);
}
BENCHMARK(BM_PrintfMessage);

void BM_DefaultDetailsJson(benchmark::State& state) {
  FuncMap funcs;
  funcs["json"] = TemplateFuncSpec{[](std::span<const TemplateValue> args, std::string* out) {
                                     AppendTemplateValueJson(out, args[0]);
                                     out->push_back('\n');
                                     return absl::OkStatus();
                                   },
                                   1, 1};
  RunTemplate(state, "{{ json . }}", TemplateMode::kHtml, &funcs);
}
BENCHMARK(BM_DefaultDetailsJson);

}  // namespace
}  // namespace tick::interp

BENCHMARK_MAIN();
