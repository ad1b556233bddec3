// File: base/strings.h
//
// Debian 12's Abseil (20220623) is built with ABSL_OPTION_USE_STD_STRING_VIEW 0 (and likewise
// for optional/variant/any): absl::string_view is NOT std::string_view. tickrun uses
// std::string_view everywhere; convert at the Abseil boundary with Sv():
//   absl::StrCat("unknown node '", tick::Sv(name), "'")
//   absl::InvalidArgumentError(tick::Sv(message))
#ifndef TICK_BASE_STRINGS_H_
#define TICK_BASE_STRINGS_H_

#include <string>
#include <string_view>

#include "absl/strings/string_view.h"

namespace tick {

inline absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }
inline std::string_view Sv(absl::string_view s) { return std::string_view(s.data(), s.size()); }
inline absl::string_view Sv(const std::string& s) { return absl::string_view(s.data(), s.size()); }
inline absl::string_view Sv(const char* s) { return absl::string_view(s); }

}  // namespace tick

#endif  // TICK_BASE_STRINGS_H_
