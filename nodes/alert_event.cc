// File: nodes/alert_event.cc
#include "nodes/alert_event.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <vector>

#include "interpreter/gofmt.h"

namespace tick::nodes {
namespace {

using interp::AppendInt;
using interp::AppendJsonString;
using interp::ValueKind;

void AppendQuotedTime(std::string* out, int64_t ns) {
  out->push_back('"');
  internal::AppendRFC3339NanoMemo(out, ns);
  out->push_back('"');
}

// Appends one JSON value; false when Go's encoder would reject it.
bool AppendJsonValue(std::string* out, const interp::Value& v) {
  switch (v.kind()) {
    case ValueKind::kFloat:
      return internal::AppendJsonFloatMemo(out, v.float_value());
    case ValueKind::kInt:
    case ValueKind::kDuration:
      AppendInt(out, v.int_value());
      return true;
    case ValueKind::kUint:
      interp::AppendUint(out, v.uint_value());
      return true;
    case ValueKind::kString:
      AppendEventJsonString(out, v.string_value());
      return true;
    case ValueKind::kBool:
      out->append(v.bool_value() ? "true" : "false");
      return true;
    case ValueKind::kTime:
      AppendQuotedTime(out, v.int_value());
      return true;
    case ValueKind::kMissing:
      out->append("null");
      return true;
    case ValueKind::kRegex:
    case ValueKind::kError:
      out->append("null");
      return false;
  }
  return false;
}

template <typename T, typename KeyFn>
std::span<const T> SortedView(std::span<const T> in, std::vector<T>* storage, KeyFn key) {
  auto less = [&](const T& a, const T& b) { return key(a) < key(b); };
  if (std::is_sorted(in.begin(), in.end(), less)) return in;
  storage->assign(in.begin(), in.end());
  std::stable_sort(storage->begin(), storage->end(), less);
  return std::span<const T>(*storage);
}

std::span<const AlertTag> SortedTags(const AlertEventData& e, std::vector<AlertTag>* storage) {
  return SortedView(e.tags, storage, [](const AlertTag& t) { return t.key; });
}

std::span<const AlertField> SortedFields(const AlertEventData& e,
                                         std::vector<AlertField>* storage) {
  return SortedView(e.fields, storage, [](const AlertField& f) { return f.name; });
}

void AppendSeriesHead(const AlertEventData& e, std::span<const AlertTag> tags,
                      std::span<const AlertField> fields, std::string* out) {
  out->append("{\"series\":[{");
  bool need_comma = false;
  if (!e.name.empty()) {
    out->append("\"name\":");
    AppendEventJsonString(out, e.name);
    need_comma = true;
  }
  if (!tags.empty()) {
    if (need_comma) out->push_back(',');
    out->append("\"tags\":{");
    for (size_t i = 0; i < tags.size(); ++i) {
      if (i != 0) out->push_back(',');
      AppendEventJsonString(out, tags[i].key);
      out->push_back(':');
      AppendEventJsonString(out, tags[i].value);
    }
    out->push_back('}');
    need_comma = true;
  }
  if (need_comma) out->push_back(',');
  out->append("\"columns\":[\"time\"");
  for (const AlertField& f : fields) {
    out->push_back(',');
    AppendEventJsonString(out, f.name);
  }
  out->append("],\"values\":[[");
}

// The rest after AppendSeriesHead: the time, the values and the closing brackets.
// `quoted_time`: the event time as AppendQuotedTime writes it, or empty.
bool AppendSeriesValues(const AlertEventData& e, std::span<const AlertField> fields,
                        std::string_view quoted_time, std::string* out) {
  if (quoted_time.empty()) {
    AppendQuotedTime(out, e.time_ns);
  } else {
    out->append(quoted_time);
  }
  bool ok = true;
  for (const AlertField& f : fields) {
    out->push_back(',');
    ok &= AppendJsonValue(out, f.value);
  }
  out->append("]]}]}");
  return ok;
}

bool AppendSeries(const AlertEventData& e, std::string_view quoted_time, std::string* out) {
  std::vector<AlertTag> tag_storage;
  std::vector<AlertField> field_storage;
  const auto fields = SortedFields(e, &field_storage);
  if (!e.series_head_json.empty()) {
    out->append(e.series_head_json);
  } else {
    AppendSeriesHead(e, SortedTags(e, &tag_storage), fields, out);
  }
  return AppendSeriesValues(e, fields, quoted_time, out);
}

}  // namespace

void AppendEventJsonStringBody(std::string* out, std::string_view s) {
  const auto* d = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  if (n <= 4096) {
    // One pass into a scratch buffer of the worst-case size, then one copy.
    thread_local std::string scratch;
    if (scratch.size() < 6 * n) scratch.resize(6 * n);
    char* const begin = scratch.data();
    char* p = begin;
    size_t i = 0;
    for (; i < n; ++i) {
      const unsigned char b = d[i];
      if (b >= 0x80) break;
      if (interp::internal::kJsonAsciiLen[b] == 1) {
        *p++ = static_cast<char>(b);
      } else {
        p = interp::internal::WriteJsonAsciiEscape(p, b);
      }
    }
    if (i == n) {
      out->append(begin, static_cast<size_t>(p - begin));
      return;
    }
  }
  size_t extra = 0;
  unsigned high = 0;
  for (size_t i = 0; i < n; ++i) {
    high |= d[i];
    extra += interp::internal::kJsonAsciiLen[d[i] & 0x7F] - 1u;
  }
  const size_t old = out->size();
  if ((high & 0x80) != 0) {  // UTF-8 validation and U+2028/U+2029: the general writer
    AppendJsonString(out, s);
    out->pop_back();
    out->erase(old, 1);
    return;
  }
  out->resize(old + n + extra);
  char* p = out->data() + old;
  for (size_t i = 0; i < n; ++i) {
    const unsigned char b = d[i];
    if (interp::internal::kJsonAsciiLen[b] == 1) {
      *p++ = static_cast<char>(b);
    } else {
      p = interp::internal::WriteJsonAsciiEscape(p, b);
    }
  }
}

namespace internal {
namespace {

// A per-thread direct-mapped memo of short formatted values.
struct FormatMemo {
  struct Slot {
    uint64_t key = 0;
    uint8_t len = 0;  // 0: empty
    char text[39];
  };
  std::array<Slot, 16> slots;

