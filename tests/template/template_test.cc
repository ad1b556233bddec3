// Tests for interpreter/template.h: Go text/template and html/template behaviour, byte-exact.
#include "interpreter/template.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "interpreter/gofmt.h"
#include "tests/testing/status_matchers.h"

namespace tick::interp {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

constexpr int64_t kSec = 1000000000LL;

// A Kapacitor-like message data set (alert.go messageInfo with idInfo embedded).
struct Data {
  std::vector<TemplateField> tags = {
      {"host", TemplateValue::String("serverA")},
      {"cpu", TemplateValue::String("cpu-total")},
  };
  std::vector<TemplateField> fields = {
      {"value", TemplateValue::Float(97.1)}, {"count", TemplateValue::Int(3)},
      {"big", TemplateValue::Float(1e6)},    {"msg", TemplateValue::String("a<b")},
      {"ok", TemplateValue::Bool(true)},
  };
  std::vector<TemplateField> top;
  Data() {
    top = {
        {"Name", TemplateValue::String("cpu")},
        {"TaskName", TemplateValue::String("cpu_alert")},
        {"Group", TemplateValue::String("host=serverA")},
        {"Tags", TemplateValue::Map(tags, MapElem::kString)},
        {"ID", TemplateValue::String("cpu:host=serverA")},
        {"Fields", TemplateValue::Map(fields, MapElem::kInterface)},
        {"Level", TemplateValue::String("CRITICAL")},
        {"Time", TemplateValue::Time(365LL * 86400 * kSec + 10 * kSec)},
        {"Duration", TemplateValue::Duration(90 * kSec)},
    };
  }
  TemplateValue Dot() const { return TemplateValue::Struct("kapacitor.messageInfo", top); }
};

std::string Render(std::string_view text, TemplateMode mode = TemplateMode::kText,
                   const FuncMap* funcs = nullptr) {
  Data d;
  auto t = ParseTemplate("message", text, mode, funcs);
  if (!t.ok()) return "PARSE ERROR: " + std::string(t.status().message());
  std::string out;
  absl::Status st = t->Execute(d.Dot(), &out);
  if (!st.ok()) return "EXEC ERROR: " + std::string(st.message());
  return out;
}

std::string ParseErr(std::string_view name, std::string_view text, int64_t* offset = nullptr) {
  auto t = ParseTemplate(name, text, TemplateMode::kText);
  if (t.ok()) return "OK";
  if (offset != nullptr) *offset = TemplateErrorOffset(t.status());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(t.status().message());
}

TEST(Template, TextAndFields) {
  EXPECT_EQ(Render("hello"), "hello");
  EXPECT_EQ(Render(""), "");
  EXPECT_EQ(Render("{{ .Name }}:{{ .Group }}"), "cpu:host=serverA");
  EXPECT_EQ(Render("{{.ID}} is {{.Level}}"), "cpu:host=serverA is CRITICAL");
  EXPECT_EQ(Render("{{ .Tags.host }}"), "serverA");
  EXPECT_EQ(Render("{{ .Tags.nokey }}"), "<no value>");
  EXPECT_EQ(Render("{{ .Fields.value }}"), "97.1");
  EXPECT_EQ(Render("{{ .Fields.big }}"), "1e+06");
  EXPECT_EQ(Render("{{ .Fields.count }}"), "3");
  EXPECT_EQ(Render("{{ .Fields.ok }}"), "true");
  EXPECT_EQ(Render("{{ .Time }}"), "1971-01-01 00:00:10 +0000 UTC");
  EXPECT_EQ(Render("{{ .Duration }}"), "1m30s");
  EXPECT_EQ(Render("{{ .Tags }}"), "map[cpu:cpu-total host:serverA]");
  EXPECT_EQ(Render("{{ .Fields }}"), "map[big:1e+06 count:3 msg:a<b ok:true value:97.1]");
  EXPECT_EQ(Render("{{ .Fields.nokey.deeper }}"), "<no value>");
}

TEST(Template, Index) {
  EXPECT_EQ(Render("{{ index .Tags \"host\" }}"), "serverA");
  EXPECT_EQ(Render("[{{ index .Tags \"nokey\" }}]"), "[]");
  EXPECT_EQ(Render("[{{ index .Fields \"nokey\" }}]"), "[<no value>]");
  EXPECT_EQ(Render("{{ index .Fields \"value\" }}"), "97.1");
  EXPECT_EQ(Render("{{ index .Tags 1 }}"),
            "EXEC ERROR: template: message:1:3: executing \"message\" at <index .Tags 1>: "
            "error calling index: value has type int; should be string");
  EXPECT_EQ(Render("{{ index .Name 0 }}"), "99");
  EXPECT_EQ(Render("{{ index .Name 5 }}"),
            "EXEC ERROR: template: message:1:3: executing \"message\" at <index .Name 5>: "
            "error calling index: index out of range: 5");
  EXPECT_EQ(Render("{{ index nil 1 }}"),
            "EXEC ERROR: template: message:1:3: executing \"message\" at <index nil 1>: "
            "error calling index: index of untyped nil");
}

TEST(Template, UnknownFieldIsExecutionError) {
  EXPECT_EQ(Render("x {{ .Foo }}"),
            "EXEC ERROR: template: message:1:5: executing \"message\" at <.Foo>: can't "
            "evaluate field Foo in type kapacitor.messageInfo");
  EXPECT_EQ(Render("{{ .Name.Foo }}"),
            "EXEC ERROR: template: message:1:3: executing \"message\" at <.Name.Foo>: can't "
            "evaluate field Foo in type string");
  EXPECT_EQ(Render("\n{{ .Level.X }}"),
            "EXEC ERROR: template: message:2:3: executing \"message\" at <.Level.X>: can't "
            "evaluate field X in type string");
}

TEST(Template, IfElse) {
  EXPECT_EQ(Render("{{ if eq .Level \"CRITICAL\" }}crit{{ else }}other{{ end }}"), "crit");
  EXPECT_EQ(Render("{{ if eq .Level \"OK\" }}ok{{ else if eq .Level \"CRITICAL\" }}c{{ else }}o"
                   "{{ end }}"),
            "c");
  EXPECT_EQ(Render("{{ if eq .Level \"OK\" }}ok{{ else if eq .Level \"X\" }}x{{ else }}o{{ end }}"),
            "o");
  EXPECT_EQ(Render("{{ if .Tags.nokey }}y{{ else }}n{{ end }}"), "n");
  EXPECT_EQ(Render("{{ if .Tags }}y{{ end }}"), "y");
  EXPECT_EQ(Render("{{ if and .Fields.ok (gt .Fields.value 90.0) }}hot{{ end }}"), "hot");
  EXPECT_EQ(Render("{{ if or .Tags.nokey .Name }}{{ or .Tags.nokey .Name }}{{ end }}"), "cpu");
  EXPECT_EQ(Render("{{ if not .Fields.ok }}a{{ else }}b{{ end }}"), "b");
  EXPECT_EQ(Render("{{ with .Tags.host }}h={{ . }}{{ end }}"), "h=serverA");
  EXPECT_EQ(Render("{{ with .Tags.nokey }}h={{ . }}{{ else }}none{{ end }}"), "none");
}

TEST(Template, Comparisons) {
  EXPECT_EQ(Render("{{ lt .Fields.value 100.0 }} {{ ge .Fields.count 3 }} {{ ne .Name \"x\" }}"),
            "true true true");
  EXPECT_EQ(Render("{{ le 2 2 }} {{ gt 3 2 }} {{ lt \"a\" \"b\" }} {{ eq .Name \"x\" \"cpu\" }}"),
            "true true true true");
  // int64 field vs int literal: both int kinds.
  EXPECT_EQ(Render("{{ eq .Fields.count 3 }}"), "true");
  // duration is an int kind.
  EXPECT_EQ(Render("{{ gt .Duration 0 }}"), "true");
  // float field vs int literal is an error in Go.
  EXPECT_EQ(Render("{{ gt .Fields.value 90 }}"),
            "EXEC ERROR: template: message:1:3: executing \"message\" at <gt .Fields.value 90>: "
            "error calling gt: incompatible types for comparison");
  EXPECT_EQ(Render("{{ eq .Fields.value 97 }}"),
            "EXEC ERROR: template: message:1:3: executing \"message\" at <eq .Fields.value 97>: "
            "error calling eq: incompatible types for comparison");
  EXPECT_EQ(Render("{{ lt true false }}"),
            "EXEC ERROR: template: message:1:3: executing \"message\" at <lt true false>: "
            "error calling lt: invalid type for comparison");
  // Missing value compared with eq is simply false.
  EXPECT_EQ(Render("{{ eq .Fields.nokey 1.0 }}"), "false");
  EXPECT_EQ(Render("{{ eq .Fields.nokey nil }}"), "true");
}

TEST(Template, Printf) {
  EXPECT_EQ(Render("{{ printf \"%.2f\" .Fields.value }}"), "97.10");
  EXPECT_EQ(Render("{{ .Fields.value | printf \"%.1f%%\" }}"), "97.1%");
  EXPECT_EQ(Render("{{ printf \"%5d|%-5d|%05d\" 42 42 -42 }}"), "   42|42   |-0042");
  EXPECT_EQ(Render("{{ printf \"%-10s|%10s\" .Name .Level }}"), "cpu       |  CRITICAL");
  EXPECT_EQ(Render("{{ printf \"%v %s %q\" .Fields.value .Name .Name }}"), "97.1 cpu \"cpu\"");
  EXPECT_EQ(Render("{{ printf \"%d\" .Name }}"), "%!d(string=cpu)");
  EXPECT_EQ(Render("{{ printf \"%s\" .Fields.count }}"), "%!s(int64=3)");
  EXPECT_EQ(Render("{{ printf \"%d\" .Fields.value }}"), "%!d(float64=97.1)");
  EXPECT_EQ(Render("{{ printf \"%d %d\" 1 }}"), "1 %!d(MISSING)");
  EXPECT_EQ(Render("{{ printf \"%d\" 1 2 }}"), "1%!(EXTRA int=2)");
  EXPECT_EQ(Render("{{ printf \"%t %v\" true nil }}"), "true <nil>");
  EXPECT_EQ(Render("{{ printf \"%x %X %o %b\" 255 255 8 5 }}"), "ff FF 10 101");
  EXPECT_EQ(Render("{{ printf \"%e %g %.3g %g\" 1234.5678 1234.5678 1234.5678 0.00001 }}"),
            "1.234568e+03 1234.5678 1.23e+03 1e-05");
  EXPECT_EQ(Render("{{ printf \"%s %v %d\" .Duration .Duration .Duration }}"),
            "1m30s 1m30s 90000000000");
  EXPECT_EQ(Render("{{ printf \"%s\" .Time }}"), "1971-01-01 00:00:10 +0000 UTC");
  EXPECT_EQ(Render("{{ printf \"%+d % d %+.1f\" 5 5 2.25 }}"), "+5  5 +2.2");
  EXPECT_EQ(Render("{{ printf \"%6.2f|%-8.3f|\" 3.14159 2.5 }}"), "  3.14|2.500   |");
  EXPECT_EQ(Render("{{ printf \"%s\" .Tags }}"), "map[cpu:cpu-total host:serverA]");
  EXPECT_EQ(Render("{{ printf \"%c%c\" 72 105 }}"), "Hi");
  EXPECT_EQ(Render("{{ printf \"%T %T %T\" .Fields.value 1 .Tags }}"),
            "float64 int map[string]string");
  EXPECT_EQ(Render("{{ printf \"%z\" 1 }}"), "%!z(int=1)");
  EXPECT_EQ(Render("{{ printf 3 }}"),
            "EXEC ERROR: template: message:1:10: executing \"message\" at <3>: expected string; "
            "found 3");
}

TEST(Template, PrintAndLen) {
  EXPECT_EQ(Render("{{ print 1 2 \"a\" 3 \"b\" \"c\" }}"), "1 2a3bc");
  EXPECT_EQ(Render("{{ println .Name 1 }}"), "cpu 1\n");
  EXPECT_EQ(Render("{{ len .Tags }} {{ len .Name }} {{ len .Fields }}"), "2 3 5");
  EXPECT_EQ(Render("{{ len .Fields.value }}"),
            "EXEC ERROR: template: message:1:3: executing \"message\" at <len .Fields.value>: "
            "error calling len: len of type float64");
  EXPECT_EQ(Render("{{ len }}"),
            "EXEC ERROR: template: message:1:3: executing \"message\" at <len>: wrong number of "
            "args for len: want 1 got 0");
}

TEST(Template, Pipelines) {
  EXPECT_EQ(Render("{{ .Name | printf \"%s!\" | printf \"<%s>\" }}"), "<cpu!>");
  EXPECT_EQ(Render("{{ (index .Tags \"host\") | len }}"), "7");
  EXPECT_EQ(Render("{{ html \"<a&b>\" }} {{ js \"it's <x>\" }} {{ urlquery \"a b&c\" }}"),
            "&lt;a&amp;b&gt; it\\'s \\u003Cx\\u003E a+b%26c");
  EXPECT_EQ(Render("{{ .Name | html }}"), "cpu");
}

TEST(Template, VariablesAndRange) {
  EXPECT_EQ(Render("{{ $x := .Tags.host }}{{ $x }}-{{ $.Name }}"), "serverA-cpu");
  EXPECT_EQ(Render("{{ $x := 1 }}{{ $x = 2 }}{{ $x }}"), "2");
  EXPECT_EQ(Render("{{ $n := (len .Tags) }}{{ $n }}"), "2");
  EXPECT_EQ(Render("{{ if $h := .Tags.host }}{{ $h }}{{ end }}"), "serverA");
  EXPECT_EQ(ParseErr("id", "{{ if $h := .A }}{{ end }}{{ $h }}"),
            "template: id:1: undefined variable \"$h\"");
  EXPECT_EQ(Render("{{ range $k, $v := .Tags }}{{ $k }}={{ $v }};{{ end }}"),
            "cpu=cpu-total;host=serverA;");
  EXPECT_EQ(Render("{{ range .Tags }}{{ . }},{{ end }}"), "cpu-total,serverA,");
  EXPECT_EQ(Render("{{ range .Tags.nokey }}x{{ else }}empty{{ end }}"), "empty");
  EXPECT_EQ(Render("{{ range $k, $v := .Fields }}{{ $k }} {{ end }}"), "big count msg ok value ");
}

TEST(Template, LiteralsAndComments) {
  EXPECT_EQ(Render("{{ \"a\\tb\" }}|{{ `raw\\n` }}|{{ 'a' }}|{{ 1.5 }}|{{ 0x10 }}|{{ true }}|"
                   "{{ 1e3 }}"),
            "a\tb|raw\\n|97|1.5|16|true|1000");
  EXPECT_EQ(Render("a{{/* a comment */}}b"), "ab");
  EXPECT_EQ(Render("a  {{- /* c */ -}}  b"), "ab");
}

TEST(Template, WhitespaceTrim) {
  EXPECT_EQ(Render("a \n {{- .Name -}} \n b"), "acpub");
  EXPECT_EQ(Render("{{ 23 -}} < {{- 45 }}"), "23<45");
  EXPECT_EQ(Render("x {{- 3}}"), "x3");
  EXPECT_EQ(Render("{{3 -}} y"), "3y");
  EXPECT_EQ(Render("{{ -3 }}"), "-3");
  EXPECT_EQ(Render("{{ if true -}}\n  yes\n{{- end }}"), "yes");
}

TEST(Template, HtmlMode) {
  EXPECT_EQ(
      Render("<b>{{ .Fields.msg }}</b> {{ \"it's\" }} {{ .Fields.nokey }}", TemplateMode::kHtml),
      "<b>a&lt;b</b> it&#39;s ");
  EXPECT_EQ(Render("{{ printf \"%s+%s\" .Name \"\\\"q\\\"\" }}", TemplateMode::kHtml),
            "cpu&#43;&#34;q&#34;");
}

TEST(Template, KapacitorDefaultDetailsJson) {
  // json = json.NewEncoder(buf).Encode(v) (compact, HTML-safe, trailing newline), then
  // html/template escapes the result in the HTML text context.
  FuncMap funcs;
  funcs["json"] = TemplateFuncSpec{[](std::span<const TemplateValue> args, std::string* out) {
                                     AppendTemplateValueJson(out, args[0]);
                                     out->push_back('\n');
                                     return absl::OkStatus();
                                   },
                                   1, 1};
  std::vector<TemplateField> tags = {{"host", TemplateValue::String("serverA")}};
  std::vector<TemplateField> fields = {{"value", TemplateValue::Float(10)},
                                       {"count", TemplateValue::Int(2)}};
  std::vector<TemplateField> server = {{"Hostname", TemplateValue::String("localhost")},
                                       {"ClusterID", TemplateValue::String("")},
                                       {"ServerID", TemplateValue::String("")}};
  std::vector<TemplateField> top = {
      {"Name", TemplateValue::String("cpu")},
      {"TaskName", TemplateValue::String("t1")},
      {"Group", TemplateValue::String("nil")},
      {"Tags", TemplateValue::Map(tags, MapElem::kString)},
      {"ServerInfo", TemplateValue::Struct("kapacitor.serverInfo", server)},
      {"ID", TemplateValue::String("cpu:nil")},
      {"Fields", TemplateValue::Map(fields, MapElem::kInterface)},
      {"Level", TemplateValue::String("CRITICAL")},
      {"Time", TemplateValue::Time(365LL * 86400 * kSec + 10 * kSec)},
      {"Duration", TemplateValue::Duration(0)},
      {"Message", TemplateValue::String("cpu:nil is CRITICAL <&>")},
  };
  auto t = ParseTemplate("details", "{{ json . }}", TemplateMode::kHtml, &funcs);
  ASSERT_THAT(t.status(), tick::testing::IsOk());
  std::string out;
  ASSERT_THAT(t->Execute(TemplateValue::Struct("kapacitor.detailsInfo", top), &out),
              tick::testing::IsOk());
  EXPECT_EQ(out,
            "{&#34;Name&#34;:&#34;cpu&#34;,&#34;TaskName&#34;:&#34;t1&#34;,&#34;Group&#34;:"
            "&#34;nil&#34;,&#34;Tags&#34;:{&#34;host&#34;:&#34;serverA&#34;},&#34;ServerInfo"
            "&#34;:{&#34;Hostname&#34;:&#34;localhost&#34;,&#34;ClusterID&#34;:&#34;&#34;,&#34;"
            "ServerID&#34;:&#34;&#34;},&#34;ID&#34;:&#34;cpu:nil&#34;,&#34;Fields&#34;:{&#34;"
            "count&#34;:2,&#34;value&#34;:10},&#34;Level&#34;:&#34;CRITICAL&#34;,&#34;Time&#34;"
            ":&#34;1971-01-01T00:00:10Z&#34;,&#34;Duration&#34;:0,&#34;Message&#34;:&#34;cpu:nil "
            "is CRITICAL \\u003c\\u0026\\u003e&#34;}\n");
  EXPECT_TRUE(t->uses_whole_dot());
}

TEST(Template, JsonIndent) {
  std::vector<TemplateField> inner = {{"b", TemplateValue::Float(0.5)},
                                      {"a", TemplateValue::Nil()}};
  std::vector<TemplateValue> list = {TemplateValue::Int(1), TemplateValue::String("x")};
  std::vector<TemplateField> top = {{"m", TemplateValue::Map(inner, MapElem::kInterface)},
                                    {"l", TemplateValue::List(list)},
                                    {"e", TemplateValue::List({})}};
  std::string out;
  AppendTemplateValueJson(&out, TemplateValue::Struct("x", top), "  ");
  EXPECT_EQ(out,
            "{\n  \"m\": {\n    \"a\": null,\n    \"b\": 0.5\n  },\n  \"l\": [\n    1,\n    "
            "\"x\"\n  ],\n  \"e\": []\n}");
}

TEST(Template, CustomFunctionErrors) {
  FuncMap funcs;
  funcs["fail"] = TemplateFuncSpec{[](std::span<const TemplateValue>, std::string*) {
                                     return absl::InvalidArgumentError("boom");
                                   },
                                   0, -1};
  EXPECT_EQ(Render("{{ fail 1 }}", TemplateMode::kText, &funcs),
            "EXEC ERROR: template: message:1:3: executing \"message\" at <fail 1>: error "
            "calling fail: boom");
}

TEST(Template, ReferencedTopLevelFields) {
  auto t = ParseTemplate("id", "{{ .Name }}:{{ .Group }}", TemplateMode::kText);
  ASSERT_THAT(t.status(), tick::testing::IsOk());
  EXPECT_THAT(t->ReferencedTopLevelFields(), ElementsAre("Group", "Name"));
  EXPECT_FALSE(t->uses_whole_dot());

  t = ParseTemplate("id",
                    "{{ index .Tags \"host\" }}{{ range .Fields }}{{ .X }}{{ end }}"
                    "{{ with .TaskName }}{{ $.Level }}{{ end }}",
                    TemplateMode::kText);
  ASSERT_THAT(t.status(), tick::testing::IsOk());
  EXPECT_THAT(t->ReferencedTopLevelFields(),
              UnorderedElementsAre("Fields", "Level", "Tags", "TaskName"));
  EXPECT_FALSE(t->uses_whole_dot());

  t = ParseTemplate("id", "{{ . }}", TemplateMode::kText);
  ASSERT_THAT(t.status(), tick::testing::IsOk());
  EXPECT_TRUE(t->uses_whole_dot());
}

TEST(TemplateParse, Errors) {
  int64_t off = -1;
  EXPECT_EQ(ParseErr("details", "{{ .Name }", &off),
            "template: details:1: unexpected \"}\" in operand");
  EXPECT_EQ(off, 9);
  EXPECT_EQ(ParseErr("id", "abc {{ .Name", &off), "template: id:1: unclosed action");
  EXPECT_EQ(ParseErr("id", "{{ foo }}", &off), "template: id:1: function \"foo\" not defined");
  EXPECT_EQ(off, 3);
  EXPECT_EQ(ParseErr("id", "x\n{{ end }}", &off), "template: id:2: unexpected {{end}}");
  EXPECT_EQ(ParseErr("id", "{{ else }}"), "template: id:1: unexpected {{else}}");
  EXPECT_EQ(ParseErr("id", "{{ if .A }}x"), "template: id:1: unexpected EOF");
  EXPECT_EQ(ParseErr("id", "{{ if }}x{{ end }}"), "template: id:1: missing value for if");
  EXPECT_EQ(ParseErr("id", "{{ }}"), "template: id:1: missing value for command");
  EXPECT_EQ(ParseErr("id", "{{ \"abc }}"), "template: id:1: unterminated quoted string");
  EXPECT_EQ(ParseErr("id", "{{ $x }}"), "template: id:1: undefined variable \"$x\"");
  EXPECT_EQ(ParseErr("id", "{{ /* c */ }}"), "template: id:1: unexpected \"/\" in command");
  EXPECT_EQ(ParseErr("id", "{{/* c */ x}}"),
            "template: id:1: comment ends before closing delimiter");
  EXPECT_EQ(ParseErr("id", "{{/* c "), "template: id:1: unclosed comment");
  EXPECT_EQ(ParseErr("id", "{{ .A | 1 }}"),
            "template: id:1: non executable command in pipeline stage 2");
  EXPECT_EQ(ParseErr("id", "{{ (.A }}"), "template: id:1: unclosed left paren");
  EXPECT_EQ(ParseErr("id", "{{ 3x }}"), "template: id:1: bad number syntax: \"3x\"");
  EXPECT_EQ(ParseErr("id", "{{ \"a\".B }}"),
            "template: id:1: unexpected . after term \"\\\"a\\\"\"");
  EXPECT_EQ(ParseErr("id", "{{ .A : }}"), "template: id:1: expected :=");
}

TEST(TemplateParse, OkCases) {
  EXPECT_EQ(ParseErr("id", "{{ .A }} {{- .B -}} {{ if .C }}{{ else if .D }}{{ end }}"), "OK");
  EXPECT_EQ(ParseErr("id", "{{ range $i, $e := .L }}{{ $i }}{{ end }}"), "OK");
  EXPECT_EQ(ParseErr("id", "{{ .A }}\n{{ (index .B \"c\").D }}"), "OK");
}

}  // namespace
}  // namespace tick::interp
