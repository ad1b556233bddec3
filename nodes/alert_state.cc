// File: nodes/alert_state.cc
#include "nodes/alert_state.h"

#include <algorithm>
#include <limits>
#include <string>

#include "absl/base/attributes.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/strings.h"

namespace tick::nodes {
namespace {

// Flapping weights (alert.go: maxWeight, weightDiff).
constexpr double kMaxWeight = 1.2;
constexpr double kWeightDiff = 1.5;

constexpr int64_t kMaxDuration = std::numeric_limits<int64_t>::max();
constexpr int64_t kMinDuration = std::numeric_limits<int64_t>::min();

// Go's Time.Sub: a - b, saturating at the int64 bounds. nullopt is the zero time.Time (year 1),
// which lies below every int64 nanosecond timestamp.
int64_t GoTimeSub(std::optional<int64_t> a, std::optional<int64_t> b) {
  if (!a.has_value() && !b.has_value()) return 0;
  if (!b.has_value()) return kMaxDuration;
  if (!a.has_value()) return kMinDuration;
  int64_t d;
  if (__builtin_sub_overflow(*a, *b, &d)) return *a > *b ? kMaxDuration : kMinDuration;
  return d;
}

}  // namespace

std::string_view AlertLevelName(AlertLevel level) {
  switch (level) {
    case AlertLevel::kOK:
      return "OK";
    case AlertLevel::kInfo:
      return "INFO";
    case AlertLevel::kWarning:
      return "WARNING";
    case AlertLevel::kCritical:
      return "CRITICAL";
  }
  return "unknown";
}

absl::StatusOr<AlertLevel> ParseAlertLevel(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  for (int l = 0; l < kNumAlertLevels; ++l) {
    const auto level = static_cast<AlertLevel>(l);
    if (upper == AlertLevelName(level)) return level;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown alert level '", Sv(text), "'"));
}

AlertState::AlertState(const AlertStateOptions& options)
    : options_(options),
      history_(static_cast<size_t>(std::max<int64_t>(options.history, 2)), AlertLevel::kOK) {
  options_.history = static_cast<int64_t>(history_.size());
  plain_ = !options_.use_flapping && !options_.state_changes_only &&
           options_.state_changes_only_duration_ns == 0;
}

// Inlined into StepPoint (the per-point path).
ABSL_ATTRIBUTE_ALWAYS_INLINE inline void AlertState::AddEventImpl(int64_t time_ns,
                                                                  AlertLevel level) {
  changed_ = history_[idx_] != level;
  if (++idx_ == history_.size()) idx_ = 0;
  history_[idx_] = level;
  if (options_.use_flapping) {
    const double p = PercentChange();
    if (flapping_ && p < options_.flap_low) {
      flapping_ = false;
    } else if (!flapping_ && p > options_.flap_high) {
      flapping_ = true;
    }
  }
  expired_ = !changed_ && options_.state_changes_only_duration_ns != 0 &&
             GoTimeSub(time_ns, last_triggered_) >= options_.state_changes_only_duration_ns;
}

void AlertState::AddEvent(int64_t time_ns, AlertLevel level) { AddEventImpl(time_ns, level); }

void AlertState::Triggered(int64_t time_ns) {
  last_triggered_ = time_ns;
  const size_t prev = idx_ == 0 ? history_.size() - 1 : idx_ - 1;
  if (history_[prev] == AlertLevel::kOK) first_triggered_ = time_ns;
}

double AlertState::PercentChange() const {
  // Literal transcription of Kapacitor's loop: it starts at the newest entry and walks forward
  // (wrapping), comparing each entry with the slot before it, with linearly rising weights.
  const size_t l = history_.size();
  double changes = 0.0;
  double weight = kMaxWeight / kWeightDiff;
  const double step = (kMaxWeight - weight) / static_cast<double>(l - 1);
  for (size_t i = 0; i + 1 < l; ++i) {
    const size_t c = (i + idx_) % l;
    const size_t p = c == 0 ? l - 1 : c - 1;
    if (history_[c] != history_[p]) changes += weight;
    weight += step;
  }
  return changes / static_cast<double>(l - 1);
}

int64_t AlertState::DurationSlow() const { return GoTimeSub(last_triggered_, first_triggered_); }

ABSL_ATTRIBUTE_ALWAYS_INLINE inline AlertStep AlertState::MakeStep(
    AlertStep::Outcome outcome) const {
  AlertStep step;
  step.outcome = outcome;
  step.level = current_level();
  step.changed = changed_;
  step.flapping = flapping_;
  step.expired = expired_;
  step.duration_ns = Duration();
  return step;
}

AlertStep AlertState::StepPointSlow(int64_t time_ns, AlertLevel level) {
  AddEventImpl(time_ns, level);
  if ((options_.use_flapping && flapping_) ||
      (options_.state_changes_only && !changed_ && !expired_)) {
    return MakeStep(AlertStep::Outcome::kSuppressed);
  }
  if (level != AlertLevel::kOK || changed_) {
    Triggered(time_ns);
    if (options_.no_recoveries && level == AlertLevel::kOK) {
      return MakeStep(AlertStep::Outcome::kRecoverySuppressed);
    }
    return MakeStep(AlertStep::Outcome::kEmit);
  }
  return MakeStep(AlertStep::Outcome::kNothing);
}

AlertStep AlertState::StepBatch(int64_t time_ns, AlertLevel level) {
  AddEvent(time_ns, level);
  const bool recovery = changed_ && level == AlertLevel::kOK;
  const bool alerting =
      level != AlertLevel::kOK && !((options_.use_flapping && flapping_) ||
                                    (options_.state_changes_only && !changed_ && !expired_));
  if (!recovery && !alerting) {
    return MakeStep(level == AlertLevel::kOK ? AlertStep::Outcome::kNothing
                                             : AlertStep::Outcome::kSuppressed);
  }
  Triggered(time_ns);
  if (options_.no_recoveries && level == AlertLevel::kOK) {
    return MakeStep(AlertStep::Outcome::kRecoverySuppressed);
  }
  return MakeStep(AlertStep::Outcome::kEmit);
}

void AlertState::Restore(int64_t time_ns, AlertLevel level, int64_t triggered_ns) {
  if (level == AlertLevel::kOK) return;
  AddEvent(time_ns, level);
  Triggered(triggered_ns);
}

}  // namespace tick::nodes
