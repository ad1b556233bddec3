// File: interpreter/gofmt.cc
//
// Go-compatible formatting; see gofmt.h. Shortest round-trip digits come from std::to_chars
// (the same shortest-uniquely-identifying digits Go's strconv produces with precision -1).
#include "interpreter/gofmt.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "interpreter/gofmt_internal.h"

namespace tick::interp {
namespace internal {

int DecodeUtf8(std::string_view s, size_t i, uint32_t* rune) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *rune = b0;
    return 1;
  }
  const size_t n = s.size() - i;
  auto cont = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (n < 2 || (cont(1) & 0xC0) != 0x80) return -1;
    *rune = ((b0 & 0x1Fu) << 6) | (cont(1) & 0x3Fu);
    return 2;
  }
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (n < 3) return -1;
    const unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80;
    const unsigned char hi = b0 == 0xED ? 0x9F : 0xBF;
    if (cont(1) < lo || cont(1) > hi || (cont(2) & 0xC0) != 0x80) return -1;
    *rune = ((b0 & 0x0Fu) << 12) | ((cont(1) & 0x3Fu) << 6) | (cont(2) & 0x3Fu);
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (n < 4) return -1;
    const unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = b0 == 0xF4 ? 0x8F : 0xBF;
    if (cont(1) < lo || cont(1) > hi || (cont(2) & 0xC0) != 0x80 || (cont(3) & 0xC0) != 0x80) {
      return -1;
    }
    *rune = ((b0 & 0x07u) << 18) | ((cont(1) & 0x3Fu) << 12) | ((cont(2) & 0x3Fu) << 6) |
            (cont(3) & 0x3Fu);
    return 4;
  }
  return -1;
}

void AppendUtf8(std::string* out, uint32_t r) {
  if (r < 0x80) {
    out->push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (r >> 6)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (r >> 12)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (r >> 18)));
    out->push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

ShortestDigits Shortest(double f) {
  ShortestDigits d;
  d.neg = std::signbit(f);
  const double a = std::fabs(f);
  if (a == 0) {
    d.digits[0] = '0';
    d.nd = 1;
    d.dp = 1;
    return d;
  }
  char buf[40];
  auto res = std::to_chars(buf, buf + sizeof(buf), a, std::chars_format::scientific);
  // Form: D[.DDDD]e(+|-)XX
  const char* p = buf;
  const char* end = res.ptr;
  d.digits[d.nd++] = *p++;
  if (p < end && *p == '.') {
    ++p;
    while (p < end && *p != 'e') d.digits[d.nd++] = *p++;
  }
  ++p;  // 'e'
  const bool eneg = *p == '-';
  ++p;
  int exp = 0;
  while (p < end) exp = exp * 10 + (*p++ - '0');
  if (eneg) exp = -exp;
  d.dp = exp + 1;
  return d;
}

void AppendDigitsE(std::string* out, const ShortestDigits& d, int min_exp_digits) {
  if (d.neg) out->push_back('-');
  out->push_back(d.digits[0]);
  if (d.nd > 1) {
    out->push_back('.');
    out->append(d.digits + 1, d.nd - 1);
  }
  out->push_back('e');
  int exp = d.digits[0] == '0' ? 0 : d.dp - 1;
  out->push_back(exp < 0 ? '-' : '+');
  if (exp < 0) exp = -exp;
  char eb[8];
  int n = 0;
  do {
    eb[n++] = static_cast<char>('0' + exp % 10);
    exp /= 10;
  } while (exp > 0);
  while (n < min_exp_digits) eb[n++] = '0';
  while (n > 0) out->push_back(eb[--n]);
}

