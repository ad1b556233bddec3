// File: nodes/line_protocol.h
//
// A streaming reader for InfluxDB 1.x line protocol and Kapacitor `.srpl` recordings.
//
//   ReaderOptions opts;
//   opts.filename = "cpu.lp";
//   opts.default_time = NowNanos();
//   LineProtocolReader reader(opts);
//   absl::Status io = reader.ReadFd(fd,
//       [&](const Point& p) { pipeline.Process(p); },
//       [&](std::string_view diagnostic) { std::cerr << diagnostic << "\n"; });
//
// Each callback receives a Point that the reader reuses for the next line (copy it to keep it);
// in the steady state the reader allocates nothing per line.
//
// Line protocol (InfluxDB 1.x models.ParsePoints behaviour):
//   measurement[,tag_key=tag_value...] field_key=field_value[,field_key=field_value...] [timestamp]
// * Escapes: measurement `\,` `\ `; tag keys, tag values, field keys `\,` `\=` `\ `; string field
//   values `\"` `\\`. A backslash before any other byte is kept literally (`a\b` is `a\b`).
// * Field values: float (`1`, `-1.5`, `.5`, `1e3`), integer `12i`, unsigned `12u`, string `"..."`
//   (may span lines: a newline inside quotes is part of the value), boolean
//   `t T true True TRUE f F false False FALSE`. NaN and Inf are rejected, as are out-of-range
//   numbers.
// * Tags are sorted by key; a repeated tag key is an error (`duplicate tag key "host"`). A repeated
//   field key keeps the LAST value (InfluxDB builds its field map in line order).
// * The optional timestamp is a signed integer in `precision` units; it must fit int64
//   nanoseconds after scaling. Points without one get `default_time`.
// * Leading spaces/tabs are skipped; blank lines and lines whose first non-blank byte is `#` are
//   comments; lines may end in "\n" or "\r\n"; there is no line-length limit.
//
// .srpl (Kapacitor stream recordings): repeated 3-line records — database, retention policy,
// one line-protocol point (precision defaults to seconds). A record cut short by the end of the
// input yields `invalid replay file format, expected another line`.
//
// Errors: a malformed line produces one diagnostic
//   input:3:18: error: invalid integer "12x"
//   cpu,host=a value=12x
//                    ^
// (`filename:line:column: error: message`, the line, a caret; for lines longer than 160 bytes a
// window of the line around the column is shown with `...` marks), is counted in stats().errors
// and skipped; reading continues with the next line.
#ifndef TICK_NODES_LINE_PROTOCOL_H_
#define TICK_NODES_LINE_PROTOCOL_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nodes/point.h"

namespace tick::nodes {

enum class LineFormat { kLineProtocol, kSrpl };

enum class Precision { kNanosecond, kMicrosecond, kMillisecond, kSecond, kMinute, kHour };

// "ns"/"n", "us"/"u", "ms", "s", "m", "h"; nullopt for anything else.
std::optional<Precision> ParsePrecision(std::string_view s);
// The canonical name: "ns", "us", "ms", "s", "m", "h".
const char* PrecisionName(Precision p);
// Nanoseconds per unit.
int64_t PrecisionNanos(Precision p);

struct ReaderOptions {
  // Name used in diagnostics (`input:3:18: error: ...`).
  std::string filename = "input";
  LineFormat format = LineFormat::kLineProtocol;
  // Timestamp unit; unset means nanoseconds for line protocol and seconds for .srpl.
  std::optional<Precision> precision;
  // Database / retention policy given to plain line-protocol points (.srpl records carry their
  // own).
  std::string database;
  std::string retention_policy;
  // Time (ns since the epoch) for points without a timestamp; callers typically pass "now".
  int64_t default_time = 0;
};

struct ReaderStats {
  uint64_t lines = 0;   // physical lines read (including blank lines and comments)
  uint64_t points = 0;  // points delivered
  uint64_t errors = 0;  // diagnostics reported
  uint64_t bytes = 0;   // input bytes consumed
};

class LineProtocolReader final {
 public:
  using PointFn = absl::FunctionRef<void(const Point&)>;
  // Receives one formatted diagnostic (no trailing newline).
  using ErrorFn = absl::FunctionRef<void(std::string_view)>;

  explicit LineProtocolReader(ReaderOptions options);
  ~LineProtocolReader();
  LineProtocolReader(const LineProtocolReader&) = delete;
  LineProtocolReader& operator=(const LineProtocolReader&) = delete;

  // Parses a complete input (equivalent to Feed(data) then Finish()).
  void ParseBuffer(std::string_view data, PointFn on_point, ErrorFn on_error);

  // Incremental input: chunks may split lines anywhere. Complete lines are parsed as they
  // arrive; the unfinished tail is kept (copied) until the next Feed or Finish. Finish parses
  // the last line (which needs no trailing newline) and reports an unfinished .srpl record.
  void Feed(std::string_view chunk, PointFn on_point, ErrorFn on_error);
  void Finish(PointFn on_point, ErrorFn on_error);

  // Reads `fd` (or `file`) to the end in large chunks, then Finish()es. Returns an error status
  // only for I/O failures (input errors go to `on_error`).
  absl::Status ReadFd(int fd, PointFn on_point, ErrorFn on_error);
  absl::Status ReadFile(std::FILE* file, PointFn on_point, ErrorFn on_error);

  const ReaderStats& stats() const { return stats_; }
  const ReaderOptions& options() const { return options_; }

 private:
  struct Impl;
  // Parses complete records at the start of `buf`; returns the bytes consumed. With `eof`,
  // everything is consumed.
  size_t Process(std::string_view buf, bool eof, PointFn on_point, ErrorFn on_error);

  ReaderOptions options_;
  ReaderStats stats_;
  std::unique_ptr<Impl> impl_;
};

// Convenience for tests and small inputs: every point (copied) and every diagnostic.
struct ParsedInput {
  std::vector<Point> points;
  std::vector<std::string> errors;
  ReaderStats stats;
};
ParsedInput ParseAll(std::string_view data, const ReaderOptions& options = {});

// Parses exactly one line-protocol line (no newline) with `options` (format is ignored).
// InvalidArgument with the formatted diagnostic (`input:1:COL: error: ...`) when malformed or
// when the line is blank or a comment.
absl::StatusOr<Point> ParsePointLine(std::string_view line, const ReaderOptions& options = {});

namespace internal {

// Testing hooks (tests/lineproto/line_protocol_fastpath_test.cc) that pin the reader's fast paths
// to its general parser:
// * the exact decimal fast path alone: the double for `token` (a field value such as "12.5",
//   "-3e4") when the fast path decides it, nullopt when it defers to the exact slow path;
// * ParsePointLine with the record fast path disabled (general parser only).
std::optional<double> FastDecimalForTesting(std::string_view token);
absl::StatusOr<Point> ParsePointLineGeneralForTesting(std::string_view line,
                                                      const ReaderOptions& options = {});

}  // namespace internal

}  // namespace tick::nodes

#endif  // TICK_NODES_LINE_PROTOCOL_H_
