// File: interpreter/template_fmt.cc
//
// Go fmt semantics over TemplateValue: %v printing (AppendGoValue), Sprint/Sprintln/Sprintf
// (the template builtins print, println, printf), and encoding/json of TemplateValue trees.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <vector>

#include "interpreter/gofmt.h"
#include "interpreter/gofmt_internal.h"
#include "interpreter/template.h"
#include "interpreter/template_internal.h"

namespace tick::interp {
namespace {

// Returns the entries of a map sorted by key (Go prints and ranges maps in key order). Uses
// `scratch` only when the entries are not already sorted.
std::span<const TemplateField> SortedEntries(const TemplateValue& m,
                                             std::vector<TemplateField>* scratch) {
  auto f = m.fields();
  bool sorted = true;
  for (size_t i = 1; i < f.size(); ++i) {
    if (f[i - 1].name > f[i].name) {
      sorted = false;
      break;
    }
  }
  if (sorted) return f;
  scratch->assign(f.begin(), f.end());
  std::sort(scratch->begin(), scratch->end(),
            [](const TemplateField& a, const TemplateField& b) { return a.name < b.name; });
  return *scratch;
}

struct FmtFlags {
  bool minus = false;
  bool plus = false;
  bool sharp = false;
  bool space = false;
  bool zero = false;
  int width = -1;
  int prec = -1;
};

size_t RuneCount(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size();) {
    uint32_t r;
    const int k = internal::DecodeUtf8(s, i, &r);
    i += k < 0 ? 1 : k;
    ++n;
  }
  return n;
}

void Pad(std::string* out, std::string_view s, const FmtFlags& fl, bool zero_ok) {
  if (fl.width < 0) {
    out->append(s);
    return;
  }
  const size_t n = RuneCount(s);
  if (n >= static_cast<size_t>(fl.width)) {
    out->append(s);
    return;
  }
  const size_t pad = fl.width - n;
  if (fl.minus) {
    out->append(s);
    out->append(pad, ' ');
  } else if (fl.zero && zero_ok) {
    // Zero padding goes after a sign.
    size_t sign = (!s.empty() && (s[0] == '-' || s[0] == '+' || s[0] == ' ')) ? 1 : 0;
    out->append(s.substr(0, sign));
    out->append(pad, '0');
    out->append(s.substr(sign));
  } else {
    out->append(pad, ' ');
    out->append(s);
  }
}

void AppendQuoted(std::string* out, std::string_view s) {
  static constexpr char kHexd[] = "0123456789abcdef";
  out->push_back('"');
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '\a':
          out->append("\\a");
          break;
        case '\b':
          out->append("\\b");
          break;
        case '\f':
          out->append("\\f");
          break;
        case '\n':
          out->append("\\n");
          break;
        case '\r':
          out->append("\\r");
          break;
        case '\t':
          out->append("\\t");
          break;
        case '\v':
          out->append("\\v");
          break;
        case '\\':
          out->append("\\\\");
          break;
        case '"':
          out->append("\\\"");
          break;
        default:
          if (c < 0x20 || c == 0x7F) {
            out->append("\\x");
            out->push_back(kHexd[c >> 4]);
            out->push_back(kHexd[c & 15]);
          } else {
            out->push_back(static_cast<char>(c));
          }
      }
      ++i;
      continue;
    }
    uint32_t r;
    const int k = internal::DecodeUtf8(s, i, &r);
    if (k < 0) {
      out->append("\\x");
      out->push_back(kHexd[c >> 4]);
      out->push_back(kHexd[c & 15]);
      ++i;
    } else {
      out->append(s.substr(i, k));
      i += k;
    }
  }
  out->push_back('"');
}

