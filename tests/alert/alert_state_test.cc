// Tests for AlertState (history, changed, flapping, stateChangesOnly, noRecoveries, durations)
// and AlertTopic (previousLevel), driven through sequences taken from Kapacitor's
// integrations/streamer_test.go TestStream_Alert* tests.
#include "nodes/alert_state.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <random>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nodes/alert_topics.h"

namespace tick::nodes {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using Outcome = AlertStep::Outcome;

constexpr AlertLevel kOK = AlertLevel::kOK;
constexpr AlertLevel kInfo = AlertLevel::kInfo;
constexpr AlertLevel kWarn = AlertLevel::kWarning;
constexpr AlertLevel kCrit = AlertLevel::kCritical;

constexpr int64_t kSecond = 1'000'000'000;
// 1971-01-01T00:00:00Z, the time Kapacitor's integration tests rebase their data to.
constexpr int64_t k1971 = 31'536'000 * kSecond;

// Threshold lambdas over one float "value", as the Kapacitor tests script them.
using Pred = std::function<bool(double)>;

struct Thresholds {
  Pred level[kNumAlertLevels];
  Pred reset[kNumAlertLevels];
};

class ValueEvaluator final : public LevelEvaluator {
 public:
  ValueEvaluator(const Thresholds* t, double v) : t_(t), v_(v) {}
  bool HasLevel(AlertLevel l) const override { return bool(t_->level[static_cast<int>(l)]); }
  bool HasReset(AlertLevel l) const override { return bool(t_->reset[static_cast<int>(l)]); }
  LevelTruth EvalLevel(AlertLevel l) override {
    return t_->level[static_cast<int>(l)](v_) ? LevelTruth::kTrue : LevelTruth::kFalse;
  }
  LevelTruth EvalReset(AlertLevel l) override {
    return t_->reset[static_cast<int>(l)](v_) ? LevelTruth::kTrue : LevelTruth::kFalse;
  }

 private:
  const Thresholds* t_;
  double v_;
};

// What the alert node hands to its handlers for one event.
struct Event {
  int64_t t;  // seconds after 1971-01-01
  AlertLevel level;
  int64_t duration_s;
  AlertLevel previous;
  friend bool operator==(const Event&, const Event&) = default;
  friend std::ostream& operator<<(std::ostream& os, const Event& e) {
    return os << "{t=" << e.t << " " << AlertLevelName(e.level) << " d=" << e.duration_s
              << " prev=" << AlertLevelName(e.previous) << "}";
  }
};

// One group of one alert node: DetermineLevel + AlertState + the anonymous topic.
class Harness {
 public:
  Harness(Thresholds t, AlertStateOptions o) : t_(std::move(t)), state_(o) {}

  // Feeds value `v` at `t_s` seconds after 1971-01-01; returns the step.
  AlertStep Feed(int64_t t_s, double v) {
    ValueEvaluator e(&t_, v);
    const AlertLevel l = DetermineLevel(state_.current_level(), e);
    const int64_t t = k1971 + t_s * kSecond;
    AlertStep step = state_.StepPoint(t, l);
    if (step.emit()) {
      const AlertLevel prev = topic_.Collect("id", step.level, t);
      events_.push_back({t_s, step.level, step.duration_ns / kSecond, prev});
    }
    outcomes_.push_back(step.outcome);
    return step;
  }
  void FeedAll(const std::vector<double>& values) {
    for (size_t i = 0; i < values.size(); ++i) Feed(static_cast<int64_t>(i), values[i]);
  }

  const std::vector<Event>& events() const { return events_; }
  const std::vector<Outcome>& outcomes() const { return outcomes_; }
  const AlertState& state() const { return state_; }

