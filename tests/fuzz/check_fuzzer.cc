// libFuzzer target: parse + check arbitrary text. Never crashes; every error (parse or check)
// is a compiler-style diagnostic starting with "f.tick:LINE:COL: error: ".
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "base/strings.h"
#include "grammar/formatter.h"
#include "grammar/parser.h"
#include "interpreter/checker.h"

namespace {

bool IsDiagnostic(std::string_view message) {
  constexpr std::string_view kPrefix = "f.tick:";
  if (message.substr(0, kPrefix.size()) != kPrefix) return false;
  size_t i = kPrefix.size();
  for (int part = 0; part < 2; ++part) {
    const size_t start = i;
    while (i < message.size() && message[i] >= '0' && message[i] <= '9') ++i;
    if (i == start || i >= message.size() || message[i] != ':') return false;
    ++i;
  }
  return message.substr(i, 8) == " error: ";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<tick::ast::Script> script = tick::grammar::ParseScript(text, "f.tick");
  if (!script.ok()) {
    if (!IsDiagnostic(tick::Sv(script.status().message()))) std::abort();
    return 0;
  }
  tick::interp::CheckOptions options;
  options.kafka_clusters = std::vector<std::string>{"a", "b"};
  absl::Status s = tick::interp::CheckScript(*script, options);
  if (!s.ok() && !IsDiagnostic(tick::Sv(s.message()))) std::abort();
  // Formatting never fails (and must not crash on any parsed script).
  const std::string formatted = tick::grammar::FormatScript(*script);
  (void)formatted;
  return 0;
}
