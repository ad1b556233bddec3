// File: interpreter/lambda_functions.cc
//
// Kapacitor's lambda operator tables (tick/stateful/evaluation_funcs.go) and built-in functions
// (tick/stateful/functions.go), reimplemented: signatures, results and error texts.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <limits>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/strings.h"
#include "interpreter/gofmt.h"
#include "interpreter/lambda_internal.h"
#include "re2/re2.h"

namespace tick::interp::internal {

using ast::BinaryOp;
using K = ValueKind;
using tick::Sv;

const char* TypeName(ValueKind k) {
  switch (k) {
    case K::kFloat:
      return "float";
    case K::kInt:
      return "int";
    case K::kString:
      return "string";
    case K::kBool:
      return "boolean";
    case K::kRegex:
      return "regex";
    case K::kTime:
      return "time";
    case K::kDuration:
      return "duration";
    case K::kMissing:
      return "missing";
    default:
      return "invalid type";
  }
}

const char* OperatorClass(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
    case BinaryOp::kSub:
    case BinaryOp::kMul:
    case BinaryOp::kDiv:
    case BinaryOp::kMod:
      return "math";
    case BinaryOp::kAnd:
    case BinaryOp::kOr:
      return "logical";
    default:
      return "comparison";
  }
}

ValueKind BinaryResultKind(BinaryOp op, ValueKind lt, ValueKind rt) {
  auto is = [&](K a, K b) { return lt == a && rt == b; };
  switch (op) {
    case BinaryOp::kAnd:
    case BinaryOp::kOr:
      return is(K::kBool, K::kBool) ? K::kBool : K::kError;
    case BinaryOp::kEq:
    case BinaryOp::kNe:
      if (is(K::kBool, K::kBool)) return K::kBool;
      [[fallthrough]];
    case BinaryOp::kLt:
    case BinaryOp::kLe:
    case BinaryOp::kGt:
    case BinaryOp::kGe:
      if (is(K::kInt, K::kInt) || is(K::kFloat, K::kFloat) || is(K::kInt, K::kFloat) ||
          is(K::kFloat, K::kInt) || is(K::kString, K::kString) || is(K::kDuration, K::kDuration)) {
        return K::kBool;
      }
      return K::kError;
    case BinaryOp::kRegexMatch:
    case BinaryOp::kRegexNotMatch:
      return is(K::kString, K::kRegex) ? K::kBool : K::kError;
    case BinaryOp::kAdd:
      if (is(K::kString, K::kString)) return K::kString;
      [[fallthrough]];
    case BinaryOp::kSub:
      if (is(K::kInt, K::kInt)) return K::kInt;
      if (is(K::kFloat, K::kFloat)) return K::kFloat;
      if (is(K::kDuration, K::kDuration)) return K::kDuration;
      return K::kError;
    case BinaryOp::kMul:
      if (is(K::kInt, K::kInt)) return K::kInt;
      if (is(K::kFloat, K::kFloat)) return K::kFloat;
      if (is(K::kDuration, K::kInt) || is(K::kInt, K::kDuration) || is(K::kDuration, K::kFloat) ||
          is(K::kFloat, K::kDuration)) {
        return K::kDuration;
      }
      return K::kError;
    case BinaryOp::kDiv:
      if (is(K::kInt, K::kInt)) return K::kInt;
      if (is(K::kFloat, K::kFloat)) return K::kFloat;
      if (is(K::kDuration, K::kInt) || is(K::kDuration, K::kFloat)) return K::kDuration;
      if (is(K::kDuration, K::kDuration)) return K::kInt;
      return K::kError;
    case BinaryOp::kMod:
      return is(K::kInt, K::kInt) ? K::kInt : K::kError;
  }
  return K::kError;
}

bool TypeSupportsOp(ValueKind t, BinaryOp op) {
  static constexpr K kKinds[] = {K::kFloat, K::kInt,  K::kString,  K::kBool,
                                 K::kRegex, K::kTime, K::kDuration};
  for (K o : kKinds) {
    if (BinaryResultKind(op, t, o) != K::kError || BinaryResultKind(op, o, t) != K::kError) {
      return true;
    }
  }
  return false;
}

namespace {

// Go's int64(float64) on amd64: NaN and out-of-range values become math.MinInt64.
int64_t GoFloatToInt(double f) {
  if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0)) {
    return std::numeric_limits<int64_t>::min();
  }
  return static_cast<int64_t>(f);
}

int64_t WrapMul(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
}
int64_t WrapAdd(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}
int64_t WrapSub(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
}

}  // namespace