void FmtInteger(std::string* out, bool neg, uint64_t mag, char verb, const FmtFlags& fl) {
  std::string s;
  if (neg) {
    s.push_back('-');
  } else if (fl.plus) {
    s.push_back('+');
  } else if (fl.space) {
    s.push_back(' ');
  }
  int base = 10;
  bool upper = false;
  switch (verb) {
    case 'b':
      base = 2;
      break;
    case 'o':
    case 'O':
      base = 8;
      break;
    case 'x':
      base = 16;
      break;
    case 'X':
      base = 16;
      upper = true;
      break;
    default:
      break;
  }
  if (fl.sharp) {
    if (base == 16) s.append(upper ? "0X" : "0x");
    if (base == 8 && verb == 'o') s.push_back('0');
    if (base == 2) s.append("0b");
  }
  if (verb == 'O') s.append("0o");
  char buf[70];
  auto res = std::to_chars(buf, buf + sizeof(buf), mag, base);
  std::string digits(buf, res.ptr);
  if (upper) {
    for (char& c : digits) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (fl.prec >= 0) {
    if (fl.prec == 0 && mag == 0) digits.clear();
    while (static_cast<int>(digits.size()) < fl.prec) digits.insert(digits.begin(), '0');
  }
  s += digits;
  Pad(out, s, fl, fl.prec < 0 && !fl.minus);
}

// strconv.FormatFloat(f, fmt, prec, 64) for fmt in e E f F g G (prec -1 = shortest).
void StrconvFloat(std::string* out, double f, char fmt, int prec) {
  const size_t start = out->size();
  if (std::isnan(f)) {
    out->append("NaN");
    return;
  }
  if (std::isinf(f)) {
    out->append(f > 0 ? "+Inf" : "-Inf");
    return;
  }
  const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(fmt)));
  if (prec < 0) {
    internal::ShortestDigits d = internal::Shortest(f);
    if (lower == 'e') {
      internal::AppendDigitsE(out, d, 2);
    } else if (lower == 'f') {
      internal::AppendDigitsF(out, d);
    } else {
      const int exp = d.digits[0] == '0' ? 0 : d.dp - 1;
      if (exp < -4 || exp >= 6) {
        internal::AppendDigitsE(out, d, 2);
      } else {
        internal::AppendDigitsF(out, d);
      }
    }
  } else if (lower == 'e' || lower == 'f') {
    char buf[400];
    auto res = std::to_chars(
        buf, buf + sizeof(buf), f,
        lower == 'e' ? std::chars_format::scientific : std::chars_format::fixed, prec);
    out->append(buf, res.ptr);
  } else {
    // %g with precision: round to `prec` significant digits, drop trailing zeros.
    const int p = prec == 0 ? 1 : prec;
    char buf[400];
    auto res =
        std::to_chars(buf, buf + sizeof(buf), std::fabs(f), std::chars_format::scientific, p - 1);
    internal::ShortestDigits d;
    d.neg = std::signbit(f);
    const char* q = buf;
    std::string digits;
    while (q < res.ptr && *q != 'e') {
      if (*q != '.') digits.push_back(*q);
      ++q;
    }
    int exp = std::atoi(q + 1);
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
    const int nd = static_cast<int>(digits.size());
    const int dp = exp + 1;
    int eprec = p;
    if (eprec > nd && nd >= dp) eprec = nd;
    std::string tmp;
    if (std::fabs(f) == 0) exp = 0;
    if (exp < -4 || exp >= eprec) {
      std::memcpy(d.digits, digits.data(), std::min<size_t>(digits.size(), 19));
      d.nd = std::min(nd, 19);
      d.dp = dp;
      internal::AppendDigitsE(out, d, 2);
    } else {
      std::memcpy(d.digits, digits.data(), std::min<size_t>(digits.size(), 19));
      d.nd = std::min(nd, 19);
      d.dp = std::fabs(f) == 0 ? 1 : dp;
      internal::AppendDigitsF(out, d);
    }
  }
  if (fmt == 'E' || fmt == 'G') {
    for (size_t i = start; i < out->size(); ++i) {
      if ((*out)[i] == 'e') (*out)[i] = 'E';
    }
  }
}

void FmtFloat(std::string* out, double f, char verb, const FmtFlags& fl) {
  std::string s;
  char fmt = verb == 'v' ? 'g' : verb;
  if (fmt == 'F') fmt = 'f';
  int prec = fl.prec;
  if (prec < 0 && (fmt == 'e' || fmt == 'E' || fmt == 'f')) prec = 6;
  if (verb == 'v' && prec < 0) {
    AppendGoFloatV(&s, f);
  } else if ((fmt == 'g' || fmt == 'G') && prec < 0) {
    // %g with shortest precision is the %v rule.
    std::string tmp;
    AppendGoFloatV(&tmp, f);
    if (fmt == 'G') {
      for (char& c : tmp) {
        if (c == 'e') c = 'E';
      }
    }
    s = tmp;
  } else {
    StrconvFloat(&s, f, fmt, prec);
  }
  if (!s.empty() && s[0] != '-' && s[0] != '+' && !std::isnan(f)) {
    if (fl.plus) {
      s.insert(s.begin(), '+');
    } else if (fl.space) {
      s.insert(s.begin(), ' ');
    }
  } else if (!s.empty() && s[0] == '+' && !fl.plus) {
    // +Inf keeps its sign only with the plus flag.
    s.erase(s.begin());
    if (fl.space) s.insert(s.begin(), ' ');
  }
  Pad(out, s, fl, !std::isinf(f) && !std::isnan(f));
}

