// File: interpreter/lambda.h
//
// The lambda engine: script-level `var` evaluation (Scope) and compiled TICKscript lambdas
// (CompiledLambda) evaluated per point with Kapacitor's semantics (tick/stateful).
//
//   TICK_ASSIGN_OR_RETURN(Scope scope, EvalScriptVars(script));
//   TICK_ASSIGN_OR_RETURN(CompiledLambda crit,
//                         CompileLambda(*lambda_expr, scope, script.source));
//   std::unique_ptr<EvalState> state = crit.NewState();   // one per group (or shared, see below)
//   EvalScratch scratch;
//   std::vector<Value> slots(crit.slot_names().size());
//   for (each point) {
//     for (size_t i = 0; i < slots.size(); ++i) slots[i] = <bind crit.slot_names()[i]>;
//     scratch.Reset();
//     Value err;
//     switch (crit.EvalPredicate(slots, state.get(), &scratch, &err)) { ... }
//     // on kError: log crit.FormatError(err) (before the next scratch.Reset()).
//   }
//
// Compilation resolves references to slots, substitutes script vars (identifiers inside a
// lambda are frozen at compile time, as Kapacitor's resolveIdents does), folds constants,
// compiles regexes once and checks types that are known statically. Evaluation allocates no
// heap memory in the steady state: strings produced by string functions live in EvalScratch.
#ifndef TICK_INTERPRETER_LAMBDA_H_
#define TICK_INTERPRETER_LAMBDA_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "base/source.h"
#include "grammar/ast.h"
#include "interpreter/value.h"

namespace tick::interp {

class CompiledLambda;
namespace internal {
struct FastOp;         // the fast predicate form of a lambda (lambda.cc)
struct ScratchAccess;  // the regex memo's hit path, inlined into the fast form (lambda.cc)

// `slot <cmp> number` as "the slot's float lies in [lo, hi]", negated for != (NaN lies in no
// interval, so it compares false, except with !=, as in IEEE).
struct SlotInterval {
  double lo = 0, hi = 0;
  // An int value is compared exactly with an int constant: [ilo, ihi] (empty when ilo > ihi);
  // with a float constant, as a float (Kapacitor converts it).
  int64_t ilo = 0, ihi = -1;
  uint32_t slot = 0;
  bool negate = false;
  bool const_is_int = false;
  bool Holds(double x) const { return ((lo <= x) & (x <= hi)) != negate; }
  bool HoldsInt(int64_t x) const {
    if (!const_is_int) return Holds(static_cast<double>(x));
    return ((ilo <= x) & (x <= ihi)) != negate;
  }
};
// The lambdas CompiledLambda::EvalPredicate answers inline when their slots hold floats: one
// comparison of a slot with a number (or a range of one slot), or the AND / OR of two; an int
// slot too for a single comparison.
struct InlineForm {
  enum class Shape : uint8_t { kNone, kOne, kAnd, kOr };
  Shape shape = Shape::kNone;
  SlotInterval first, second;
};
bool HasFastPathForTesting(const CompiledLambda& lambda);
}  // namespace internal

// ---------------------------------------------------------------------------------------------
// Scope: script-level var bindings.
//
// TICKscript vars are immutable. A binding is either a *literal* (an AST node of kind kInt,
// kFloat, kString, kBool, kDuration, kRegex, kLambda, kList or kStar, owned by the Scope) or a
// *node* var (`var data = stream|from()`; its value lives in the pipeline builder, the Scope only
// records the name so that redefinition and "undefined" errors are right).
// `stream` and `batch` are NOT pre-declared; the pipeline builder declares them if it wants.
class Scope {
 public:
  Scope() = default;
  Scope(Scope&&) = default;
  Scope& operator=(Scope&&) = default;

