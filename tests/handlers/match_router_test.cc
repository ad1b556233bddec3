// Match expressions (level thresholds, changed(), tag matches, missing tags, the alert
// functions) and the topic router (order, match skipping, counts, summary).
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nodes/alert_event.h"
#include "nodes/match_expr.h"
#include "nodes/topic_router.h"
#include "tests/testing/status_matchers.h"

namespace tick::nodes {
namespace {

using tick::testing::IsOk;
using tick::testing::StatusIs;

struct Ev {
  std::vector<AlertTag> tags{{"host", "serverA"}, {"region", "us-west"}};
  AlertEventData data;
  Ev(AlertLevel level, AlertLevel prev, std::string_view id = "cpu:nil") {
    data.id = id;
    data.level = level;
    data.previous_level = prev;
    data.name = "cpu";
    data.duration_ns = 90'000'000'000;  // 1m30s
    data.tags = tags;
  }
};

bool Match(std::string_view expr, const Ev& e, std::string_view task = "cpu_alert") {
  absl::StatusOr<MatchExpr> m = MatchExpr::Compile(expr);
  EXPECT_THAT(m.status(), IsOk()) << expr;
  if (!m.ok()) return false;
  absl::StatusOr<bool> r = m->Matches(e.data, task);
  EXPECT_THAT(r.status(), IsOk()) << expr;
  return r.ok() && *r;
}

std::string CompileError(std::string_view expr) {
  absl::StatusOr<MatchExpr> m = MatchExpr::Compile(expr);
  return m.ok() ? "ok" : std::string(m.status().message());
}

TEST(MatchExpr, LevelThresholds) {
  const Ev ok(AlertLevel::kOK, AlertLevel::kCritical);
  const Ev info(AlertLevel::kInfo, AlertLevel::kOK);
  const Ev warn(AlertLevel::kWarning, AlertLevel::kOK);
  const Ev crit(AlertLevel::kCritical, AlertLevel::kCritical);
  EXPECT_FALSE(Match("level() >= WARNING", ok));
  EXPECT_FALSE(Match("level() >= WARNING", info));
  EXPECT_TRUE(Match("level() >= WARNING", warn));
  EXPECT_TRUE(Match("level() >= WARNING", crit));
  EXPECT_TRUE(Match("level() == OK", ok));
  EXPECT_TRUE(Match("level() == INFO", info));
  EXPECT_TRUE(Match("level() < CRITICAL AND level() > OK", warn));
  EXPECT_FALSE(Match("level() < CRITICAL AND level() > OK", crit));
  EXPECT_TRUE(Match("level() == 3", crit));
}

TEST(MatchExpr, Changed) {
  EXPECT_TRUE(Match("changed()", Ev(AlertLevel::kOK, AlertLevel::kCritical)));
  EXPECT_FALSE(Match("changed()", Ev(AlertLevel::kCritical, AlertLevel::kCritical)));
  EXPECT_TRUE(Match("changed() == TRUE", Ev(AlertLevel::kWarning, AlertLevel::kOK)));
  EXPECT_TRUE(Match("level() == CRITICAL AND !changed()",
                    Ev(AlertLevel::kCritical, AlertLevel::kCritical)));
  EXPECT_FALSE(
      Match("level() == CRITICAL AND changed()", Ev(AlertLevel::kCritical, AlertLevel::kCritical)));
}

TEST(MatchExpr, TagsAndFunctions) {
  const Ev e(AlertLevel::kCritical, AlertLevel::kOK);
  EXPECT_TRUE(Match("\"host\" == 'serverA'", e));
  EXPECT_FALSE(Match("\"host\" == 'serverB'", e));
  EXPECT_TRUE(Match("\"region\" =~ /^us-/ AND level() >= WARNING", e));
  EXPECT_TRUE(Match("name() == 'cpu'", e));
  EXPECT_TRUE(Match("taskName() == 'cpu_alert'", e));
  EXPECT_FALSE(Match("taskName() == 'cpu_alert'", e, "other"));
  EXPECT_TRUE(Match("alertDuration() > 1m", e));
  EXPECT_FALSE(Match("alertDuration() > 2m", e));
  EXPECT_TRUE(Match("duration() == 90s", e));         // Kapacitor's own spelling
  EXPECT_TRUE(Match("strLength(\"host\") == 7", e));  // lambda built-ins work
}

TEST(MatchExpr, MissingTagIsAnEvaluationError) {
  absl::StatusOr<MatchExpr> m = MatchExpr::Compile("\"dc\" == 'a' OR level() == CRITICAL");
  ASSERT_THAT(m.status(), IsOk());
  const Ev e(AlertLevel::kCritical, AlertLevel::kOK);
  EXPECT_THAT(m->Matches(e.data, "t").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "no tag exists for dc"));
}

TEST(MatchExpr, CompileErrors) {
  EXPECT_EQ(CompileError("level() >= WARN"), "unknown identifier \"WARN\"");
  EXPECT_EQ(CompileError("level(1) > 0"), "level takes no arguments");
  EXPECT_EQ(CompileError("changed(TRUE)"), "changed takes no arguments");
  EXPECT_EQ(CompileError("level() >"),
            "invalid match expression: 1:10: expected an expression after '>'");
  EXPECT_THAT(CompileError("nosuch() > 1"),
              ::testing::StartsWith("invalid match expression: 1:1: "));
}

TEST(MatchExpr, NonBooleanResultIsAnError) {
  absl::StatusOr<MatchExpr> m = MatchExpr::Compile("level()");
  ASSERT_THAT(m.status(), IsOk());
  const Ev e(AlertLevel::kCritical, AlertLevel::kOK);
  EXPECT_FALSE(m->Matches(e.data, "t").ok());
}

// Records what it receives.
class Recorder final : public AlertHandler {
 public:
  Recorder(std::string tag, std::vector<std::string>* log) : tag_(std::move(tag)), log_(log) {}
  void Handle(const AlertEventData& event, std::string_view json) override {
    ++events_;
    log_->push_back(tag_ + ":" + std::string(event.id) + ":" + std::string(json));
  }
  absl::Status Close(absl::Duration) override {
    closed_ = true;
    return absl::OkStatus();
  }
  HandlerStats stats() const override { return {events_, events_, 0}; }
  std::string name() const override { return "rec(" + tag_ + ")"; }
  bool closed_ = false;

