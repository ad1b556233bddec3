// Tests for interpreter/checker.h: exact diagnostics (message, source line and caret) for bad
// scripts, did-you-mean, the 20-error cap and ordering, kafka cluster options, and clean scripts.
#include "interpreter/checker.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/strings.h"
#include "gmock/gmock.h"
#include "grammar/parser.h"
#include "gtest/gtest.h"
#include "interpreter/node_spec.h"
#include "tests/testing/status_matchers.h"

namespace tick::interp {
namespace {

using ::testing::HasSubstr;
using ::tick::testing::IsOk;
using ::tick::testing::StatusIs;

// "ok" or the full error text of parse + check.
std::string Check(std::string_view text, const CheckOptions& options = {}) {
  absl::StatusOr<ast::Script> script = grammar::ParseScript(text, "t.tick");
  if (!script.ok()) return "PARSE: " + std::string(Sv(script.status().message()));
  absl::Status s = CheckScript(*script, options);
  if (s.ok()) return "ok";
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  return std::string(Sv(s.message()));
}

TEST(CheckerTest, CleanAlertScript) {
  EXPECT_EQ(Check(R"(// cpu alert
dbrp "telegraf"."autogen"
var period = 5m
var warn = 80.0
var crit_level = 90.0
stream
    |from()
        .database('telegraf')
        .measurement('cpu')
        .where(lambda: "cpu" == 'cpu-total' AND "host" =~ /web.*/)
        .groupBy('host')
    |window()
        .period(period)
        .every(1m)
    |eval(lambda: 100.0 - "usage_idle", lambda: "host")
        .as('used', 'h')
        .tags('h')
    |default()
        .field('used', 0.0)
    |alert()
        .id('{{ .Name }}/{{ index .Tags "host" }}')
        .message('{{ .ID }} is {{ .Level }}')
        .warn(lambda: "used" > warn)
        .crit(lambda: "used" > crit_level)
        .history(21)
        .flapping(0.25, 0.5)
        .stateChangesOnly(5m)
        .log('/tmp/alerts.log')
            .mode(0644)
        .kafka()
            .cluster('infra')
            .kafkaTopic('cpu-alerts')
            .partitionHashAlgorithm('murmur2')
        .noRecoveries()
    |httpOut('cpu')
)"),
            "ok");
}

TEST(CheckerTest, UnknownPropertyWithSuggestion) {
  EXPECT_EQ(Check("stream\n"
                  "    |from()\n"
                  "        .measurement('cpu')\n"
                  "    |alert()\n"
                  "        .critt(lambda: \"usage_idle\" < 10)\n"),
            "t.tick:5:10: error: no method or property \"critt\" on alert; did you mean "
            "\"crit\"?\n"
            "        .critt(lambda: \"usage_idle\" < 10)\n"
            "         ^");
}

TEST(CheckerTest, UnknownNodeWithSuggestion) {
  EXPECT_EQ(Check("stream|from()|widnow()\n"),
            "t.tick:1:15: error: no method or property \"widnow\" on from; did you mean "
            "\"window\"?\n"
            "stream|from()|widnow()\n"
            "              ^");
}

TEST(CheckerTest, UnknownWithoutSuggestion) {
  EXPECT_EQ(Check("stream|from().zzzzzzzz('x')\n"),
            "t.tick:1:15: error: no method or property \"zzzzzzzz\" on from\n"
            "stream|from().zzzzzzzz('x')\n"
            "              ^");
}

TEST(CheckerTest, PropertyUsedAsChainingMethod) {
  EXPECT_EQ(Check("stream|from()|measurement('cpu')\n"),
            "t.tick:1:15: error: no chaining method \"measurement\" on from, but property does "
            "exist. Use '.' operator instead: 'node.measurement(..)'\n"
            "stream|from()|measurement('cpu')\n"
            "              ^");
}

TEST(CheckerTest, ChainingMethodUsedAsProperty) {
  EXPECT_EQ(Check("stream|from().window()\n"),
            "t.tick:1:15: error: no property method \"window\" on from, but chaining method does "
            "exist. Use '|' operator instead: 'node|window(..)'\n"
            "stream|from().window()\n"
            "              ^");
}

TEST(CheckerTest, WrongArgumentKinds) {
  EXPECT_EQ(Check("stream|from()|window().period(10)\n"),
            "t.tick:1:31: error: invalid argument 1 to \"period\": expected duration, found int\n"
            "stream|from()|window().period(10)\n"
            "                              ^");
  EXPECT_EQ(Check("stream|alert()\n"),
            "t.tick:1:8: error: no method or property \"alert\" on stream\n"
            "stream|alert()\n"
            "       ^");
  EXPECT_EQ(Check("stream|from()|alert().flapping(0, 1)\n"),
            "t.tick:1:32: error: invalid argument 1 to \"flapping\": expected float, found int\n"
            "stream|from()|alert().flapping(0, 1)\n"
            "                               ^\n"
            "t.tick:1:35: error: invalid argument 2 to \"flapping\": expected float, found int\n"
            "stream|from()|alert().flapping(0, 1)\n"
            "                                  ^");
}

TEST(CheckerTest, ReferenceInsteadOfString) {
  EXPECT_EQ(Check("stream|from().measurement(\"cpu\")\n"),
            "t.tick:1:27: error: invalid argument 1 to \"measurement\": expected string, found "
            "reference \"cpu\"; did you use double quotes instead of single quotes?\n"
            "stream|from().measurement(\"cpu\")\n"
            "                          ^");
}

TEST(CheckerTest, ArgumentCount) {
  EXPECT_EQ(Check("stream|from()|window().period(1m, 2m)\n"),
            "t.tick:1:24: error: wrong number of arguments to \"period\" on window: expected 1, "
            "got 2\n"
            "stream|from()|window().period(1m, 2m)\n"
            "                       ^");
  EXPECT_EQ(Check("stream|from()|alert().stateChangesOnly(1m, 2m)\n"),
            "t.tick:1:23: error: wrong number of arguments to \"stateChangesOnly\" on alert: "
            "expected 0 to 1, got 2\n"
            "stream|from()|alert().stateChangesOnly(1m, 2m)\n"
            "                      ^");
  EXPECT_EQ(Check("stream|from()|eval()\n"),
            "t.tick:1:15: error: wrong number of arguments to \"eval\" on from: expected at least "
            "1, got 0\n"
            "stream|from()|eval()\n"
            "              ^");
}

TEST(CheckerTest, StateChangesOnlyNeedsDuration) {
  EXPECT_EQ(Check("stream|from()|alert().stateChangesOnly(5)\n"),
            "t.tick:1:40: error: invalid argument 1 to \"stateChangesOnly\": expected duration, "
            "found int\n"
            "stream|from()|alert().stateChangesOnly(5)\n"
            "                                       ^");
}

TEST(CheckerTest, UndefinedVar) {
  EXPECT_EQ(Check("var limit = 10\n"
                  "var level = 'x'\n"
                  "stream|from()|alert().crit(lambda: \"v\" > limt)\n"),
            "t.tick:3:42: error: name \"limt\" is undefined. Names in scope: level,limit; did you "
            "mean \"limit\"?\n"
            "stream|from()|alert().crit(lambda: \"v\" > limt)\n"
            "                                         ^");
  EXPECT_EQ(Check("data|alert()\n"),
            "t.tick:1:1: error: name \"data\" is undefined. Names in scope: \n"
            "data|alert()\n"
            "^");
}

TEST(CheckerTest, VarRedefinition) {
  EXPECT_EQ(Check("var x = 1\nvar x = 2\n"),
            "t.tick:2:5: error: attempted to redefine x, vars are immutable\n"
            "var x = 2\n"
            "    ^");
  EXPECT_EQ(Check("var stream = 1\n"),
            "t.tick:1:5: error: attempted to redefine stream, vars are immutable\n"
            "var stream = 1\n"
            "    ^");
}

TEST(CheckerTest, InvalidVarType) {
  EXPECT_EQ(Check("var x number\n"),
            "t.tick:1:7: error: invalid var type \"number\"\n"
            "var x number\n"
            "      ^");
  EXPECT_EQ(Check("var x duration\nstream|from()|window().period(x).every(x)\n"), "ok");
}

TEST(CheckerTest, VarTypesFlowIntoArguments) {
  EXPECT_EQ(Check("var p = 10\nstream|from()|window().period(p)\n"),
            "t.tick:2:31: error: invalid argument 1 to \"period\": expected duration, found int\n"
            "stream|from()|window().period(p)\n"
            "                              ^");
  EXPECT_EQ(Check("var p = 5m * 2\nstream|from()|window().period(p)\n"), "ok");
  EXPECT_EQ(Check("var data = stream|from()\ndata|window().period(1m)\n"), "ok");
}

TEST(CheckerTest, PartitionAlgorithm) {
  EXPECT_EQ(Check("stream|from()|alert().kafka().partitionAlgorithm('crc33')\n"),
            "t.tick:1:50: error: invalid partition algorithm: \"crc33\"; expected one of "
            "\"crc32\", \"murmur2\", \"murmur3\", \"fnv-1a\"; did you mean \"crc32\"?\n"
            "stream|from()|alert().kafka().partitionAlgorithm('crc33')\n"
            "                                                 ^");
  EXPECT_EQ(Check("stream|from()|alert().kafka().partitionHashAlgorithm('sha1')\n"),
            "t.tick:1:54: error: invalid partition algorithm: \"sha1\"; expected one of "
            "\"crc32\", \"murmur2\", \"murmur3\", \"fnv-1a\"\n"
            "stream|from()|alert().kafka().partitionHashAlgorithm('sha1')\n"
            "                                                     ^");
  for (const char* algo : {"crc32", "murmur2", "murmur3", "fnv-1a", ""}) {
    EXPECT_EQ(
        Check(std::string("stream|from()|alert().kafka().partitionAlgorithm('") + algo + "')\n"),
        "ok")
        << algo;
  }
}

TEST(CheckerTest, HandlerPropertiesBelongToTheCurrentHandler) {
  // kafkaTopic after an alert property is no longer on the kafka handler.
  EXPECT_EQ(
      Check("stream|from()|alert().kafka().cluster('a').crit(lambda: TRUE).kafkaTopic('t')\n"),
      "t.tick:1:63: error: no method or property \"kafkaTopic\" on alert\n"
      "stream|from()|alert().kafka().cluster('a').crit(lambda: TRUE).kafkaTopic('t')\n"
      "                                                              ^");
  // A misspelt handler property suggests from the handler's and the alert's names.
  EXPECT_EQ(Check("stream|from()|alert().kafka().kafkaTopik('t')\n"),
            "t.tick:1:31: error: no method or property \"kafkaTopik\" on kafka handler; did you "
            "mean \"kafkaTopic\"?\n"
            "stream|from()|alert().kafka().kafkaTopik('t')\n"
            "                              ^");
  // mode belongs to the log handler, not to kafka.
  EXPECT_EQ(Check("stream|from()|alert().kafka().mode(0644)\n"),
            "t.tick:1:31: error: no method or property \"mode\" on kafka handler; \"mode\" is a "
            "property of the log handler\n"
            "stream|from()|alert().kafka().mode(0644)\n"
            "                              ^");
  // A new handler, and chaining after a handler, work.
  EXPECT_EQ(Check("stream|from()|alert().log('/a.log').mode(0600).kafka().kafkaTopic('t')"
                  "|httpOut('x')\n"),
            "ok");
}

TEST(CheckerTest, DisablePartitionById) {
  EXPECT_EQ(Check("stream|from()|alert().kafka().disablePartitionById()\n"), "ok");
  EXPECT_EQ(Check("stream|from()|alert().kafka().disablePartitionById(FALSE)\n"), "ok");
  EXPECT_EQ(Check("stream|from()|alert().kafka().disablePartitionById('yes')\n"),
            "t.tick:1:52: error: invalid argument 1 to \"disablePartitionById\": expected bool, "
            "found string\n"
            "stream|from()|alert().kafka().disablePartitionById('yes')\n"
            "                                                   ^");
}

// Once names resolve, lambdas and var values go through the lambda engine (interpreter/lambda.h),
// whose static type errors join the other diagnostics.
TEST(CheckerTest, LambdaEngineErrors) {
  EXPECT_EQ(Check("var x = 1 + 1.0\n"
                  "stream|from()|where(lambda: nosuch(\"y\"))\n"),
            "t.tick:1:9: error: mismatched type to binary operator. got int + float. see bool(), "
            "int(), float(), string(), duration()\n"
            "var x = 1 + 1.0\n"
            "        ^\n"
            "t.tick:2:29: error: undefined function: \"nosuch\"\n"
            "stream|from()|where(lambda: nosuch(\"y\"))\n"
            "                            ^");
  CheckOptions no_compile;
  no_compile.compile_lambdas = false;
  EXPECT_EQ(Check("var x = 1 + 1.0\nstream|from()|where(lambda: nosuch(\"y\"))\n", no_compile),
            "ok");
  // Template vars have no value at check time: lambdas using them are not compiled.
  EXPECT_EQ(Check("var t float\nstream|from()|where(lambda: \"v\" > t + 1.0)\n"), "ok");
}

TEST(CheckerTest, LogHandlerPathMustBeAbsolute) {
  EXPECT_EQ(Check("stream|from()|alert().log('alerts.log')\n"),
            "t.tick:1:27: error: alert log path must be absolute: \"alerts.log\" is not absolute\n"
            "stream|from()|alert().log('alerts.log')\n"
            "                          ^");
}

TEST(CheckerTest, FlappingThresholds) {
  EXPECT_EQ(Check("stream|from()|alert().flapping(0.25, 1.5)\n"),
            "t.tick:1:38: error: alert flap thresholds are percentages and should be between 0 "
            "and 1\n"
            "stream|from()|alert().flapping(0.25, 1.5)\n"
            "                                     ^");
}

TEST(CheckerTest, EvalAsAndTags) {
  EXPECT_EQ(Check("stream|from()|eval(lambda: 1, lambda: 2).as('a')\n"),
            "t.tick:1:42: error: must specify same number of expressions and .as() names: got 1 "
            "as names, and 2 expressions\n"
            "stream|from()|eval(lambda: 1, lambda: 2).as('a')\n"
            "                                         ^");
  EXPECT_EQ(Check("stream|from()|eval(lambda: 1)\n"),
            "t.tick:1:14: error: must specify same number of expressions and .as() names: got 0 "
            "as names, and 1 expressions\n"
            "stream|from()|eval(lambda: 1)\n"
            "             ^");
  EXPECT_EQ(Check("stream|from()|eval(lambda: 'x').as('a').tags('b')\n"),
            "t.tick:1:46: error: tag \"b\" is not one of the .as() names\n"
            "stream|from()|eval(lambda: 'x').as('a').tags('b')\n"
            "                                             ^");
  // .as() may come later, on the var holding the node.
  EXPECT_EQ(Check("var e = stream|from()|eval(lambda: 1)\ne.as('x')\n"), "ok");
}

TEST(CheckerTest, UnsupportedFeatures) {
  EXPECT_EQ(Check("batch|query('select 1')\n"),
            "t.tick:1:1: error: batch tasks are not supported by tickrun; use stream\n"
            "batch|query('select 1')\n"
            "^");
  EXPECT_EQ(Check("stream|from()|mean('x').as('m')|alert()\n"),
            "t.tick:1:15: error: the \"mean\" node is not supported by tickrun\n"
            "stream|from()|mean('x').as('m')|alert()\n"
            "              ^");
  EXPECT_EQ(Check("stream|from()|alert().slack().channel('#ops').crit(lambda: TRUE)\n"),
            "t.tick:1:23: error: the \"slack\" alert handler is not supported by tickrun\n"
            "stream|from()|alert().slack().channel('#ops').crit(lambda: TRUE)\n"
            "                      ^");
  EXPECT_EQ(Check("stream|from()@myUDF()\n"),
            "t.tick:1:15: error: no dynamic method \"myUDF\": user-defined functions (UDFs) are "
            "not supported by tickrun\n"
            "stream|from()@myUDF()\n"
            "              ^");
}

TEST(CheckerTest, ListArgumentsAreSpread) {
  EXPECT_EQ(Check("var tags = ['host', 'cpu']\nstream|from().groupBy(tags)\n"), "ok");
  EXPECT_EQ(Check("stream|from().groupBy(['host', *])|groupBy(*).exclude('cpu')\n"), "ok");
  EXPECT_EQ(Check("var d = 1m\nstream|from().groupBy(['host', d])\n"),
            "t.tick:2:32: error: invalid argument 2 to \"groupBy\": expected string or star, "
            "found duration\n"
            "stream|from().groupBy(['host', d])\n"
            "                               ^");
}

TEST(CheckerTest, DefaultAndDelete) {
  EXPECT_EQ(Check("stream|from()|default().field('a', 1).field('b', 'x').tag('t', 'v')"
                  "|delete().field('a').tag('t')\n"),
            "ok");
  EXPECT_EQ(Check("stream|from()|default().field('a', lambda: 1)\n"),
            "t.tick:1:36: error: invalid argument 2 to \"field\": expected int, float, string or "
            "bool, found lambda\n"
            "stream|from()|default().field('a', lambda: 1)\n"
            "                                   ^");
}

TEST(CheckerTest, LogLevel) {
  EXPECT_EQ(Check("stream|from()|log().level('debug').prefix('x')\n"), "ok");
  EXPECT_EQ(Check("stream|from()|log().level('verbose')\n"),
            "t.tick:1:27: error: invalid log level \"verbose\": expected one of \"DEBUG\", "
            "\"INFO\", \"WARN\", \"ERROR\", \"OFF\"\n"
            "stream|from()|log().level('verbose')\n"
            "                          ^");
}

TEST(CheckerTest, KafkaClusters) {
  const std::string script = "stream|from()|alert().kafka().kafkaTopic('t')\n";
  const std::string named = "stream|from()|alert().kafka().cluster('infar').kafkaTopic('t')\n";
  CheckOptions none;
  EXPECT_EQ(Check(script, none), "ok");  // no config: not checked
  EXPECT_EQ(Check(named, none), "ok");

  CheckOptions one;
  one.kafka_clusters = std::vector<std::string>{"infra"};
  EXPECT_EQ(Check(script, one), "ok");
  EXPECT_EQ(Check(named, one),
            "t.tick:1:39: error: unknown cluster \"infar\"; enabled kafka clusters: \"infra\"; "
            "did you mean \"infra\"?\n"
            "stream|from()|alert().kafka().cluster('infar').kafkaTopic('t')\n"
            "                                      ^");
  one.allow_omitted_cluster = false;
  EXPECT_EQ(Check(script, one),
            "t.tick:1:23: error: the kafka handler needs .cluster(): enabled kafka clusters: "
            "\"infra\"\n"
            "stream|from()|alert().kafka().kafkaTopic('t')\n"
            "                      ^");

  CheckOptions two;
  two.kafka_clusters = std::vector<std::string>{"a", "b"};
  EXPECT_EQ(Check(script, two),
            "t.tick:1:23: error: the kafka handler needs .cluster(): enabled kafka clusters: "
            "\"a\", \"b\"\n"
            "stream|from()|alert().kafka().kafkaTopic('t')\n"
            "                      ^");
  EXPECT_EQ(Check("stream|from()|alert().kafka().cluster('b')\n", two), "ok");

  CheckOptions zero;
  zero.kafka_clusters = std::vector<std::string>{};
  EXPECT_EQ(Check(script, zero),
            "t.tick:1:23: error: the kafka handler needs a cluster, but no kafka cluster is "
            "enabled in the configuration\n"
            "stream|from()|alert().kafka().kafkaTopic('t')\n"
            "                      ^");
}

TEST(CheckerTest, DiagnosticsAreSortedAndCappedAtTwenty) {
  std::string text = "stream|from()|alert()\n";
  for (int i = 0; i < 25; ++i) text += "    .zzzz" + std::to_string(i) + "(lambda: TRUE)\n";
  // An end-of-script validation error positioned before all of them.
  text = "var e = stream|from()|eval(lambda: 1)\n" + text;
  absl::StatusOr<ast::Script> script = grammar::ParseScript(text, "t.tick");
  ASSERT_THAT(script, IsOk());
  std::vector<Diagnostic> diags = CheckScriptDiagnostics(*script);
  ASSERT_EQ(diags.size(), kMaxDiagnostics);
  EXPECT_EQ(diags[0].message,
            "must specify same number of expressions and .as() names: got 0 as names, and 1 "
            "expressions");
  for (size_t i = 1; i < diags.size(); ++i) {
    EXPECT_LT(diags[i - 1].offset, diags[i].offset);
    EXPECT_EQ(diags[i].message,
              "no method or property \"zzzz" + std::to_string(i - 1) + "\" on alert");
  }
  absl::Status s = CheckScript(*script);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("t.tick:1:22: error")));
  // 20 diagnostics of 3 lines each.
  const std::string message(Sv(s.message()));
  EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 20 * 3 - 1);
  EXPECT_EQ(message.rfind("t.tick:21:"), message.find("t.tick:21:"));
  EXPECT_EQ(message.find("t.tick:22:"), std::string::npos);
}