  // Binds `name` to `literal` (kinds above; anything else is InvalidArgument). Redefinition →
  // FailedPrecondition "attempted to redefine x, vars are immutable".
  absl::Status Define(std::string name, ast::ExprPtr literal, SourceRange where);
  // Records a node var (same redefinition rule).
  absl::Status DeclareNode(std::string name, SourceRange where);

  // The literal bound to `name`, or nullptr (unknown name or node var).
  const ast::Expr* Find(std::string_view name) const;
  bool Contains(std::string_view name) const;
  bool IsNode(std::string_view name) const;
  // Where `name` was defined (zero range when unknown).
  SourceRange Where(std::string_view name) const;
  // Every defined name, sorted (used in "Names in scope: ..." messages).
  std::vector<std::string> Names() const;

 private:
  struct Entry {
    ast::ExprPtr literal;  // null for node vars
    SourceRange where;
  };
  absl::flat_hash_map<std::string, Entry> entries_;
};

// Values supplied by a task definition (Kapacitor's "predefined vars", e.g. template vars):
// name → literal node (same kinds as Scope::Define).
using PredefinedVars = absl::flat_hash_map<std::string, ast::ExprPtr>;

// Evaluates a script-level expression that is not a chain (a `var` value): literals are cloned,
// identifiers replaced by their var's literal, unary/binary expressions constant-folded with the
// lambda engine's semantics (`5m * 2` is the duration 10m, `'a' + 'b'` the string "ab"), list
// items that are identifiers resolved. Errors are InvalidArgument with a formatted diagnostic.
absl::StatusOr<ast::ExprPtr> EvalScriptExpr(const ast::Expr& expr, const Scope& scope,
                                            const SourceFile& source);

// Processes every `var` statement of `script` in order (kExpr and kDbrp statements are ignored):
//  * `var x = <chain>` or `var x = y` where y is a node var → scope.DeclareNode(x);
//  * `var x = <expr>` → EvalScriptExpr; a predefined value of the same type overrides it
//    (different type → `invalid type supplied for x, got T exp T`);
//  * `var x T` → T must be one of int float bool string regex duration lambda list star
//    (`invalid var type "T"`) and a predefined value must exist
//    (`missing value for var "x".`) of that type.
// `predefined_nodes` are node var names declared before the script runs (e.g. "stream").
// Errors: InvalidArgument with the diagnostic formatted at the offending statement.
absl::StatusOr<Scope> EvalScriptVars(const ast::Script& script,
                                     const PredefinedVars* predefined = nullptr,
                                     absl::Span<const std::string> predefined_nodes = {});

// ---------------------------------------------------------------------------------------------
// Evaluation support objects.

// Per-evaluation arena for strings produced by an evaluation (concatenation, string(),
// strToUpper, ...) and for the rare dynamically formatted error message. Values returned by
// Eval may point into it; they stay valid until Reset(). Reset() keeps the memory, so a reused
// scratch allocates nothing in the steady state. Not thread-safe; one per evaluating thread.
class EvalScratch {
 public:
  EvalScratch();
  ~EvalScratch();
  EvalScratch(const EvalScratch&) = delete;
  EvalScratch& operator=(const EvalScratch&) = delete;

  void Reset() {
    if (dirty_) ResetSlow();
  }
  // `n` bytes of storage valid until Reset().
  char* Allocate(size_t n);
  std::string_view Copy(std::string_view s);
  // Stores an error message (slow path); returns a stable pointer valid until Reset().
  const std::string* StoreMessage(std::string message);

  // RE2::PartialMatch(s, re), memoised for strings up to 54 bytes in a 256-entry direct-mapped
  // table keyed by (serial, s): the strings matched are usually tag values, which repeat, so
  // most matches cost a hash and a compare. When the strings do not repeat (nearly every lookup
  // of a 256-lookup window misses), the memo is bypassed for the next 4096 matches. `serial`
  // must identify `re` uniquely for the life of the process (never reuse a serial for another
  // regex). The table survives Reset(); it is allocated on first use.
  bool RegexMatch(const re2::RE2& re, uint64_t serial, std::string_view s);

