// File: interpreter/template.h
//
// A Go text/template subset, byte-compatible with Go for the constructs real Kapacitor scripts
// use in alert `id`, `message` and `details` templates (and handler templates). A template is
// parsed once (ParseTemplate) and executed many times (Template::Execute) against a
// TemplateValue tree that the caller builds per event without copying its data.
//
// Supported syntax: text; `{{/* comment */}}`; trim markers `{{- ` and ` -}}`; actions with
// pipelines `{{ .A.B | printf "%s" }}`; `.`, `$`, `$x := pipeline`, `$x = pipeline`, `$x.Field`;
// literals ("…" with Go escapes, `raw`, 'c', numbers, true, false, nil); parenthesised
// pipelines with field chains `(index .Tags "a").X`; `if`/`else if`/`else`/`end`,
// `range` (lists and maps, sorted keys, optional `$k, $v :=` and `else`), `with`/`else`;
// functions `and or not len index eq ne lt le gt ge print printf println html js urlquery`
// plus caller-registered ones (FuncMap), e.g. Kapacitor's `json`.
//
// Printing follows fmt's %v: floats as AppendGoFloatV, time as Time.String, durations as
// Duration.String, maps as `map[k:v k2:v2]` (sorted keys), structs as `{v1 v2}`, lists as
// `[a b]`, nil as `<no value>` (text mode) or `` (html mode).
// TemplateMode::kHtml models html/template in the HTML text context: every action's output is
// passed through AppendHtmlEscaped (literal template text is not escaped).
#ifndef TICK_INTERPRETER_TEMPLATE_H_
#define TICK_INTERPRETER_TEMPLATE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tick::interp {

enum class TemplateKind : uint8_t {
  kNil,
  kString,
  kFloat,  // float64
  kInt,    // int64
  kUint,   // uint64
  kBool,
  kTime,      // time.Time, UTC, as Unix ns
  kDuration,  // time.Duration, ns
  kMap,       // map[string]X; entries need not be sorted; keys must be unique
  kStruct,    // ordered named fields
  kList,      // []X
};

// What a map yields for a missing key through `index` (Go returns the element type's zero
// value): kNil for map[string]interface{} (prints `<no value>`), kString for
// map[string]string (prints ``). Field syntax on a missing key (`.Tags.nokey`) always yields
// nil (`<no value>`), as Go's default missingkey=invalid does.
enum class MapElem : uint8_t { kInterface, kString };

struct TemplateField;

// A non-owning dynamic value. Strings, field arrays, list arrays and type names are views: the
// memory they point to must outlive every Execute call that sees the value. Trivially copyable,
// 40 bytes.
class TemplateValue final {
 public:
  TemplateValue() = default;
  static TemplateValue Nil() { return TemplateValue(); }
  static TemplateValue String(std::string_view s);
  static TemplateValue Float(double f);
  static TemplateValue Int(int64_t i);
  static TemplateValue Uint(uint64_t u);
  static TemplateValue Bool(bool b);
  static TemplateValue Time(int64_t unix_ns);
  static TemplateValue Duration(int64_t ns);
  // A map[string]string (MapElem::kString) or map[string]interface{} (kInterface).
  static TemplateValue Map(std::span<const TemplateField> entries, MapElem elem);
  // `type_name` is the Go type printed in errors, e.g. "kapacitor.idInfo".
  static TemplateValue Struct(std::string_view type_name, std::span<const TemplateField> fields);
  static TemplateValue List(std::span<const TemplateValue> items);

  TemplateKind kind() const { return kind_; }
  std::string_view str() const { return {str_, size_}; }  // kString
  double f() const { return f_; }                         // kFloat
  int64_t i() const { return i_; }                        // kInt, kTime, kDuration
  uint64_t u() const { return u_; }                       // kUint
  bool b() const { return b_; }                           // kBool
  std::span<const TemplateField> fields() const;          // kMap, kStruct
  std::span<const TemplateValue> items() const;           // kList
  MapElem map_elem() const { return static_cast<MapElem>(aux_); }
  std::string_view type_name() const { return {str_, size_}; }  // kStruct

  // Go type name as fmt's %T would print it (string, float64, int64, int, uint64, bool,
  // time.Time, time.Duration, map[string]string, map[string]interface {}, the struct's name,
  // []interface {}); "<nil>" for nil.
  std::string GoTypeName() const;

  // For integer literals parsed from template text, Go's type is `int`, not `int64`.
  static TemplateValue IntLiteral(int64_t i);
  bool is_int_literal() const { return kind_ == TemplateKind::kInt && aux_ == 1; }

 private:
  TemplateKind kind_ = TemplateKind::kNil;
  uint8_t aux_ = 0;
  uint32_t size_ = 0;
  const char* str_ = nullptr;
  union {
    double f_;
    int64_t i_ = 0;
    uint64_t u_;
    bool b_;
    const TemplateField* fields_;
    const TemplateValue* items_;
  };
  size_t count_ = 0;
};

struct TemplateField {
  std::string_view name;
  TemplateValue value;
};

// Appends `v` as Go's fmt %v prints it (see the file comment). Nil prints `<nil>` here (fmt's
// spelling); templates print a nil action result as `<no value>` themselves.
void AppendGoValue(std::string* out, const TemplateValue& v);

// Appends `v` as Go's encoding/json encodes the corresponding Go value (compact, HTML-safe):
// nil -> null, strings via AppendJsonString, floats via AppendJsonFloat (NaN/Inf -> null),
// time -> RFC3339Nano string, duration -> integer ns, maps with sorted keys, structs with
// fields in declared order, lists as arrays. `indent` empty = compact; otherwise
// json.MarshalIndent-style with that indent unit and prefix "". Returns false when a NaN/Inf
// was written as null (Go would fail with "json: unsupported value").
bool AppendTemplateValueJson(std::string* out, const TemplateValue& v,
                             std::string_view indent = {});

