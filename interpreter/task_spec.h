// File: interpreter/task_spec.h
//
// TaskSpec: the checked, compiled description of a stream task, built from a TICKscript by
// BuildTaskSpec (interpreter/task_builder.h) and run by the node layer (nodes/task.h).
//
//   stream|from().measurement('cpu').groupBy('host')|alert().crit(lambda: "usage_idle" < 10)
//
// becomes three TaskNodeSpecs: stream0 (the source), from1 (measurement "cpu", group by
// "host") and alert2 (a compiled CRITICAL lambda, the default templates). Node names follow
// Kapacitor: `<kind><id>` with ids in creation order (stream is 0).
//
// Everything a node needs at run time is here and immutable: compiled lambdas
// (interp::CompiledLambda, shared implementation, cheap to copy), parsed templates and handler
// specs. Nothing here depends on the node layer.
#ifndef TICK_INTERPRETER_TASK_SPEC_H_
#define TICK_INTERPRETER_TASK_SPEC_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/source.h"
#include "interpreter/handler_spec.h"
#include "interpreter/lambda.h"
#include "interpreter/template.h"

namespace tick::interp {

enum class TaskNodeKind : uint8_t {
  kStream,
  kFrom,
  kWhere,
  kEval,
  kGroupBy,
  kDefault,
  kDelete,
  kLog,
  kAlert,
};

// Kapacitor's node description used in node names: "stream", "from", "where", "eval",
// "groupby", "default", "delete", "log", "alert".
const char* TaskNodeKindName(TaskNodeKind kind);

struct Dbrp {
  std::string db;
  std::string rp;
  friend bool operator==(const Dbrp&, const Dbrp&) = default;
};

// Dimensions set by from().groupBy(...) or |groupBy(...).
struct GroupBySpec {
  bool set = false;                  // a groupBy was given (from only; |groupBy always sets)
  bool star = false;                 // groupBy(*): every tag of the point (minus `exclude`)
  std::vector<std::string> tags;     // explicit tag names, sorted, unique
  std::vector<std::string> exclude;  // with star
  bool by_measurement = false;
};

struct FromSpec {
  std::string database;               // "" = any
  std::string retention_policy;       // "" = any
  std::string measurement;            // "" = any
  std::vector<CompiledLambda> where;  // AND-ed, evaluated in order; shared state
  GroupBySpec group_by;
  int64_t truncate_ns = 0;
  int64_t round_ns = 0;
};

struct WhereSpec {
  CompiledLambda predicate;  // per-group state
};

struct EvalSpec {
  std::vector<CompiledLambda> exprs;   // per-group state
  std::vector<std::string> as;         // same size as exprs
  std::vector<std::string> tags;       // subset of `as`
  bool keep = false;                   // .keep() or .keep(list)
  std::vector<std::string> keep_list;  // .keep(list); empty = keep everything
};

// A default field value: float, int, string or bool.
struct ScalarValue {
  ValueKind kind = ValueKind::kFloat;
  double f = 0;
  int64_t i = 0;
  bool b = false;
  std::string s;
};

struct DefaultSpec {
  std::vector<std::pair<std::string, ScalarValue>> fields;  // set when absent
  std::vector<std::pair<std::string, std::string>> tags;    // set when absent or empty
};

struct DeleteSpec {
  std::vector<std::string> fields;
  std::vector<std::string> tags;
};

struct LogNodeSpec {
  std::string level = "INFO";  // upper-cased
  std::string prefix;
};

// One alert template (id, message or details) with where its text came from.
struct AlertTemplateSpec {
  std::string text;
  bool is_default = true;  // Kapacitor's default text (never written in the script)
  std::shared_ptr<const Template> tmpl;
  SourceRange where;  // the string literal (zero range for defaults)
};

inline constexpr char kDefaultAlertId[] = "{{ .Name }}:{{ .Group }}";
inline constexpr char kDefaultAlertMessage[] = "{{ .ID }} is {{ .Level }}";
inline constexpr char kDefaultAlertDetails[] = "{{ json . }}";

struct AlertSpec {
  // Indexed by level: 1 INFO, 2 WARNING, 3 CRITICAL (0 unused). Shared state across groups.
  std::array<std::optional<CompiledLambda>, 4> levels;
  std::array<std::optional<CompiledLambda>, 4> resets;
  AlertTemplateSpec id, message, details;
  int64_t history = 21;
  bool use_flapping = false;
  double flap_low = 0;
  double flap_high = 0;
  bool state_changes_only = false;
  int64_t state_changes_only_ns = 0;
  bool no_recoveries = false;
  bool all = false;  // batch only: accepted, no effect on streams
  std::string category;
  std::string topic;
  std::string level_tag, level_field, message_field, duration_field, id_tag, id_field;
  std::vector<HandlerSpec> handlers;  // inline handlers in script order
};

struct TaskNodeSpec {
  TaskNodeKind kind = TaskNodeKind::kStream;
  int id = 0;
  std::string name;  // "alert2"
  int parent = -1;   // index into TaskSpec::nodes; -1 for the stream source
  std::vector<int> children;
  SourceRange where;  // the `|name(...)` link (or the `stream` identifier)
  bool quiet = false;

  // Only the member matching `kind` is meaningful.
  FromSpec from;
  WhereSpec where_spec;
  EvalSpec eval;
  GroupBySpec group_by;
  DefaultSpec default_spec;
  DeleteSpec delete_spec;
  LogNodeSpec log;
  AlertSpec alert;
};

struct TaskSpec {
  std::string name;                 // task name (.TaskName)
  SourceFile source;                // the script (for runtime diagnostics)
  std::vector<Dbrp> dbrps;          // from `dbrp` statements, in order
  std::vector<TaskNodeSpec> nodes;  // nodes[0] is the stream source; parents precede children
};

}  // namespace tick::interp

#endif  // TICK_INTERPRETER_TASK_SPEC_H_
