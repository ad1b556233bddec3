// File: interpreter/gofmt.h
//
// Go-compatible value formatting, byte for byte. Kapacitor renders alert IDs and messages with
// Go text/template (fmt %v), details with html/template, and writes alert events with Go
// encoding/json; tickrun must produce the same bytes. Every function here APPENDS to `out` and
// allocates only when `out` grows.
//
// Reference behaviour (golang/go sources):
//   AppendJsonString / AppendJsonFloat  src/encoding/json/encode.go (appendString, floatEncoder)
//   AppendGoFloatV                      src/fmt/format.go fmtFloat + src/strconv/ftoa.go ('g', -1)
//   AppendRFC3339Nano / AppendGoTimeString / AppendGoDuration   src/time/format.go, time.go
//   AppendHtmlEscaped                   src/html/template/escape.go htmlEscaper (text context)
//   AppendInfluxDuration                influxql FormatDuration (TICKscript string(duration))
#ifndef TICK_INTERPRETER_GOFMT_H_
#define TICK_INTERPRETER_GOFMT_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace tick::interp {

// Appends `s` as a JSON string literal (with the surrounding quotes) exactly as Go's
// encoding/json does with HTML escaping on (json.Marshal / json.Encoder default):
// `"` and `\` are backslash-escaped; \b \f \n \r \t use their short forms (Go >= 1.22, which
// current Kapacitor builds with); other bytes < 0x20 become \u00XX (lowercase hex); `<` `>` `&`
// become \u003c \u003e \u0026; U+2028 / U+2029 become \u2028 / \u2029; each invalid UTF-8 byte
// becomes \ufffd.
void AppendJsonString(std::string* out, std::string_view s);

// Appends a float64 as Go's encoding/json encodes it: shortest round-trip digits in plain decimal
// ('f') form (10 -> `10`, 97.1 -> `97.1`, 1e20 -> `100000000000000000000`), switching to
// exponent form when |f| < 1e-6 or |f| >= 1e21 with a two-digit exponent trimmed to one digit
// for negative exponents (Go's "clean up e-09 to e-9"): 1e-7 -> `1e-7`, 1e21 -> `1e+21`,
// 1.5e-10 -> `1.5e-10`. -0 -> `-0`.
// NaN and +-Inf are errors in Go (json: unsupported value); this function writes `null` for them
// and returns false so the caller can count/report it. Returns true otherwise.
bool AppendJsonFloat(std::string* out, double f);

// Appends a float64 as fmt's %v does (strconv 'g' with shortest precision, where the exponent
// form is used when the decimal exponent is < -4 or >= 6, exponent at least two digits):
// 10 -> `10`, 97.1 -> `97.1`, 999999.9 -> `999999.9`, 1e6 -> `1e+06`,
// 1234567.5 -> `1.2345675e+06`, 0.00012 -> `0.00012`, 1e-5 -> `1e-05`, 1e100 -> `1e+100`.
// NaN -> `NaN`, +Inf -> `+Inf`, -Inf -> `-Inf`, -0 -> `-0`.
void AppendGoFloatV(std::string* out, double f);

// Appends a Unix time in ns as time.RFC3339Nano in UTC: `1971-01-01T00:00:10Z`,
// `1970-01-01T00:00:00.5Z` (fraction without trailing zeros, omitted when zero).
void AppendRFC3339Nano(std::string* out, int64_t unix_ns);

// Appends time.Time.String() for a UTC time: `1971-01-01 00:00:10 +0000 UTC`,
// `1970-01-01 00:00:00.5 +0000 UTC` (fraction without trailing zeros, omitted when zero).
void AppendGoTimeString(std::string* out, int64_t unix_ns);

// Appends time.Duration.String(): `0s`, `1.5s`, `1m30s`, `1h0m0s`, `500ms`, `1µs` (U+00B5),
// `10ns`, `-1s`.
void AppendGoDuration(std::string* out, int64_t ns);

// Appends `s` escaped as html/template escapes text in the HTML text context (htmlEscaper):
// NUL -> U+FFFD, `"` -> &#34;, `&` -> &amp;, `'` -> &#39;, `+` -> &#43;, `<` -> &lt;,
// `>` -> &gt;. Everything else is copied unchanged.
void AppendHtmlEscaped(std::string* out, std::string_view s);

// Appends influxql.FormatDuration (TICKscript string(duration)): `0s`; otherwise the largest of
// w d h m s ms u that divides the value exactly, as `<n><unit>`; else `<n>ns`. Negative values
// keep their sign (`-5m`).
void AppendInfluxDuration(std::string* out, int64_t ns);

// Appends a decimal int64 / uint64 (helpers shared by the template engine and JSON writers).
void AppendInt(std::string* out, int64_t v);
void AppendUint(std::string* out, uint64_t v);

namespace internal {
// The encoding of ASCII bytes inside a JSON string literal (AppendJsonString's), for writers that
// size their output first (nodes/alert_event.cc).
// Length of each ASCII byte's encoding inside a JSON string literal.
constexpr std::array<uint8_t, 128> MakeJsonAsciiLen() {
  std::array<uint8_t, 128> t{};
  for (int b = 0; b < 128; ++b) t[b] = 1;
  for (int b = 0; b < 0x20; ++b) t[b] = 6;
  t['\b'] = t['\f'] = t['\n'] = t['\r'] = t['\t'] = 2;
  t['"'] = t['\\'] = 2;
  t['<'] = t['>'] = t['&'] = 6;
  return t;
}
inline constexpr std::array<uint8_t, 128> kJsonAsciiLen = MakeJsonAsciiLen();

// Writes the escaped form of ASCII byte `b` (kJsonAsciiLen[b] > 1) at `p`; returns the end.
char* WriteJsonAsciiEscape(char* p, unsigned char b);
}  // namespace internal

}  // namespace tick::interp

#endif  // TICK_INTERPRETER_GOFMT_H_