Value ApplyArithmetic(BinaryOp op, Value l, Value r, EvalScratch* scratch, uint32_t where) {
  const K lt = l.kind(), rt = r.kind();
  switch (op) {
    case BinaryOp::kAdd:
      if (lt == K::kString) {
        std::string_view a = l.string_value(), b = r.string_value();
        char* p = scratch->Allocate(a.size() + b.size());
        if (!a.empty()) std::memcpy(p, a.data(), a.size());
        if (!b.empty()) std::memcpy(p + a.size(), b.data(), b.size());
        return Value::String(std::string_view(p, a.size() + b.size()));
      }
      if (lt == K::kFloat) return Value::Float(l.float_value() + r.float_value());
      if (lt == K::kInt) return Value::Int(WrapAdd(l.int_value(), r.int_value()));
      return Value::Duration(WrapAdd(l.int_value(), r.int_value()));
    case BinaryOp::kSub:
      if (lt == K::kFloat) return Value::Float(l.float_value() - r.float_value());
      if (lt == K::kInt) return Value::Int(WrapSub(l.int_value(), r.int_value()));
      return Value::Duration(WrapSub(l.int_value(), r.int_value()));
    case BinaryOp::kMul:
      if (lt == K::kFloat && rt == K::kFloat)
        return Value::Float(l.float_value() * r.float_value());
      if (lt == K::kInt && rt == K::kInt) return Value::Int(WrapMul(l.int_value(), r.int_value()));
      if (lt == K::kFloat) {
        return Value::Duration(GoFloatToInt(l.float_value() * static_cast<double>(r.int_value())));
      }
      if (rt == K::kFloat) {
        return Value::Duration(GoFloatToInt(static_cast<double>(l.int_value()) * r.float_value()));
      }
      return Value::Duration(WrapMul(l.int_value(), r.int_value()));
    case BinaryOp::kDiv:
      if (lt == K::kFloat) return Value::Float(l.float_value() / r.float_value());
      if (rt == K::kFloat) {
        return Value::Duration(GoFloatToInt(static_cast<double>(l.int_value()) / r.float_value()));
      }
      if (r.int_value() == 0) return Value::Error(kErrDivZero, where);
      {
        int64_t q = (l.int_value() == std::numeric_limits<int64_t>::min() && r.int_value() == -1)
                        ? l.int_value()
                        : l.int_value() / r.int_value();
        if (lt == K::kDuration && rt == K::kInt) return Value::Duration(q);
        return Value::Int(q);
      }
    case BinaryOp::kMod:
      if (r.int_value() == 0) return Value::Error(kErrDivZero, where);
      if (r.int_value() == -1) return Value::Int(0);
      return Value::Int(l.int_value() % r.int_value());
    default:
      return Value::Error(kErrDivZero, where);  // unreachable for defined combinations
  }
}

namespace {
template <typename T>
bool Cmp(BinaryOp op, T a, T b) {
  switch (op) {
    case BinaryOp::kEq:
      return a == b;
    case BinaryOp::kNe:
      return a != b;
    case BinaryOp::kLt:
      return a < b;
    case BinaryOp::kLe:
      return a <= b;
    case BinaryOp::kGt:
      return a > b;
    case BinaryOp::kGe:
      return a >= b;
    default:
      return false;
  }
}
}  // namespace

bool CompareValues(BinaryOp op, Value l, Value r) {
  const K lt = l.kind(), rt = r.kind();
  if (lt == K::kFloat || rt == K::kFloat) {
    double a = lt == K::kFloat ? l.float_value() : static_cast<double>(l.int_value());
    double b = rt == K::kFloat ? r.float_value() : static_cast<double>(r.int_value());
    return Cmp(op, a, b);
  }
  if (lt == K::kString) return Cmp(op, l.string_value(), r.string_value());
  if (lt == K::kBool) return Cmp(op, l.bool_value(), r.bool_value());
  return Cmp(op, l.int_value(), r.int_value());
}

// --- Go helpers ---------------------------------------------------------------------------

std::string GoQuote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\v':
        out += "\\v";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          absl::StrAppendFormat(&out, "\\x%02x", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

void AppendFloatF(std::string* out, double f) {
  if (std::isnan(f)) {
    *out += "NaN";
    return;
  }
  if (std::isinf(f)) {
    *out += f > 0 ? "+Inf" : "-Inf";
    return;
  }
  char buf[400];
  auto res = std::to_chars(buf, buf + sizeof(buf), f, std::chars_format::fixed);
  out->append(buf, res.ptr);
}

bool ParseInfluxDuration(std::string_view s, int64_t* out) {
  if (s.size() < 2) return false;
  size_t i = 0;
  bool neg = false;
  if (s[0] == '-') {
    neg = true;
    i = 1;
  }
  int64_t total = 0;
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start || i - start > 18) return false;
    int64_t n = 0;
    for (size_t k = start; k < i; ++k) n = n * 10 + (s[k] - '0');
    if (i >= s.size()) return false;
    int64_t unit = 0;
    if (s[i] == 'n' && i + 1 < s.size() && s[i + 1] == 's') {
      unit = 1;
      i += 2;
    } else if (s[i] == 'u') {
      unit = 1000;
      i += 1;
    } else if (s.substr(i, 2) == "\xC2\xB5") {
      unit = 1000;
      i += 2;
    } else if (s[i] == 'm' && i + 1 < s.size() && s[i + 1] == 's') {
      unit = 1000000;
      i += 2;
    } else if (s[i] == 'm') {
      unit = 60LL * 1000000000;
      i += 1;
    } else if (s[i] == 's') {
      unit = 1000000000;
      i += 1;
    } else if (s[i] == 'h') {
      unit = 3600LL * 1000000000;
      i += 1;
    } else if (s[i] == 'd') {
      unit = 86400LL * 1000000000;
      i += 1;
    } else if (s[i] == 'w') {
      unit = 7 * 86400LL * 1000000000;
      i += 1;
    } else {
      return false;
    }
    total = WrapAdd(total, WrapMul(n, unit));
  }
  *out = neg ? -total : total;
  return true;
}

