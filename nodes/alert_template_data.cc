// File: nodes/alert_template_data.cc
#include "nodes/alert_template_data.h"

#include <algorithm>
#include <numeric>

#include "interpreter/gofmt.h"

namespace tick::nodes {
namespace {

using interp::TemplateField;
using interp::TemplateValue;

constexpr size_t kIdInfoFields = 5;
constexpr size_t kMessageInfoFields = 10;
constexpr size_t kDetailsInfoFields = 11;

}  // namespace

void AppendGroupId(std::string_view name, std::span<const AlertTag> tags,
                   std::span<const std::string_view> dimensions, bool by_name, std::string* out) {
  if (dimensions.empty()) {
    if (by_name) out->append(name);
    return;
  }
  if (by_name) {
    out->append(name);
    out->push_back('\n');
  }
  for (size_t i = 0; i < dimensions.size(); ++i) {
    if (i != 0) out->push_back(',');
    out->append(dimensions[i]);
    out->push_back('=');
    for (const AlertTag& t : tags) {
      if (t.key == dimensions[i]) {
        out->append(t.value);
        break;
      }
    }
  }
}

TemplateValue ToTemplateValue(const interp::Value& v) {
  switch (v.kind()) {
    case interp::ValueKind::kFloat:
      return TemplateValue::Float(v.float_value());
    case interp::ValueKind::kInt:
      return TemplateValue::Int(v.int_value());
    case interp::ValueKind::kUint:
      return TemplateValue::Uint(v.uint_value());
    case interp::ValueKind::kString:
      return TemplateValue::String(v.string_value());
    case interp::ValueKind::kBool:
      return TemplateValue::Bool(v.bool_value());
    case interp::ValueKind::kDuration:
      return TemplateValue::Duration(v.int_value());
    case interp::ValueKind::kTime:
      return TemplateValue::Time(v.int_value());
    default:
      return TemplateValue::Nil();
  }
}

void AlertTemplateData::SetIdInfo(std::string_view name, std::string_view task_name,
                                  std::string_view group, std::span<const AlertTag> tags,
                                  const AlertServerInfo& server_info) {
  tags_.clear();
  tags_.reserve(tags.size());
  for (const AlertTag& t : tags) tags_.push_back({t.key, TemplateValue::String(t.value)});
  server_info_[0] = {"Hostname", TemplateValue::String(server_info.hostname)};
  server_info_[1] = {"ClusterID", TemplateValue::String(server_info.cluster_id)};
  server_info_[2] = {"ServerID", TemplateValue::String(server_info.server_id)};
  top_[0] = {"Name", TemplateValue::String(name)};
  top_[1] = {"TaskName", TemplateValue::String(task_name)};
  top_[2] = {"Group", TemplateValue::String(group.empty() ? std::string_view("nil") : group)};
  top_[3] = {"Tags", TemplateValue::Map(tags_, interp::MapElem::kString)};
  top_[4] = {"ServerInfo", TemplateValue::Struct("kapacitor.serverInfo", server_info_)};
}

void AlertTemplateData::SetMessageInfo(std::string_view id, std::span<const AlertField> fields,
                                       AlertLevel level, int64_t time_ns, int64_t duration_ns) {
  fields_.clear();
  fields_.reserve(fields.size());
  for (const AlertField& f : fields) fields_.push_back({f.name, ToTemplateValue(f.value)});
  top_[5] = {"ID", TemplateValue::String(id)};
  top_[6] = {"Fields", TemplateValue::Map(fields_, interp::MapElem::kInterface)};
  top_[7] = {"Level", TemplateValue::String(AlertLevelName(level))};
  top_[8] = {"Time", TemplateValue::Time(time_ns)};
  top_[9] = {"Duration", TemplateValue::Duration(duration_ns)};
}

void AlertTemplateData::SetMessage(std::string_view message) {
  top_[10] = {"Message", TemplateValue::String(message)};
}

TemplateValue AlertTemplateData::IdData() const {
  return TemplateValue::Struct("kapacitor.idInfo",
                               std::span<const TemplateField>(top_.data(), kIdInfoFields));
}

TemplateValue AlertTemplateData::MessageData() const {
  return TemplateValue::Struct("kapacitor.messageInfo",
                               std::span<const TemplateField>(top_.data(), kMessageInfoFields));
}

TemplateValue AlertTemplateData::DetailsData() const {
  return TemplateValue::Struct("kapacitor.detailsInfo",
                               std::span<const TemplateField>(top_.data(), kDetailsInfoFields));
}

bool AppendAlertJsonFunc(const TemplateValue& v, std::string* out) {
  const bool ok = interp::AppendTemplateValueJson(out, v);
  out->push_back('\n');
  return ok;
}

void AddAlertDetailsFuncs(interp::FuncMap* funcs) {
  interp::TemplateFuncSpec spec;
  spec.min_args = 1;
  spec.max_args = 1;
  // Kapacitor ignores the encoder's error (NaN/Inf) and returns what was written.
  spec.fn = [](std::span<const TemplateValue> args, std::string* result) {
    AppendAlertJsonFunc(args[0], result);
    return absl::OkStatus();
  };
  (*funcs)["json"] = std::move(spec);
}

void AppendDefaultDetails(const TemplateValue& details, std::string* out) {
  std::string json;
  AppendAlertJsonFunc(details, &json);
  interp::AppendHtmlEscaped(out, json);
}

TemplateValue AlertHandlerTemplateData::Build(const AlertEventData& e) {
  tags_.clear();
  tags_.reserve(e.tags.size());
  for (const AlertTag& t : e.tags) tags_.push_back({t.key, TemplateValue::String(t.value)});

  std::vector<size_t> order(e.fields.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return e.fields[a].name < e.fields[b].name; });
  columns_.clear();
  values_.clear();
  columns_.reserve(order.size() + 1);
  values_.reserve(order.size() + 1);
  columns_.push_back(TemplateValue::String("time"));
  values_.push_back(TemplateValue::Time(e.time_ns));
  for (size_t i : order) {
    columns_.push_back(TemplateValue::String(e.fields[i].name));
    values_.push_back(ToTemplateValue(e.fields[i].value));
  }
  values_rows_[0] = TemplateValue::List(values_);
  row_[0] = {"Name", TemplateValue::String(e.name)};
  row_[1] = {"Tags", TemplateValue::Map(tags_, interp::MapElem::kString)};
  row_[2] = {"Columns", TemplateValue::List(columns_)};
  row_[3] = {"Values", TemplateValue::List(values_rows_)};
  series_[0] = TemplateValue::Struct("models.Row", row_);
  result_[0] = {"Series", TemplateValue::List(series_)};
  result_[1] = {"Err", TemplateValue::Nil()};

  top_[0] = {"ID", TemplateValue::String(e.id)};
  top_[1] = {"Message", TemplateValue::String(e.message)};
  top_[2] = {"Details", TemplateValue::String(e.details)};
  top_[3] = {"Time", TemplateValue::Time(e.time_ns)};
  top_[4] = {"Duration", TemplateValue::Duration(e.duration_ns)};
  top_[5] = {"Level", TemplateValue::String(AlertLevelName(e.level))};
  top_[6] = {"Data", TemplateValue::Struct("models.Result", result_)};
  top_[7] = {"PreviousLevel", TemplateValue::String(AlertLevelName(e.previous_level))};
  top_[8] = {"Recoverable", TemplateValue::Bool(e.recoverable)};
  return TemplateValue::Struct("alert.Data", top_);
}

}  // namespace tick::nodes
