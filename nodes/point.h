// File: nodes/point.h
//
// Point: one data point as it flows through a pipeline — measurement, database, retention
// policy, sorted tags, sorted typed fields and a nanosecond timestamp.
//
//   Point p;
//   p.set_measurement("cpu");
//   p.SetTag(Intern("host"), "serverA");
//   p.SetField(Intern("usage_idle"), interp::Value::Float(5.5));
//   p.set_time(1465839830100400200);
//   ToLineProtocol(p)  // "cpu,host=serverA usage_idle=5.5 1465839830100400200"
//
// Keys are interned SymbolIds (nodes/symbols.h), so a node resolves "usage_idle" once and then
// compares integers. Tags and fields are each kept sorted by key NAME (byte-wise, like InfluxDB's
// series keys) and unique, so tags() and fields() iterate in canonical order.
//
// Storage: every string (measurement, database, retention policy, tag values, string field
// values) lives in the point's own chunked arena. Adding strings never moves existing ones, so a
// std::string_view obtained from a point stays valid until the point is Clear()ed, assigned to,
// or destroyed (replacing or removing a tag/field does not reclaim its bytes before Clear()).
// Clear() keeps the arena and the tag/field vectors' capacity: a Point reused for every parsed
// line performs no heap allocation once it has seen its largest line.
//
// Copying deep-copies (the copy's views point into its own arena); moving is cheap and keeps
// views valid (the arena chunks move by pointer).
#ifndef TICK_NODES_POINT_H_
#define TICK_NODES_POINT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "interpreter/value.h"
#include "nodes/symbols.h"

namespace tick::nodes {

struct Tag {
  SymbolId key;
  std::string_view value;  // in the owning point's storage
  friend bool operator==(const Tag&, const Tag&) = default;
};

// value kinds in points: kFloat, kInt, kUint, kString (view into the point's storage), kBool.
struct Field {
  SymbolId key;
  interp::Value value;
  friend bool operator==(const Field& a, const Field& b) {
    return a.key == b.key && a.value == b.value;
  }
};

namespace internal {
class PointBuilder;  // line-protocol reader fast path (nodes/line_protocol.cc)
}

class Point final {
 public:
  Point() = default;
  Point(const Point& other);
  Point& operator=(const Point& other);
  Point(Point&& other) noexcept = default;
  Point& operator=(Point&& other) noexcept = default;
  ~Point() = default;

  std::string_view measurement() const { return measurement_; }
  std::string_view database() const { return database_; }
  std::string_view retention_policy() const { return retention_policy_; }
  int64_t time() const { return time_; }  // ns since the Unix epoch, UTC

  // Sorted by key name, unique.
  std::span<const Tag> tags() const { return tags_; }
  std::span<const Field> fields() const { return fields_; }

  // nullptr when absent. Linear scan (points have few tags/fields; no name lookups needed).
  const Tag* FindTag(SymbolId key) const;
  const Field* FindField(SymbolId key) const;

  // Setters copy the bytes into the point's storage.
  void set_measurement(std::string_view m) { measurement_ = CopyString(m); }
  void set_database(std::string_view db) { database_ = CopyString(db); }
  void set_retention_policy(std::string_view rp) { retention_policy_ = CopyString(rp); }
  void set_time(int64_t ns) { time_ = ns; }

  // Adds or replaces the tag `key` (keeps name order).
  void SetTag(SymbolId key, std::string_view value);
  // Adds or replaces the field `key` (keeps name order). String values are copied; `value`
  // must be one of kFloat kInt kUint kString kBool.
  void SetField(SymbolId key, interp::Value value);
  // Return whether something was removed.
  bool RemoveTag(SymbolId key);
  bool RemoveField(SymbolId key);

  // Empties the point (measurement, db, rp, time 0, tags, fields) but keeps the capacity.
  void Clear();

  // Copies `s` into the point's storage and returns the stable copy.
  std::string_view CopyString(std::string_view s);

  // Same measurement, database, retention policy, time, tags and fields.
  friend bool operator==(const Point& a, const Point& b);

  // Bytes of arena capacity currently held (for tests and stats).
  size_t arena_capacity() const;

 private:
  friend class internal::PointBuilder;

  struct Chunk {
    std::unique_ptr<char[]> data;
    size_t size = 0;
  };
  // Returns `n` bytes of arena storage (n may be 0).
  char* Allocate(size_t n);

  std::string_view measurement_;
  std::string_view database_;
  std::string_view retention_policy_;
  int64_t time_ = 0;
  std::vector<Tag> tags_;
  std::vector<Field> fields_;

  std::vector<Chunk> chunks_;
  size_t chunk_index_ = 0;  // chunk being filled
  size_t chunk_used_ = 0;   // bytes used in chunks_[chunk_index_]
};

// Canonical InfluxDB line protocol (no trailing newline):
//   measurement[,tag=value...] field=value[,field=value...] timestamp
// Measurement escapes `,` and space; tag keys/values and field keys escape `,` `=` and space;
// string values escape `"` and `\`. Ints print as `12i`, uints as `12u`, floats in the shortest
// form that reads back to the same double and always with a `.` or exponent (`5.0`, `1e+300`),
// bools as `true`/`false`, the timestamp as full nanoseconds. Non-finite floats (which the
// protocol cannot represent) print as `NaN`, `+Inf`, `-Inf`. A point without fields prints
// nothing after the key but the timestamp.
std::string ToLineProtocol(const Point& p);
void AppendLineProtocol(const Point& p, std::string* out);

// `db.rp <line protocol>` with empty db/rp shown as `""`, e.g. `telegraf.autogen cpu v=1.0 0`.
std::string DebugString(const Point& p);

// Appends the canonical text of one field value (as in ToLineProtocol) to `out`.
void AppendFieldValue(const interp::Value& v, std::string* out);

}  // namespace tick::nodes

#endif  // TICK_NODES_POINT_H_