// A caller-supplied template function (e.g. Kapacitor's `json`). Receives the evaluated
// arguments and appends its string result to `result`; a non-OK status aborts execution with
// `error calling NAME: <message>`.
using TemplateFunc =
    std::function<absl::Status(std::span<const TemplateValue> args, std::string* result)>;
struct TemplateFuncSpec {
  TemplateFunc fn;
  int min_args = 0;
  int max_args = -1;  // -1 = variadic
};
using FuncMap = absl::flat_hash_map<std::string, TemplateFuncSpec>;

enum class TemplateMode { kText, kHtml };

// Payload type URL attached to parse errors: value is the decimal byte offset of the error in
// the template text (0-based), so callers can point into the script's string literal.
inline constexpr char kTemplateErrorOffsetUrl[] = "tick/template-error-offset";
// Reads the offset payload; returns -1 when absent.
int64_t TemplateErrorOffset(const absl::Status& status);

namespace internal {
struct TemplateProgram;
}

class Template final {
 public:
  Template(Template&&) noexcept;
  Template& operator=(Template&&) noexcept;
  ~Template();

  // Renders the template with `dot` as `.` and `$`, appending to `out`. Errors are Go's texts,
  // e.g. `template: id:1:3: executing "id" at <.Foo>: can't evaluate field Foo in type
  // kapacitor.idInfo` (InvalidArgument). On error `out` may hold partial output.
  // Thread-safe: a Template is immutable; FuncMap functions must be thread-safe too.
  absl::Status Execute(const TemplateValue& dot, std::string* out) const;

  // Top-level field names the template reads from `.`/`$` (e.g. {"Name","Group"} for the
  // default ID), sorted and unique. `uses_whole_dot()` is true when `.` itself (not just a
  // field of it) is used as a value, e.g. `{{ json . }}` or `{{ . }}`, or inside range/with.
  const std::vector<std::string>& ReferencedTopLevelFields() const;
  bool uses_whole_dot() const;

  std::string_view name() const;
  TemplateMode mode() const;

 private:
  friend absl::StatusOr<Template> ParseTemplate(std::string_view, std::string_view, TemplateMode,
                                                const FuncMap*);
  explicit Template(std::unique_ptr<internal::TemplateProgram> p);
  std::unique_ptr<internal::TemplateProgram> p_;
};

// Parses `text` as template `name` ("id", "message", "details" in Kapacitor). `funcs` (may be
// null) adds functions; it must outlive the Template. Errors (InvalidArgument) use Go's text,
// e.g. `template: details:1: unexpected "}" in operand`, `template: id:1: function "foo" not
// defined`, with the byte offset payload (kTemplateErrorOffsetUrl).
absl::StatusOr<Template> ParseTemplate(std::string_view name, std::string_view text,
                                       TemplateMode mode, const FuncMap* funcs = nullptr);

// ---- inline definitions ----
inline TemplateValue TemplateValue::String(std::string_view s) {
  TemplateValue v;
  v.kind_ = TemplateKind::kString;
  v.str_ = s.data();
  v.size_ = static_cast<uint32_t>(s.size());
  return v;
}
inline TemplateValue TemplateValue::Float(double f) {
  TemplateValue v;
  v.kind_ = TemplateKind::kFloat;
  v.f_ = f;
  return v;
}
inline TemplateValue TemplateValue::Int(int64_t i) {
  TemplateValue v;
  v.kind_ = TemplateKind::kInt;
  v.i_ = i;
  return v;
}
inline TemplateValue TemplateValue::IntLiteral(int64_t i) {
  TemplateValue v = Int(i);
  v.aux_ = 1;
  return v;
}
inline TemplateValue TemplateValue::Uint(uint64_t u) {
  TemplateValue v;
  v.kind_ = TemplateKind::kUint;
  v.u_ = u;
  return v;
}
inline TemplateValue TemplateValue::Bool(bool b) {
  TemplateValue v;
  v.kind_ = TemplateKind::kBool;
  v.b_ = b;
  return v;
}
inline TemplateValue TemplateValue::Time(int64_t unix_ns) {
  TemplateValue v;
  v.kind_ = TemplateKind::kTime;
  v.i_ = unix_ns;
  return v;
}
inline TemplateValue TemplateValue::Duration(int64_t ns) {
  TemplateValue v;
  v.kind_ = TemplateKind::kDuration;
  v.i_ = ns;
  return v;
}
inline TemplateValue TemplateValue::Map(std::span<const TemplateField> entries, MapElem elem) {
  TemplateValue v;
  v.kind_ = TemplateKind::kMap;
  v.aux_ = static_cast<uint8_t>(elem);
  v.fields_ = entries.data();
  v.count_ = entries.size();
  return v;
}
inline TemplateValue TemplateValue::Struct(std::string_view type_name,
                                           std::span<const TemplateField> fields) {
  TemplateValue v;
  v.kind_ = TemplateKind::kStruct;
  v.str_ = type_name.data();
  v.size_ = static_cast<uint32_t>(type_name.size());
  v.fields_ = fields.data();
  v.count_ = fields.size();
  return v;
}
inline TemplateValue TemplateValue::List(std::span<const TemplateValue> items) {
  TemplateValue v;
  v.kind_ = TemplateKind::kList;
  v.items_ = items.data();
  v.count_ = items.size();
  return v;
}
inline std::span<const TemplateField> TemplateValue::fields() const { return {fields_, count_}; }
inline std::span<const TemplateValue> TemplateValue::items() const { return {items_, count_}; }

}  // namespace tick::interp

#endif  // TICK_INTERPRETER_TEMPLATE_H_