void AppendDigitsF(std::string* out, const ShortestDigits& d) {
  if (d.neg) out->push_back('-');
  if (d.dp > 0) {
    const int m = d.dp < d.nd ? d.dp : d.nd;
    out->append(d.digits, m);
    for (int i = m; i < d.dp; ++i) out->push_back('0');
  } else {
    out->push_back('0');
  }
  if (d.nd > d.dp) {
    out->push_back('.');
    for (int i = d.dp; i < 0; ++i) out->push_back('0');
    const int start = d.dp > 0 ? d.dp : 0;
    out->append(d.digits + start, d.nd - start);
  }
}

}  // namespace internal

namespace {

constexpr char kHex[] = "0123456789abcdef";

// Days since 1970-01-01 -> civil date (proleptic Gregorian).
void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2 ? 1 : 0);
}

char* Put2(char* p, unsigned v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
  return p + 2;
}

// Writes "YYYY-MM-DD<sep>hh:mm:ss[.fffffffff]" with trailing zeros of the fraction trimmed at
// `buf` (at least 40 bytes); returns the length.
int FormatDateTime(char* buf, int64_t unix_ns, char sep) {
  int64_t secs = unix_ns / 1000000000;
  int64_t frac = unix_ns % 1000000000;
  if (frac < 0) {
    frac += 1000000000;
    secs -= 1;
  }
  int64_t days = secs / 86400;
  int64_t sod = secs % 86400;
  if (sod < 0) {
    sod += 86400;
    days -= 1;
  }
  // "YYYY-MM-DD" of the last day formatted on this thread (events cluster in time).
  struct DayText {
    int64_t days = std::numeric_limits<int64_t>::min();
    int len = 0;
    char text[32];
  };
  thread_local DayText last_day;
  char* p = buf;
  if (days != last_day.days) {
    int64_t year;
    unsigned month, day;
    CivilFromDays(days, &year, &month, &day);
    char* q = last_day.text;
    // Go's appendInt(b, year, 4): sign, then at least 4 digits.
    if (year < 0) {
      *q++ = '-';
      year = -year;
    }
    if (year < 10000) {
      const auto y = static_cast<unsigned>(year);
      q = Put2(q, y / 100);
      q = Put2(q, y % 100);
    } else {
      char yb[24];
      int n = 0;
      do {
        yb[n++] = static_cast<char>('0' + year % 10);
        year /= 10;
      } while (year > 0);
      while (n > 0) *q++ = yb[--n];
    }
    *q++ = '-';
    q = Put2(q, month);
    *q++ = '-';
    q = Put2(q, day);
    last_day.len = static_cast<int>(q - last_day.text);
    last_day.days = days;
  }
  std::memcpy(p, last_day.text, static_cast<size_t>(last_day.len));
  p += last_day.len;
  *p++ = sep;
  p = Put2(p, static_cast<unsigned>(sod / 3600));
  *p++ = ':';
  p = Put2(p, static_cast<unsigned>(sod / 60 % 60));
  *p++ = ':';
  p = Put2(p, static_cast<unsigned>(sod % 60));
  if (frac != 0) {
    *p++ = '.';
    auto f = static_cast<uint32_t>(frac);
    p[8] = static_cast<char>('0' + f % 10);
    f /= 10;
    for (int i = 6; i >= 0; i -= 2) {  // two digits at a time
      Put2(p + i, f % 100);
      f /= 100;
    }
    int len = 9;
    while (p[len - 1] == '0') --len;
    p += len;
  }
  return static_cast<int>(p - buf);
}

void AppendDateTime(std::string* out, int64_t unix_ns, char sep) {
  char buf[64];
  out->append(buf, static_cast<size_t>(FormatDateTime(buf, unix_ns, sep)));
}

// Go's fmtFrac: writes v % 10^prec as a fraction with trailing zeros omitted (and no '.'
// when the fraction is zero) in front of `buf[w]`; returns the new w and v / 10^prec.
int FmtFrac(char* buf, int w, uint64_t* v, int prec) {
  bool print = false;
  for (int i = 0; i < prec; ++i) {
    const auto digit = static_cast<char>(*v % 10);
    print = print || digit != 0;
    if (print) buf[--w] = static_cast<char>('0' + digit);
    *v /= 10;
  }
  if (print) buf[--w] = '.';
  return w;
}