std::string HumanBytes(uint64_t s) {
  static const char* kSizes[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
  if (s < 10) return absl::StrFormat("%d B", s);
  double e = std::floor(std::log(static_cast<double>(s)) / std::log(1000.0));
  int ei = static_cast<int>(e);
  if (ei > 6) ei = 6;
  double val = std::floor(static_cast<double>(s) / std::pow(1000.0, e) * 10 + 0.5) / 10;
  if (val < 10) return absl::StrFormat("%.1f %s", val, kSizes[ei]);
  return absl::StrFormat("%.0f %s", val, kSizes[ei]);
}

// --- Builtins --------------------------------------------------------------------------------

namespace {

Signature Sig(std::initializer_list<K> args, K result) {
  Signature s{};
  s.arity = static_cast<uint8_t>(args.size());
  int i = 0;
  for (K k : args) s.args[i++] = k;
  s.result = result;
  return s;
}

using Table = absl::flat_hash_map<std::string, BuiltinInfo>;

const Table& Builtins() {
  static const Table* table = [] {
    auto* t = new Table();
    auto add = [&](const char* name, FuncId id, std::vector<Signature> sigs,
                   bool stateful = false) {
      (*t)[name] = BuiltinInfo{name, id, std::move(sigs), stateful};
    };
    const K F = K::kFloat, I = K::kInt, S = K::kString, B = K::kBool, D = K::kDuration,
            R = K::kRegex, T = K::kTime, M = K::kMissing;
    add("bool", FuncId::kBool, {Sig({B}, B), Sig({S}, B), Sig({I}, B), Sig({F}, B)});
    add("int", FuncId::kInt, {Sig({B}, I), Sig({S}, I), Sig({I}, I), Sig({F}, I)});
    add("float", FuncId::kFloat, {Sig({B}, F), Sig({S}, F), Sig({I}, F), Sig({F}, F)});
    add("string", FuncId::kString,
        {Sig({B}, S), Sig({S}, S), Sig({I}, S), Sig({F}, S), Sig({D}, S)});
    add("duration", FuncId::kDuration,
        {Sig({D}, D), Sig({I, D}, D), Sig({F, D}, D), Sig({S, D}, D)});
    struct M1 {
      const char* n;
      FuncId id;
    };
    const M1 math1[] = {
        {"abs", FuncId::kAbs},     {"acos", FuncId::kAcos},   {"acosh", FuncId::kAcosh},
        {"asin", FuncId::kAsin},   {"asinh", FuncId::kAsinh}, {"atan", FuncId::kAtan},
        {"atanh", FuncId::kAtanh}, {"cbrt", FuncId::kCbrt},   {"ceil", FuncId::kCeil},
        {"cos", FuncId::kCos},     {"cosh", FuncId::kCosh},   {"erf", FuncId::kErf},
        {"erfc", FuncId::kErfc},   {"exp", FuncId::kExp},     {"exp2", FuncId::kExp2},
        {"expm1", FuncId::kExpm1}, {"floor", FuncId::kFloor}, {"gamma", FuncId::kGamma},
        {"j0", FuncId::kJ0},       {"j1", FuncId::kJ1},       {"log", FuncId::kLog},
        {"log10", FuncId::kLog10}, {"log1p", FuncId::kLog1p}, {"log2", FuncId::kLog2},
        {"logb", FuncId::kLogb},   {"sin", FuncId::kSin},     {"sinh", FuncId::kSinh},
        {"sqrt", FuncId::kSqrt},   {"tan", FuncId::kTan},     {"tanh", FuncId::kTanh},
        {"trunc", FuncId::kTrunc}, {"y0", FuncId::kY0},       {"y1", FuncId::kY1},
    };
    for (const M1& m : math1) add(m.n, m.id, {Sig({F}, F)});
    const M1 math2[] = {{"atan2", FuncId::kAtan2}, {"hypot", FuncId::kHypot},
                        {"max", FuncId::kMax},     {"min", FuncId::kMin},
                        {"mod", FuncId::kMod},     {"pow", FuncId::kPow}};
    for (const M1& m : math2) add(m.n, m.id, {Sig({F, F}, F)});
    add("pow10", FuncId::kPow10, {Sig({I}, F)});
    add("jn", FuncId::kJn, {Sig({I, F}, F)});
    add("yn", FuncId::kYn, {Sig({I, F}, F)});
    const M1 s2b[] = {{"strContains", FuncId::kStrContains},
                      {"strContainsAny", FuncId::kStrContainsAny},
                      {"strHasPrefix", FuncId::kStrHasPrefix},
                      {"strHasSuffix", FuncId::kStrHasSuffix}};
    for (const M1& m : s2b) add(m.n, m.id, {Sig({S, S}, B)});
    const M1 s2i[] = {{"strCount", FuncId::kStrCount},
                      {"strIndex", FuncId::kStrIndex},
                      {"strIndexAny", FuncId::kStrIndexAny},
                      {"strLastIndex", FuncId::kStrLastIndex},
                      {"strLastIndexAny", FuncId::kStrLastIndexAny}};
    for (const M1& m : s2i) add(m.n, m.id, {Sig({S, S}, I)});
    add("strLength", FuncId::kStrLength, {Sig({S}, I)});
    add("strReplace", FuncId::kStrReplace, {Sig({S, S, S, I}, S)});
    add("strSubstring", FuncId::kStrSubstring, {Sig({S, I, I}, S)});
    const M1 s1s[] = {{"strToLower", FuncId::kStrToLower},
                      {"strToUpper", FuncId::kStrToUpper},
                      {"strTrimSpace", FuncId::kStrTrimSpace}};
    for (const M1& m : s1s) add(m.n, m.id, {Sig({S}, S)});
    const M1 s2s[] = {{"strTrim", FuncId::kStrTrim},
                      {"strTrimLeft", FuncId::kStrTrimLeft},
                      {"strTrimPrefix", FuncId::kStrTrimPrefix},
                      {"strTrimRight", FuncId::kStrTrimRight},
                      {"strTrimSuffix", FuncId::kStrTrimSuffix}};
    for (const M1& m : s2s) add(m.n, m.id, {Sig({S, S}, S)});
    add("regexReplace", FuncId::kRegexReplace, {Sig({R, S, S}, S)});
    add("isPresent", FuncId::kIsPresent,
        {Sig({M}, B), Sig({B}, B), Sig({S}, B), Sig({I}, B), Sig({F}, B)});
    const M1 tf[] = {{"unixNano", FuncId::kUnixNano}, {"minute", FuncId::kMinute},
                     {"hour", FuncId::kHour},         {"weekday", FuncId::kWeekday},
                     {"day", FuncId::kDay},           {"month", FuncId::kMonth},
                     {"year", FuncId::kYear}};
    for (const M1& m : tf) add(m.n, m.id, {Sig({T}, I)});
    add("now", FuncId::kNow, {Sig({}, T)});
    add("humanBytes", FuncId::kHumanBytes, {Sig({F}, S), Sig({I}, S)});
    std::vector<Signature> ifs;
    for (K k : {F, I, S, B, R, T, D}) ifs.push_back(Sig({B, k, k}, k));
    add("if", FuncId::kIf, std::move(ifs));
    add("sigma", FuncId::kSigma, {Sig({F}, F)}, true);
    add("count", FuncId::kCount, {Sig({}, I)}, true);
    add("spread", FuncId::kSpread, {Sig({F}, F)}, true);
    return t;
  }();
  return *table;
}

// Runes of a UTF-8 string (invalid bytes decode as U+FFFD of width 1), as Go's range loop.
struct Rune {
  uint32_t cp;
  size_t pos, len;
};

Rune DecodeRune(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return {c, i, 1};
  int n = 0;
  uint32_t cp = 0;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07;
  } else {
    return {0xFFFD, i, 1};
  }
  if (i + n > s.size()) return {0xFFFD, i, 1};
  for (int k = 1; k < n; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return {0xFFFD, i, 1};
    cp = (cp << 6) | (cc & 0x3F);
  }
  return {cp, i, static_cast<size_t>(n)};
}

bool RuneIn(uint32_t cp, std::string_view set) {
  for (size_t i = 0; i < set.size();) {
    Rune r = DecodeRune(set, i);
    if (r.cp == cp) return true;
    i += r.len;
  }
  return false;
}

size_t RuneCount(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); i += DecodeRune(s, i).len) ++n;
  return n;
}

