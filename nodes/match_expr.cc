// File: nodes/match_expr.cc
//
// Match expressions: AST rewrite of the alert functions into reserved slots, then the lambda
// engine.
#include "nodes/match_expr.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/source.h"
#include "base/strings.h"
#include "grammar/ast.h"
#include "grammar/parser.h"

namespace tick::nodes {
namespace {

// Reserved slot names: a TICKscript reference cannot contain a control character.
constexpr std::string_view kLevelSlot = "\x01level";
constexpr std::string_view kChangedSlot = "\x01changed";
constexpr std::string_view kNameSlot = "\x01name";
constexpr std::string_view kTaskNameSlot = "\x01taskName";
constexpr std::string_view kDurationSlot = "\x01duration";

absl::Status Rewrite(ast::Expr* e) {
  if (e->kind == ast::ExprKind::kIdent) {
    int64_t v = -1;
    if (e->text == "OK") v = 0;
    if (e->text == "INFO") v = 1;
    if (e->text == "WARNING") v = 2;
    if (e->text == "CRITICAL") v = 3;
    if (v < 0)
      return absl::InvalidArgumentError(absl::StrCat("unknown identifier \"", e->text, "\""));
    e->kind = ast::ExprKind::kInt;
    e->int_value = v;
    return absl::OkStatus();
  }
  if (e->kind == ast::ExprKind::kCall) {
    std::string_view slot;
    if (e->text == "level") slot = kLevelSlot;
    if (e->text == "changed") slot = kChangedSlot;
    if (e->text == "name") slot = kNameSlot;
    if (e->text == "taskName") slot = kTaskNameSlot;
    if (e->text == "alertDuration") slot = kDurationSlot;
    if (e->text == "duration" && e->args.empty()) slot = kDurationSlot;
    if (!slot.empty()) {
      if (!e->args.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(e->text, " takes no arguments"));
      }
      e->kind = ast::ExprKind::kReference;
      e->text = std::string(slot);
      return absl::OkStatus();
    }
  }
  for (ast::ExprPtr& a : e->args) {
    absl::Status s = Rewrite(a.get());
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

// "match:1:9: error: msg\n..." -> "1:9: msg".
std::string ShortDiagnostic(std::string_view message) {
  std::string_view first = message.substr(0, message.find('\n'));
  constexpr std::string_view kPrefix = "match:";
  if (first.substr(0, kPrefix.size()) == kPrefix) first.remove_prefix(kPrefix.size());
  std::string out(first);
  const size_t err = out.find(" error: ");
  if (err != std::string::npos) out.erase(err, 7);
  return out;
}

}  // namespace

absl::StatusOr<MatchExpr> MatchExpr::Compile(std::string_view text) {
  absl::StatusOr<ast::ExprPtr> parsed = grammar::ParseLambdaBody(text, "match");
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid match expression: ", ShortDiagnostic(Sv(parsed.status().message()))));
  }
  ast::ExprPtr expr = std::move(*parsed);
  absl::Status rw = Rewrite(expr.get());
  if (!rw.ok()) return rw;
  interp::Scope scope;
  SourceFile source("match", std::string(text));
  absl::StatusOr<interp::CompiledLambda> lambda = interp::CompileLambda(*expr, scope, source);
  if (!lambda.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid match expression: ", ShortDiagnostic(Sv(lambda.status().message()))));
  }
  MatchExpr m;
  m.text_ = std::string(text);
  m.lambda_ = std::move(*lambda);
  for (const std::string& n : m.lambda_.slot_names()) {
    Slot k = Slot::kTag;
    if (n == kLevelSlot) k = Slot::kLevel;
    if (n == kChangedSlot) k = Slot::kChanged;
    if (n == kNameSlot) k = Slot::kName;
    if (n == kTaskNameSlot) k = Slot::kTaskName;
    if (n == kDurationSlot) k = Slot::kDuration;
    m.slot_kinds_.push_back(k);
  }
  m.slots_.resize(m.slot_kinds_.size());
  if (m.lambda_.has_state()) m.state_ = m.lambda_.NewState();
  m.scratch_ = std::make_shared<interp::EvalScratch>();
  return m;
}

absl::StatusOr<bool> MatchExpr::Matches(const AlertEventData& event, std::string_view task_name) {
  const std::vector<std::string>& names = lambda_.slot_names();
  for (size_t i = 0; i < slot_kinds_.size(); ++i) {
    switch (slot_kinds_[i]) {
      case Slot::kLevel:
        slots_[i] = interp::Value::Int(static_cast<int64_t>(event.level));
        break;
      case Slot::kChanged:
        slots_[i] = interp::Value::Bool(event.level != event.previous_level);
        break;
      case Slot::kName:
        slots_[i] = interp::Value::String(event.name);
        break;
      case Slot::kTaskName:
        slots_[i] = interp::Value::String(task_name);
        break;
      case Slot::kDuration:
        slots_[i] = interp::Value::Duration(event.duration_ns);
        break;
      case Slot::kTag: {
        bool found = false;
        for (const AlertTag& t : event.tags) {
          if (t.key == names[i]) {
            slots_[i] = interp::Value::String(t.value);
            found = true;
            break;
          }
        }
        if (!found) {
          return absl::InvalidArgumentError(absl::StrCat("no tag exists for ", names[i]));
        }
        break;
      }
    }
  }
  scratch_->Reset();
  interp::Value err;
  switch (lambda_.EvalPredicate(slots_, state_.get(), scratch_.get(), &err)) {
    case interp::CompiledLambda::Truth::kTrue:
      return true;
    case interp::CompiledLambda::Truth::kFalse:
      return false;
    case interp::CompiledLambda::Truth::kError:
      break;
  }
  return absl::InvalidArgumentError(lambda_.FormatError(err));
}

}  // namespace tick::nodes
