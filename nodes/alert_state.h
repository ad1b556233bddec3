// File: nodes/alert_state.h
//
// The alert node's per-group state machine, reimplemented from Kapacitor's alert.go (runtime):
//
//   * AlertLevel: OK < INFO < WARNING < CRITICAL, with Kapacitor's names.
//   * DetermineLevel: the level decision with resets (crit/warn/info + critReset/...), evaluating
//     exactly the lambdas Kapacitor evaluates, in the same order (stateful functions such as
//     sigma() or count() observe every evaluation).
//   * AlertState: one group's ring-buffer history, `changed`, flapping (Kapacitor's weighted,
//     index-skewed percentage), `stateChangesOnly([d])` expiry, first/last triggered times and
//     what a stream point (or a batch) produces: an event, a suppressed recovery, nothing.
//
// Nothing here knows about points, lambdas or templates: the pipeline's alert node renders the
// ID, asks DetermineLevel (with an evaluator wrapping its compiled lambdas), calls
// AlertState::StepPoint and acts on the returned AlertStep.
//
// Times are int64 nanoseconds since the Unix epoch. Kapacitor keeps first/last triggered as Go
// time.Time whose zero value is year 1; durations computed from that zero value saturate as Go's
// Time.Sub does (see AlertState::Duration).
#ifndef TICK_NODES_ALERT_STATE_H_
#define TICK_NODES_ALERT_STATE_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace tick::nodes {

// Alert levels, ordered as Kapacitor orders them (alert/types.go).
enum class AlertLevel : uint8_t { kOK = 0, kInfo = 1, kWarning = 2, kCritical = 3 };

inline constexpr int kNumAlertLevels = 4;

// "OK", "INFO", "WARNING", "CRITICAL".
std::string_view AlertLevelName(AlertLevel level);

// Parses a level name case-insensitively ("ok", "Info", "WARNING", "critical").
// Error (kInvalidArgument): `unknown alert level 'x'`.
// Note: Kapacitor's own parser locates the text inside "OKINFOWARNINGCRITICAL" with
// bytes.Index, which also accepts prefixes such as "W" or "CRIT"; tickrun accepts the four
// names only.
absl::StatusOr<AlertLevel> ParseAlertLevel(std::string_view text);

// The outcome of evaluating one level expression or reset expression on a point.
enum class LevelTruth : uint8_t { kFalse, kTrue, kError };

// Kapacitor's level decision (alert.go determineLevel / findFirstMatchLevel) for a point, given
// the group's current level `current`:
//   1. evaluate the level expressions from CRITICAL down to `current` (but not OK), in that
//      order; the first kTrue wins;
//   2. else, if `current` has a reset expression: kFalse -> stay at `current`; kTrue or kError
//      -> continue (Kapacitor logs the error and carries on);
//   3. evaluate the level expressions from `current` down to INFO (so `current` is evaluated a
//      second time); the first kTrue wins;
//   4. else OK.
// A level expression returning kError counts as not matching (lower levels are still tried).
// Levels (and resets) that are not defined are skipped without evaluation.
//
// `Evaluator` needs these members (a class implementing LevelEvaluator below works, and so does
// any type with the same member functions, with no virtual call):
//   bool HasLevel(AlertLevel) const;   bool HasReset(AlertLevel) const;
//   LevelTruth EvalLevel(AlertLevel);  LevelTruth EvalReset(AlertLevel);
// EvalLevel/EvalReset are only called for defined levels/resets. Note HasReset(kOK) is never
// asked: OK has no reset.
template <typename Evaluator>
AlertLevel DetermineLevel(AlertLevel current, Evaluator& eval);

// DetermineLevel for callers that know which levels and resets are defined as bitmasks (bit l
// set: level/reset l is defined; bit 0 is ignored): exactly the same evaluations in the same
// order and the same result as DetermineLevel with HasLevel/HasReset answering from the masks,
// but visiting only the defined levels. `eval` needs EvalLevel and EvalReset only.
template <typename Evaluator>
AlertLevel DetermineLevelMasked(AlertLevel current, unsigned level_mask, unsigned reset_mask,
                                Evaluator& eval);

