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
