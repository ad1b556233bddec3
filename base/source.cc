#include "base/source.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace tick {

SourceFile::SourceFile(std::string name, std::string text)
    : name_(std::move(name)), text_(std::move(text)) {
  const char* const begin = text_.data();
  const char* const end = begin + text_.size();
  auto next_line = [end](const char* p) {
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
    return nl == nullptr ? nullptr : static_cast<const char*>(nl) + 1;
  };
  size_t lines = 1;
  for (const char* p = begin; (p = next_line(p)) != nullptr;) ++lines;
  line_starts_.reserve(lines);
  line_starts_.push_back(0);
  for (const char* p = begin; (p = next_line(p)) != nullptr;) {
    line_starts_.push_back(static_cast<uint32_t>(p - begin));
  }
}

LineCol SourceFile::Locate(uint32_t offset) const {
  if (line_starts_.empty()) return LineCol{1, offset + 1};
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line = static_cast<uint32_t>(it - line_starts_.begin());
  return LineCol{line, offset - line_starts_[line - 1] + 1};
}

std::string_view SourceFile::Line(uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  const uint32_t begin = line_starts_[line - 1];
  uint32_t end =
      line < line_starts_.size() ? line_starts_[line] : static_cast<uint32_t>(text_.size());
  std::string_view s(text_.data() + begin, end - begin);
  if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

std::string CaretLine(std::string_view line_text, uint32_t column) {
  std::string caret;
  const uint32_t n = column > 0 ? column - 1 : 0;
  caret.reserve(n + 1);
  for (uint32_t i = 0; i < n; ++i) {
    caret.push_back(i < line_text.size() && line_text[i] == '\t' ? '\t' : ' ');
  }
  caret.push_back('^');
  return caret;
}

std::string FormatLineDiagnostic(std::string_view file, uint32_t line, uint32_t column,
                                 std::string_view message, std::string_view line_text,
                                 Severity severity) {
  std::string out;
  out.reserve(file.size() + message.size() + 2 * line_text.size() + 32);
  out.append(file);
  out += absl::StrCat(":", line, ":", column, ": ", SeverityName(severity), ": ");
  out.append(message);
  out.push_back('\n');
  out.append(line_text);
  out.push_back('\n');
  out += CaretLine(line_text, column);
  return out;
}

std::string SourceFile::Format(const Diagnostic& d) const {
  const LineCol lc = Locate(d.offset);
  return FormatLineDiagnostic(name_, lc.line, lc.column, d.message, Line(lc.line), d.severity);
}

std::string SourceFile::FormatAll(std::vector<Diagnostic> diagnostics) const {
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) { return a.offset < b.offset; });
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    if (!out.empty()) out.push_back('\n');
    out += Format(d);
  }
  return out;
}

void SetSourceLocation(absl::Status& status, LineCol where) {
  status.SetPayload("tick/source-location",
                    absl::Cord(absl::StrCat(where.line, ":", where.column)));
}

}  // namespace tick