// A virtual interface satisfying DetermineLevel's requirements.
class LevelEvaluator {
 public:
  virtual ~LevelEvaluator() = default;
  virtual bool HasLevel(AlertLevel level) const = 0;
  virtual bool HasReset(AlertLevel level) const = 0;
  virtual LevelTruth EvalLevel(AlertLevel level) = 0;
  virtual LevelTruth EvalReset(AlertLevel level) = 0;
};

// Node-wide alert options that drive the state machine (pipeline/alert.go properties).
struct AlertStateOptions {
  // `.history(n)`: length of the level history used for flapping; values < 2 become 2. One
  // byte per entry is allocated per group: the graph builder should bound it.
  int64_t history = 21;
  // `.flapping(low, high)`.
  bool use_flapping = false;
  double flap_low = 0;
  double flap_high = 0;
  // `.stateChangesOnly([maxInterval])`; a zero duration means "no expiry".
  bool state_changes_only = false;
  int64_t state_changes_only_duration_ns = 0;
  // `.noRecoveries()`.
  bool no_recoveries = false;
};

// What one stream point (or batch) did to a group's alert state.
struct AlertStep {
  enum class Outcome : uint8_t {
    // Level OK and unchanged: nothing sent, nothing forwarded.
    kNothing,
    // Suppressed because the group is flapping or by stateChangesOnly (not changed, not
    // expired): nothing sent, nothing forwarded, triggered times untouched.
    kSuppressed,
    // A recovery suppressed by noRecoveries: triggered() ran (last/first triggered times were
    // updated) but nothing is sent or forwarded, and no topic collects it.
    kRecoverySuppressed,
    // Send an event (time, level, duration below) and forward the (augmented) point.
    kEmit,
  };

  Outcome outcome = Outcome::kNothing;
  AlertLevel level = AlertLevel::kOK;
  // State after this step.
  bool changed = false;
  bool flapping = false;
  bool expired = false;
  // lastTriggered - firstTriggered; meaningful for kEmit (and kRecoverySuppressed).
  int64_t duration_ns = 0;

  bool emit() const { return outcome == Outcome::kEmit; }
};

// One group's alert state. Copyable; holds a copy of the node's options.
class AlertState final {
 public:
  explicit AlertState(const AlertStateOptions& options);

  // The group's current level (the newest history entry; OK initially).
  AlertLevel current_level() const { return history_[idx_]; }

  // Stream point at `time_ns` whose level (from DetermineLevel(current_level(), ...)) is
  // `level` (alert.go alertState.Point): records the level, then decides. Inline fast path for
  // the common OK-after-OK step without flapping or stateChangesOnly.
  AlertStep StepPoint(int64_t time_ns, AlertLevel level) {
    if (level == AlertLevel::kOK && plain_ && history_[idx_] == AlertLevel::kOK) {
      // AddEvent: not changed; flapping untouched (off); never expired (no stateChangesOnly
      // duration). Then neither suppressed nor triggered: nothing.
      changed_ = false;
      expired_ = false;
      if (++idx_ == history_.size()) idx_ = 0;
      history_[idx_] = AlertLevel::kOK;
      AlertStep step;
      step.outcome = AlertStep::Outcome::kNothing;
      step.level = AlertLevel::kOK;
      step.flapping = flapping_;
      step.duration_ns = Duration();
      return step;
    }
    return StepPointSlow(time_ns, level);
  }

  // Batch (alert.go alertState.BufferedBatch): `level` is the batch level (highest point level,
  // lowest with .all()), `time_ns` the event time chosen by the caller (the highest point's
  // time, or the batch time for .all() or OK). Unlike the stream path a recovery is sent even
  // while flapping. The caller ignores empty batches.
  AlertStep StepBatch(int64_t time_ns, AlertLevel level);

  // Seeds the state from a stored event (alert.go restoreEventState): when `level` is not OK,
  // records it at `time_ns` and marks it triggered at `triggered_ns`.
  void Restore(int64_t time_ns, AlertLevel level, int64_t triggered_ns);

  // Low-level pieces, public for tests and for callers that need them separately.

