// File: nodes/alert_template_data.h
//
// The data Kapacitor's alert node passes to its templates (alert.go idInfo / messageInfo /
// detailsInfo), to the details template's `json` function, and to handler templates such as the
// Kafka handler's `.template()` (alert/types.go Data), as interp::TemplateValue trees.
//
// Go embeds idInfo in messageInfo and messageInfo in detailsInfo; templates see the promoted
// fields and encoding/json flattens them, so each is modelled as one flat struct whose fields
// are, in order:
//   idInfo      Name TaskName Group Tags ServerInfo{Hostname ClusterID ServerID}
//   messageInfo ... ID Fields Level Time Duration
//   detailsInfo ... Message
// `.Tags` is a map[string]string (a missing key through `index` yields ""), `.Fields` a
// map[string]interface{} (missing -> <no value>), `.Level` a string, `.Time` a time.Time,
// `.Duration` a time.Duration, `.Group` the group ID or "nil" for the empty group.
//
// TemplateValue never owns memory: the builders below own the arrays the trees point into and
// the caller owns every string. Rebuild (Set*) before each event.
#ifndef TICK_NODES_ALERT_TEMPLATE_DATA_H_
#define TICK_NODES_ALERT_TEMPLATE_DATA_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "interpreter/template.h"
#include "nodes/alert_event.h"
#include "nodes/alert_state.h"

namespace tick::nodes {

// `.ServerInfo` (kapacitor's serverInfo: hostname and the cluster/server IDs).
struct AlertServerInfo {
  std::string_view hostname;
  std::string_view cluster_id;
  std::string_view server_id;
};

// Appends Kapacitor's group ID (models.ToGroupID): `k1=v1,k2=v2` over `dimensions` (which must
// already be sorted; a dimension missing from `tags` gets an empty value), prefixed by
// `<name>\n` when `by_name`; just `<name>` for by_name without dimensions; "" (the nil group)
// without either. `tags` need not be sorted.
void AppendGroupId(std::string_view name, std::span<const AlertTag> tags,
                   std::span<const std::string_view> dimensions, bool by_name, std::string* out);

// The template data of one alert node event.
class AlertTemplateData final {
 public:
  AlertTemplateData() = default;
  AlertTemplateData(const AlertTemplateData&) = delete;
  AlertTemplateData& operator=(const AlertTemplateData&) = delete;

  // Sets the idInfo part. `group` is the group ID ("" renders as "nil"); `tags` are ALL the
  // point's tags (stream) or the group's tags (batch).
  void SetIdInfo(std::string_view name, std::string_view task_name, std::string_view group,
                 std::span<const AlertTag> tags, const AlertServerInfo& server_info);
  // Sets the messageInfo additions: the rendered ID, the triggering point's fields (before
  // augmentation), level, time and duration.
  void SetMessageInfo(std::string_view id, std::span<const AlertField> fields, AlertLevel level,
                      int64_t time_ns, int64_t duration_ns);
  // Sets the detailsInfo addition: the rendered message.
  void SetMessage(std::string_view message);

  // `kapacitor.idInfo`, `kapacitor.messageInfo`, `kapacitor.detailsInfo` views. Valid until the
  // next Set* call or destruction.
  interp::TemplateValue IdData() const;
  interp::TemplateValue MessageData() const;
  interp::TemplateValue DetailsData() const;

 private:
  // Name TaskName Group Tags ServerInfo ID Fields Level Time Duration Message.
  std::array<interp::TemplateField, 11> top_{};
  std::array<interp::TemplateField, 3> server_info_{};
  std::vector<interp::TemplateField> tags_;
  std::vector<interp::TemplateField> fields_;
};

// Converts a point field value to a template value (float, int, uint, string, bool; durations
// and times to time.Duration / time.Time; anything else to nil).
interp::TemplateValue ToTemplateValue(const interp::Value& v);

// Appends what Kapacitor's details function `json` returns for `v`: json.Encoder output (compact,
// HTML-safe escaping) followed by "\n". Inside the html-mode details template the result is then
// HTML-escaped like any other action output. Returns false when a NaN/Inf was written as null.
bool AppendAlertJsonFunc(const interp::TemplateValue& v, std::string* out);

// Registers Kapacitor's details-template functions (`json`) in `funcs`.
void AddAlertDetailsFuncs(interp::FuncMap* funcs);

// Appends the output of Kapacitor's default details template `{{ json . }}` for `details`
// (AlertTemplateData::DetailsData()): the JSON, a newline, HTML-escaped as html/template does.
void AppendDefaultDetails(const interp::TemplateValue& details, std::string* out);

// AppendDefaultDetails in two parts, for callers that cache the first: for `details` from
// AlertTemplateData::DetailsData(), Head then Tail append exactly what AppendDefaultDetails
// does. The head covers `{` and the idInfo entries and `.ID` (Name TaskName Group Tags
// ServerInfo ID), so it only changes with them; the tail starts with the comma before
// `.Fields` and ends with "}\n".
inline constexpr size_t kDefaultDetailsSplit = 6;  // index of `.Fields` in DetailsData()
void AppendDefaultDetailsHead(const interp::TemplateValue& details, std::string* out);
void AppendDefaultDetailsTail(const interp::TemplateValue& details, std::string* out);

// AppendDefaultDetailsTail and the JSON string body of its output (AppendEventJsonStringBody)
// written together from an event's pieces, for the alert node's per-event path: the constant
// pieces and the field names are escaped once (field names again only when they change),
// numbers need no escaping, and the message comes pre-escaped from the caller (which caches it;
// see MessagePieces). Byte-identical to the general writers (tests/alert/encoding_fastpath_test).
class DefaultDetailsTailWriter final {
 public:
  DefaultDetailsTailWriter();
  DefaultDetailsTailWriter(const DefaultDetailsTailWriter&) = delete;
  DefaultDetailsTailWriter& operator=(const DefaultDetailsTailWriter&) = delete;

