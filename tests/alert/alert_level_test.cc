// Tests for AlertLevel names/parsing and DetermineLevel (Kapacitor's level decision with resets),
// including exactly which lambdas are evaluated and in which order.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nodes/alert_state.h"
#include "tests/testing/status_matchers.h"

namespace tick::nodes {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::tick::testing::StatusIs;

constexpr AlertLevel kOK = AlertLevel::kOK;
constexpr AlertLevel kInfo = AlertLevel::kInfo;
constexpr AlertLevel kWarn = AlertLevel::kWarning;
constexpr AlertLevel kCrit = AlertLevel::kCritical;

TEST(AlertLevelTest, Names) {
  EXPECT_EQ(AlertLevelName(kOK), "OK");
  EXPECT_EQ(AlertLevelName(kInfo), "INFO");
  EXPECT_EQ(AlertLevelName(kWarn), "WARNING");
  EXPECT_EQ(AlertLevelName(kCrit), "CRITICAL");
}

TEST(AlertLevelTest, Parse) {
  EXPECT_EQ(*ParseAlertLevel("OK"), kOK);
  EXPECT_EQ(*ParseAlertLevel("info"), kInfo);
  EXPECT_EQ(*ParseAlertLevel("Warning"), kWarn);
  EXPECT_EQ(*ParseAlertLevel("CRITICAL"), kCrit);
  EXPECT_THAT(ParseAlertLevel("crit").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "unknown alert level 'crit'"));
  EXPECT_THAT(ParseAlertLevel("").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "unknown alert level ''"));
}

TEST(AlertLevelTest, Ordering) {
  EXPECT_LT(kOK, kInfo);
  EXPECT_LT(kInfo, kWarn);
  EXPECT_LT(kWarn, kCrit);
}

// An evaluator whose answers are fixed per level and which records every evaluation, as
// "crit", "warn", "info", "critReset", "warnReset", "infoReset".
class RecordingEvaluator final : public LevelEvaluator {
 public:
  // Level expression answers by level index (nullopt = not defined).
  std::array<std::optional<LevelTruth>, kNumAlertLevels> level{};
  std::array<std::optional<LevelTruth>, kNumAlertLevels> reset{};
  std::vector<std::string> calls;

  bool HasLevel(AlertLevel l) const override { return level[Idx(l)].has_value(); }
  bool HasReset(AlertLevel l) const override { return reset[Idx(l)].has_value(); }
  LevelTruth EvalLevel(AlertLevel l) override {
    calls.push_back(Name(l));
    return *level[Idx(l)];
  }
  LevelTruth EvalReset(AlertLevel l) override {
    calls.push_back(Name(l) + "Reset");
    return *reset[Idx(l)];
  }

 private:
  static size_t Idx(AlertLevel l) { return static_cast<size_t>(l); }
  static std::string Name(AlertLevel l) {
    switch (l) {
      case AlertLevel::kInfo:
        return "info";
      case AlertLevel::kWarning:
        return "warn";
      case AlertLevel::kCritical:
        return "crit";
      default:
        return "ok";
    }
  }
};

constexpr LevelTruth T = LevelTruth::kTrue;
constexpr LevelTruth F = LevelTruth::kFalse;
constexpr LevelTruth E = LevelTruth::kError;

RecordingEvaluator Levels(std::optional<LevelTruth> info, std::optional<LevelTruth> warn,
                          std::optional<LevelTruth> crit) {
  RecordingEvaluator e;
  e.level[1] = info;
  e.level[2] = warn;
  e.level[3] = crit;
  return e;
}

TEST(DetermineLevelTest, NoResetsFromOkHighestMatchWins) {
  auto e = Levels(T, T, T);
  EXPECT_EQ(DetermineLevel(kOK, e), kCrit);
  EXPECT_THAT(e.calls, ElementsAre("crit"));

  e = Levels(T, T, F);
  EXPECT_EQ(DetermineLevel(kOK, e), kWarn);
  EXPECT_THAT(e.calls, ElementsAre("crit", "warn"));

  e = Levels(T, F, F);
  EXPECT_EQ(DetermineLevel(kOK, e), kInfo);
  EXPECT_THAT(e.calls, ElementsAre("crit", "warn", "info"));

  e = Levels(F, F, F);
  EXPECT_EQ(DetermineLevel(kOK, e), kOK);
  EXPECT_THAT(e.calls, ElementsAre("crit", "warn", "info"));
}