TEST(CheckerTest, SourceLocationPayload) {
  absl::StatusOr<ast::Script> script =
      grammar::ParseScript("stream\n  |from()\n  .foo()\n", "t.tick");
  ASSERT_THAT(script, IsOk());
  absl::Status s = CheckScript(*script);
  ASSERT_FALSE(s.ok());
  auto payload = s.GetPayload("tick/source-location");
  ASSERT_TRUE(payload.has_value());
  EXPECT_EQ(std::string(*payload), "3:4");
}

// Each scripts/bad/NAME.tick has its exact expected diagnostics in scripts/bad/NAME.err.
TEST(CheckerTest, BadScriptsCorpus) {
  namespace fs = std::filesystem;
  int n = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(TICK_SOURCE_DIR) / "scripts/bad")) {
    if (entry.path().extension() != ".tick") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    fs::path err = entry.path();
    err.replace_extension(".err");
    std::ifstream ein(err);
    ASSERT_TRUE(ein) << err;
    std::stringstream expected;
    expected << ein.rdbuf();
    const std::string rel = "scripts/bad/" + entry.path().filename().string();
    absl::StatusOr<ast::Script> script = grammar::ParseScript(text.str(), rel);
    ASSERT_THAT(script, IsOk()) << rel;
    absl::Status s = CheckScript(*script);
    EXPECT_EQ(std::string(Sv(s.message())) + "\n", expected.str()) << rel;
    ++n;
  }
  EXPECT_GE(n, 3);
}

