// File: interpreter/value.h
//
// Value: the 16-byte, trivially copyable dynamic value of the lambda engine and of point fields.
//
// Kinds follow Kapacitor's ast types (float int string boolean regex time duration missing), plus
// kUint for line-protocol `u` integers (which Kapacitor's lambdas reject as an invalid value type)
// and kError, an evaluation error carried as a value (never an exception, never a crash).
//
// Strings are NOT owned: a string Value is a view into a point's storage, a compiled lambda's
// constants, or a per-evaluation scratch arena; whoever creates it guarantees the bytes outlive
// the use. Times and durations are int64 nanoseconds (times since the Unix epoch, UTC).
#ifndef TICK_INTERPRETER_VALUE_H_
#define TICK_INTERPRETER_VALUE_H_

#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace re2 {
class RE2;
}

namespace tick::interp {

enum class ValueKind : uint8_t {
  kMissing = 0,
  kFloat,
  kInt,
  kUint,
  kString,
  kBool,
  kDuration,
  kTime,
  kRegex,
  kError,
};

// Kapacitor's type name: "float", "int", "string", "boolean", "regex", "time", "duration",
// "missing"; kUint is "uint" and kError "error".
const char* KindName(ValueKind k);

class Value {
 public:
  constexpr Value() : kind_(ValueKind::kMissing), small_(0), aux_(0), u_{.i = 0} {}

  static constexpr Value Missing() { return Value(); }
  static constexpr Value Float(double f) { return Value(ValueKind::kFloat, 0, 0, Payload{.f = f}); }
  static constexpr Value Int(int64_t i) { return Value(ValueKind::kInt, 0, 0, Payload{.i = i}); }
  static constexpr Value Uint(uint64_t u) { return Value(ValueKind::kUint, 0, 0, Payload{.u = u}); }
  static constexpr Value Bool(bool b) { return Value(ValueKind::kBool, 0, 0, Payload{.b = b}); }
  static constexpr Value Duration(int64_t ns) {
    return Value(ValueKind::kDuration, 0, 0, Payload{.i = ns});
  }
  static constexpr Value Time(int64_t ns) {
    return Value(ValueKind::kTime, 0, 0, Payload{.i = ns});
  }
  static Value String(std::string_view s) {
    return Value(ValueKind::kString, 0, static_cast<uint32_t>(s.size()), Payload{.s = s.data()});
  }
  static constexpr Value Regex(const re2::RE2* re) {
    return Value(ValueKind::kRegex, 0, 0, Payload{.re = re});
  }
  // An evaluation error: `code` says what went wrong, `where` which compiled node (or other
  // producer-defined index) failed, `detail` carries producer-defined extra information
  // (e.g. operand kinds). Formatting the message is deferred to whoever owns `where`.
  static constexpr Value Error(uint16_t code, uint32_t where, uint64_t detail = 0) {
    return Value(ValueKind::kError, code, where, Payload{.u = detail});
  }

  constexpr ValueKind kind() const { return kind_; }
  constexpr bool is_missing() const { return kind_ == ValueKind::kMissing; }
  constexpr bool is_error() const { return kind_ == ValueKind::kError; }

  constexpr double float_value() const { return u_.f; }
  constexpr int64_t int_value() const { return u_.i; }  // kInt, kDuration, kTime
  constexpr uint64_t uint_value() const { return u_.u; }
  constexpr bool bool_value() const { return u_.b; }
  std::string_view string_value() const { return std::string_view(u_.s, aux_); }
  constexpr const re2::RE2* regex_value() const { return u_.re; }
  constexpr uint16_t error_code() const { return small_; }
  constexpr uint32_t error_where() const { return aux_; }
  constexpr uint64_t error_detail() const { return u_.u; }

  // Same kind and same payload (strings compare by bytes; floats by ==, so NaN != NaN).
  friend bool operator==(const Value& a, const Value& b);

 private:
  union Payload {
    double f;
    int64_t i;
    uint64_t u;
    bool b;
    const char* s;
    const re2::RE2* re;
  };
  constexpr Value(ValueKind k, uint16_t small, uint32_t aux, Payload p)
      : kind_(k), small_(small), aux_(aux), u_(p) {}

  ValueKind kind_;
  uint16_t small_;
  uint32_t aux_;
  Payload u_;
};

static_assert(sizeof(Value) == 16);
static_assert(std::is_trivially_copyable_v<Value>);

inline bool operator==(const Value& a, const Value& b) {
  if (a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case ValueKind::kMissing:
      return true;
    case ValueKind::kFloat:
      return a.u_.f == b.u_.f;
    case ValueKind::kBool:
      return a.u_.b == b.u_.b;
    case ValueKind::kString:
      return a.string_value() == b.string_value();
    case ValueKind::kRegex:
      return a.u_.re == b.u_.re;
    case ValueKind::kError:
      return a.small_ == b.small_ && a.aux_ == b.aux_ && a.u_.u == b.u_.u;
    default:
      return a.u_.i == b.u_.i;
  }
}

inline const char* KindName(ValueKind k) {
  switch (k) {
    case ValueKind::kMissing:
      return "missing";
    case ValueKind::kFloat:
      return "float";
    case ValueKind::kInt:
      return "int";
    case ValueKind::kUint:
      return "uint";
    case ValueKind::kString:
      return "string";
    case ValueKind::kBool:
      return "boolean";
    case ValueKind::kDuration:
      return "duration";
    case ValueKind::kTime:
      return "time";
    case ValueKind::kRegex:
      return "regex";
    case ValueKind::kError:
      return "error";
  }
  return "invalid";
}

}  // namespace tick::interp

#endif  // TICK_INTERPRETER_VALUE_H_