TEST(DetermineLevelTest, UndefinedLevelsAreSkipped) {
  auto e = Levels(std::nullopt, std::nullopt, F);
  EXPECT_EQ(DetermineLevel(kOK, e), kOK);
  EXPECT_THAT(e.calls, ElementsAre("crit"));

  e = Levels(std::nullopt, std::nullopt, std::nullopt);
  EXPECT_EQ(DetermineLevel(kOK, e), kOK);
  EXPECT_THAT(e.calls, IsEmpty());

  e = Levels(T, std::nullopt, std::nullopt);
  EXPECT_EQ(DetermineLevel(kOK, e), kInfo);
  EXPECT_THAT(e.calls, ElementsAre("info"));
}

TEST(DetermineLevelTest, ErrorIsNotAMatchAndLowerLevelsAreStillTried) {
  auto e = Levels(T, E, E);
  EXPECT_EQ(DetermineLevel(kOK, e), kInfo);
  EXPECT_THAT(e.calls, ElementsAre("crit", "warn", "info"));

  e = Levels(E, E, E);
  EXPECT_EQ(DetermineLevel(kOK, e), kOK);
}

TEST(DetermineLevelTest, WithoutResetsCurrentLevelIsEvaluatedTwiceWhenNotMatching) {
  // Current WARNING, nothing matches: crit, warn (phase 1), then warn again, info (phase 3).
  auto e = Levels(F, F, F);
  EXPECT_EQ(DetermineLevel(kWarn, e), kOK);
  EXPECT_THAT(e.calls, ElementsAre("crit", "warn", "warn", "info"));

  // Current CRITICAL, warn matches: crit, (no reset), crit again, warn.
  e = Levels(F, T, F);
  EXPECT_EQ(DetermineLevel(kCrit, e), kWarn);
  EXPECT_THAT(e.calls, ElementsAre("crit", "crit", "warn"));

  // Current INFO, info matches: found in phase 1 without evaluating lower levels twice.
  e = Levels(T, F, F);
  EXPECT_EQ(DetermineLevel(kInfo, e), kInfo);
  EXPECT_THAT(e.calls, ElementsAre("crit", "warn", "info"));
}

TEST(DetermineLevelTest, HigherLevelWinsWithoutConsultingReset) {
  auto e = Levels(T, F, T);
  e.reset[1] = F;
  EXPECT_EQ(DetermineLevel(kInfo, e), kCrit);
  EXPECT_THAT(e.calls, ElementsAre("crit"));
}

TEST(DetermineLevelTest, ResetFalseKeepsCurrentLevel) {
  auto e = Levels(F, F, F);
  e.reset[2] = F;
  EXPECT_EQ(DetermineLevel(kWarn, e), kWarn);
  EXPECT_THAT(e.calls, ElementsAre("crit", "warn", "warnReset"));
}

TEST(DetermineLevelTest, ResetTrueDropsToHighestLowerMatch) {
  auto e = Levels(T, F, F);
  e.reset[3] = T;
  EXPECT_EQ(DetermineLevel(kCrit, e), kInfo);
  EXPECT_THAT(e.calls, ElementsAre("crit", "critReset", "crit", "warn", "info"));

  e = Levels(F, F, F);
  e.reset[3] = T;
  EXPECT_EQ(DetermineLevel(kCrit, e), kOK);
  EXPECT_THAT(e.calls, ElementsAre("crit", "critReset", "crit", "warn", "info"));
}

TEST(DetermineLevelTest, ResetErrorIsTreatedAsPassing) {
  auto e = Levels(F, F, F);
  e.reset[2] = E;
  EXPECT_EQ(DetermineLevel(kWarn, e), kOK);
  EXPECT_THAT(e.calls, ElementsAre("crit", "warn", "warnReset", "warn", "info"));
}

TEST(DetermineLevelTest, OnlyTheCurrentLevelsResetIsConsulted) {
  auto e = Levels(F, F, F);
  e.reset[1] = F;  // infoReset would keep INFO, but the current level is WARNING.
  e.reset[3] = F;
  EXPECT_EQ(DetermineLevel(kWarn, e), kOK);
  EXPECT_THAT(e.calls, ElementsAre("crit", "warn", "warn", "info"));
}

TEST(DetermineLevelTest, ResetsAreIgnoredAtOk) {
  auto e = Levels(F, F, F);
  e.reset[1] = F;
  e.reset[2] = F;
  e.reset[3] = F;
  EXPECT_EQ(DetermineLevel(kOK, e), kOK);
  EXPECT_THAT(e.calls, ElementsAre("crit", "warn", "info"));
}