int FmtInt(char* buf, int w, uint64_t v) {
  if (v == 0) {
    buf[--w] = '0';
  } else {
    while (v > 0) {
      buf[--w] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
  }
  return w;
}

}  // namespace

void AppendInt(std::string* out, int64_t v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, res.ptr - buf);
}

void AppendUint(std::string* out, uint64_t v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, res.ptr - buf);
}

namespace {

// ASCII bytes AppendJsonString must escape.
constexpr std::array<bool, 128> MakeJsonEscapeAscii() {
  std::array<bool, 128> t{};
  for (int b = 0; b < 0x20; ++b) t[b] = true;
  t['"'] = t['\\'] = t['<'] = t['>'] = t['&'] = true;
  return t;
}
constexpr std::array<bool, 128> kJsonEscapeAscii = MakeJsonEscapeAscii();

// Bytes AppendHtmlEscaped replaces.
constexpr std::array<bool, 256> MakeHtmlSpecial() {
  std::array<bool, 256> t{};
  t[0] = t['"'] = t['&'] = t['\''] = t['+'] = t['<'] = t['>'] = true;
  return t;
}
constexpr std::array<bool, 256> kHtmlSpecial = MakeHtmlSpecial();

// The all-ASCII case of AppendJsonString, written in place into `out` grown to the worst case
// (6 bytes per input byte) and then shrunk. Returns false (leaving `out` unchanged) when `s`
// has a non-ASCII byte or is longer than 64 KiB.
bool AppendAsciiJsonString(std::string* out, std::string_view s) {
  const auto* data = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  if (n > 65536) return false;  // long strings: the general path, without the 6x buffer
  const size_t old = out->size();
  out->resize(old + 6 * n + 2);
  char* const begin = out->data() + old;
  char* p = begin;
  *p++ = '"';
  for (size_t i = 0; i < n; ++i) {
    const unsigned char b = data[i];
    if (b >= 0x80) {
      out->resize(old);
      return false;
    }
    if (internal::kJsonAsciiLen[b] == 1) {
      *p++ = static_cast<char>(b);
    } else {
      p = internal::WriteJsonAsciiEscape(p, b);
    }
  }
  *p++ = '"';
  out->resize(old + static_cast<size_t>(p - begin));
  return true;
}

}  // namespace

// Writes the escaped form of ASCII byte `b` (internal::kJsonAsciiLen[b] > 1) at `p`; returns the
// end.
char* internal::WriteJsonAsciiEscape(char* p, unsigned char b) {
  *p++ = '\\';
  switch (b) {
    case '"':
      *p++ = '"';
      return p;
    case '\\':
      *p++ = '\\';
      return p;
    case '\b':
      *p++ = 'b';
      return p;
    case '\f':
      *p++ = 'f';
      return p;
    case '\n':
      *p++ = 'n';
      return p;
    case '\r':
      *p++ = 'r';
      return p;
    case '\t':
      *p++ = 't';
      return p;
    default:
      *p++ = 'u';
      *p++ = '0';
      *p++ = '0';
      *p++ = kHex[b >> 4];
      *p++ = kHex[b & 0xF];
      return p;
  }
}

void AppendJsonString(std::string* out, std::string_view s) {
  if (AppendAsciiJsonString(out, s)) return;
  out->push_back('"');
  size_t start = 0;
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      if (!kJsonEscapeAscii[b]) {
        ++i;
        continue;
      }
      out->append(s.data() + start, i - start);
      char buf[6];
      out->append(buf, static_cast<size_t>(internal::WriteJsonAsciiEscape(buf, b) - buf));
      ++i;
      start = i;
      continue;
    }
    uint32_t r = 0;
    const int size = internal::DecodeUtf8(s, i, &r);
    if (size < 0) {
      out->append(s.data() + start, i - start);
      out->append("\\ufffd");
      ++i;
      start = i;
      continue;
    }
    if (r == 0x2028 || r == 0x2029) {
      out->append(s.data() + start, i - start);
      out->append(r == 0x2028 ? "\\u2028" : "\\u2029");
      i += size;
      start = i;
      continue;
    }
    i += size;
  }
  out->append(s.data() + start, s.size() - start);
  out->push_back('"');
}

