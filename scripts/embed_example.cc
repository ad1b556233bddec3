// embed_example: the tickrun embedding API (nodes/tickrun.h) in a few lines — compile a
// TICKscript, push points (line-protocol bytes and a Point built in code), receive the alert
// events through a callback.
//
//   build/scripts/embed_example
#include <cstdio>
#include <string>

#include "nodes/symbols.h"
#include "nodes/tickrun.h"

int main() {
  constexpr char kScript[] = R"(
stream
    |from()
        .measurement('cpu')
        .groupBy('host')
    |alert()
        .warn(lambda: "usage_idle" < 20)
        .crit(lambda: "usage_idle" < 10)
        .message('{{ .ID }} is {{ .Level }}: idle {{ index .Fields "usage_idle" }}%')
)";
  tick::nodes::CompileOptions options;
  int events = 0;
  auto task = tick::nodes::TickTask::Compile(
      kScript, "embed_example.tick", options,
      [&](const tick::nodes::AlertEventData& event, std::string_view json) {
        ++events;
        std::printf("%.*s -> %.*s", static_cast<int>(event.message.size()), event.message.data(),
                    static_cast<int>(json.size()), json.data());
      });
  if (!task.ok()) {
    std::fprintf(stderr, "%s\n", std::string(task.status().message()).c_str());
    return 1;
  }
  // Line protocol (nanosecond timestamps by default).
  (*task)->PushLineProtocol(
      "cpu,host=a usage_idle=50 1000000000\n"
      "cpu,host=a usage_idle=15 2000000000\n"
      "cpu,host=b usage_idle=5 2000000000\n");
  // A point built in code.
  tick::nodes::Point p;
  p.set_measurement("cpu");
  p.SetTag(tick::nodes::Intern("host"), "a");
  p.SetField(tick::nodes::Intern("usage_idle"), tick::interp::Value::Float(80));
  p.set_time(3000000000);
  (*task)->Push(p);
  if (absl::Status s = (*task)->Close(); !s.ok()) {
    std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
    return 1;
  }
  std::printf("%d events\n", events);
  return events == 3 ? 0 : 1;
}