bool IsGoSpace(uint32_t cp) {
  switch (cp) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

std::string_view TrimLeftFn(std::string_view s, const std::function<bool(uint32_t)>& f) {
  size_t i = 0;
  while (i < s.size()) {
    Rune r = DecodeRune(s, i);
    if (!f(r.cp)) break;
    i += r.len;
  }
  return s.substr(i);
}

std::string_view TrimRightFn(std::string_view s, const std::function<bool(uint32_t)>& f) {
  // Walk forward recording the end of the last rune not in the set.
  size_t end = 0;
  for (size_t i = 0; i < s.size();) {
    Rune r = DecodeRune(s, i);
    i += r.len;
    if (!f(r.cp)) end = i;
  }
  return s.substr(0, end);
}

Value Str(EvalScratch* scratch, std::string_view s) { return Value::String(scratch->Copy(s)); }

Value CallError(EvalScratch* scratch, std::string_view fname, std::string_view msg) {
  const std::string* m =
      scratch->StoreMessage(absl::StrCat("error calling \"", Sv(fname), "\": ", Sv(msg)));
  return Value::Error(kErrDynamic, 0, reinterpret_cast<uintptr_t>(m));
}

void AppendGoReplacement(std::string* out, std::string_view repl, const re2::RE2& re,
                         const re2::StringPiece* groups, int ngroups) {
  for (size_t i = 0; i < repl.size();) {
    char c = repl[i];
    if (c != '$' || i + 1 >= repl.size()) {
      out->push_back(c);
      ++i;
      continue;
    }
    if (repl[i + 1] == '$') {
      out->push_back('$');
      i += 2;
      continue;
    }
    std::string_view name;
    size_t next;
    if (repl[i + 1] == '{') {
      size_t close = repl.find('}', i + 2);
      if (close == std::string_view::npos) {
        out->push_back(c);
        ++i;
        continue;
      }
      name = repl.substr(i + 2, close - i - 2);
      next = close + 1;
    } else {
      size_t j = i + 1;
      while (j < repl.size() &&
             (std::isalnum(static_cast<unsigned char>(repl[j])) || repl[j] == '_')) {
        ++j;
      }
      name = repl.substr(i + 1, j - i - 1);
      next = j;
    }
    bool valid = !name.empty();
    for (char ch : name) {
      if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_')) valid = false;
    }
    if (!valid) {
      out->push_back(c);
      ++i;
      continue;
    }
    int idx = -1;
    bool numeric =
        std::all_of(name.begin(), name.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (numeric) {
      idx = name.size() > 9 ? -1 : std::atoi(std::string(name).c_str());
    } else {
      auto it = re.NamedCapturingGroups().find(std::string(name));
      if (it != re.NamedCapturingGroups().end()) idx = it->second;
    }
    if (idx >= 0 && idx < ngroups && groups[idx].data() != nullptr) {
      out->append(groups[idx].data(), groups[idx].size());
    }
    i = next;
  }
}

std::string GoReplaceAll(const re2::RE2& re, std::string_view src, std::string_view repl) {
  std::string out;
  const int ngroups = re.NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> groups(ngroups);
  re2::StringPiece input(src.data(), src.size());
  size_t pos = 0;
  size_t last_match_end = std::string_view::npos;
  size_t copied = 0;
  while (pos <= src.size()) {
    if (!re.Match(input, pos, src.size(), re2::RE2::UNANCHORED, groups.data(), ngroups)) break;
    size_t mstart = groups[0].data() - src.data();
    size_t mend = mstart + groups[0].size();
    if (!(groups[0].empty() && mstart == last_match_end)) {
      out.append(src.substr(copied, mstart - copied));
      AppendGoReplacement(&out, repl, re, groups.data(), ngroups);
      copied = mend;
      last_match_end = mend;
    }
    if (mend > pos) {
      pos = mend;
    } else {
      if (pos >= src.size()) break;
      pos += DecodeRune(src, pos).len;
    }
  }
  out.append(src.substr(std::min(copied, src.size())));
  return out;
}

std::string GoReplace(std::string_view s, std::string_view old, std::string_view nw, int64_t n) {
  if (old == nw || n == 0) return std::string(s);
  std::string out;
  size_t start = 0;
  int64_t done = 0;
  if (old.empty()) {
    // Insert `nw` before every rune and at the end, up to n times.
    size_t i = 0;
    while ((n < 0 || done < n)) {
      out.append(nw);
      ++done;
      if (i >= s.size()) {
        start = s.size();
        break;
      }
      size_t len = DecodeRune(s, i).len;
      out.append(s.substr(i, len));
      i += len;
      start = i;
    }
    out.append(s.substr(start));
    return out;
  }
  while (n < 0 || done < n) {
    size_t p = s.find(old, start);
    if (p == std::string_view::npos) break;
    out.append(s.substr(start, p - start));
    out.append(nw);
    start = p + old.size();
    ++done;
  }
  out.append(s.substr(start));
  return out;
}

bool LocalTm(int64_t ns, struct tm* out) {
  int64_t sec = ns / 1000000000;
  if (ns % 1000000000 < 0) --sec;
  time_t t = static_cast<time_t>(sec);
  return localtime_r(&t, out) != nullptr;
}

bool ParseGoBool(std::string_view s, bool* out) {
  if (s == "1" || s == "t" || s == "T" || s == "TRUE" || s == "true" || s == "True") {
    *out = true;
    return true;
  }
  if (s == "0" || s == "f" || s == "F" || s == "FALSE" || s == "false" || s == "False") {
    *out = false;
    return true;
  }
  return false;
}

// strconv.ParseInt(s, 10, 64). Returns "" on success or the error suffix.
const char* ParseGoInt(std::string_view s, int64_t* out) {
  if (s.empty()) return "invalid syntax";
  size_t i = 0;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    i = 1;
  }
  if (i >= s.size()) return "invalid syntax";
  uint64_t v = 0;
  bool overflow = false;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return "invalid syntax";
    if (v > (std::numeric_limits<uint64_t>::max() - 9) / 10) overflow = true;
    if (!overflow) v = v * 10 + (s[i] - '0');
  }
  const uint64_t limit = neg ? 9223372036854775808ULL : 9223372036854775807ULL;
  if (overflow || v > limit) {
    *out = neg ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
    return "value out of range";
  }
  *out = neg ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
  return "";
}

