// File: nodes/alert_event.cc
#include "nodes/alert_event.h"

#include <algorithm>
#include <vector>

#include "interpreter/gofmt.h"

namespace tick::nodes {
namespace {

using interp::AppendInt;
using interp::AppendJsonString;
using interp::ValueKind;

void AppendQuotedTime(std::string* out, int64_t ns) {
  out->push_back('"');
  interp::AppendRFC3339Nano(out, ns);
  out->push_back('"');
}

// Appends one JSON value; false when Go's encoder would reject it.
bool AppendJsonValue(std::string* out, const interp::Value& v) {
  switch (v.kind()) {
    case ValueKind::kFloat:
      return interp::AppendJsonFloat(out, v.float_value());
    case ValueKind::kInt:
    case ValueKind::kDuration:
      AppendInt(out, v.int_value());
      return true;
    case ValueKind::kUint:
      interp::AppendUint(out, v.uint_value());
      return true;
    case ValueKind::kString:
      AppendJsonString(out, v.string_value());
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

bool AppendSeries(const AlertEventData& e, std::string* out) {
  std::vector<AlertTag> tag_storage;
  std::vector<AlertField> field_storage;
  const auto tags = SortedView(e.tags, &tag_storage, [](const AlertTag& t) { return t.key; });
  const auto fields =
      SortedView(e.fields, &field_storage, [](const AlertField& f) { return f.name; });
  bool ok = true;
  out->append("{\"series\":[{");
  bool need_comma = false;
  if (!e.name.empty()) {
    out->append("\"name\":");
    AppendJsonString(out, e.name);
    need_comma = true;
  }
  if (!tags.empty()) {
    if (need_comma) out->push_back(',');
    out->append("\"tags\":{");
    for (size_t i = 0; i < tags.size(); ++i) {
      if (i != 0) out->push_back(',');
      AppendJsonString(out, tags[i].key);
      out->push_back(':');
      AppendJsonString(out, tags[i].value);
    }
    out->push_back('}');
    need_comma = true;
  }
  if (need_comma) out->push_back(',');
  out->append("\"columns\":[\"time\"");
  for (const AlertField& f : fields) {
    out->push_back(',');
    AppendJsonString(out, f.name);
  }
  out->append("],\"values\":[[");
  AppendQuotedTime(out, e.time_ns);
  for (const AlertField& f : fields) {
    out->push_back(',');
    ok &= AppendJsonValue(out, f.value);
  }
  out->append("]]}]}");
  return ok;
}

}  // namespace

bool AppendEventDataJson(const AlertEventData& event, std::string* out) {
  const size_t start = out->size();
  if (!AppendSeries(event, out)) {
    out->resize(start);
    return false;
  }
  return true;
}

bool AppendEventJson(const AlertEventData& e, std::string* out) {
  const size_t start = out->size();
  out->append("{\"id\":");
  AppendJsonString(out, e.id);
  out->append(",\"message\":");
  AppendJsonString(out, e.message);
  out->append(",\"details\":");
  AppendJsonString(out, e.details);
  out->append(",\"time\":");
  AppendQuotedTime(out, e.time_ns);
  out->append(",\"duration\":");
  AppendInt(out, e.duration_ns);
  out->append(",\"level\":\"");
  out->append(AlertLevelName(e.level));
  out->append("\",\"data\":");
  if (!AppendSeries(e, out)) {
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