 private:
  Thresholds t_;
  AlertState state_;
  AlertTopic topic_{"anon"};
  std::vector<Event> events_;
  std::vector<Outcome> outcomes_;
};

Pred Gt(double x) {
  return [x](double v) { return v > x; };
}
Pred Ge(double x) {
  return [x](double v) { return v >= x; };
}
Pred Lt(double x) {
  return [x](double v) { return v < x; };
}

Thresholds InfoWarnCrit(Pred info, Pred warn, Pred crit) {
  Thresholds t;
  t.level[1] = std::move(info);
  t.level[2] = std::move(warn);
  t.level[3] = std::move(crit);
  return t;
}

// ---------------------------------------------------------------------------------------------
// Sequences from Kapacitor's integration tests.

// TestStream_Alert_WithReset_0 (data of serverA, times rebased to 1971-01-01T00:00:00Z).
TEST(AlertSequenceTest, KapacitorWithReset0) {
  Thresholds t = InfoWarnCrit(Gt(40), Gt(60), Gt(80));
  t.reset[1] = Lt(10);
  t.reset[2] = Lt(20);
  t.reset[3] = Lt(30);
  Harness h(std::move(t), {});
  h.FeedAll({45, 40, 30, 9, 45, 61, 30, 19, 45, 61, 81, 29});
  EXPECT_THAT(
      h.events(),
      ElementsAre(Event{0, kInfo, 0, kOK}, Event{1, kInfo, 1, kInfo}, Event{2, kInfo, 2, kInfo},
                  Event{3, kOK, 3, kInfo}, Event{4, kInfo, 0, kOK}, Event{5, kWarn, 1, kInfo},
                  Event{6, kWarn, 2, kWarn}, Event{7, kOK, 3, kWarn}, Event{8, kInfo, 0, kOK},
                  Event{9, kWarn, 1, kInfo}, Event{10, kCrit, 2, kWarn}, Event{11, kOK, 3, kCrit}));
}

// TestStream_Alert_WithReset_1 (TestStream_Alert_WithReset_1.srpl, serverA).
TEST(AlertSequenceTest, KapacitorWithReset1) {
  Thresholds t = InfoWarnCrit(Gt(40), Gt(60), Gt(80));
  t.reset[1] = Lt(30);
  t.reset[2] = Lt(50);
  t.reset[3] = Lt(70);
  Harness h(std::move(t), {});
  h.FeedAll({45, 40, 30, 29, 45, 61, 49, 29, 45, 61, 81, 69, 50, 41, 25});
  EXPECT_THAT(
      h.events(),
      ElementsAre(Event{0, kInfo, 0, kOK}, Event{1, kInfo, 1, kInfo}, Event{2, kInfo, 2, kInfo},
                  Event{3, kOK, 3, kInfo}, Event{4, kInfo, 0, kOK}, Event{5, kWarn, 1, kInfo},
                  Event{6, kInfo, 2, kWarn}, Event{7, kOK, 3, kInfo}, Event{8, kInfo, 0, kOK},
                  Event{9, kWarn, 1, kInfo}, Event{10, kCrit, 2, kWarn}, Event{11, kWarn, 3, kCrit},
                  Event{12, kWarn, 4, kWarn}, Event{13, kInfo, 5, kWarn},
                  Event{14, kOK, 6, kInfo}));
  // Every point emitted, so every point is forwarded.
  for (Outcome o : h.outcomes()) EXPECT_EQ(o, Outcome::kEmit);
}

// TestStream_Alert_NoRecoveries: the expected events (and the last forwarded point, t=7) with
// inputs reconstructed from them (the .srpl file is not available): OK at t=1, 6, 8..12.
TEST(AlertSequenceTest, KapacitorNoRecoveries) {
  AlertStateOptions o;
  o.no_recoveries = true;
  Harness h(InfoWarnCrit(Ge(6), Ge(7), Ge(8)), o);
  h.FeedAll({7, 5, 6, 7, 7, 8, 5, 6, 5, 5, 5, 5, 5});
  EXPECT_THAT(h.events(), ElementsAre(Event{0, kWarn, 0, kOK}, Event{2, kInfo, 0, kWarn},
                                      Event{3, kWarn, 1, kInfo}, Event{4, kWarn, 2, kWarn},
                                      Event{5, kCrit, 3, kWarn}, Event{7, kInfo, 0, kCrit}));
  EXPECT_THAT(
      h.outcomes(),
      ElementsAre(Outcome::kEmit, Outcome::kRecoverySuppressed, Outcome::kEmit, Outcome::kEmit,
                  Outcome::kEmit, Outcome::kEmit, Outcome::kRecoverySuppressed, Outcome::kEmit,
                  Outcome::kRecoverySuppressed, Outcome::kNothing, Outcome::kNothing,
                  Outcome::kNothing, Outcome::kNothing));
}

// TestStream_AlertDuration: stateChangesOnly() with warn > 7, crit > 8; expected events at
// t=0 CRIT, 2 WARNING (2s), 4 OK (4s), 5 WARNING (0s), 8 OK (3s); inputs reconstructed.
TEST(AlertSequenceTest, KapacitorDurationWithStateChangesOnly) {
  AlertStateOptions o;
  o.state_changes_only = true;
  Thresholds t;
  t.level[2] = Gt(7);
  t.level[3] = Gt(8);
  Harness h(std::move(t), o);
  h.FeedAll({9, 9, 8, 8, 6, 8, 8, 8, 3, 3, 3, 3, 3});
  EXPECT_THAT(h.events(), ElementsAre(Event{0, kCrit, 0, kOK}, Event{2, kWarn, 2, kCrit},
                                      Event{4, kOK, 4, kWarn}, Event{5, kWarn, 0, kOK},
                                      Event{8, kOK, 3, kWarn}));
  EXPECT_THAT(h.outcomes(), ElementsAre(Outcome::kEmit, Outcome::kSuppressed, Outcome::kEmit,
                                        Outcome::kSuppressed, Outcome::kEmit, Outcome::kEmit,
                                        Outcome::kSuppressed, Outcome::kSuppressed, Outcome::kEmit,
                                        Outcome::kSuppressed, Outcome::kSuppressed,
                                        Outcome::kSuppressed, Outcome::kSuppressed));
}

// TestStream_AlertStateChangesOnlyExpired.srpl values (all < 100 -> CRITICAL), with
// stateChangesOnly(2s): re-sent whenever 2s passed since the last sent event.
TEST(AlertSequenceTest, StateChangesOnlyWithDurationExpires) {
  AlertStateOptions o;
  o.state_changes_only = true;
  o.state_changes_only_duration_ns = 2 * kSecond;
  Thresholds t;
  t.level[3] = Lt(100);
  Harness h(std::move(t), o);
  h.FeedAll({97.1, 92.6, 95.6, 93.1, 92.6, 95.8, 92.7, 96.0, 93.4, 95.3, 98.4, 97.1});
  EXPECT_THAT(h.events(), ElementsAre(Event{0, kCrit, 0, kOK}, Event{2, kCrit, 2, kCrit},
                                      Event{4, kCrit, 4, kCrit}, Event{6, kCrit, 6, kCrit},
                                      Event{8, kCrit, 8, kCrit}, Event{10, kCrit, 10, kCrit}));
}

TEST(AlertSequenceTest, StateChangesOnlyExpiryIsMeasuredFromTheLastSentEvent) {
  AlertStateOptions o;
  o.state_changes_only = true;
  o.state_changes_only_duration_ns = 3 * kSecond;
  Harness h(InfoWarnCrit(Gt(40), Gt(60), Gt(80)), o);
  // t0 WARN (sent), t1 WARN, t2 CRIT (changed, sent), t3 CRIT, t4 CRIT, t5 CRIT (3s after t2:
  // sent), t6 CRIT, t7 OK (sent), t8..t12 OK: OK unchanged never sends even when "expired".
  h.FeedAll({61, 61, 81, 81, 81, 81, 81, 1, 1, 1, 1, 1, 1});
  EXPECT_THAT(h.events(), ElementsAre(Event{0, kWarn, 0, kOK}, Event{2, kCrit, 2, kWarn},
                                      Event{5, kCrit, 5, kCrit}, Event{7, kOK, 7, kCrit}));
  EXPECT_EQ(h.outcomes()[10], Outcome::kNothing);
  EXPECT_TRUE(h.state().expired());
}

TEST(AlertSequenceTest, StateChangesOnlyWithoutDurationNeverExpires) {
  AlertStateOptions o;
  o.state_changes_only = true;
  Thresholds t;
  t.level[3] = Gt(80);
  Harness h(std::move(t), o);
  h.FeedAll({90, 90, 90, 90, 1, 1, 90});
  EXPECT_THAT(h.events(), ElementsAre(Event{0, kCrit, 0, kOK}, Event{4, kOK, 4, kCrit},
                                      Event{6, kCrit, 0, kOK}));
  EXPECT_FALSE(h.state().expired());
}

// Leading OK points with stateChangesOnly(d): `expired` is true (the last triggered time is
// Go's zero time) but an unchanged OK sends nothing.
TEST(AlertSequenceTest, StateChangesOnlyDurationLeadingOkPoints) {
  AlertStateOptions o;
  o.state_changes_only = true;
  o.state_changes_only_duration_ns = kSecond;
  Thresholds t;
  t.level[3] = Gt(80);
  Harness h(std::move(t), o);
  h.FeedAll({1, 1});
  EXPECT_THAT(h.outcomes(), ElementsAre(Outcome::kNothing, Outcome::kNothing));
  EXPECT_TRUE(h.state().expired());
  EXPECT_TRUE(h.events().empty());
}

TEST(AlertSequenceTest, PlainAlertSendsEveryNonOkPointAndRecoveriesOnly) {
  Thresholds t;
  t.level[3] = Gt(80);
  Harness h(std::move(t), {});
  h.FeedAll({1, 90, 91, 1, 1, 92});
  EXPECT_THAT(h.events(), ElementsAre(Event{1, kCrit, 0, kOK}, Event{2, kCrit, 1, kCrit},
                                      Event{3, kOK, 2, kCrit}, Event{5, kCrit, 0, kOK}));
  EXPECT_THAT(h.outcomes(), ElementsAre(Outcome::kNothing, Outcome::kEmit, Outcome::kEmit,
                                        Outcome::kEmit, Outcome::kNothing, Outcome::kEmit));
}

// noRecoveries: triggered() still runs for the suppressed recovery, so the next alert starts
// a new duration, and previousLevel skips the invisible recovery.
TEST(AlertSequenceTest, NoRecoveriesWithStateChangesOnly) {
  AlertStateOptions o;
  o.no_recoveries = true;
  o.state_changes_only = true;
  Thresholds t;
  t.level[3] = Gt(80);
  Harness h(std::move(t), o);
  h.FeedAll({90, 90, 1, 1, 90});
  EXPECT_THAT(h.events(), ElementsAre(Event{0, kCrit, 0, kOK}, Event{4, kCrit, 0, kCrit}));
  EXPECT_THAT(h.outcomes(),
              ElementsAre(Outcome::kEmit, Outcome::kSuppressed, Outcome::kRecoverySuppressed,
                          Outcome::kSuppressed, Outcome::kEmit));
}

// ---------------------------------------------------------------------------------------------
// Flapping.

// History 2 (history(1) is raised to 2): the only pair is (newest, previous) with weight 0.8.
// flapping(0.25, 0.5): every change flaps (0.8 > 0.5), every repeat un-flaps (0 < 0.25).
TEST(AlertFlappingTest, HistoryTwoQuirks) {
  AlertStateOptions o;
  o.history = 1;
  o.use_flapping = true;
  o.flap_low = 0.25;
  o.flap_high = 0.5;
  Thresholds t;
  t.level[3] = Gt(80);
  Harness h(std::move(t), o);
  EXPECT_EQ(h.state().history().size(), 2u);
  h.FeedAll({90, 90, 1, 1});
  EXPECT_THAT(h.outcomes(), ElementsAre(Outcome::kSuppressed, Outcome::kEmit, Outcome::kSuppressed,
                                        Outcome::kNothing));
  // The CRIT event at t=1 follows a CRIT entry, so firstTriggered was never set: Kapacitor's
  // duration is lastTriggered.Sub(time.Time{}) which saturates at the maximum duration.
  ASSERT_EQ(h.events().size(), 1u);
  EXPECT_EQ(h.events()[0].t, 1);
  EXPECT_FALSE(h.state().first_triggered().has_value());
  EXPECT_EQ(h.state().Duration(), std::numeric_limits<int64_t>::max());
  // The recovery was swallowed while flapping (stream path).
  EXPECT_EQ(h.state().current_level(), kOK);
}

TEST(AlertFlappingTest, PercentChangeHistoryTwo) {
  AlertState s({.history = 2});
  EXPECT_DOUBLE_EQ(s.PercentChange(), 0.0);
  s.AddEvent(0, kCrit);
  EXPECT_DOUBLE_EQ(s.PercentChange(), 0.8);
  s.AddEvent(0, kCrit);
  EXPECT_DOUBLE_EQ(s.PercentChange(), 0.0);
  s.AddEvent(0, kWarn);
  EXPECT_DOUBLE_EQ(s.PercentChange(), 0.8);
}

// History 3: weights 0.8 and 1.0 for the pairs (newest, 2nd newest) and (oldest, newest); the
// (2nd newest, 3rd newest) pair is never examined.
TEST(AlertFlappingTest, PercentChangeHistoryThree) {
  AlertState s({.history = 3});
  s.AddEvent(0, kCrit);  // [OK, C*, OK]: both pairs differ: (0.8 + 1.0) / 2
  EXPECT_DOUBLE_EQ(s.PercentChange(), 0.9);
  s.AddEvent(0, kCrit);  // [OK, C, C*]: (C,C) same; oldest OK vs newest C: 1.0 / 2
  EXPECT_DOUBLE_EQ(s.PercentChange(), 0.5);
  s.AddEvent(0, kOK);  // [OK*, C, C]: newest OK vs C: 0.8; oldest C vs newest OK: 1.0
  EXPECT_DOUBLE_EQ(s.PercentChange(), 0.9);
  s.AddEvent(0, kOK);  // [OK, OK*, C]: 0 + (C vs OK) 1.0; the (OK, C) pair is skipped
  EXPECT_DOUBLE_EQ(s.PercentChange(), 0.5);
  s.AddEvent(0, kOK);  // [OK, OK, OK*]
  EXPECT_DOUBLE_EQ(s.PercentChange(), 0.0);
}

// History 21 (the default): weights 0.8, 0.82, ..., 1.18 over 20 pairs.
TEST(AlertFlappingTest, PercentChangeHistoryTwentyOne) {
  AlertState s({});
  EXPECT_EQ(s.history().size(), 21u);
  s.AddEvent(0, kCrit);  // (newest, previous) 0.8 + (oldest, newest) 0.82
  EXPECT_NEAR(s.PercentChange(), 1.62 / 20, 1e-12);
  s.AddEvent(0, kOK);  // only (newest, previous) 0.8; the (C, OK) pair behind it is skipped
  EXPECT_NEAR(s.PercentChange(), 0.8 / 20, 1e-12);
  s.AddEvent(0, kCrit);  // 0.8 + 0.82 + the (C at 1, OK at 0) pair examined last-but-one: 1.18
  EXPECT_NEAR(s.PercentChange(), (0.8 + 0.82 + 1.18) / 20, 1e-12);
  // 42 alternating events fill the (odd-sized) ring with alternating levels whose oldest and
  // newest entries are equal: every examined pair differs except (oldest, newest), weight 0.82:
  // (0.8 + sum_{i=2..19} (0.8 + 0.02 i)) / 20 = 18.98 / 20.
  AlertState a({});
  for (int i = 0; i < 42; ++i) a.AddEvent(0, i % 2 == 0 ? kCrit : kOK);
  EXPECT_NEAR(a.PercentChange(), 0.949, 1e-12);
}

// flapping(0.25, 0.5) with the default history: alternating CRIT/OK every point.
// Hand-computed percentages for the first points: 1.62/20, 0.8/20, (0.8+0.82+1.18)/20 and, at
// t=3 (slots C,OK,C,OK* at 1..4), pairs (4,3) 0.8, (1,0) 1.16, (2,1) 1.18 -> 3.14/20.
TEST(AlertFlappingTest, AlternatingStartsFlappingAndStopsWhenStable) {
  AlertStateOptions o;
  o.use_flapping = true;
  o.flap_low = 0.25;
  o.flap_high = 0.5;
  AlertState s(o);
  std::vector<bool> flapping;
  std::vector<double> pct;
  for (int i = 0; i < 14; ++i) {
    s.StepPoint(i * kSecond, i % 2 == 0 ? kCrit : kOK);
    flapping.push_back(s.flapping());
    pct.push_back(s.PercentChange());
  }
  EXPECT_NEAR(pct[0], 0.081, 1e-12);
  EXPECT_NEAR(pct[1], 0.04, 1e-12);
  EXPECT_NEAR(pct[2], 0.14, 1e-12);
  EXPECT_NEAR(pct[3], 0.157, 1e-12);
  // 0.473 and 0.484 at t=8, 9 stay below high=0.5; t=10 reaches 0.576.
  EXPECT_NEAR(pct[9], 0.484, 1e-12);
  EXPECT_NEAR(pct[10], 0.576, 1e-12);
  EXPECT_THAT(flapping, ElementsAreArray({false, false, false, false, false, false, false, false,
                                          false, false, true, true, true, true}));
  // Stable CRIT: the percentage first rises (older differing pairs gain weight), then decays as
  // they leave the window; it falls below low=0.25 (to 0.174) on the 17th stable point.
  int stable = 0;
  while (s.flapping()) {
    s.StepPoint((14 + stable) * kSecond, kCrit);
    ++stable;
    ASSERT_LT(stable, 30);
  }
  EXPECT_EQ(stable, 17);
  EXPECT_NEAR(s.PercentChange(), 0.174, 1e-12);
}

TEST(AlertFlappingTest, StreamSuppressesRecoveryWhileFlappingButBatchSendsIt) {
  AlertStateOptions o;
  o.history = 2;
  o.use_flapping = true;
  o.flap_low = 0.25;
  o.flap_high = 0.5;
  AlertState stream(o);
  AlertState batch(o);
  // Reach a non-flapping CRIT state: C (flaps), C (stable).
  stream.StepPoint(0, kCrit);
  stream.StepPoint(kSecond, kCrit);
  batch.StepBatch(0, kCrit);
  batch.StepBatch(kSecond, kCrit);
  EXPECT_EQ(stream.StepPoint(2 * kSecond, kOK).outcome, Outcome::kSuppressed);
  const AlertStep b = batch.StepBatch(2 * kSecond, kOK);
  EXPECT_EQ(b.outcome, Outcome::kEmit);
  EXPECT_TRUE(b.flapping);
}

// ---------------------------------------------------------------------------------------------
// Low-level state.

TEST(AlertStateTest, HistoryBelowTwoBecomesTwo) {
  EXPECT_EQ(AlertState({.history = 0}).history().size(), 2u);
  EXPECT_EQ(AlertState({.history = -5}).history().size(), 2u);
  EXPECT_EQ(AlertState({.history = 2}).history().size(), 2u);
  EXPECT_EQ(AlertState({.history = 7}).history().size(), 7u);
  EXPECT_EQ(AlertState({.history = 0}).options().history, 2);
}

TEST(AlertStateTest, AddEventRing) {
  AlertState s({.history = 3});
  EXPECT_EQ(s.current_level(), kOK);
  EXPECT_EQ(s.index(), 0u);
  s.AddEvent(0, kWarn);
  EXPECT_TRUE(s.changed());
  EXPECT_EQ(s.index(), 1u);
  s.AddEvent(0, kWarn);
  EXPECT_FALSE(s.changed());
  s.AddEvent(0, kInfo);
  EXPECT_TRUE(s.changed());
  EXPECT_EQ(s.index(), 0u);
  EXPECT_THAT(s.history(), ElementsAre(kInfo, kWarn, kWarn));
  EXPECT_EQ(s.current_level(), kInfo);
}

TEST(AlertStateTest, TriggeredSetsFirstOnlyAfterOk) {
  AlertState s({});
  s.AddEvent(10, kCrit);
  s.Triggered(10);
  EXPECT_EQ(s.first_triggered(), 10);
  EXPECT_EQ(s.last_triggered(), 10);
  s.AddEvent(15, kWarn);
  s.Triggered(15);
  EXPECT_EQ(s.first_triggered(), 10);
  EXPECT_EQ(s.last_triggered(), 15);
  EXPECT_EQ(s.Duration(), 5);
  s.AddEvent(20, kOK);
  s.Triggered(20);
  EXPECT_EQ(s.Duration(), 10);
  s.AddEvent(30, kCrit);
  s.Triggered(30);
  EXPECT_EQ(s.first_triggered(), 30);
  EXPECT_EQ(s.Duration(), 0);
}

TEST(AlertStateTest, DurationBeforeAnyTriggerIsZero) {
  AlertState s({});
  EXPECT_EQ(s.Duration(), 0);
}

TEST(AlertStateTest, ExpiredUsesGoSaturatingSubtraction) {
  AlertState s({.state_changes_only = true,
                .state_changes_only_duration_ns = std::numeric_limits<int64_t>::max()});
  // Zero lastTriggered: t.Sub(time.Time{}) saturates to the maximum, which is >= d.
  s.AddEvent(std::numeric_limits<int64_t>::min(), kOK);
  EXPECT_TRUE(s.expired());
  s.AddEvent(std::numeric_limits<int64_t>::min(), kCrit);
  s.Triggered(std::numeric_limits<int64_t>::min());
  // max - min overflows; Go saturates to the maximum duration.
  s.AddEvent(std::numeric_limits<int64_t>::max(), kCrit);
  EXPECT_TRUE(s.expired());
}

TEST(AlertStateTest, NegativeTimeDifferenceIsNotExpired) {
  AlertState s({.state_changes_only = true, .state_changes_only_duration_ns = kSecond});
  s.StepPoint(10 * kSecond, kCrit);
  EXPECT_EQ(s.StepPoint(5 * kSecond, kCrit).outcome, Outcome::kSuppressed);
}

TEST(AlertStateTest, RestoreSeedsHistoryAndFirstTriggered) {
  AlertState s({});
  s.Restore(100, kWarn, 40);
  EXPECT_EQ(s.current_level(), kWarn);
  EXPECT_EQ(s.first_triggered(), 40);
  const AlertStep step = s.StepPoint(200, kWarn);
  EXPECT_EQ(step.outcome, Outcome::kEmit);
  EXPECT_FALSE(step.changed);
  EXPECT_EQ(step.duration_ns, 160);

  AlertState ok({});
  ok.Restore(100, kOK, 40);
  EXPECT_EQ(ok.index(), 0u);
  EXPECT_FALSE(ok.last_triggered().has_value());
}

TEST(AlertStateTest, StepReportsState) {
  AlertState s({});
  const AlertStep a = s.StepPoint(kSecond, kWarn);
  EXPECT_EQ(a.outcome, Outcome::kEmit);
  EXPECT_EQ(a.level, kWarn);
  EXPECT_TRUE(a.changed);
  EXPECT_FALSE(a.flapping);
  EXPECT_FALSE(a.expired);
  EXPECT_EQ(a.duration_ns, 0);
  EXPECT_TRUE(a.emit());
  const AlertStep b = s.StepPoint(3 * kSecond, kWarn);
  EXPECT_FALSE(b.changed);
  EXPECT_EQ(b.duration_ns, 2 * kSecond);
}

TEST(AlertStateTest, BatchOutcomes) {
  AlertState s({.state_changes_only = true});
  EXPECT_EQ(s.StepBatch(0, kOK).outcome, Outcome::kNothing);
  EXPECT_EQ(s.StepBatch(1, kCrit).outcome, Outcome::kEmit);
  EXPECT_EQ(s.StepBatch(2, kCrit).outcome, Outcome::kSuppressed);
  EXPECT_EQ(s.StepBatch(3, kOK).outcome, Outcome::kEmit);
  AlertState n({.no_recoveries = true});
  EXPECT_EQ(n.StepBatch(1, kCrit).outcome, Outcome::kEmit);
  EXPECT_EQ(n.StepBatch(2, kOK).outcome, Outcome::kRecoverySuppressed);
  EXPECT_EQ(n.last_triggered(), 2);
}

// ---------------------------------------------------------------------------------------------
// Topics.

TEST(AlertTopicTest, PreviousLevelPerIdAndTopic) {
  AlertTopics topics;
  AlertTopic* anon = topics.GetOrCreate("tm:task:alert2");
  AlertTopic* cpu = topics.GetOrCreate("cpu");
  EXPECT_EQ(topics.GetOrCreate("cpu"), cpu);
  EXPECT_EQ(topics.Find("missing"), nullptr);
  EXPECT_EQ(topics.Find("cpu"), cpu);

  EXPECT_EQ(anon->Collect("a", kCrit, 1), kOK);
  EXPECT_EQ(anon->Collect("b", kWarn, 2), kOK);
  EXPECT_EQ(anon->Collect("a", kOK, 3), kCrit);
  EXPECT_EQ(anon->Collect("a", kInfo, 4), kOK);
  EXPECT_EQ(cpu->Collect("a", kInfo, 4), kOK);
  EXPECT_EQ(anon->collected(), 4);
  EXPECT_EQ(cpu->collected(), 1);
  EXPECT_EQ(anon->MaxLevel(), kWarn);
  ASSERT_TRUE(anon->EventState("a").has_value());
  EXPECT_EQ(anon->EventState("a")->level, kInfo);
  EXPECT_EQ(anon->EventState("a")->time_ns, 4);
  EXPECT_FALSE(anon->EventState("zzz").has_value());
  EXPECT_EQ(anon->id(), "tm:task:alert2");
  EXPECT_EQ(AlertTopic("x").MaxLevel(), kOK);
}

// StepPoint (with its inline OK-after-OK path) against alert.go's Point spelled out with the
// public pieces, for options without flapping or stateChangesOnly (with and without
// noRecoveries), over random level sequences that stay OK for long stretches.
TEST(AlertStateTest, StepPointMatchesAddEventAndTriggeredWithoutFlappingOrStateChangesOnly) {
  std::mt19937 rng(17);
  for (bool no_recoveries : {false, true}) {
    AlertStateOptions o;
    o.history = 5;
    o.no_recoveries = no_recoveries;
    AlertState fast(o), ref(o);
    int64_t t = 1'000'000'000;
    for (int i = 0; i < 20000; ++i) {
      t += 10'000'000;
      const auto level = rng() % 10 < 8 ? AlertLevel::kOK : static_cast<AlertLevel>(1 + rng() % 3);
      const AlertStep got = fast.StepPoint(t, level);
      ref.AddEvent(t, level);
      Outcome want = Outcome::kNothing;
      if (level != AlertLevel::kOK || ref.changed()) {
        ref.Triggered(t);
        want = no_recoveries && level == AlertLevel::kOK ? Outcome::kRecoverySuppressed
                                                         : Outcome::kEmit;
      }
      ASSERT_EQ(got.outcome, want) << i;
      ASSERT_EQ(got.level, level);
      ASSERT_EQ(got.changed, ref.changed());
      ASSERT_EQ(got.flapping, ref.flapping());
      ASSERT_EQ(got.expired, ref.expired());
      ASSERT_EQ(got.duration_ns, ref.Duration());
      ASSERT_EQ(fast.changed(), ref.changed());
      ASSERT_EQ(fast.expired(), ref.expired());
      ASSERT_EQ(fast.index(), ref.index());
      ASSERT_EQ(fast.history(), ref.history());
      ASSERT_EQ(fast.first_triggered(), ref.first_triggered());
      ASSERT_EQ(fast.last_triggered(), ref.last_triggered());
    }
  }
}

}  // namespace
}  // namespace tick::nodes
