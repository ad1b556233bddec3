// libFuzzer target for the line-protocol reader (nodes/line_protocol.h). Each input is parsed
// as line protocol and as a .srpl recording, whole and in small chunks. Invariants: no crash or
// sanitizer report; every diagnostic starts with "input:" and has exactly three lines; the
// point and error counts add up; chunked and whole parsing agree; every parsed point prints
// canonically and reads back as the same point.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "nodes/line_protocol.h"
#include "nodes/point.h"

namespace {

using tick::nodes::LineFormat;
using tick::nodes::LineProtocolReader;
using tick::nodes::Point;
using tick::nodes::ReaderOptions;

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant failed: %s\n", what);
    std::abort();
  }
}

struct Collected {
  std::vector<std::string> points;
  std::vector<std::string> errors;
  tick::nodes::ReaderStats stats;
};

Collected Parse(std::string_view data, LineFormat format, size_t chunk) {
  ReaderOptions o;
  o.format = format;
  o.default_time = 7;
  LineProtocolReader reader(o);
  Collected c;
  auto on_point = [&](const Point& p) {
    c.points.push_back(tick::nodes::DebugString(p));
    if (format == LineFormat::kLineProtocol && chunk == 0) {
      // Canonical text reads back as the same point (NaN/Inf cannot be produced by the reader).
      const std::string line = tick::nodes::ToLineProtocol(p);
      tick::nodes::ParsedInput again = tick::nodes::ParseAll(line);
      Check(again.errors.empty() && again.points.size() == 1, "canonical line reparses");
      Check(tick::nodes::ToLineProtocol(again.points[0]) == line, "canonical text is stable");
    }
  };
  auto on_error = [&](std::string_view d) {
    Check(d.substr(0, 6) == "input:", "diagnostic starts with input:");
    size_t newlines = 0;
    for (char ch : d) newlines += ch == '\n';
    Check(newlines >= 2, "diagnostic has a source line and a caret line");
    Check(d.back() == '^', "diagnostic ends with the caret");
    c.errors.emplace_back(d);
  };
  if (chunk == 0) {
    reader.ParseBuffer(data, on_point, on_error);
  } else {
    for (size_t at = 0; at < data.size(); at += chunk) {
      reader.Feed(data.substr(at, chunk), on_point, on_error);
    }
    reader.Finish(on_point, on_error);
  }
  c.stats = reader.stats();
  Check(c.stats.points == c.points.size(), "points counted");
  Check(c.stats.errors == c.errors.size(), "errors counted");
  Check(c.stats.bytes == data.size(), "bytes counted");
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  for (LineFormat format : {LineFormat::kLineProtocol, LineFormat::kSrpl}) {
    const Collected whole = Parse(input, format, 0);
    const Collected chunked = Parse(input, format, 1 + size % 7);
    Check(whole.points == chunked.points, "chunked points agree");
    Check(whole.errors == chunked.errors, "chunked errors agree");
    Check(whole.stats.lines == chunked.stats.lines, "chunked line counts agree");
  }
  return 0;
}