 private:
  struct Block;
  friend struct internal::ScratchAccess;
  struct RegexMemo;
  std::unique_ptr<RegexMemo> regex_memo_;
  bool RegexMatchMiss(const re2::RE2& re, uint64_t serial, std::string_view s);
  void ResetSlow();
  bool dirty_ = false;
  std::vector<std::unique_ptr<Block>> blocks_;
  size_t current_ = 0;  // index of the block being filled
  std::vector<std::unique_ptr<std::string>> messages_;
  size_t messages_used_ = 0;
};

// Mutable state of the stateful functions (sigma, count, spread) of one CompiledLambda instance.
// Kapacitor's sharing rules: where/eval nodes use one state per group; alert level/reset lambdas
// and from().where use one state shared by all groups. Create with CompiledLambda::NewState().
class EvalState {
 public:
  virtual ~EvalState() = default;
  // Back to the freshly created state.
  virtual void Reset() = 0;
};

// ---------------------------------------------------------------------------------------------
// CompiledLambda: immutable after compilation; cheap to copy (shared implementation); Eval is
// const and thread-safe as long as each thread passes its own EvalState and EvalScratch.
class CompiledLambda {
 public:
  class Impl;

  CompiledLambda();  // an empty lambda: Eval returns Missing; for default-constructed members
  CompiledLambda(const CompiledLambda&);
  CompiledLambda(CompiledLambda&&) noexcept;
  CompiledLambda& operator=(const CompiledLambda&);
  CompiledLambda& operator=(CompiledLambda&&) noexcept;
  ~CompiledLambda();

  // Distinct references in slot order (first occurrence order in the source). For every point
  // the caller binds slot i to:
  //   * name "time"                → Value::Time(point time in ns since the epoch, UTC);
  //   * the field value if present  (float/int/string/bool; line-protocol uint → Value::Uint,
  //                                  which evaluates to Kapacitor's invalid-type error);
  //   * else the tag value          → Value::String;
  //   * else Value::Missing()       (or a value the caller keeps in scope, e.g. eval's .as());
  //   * field AND tag of that name  → FieldTagConflictError(i).
  const std::vector<std::string>& slot_names() const;

  std::unique_ptr<EvalState> NewState() const;

  // Evaluates with `slots` bound as above. Returns the result or an error Value (kError; format
  // it with FormatError). `state` may be null only if !has_state(). String results may point into
  // `scratch`, the lambda's constants or the slots' strings.
  Value Eval(absl::Span<const Value> slots, EvalState* state, EvalScratch* scratch) const;

  // Kapacitor's EvalPredicate: the result must be a boolean; any other kind is an error
  // (written to *error) as are evaluation errors.
  // Most predicates (comparisons, regex matches, NOT/AND/OR over references and constants)
  // answer through a specialised fast form without boxing; anything unusual there (a missing
  // value, an error, an unexpected kind) is evaluated again by the general evaluator, which
  // gives Kapacitor's exact result or error.
  enum class Truth { kFalse = 0, kTrue = 1, kError = 2 };
  ABSL_ATTRIBUTE_ALWAYS_INLINE Truth EvalPredicate(absl::Span<const Value> slots, EvalState* state,
                                                   EvalScratch* scratch, Value* error) const {
    if (constant_truth_ >= 0) return static_cast<Truth>(constant_truth_);  // folded
    using Shape = internal::InlineForm::Shape;
    if (inline_.shape != Shape::kNone) {
      // Both operands are booleans without side effects once their slots hold floats, so the
      // AND / OR short circuit is unobservable.
      const Value& v = slots[inline_.first.slot];
      if (v.kind() == ValueKind::kFloat) {
        const bool a = inline_.first.Holds(v.float_value());
        if (inline_.shape == Shape::kOne) return static_cast<Truth>(a);
        const Value& w = slots[inline_.second.slot];
        if (w.kind() == ValueKind::kFloat) {
          const bool b = inline_.second.Holds(w.float_value());
          return static_cast<Truth>(inline_.shape == Shape::kAnd ? (a & b) : (a | b));
        }
      } else if (v.kind() == ValueKind::kInt && inline_.shape == Shape::kOne) {
        return static_cast<Truth>(inline_.first.HoldsInt(v.int_value()));
      }
    }
    if (fast_fn_ != nullptr) {
      const int t = fast_fn_(*fast_root_, fast_ops_, slots.data(), scratch);
      if (t >= 0) return static_cast<Truth>(t);
    } else if (fast_state_fn_ != nullptr) {
      const int t = fast_state_fn_(*fast_root_, slots.data(), state);
      if (t >= 0) return static_cast<Truth>(t);
    }
    return EvalPredicateSlow(slots, state, scratch, error);
  }

