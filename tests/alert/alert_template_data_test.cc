// Tests for the alert templates' data trees, the `json` details function, the default details
// (html/template-escaped JSON) and group IDs.
#include "nodes/alert_template_data.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "interpreter/template.h"
#include "interpreter/value.h"

namespace tick::nodes {
namespace {

using interp::TemplateKind;
using interp::TemplateValue;
using interp::Value;

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t k1971 = 31'536'000 * kSecond;

std::string GoV(const TemplateValue& v) {
  std::string out;
  interp::AppendGoValue(&out, v);
  return out;
}

std::string GroupId(std::string_view name, std::vector<AlertTag> tags,
                    std::vector<std::string_view> dims, bool by_name) {
  std::string out;
  AppendGroupId(name, tags, dims, by_name, &out);
  return out;
}

TEST(AlertGroupIdTest, KapacitorToGroupId) {
  const std::vector<AlertTag> tags = {{"type", "idle"}, {"host", "serverA"}};
  EXPECT_EQ(GroupId("cpu", tags, {}, false), "");
  EXPECT_EQ(GroupId("cpu", tags, {}, true), "cpu");
  EXPECT_EQ(GroupId("cpu", tags, {"host"}, false), "host=serverA");
  EXPECT_EQ(GroupId("cpu", tags, {"host", "type"}, false), "host=serverA,type=idle");
  EXPECT_EQ(GroupId("cpu", tags, {"cpu", "host"}, false), "cpu=,host=serverA");
  EXPECT_EQ(GroupId("cpu", tags, {"host"}, true), "cpu\nhost=serverA");
}

// The data of TestStream_AlertPagerDuty (integrations/streamer_test.go): its expected details
// are html.EscapeString of the JSON below plus "\n".
class PagerDutyData : public ::testing::Test {
 protected:
  void SetUp() override {
    data_.SetIdInfo("cpu", "TestStream_Alert", "host=serverA", tags_,
                    {"localhost", "cluster-1", "server-1"});
    data_.SetMessageInfo("kapacitor/cpu/serverA", fields_, AlertLevel::kCritical,
                         k1971 + 10 * kSecond, 0);
    data_.SetMessage("CRITICAL alert for kapacitor/cpu/serverA");
  }
  const std::vector<AlertTag> tags_ = {{"host", "serverA"}};
  const std::vector<AlertField> fields_ = {{"count", Value::Int(10)}};
  AlertTemplateData data_;
};

constexpr char kPagerDutyJson[] =
    R"({"Name":"cpu","TaskName":"TestStream_Alert","Group":"host=serverA","Tags":{"host":"serverA"},"ServerInfo":{"Hostname":"localhost","ClusterID":"cluster-1","ServerID":"server-1"},"ID":"kapacitor/cpu/serverA","Fields":{"count":10},"Level":"CRITICAL","Time":"1971-01-01T00:00:10Z","Duration":0,"Message":"CRITICAL alert for kapacitor/cpu/serverA"})"
    "\n";

std::string HtmlEscapeQuotes(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '"') {
      out += "&#34;";
    } else {
      out += c;
    }
  }
  return out;
}

TEST_F(PagerDutyData, JsonFunction) {
  std::string out;
  EXPECT_TRUE(AppendAlertJsonFunc(data_.DetailsData(), &out));
  EXPECT_EQ(out, kPagerDutyJson);
}

TEST_F(PagerDutyData, DefaultDetailsIsHtmlEscapedJson) {
  std::string out;
  AppendDefaultDetails(data_.DetailsData(), &out);
  EXPECT_EQ(out, HtmlEscapeQuotes(kPagerDutyJson));
  EXPECT_EQ(out.substr(0, 40), "{&#34;Name&#34;:&#34;cpu&#34;,&#34;TaskN");
  EXPECT_EQ(out.back(), '\n');
}

TEST_F(PagerDutyData, StructShapes) {
  const TemplateValue id = data_.IdData();
  ASSERT_EQ(id.kind(), TemplateKind::kStruct);
  EXPECT_EQ(id.type_name(), "kapacitor.idInfo");
  ASSERT_EQ(id.fields().size(), 5u);
  EXPECT_EQ(id.fields()[4].name, "ServerInfo");
  EXPECT_EQ(GoV(id),
            "{cpu TestStream_Alert host=serverA map[host:serverA] {localhost cluster-1 "
            "server-1}}");

  const TemplateValue msg = data_.MessageData();
  EXPECT_EQ(msg.type_name(), "kapacitor.messageInfo");
  ASSERT_EQ(msg.fields().size(), 10u);
  std::vector<std::string_view> names;
  for (const auto& f : data_.DetailsData().fields()) names.push_back(f.name);
  EXPECT_THAT(names, ::testing::ElementsAre("Name", "TaskName", "Group", "Tags", "ServerInfo", "ID",
                                            "Fields", "Level", "Time", "Duration", "Message"));
  EXPECT_EQ(data_.DetailsData().type_name(), "kapacitor.detailsInfo");
  EXPECT_EQ(GoV(msg.fields()[8].value), "1971-01-01 00:00:10 +0000 UTC");
  EXPECT_EQ(GoV(msg.fields()[9].value), "0s");
  EXPECT_EQ(msg.fields()[3].value.map_elem(), interp::MapElem::kString);
  EXPECT_EQ(msg.fields()[6].value.map_elem(), interp::MapElem::kInterface);
}