void FmtString(std::string* out, std::string_view s, char verb, const FmtFlags& fl) {
  static constexpr char kLower[] = "0123456789abcdef";
  static constexpr char kUpper[] = "0123456789ABCDEF";
  if (fl.prec >= 0 && (verb == 's' || verb == 'v')) {
    // Truncate to prec runes.
    size_t i = 0;
    for (int n = 0; n < fl.prec && i < s.size(); ++n) {
      uint32_t r;
      const int k = internal::DecodeUtf8(s, i, &r);
      i += k < 0 ? 1 : k;
    }
    s = s.substr(0, i);
  }
  std::string tmp;
  switch (verb) {
    case 'v':
    case 's':
      Pad(out, s, fl, true);
      return;
    case 'q':
      AppendQuoted(&tmp, s);
      Pad(out, tmp, fl, true);
      return;
    case 'x':
    case 'X': {
      const char* h = verb == 'x' ? kLower : kUpper;
      for (unsigned char c : s) {
        tmp.push_back(h[c >> 4]);
        tmp.push_back(h[c & 15]);
      }
      Pad(out, tmp, fl, true);
      return;
    }
    default:
      break;
  }
}

void PrintArg(std::string* out, const TemplateValue& v, char verb, const FmtFlags& fl);

void BadVerb(std::string* out, const TemplateValue& v, char verb) {
  out->append("%!");
  out->push_back(verb);
  out->push_back('(');
  if (v.kind() == TemplateKind::kNil) {
    out->append("<nil>");
  } else {
    out->append(v.GoTypeName());
    out->push_back('=');
    PrintArg(out, v, 'v', FmtFlags());
  }
  out->push_back(')');
}

void PrintArg(std::string* out, const TemplateValue& v, char verb, const FmtFlags& fl) {
  if (verb == 'T') {
    Pad(out, v.kind() == TemplateKind::kNil ? "<nil>" : v.GoTypeName(), fl, false);
    return;
  }
  switch (v.kind()) {
    case TemplateKind::kNil:
      if (verb == 'v') {
        Pad(out, "<nil>", fl, false);
      } else {
        BadVerb(out, v, verb);
      }
      return;
    case TemplateKind::kBool:
      if (verb == 'v' || verb == 't') {
        Pad(out, v.b() ? "true" : "false", fl, false);
      } else {
        BadVerb(out, v, verb);
      }
      return;
    case TemplateKind::kFloat:
      switch (verb) {
        case 'v':
        case 'e':
        case 'E':
        case 'f':
        case 'F':
        case 'g':
        case 'G':
          FmtFloat(out, v.f(), verb, fl);
          return;
        default:
          BadVerb(out, v, verb);
          return;
      }
    case TemplateKind::kInt:
    case TemplateKind::kUint:
    case TemplateKind::kDuration: {
      if (v.kind() == TemplateKind::kDuration &&
          (verb == 'v' || verb == 's' || verb == 'q' || verb == 'x' || verb == 'X')) {
        std::string s;
        AppendGoDuration(&s, v.i());
        FmtString(out, s, verb, fl);
        return;
      }
      const bool neg = v.kind() != TemplateKind::kUint && v.i() < 0;
      const uint64_t mag = v.kind() == TemplateKind::kUint ? v.u()
                                                           : (neg ? 0 - static_cast<uint64_t>(v.i())
                                                                  : static_cast<uint64_t>(v.i()));
      switch (verb) {
        case 'v':
        case 'd':
        case 'b':
        case 'o':
        case 'O':
        case 'x':
        case 'X':
          FmtInteger(out, neg, mag, verb == 'v' ? 'd' : verb, fl);
          return;
        case 'c': {
          std::string s;
          internal::AppendUtf8(&s, mag > 0x10FFFF ? 0xFFFD : static_cast<uint32_t>(mag));
          Pad(out, s, fl, false);
          return;
        }
        case 'q': {
          std::string s = "'";
          internal::AppendUtf8(&s, mag > 0x10FFFF ? 0xFFFD : static_cast<uint32_t>(mag));
          s.push_back('\'');
          Pad(out, s, fl, false);
          return;
        }
        default:
          BadVerb(out, v, verb);
          return;
      }
    }
    case TemplateKind::kString:
      switch (verb) {
        case 'v':
        case 's':
        case 'q':
        case 'x':
        case 'X':
          FmtString(out, v.str(), verb, fl);
          return;
        default:
          BadVerb(out, v, verb);
          return;
      }
    case TemplateKind::kTime:
      if (verb == 'v' || verb == 's' || verb == 'q' || verb == 'x' || verb == 'X') {
        std::string s;
        AppendGoTimeString(&s, v.i());
        FmtString(out, s, verb, fl);
      } else {
        BadVerb(out, v, verb);
      }
      return;
    case TemplateKind::kMap: {
      std::vector<TemplateField> scratch;
      out->append("map[");
      bool first = true;
      for (const TemplateField& e : SortedEntries(v, &scratch)) {
        if (!first) out->push_back(' ');
        first = false;
        PrintArg(out, TemplateValue::String(e.name), verb, fl);
        out->push_back(':');
        PrintArg(out, e.value, verb, fl);
      }
      out->push_back(']');
      return;
    }
    case TemplateKind::kStruct: {
      out->push_back('{');
      bool first = true;
      for (const TemplateField& e : v.fields()) {
        if (!first) out->push_back(' ');
        first = false;
        if (fl.plus) {
          out->append(e.name);
          out->push_back(':');
        }
        PrintArg(out, e.value, verb, fl);
      }
      out->push_back('}');
      return;
    }
    case TemplateKind::kList: {
      out->push_back('[');
      bool first = true;
      for (const TemplateValue& e : v.items()) {
        if (!first) out->push_back(' ');
        first = false;
        PrintArg(out, e, verb, fl);
      }
      out->push_back(']');
      return;
    }
  }
}