  // Kapacitor's message for an error Value returned by this lambda (or FieldTagConflictError),
  // e.g. `left reference value "usage_idle" is missing value`. Errors whose message is built
  // at run time point into the EvalScratch: format them before resetting it.
  std::string FormatError(const Value& error) const;

  // The error Value for "cannot have field and tags with same name" for slot `slot`.
  static Value FieldTagConflictError(size_t slot);

  // Source range of the lambda (or body) that was compiled.
  SourceRange range() const;
  // Result kind if known at compile time (e.g. kBool for a comparison), else kMissing.
  ValueKind static_kind() const;
  // True if the lambda contains a stateful function (sigma, count, spread).
  bool has_state() const;
  // True if the whole lambda folded to a constant.
  bool is_constant() const;

 private:
  friend absl::StatusOr<CompiledLambda> CompileLambda(const ast::Expr&, const Scope&,
                                                      const SourceFile&);
  friend bool internal::HasFastPathForTesting(const CompiledLambda& lambda);
  explicit CompiledLambda(std::shared_ptr<const Impl> impl);
  Truth EvalPredicateSlow(absl::Span<const Value> slots, EvalState* state, EvalScratch* scratch,
                          Value* error) const;

  std::shared_ptr<const Impl> impl_;
  // The fast form (null when the lambda has none); points into *impl_.
  using FastFn = int (*)(const internal::FastOp& self, const internal::FastOp* ops,
                         const Value* slots, EvalScratch* scratch);
  FastFn fast_fn_ = nullptr;
  const internal::FastOp* fast_root_ = nullptr;
  const internal::FastOp* fast_ops_ = nullptr;
  // The stateful fast form (`sigma("x") > 3.0`), which needs the lambda's state; uses fast_root_.
  using FastStateFn = int (*)(const internal::FastOp& self, const Value* slots, EvalState* state);
  FastStateFn fast_state_fn_ = nullptr;
  int8_t constant_truth_ = -1;  // 0/1 when the lambda folded to a boolean constant
  // The commonest alert rules (see InlineForm) are answered without a call.
  internal::InlineForm inline_;
};

// Compiles a kLambda node or a bare lambda body. Identifiers resolve through `scope` (literal
// vars only; a var holding a lambda is inlined). Errors are InvalidArgument whose message is
// source.FormatError(...) at the offending node:
//   name "x" is undefined. Names in scope: a,b
//   undefined function: "f"
//   Cannot call function "abs" with args (...), available signatures are [...].   (static types)
//   mismatched type to binary operator. got int + float. see bool(), ...          (static types)
//   invalid regex: ...
absl::StatusOr<CompiledLambda> CompileLambda(const ast::Expr& lambda_or_body, const Scope& scope,
                                             const SourceFile& source);

// The errors CompileLambda would report, without building anything kept (the fast form, the
// shared evaluator): what `tickrun check` needs.
absl::Status CheckLambda(const ast::Expr& lambda_or_body, const Scope& scope,
                         const SourceFile& source);

}  // namespace tick::interp

#endif  // TICK_INTERPRETER_LAMBDA_H_