const char* ParseGoFloat(std::string_view s, double* out) {
  if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return "invalid syntax";
  std::string lower;
  for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view body = lower;
  bool neg = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body == "inf" || body == "infinity") {
    *out = neg ? -HUGE_VAL : HUGE_VAL;
    return "";
  }
  if (body == "nan") {
    *out = std::nan("");
    return "";
  }
  for (char c : body) {
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == '+' ||
          c == '-' || c == 'x' || c == 'p' || (c >= 'a' && c <= 'f') || c == '_')) {
      return "invalid syntax";
    }
  }
  std::string copy(s);
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) return "invalid syntax";
  *out = v;
  if (errno == ERANGE && std::isinf(v)) return "value out of range";
  return "";
}

}  // namespace

const BuiltinInfo* FindBuiltin(std::string_view name) {
  const Table& t = Builtins();
  auto it = t.find(std::string(name));
  return it == t.end() ? nullptr : &it->second;
}

void FuncState::Reset() {
  mean = m2 = n = 0;
  min = std::numeric_limits<double>::infinity();
  max = -std::numeric_limits<double>::infinity();
  count = 0;
}

std::string SignatureErrorText(const BuiltinInfo& info, const std::vector<std::string>& literals,
                               const ValueKind* kinds, int nargs) {
  std::string args = "(";
  for (int i = 0; i < nargs; ++i) {
    if (i > 0) args += ",";
    absl::StrAppend(&args, Sv(literals[i]), ": ", TypeName(kinds[i]));
  }
  args += ")";
  std::string sigs = "[";
  for (size_t i = 0; i < info.signatures.size(); ++i) {
    if (i > 0) sigs += ", ";
    sigs += "(";
    for (int a = 0; a < info.signatures[i].arity; ++a) {
      if (a > 0) sigs += ",";
      sigs += TypeName(info.signatures[i].args[a]);
    }
    sigs += ")";
  }
  sigs += "]";
  return absl::StrCat("Cannot call function \"", info.name, "\" with args ", args,
                      ", available signatures are ", sigs, ".");
}

