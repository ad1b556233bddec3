// File: interpreter/gofmt_internal.h
//
// Internal helpers shared by gofmt.cc and template.cc (UTF-8 decoding as Go's utf8 package does
// it, and shortest decimal digits of a double). Not a public API.
#ifndef TICK_INTERPRETER_GOFMT_INTERNAL_H_
#define TICK_INTERPRETER_GOFMT_INTERNAL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tick::interp::internal {

// Decodes one UTF-8 sequence at s[i] (i < s.size()) like Go's utf8.DecodeRuneInString: returns
// its length (1-4) and stores the rune, or -1 when the bytes are not valid UTF-8 (surrogates,
// overlong forms and values above U+10FFFF are invalid; Go then consumes one byte).
int DecodeUtf8(std::string_view s, size_t i, uint32_t* rune);

// Appends rune `r` encoded as UTF-8.
void AppendUtf8(std::string* out, uint32_t r);

// Shortest round-trip decimal digits of |f|: value = 0.d1d2...dn * 10^dp. Zero is "0" with dp 1.
struct ShortestDigits {
  char digits[20];
  int nd = 0;
  int dp = 0;
  bool neg = false;
};
ShortestDigits Shortest(double f);

// Appends d in %e form (d1[.d2...]e±XX) with at least `min_exp_digits` exponent digits.
void AppendDigitsE(std::string* out, const ShortestDigits& d, int min_exp_digits);
// Appends d in %f form without an exponent.
void AppendDigitsF(std::string* out, const ShortestDigits& d);

// AppendJsonFloat's fast exact path: when |f| is in [1e-6, 1e15) and the shortest decimal
// reading back as f is c * 10^-k for a small k (so that no other decimal with k fraction
// digits reads back as f), writes that decimal in %f form (Go's JSON form for this range, e.g.
// `94.75`, `-0.001`, `12`) at `buf` (at least 48 bytes) and returns its length; otherwise
// returns 0 and writes nothing meaningful.
int FormatShortDecimal(double f, char* buf);

// AppendRFC3339Nano's text written at `buf` (at least 48 bytes); returns its length.
int FormatRFC3339Nano(int64_t unix_ns, char* buf);

// AppendJsonFloat without the fast path (Shortest + %f / %e); for differential tests.
bool AppendJsonFloatGeneral(std::string* out, double f);

}  // namespace tick::interp::internal

#endif  // TICK_INTERPRETER_GOFMT_INTERNAL_H_
