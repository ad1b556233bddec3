// File: tests/fuzz/parse_fuzzer.cc
//
// libFuzzer target for grammar::ParseScript and grammar::ParseLambdaBody on arbitrary bytes.
// Invariants: no crash, no exception escapes, every error is one diagnostic that starts with
// `fuzz.tick:<line>:<col>: error: `, and a successful parse can be dumped.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "grammar/ast_printer.h"
#include "grammar/parser.h"

namespace {

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "fuzz.tick:L:C: error: ..."
void CheckDiagnostic(std::string_view msg, std::string_view input) {
  constexpr std::string_view kPrefix = "fuzz.tick:";
  if (msg.substr(0, kPrefix.size()) != kPrefix) std::abort();
  msg.remove_prefix(kPrefix.size());
  const size_t c1 = msg.find(':');
  if (c1 == std::string_view::npos || !IsDigits(msg.substr(0, c1))) std::abort();
  msg.remove_prefix(c1 + 1);
  const size_t c2 = msg.find(':');
  if (c2 == std::string_view::npos || !IsDigits(msg.substr(0, c2))) std::abort();
  msg.remove_prefix(c2);
  if (msg.substr(0, 9) != ": error: ") std::abort();
  // No PEGTL rule names in the message proper (unless the input itself quotes such text, which
  // messages like "invalid regex: ..." or the echoed source line may repeat).
  const std::string_view first_line = msg.substr(0, msg.find('\n'));
  if (input.find("pegtl") == std::string_view::npos &&
      first_line.find("pegtl") != std::string_view::npos) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto script = tick::grammar::ParseScript(text, "fuzz.tick");
  if (script.ok()) {
    (void)tick::grammar::DumpAst(*script);
  } else {
    CheckDiagnostic(
        std::string_view(script.status().message().data(), script.status().message().size()), text);
  }
  auto lambda = tick::grammar::ParseLambdaBody(text, "fuzz.tick");
  if (lambda.ok()) {
    (void)tick::grammar::DumpExpr(**lambda);
  } else {
    CheckDiagnostic(
        std::string_view(lambda.status().message().data(), lambda.status().message().size()), text);
  }
  return 0;
}
