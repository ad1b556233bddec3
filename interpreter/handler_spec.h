// File: interpreter/handler_spec.h
//
// HandlerSpec: a neutral description of one alert event handler, produced either from a
// TICKscript handler chain on an alert node (`.kafka().kafkaTopic('cpu-alerts')`,
// `.log('/tmp/alerts.log').mode(0644)`) or from a topic-handler file (YAML/JSON:
// `kind: kafka`, `options: {topic: cpu-alerts}`). The node layer turns specs into running
// handlers (nodes/alert_handler.h); keeping the spec here lets the checker and the task builder
// validate handlers without knowing how they run.
//
// Option names are the topic-handler (mapstructure) names, whatever the source spelling:
//   kafka: cluster, topic, template, disablePartitionById, partitionAlgorithm
//          (TICKscript .kafkaTopic → topic; .partitionHashAlgorithm → partitionAlgorithm)
//   log:   path, mode
#ifndef TICK_INTERPRETER_HANDLER_SPEC_H_
#define TICK_INTERPRETER_HANDLER_SPEC_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/source.h"

namespace tick::interp {

struct DurationOption {
  int64_t ns = 0;
  friend bool operator==(const DurationOption&, const DurationOption&) = default;
};

// bool | int64 | double | string | duration.
using OptionValue = std::variant<bool, int64_t, double, std::string, DurationOption>;

struct HandlerOption {
  std::string name;
  OptionValue value;
  SourceRange where;  // in the script or handler file (byte offsets into `origin`'s text)
};

struct HandlerSpec {
  std::string kind;  // "kafka", "log", ... (lower case, as in handler files)
  std::string id;    // handler files: `id`; TICKscript handlers: "<alertNode>:<kind><n>"
  std::vector<HandlerOption> options;
  SourceRange where;   // the `.kafka()` link or the file's `kind` key
  std::string origin;  // file name the ranges refer to

  const HandlerOption* Find(std::string_view name) const {
    for (const HandlerOption& o : options) {
      if (o.name == name) return &o;
    }
    return nullptr;
  }
};

}  // namespace tick::interp

#endif  // TICK_INTERPRETER_HANDLER_SPEC_H_