 private:
  std::string tag_;
  std::vector<std::string>* log_;
  uint64_t events_ = 0;
};

TEST(TopicRouter, DispatchesInHandlerOrderBehindMatch) {
  std::vector<std::string> log;
  std::vector<std::string> errors;
  TopicRouter router("cpu_alert", [&](std::string_view l) { errors.emplace_back(l); });
  router.AddHandler("cpu", "all", std::make_unique<Recorder>("all", &log), std::nullopt);
  router.AddHandler("cpu", "crit", std::make_unique<Recorder>("crit", &log),
                    *MatchExpr::Compile("level() == CRITICAL"));
  router.AddHandler("cpu", "dc", std::make_unique<Recorder>("dc", &log),
                    *MatchExpr::Compile("\"dc\" == 'x'"));
  router.AddHandler("mem", "m", std::make_unique<Recorder>("m", &log), std::nullopt);

  const Ev crit(AlertLevel::kCritical, AlertLevel::kOK, "cpu:a");
  const Ev ok(AlertLevel::kOK, AlertLevel::kCritical, "cpu:a");
  router.Publish("cpu", crit.data, "J1\n");
  router.Publish("cpu", ok.data, "J2\n");
  router.Publish("disk", ok.data, "J3\n");
  EXPECT_THAT(log, ::testing::ElementsAre("all:cpu:a:J1\n", "crit:cpu:a:J1\n", "all:cpu:a:J2\n"));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0],
            "topic \"cpu\" handler \"dc\": failed to evaluate match expression for alert "
            "\"cpu:a\": no tag exists for dc");
  ASSERT_THAT(router.Close(absl::Seconds(1)), IsOk());

  std::vector<TopicSummary> topics = router.topics();
  ASSERT_EQ(topics.size(), 3u);
  EXPECT_EQ(topics[0].topic, "cpu");
  EXPECT_EQ(topics[0].events, 2u);
  EXPECT_EQ(topics[1].topic, "mem");
  EXPECT_EQ(topics[1].events, 0u);
  EXPECT_EQ(topics[2].topic, "disk");
  EXPECT_EQ(topics[2].events, 1u);
  EXPECT_EQ(router.FormatSummary(),
            "topic \"cpu\": 2 events\n"
            "  handler \"all\" rec(all): 2 matched, 0 not matched, 0 match errors, 2 delivered, "
            "0 failed\n"
            "  handler \"crit\" rec(crit): 1 matched, 1 not matched, 0 match errors, 1 delivered, "
            "0 failed\n"
            "  handler \"dc\" rec(dc): 0 matched, 0 not matched, 2 match errors, 0 delivered, 0 "
            "failed\n"
            "topic \"mem\": 0 events\n"
            "  handler \"m\" rec(m): 0 matched, 0 not matched, 0 match errors, 0 delivered, 0 "
            "failed\n"
            "topic \"disk\": 1 events\n");
}

}  // namespace
}  // namespace tick::nodes