  // addEvent: changed = (current != level); advance the ring; store; update flapping; update
  // expired.
  void AddEvent(int64_t time_ns, AlertLevel level);
  // triggered: lastTriggered = t; firstTriggered = t when the entry before the newest is OK.
  void Triggered(int64_t time_ns);
  // Kapacitor's percentChange over the history ring.
  double PercentChange() const;
  // lastTriggered - firstTriggered with Go's Time.Sub saturation (a zero time is year 1).
  int64_t Duration() const {
    if (!last_triggered_.has_value() || !first_triggered_.has_value()) return DurationSlow();
    int64_t d;
    if (__builtin_sub_overflow(*last_triggered_, *first_triggered_, &d)) return DurationSlow();
    return d;
  }

  bool changed() const { return changed_; }
  bool flapping() const { return flapping_; }
  bool expired() const { return expired_; }
  const std::vector<AlertLevel>& history() const { return history_; }
  size_t index() const { return idx_; }
  std::optional<int64_t> first_triggered() const { return first_triggered_; }
  std::optional<int64_t> last_triggered() const { return last_triggered_; }
  const AlertStateOptions& options() const { return options_; }

 private:
  AlertStep MakeStep(AlertStep::Outcome outcome) const;
  AlertStep StepPointSlow(int64_t time_ns, AlertLevel level);
  int64_t DurationSlow() const;
  void AddEventImpl(int64_t time_ns, AlertLevel level);

  AlertStateOptions options_;
  // No flapping and no stateChangesOnly: StepPoint's fast path applies.
  bool plain_ = false;
  std::vector<AlertLevel> history_;
  size_t idx_ = 0;
  bool changed_ = false;
  bool flapping_ = false;
  bool expired_ = false;
  // nullopt = Go's zero time.Time.
  std::optional<int64_t> first_triggered_;
  std::optional<int64_t> last_triggered_;
};

// ---------------------------------------------------------------------------------------------
// Implementation of the template.

template <typename Evaluator>
AlertLevel DetermineLevel(AlertLevel current, Evaluator& eval) {
  const int cur = static_cast<int>(current);
  // 1. CRITICAL down to max(current, INFO).
  for (int l = static_cast<int>(AlertLevel::kCritical); l >= cur && l > 0; --l) {
    const auto level = static_cast<AlertLevel>(l);
    if (!eval.HasLevel(level)) continue;
    if (eval.EvalLevel(level) == LevelTruth::kTrue) return level;
  }
  // 2. The current level's reset.
  if (current != AlertLevel::kOK && eval.HasReset(current)) {
    if (eval.EvalReset(current) == LevelTruth::kFalse) return current;
  }
  // 3. current down to INFO.
  for (int l = cur; l > 0; --l) {
    const auto level = static_cast<AlertLevel>(l);
    if (!eval.HasLevel(level)) continue;
    if (eval.EvalLevel(level) == LevelTruth::kTrue) return level;
  }
  return AlertLevel::kOK;
}

template <typename Evaluator>
AlertLevel DetermineLevelMasked(AlertLevel current, unsigned level_mask, unsigned reset_mask,
                                Evaluator& eval) {
  const int cur = static_cast<int>(current);
  // 1. Defined levels from CRITICAL down to max(current, INFO).
  unsigned m = level_mask & 0xEu & ~((1u << cur) - 1);
  while (m != 0) {
    const int l = 31 - __builtin_clz(m);
    if (eval.EvalLevel(static_cast<AlertLevel>(l)) == LevelTruth::kTrue) {
      return static_cast<AlertLevel>(l);
    }
    m &= ~(1u << l);
  }
  // 2. The current level's reset.
  if (cur != 0 && ((reset_mask >> cur) & 1u) != 0) {
    if (eval.EvalReset(current) == LevelTruth::kFalse) return current;
  }
  // 3. Defined levels from current down to INFO.
  m = level_mask & 0xEu & ((2u << cur) - 1);
  while (m != 0) {
    const int l = 31 - __builtin_clz(m);
    if (eval.EvalLevel(static_cast<AlertLevel>(l)) == LevelTruth::kTrue) {
      return static_cast<AlertLevel>(l);
    }
    m &= ~(1u << l);
  }
  return AlertLevel::kOK;
}

}  // namespace tick::nodes

#endif  // TICK_NODES_ALERT_STATE_H_
