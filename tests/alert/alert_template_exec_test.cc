// Executes Kapacitor's default alert templates (and typical custom ones) through
// interp::ParseTemplate against the data trees of nodes/alert_template_data.h.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "interpreter/template.h"
#include "interpreter/value.h"
#include "nodes/alert_template_data.h"

namespace tick::nodes {
namespace {

using interp::TemplateMode;
using interp::Value;

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t k1971 = 31'536'000 * kSecond;

std::string Render(std::string_view name, std::string_view text, TemplateMode mode,
                   const interp::TemplateValue& dot, const interp::FuncMap* funcs = nullptr) {
  auto t = interp::ParseTemplate(name, text, mode, funcs);
  EXPECT_TRUE(t.ok()) << t.status();
  if (!t.ok()) return "";
  std::string out;
  const absl::Status s = t->Execute(dot, &out);
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

class AlertTemplateExecTest : public ::testing::Test {
 protected:
  void Fill(std::string_view group) {
    data_.SetIdInfo("cpu", "cpu_alert", group, tags_, {"host1", "c", "s"});
  }
  const std::vector<AlertTag> tags_ = {{"host", "serverA"}, {"type", "idle"}};
  const std::vector<AlertField> fields_ = {{"value", Value::Float(97.1)},
                                           {"n", Value::Int(1000000)}};
  AlertTemplateData data_;
};

TEST_F(AlertTemplateExecTest, DefaultIdAndMessage) {
  Fill("");
  const std::string id =
      Render("id", "{{ .Name }}:{{ .Group }}", TemplateMode::kText, data_.IdData());
  EXPECT_EQ(id, "cpu:nil");
  data_.SetMessageInfo(id, fields_, AlertLevel::kWarning, k1971, 0);
  EXPECT_EQ(
      Render("message", "{{ .ID }} is {{ .Level }}", TemplateMode::kText, data_.MessageData()),
      "cpu:nil is WARNING");
  Fill("host=serverA");
  EXPECT_EQ(Render("id", "{{ .Name }}:{{ .Group }}", TemplateMode::kText, data_.IdData()),
            "cpu:host=serverA");
}

TEST_F(AlertTemplateExecTest, KapacitorStyleTemplates) {
  Fill("host=serverA");
  const std::string id = Render("id", R"(kapacitor/{{ .Name }}/{{ index .Tags "host" }})",
                                TemplateMode::kText, data_.IdData());
  EXPECT_EQ(id, "kapacitor/cpu/serverA");
  data_.SetMessageInfo(id, fields_, AlertLevel::kCritical, k1971 + 10 * kSecond, 90 * kSecond);
  EXPECT_EQ(
      Render(
          "message",
          R"({{ .ID }} {{ index .Fields "value" }} {{ index .Fields "n" }} {{ index .Fields "nope" }} [{{ index .Tags "nope" }}] {{ .Time }} {{ .Duration }} {{ .TaskName }} {{ .ServerInfo.Hostname }})",
          TemplateMode::kText, data_.MessageData()),
      "kapacitor/cpu/serverA 97.1 1000000 <no value> [] 1971-01-01 00:00:10 +0000 UTC "
      "1m30s cpu_alert host1");
}

TEST_F(AlertTemplateExecTest, DefaultDetailsThroughTheJsonFunction) {
  Fill("host=serverA");
  data_.SetMessageInfo("cpu:host=serverA", fields_, AlertLevel::kOK, k1971, 0);
  data_.SetMessage("cpu:host=serverA is OK <&>");
  interp::FuncMap funcs;
  AddAlertDetailsFuncs(&funcs);
  const std::string via_template =
      Render("details", "{{ json . }}", TemplateMode::kHtml, data_.DetailsData(), &funcs);
  std::string direct;
  AppendDefaultDetails(data_.DetailsData(), &direct);
  EXPECT_EQ(via_template, direct);
  EXPECT_EQ(
      direct,
      "{&#34;Name&#34;:&#34;cpu&#34;,&#34;TaskName&#34;:&#34;cpu_alert&#34;,&#34;Group&#34;:&#34;"
      "host=serverA&#34;,&#34;Tags&#34;:{&#34;host&#34;:&#34;serverA&#34;,&#34;type&#34;:&#34;"
      "idle&#34;},&#34;ServerInfo&#34;:{&#34;Hostname&#34;:&#34;host1&#34;,&#34;ClusterID&#34;:"
      "&#34;c&#34;,&#34;ServerID&#34;:&#34;s&#34;},&#34;ID&#34;:&#34;cpu:host=serverA&#34;,&#34;"
      "Fields&#34;:{&#34;n&#34;:1000000,&#34;value&#34;:97.1},&#34;Level&#34;:&#34;OK&#34;,&#34;"
      "Time&#34;:&#34;1971-01-01T00:00:00Z&#34;,&#34;Duration&#34;:0,&#34;Message&#34;:&#34;"
      "cpu:host=serverA is OK \\u003c\\u0026\\u003e&#34;}\n");
  // Any other value in details is HTML-escaped too; literal text is not.
  EXPECT_EQ(
      Render("details", "<b>{{ .Message }}</b>", TemplateMode::kHtml, data_.DetailsData(), &funcs),
      "<b>cpu:host=serverA is OK &lt;&amp;&gt;</b>");
}

TEST_F(AlertTemplateExecTest, UnknownFieldIsAnExecutionError) {
  Fill("");
  auto t = interp::ParseTemplate("id", "{{ .Foo }}", TemplateMode::kText);
  ASSERT_TRUE(t.ok()) << t.status();
  std::string out;
  const absl::Status s = t->Execute(data_.IdData(), &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(s.message()),
            "template: id:1:3: executing \"id\" at <.Foo>: can't evaluate field Foo in type "
            "kapacitor.idInfo");
}

TEST(AlertHandlerTemplateExecTest, KafkaTemplate) {
  const AlertTag tags[] = {{"host", "serverA"}};
  const AlertField fields[] = {{"value", Value::Float(9)}};
  AlertEventData e;
  e.id = "kapacitor/cpu/serverA";
  e.message = "kapacitor/cpu/serverA is OK";
  e.time_ns = k1971 + 3 * kSecond;
  e.duration_ns = 3 * kSecond;
  e.level = AlertLevel::kOK;
  e.previous_level = AlertLevel::kInfo;
  e.recoverable = false;
  e.name = "cpu";
  e.tags = tags;
  e.fields = fields;
  AlertHandlerTemplateData h;
  EXPECT_EQ(Render("kafka",
                   "{{.ID}}|{{.Level}}|{{.PreviousLevel}}|{{.Recoverable}}|{{.Duration}}|"
                   "{{.Time}}|{{ (index .Data.Series 0).Name }}|{{ index (index .Data.Series "
                   "0).Tags \"host\" }}|{{ index (index (index .Data.Series 0).Values 0) 1 }}",
                   TemplateMode::kText, h.Build(e)),
            "kapacitor/cpu/serverA|OK|INFO|false|3s|1971-01-01 00:00:03 +0000 UTC|cpu|serverA|9");
}

}  // namespace
}  // namespace tick::nodes