TEST(DetermineLevelTest, LevelWhoseExpressionIsUndefinedButHasReset) {
  // Kapacitor only keeps a reset for a defined level; the evaluator decides. If HasReset is
  // true for the current level the reset is consulted even when its level is undefined.
  RecordingEvaluator e = Levels(std::nullopt, F, std::nullopt);
  e.reset[2] = T;
  EXPECT_EQ(DetermineLevel(kWarn, e), kOK);
  EXPECT_THAT(e.calls, ElementsAre("warn", "warnReset", "warn"));
}

// A table of all current levels x expression outcomes (T/F per level) without resets: the
// result must be the highest true level.
TEST(DetermineLevelTest, WithoutResetsResultIsHighestTrueLevelForAnyCurrent) {
  for (int cur = 0; cur < kNumAlertLevels; ++cur) {
    for (int mask = 0; mask < 8; ++mask) {
      auto e = Levels((mask & 1) ? T : F, (mask & 2) ? T : F, (mask & 4) ? T : F);
      AlertLevel want = kOK;
      if (mask & 4) {
        want = kCrit;
      } else if (mask & 2) {
        want = kWarn;
      } else if (mask & 1) {
        want = kInfo;
      }
      EXPECT_EQ(DetermineLevel(static_cast<AlertLevel>(cur), e), want)
          << "current " << cur << " mask " << mask;
    }
  }
}

// With resets that never pass, a level can only rise or stay.
TEST(DetermineLevelTest, ResetsThatNeverPassKeepTheLevelFromDropping) {
  for (int cur = 1; cur < kNumAlertLevels; ++cur) {
    for (int mask = 0; mask < 8; ++mask) {
      auto e = Levels((mask & 1) ? T : F, (mask & 2) ? T : F, (mask & 4) ? T : F);
      e.reset[1] = F;
      e.reset[2] = F;
      e.reset[3] = F;
      const AlertLevel got = DetermineLevel(static_cast<AlertLevel>(cur), e);
      int highest = 0;
      for (int l = 3; l >= 1; --l) {
        if (mask & (1 << (l - 1))) {
          highest = l;
          break;
        }
      }
      EXPECT_EQ(static_cast<int>(got), std::max(cur, highest))
          << "current " << cur << " mask " << mask;
    }
  }
}

// A template evaluator (no virtual calls) works too.
struct ThresholdEvaluator {
  double value;
  bool HasLevel(AlertLevel l) const { return l != kOK; }
  bool HasReset(AlertLevel) const { return false; }
  LevelTruth EvalLevel(AlertLevel l) {
    const double thresholds[] = {0, 40, 60, 80};
    return value > thresholds[static_cast<int>(l)] ? T : F;
  }
  LevelTruth EvalReset(AlertLevel) { return F; }
};

TEST(DetermineLevelTest, NonVirtualEvaluator) {
  ThresholdEvaluator e{61};
  EXPECT_EQ(DetermineLevel(kOK, e), kWarn);
  e.value = 10;
  EXPECT_EQ(DetermineLevel(kCrit, e), kOK);
}

// DetermineLevelMasked against DetermineLevel: every combination of defined levels and resets,
// current level and answers (false/true/error per expression) gives the same evaluations in
// the same order and the same level.
TEST(AlertLevelTest, MaskedDecisionMatchesDetermineLevel) {
  const LevelTruth kTruths[] = {LevelTruth::kFalse, LevelTruth::kTrue, LevelTruth::kError};
  int compared = 0;
  for (unsigned level_mask = 0; level_mask < 16; level_mask += 2) {
    for (unsigned reset_mask = 0; reset_mask < 16; reset_mask += 2) {
      for (int cur = 0; cur < kNumAlertLevels; ++cur) {
        for (int answers = 0; answers < 729; ++answers) {  // 3^6
          RecordingEvaluator general, masked;
          int a = answers;
          for (int l = 1; l < kNumAlertLevels; ++l) {
            const LevelTruth lt = kTruths[a % 3];
            a /= 3;
            const LevelTruth rt = kTruths[a % 3];
            a /= 3;
            if ((level_mask >> l) & 1) general.level[l] = masked.level[l] = lt;
            if ((reset_mask >> l) & 1) general.reset[l] = masked.reset[l] = rt;
          }
          const auto current = static_cast<AlertLevel>(cur);
          const AlertLevel want = DetermineLevel(current, general);
          ASSERT_EQ(DetermineLevelMasked(current, level_mask, reset_mask, masked), want)
              << level_mask << " " << reset_mask << " " << cur << " " << answers;
          ASSERT_EQ(masked.calls, general.calls);
          ++compared;
        }
      }
    }
  }
  EXPECT_EQ(compared, 8 * 8 * 4 * 729);
}

}  // namespace
}  // namespace tick::nodes
