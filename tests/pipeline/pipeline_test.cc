// Unit tests of the task builder and the pipeline nodes: from filters and dimensions, where,
// eval (as/keep/tags), groupBy, default, delete, slot binding, error counting and rate-limited
// error logs, dbrp filtering, the log handler.
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grammar/parser.h"
#include "gtest/gtest.h"
#include "interpreter/task_builder.h"
#include "nodes/line_protocol.h"
#include "nodes/log_handler.h"
#include "nodes/pipeline_internal.h"
#include "nodes/tickrun.h"
#include "tests/testing/status_matchers.h"

namespace tick::nodes {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::SizeIs;
using ::tick::testing::StatusIs;

// Runs `script` over `lp` (second precision) and records events, forwarded points of a final
// |log() node and other log lines.
struct RunOutput {
  std::vector<std::string> events;  // "ID LEVEL"
  std::vector<std::string> json;
  std::vector<std::string> logs;
  TaskStats stats;
};

RunOutput RunScript(const std::string& script, const std::string& lp,
                    std::function<absl::Time()> clock = {}) {
  RunOutput r;
  CompileOptions co;
  co.task_name = "t";
  co.log = [&](std::string_view line) { r.logs.emplace_back(line); };
  auto task =
      TickTask::Compile(script, "t.tick", co, [&](const AlertEventData& e, std::string_view json) {
        r.events.push_back(std::string(e.id) + " " + std::string(AlertLevelName(e.level)));
        r.json.emplace_back(json);
      });
  EXPECT_TRUE(task.ok()) << task.status();
  if (!task.ok()) return r;
  (void)clock;
  ReaderOptions ro;
  ro.precision = Precision::kSecond;
  std::vector<std::string> errors;
  (*task)->PushLineProtocol(lp, ro, &errors);
  EXPECT_THAT(errors, IsEmpty());
  EXPECT_TRUE((*task)->Close().ok());
  r.stats = (*task)->stats();
  return r;
}

absl::Status CompileError(const std::string& script) {
  CompileOptions co;
  auto task = TickTask::Compile(script, "t.tick", co, nullptr);
  return task.status();
}

// ---- builder --------------------------------------------------------------------------------

TEST(TaskBuilder, NamesVarChainsAndForks) {
  auto parsed = grammar::ParseScript(
      "var data = stream|from().measurement('cpu')\n"
      "data|where(lambda: TRUE)|alert().crit(lambda: TRUE)\n"
      "data|eval(lambda: 1).as('x')|log()\n",
      "t.tick");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  interp::TaskBuildOptions opts;
  opts.task_name = "t";
  auto spec = interp::BuildTaskSpec(*parsed, opts);
  ASSERT_TRUE(spec.ok()) << spec.status();
  std::vector<std::string> names;
  for (const auto& n : spec->nodes) names.push_back(n.name);
  EXPECT_THAT(names, ElementsAre("stream0", "from1", "where2", "alert3", "eval4", "log5"));
  EXPECT_THAT(spec->nodes[1].children, ElementsAre(2, 4));
  EXPECT_EQ(spec->nodes[3].alert.id.text, "{{ .Name }}:{{ .Group }}");
  EXPECT_TRUE(spec->nodes[3].alert.id.is_default);
}

TEST(TaskBuilder, UnsupportedNodesAreClearErrors) {
  EXPECT_THAT(CompileError("stream|from()|window().period(1m).every(1m)"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("the \"window\" node is not supported by tickrun")));
}

TEST(TaskBuilder, TemplateErrorPointsIntoTheStringLiteral) {
  const absl::Status s =
      CompileError("stream|from()|alert()\n  .id('x {{ .Name ')\n  .crit(lambda: TRUE)\n");
  ASSERT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
  EXPECT_EQ(std::string(s.message()),
            "t.tick:2:19: error: template: id:1: unclosed action\n"
            "  .id('x {{ .Name ')\n"
            "                  ^");
  // Offsets inside the literal account for the \' escape.
  const absl::Status esc =
      CompileError("stream|from()|alert()\n  .message('a\\'b {{ .Foo }')\n  .crit(lambda: TRUE)\n");
  EXPECT_THAT(std::string(esc.message()),
              ::testing::StartsWith(
                  "t.tick:2:26: error: template: message:1: unexpected \"}\" in operand"));
}

TEST(TaskBuilder, EvalAsCountMustMatch) {
  EXPECT_THAT(CompileError("stream|from()|eval(lambda: 1, lambda: 2).as('a')"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("as")));
}

// ---- helpers --------------------------------------------------------------------------------

TEST(GoTime, TruncateAndRoundAreRelativeToYearOne) {
  using internal::GoRound;
  using internal::GoTruncate;
  const int64_t s = 1'000'000'000;
  EXPECT_EQ(GoTruncate(17 * s + 5, 10 * s), 10 * s);
  EXPECT_EQ(GoRound(15 * s, 10 * s), 20 * s);  // halfway rounds up
  EXPECT_EQ(GoRound(14 * s, 10 * s), 10 * s);
  // 7s does not divide 62135596800s: alignment is relative to 0001-01-01, not the epoch.
  // 62135596800 mod 7 = 4, so boundaries sit at 3s, 10s, 17s, ... after the epoch.
  EXPECT_EQ(GoTruncate(9 * s, 7 * s), 3 * s);
  EXPECT_EQ(GoTruncate(-1 * s, 7 * s), -4 * s);
}

TEST(SlotBinder, TimeFieldTagMissingAndConflict) {
  auto parsed = grammar::ParseScript(
      "stream|from()|where(lambda: \"time\" > 0 AND \"f\" > 0 AND \"t\" == 'x' AND \"m\" > 0)",
      "t.tick");
  ASSERT_TRUE(parsed.ok());
  interp::TaskBuildOptions opts;
  auto spec = interp::BuildTaskSpec(*parsed, opts);
  ASSERT_TRUE(spec.ok()) << spec.status();
  const interp::CompiledLambda& l = spec->nodes[2].where_spec.predicate;
  ASSERT_THAT(l.slot_names(), ElementsAre("time", "f", "t", "m"));
  internal::SlotBinder b(l);
  auto p = ParsePointLine("cpu,t=x f=1.5 7");
  ASSERT_TRUE(p.ok());
  interp::Value err;
  ASSERT_TRUE(b.Bind(*p, &err));
  EXPECT_EQ(b.slots()[0], interp::Value::Time(7));
  EXPECT_EQ(b.slots()[1], interp::Value::Float(1.5));
  EXPECT_EQ(b.slots()[2].string_value(), "x");
  EXPECT_TRUE(b.slots()[3].is_missing());
  auto conflict = ParsePointLine("cpu,f=y f=1.5 7");
  ASSERT_TRUE(conflict.ok());
  EXPECT_FALSE(b.Bind(*conflict, &err));
  EXPECT_EQ(internal::FormatLambdaError(l, err), "cannot have field and tags with same name \"f\"");
}

// ---- nodes ----------------------------------------------------------------------------------

TEST(FromNode, FiltersDatabaseMeasurementAndAndedWheres) {
  RunOutput r = RunScript(
      "stream|from().database('db').measurement('cpu').where(lambda: \"v\" > 1)"
      ".where(lambda: \"v\" < 10)|log()",
      "cpu v=5 1\n");
  // The point has no database (no dbrp in the script): filtered by .database('db').
  EXPECT_THAT(r.logs, IsEmpty());
  RunOutput r2 = RunScript(
      "dbrp \"db\".\"rp\"\n"
      "stream|from().database('db').measurement('cpu').where(lambda: \"v\" > 1)"
      ".where(lambda: \"v\" < 10)|log()",
      "cpu v=5 1\ncpu v=50 2\nmem v=5 3\ncpu v=0.5 4\n");
  EXPECT_THAT(r2.logs, ElementsAre("log2: INFO group=nil db.rp cpu v=5.0 1000000000"));
}

TEST(FromNode, GroupByStarExcludeAndByMeasurementSetTheGroup) {
  RunOutput r = RunScript(
      "stream|from().groupBy(*).groupByMeasurement()|groupBy(*).exclude('b').byMeasurement()"
      "|log()\nstream|from().groupBy('b', 'a')|log().prefix('P')",
      "cpu,b=2,a=1 v=1 1\n");
  EXPECT_THAT(r.logs,
              ElementsAre("log3: INFO group=cpu\na=1 \"\".\"\" cpu,a=1,b=2 v=1.0 1000000000",
                          "log5: INFO P group=a=1,b=2 \"\".\"\" cpu,a=1,b=2 v=1.0 1000000000"));
}

TEST(FromNode, TruncateRewritesTime) {
  RunOutput r = RunScript("stream|from().truncate(10s)|log()", "cpu v=1 17\n");
  EXPECT_THAT(r.logs, ElementsAre("log2: INFO group=nil \"\".\"\" cpu v=1.0 10000000000"));
}

TEST(WhereNode, DropsFalseAndErrorsAndCountsErrors) {
  RunOutput r = RunScript("stream|from()|where(lambda: \"v\" > 2)|log()",
                          "cpu v=1 1\ncpu v=3 2\ncpu w=3 3\n");
  ASSERT_THAT(r.logs, SizeIs(2));
  EXPECT_EQ(r.logs[0], "log3: INFO group=nil \"\".\"\" cpu v=3.0 2000000000");
  EXPECT_EQ(r.logs[1],
            "t.tick:1:21: where2: error while evaluating expression: left reference value "
            "\"v\" is missing value");
  EXPECT_EQ(r.stats.errors, 1u);
  EXPECT_THAT(r.stats.errors_by_kind, ElementsAre(Pair("missing value", 1)));
}

TEST(WhereNode, FieldTagConflictIsAnError) {
  RunOutput r = RunScript("stream|from()|where(lambda: \"f\" > 0)|log()", "cpu,f=y f=1 1\n");
  EXPECT_THAT(r.logs, ElementsAre("t.tick:1:21: where2: error while evaluating expression: "
                                  "cannot have field and tags with same name \"f\""));
  EXPECT_THAT(r.stats.errors_by_kind, ElementsAre(Pair("field/tag conflict", 1)));
}

TEST(EvalNode, AsTagsAndDefaultFieldReplacement) {
  RunOutput r = RunScript(
      "stream|from()|eval(lambda: \"v\" * 2.0, lambda: \"h\" + '!', lambda: \"d\" + 1.0)"
      ".as('d', 'ht', 'e').tags('ht')|log()",
      "cpu,h=x v=2,w=7 1\n");
  // Without .keep() only the as-names survive; "e" reads the earlier result "d".
  EXPECT_THAT(r.logs,
              ElementsAre("log3: INFO group=nil \"\".\"\" cpu,h=x,ht=x! d=4.0,e=5.0 1000000000"));
}

TEST(EvalNode, KeepAllAndKeepList) {
  RunOutput all =
      RunScript("stream|from()|eval(lambda: \"v\" * 2.0).as('d').keep()|log()", "cpu v=2,w=7 1\n");
  EXPECT_THAT(all.logs,
              ElementsAre("log3: INFO group=nil \"\".\"\" cpu d=4.0,v=2.0,w=7.0 1000000000"));
  RunOutput some = RunScript("stream|from()|eval(lambda: \"v\" * 2.0).as('d').keep('d', 'w')|log()",
                             "cpu v=2,w=7 1\n");
  EXPECT_THAT(some.logs, ElementsAre("log3: INFO group=nil \"\".\"\" cpu d=4.0,w=7.0 1000000000"));
  RunOutput missing = RunScript(
      "stream|from()|eval(lambda: \"v\" * 2.0).as('d').keep('d', 'z')|log()", "cpu v=2,w=7 1\n");
  EXPECT_THAT(missing.logs,
              ElementsAre(HasSubstr("eval2: cannot keep field \"z\", field does not exist")));
}

TEST(EvalNode, ErrorsDropThePoint) {
  RunOutput r =
      RunScript("stream|from()|eval(lambda: \"v\" / 0).as('d')|log()", "cpu v=2i 1\ncpu v=4.0 2\n");
  ASSERT_THAT(r.logs, SizeIs(2));
  EXPECT_THAT(r.logs[0], HasSubstr("runtime error: integer divide by zero"));
  // The second error comes within a second of the first: counted, reported at Close.
  EXPECT_EQ(r.logs[1], "eval2: 1 similar errors suppressed");
  EXPECT_EQ(r.stats.errors_by_kind.at("division by zero"), 1u);
  EXPECT_EQ(r.stats.errors_by_kind.at("type error"), 1u);
}

TEST(DefaultAndDelete, FillAbsentAndRemove) {
  RunOutput r = RunScript(
      "stream|from().groupBy('r', 'h')|default().field('x', 1).field('v', 9.5).tag('dc', 'none')"
      "|delete().field('w').tag('r')|log()",
      "cpu,h=a,r=1 v=2,w=3 1\n");
  EXPECT_THAT(r.logs,
              ElementsAre("log4: INFO group=h=a \"\".\"\" cpu,dc=none,h=a v=2.0,x=1i 1000000000"));
}

TEST(Dbrp, PointsOfOtherDatabasesAreSkipped) {
  CompileOptions co;
  std::vector<std::string> ids;
  auto task = TickTask::Compile(
      "dbrp \"db\".\"rp\"\nstream|from()|alert().crit(lambda: TRUE)", "t.tick", co,
      [&](const AlertEventData& e, std::string_view) { ids.emplace_back(e.id); });
  ASSERT_TRUE(task.ok()) << task.status();
  ReaderOptions other;
  other.database = "other";
  other.retention_policy = "rp";
  (*task)->PushLineProtocol("cpu v=1 1\n", other);
  (*task)->PushLineProtocol("cpu v=1 2\n");  // gets the task's dbrp
  EXPECT_THAT(ids, ElementsAre("cpu:nil"));
  EXPECT_EQ((*task)->stats().skipped_dbrp, 1u);
}

TEST(ErrorLog, RateLimitedWithSuppressedCount) {
  absl::Time now = absl::FromUnixSeconds(100);
  CompileOptions co;
  std::vector<std::string> logs;
  co.log = [&](std::string_view l) { logs.emplace_back(l); };
  // TickTask does not expose the clock; use the Task layer directly.
  auto parsed = grammar::ParseScript("stream|from()|where(lambda: \"v\" > 1)", "t.tick");
  ASSERT_TRUE(parsed.ok());
  auto spec = interp::BuildTaskSpec(*parsed, {});
  ASSERT_TRUE(spec.ok());
  TaskOptions to;
  to.log = co.log;
  to.clock = [&] { return now; };
  auto task = Task::Create(std::move(*spec), std::move(to));
  ASSERT_TRUE(task.ok());
  auto p = ParsePointLine("cpu w=1 1");
  ASSERT_TRUE(p.ok());
  (*task)->Process(*p);  // logged
  now += absl::Milliseconds(300);
  (*task)->Process(*p);  // suppressed
  (*task)->Process(*p);  // suppressed
  now += absl::Milliseconds(800);
  (*task)->Process(*p);  // logged with the count
  (*task)->Process(*p);  // suppressed, reported at Close
  ASSERT_TRUE((*task)->Close(absl::Seconds(1)).ok());
  const std::string msg =
      "t.tick:1:21: where2: error while evaluating expression: left reference value \"v\" is "
      "missing value";
  EXPECT_THAT(logs, ElementsAre(msg, msg + " (2 similar suppressed)",
                                "where2: 1 similar errors suppressed"));
  EXPECT_EQ((*task)->Stats().errors, 5u);
}

TEST(LogHandler, AppendsJsonLinesWithMode) {
  const std::string path =
      (std::filesystem::temp_directory_path() / "tickrun_log_handler_test.log").string();
  std::filesystem::remove(path);
  CompileOptions co;
  auto task = TickTask::Compile(
      "stream|from()|alert().crit(lambda: \"v\" > 1).details('').log('" + path + "')", "t.tick", co,
      nullptr);
  ASSERT_TRUE(task.ok()) << task.status();
  (*task)->PushLineProtocol("cpu v=2 1000000000\ncpu v=0 2000000000\n");
  ASSERT_TRUE((*task)->Close().ok());
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(),
            "{\"id\":\"cpu:nil\",\"message\":\"cpu:nil is CRITICAL\",\"details\":\"\",\"time\":"
            "\"1970-01-01T00:00:01Z\",\"duration\":0,\"level\":\"CRITICAL\",\"data\":{\"series\":"
            "[{\"name\":\"cpu\",\"columns\":[\"time\",\"v\"],\"values\":[[\"1970-01-01T00:00:01Z\","
            "2]]}]},\"previousLevel\":\"OK\",\"recoverable\":true}\n"
            "{\"id\":\"cpu:nil\",\"message\":\"cpu:nil is OK\",\"details\":\"\",\"time\":"
            "\"1970-01-01T00:00:02Z\",\"duration\":1000000000,\"level\":\"OK\",\"data\":{"
            "\"series\":[{\"name\":\"cpu\",\"columns\":[\"time\",\"v\"],\"values\":[["
            "\"1970-01-01T00:00:02Z\",0]]}]},\"previousLevel\":\"CRITICAL\",\"recoverable\":true}"
            "\n");
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::filesystem::remove(path);
}

TEST(LogHandler, RelativePathIsRejected) {
  interp::HandlerSpec spec;
  spec.kind = "log";
  spec.options.push_back({"path", std::string("rel.log"), {}});
  EXPECT_THAT(CreateLogHandler(spec).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("log handler path must be absolute, got \"rel.log\"")));
}

}  // namespace
}  // namespace tick::nodes