  // Appends the memoised text for `key`, or what `format(out)` appends (and memoises it).
  template <typename Format>
  void Append(uint64_t key, std::string* out, Format format) {
    Slot& s = slots[(key * 0x9e3779b97f4a7c15ULL) >> 60];
    if (s.len != 0 && s.key == key) {
      out->append(s.text, s.len);
      return;
    }
    const size_t from = out->size();
    format(out);
    const size_t len = out->size() - from;
    if (len != 0 && len <= sizeof(s.text)) {
      std::memcpy(s.text, out->data() + from, len);
      s.len = static_cast<uint8_t>(len);
      s.key = key;
    }
  }
};

thread_local FormatMemo float_memo;
thread_local FormatMemo time_memo;

}  // namespace

bool AppendJsonFloatMemo(std::string* out, double f) {
  if (!std::isfinite(f)) return interp::AppendJsonFloat(out, f);
  uint64_t bits;
  std::memcpy(&bits, &f, sizeof(bits));
  float_memo.Append(bits, out, [f](std::string* o) { interp::AppendJsonFloat(o, f); });
  return true;
}

void AppendRFC3339NanoMemo(std::string* out, int64_t unix_ns) {
  time_memo.Append(static_cast<uint64_t>(unix_ns), out,
                   [unix_ns](std::string* o) { interp::AppendRFC3339Nano(o, unix_ns); });
}

}  // namespace internal

void AppendEventJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  AppendEventJsonStringBody(out, s);
  out->push_back('"');
}

void AppendSeriesHeadJson(const AlertEventData& event, std::string* out) {
  std::vector<AlertTag> tag_storage;
  std::vector<AlertField> field_storage;
  AppendSeriesHead(event, SortedTags(event, &tag_storage), SortedFields(event, &field_storage),
                   out);
}

bool AppendEventDataJson(const AlertEventData& event, std::string* out) {
  const size_t start = out->size();
  if (!AppendSeries(event, {}, out)) {
    out->resize(start);
    return false;
  }
  return true;
}

bool AppendEventJson(const AlertEventData& e, std::string* out) {
  const size_t start = out->size();
  out->append("{\"id\":");
  if (!e.id_json.empty()) {
    out->append(e.id_json);
  } else {
    AppendEventJsonString(out, e.id);
  }
  out->append(",\"message\":");
  if (!e.message_json.empty()) {
    out->append(e.message_json);
  } else {
    AppendEventJsonString(out, e.message);
  }
  out->append(",\"details\":");
  if (!e.details_json.empty()) {
    out->append(e.details_json);
  } else {
    AppendEventJsonString(out, e.details);
  }
  out->append(",\"time\":");
  const size_t time_from = out->size();
  AppendQuotedTime(out, e.time_ns);
  // Kept to write the same time again in the data row.
  char time_buf[64];
  std::string_view quoted_time;
  if (out->size() - time_from <= sizeof(time_buf)) {
    std::memcpy(time_buf, out->data() + time_from, out->size() - time_from);
    quoted_time = std::string_view(time_buf, out->size() - time_from);
  }
  out->append(",\"duration\":");
  AppendInt(out, e.duration_ns);
  out->append(",\"level\":\"");
  out->append(AlertLevelName(e.level));
  out->append("\",\"data\":");
  if (!AppendSeries(e, quoted_time, out)) {
    out->resize(start);
    return false;
  }
  out->append(",\"previousLevel\":\"");
  out->append(AlertLevelName(e.previous_level));
  out->append("\",\"recoverable\":");
  out->append(e.recoverable ? "true" : "false");
  out->append("}\n");
  return true;
}

}  // namespace tick::nodes