Value CallBuiltin(const BuiltinInfo& info, const Value* a, int nargs, FuncState* state,
                  EvalScratch* scratch) {
  (void)nargs;
  auto f0 = [&] { return a[0].float_value(); };
  auto s0 = [&] { return a[0].string_value(); };
  auto s1 = [&] { return a[1].string_value(); };
  switch (info.id) {
    case FuncId::kBool:
      switch (a[0].kind()) {
        case K::kBool:
          return a[0];
        case K::kString: {
          bool b = false;
          if (ParseGoBool(s0(), &b)) return Value::Bool(b);
          return CallError(
              scratch, info.name,
              absl::StrCat("strconv.ParseBool: parsing ", GoQuote(s0()), ": invalid syntax"));
        }
        case K::kInt:
          if (a[0].int_value() == 0 || a[0].int_value() == 1) {
            return Value::Bool(a[0].int_value() == 1);
          }
          return CallError(scratch, info.name,
                           absl::StrCat("cannot convert ", a[0].int_value(), " to boolean"));
        default: {
          if (f0() == 0 || f0() == 1) return Value::Bool(f0() == 1);
          std::string v;
          AppendGoFloatV(&v, f0());
          return CallError(scratch, info.name, absl::StrCat("cannot convert ", v, " to boolean"));
        }
      }
    case FuncId::kInt:
      switch (a[0].kind()) {
        case K::kBool:
          return Value::Int(a[0].bool_value() ? 1 : 0);
        case K::kString: {
          int64_t v = 0;
          const char* err = ParseGoInt(s0(), &v);
          if (*err == 0) return Value::Int(v);
          return CallError(scratch, info.name,
                           absl::StrCat("strconv.ParseInt: parsing ", GoQuote(s0()), ": ", err));
        }
        case K::kInt:
          return a[0];
        default:
          return Value::Int(GoFloatToInt(f0()));
      }
    case FuncId::kFloat:
      switch (a[0].kind()) {
        case K::kBool:
          return Value::Float(a[0].bool_value() ? 1 : 0);
        case K::kString: {
          double v = 0;
          const char* err = ParseGoFloat(s0(), &v);
          if (*err == 0) return Value::Float(v);
          return CallError(scratch, info.name,
                           absl::StrCat("strconv.ParseFloat: parsing ", GoQuote(s0()), ": ", err));
        }
        case K::kInt:
          return Value::Float(static_cast<double>(a[0].int_value()));
        default:
          return a[0];
      }
    case FuncId::kString: {
      char buf[64];
      switch (a[0].kind()) {
        case K::kBool:
          return Value::String(a[0].bool_value() ? "true" : "false");
        case K::kString:
          return a[0];
        case K::kInt: {
          auto r = std::to_chars(buf, buf + sizeof(buf), a[0].int_value());
          return Str(scratch, std::string_view(buf, r.ptr - buf));
        }
        case K::kFloat: {
          if (std::isfinite(f0()) && std::fabs(f0()) < 1e21) {
            auto r = std::to_chars(buf, buf + sizeof(buf), f0(), std::chars_format::fixed);
            if (r.ec == std::errc()) return Str(scratch, std::string_view(buf, r.ptr - buf));
          }
          std::string s;
          AppendFloatF(&s, f0());
          return Str(scratch, s);
        }
        default: {
          std::string s;
          AppendInfluxDuration(&s, a[0].int_value());
          return Str(scratch, s);
        }
      }
    }
    case FuncId::kDuration:
      switch (a[0].kind()) {
        case K::kDuration:
          return a[0];
        case K::kInt:
          return Value::Duration(WrapMul(a[0].int_value(), a[1].int_value()));
        case K::kFloat:
          return Value::Duration(GoFloatToInt(f0() * static_cast<double>(a[1].int_value())));
        default: {
          int64_t d;
          if (ParseInfluxDuration(s0(), &d)) return Value::Duration(d);
          return CallError(scratch, info.name,
                           absl::StrCat("invalid duration string ", GoQuote(s0())));
        }
      }
    case FuncId::kAbs:
      return Value::Float(std::fabs(f0()));
    case FuncId::kAcos:
      return Value::Float(std::acos(f0()));
    case FuncId::kAcosh:
      return Value::Float(std::acosh(f0()));
    case FuncId::kAsin:
      return Value::Float(std::asin(f0()));
    case FuncId::kAsinh:
      return Value::Float(std::asinh(f0()));
    case FuncId::kAtan:
      return Value::Float(std::atan(f0()));
    case FuncId::kAtan2:
      return Value::Float(std::atan2(f0(), a[1].float_value()));
    case FuncId::kAtanh:
      return Value::Float(std::atanh(f0()));
    case FuncId::kCbrt: {
      // glibc's cbrt is not correctly rounded (cbrt(27) = 3.0000000000000004); one Newton step
      // matches Go's math.Cbrt on exact cubes.
      double x = f0(), r = std::cbrt(x);
      if (std::isfinite(r) && r != 0) r = r - (r * r * r - x) / (3 * r * r);
      return Value::Float(r);
    }
    case FuncId::kCeil:
      return Value::Float(std::ceil(f0()));
    case FuncId::kCos:
      return Value::Float(std::cos(f0()));
    case FuncId::kCosh:
      return Value::Float(std::cosh(f0()));
    case FuncId::kErf:
      return Value::Float(std::erf(f0()));
    case FuncId::kErfc:
      return Value::Float(std::erfc(f0()));
    case FuncId::kExp:
      return Value::Float(std::exp(f0()));
    case FuncId::kExp2:
      return Value::Float(std::exp2(f0()));
    case FuncId::kExpm1:
      return Value::Float(std::expm1(f0()));
    case FuncId::kFloor:
      return Value::Float(std::floor(f0()));
    case FuncId::kGamma:
      return Value::Float(std::tgamma(f0()));
    case FuncId::kHypot:
      return Value::Float(std::hypot(f0(), a[1].float_value()));
    case FuncId::kJ0:
      return Value::Float(::j0(f0()));
    case FuncId::kJ1:
      return Value::Float(::j1(f0()));
    case FuncId::kJn:
      return Value::Float(::jn(static_cast<int>(a[0].int_value()), a[1].float_value()));
    case FuncId::kLog:
      return Value::Float(std::log(f0()));
    case FuncId::kLog10:
      return Value::Float(std::log10(f0()));
    case FuncId::kLog1p:
      return Value::Float(std::log1p(f0()));
    case FuncId::kLog2:
      return Value::Float(std::log2(f0()));
    case FuncId::kLogb:
      return Value::Float(std::logb(f0()));
    case FuncId::kMax: {
      double x = f0(), y = a[1].float_value();
      if (std::isinf(x) && x > 0) return Value::Float(x);
      if (std::isinf(y) && y > 0) return Value::Float(y);
      if (std::isnan(x) || std::isnan(y)) return Value::Float(std::nan(""));
      if (x == 0 && y == 0) return Value::Float(std::signbit(x) ? y : x);
      return Value::Float(x > y ? x : y);
    }
    case FuncId::kMin: {
      double x = f0(), y = a[1].float_value();
      if (std::isinf(x) && x < 0) return Value::Float(x);
      if (std::isinf(y) && y < 0) return Value::Float(y);
      if (std::isnan(x) || std::isnan(y)) return Value::Float(std::nan(""));
      if (x == 0 && y == 0) return Value::Float(std::signbit(x) ? x : y);
      return Value::Float(x < y ? x : y);
    }
    case FuncId::kMod:
      return Value::Float(std::fmod(f0(), a[1].float_value()));
    case FuncId::kPow:
      return Value::Float(std::pow(f0(), a[1].float_value()));
    case FuncId::kPow10: {
      int64_t n = a[0].int_value();
      if (n < -323) return Value::Float(0);
      if (n > 308) return Value::Float(HUGE_VAL);
      return Value::Float(std::pow(10.0, static_cast<double>(n)));
    }
    case FuncId::kSin:
      return Value::Float(std::sin(f0()));
    case FuncId::kSinh:
      return Value::Float(std::sinh(f0()));
    case FuncId::kSqrt:
      return Value::Float(std::sqrt(f0()));
    case FuncId::kTan:
      return Value::Float(std::tan(f0()));
    case FuncId::kTanh:
      return Value::Float(std::tanh(f0()));
    case FuncId::kTrunc:
      return Value::Float(std::trunc(f0()));
    case FuncId::kY0:
      return Value::Float(::y0(f0()));
    case FuncId::kY1:
      return Value::Float(::y1(f0()));
    case FuncId::kYn:
      return Value::Float(::yn(static_cast<int>(a[0].int_value()), a[1].float_value()));
    case FuncId::kStrContains:
      return Value::Bool(BytesContain(s0(), s1()));
    case FuncId::kStrContainsAny: {
      std::string_view s = s0();
      for (size_t i = 0; i < s.size();) {
        Rune r = DecodeRune(s, i);
        if (RuneIn(r.cp, s1())) return Value::Bool(true);
        i += r.len;
      }
      return Value::Bool(false);
    }
    case FuncId::kStrCount: {
      std::string_view s = s0(), sub = s1();
      if (sub.empty()) return Value::Int(static_cast<int64_t>(RuneCount(s) + 1));
      int64_t n = 0;
      for (size_t p = s.find(sub); p != std::string_view::npos; p = s.find(sub, p + sub.size())) {
        ++n;
      }
      return Value::Int(n);
    }
    case FuncId::kStrHasPrefix:
      return Value::Bool(s0().substr(0, s1().size()) == s1());
    case FuncId::kStrHasSuffix:
      return Value::Bool(s0().size() >= s1().size() &&
                         s0().substr(s0().size() - s1().size()) == s1());
    case FuncId::kStrIndex: {
      size_t p = s0().find(s1());
      return Value::Int(p == std::string_view::npos ? -1 : static_cast<int64_t>(p));
    }
    case FuncId::kStrLastIndex: {
      size_t p = s0().rfind(s1());
      return Value::Int(p == std::string_view::npos ? -1 : static_cast<int64_t>(p));
    }
    case FuncId::kStrIndexAny: {
      std::string_view s = s0();
      for (size_t i = 0; i < s.size();) {
        Rune r = DecodeRune(s, i);
        if (RuneIn(r.cp, s1())) return Value::Int(static_cast<int64_t>(i));
        i += r.len;
      }
      return Value::Int(-1);
    }
    case FuncId::kStrLastIndexAny: {
      std::string_view s = s0();
      int64_t last = -1;
      for (size_t i = 0; i < s.size();) {
        Rune r = DecodeRune(s, i);
        if (RuneIn(r.cp, s1())) last = static_cast<int64_t>(i);
        i += r.len;
      }
      return Value::Int(last);
    }
    case FuncId::kStrLength:
      return Value::Int(static_cast<int64_t>(s0().size()));
    case FuncId::kStrReplace:
      return Str(scratch, GoReplace(s0(), s1(), a[2].string_value(), a[3].int_value()));
    case FuncId::kStrSubstring: {
      int64_t start = a[1].int_value(), stop = a[2].int_value();
      if (start < 0) {
        return CallError(scratch, info.name,
                         absl::StrCat("found negative index for strSubstring: ", start));
      }
      if (stop < 0) {
        return CallError(scratch, info.name,
                         absl::StrCat("found negative index for strSubstring: ", stop));
      }
      if (stop >= static_cast<int64_t>(s0().size())) {
        return CallError(scratch, info.name,
                         absl::StrCat("stop index too large for string in strSubstring: ", stop));
      }
      if (start > stop) {
        // Go panics with "slice bounds out of range"; report it as an error.
        return CallError(
            scratch, info.name,
            absl::StrCat("runtime error: slice bounds out of range [", start, ":", stop, "]"));
      }
      return Value::String(s0().substr(start, stop - start));
    }
    case FuncId::kStrToLower:
    case FuncId::kStrToUpper: {
      std::string_view s = s0();
      char* p = scratch->Allocate(s.size());
      const bool upper = info.id == FuncId::kStrToUpper;
      for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
        if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
        p[i] = c;
      }
      return Value::String(std::string_view(p, s.size()));
    }
    case FuncId::kStrTrimSpace: {
      auto f = [](uint32_t cp) { return IsGoSpace(cp); };
      return Value::String(TrimRightFn(TrimLeftFn(s0(), f), f));
    }
    case FuncId::kStrTrim:
    case FuncId::kStrTrimLeft:
    case FuncId::kStrTrimRight: {
      std::string_view cut = s1();
      auto f = [cut](uint32_t cp) { return RuneIn(cp, cut); };
      std::string_view s = s0();
      if (info.id != FuncId::kStrTrimRight) s = TrimLeftFn(s, f);
      if (info.id != FuncId::kStrTrimLeft) s = TrimRightFn(s, f);
      return Value::String(s);
    }
    case FuncId::kStrTrimPrefix: {
      std::string_view s = s0();
      if (s.substr(0, s1().size()) == s1()) s.remove_prefix(s1().size());
      return Value::String(s);
    }
    case FuncId::kStrTrimSuffix: {
      std::string_view s = s0();
      if (s.size() >= s1().size() && s.substr(s.size() - s1().size()) == s1()) {
        s.remove_suffix(s1().size());
      }
      return Value::String(s);
    }
    case FuncId::kRegexReplace:
      return Str(scratch, GoReplaceAll(*a[0].regex_value(), s1(), a[2].string_value()));
    case FuncId::kIsPresent:
      return Value::Bool(!a[0].is_missing());
    case FuncId::kUnixNano:
      return Value::Int(a[0].int_value());
    case FuncId::kMinute:
    case FuncId::kHour:
    case FuncId::kWeekday:
    case FuncId::kDay:
    case FuncId::kMonth:
    case FuncId::kYear: {
      struct tm tm {};
      LocalTm(a[0].int_value(), &tm);
      switch (info.id) {
        case FuncId::kMinute:
          return Value::Int(tm.tm_min);
        case FuncId::kHour:
          return Value::Int(tm.tm_hour);
        case FuncId::kWeekday:
          return Value::Int(tm.tm_wday);
        case FuncId::kDay:
          return Value::Int(tm.tm_mday);
        case FuncId::kMonth:
          return Value::Int(tm.tm_mon + 1);
        default:
          return Value::Int(static_cast<int64_t>(tm.tm_year) + 1900);
      }
    }
    case FuncId::kNow: {
      struct timespec ts {};
      clock_gettime(CLOCK_REALTIME, &ts);
      return Value::Time(static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec);
    }
    case FuncId::kHumanBytes: {
      uint64_t n = a[0].kind() == K::kInt ? static_cast<uint64_t>(a[0].int_value())
                                          : static_cast<uint64_t>(GoFloatToInt(f0()));
      return Str(scratch, HumanBytes(n));
    }
    case FuncId::kIf:
      return a[0].bool_value() ? a[1] : a[2];
    case FuncId::kSigma:
      return Value::Float(SigmaUpdate(state, f0()));
    case FuncId::kCount:
      return Value::Int(++state->count);
    case FuncId::kSpread: {
      double x = f0();
      if (x < state->min) state->min = x;
      if (x > state->max) state->max = x;
      return Value::Float(state->max - state->min);
    }
  }
  return Value::Missing();
}

}  // namespace tick::interp::internal
