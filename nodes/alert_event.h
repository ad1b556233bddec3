// File: nodes/alert_event.h
//
// The alert event as Kapacitor's handlers write it (alert/types.go Data, models/result.go Row),
// byte for byte. Go's json.Encoder output for an event from a stream point:
//
//   {"id":"cpu:nil","message":"cpu:nil is CRITICAL","details":"...","time":"1971-01-01T00:00:10Z",
//    "duration":0,"level":"CRITICAL","data":{"series":[{"name":"cpu","tags":{"host":"a"},
//    "columns":["time","value"],"values":[["1971-01-01T00:00:10Z",10]]}]},
//    "previousLevel":"OK","recoverable":true}\n
//
// (one line). Keys in that order; `name` and `tags` are omitted when empty; tags are sorted by
// key; columns are `time` followed by the field names sorted bytewise; times are RFC3339Nano UTC;
// duration is int64 nanoseconds; strings use Go's HTML-safe escaping (\u003c \u003e \u0026);
// floats use encoding/json's formatting (10 not 10.0).
//
// The data row is described neutrally (name, tag pairs, field pairs holding interp::Value) so
// this file does not depend on the pipeline's Point class. Nothing is owned: every string_view
// and span must outlive the call.
#ifndef TICK_NODES_ALERT_EVENT_H_
#define TICK_NODES_ALERT_EVENT_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "interpreter/value.h"
#include "nodes/alert_state.h"

namespace tick::nodes {

struct AlertTag {
  std::string_view key;
  std::string_view value;
};

struct AlertField {
  std::string_view name;
  interp::Value value;
};

// Everything an alert event carries.
struct AlertEventData {
  std::string_view id;
  std::string_view message;
  std::string_view details;
  int64_t time_ns = 0;
  int64_t duration_ns = 0;
  AlertLevel level = AlertLevel::kOK;
  AlertLevel previous_level = AlertLevel::kOK;
  bool recoverable = true;
  // The data row: the point's measurement, ALL its tags and its fields (before augmentation by
  // levelField/messageField/...), any order (they are sorted for output).
  std::string_view name;
  std::span<const AlertTag> tags;
  std::span<const AlertField> fields;

  // Optional pre-encoded pieces, for producers that already have them (the alert node caches
  // them per group); empty = AppendEventJson encodes from the members above. When non-empty
  // they MUST be exactly what AppendEventJson would write, i.e.
  //   details_json:     the JSON string literal of `details`, quotes included
  //                     (AppendEventJsonString(details));
  //   series_head_json: AppendSeriesHeadJson(*this): `{"series":[{` ... `"values":[[`;
  //   id_json:          AppendEventJsonString(id);
  //   message_json:     AppendEventJsonString(message).
  std::string_view details_json;
  std::string_view series_head_json;
  std::string_view id_json;
  std::string_view message_json;
};

// Appends the event JSON plus the trailing "\n" to `out`.
// Field values: float -> Go JSON number, int/duration -> decimal, uint -> decimal,
// string -> escaped string, bool -> true/false, time -> RFC3339Nano string, missing -> null.
// NaN/±Inf floats, regex and error values cannot be encoded (Go's encoder fails the whole event
// with "json: unsupported value"): then `out` is left unchanged and false is returned.
bool AppendEventJson(const AlertEventData& event, std::string* out);

// Appends the part of the `data` object that depends only on the event's name, tags and field
// NAMES: `{"series":[{"name":...,"tags":{...},"columns":["time",...],"values":[[`.
void AppendSeriesHeadJson(const AlertEventData& event, std::string* out);

// Appends `s` as a JSON string literal, byte-identical to interp::AppendJsonString, but without
// growing `out` by the worst case (6 bytes per input byte) first: ASCII strings are escaped into
// a per-thread scratch buffer (or sized exactly, above 4 KiB) and copied once.
void AppendEventJsonString(std::string* out, std::string_view s);
// The same without the surrounding quotes. Escaping works per character, so the body of a
// concatenation is the concatenation of its parts' bodies when the parts are split between two
// characters (e.g. at an ASCII byte).
void AppendEventJsonStringBody(std::string* out, std::string_view s);

// Appends only the `{"series":[...]}` object (the event's `data`), without newline. Same
// failure rule as AppendEventJson.
bool AppendEventDataJson(const AlertEventData& event, std::string* out);

namespace internal {
// interp::AppendJsonFloat and interp::AppendRFC3339Nano with a small per-thread memo of recent
// values (same bytes): an alert event formats its field values and time in its default details
// and again in its JSON.
bool AppendJsonFloatMemo(std::string* out, double f);
void AppendRFC3339NanoMemo(std::string* out, int64_t unix_ns);
}  // namespace internal

}  // namespace tick::nodes

#endif  // TICK_NODES_ALERT_EVENT_H_