TEST(NodeSpecTest, Table) {
  const NodeSpec& alert = GetNodeSpec(NodeKind::kAlert);
  EXPECT_EQ(alert.name, "alert");
  const MethodSpec* crit = FindProperty(alert, "crit");
  ASSERT_NE(crit, nullptr);
  EXPECT_EQ(crit->kind, MethodKind::kProperty);
  EXPECT_EQ(crit->args, std::vector<ArgKind>{ArgKind::kLambda});
  const MethodSpec* kafka = FindProperty(alert, "kafka");
  ASSERT_NE(kafka, nullptr);
  EXPECT_EQ(kafka->kind, MethodKind::kHandler);
  EXPECT_EQ(kafka->result, NodeKind::kKafkaHandler);
  // `.log(path)` is the log handler, `|log()` the log node.
  EXPECT_EQ(FindProperty(alert, "log")->result, NodeKind::kLogHandler);
  EXPECT_EQ(FindChainMethod(alert, "log")->result, NodeKind::kLog);
  EXPECT_EQ(FindChainMethod(GetNodeSpec(NodeKind::kStream), "from")->result, NodeKind::kFrom);
  EXPECT_EQ(FindChainMethod(GetNodeSpec(NodeKind::kStream), "window"), nullptr);
  const NodeSpec& k = GetNodeSpec(NodeKind::kKafkaHandler);
  EXPECT_TRUE(k.is_handler);
  EXPECT_EQ(FindProperty(k, "partitionHashAlgorithm")->alias_of, "partitionAlgorithm");
  EXPECT_EQ(FindProperty(k, "crit"), nullptr);
  EXPECT_FALSE(FindChainMethod(GetNodeSpec(NodeKind::kFrom), "mean")->supported);
  for (int i = 0; i <= static_cast<int>(NodeKind::kUnsupported); ++i) {
    EXPECT_EQ(static_cast<int>(GetNodeSpec(static_cast<NodeKind>(i)).kind), i);
  }
}

TEST(NodeSpecTest, NearestName) {
  EXPECT_EQ(EditDistance("critt", "crit"), 1);
  EXPECT_EQ(EditDistance("", "abc"), 3);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);
  const std::vector<std::string_view> names = {"crit", "warn", "info", "window"};
  EXPECT_EQ(NearestName("critt", names), "crit");
  EXPECT_EQ(NearestName("CRIT", names), "crit");
  EXPECT_EQ(NearestName("widnow", names), "window");
  EXPECT_EQ(NearestName("zzz", names), "");
  EXPECT_EQ(NearestName("wa", names), "");  // too short for distance 2
}

}  // namespace
}  // namespace tick::interp
