// File: base/strings.h
//
// Debian 12's Abseil (20220623) is built with ABSL_OPTION_USE_STD_STRING_VIEW 0 (and likewise
// for optional/variant/any): absl::string_view is NOT std::string_view. tickrun uses
// std::string_view everywhere; convert at the Abseil boundary with Sv():
//   absl::StrCat("unknown node '", tick::Sv(name), "'")
//   absl::InvalidArgumentError(tick::Sv(message))
#ifndef TICK_BASE_STRINGS_H_
#define TICK_BASE_STRINGS_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "absl/base/attributes.h"
#include "absl/strings/string_view.h"

namespace tick {

inline absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }
inline std::string_view Sv(absl::string_view s) { return std::string_view(s.data(), s.size()); }
inline absl::string_view Sv(const std::string& s) { return absl::string_view(s.data(), s.size()); }
inline absl::string_view Sv(const char* s) { return absl::string_view(s); }

// a == b, inline with word loads for short strings (tag values, measurements, group IDs,
// string constants), where a call to memcmp costs more than the comparison.
ABSL_ATTRIBUTE_ALWAYS_INLINE inline bool BytesEqual(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  if (n >= 8) {
    if (n > 16) return std::memcmp(x, y, n) == 0;
    uint64_t x0, y0, x1, y1;
    std::memcpy(&x0, x, 8);
    std::memcpy(&y0, y, 8);
    std::memcpy(&x1, x + n - 8, 8);
    std::memcpy(&y1, y + n - 8, 8);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  }
  if (n >= 4) {
    uint32_t x0, y0, x1, y1;
    std::memcpy(&x0, x, 4);
    std::memcpy(&y0, y, 4);
    std::memcpy(&x1, x + n - 4, 4);
    std::memcpy(&y1, y + n - 4, 4);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  }
  if (n == 0) return true;
  // 1 to 3 bytes: the first, middle and last byte cover them all.
  return x[0] == y[0] && x[n / 2] == y[n / 2] && x[n - 1] == y[n - 1];
}

// haystack.find(needle) != npos. Short haystacks (tag values: hosts, regions) are scanned inline
// for the needle's first byte, with BytesEqual at each candidate; longer ones use find().
ABSL_ATTRIBUTE_ALWAYS_INLINE inline bool BytesContain(std::string_view haystack,
                                                      std::string_view needle) {
  const size_t n = needle.size(), h = haystack.size();
  if (n == 0) return true;
  if (n > h) return false;
  if (h > 32) return haystack.find(needle) != std::string_view::npos;
  const char first = needle[0];
  for (size_t i = 0; i + n <= h; ++i) {
    if (haystack[i] == first && BytesEqual(haystack.substr(i, n), needle)) return true;
  }
  return false;
}

// Copies `s` to `w` and returns the end of the copy: pieces up to 16 bytes with fixed-size
// (possibly overlapping) moves instead of a memcpy call.
inline char* CopyBytes(char* w, std::string_view s) {
  const char* src = s.data();
  const size_t n = s.size();
  if (n >= 8 && n <= 16) {
    std::memcpy(w, src, 8);
    std::memcpy(w + n - 8, src + n - 8, 8);
  } else if (n >= 4 && n < 8) {
    std::memcpy(w, src, 4);
    std::memcpy(w + n - 4, src + n - 4, 4);
  } else if (n < 4) {
    for (size_t i = 0; i < n; ++i) w[i] = src[i];
  } else {
    std::memcpy(w, src, n);
  }
  return w + n;
}

}  // namespace tick

#endif  // TICK_BASE_STRINGS_H_