  // The message's html-escaped JSON string as the default details write it, and that text's
  // JSON string body.
  static void MessagePieces(std::string_view message, std::string* html, std::string* json);

  // Appends to `html` what AppendDefaultDetailsTail appends for DetailsData() after
  // SetMessageInfo(id, fields, level, time_ns, duration_ns) and SetMessage(message), and to
  // `json` the JSON string body of those bytes; `message_html`/`message_json` are
  // MessagePieces(message). Returns false (appending nothing) when `fields` are not sorted by
  // name or there are more than 29 of them; the caller then uses the general writers.
  bool Append(std::span<const AlertField> fields, AlertLevel level, int64_t time_ns,
              int64_t duration_ns, std::string_view message_html, std::string_view message_json,
              std::string* html, std::string* json);

 private:
  struct Piece {
    std::string html;
    std::string json;
  };
  // A piece of the output: its html text and that text's JSON string body.
  struct Seg {
    std::string_view html;
    std::string_view json;
  };
  static Piece MakePiece(std::string html);
  // Text that needs no escaping in either form.
  void Plain(std::string_view text) { segs_[nsegs_++] = {text, text}; }
  // Adds the segment of field value `v` (the i-th field).
  void AppendValue(const interp::Value& v, size_t i);

  // The constant pieces (shown unescaped; the html form has &#34; for each quote).
  Piece fields_key_;                          // ,"Fields":
  std::array<Piece, kNumAlertLevels> level_;  // ,"Level":"<L>","Time":"
  Piece after_time_;                          // ","Duration":
  Piece message_key_;                         // ,"Message":
  Piece close_;                               // }\n
  std::vector<std::string> field_names_;      // names the pieces below are for
  std::vector<Piece> field_keys_;             // {"name": then ,"name":
  // Per event: the segments (at most 9 + 2 * 29), the arena holding formatted numbers, and
  // the general writers' output for values that need escaping (per field index).
  std::array<Seg, 72> segs_;
  size_t nsegs_ = 0;
  char arena_[1024];
  size_t arena_used_ = 0;
  std::vector<std::string> value_html_;
  std::vector<std::string> value_json_;
  std::string time_text_;
};

// The data of handler templates (Kafka `.template()`, post endpoint templates): Kapacitor's
// alert.Data with fields ID Message Details Time Duration Level Data PreviousLevel Recoverable,
// where `.Level`/`.PreviousLevel` print as level names and `.Data` is a models.Result
// {Series: [{Name Tags Columns Values}], Err: nil}. Columns are `time` + the sorted field names;
// the one values row starts with the event time.
class AlertHandlerTemplateData final {
 public:
  AlertHandlerTemplateData() = default;
  AlertHandlerTemplateData(const AlertHandlerTemplateData&) = delete;
  AlertHandlerTemplateData& operator=(const AlertHandlerTemplateData&) = delete;

  // Builds the tree from `event` (whose strings and spans must outlive the returned value).
  interp::TemplateValue Build(const AlertEventData& event);

 private:
  std::array<interp::TemplateField, 9> top_{};
  std::array<interp::TemplateField, 2> result_{};
  std::array<interp::TemplateField, 4> row_{};
  std::array<interp::TemplateValue, 1> series_{};
  std::array<interp::TemplateValue, 1> values_rows_{};
  std::vector<interp::TemplateField> tags_;
  std::vector<interp::TemplateValue> columns_;
  std::vector<interp::TemplateValue> values_;
};

}  // namespace tick::nodes

#endif  // TICK_NODES_ALERT_TEMPLATE_DATA_H_