bool JsonValue(std::string* out, const TemplateValue& v, std::string_view indent, int depth) {
  bool ok = true;
  auto newline = [&](int d) {
    if (indent.empty()) return;
    out->push_back('\n');
    for (int i = 0; i < d; ++i) out->append(indent);
  };
  switch (v.kind()) {
    case TemplateKind::kNil:
      out->append("null");
      break;
    case TemplateKind::kString:
      AppendJsonString(out, v.str());
      break;
    case TemplateKind::kFloat:
      ok = AppendJsonFloat(out, v.f());
      break;
    case TemplateKind::kInt:
    case TemplateKind::kDuration:
      AppendInt(out, v.i());
      break;
    case TemplateKind::kUint:
      AppendUint(out, v.u());
      break;
    case TemplateKind::kBool:
      out->append(v.b() ? "true" : "false");
      break;
    case TemplateKind::kTime:
      out->push_back('"');
      AppendRFC3339Nano(out, v.i());
      out->push_back('"');
      break;
    case TemplateKind::kMap:
    case TemplateKind::kStruct: {
      std::vector<TemplateField> scratch;
      auto entries = v.kind() == TemplateKind::kMap ? SortedEntries(v, &scratch) : v.fields();
      if (entries.empty()) {
        out->append("{}");
        break;
      }
      out->push_back('{');
      bool first = true;
      for (const TemplateField& e : entries) {
        if (!first) out->push_back(',');
        first = false;
        newline(depth + 1);
        AppendJsonString(out, e.name);
        out->push_back(':');
        if (!indent.empty()) out->push_back(' ');
        ok = JsonValue(out, e.value, indent, depth + 1) && ok;
      }
      newline(depth);
      out->push_back('}');
      break;
    }
    case TemplateKind::kList: {
      if (v.items().empty()) {
        out->append("[]");
        break;
      }
      out->push_back('[');
      bool first = true;
      for (const TemplateValue& e : v.items()) {
        if (!first) out->push_back(',');
        first = false;
        newline(depth + 1);
        ok = JsonValue(out, e, indent, depth + 1) && ok;
      }
      newline(depth);
      out->push_back(']');
      break;
    }
  }
  return ok;
}

}  // namespace

std::string TemplateValue::GoTypeName() const {
  switch (kind_) {
    case TemplateKind::kNil:
      return "<nil>";
    case TemplateKind::kString:
      return "string";
    case TemplateKind::kFloat:
      return "float64";
    case TemplateKind::kInt:
      return aux_ == 1 ? "int" : "int64";
    case TemplateKind::kUint:
      return "uint64";
    case TemplateKind::kBool:
      return "bool";
    case TemplateKind::kTime:
      return "time.Time";
    case TemplateKind::kDuration:
      return "time.Duration";
    case TemplateKind::kMap:
      return map_elem() == MapElem::kString ? "map[string]string" : "map[string]interface {}";
    case TemplateKind::kStruct:
      return std::string(type_name());
    case TemplateKind::kList:
      return "[]interface {}";
  }
  return "<nil>";
}

