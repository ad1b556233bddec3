// File: base/source.h
//
// Source positions and compiler-style diagnostics shared by every layer.
//
// Positions are stored as byte offsets (SourceRange) in ASTs and configs; a SourceFile maps an
// offset to a 1-based line and a 1-based byte column on demand and renders diagnostics as
//
//   cpu.tick:3:40: error: expected an expression after '<'
//     |alert().crit(lambda: "usage_idle" < )
//                                          ^
//
// i.e. `file:line:col: severity: message`, the source line verbatim, and a caret line whose
// prefix copies the tabs of the source line so the caret lines up in a terminal.
#ifndef TICK_BASE_SOURCE_H_
#define TICK_BASE_SOURCE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace tick {

// A half-open byte range [begin, end) into a source text.
struct SourceRange {
  uint32_t begin = 0;
  uint32_t end = 0;
  friend bool operator==(const SourceRange&, const SourceRange&) = default;
};

// 1-based line and 1-based byte column.
struct LineCol {
  uint32_t line = 1;
  uint32_t column = 1;
  friend bool operator==(const LineCol&, const LineCol&) = default;
};

enum class Severity { kError, kWarning, kNote };

// A diagnostic tied to a byte offset of one source.
struct Diagnostic {
  uint32_t offset = 0;
  Severity severity = Severity::kError;
  std::string message;
};

// SourceFile
//
// Owns (a copy of) a source text and its name, and a table of line starts.
class SourceFile {
 public:
  SourceFile() = default;
  SourceFile(std::string name, std::string text);

  const std::string& name() const { return name_; }
  const std::string& text() const { return text_; }

  // Line and column of `offset` (clamped to the text size).
  LineCol Locate(uint32_t offset) const;
  // The text of 1-based line `line` without its line terminator ("\n" or "\r\n").
  std::string_view Line(uint32_t line) const;

  // "name:line:col: error: message\n<source line>\n<caret line>" (no trailing newline).
  std::string Format(const Diagnostic& d) const;
  std::string FormatError(uint32_t offset, std::string_view message) const {
    return Format(Diagnostic{offset, Severity::kError, std::string(message)});
  }
  // Sorts by offset (stable) and joins the formatted diagnostics with '\n'.
  std::string FormatAll(std::vector<Diagnostic> diagnostics) const;

 private:
  std::string name_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
};

// Formats a diagnostic for a single line of text whose 1-based line number is known (used by
// readers that stream input and do not keep the whole file, e.g. line protocol).
std::string FormatLineDiagnostic(std::string_view file, uint32_t line, uint32_t column,
                                 std::string_view message, std::string_view line_text,
                                 Severity severity = Severity::kError);

// Builds the caret line for `line_text` pointing at 1-based byte `column`: tabs in the prefix are
// kept, every other byte becomes a space.
std::string CaretLine(std::string_view line_text, uint32_t column);

const char* SeverityName(Severity s);

// Attaches a `tick/source-location` payload ("line:col") to `status` so tools can read the
// position without parsing text.
void SetSourceLocation(absl::Status& status, LineCol where);

}  // namespace tick

#endif  // TICK_BASE_SOURCE_H_