namespace internal {

int FormatShortDecimal(double f, char* buf) {
  // Exact powers of ten (every one up to 1e22 is a double).
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const double a = std::fabs(f);
  if (!(a >= 1e-6 && a < 1e15)) return 0;
  // Spacing of the doubles around `a`: a decimal with k fraction digits is the only one
  // rounding to `a` when 10^-k is well above it.
  uint64_t bits;
  std::memcpy(&bits, &a, sizeof(bits));
  ++bits;  // the next double up (a is finite and positive)
  double next;
  std::memcpy(&next, &bits, sizeof(next));
  const double ulp = next - a;
  for (int k = 0; k < static_cast<int>(std::size(kPow10)); ++k) {
    if (ulp * kPow10[k] >= 0.5) return 0;
    const double s = a * kPow10[k];
    if (s >= 0x1p52) return 0;
    const double fl = std::floor(s);
    auto c = static_cast<uint64_t>(fl);
    if (static_cast<double>(c) / kPow10[k] != a) {
      ++c;
      if (static_cast<double>(c) / kPow10[k] != a) continue;
    }
    // c * 10^-k is the shortest decimal reading back as `a`: print it in %f form.
    char digits[24];
    int nd = 0;
    do {
      digits[nd++] = static_cast<char>('0' + c % 10);
      c /= 10;
    } while (c > 0);
    char* p = buf;
    if (std::signbit(f)) *p++ = '-';
    if (nd <= k) {
      *p++ = '0';
      *p++ = '.';
      for (int i = nd; i < k; ++i) *p++ = '0';
      while (nd > 0) *p++ = digits[--nd];
    } else {
      while (nd > k) *p++ = digits[--nd];
      if (k > 0) {
        *p++ = '.';
        while (nd > 0) *p++ = digits[--nd];
      }
    }
    return static_cast<int>(p - buf);
  }
  return 0;
}

bool AppendJsonFloatGeneral(std::string* out, double f) {
  if (std::isnan(f) || std::isinf(f)) {
    out->append("null");
    return false;
  }
  const internal::ShortestDigits d = internal::Shortest(f);
  const double a = std::fabs(f);
  if (a != 0 && (a < 1e-6 || a >= 1e21)) {
    const size_t before = out->size();
    internal::AppendDigitsE(out, d, 2);
    // Go's cleanup: e-09 -> e-9 (only for negative two-digit exponents with a leading 0).
    const size_t n = out->size() - before;
    char* b = out->data() + before;
    if (n >= 4 && b[n - 4] == 'e' && b[n - 3] == '-' && b[n - 2] == '0') {
      b[n - 2] = b[n - 1];
      out->resize(out->size() - 1);
    }
  } else {
    internal::AppendDigitsF(out, d);
  }
  return true;
}

}  // namespace internal

bool AppendJsonFloat(std::string* out, double f) {
  char buf[48];
  const int n = internal::FormatShortDecimal(f, buf);
  if (n > 0) {
    out->append(buf, static_cast<size_t>(n));
    return true;
  }
  return internal::AppendJsonFloatGeneral(out, f);
}

void AppendGoFloatV(std::string* out, double f) {
  if (std::isnan(f)) {
    out->append("NaN");
    return;
  }
  if (std::isinf(f)) {
    out->append(f > 0 ? "+Inf" : "-Inf");
    return;
  }
  const internal::ShortestDigits d = internal::Shortest(f);
  const int exp = d.digits[0] == '0' ? 0 : d.dp - 1;
  if (exp < -4 || exp >= 6) {
    internal::AppendDigitsE(out, d, 2);
  } else {
    internal::AppendDigitsF(out, d);
  }
}