TEST(AlertTemplateDataTest, NilGroupAndEscaping) {
  AlertTemplateData d;
  const std::vector<AlertField> fields = {{"v", Value::Float(97.1)},
                                          {"s", Value::String("<b>&'+")},
                                          {"ok", Value::Bool(false)},
                                          {"u", Value::Uint(7)}};
  d.SetIdInfo("cpu", "task", "", {}, {});
  d.SetMessageInfo("cpu:nil", fields, AlertLevel::kOK, 500'000'000, 90 * kSecond);
  d.SetMessage("cpu:nil is OK");
  std::string json;
  AppendAlertJsonFunc(d.DetailsData(), &json);
  EXPECT_EQ(
      json,
      R"({"Name":"cpu","TaskName":"task","Group":"nil","Tags":{},"ServerInfo":{"Hostname":"","ClusterID":"","ServerID":""},"ID":"cpu:nil","Fields":{"ok":false,"s":"\u003cb\u003e\u0026'+","u":7,"v":97.1},"Level":"OK","Time":"1970-01-01T00:00:00.5Z","Duration":90000000000,"Message":"cpu:nil is OK"})"
      "\n");
  std::string details;
  AppendDefaultDetails(d.DetailsData(), &details);
  EXPECT_NE(details.find(R"(&#34;s&#34;:&#34;\u003cb\u003e\u0026&#39;&#43;&#34;)"),
            std::string::npos)
      << details;
  EXPECT_EQ(GoV(d.IdData().fields()[2].value), "nil");
}

TEST(AlertTemplateDataTest, SettersReplacePreviousEvent) {
  AlertTemplateData d;
  std::vector<AlertTag> tags1 = {{"host", "a"}, {"dc", "x"}};
  std::vector<AlertTag> tags2 = {{"host", "b"}};
  d.SetIdInfo("cpu", "t", "host=a", tags1, {});
  EXPECT_EQ(d.IdData().fields()[3].value.fields().size(), 2u);
  d.SetIdInfo("mem", "t", "host=b", tags2, {});
  EXPECT_EQ(GoV(d.IdData()), "{mem t host=b map[host:b] {  }}");
}

TEST(AlertTemplateDataTest, ToTemplateValueKinds) {
  EXPECT_EQ(interp::TemplateValue::Nil().kind(), ToTemplateValue(Value::Missing()).kind());
  EXPECT_EQ(ToTemplateValue(Value::Float(1.5)).kind(), TemplateKind::kFloat);
  EXPECT_EQ(ToTemplateValue(Value::Int(1)).kind(), TemplateKind::kInt);
  EXPECT_EQ(ToTemplateValue(Value::Uint(1)).kind(), TemplateKind::kUint);
  EXPECT_EQ(ToTemplateValue(Value::String("x")).str(), "x");
  EXPECT_EQ(ToTemplateValue(Value::Bool(true)).kind(), TemplateKind::kBool);
  EXPECT_EQ(ToTemplateValue(Value::Duration(5)).kind(), TemplateKind::kDuration);
  EXPECT_EQ(ToTemplateValue(Value::Time(5)).kind(), TemplateKind::kTime);
  EXPECT_EQ(ToTemplateValue(Value::Error(1, 2)).kind(), TemplateKind::kNil);
}

TEST(AlertHandlerTemplateDataTest, KafkaTemplateData) {
  const AlertTag tags[] = {{"host", "serverA"}};
  const AlertField fields[] = {{"value", Value::Float(9)}, {"count", Value::Int(3)}};
  AlertEventData e;
  e.id = "kapacitor/cpu/serverA";
  e.message = "kapacitor/cpu/serverA is OK";
  e.details = "details";
  e.time_ns = k1971 + 3 * kSecond;
  e.duration_ns = 3 * kSecond;
  e.level = AlertLevel::kOK;
  e.previous_level = AlertLevel::kInfo;
  e.recoverable = true;
  e.name = "cpu";
  e.tags = tags;
  e.fields = fields;
  AlertHandlerTemplateData h;
  const TemplateValue v = h.Build(e);
  EXPECT_EQ(v.type_name(), "alert.Data");
  std::vector<std::string> got;
  for (const auto& f : v.fields()) {
    // (Go prints .Data's []*Row as pointer addresses; only its structure is checked below.)
    got.push_back(f.name == "Data" ? std::string("Data")
                                   : std::string(f.name) + "=" + GoV(f.value));
  }
  EXPECT_THAT(got, ::testing::ElementsAre(
                       "ID=kapacitor/cpu/serverA", "Message=kapacitor/cpu/serverA is OK",
                       "Details=details", "Time=1971-01-01 00:00:03 +0000 UTC", "Duration=3s",
                       "Level=OK", "Data", "PreviousLevel=INFO", "Recoverable=true"));
  const TemplateValue data = v.fields()[6].value;
  EXPECT_EQ(data.type_name(), "models.Result");
  ASSERT_EQ(data.fields().size(), 2u);
  EXPECT_EQ(data.fields()[0].name, "Series");
  EXPECT_EQ(data.fields()[1].name, "Err");
  EXPECT_EQ(data.fields()[1].value.kind(), TemplateKind::kNil);
  ASSERT_EQ(data.fields()[0].value.items().size(), 1u);
  const TemplateValue row = data.fields()[0].value.items()[0];
  EXPECT_EQ(row.type_name(), "models.Row");
  EXPECT_EQ(GoV(row),
            "{cpu map[host:serverA] [time count value] [[1971-01-01 00:00:03 +0000 UTC "
            "3 9]]}");
}

}  // namespace
}  // namespace tick::nodes