void AppendGoValue(std::string* out, const TemplateValue& v) { PrintArg(out, v, 'v', FmtFlags()); }

bool AppendTemplateValueJson(std::string* out, const TemplateValue& v, std::string_view indent) {
  return JsonValue(out, v, indent, 0);
}

namespace internal {

void GoSprint(std::string* out, std::span<const TemplateValue> args) {
  for (size_t i = 0; i < args.size(); ++i) {
    // Sprint adds a space between operands when neither is a string.
    if (i > 0 && args[i].kind() != TemplateKind::kString &&
        args[i - 1].kind() != TemplateKind::kString) {
      out->push_back(' ');
    }
    AppendGoValue(out, args[i]);
  }
}

void GoSprintln(std::string* out, std::span<const TemplateValue> args) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out->push_back(' ');
    AppendGoValue(out, args[i]);
  }
  out->push_back('\n');
}

void GoSprintf(std::string* out, std::string_view format, std::span<const TemplateValue> args) {
  size_t argi = 0;
  const size_t n = format.size();
  size_t i = 0;
  while (i < n) {
    const size_t start = i;
    while (i < n && format[i] != '%') ++i;
    out->append(format.substr(start, i - start));
    if (i >= n) break;
    ++i;  // '%'
    FmtFlags fl;
    for (; i < n; ++i) {
      const char c = format[i];
      if (c == '#')
        fl.sharp = true;
      else if (c == '0')
        fl.zero = !fl.minus;
      else if (c == '+')
        fl.plus = true;
      else if (c == '-') {
        fl.minus = true;
        fl.zero = false;
      } else if (c == ' ')
        fl.space = true;
      else
        break;
    }
    if (i < n && format[i] == '*') {
      ++i;
      if (argi < args.size() && args[argi].kind() == TemplateKind::kInt) {
        fl.width = static_cast<int>(args[argi].i());
        if (fl.width < 0) {
          fl.minus = true;
          fl.width = -fl.width;
        }
      } else {
        out->append("%!(BADWIDTH)");
      }
      ++argi;
    } else {
      while (i < n && format[i] >= '0' && format[i] <= '9') {
        fl.width = (fl.width < 0 ? 0 : fl.width) * 10 + (format[i] - '0');
        ++i;
      }
    }
    if (i < n && format[i] == '.') {
      ++i;
      fl.prec = 0;
      if (i < n && format[i] == '*') {
        ++i;
        if (argi < args.size() && args[argi].kind() == TemplateKind::kInt && args[argi].i() >= 0) {
          fl.prec = static_cast<int>(args[argi].i());
        } else {
          out->append("%!(BADPREC)");
          fl.prec = -1;
        }
        ++argi;
      } else {
        while (i < n && format[i] >= '0' && format[i] <= '9') {
          fl.prec = fl.prec * 10 + (format[i] - '0');
          ++i;
        }
      }
    }
    if (i >= n) {
      out->append("%!(NOVERB)");
      break;
    }
    // The verb is one rune.
    uint32_t r = static_cast<unsigned char>(format[i]);
    int k = 1;
    if (r >= 0x80) {
      k = DecodeUtf8(format, i, &r);
      if (k < 0) {
        k = 1;
        r = 0xFFFD;
      }
    }
    i += k;
    if (r == '%') {
      out->push_back('%');
      continue;
    }
    if (r >= 0x80) {
      out->append("%!");
      AppendUtf8(out, r);
      if (argi < args.size()) {
        out->push_back('(');
        out->append(args[argi].GoTypeName());
        out->push_back('=');
        AppendGoValue(out, args[argi]);
        out->push_back(')');
        ++argi;
      } else {
        out->append("(MISSING)");
      }
      continue;
    }
    const char verb = static_cast<char>(r);
    if (argi >= args.size()) {
      out->append("%!");
      out->push_back(verb);
      out->append("(MISSING)");
      continue;
    }
    if (verb == 'w') {
      // Sprintf treats %w like a bad verb.
      BadVerb(out, args[argi++], verb);
      continue;
    }
    PrintArg(out, args[argi++], verb, fl);
  }
  if (argi < args.size()) {
    out->append("%!(EXTRA ");
    for (size_t j = argi; j < args.size(); ++j) {
      if (j > argi) out->append(", ");
      if (args[j].kind() == TemplateKind::kNil) {
        out->append("<nil>");
      } else {
        out->append(args[j].GoTypeName());
        out->push_back('=');
        AppendGoValue(out, args[j]);
      }
    }
    out->push_back(')');
  }
}

}  // namespace internal
}  // namespace tick::interp