int internal::FormatRFC3339Nano(int64_t unix_ns, char* buf) {
  const int n = FormatDateTime(buf, unix_ns, 'T');
  buf[n] = 'Z';
  return n + 1;
}

void AppendRFC3339Nano(std::string* out, int64_t unix_ns) {
  AppendDateTime(out, unix_ns, 'T');
  out->push_back('Z');
}

void AppendGoTimeString(std::string* out, int64_t unix_ns) {
  AppendDateTime(out, unix_ns, ' ');
  out->append(" +0000 UTC");
}

void AppendGoDuration(std::string* out, int64_t ns) {
  char buf[32];
  int w = sizeof(buf);
  uint64_t u = static_cast<uint64_t>(ns);
  const bool neg = ns < 0;
  if (neg) u = 0 - u;
  if (u < 1000000000ULL) {
    int prec = 0;
    buf[--w] = 's';
    if (u == 0) {
      out->append("0s");
      return;
    } else if (u < 1000ULL) {
      prec = 0;
      buf[--w] = 'n';
    } else if (u < 1000000ULL) {
      prec = 3;
      buf[--w] = '\xB5';  // U+00B5 MICRO SIGN, UTF-8 C2 B5
      buf[--w] = '\xC2';
    } else {
      prec = 6;
      buf[--w] = 'm';
    }
    w = FmtFrac(buf, w, &u, prec);
    w = FmtInt(buf, w, u);
  } else {
    buf[--w] = 's';
    w = FmtFrac(buf, w, &u, 9);
    w = FmtInt(buf, w, u % 60);
    u /= 60;
    if (u > 0) {
      buf[--w] = 'm';
      w = FmtInt(buf, w, u % 60);
      u /= 60;
      if (u > 0) {
        buf[--w] = 'h';
        w = FmtInt(buf, w, u);
      }
    }
  }
  if (neg) buf[--w] = '-';
  out->append(buf + w, sizeof(buf) - w);
}

void AppendHtmlEscaped(std::string* out, std::string_view s) {
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!kHtmlSpecial[static_cast<unsigned char>(s[i])]) continue;
    const char* rep = nullptr;
    switch (s[i]) {
      case '\0':
        rep = "\xEF\xBF\xBD";
        break;
      case '"':
        rep = "&#34;";
        break;
      case '&':
        rep = "&amp;";
        break;
      case '\'':
        rep = "&#39;";
        break;
      case '+':
        rep = "&#43;";
        break;
      case '<':
        rep = "&lt;";
        break;
      case '>':
        rep = "&gt;";
        break;
      default:
        continue;
    }
    out->append(s.data() + start, i - start);
    out->append(rep);
    start = i + 1;
  }
  out->append(s.data() + start, s.size() - start);
}

void AppendInfluxDuration(std::string* out, int64_t ns) {
  struct Unit {
    int64_t ns;
    const char* suffix;
  };
  static constexpr Unit kUnits[] = {
      {7LL * 24 * 3600 * 1000000000LL, "w"},
      {24LL * 3600 * 1000000000LL, "d"},
      {3600LL * 1000000000LL, "h"},
      {60LL * 1000000000LL, "m"},
      {1000000000LL, "s"},
      {1000000LL, "ms"},
      {1000LL, "u"},
  };
  if (ns == 0) {
    out->append("0s");
    return;
  }
  for (const Unit& u : kUnits) {
    if (ns % u.ns == 0) {
      AppendInt(out, ns / u.ns);
      out->append(u.suffix);
      return;
    }
  }
  AppendInt(out, ns);
  out->append("ns");
}

}  // namespace tick::interp
