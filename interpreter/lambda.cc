// File: interpreter/lambda.cc
//
// Compiler and evaluator of TICKscript lambdas. The AST is compiled into a tree of `final`
// nodes; the hot shapes (`"ref" <op> const`, `"ref" <op> "ref"`, ...) are template
// specialisations whose operands are read without virtual calls. Errors are Values whose text
// is produced lazily by FormatError.
//
// Evaluation order: operands are evaluated left to right and their kinds checked afterwards
// (Kapacitor checks the types of both operands first). The results and error texts are the
// same except when one evaluation has several errors, where the first one found may differ.
#include "interpreter/lambda.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "base/strings.h"
#include "interpreter/gofmt.h"
#include "interpreter/lambda_internal.h"
#include "re2/re2.h"

namespace tick::interp {

using ast::BinaryOp;
using ast::Expr;
using ast::ExprKind;
using K = ValueKind;
using namespace internal;  // NOLINT(build/namespaces): internal helpers of this engine
using tick::Sv;

// =============================================================================================
// Scope

namespace {
bool IsLiteralKind(ExprKind k) {
  switch (k) {
    case ExprKind::kInt:
    case ExprKind::kFloat:
    case ExprKind::kString:
    case ExprKind::kBool:
    case ExprKind::kDuration:
    case ExprKind::kRegex:
    case ExprKind::kLambda:
    case ExprKind::kList:
    case ExprKind::kStar:
      return true;
    default:
      return false;
  }
}
}  // namespace

absl::Status Scope::Define(std::string name, ast::ExprPtr literal, SourceRange where) {
  if (literal == nullptr || !IsLiteralKind(literal->kind)) {
    return absl::InvalidArgumentError(
        absl::StrCat("var \"", Sv(name), "\" must be bound to a literal value"));
  }
  if (entries_.contains(name)) {
    return absl::FailedPreconditionError(
        absl::StrCat("attempted to redefine ", Sv(name), ", vars are immutable"));
  }
  entries_[std::move(name)] = Entry{std::move(literal), where};
  return absl::OkStatus();
}

absl::Status Scope::DeclareNode(std::string name, SourceRange where) {
  if (entries_.contains(name)) {
    return absl::FailedPreconditionError(
        absl::StrCat("attempted to redefine ", Sv(name), ", vars are immutable"));
  }
  entries_[std::move(name)] = Entry{nullptr, where};
  return absl::OkStatus();
}

const Expr* Scope::Find(std::string_view name) const {
  auto it = entries_.find(std::string(name));
  return it == entries_.end() ? nullptr : it->second.literal.get();
}

bool Scope::Contains(std::string_view name) const { return entries_.contains(std::string(name)); }

bool Scope::IsNode(std::string_view name) const {
  auto it = entries_.find(std::string(name));
  return it != entries_.end() && it->second.literal == nullptr;
}

SourceRange Scope::Where(std::string_view name) const {
  auto it = entries_.find(std::string(name));
  return it == entries_.end() ? SourceRange{} : it->second.where;
}

std::vector<std::string> Scope::Names() const {
  std::vector<std::string> names;
  names.reserve(entries_.size());
  for (const auto& [k, v] : entries_) names.push_back(k);
  std::sort(names.begin(), names.end());
  return names;
}

// =============================================================================================
// EvalScratch

struct EvalScratch::Block {
  explicit Block(size_t n) : data(new char[n]), size(n) {}
  std::unique_ptr<char[]> data;
  size_t size;
  size_t used = 0;
};

EvalScratch::EvalScratch() { blocks_.push_back(std::make_unique<Block>(4096)); }
EvalScratch::~EvalScratch() = default;

void EvalScratch::ResetSlow() {
  dirty_ = false;
  for (auto& b : blocks_) b->used = 0;
  current_ = 0;
  for (size_t i = 0; i < messages_used_; ++i) messages_[i]->clear();
  messages_used_ = 0;
}

char* EvalScratch::Allocate(size_t n) {
  dirty_ = true;
  while (true) {
    Block& b = *blocks_[current_];
    if (b.size - b.used >= n) {
      char* p = b.data.get() + b.used;
      b.used += n;
      return p;
    }
    if (current_ + 1 < blocks_.size()) {
      ++current_;
      continue;
    }
    blocks_.push_back(std::make_unique<Block>(std::max<size_t>(n, 2 * b.size)));
    current_ = blocks_.size() - 1;
  }
}

std::string_view EvalScratch::Copy(std::string_view s) {
  if (s.empty()) return std::string_view();
  char* p = Allocate(s.size());
  std::memcpy(p, s.data(), s.size());
  return std::string_view(p, s.size());
}

const std::string* EvalScratch::StoreMessage(std::string message) {
  dirty_ = true;
  if (messages_used_ == messages_.size()) messages_.push_back(std::make_unique<std::string>());
  std::string* m = messages_[messages_used_++].get();
  *m = std::move(message);
  return m;
}

// =============================================================================================
// Compiled representation

namespace {

class StateImpl final : public EvalState {
 public:
  explicit StateImpl(size_t n) : states(n) { Reset(); }
  void Reset() override {
    for (auto& s : states) s.Reset();
  }
  std::vector<FuncState> states;
};

struct Ctx {
  const Value* slots;
  FuncState* states;
  EvalScratch* scratch;
  const CompiledLambda::Impl* impl;
};

constexpr K kUnknownKind = K::kError;  // "not known at compile time"

class Node {
 public:
  explicit Node(uint32_t id) : id_(id) {}
  virtual ~Node() = default;
  virtual Value Eval(const Ctx& c) const = 0;
  // Kapacitor's Type(): the kind (kUint = invalid type) or kError with *err set.
  virtual K Type(const Ctx& c, Value* err) const = 0;
  uint32_t id() const { return id_; }
  K static_kind = kUnknownKind;

 private:
  uint32_t id_;
};

// Per-node data used to format errors.
struct NodeMeta {
  std::string text;     // source text (for signature error literals)
  std::string literal;  // Kapacitor's String() of the evaluator
  int ref_slot = -1;    // for references
  bool is_unary = false;
  const Node* left = nullptr;   // binary
  const Node* right = nullptr;  // binary
  BinaryOp op = BinaryOp::kOr;
  const BuiltinInfo* builtin = nullptr;  // calls
  std::vector<uint32_t> arg_ids;         // calls
  std::vector<const Node*> children;     // every node kind
};

}  // namespace

class CompiledLambda::Impl {
 public:
  std::vector<std::string> slot_names;
  std::vector<std::unique_ptr<Node>> nodes;
  std::vector<NodeMeta> meta;
  const Node* root = nullptr;
  bool root_is_math = false;
  std::vector<std::shared_ptr<const re2::RE2>> regexes;
  std::deque<std::string> strings;
  size_t num_states = 0;
  SourceRange range;
  K static_kind = K::kMissing;
  bool constant = false;

  std::string Format(const Value& e) const;
};

namespace {

std::string FormatErr(const Ctx& c, const Value& e) { return c.impl->Format(e); }

Value Dynamic(EvalScratch* scratch, std::string msg) {
  return Value::Error(kErrDynamic, 0,
                      reinterpret_cast<uintptr_t>(scratch->StoreMessage(std::move(msg))));
}

uint64_t Pack3(K a, BinaryOp op, K b) {
  return static_cast<uint64_t>(a) | static_cast<uint64_t>(op) << 8 | static_cast<uint64_t>(b) << 16;
}

// determineError with a scope (comparison and logical nodes).
Value ScopeError(uint32_t id, BinaryOp op, K lt, K rt) {
  if (lt == K::kUint) return Value::Error(kErrInvalidOperand, id, 0);
  if (lt == K::kMissing) return Value::Error(kErrMissingOperand, id, 0);
  if (rt == K::kUint) return Value::Error(kErrInvalidOperand, id, 1);
  if (rt == K::kMissing) return Value::Error(kErrMissingOperand, id, 1);
  if (!TypeSupportsOp(lt, op)) {
    return Value::Error(kErrInvalidOperator, id, static_cast<uint64_t>(op) | uint64_t(lt) << 8);
  }
  return Value::Error(kErrMismatch, id, Pack3(lt, op, rt));
}

// determineError without a scope (math nodes, whose type is always queried first).
Value NilScopeError(uint32_t id, BinaryOp op, K lt, K rt) {
  if (lt != K::kUint && !TypeSupportsOp(lt, op)) {
    return Value::Error(kErrInvalidOperator, id, static_cast<uint64_t>(op) | uint64_t(lt) << 8);
  }
  if (lt == K::kUint && rt != K::kUint) {
    return Value::Error(kErrInvalidOperator, id, static_cast<uint64_t>(op) | uint64_t(rt) << 8);
  }
  return Value::Error(kErrMismatch, id, Pack3(lt, op, rt));
}

// ---- operand accessors (templated shapes) ----
struct RefA {
  uint32_t slot;
  Value Get(const Ctx& c) const { return c.slots[slot]; }
  K Type(const Ctx& c, Value* err) const {
    const Value& v = c.slots[slot];
    if (v.is_error()) {
      *err = v;
      return K::kError;
    }
    return v.kind();
  }
};
struct ConstA {
  Value v;
  Value Get(const Ctx&) const { return v; }
  K Type(const Ctx&, Value*) const { return v.kind(); }
};
struct NodeA {
  const Node* n;
  Value Get(const Ctx& c) const { return n->Eval(c); }
  K Type(const Ctx& c, Value* err) const {
    if (n->static_kind != kUnknownKind) return n->static_kind;
    return n->Type(c, err);
  }
};

class ConstNode final : public Node {
 public:
  ConstNode(uint32_t id, Value v) : Node(id), v_(v) { static_kind = v.kind(); }
  Value Eval(const Ctx&) const override { return v_; }
  K Type(const Ctx&, Value*) const override { return v_.kind(); }
  Value value() const { return v_; }

 private:
  Value v_;
};

class RefNode final : public Node {
 public:
  RefNode(uint32_t id, uint32_t slot) : Node(id), a_{slot} {}
  Value Eval(const Ctx& c) const override { return a_.Get(c); }
  K Type(const Ctx& c, Value* err) const override { return a_.Type(c, err); }
  uint32_t slot() const { return a_.slot; }

 private:
  RefA a_;
};

class NotNode final : public Node {
 public:
  NotNode(uint32_t id, const Node* child) : Node(id), child_(child) { static_kind = K::kBool; }
  Value Eval(const Ctx& c) const override {
    Value v = child_->Eval(c);
    if (v.kind() == K::kBool) return Value::Bool(!v.bool_value());
    if (v.is_error()) return v;
    return Value::Error(kErrTypeGuard, id(),
                        static_cast<uint64_t>(v.kind()) | uint64_t(K::kBool) << 8);
  }
  K Type(const Ctx&, Value*) const override { return K::kBool; }

 private:
  const Node* child_;
};

class NegNode final : public Node {
 public:
  NegNode(uint32_t id, const Node* child) : Node(id), child_(child) {
    static_kind = child->static_kind;
  }
  Value Eval(const Ctx& c) const override {
    Value v = child_->Eval(c);
    switch (v.kind()) {
      case K::kFloat:
        return Value::Float(-v.float_value());
      case K::kInt:
        return Value::Int(static_cast<int64_t>(0 - static_cast<uint64_t>(v.int_value())));
      case K::kDuration:
        return Value::Duration(static_cast<int64_t>(0 - static_cast<uint64_t>(v.int_value())));
      case K::kMissing:
      case K::kUint:
      case K::kError:
        return v;
      default:
        return Value::Error(kErrTypeGuard, id(),
                            static_cast<uint64_t>(K::kUint) | uint64_t(v.kind()) << 8);
    }
  }
  K Type(const Ctx& c, Value* err) const override { return NodeA{child_}.Type(c, err); }

 private:
  const Node* child_;
};

template <BinaryOp Op, typename T>
inline bool CmpT(T a, T b) {
  if constexpr (Op == BinaryOp::kEq) return a == b;
  if constexpr (Op == BinaryOp::kNe) return a != b;
  if constexpr (Op == BinaryOp::kLt) return a < b;
  if constexpr (Op == BinaryOp::kLe) return a <= b;
  if constexpr (Op == BinaryOp::kGt) return a > b;
  if constexpr (Op == BinaryOp::kGe) return a >= b;
  return false;
}

// Comparison (== != < <= > >=).
template <BinaryOp Op, typename LA, typename RA>
class CmpNode final : public Node {
 public:
  CmpNode(uint32_t id, LA l, RA r) : Node(id), l_(l), r_(r) { static_kind = K::kBool; }
  Value Eval(const Ctx& c) const override {
    const Value l = l_.Get(c);
    if (l.is_error()) return l;
    const Value r = r_.Get(c);
    if (r.is_error()) return r;
    const K lt = l.kind(), rt = r.kind();
    if (lt == K::kFloat) {
      if (rt == K::kFloat) return Value::Bool(CmpT<Op>(l.float_value(), r.float_value()));
      if (rt == K::kInt) {
        return Value::Bool(CmpT<Op>(l.float_value(), static_cast<double>(r.int_value())));
      }
    } else if (lt == K::kInt) {
      if (rt == K::kInt) return Value::Bool(CmpT<Op>(l.int_value(), r.int_value()));
      if (rt == K::kFloat) {
        return Value::Bool(CmpT<Op>(static_cast<double>(l.int_value()), r.float_value()));
      }
    } else if (lt == rt) {
      if (lt == K::kString) return Value::Bool(CmpT<Op>(l.string_value(), r.string_value()));
      if (lt == K::kDuration) return Value::Bool(CmpT<Op>(l.int_value(), r.int_value()));
      if (lt == K::kBool && (Op == BinaryOp::kEq || Op == BinaryOp::kNe)) {
        return Value::Bool(CmpT<Op>(l.bool_value(), r.bool_value()));
      }
    }
    return ScopeError(id(), Op, lt, rt);
  }
  K Type(const Ctx&, Value*) const override { return K::kBool; }

 private:
  LA l_;
  RA r_;
};

// =~ and !~.
template <bool Negate, typename LA, typename RA>
class RegexNode final : public Node {
 public:
  RegexNode(uint32_t id, LA l, RA r) : Node(id), l_(l), r_(r) { static_kind = K::kBool; }
  Value Eval(const Ctx& c) const override {
    const Value l = l_.Get(c);
    if (l.is_error()) return l;
    const Value r = r_.Get(c);
    if (r.is_error()) return r;
    if (l.kind() == K::kString && r.kind() == K::kRegex) {
      std::string_view s = l.string_value();
      bool m = re2::RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *r.regex_value());
      return Value::Bool(m != Negate);
    }
    return ScopeError(id(), Negate ? BinaryOp::kRegexNotMatch : BinaryOp::kRegexMatch, l.kind(),
                      r.kind());
  }
  K Type(const Ctx&, Value*) const override { return K::kBool; }

 private:
  LA l_;
  RA r_;
};

// AND / OR with Kapacitor's type check of both operands before short-circuit evaluation.
template <bool IsAnd>
class LogicNode final : public Node {
 public:
  LogicNode(uint32_t id, const Node* l, const Node* r) : Node(id), l_{l}, r_{r} {
    static_kind = K::kBool;
  }
  // Operands are evaluated first and their kinds checked afterwards; the right operand's type
  // is computed without evaluating it only when the left one short-circuits (Kapacitor checks
  // it before evaluating anything: `FALSE AND "missing"` is an error, not false).
  Value Eval(const Ctx& c) const override {
    constexpr BinaryOp op = IsAnd ? BinaryOp::kAnd : BinaryOp::kOr;
    const Value l = l_.Get(c);
    if (l.kind() == K::kBool) {
      if (l.bool_value() != IsAnd) {
        if (r_.n->static_kind == K::kBool) return l;
        Value err;
        const K rt = r_.n->Type(c, &err);
        if (rt == K::kError) return err;
        return rt == K::kBool ? l : ScopeError(id(), op, K::kBool, rt);
      }
      const Value r = r_.Get(c);
      if (r.kind() == K::kBool) return r;
      return r.is_error() ? r : ScopeError(id(), op, K::kBool, r.kind());
    }
    if (l.is_error()) return l;
    Value err;
    const K rt = r_.Type(c, &err);
    if (rt == K::kError) return err;
    return ScopeError(id(), op, l.kind(), rt);
  }
  K Type(const Ctx&, Value*) const override { return K::kBool; }

 private:
  NodeA l_, r_;
};

// Math operators (+ - * / %): type errors use determineError without scope.
template <BinaryOp Op, typename LA, typename RA>
class MathNode final : public Node {
 public:
  MathNode(uint32_t id, LA l, RA r) : Node(id), l_(l), r_(r) {}
  Value Eval(const Ctx& c) const override {
    const Value l = l_.Get(c);
    if (l.is_error()) return l;
    const Value r = r_.Get(c);
    if (r.is_error()) return r;
    const K lt = l.kind(), rt = r.kind();
    if constexpr (Op != BinaryOp::kMod) {
      if (lt == K::kFloat && rt == K::kFloat) {
        const double a = l.float_value(), b = r.float_value();
        if constexpr (Op == BinaryOp::kAdd) return Value::Float(a + b);
        if constexpr (Op == BinaryOp::kSub) return Value::Float(a - b);
        if constexpr (Op == BinaryOp::kMul) return Value::Float(a * b);
        if constexpr (Op == BinaryOp::kDiv) return Value::Float(a / b);
      }
    }
    if (BinaryResultKind(Op, lt, rt) == K::kError) return NilScopeError(id(), Op, lt, rt);
    return ApplyArithmetic(Op, l, r, c.scratch, id());
  }
  K Type(const Ctx& c, Value* err) const override {
    const K lt = l_.Type(c, err);
    if (lt == K::kError) return lt;
    const K rt = r_.Type(c, err);
    if (rt == K::kError) return rt;
    const K res = BinaryResultKind(Op, lt, rt);
    if (res == K::kError) *err = NilScopeError(id(), Op, lt, rt);
    return res;
  }

 private:
  LA l_;
  RA r_;
};

const char* OrdinalArg(int i) {
  static const char* kNames[] = {"1", "2", "3", "4"};
  return kNames[i];
}

class CallNode final : public Node {
 public:
  CallNode(uint32_t id, const BuiltinInfo* info, std::vector<const Node*> args, int state_index)
      : Node(id), info_(info), args_(std::move(args)), state_index_(state_index) {
    if (info->signatures.size() == 1) static_kind = info->signatures[0].result;
    // A single-signature function still fails at run time on wrong argument types, so its
    // Type() is only static when the argument types are known to match.
    if (static_kind != kUnknownKind) {
      const Signature& s = info->signatures[0];
      for (size_t i = 0; i < args_.size(); ++i) {
        if (args_[i]->static_kind != s.args[i]) static_kind = kUnknownKind;
      }
      if (args_.size() != s.arity) static_kind = kUnknownKind;
    }
  }
  Value Eval(const Ctx& c) const override {
    Value vals[4];
    const int n = static_cast<int>(args_.size());
    for (int i = 0; i < n; ++i) {
      vals[i] = args_[i]->Eval(c);
      if (vals[i].is_error()) return WrapArg(c, i, vals[i]);
    }
    return Finish(c, vals, n);
  }
  // Signature check and call with already evaluated arguments.
  Value Finish(const Ctx& c, Value* vals, int n) const {
    const Signature* sig = Match(vals, n);
    if (sig == nullptr) return SignatureError(vals, n);
    FuncState* st = state_index_ >= 0 ? &c.states[state_index_] : nullptr;
    return CallBuiltin(*info_, vals, n, st, c.scratch);
  }
  K Type(const Ctx& c, Value* err) const override {
    Value vals[4];
    const int n = static_cast<int>(args_.size());
    for (int i = 0; i < n; ++i) {
      const K k = NodeA{args_[i]}.Type(c, err);
      if (k == K::kError) {
        *err = WrapArg(c, i, *err);
        return K::kError;
      }
      vals[i] = KindValue(k);
    }
    const Signature* sig = Match(vals, n);
    if (sig == nullptr) {
      *err = SignatureError(vals, n);
      return K::kError;
    }
    return sig->result;
  }

 private:
  // A value of kind k (only the kind matters for signature matching).
  static Value KindValue(K k) {
    switch (k) {
      case K::kFloat:
        return Value::Float(0);
      case K::kInt:
        return Value::Int(0);
      case K::kString:
        return Value::String("");
      case K::kBool:
        return Value::Bool(false);
      case K::kDuration:
        return Value::Duration(0);
      case K::kTime:
        return Value::Time(0);
      case K::kRegex:
        return Value::Regex(nullptr);
      case K::kUint:
        return Value::Uint(0);
      default:
        return Value::Missing();
    }
  }
  const Signature* Match(const Value* vals, int n) const {
    if (info_->signatures.size() == 1) {
      const Signature& s = info_->signatures[0];
      if (s.arity != n) return nullptr;
      for (int i = 0; i < n; ++i) {
        if (vals[i].kind() != s.args[i]) return nullptr;
      }
      return &s;
    }
    for (const Signature& s : info_->signatures) {
      if (s.arity != n) continue;
      bool ok = true;
      for (int i = 0; i < n && ok; ++i) ok = vals[i].kind() == s.args[i];
      if (ok) return &s;
    }
    return nullptr;
  }
  Value SignatureError(const Value* vals, int n) const {
    uint64_t missing = 0, kinds = 0;
    for (int i = 0; i < n; ++i) {
      if (vals[i].is_missing()) missing |= 1u << i;
      kinds |= static_cast<uint64_t>(vals[i].kind()) << (8 * i);
    }
    if (missing != 0) return Value::Error(kErrMissingArgs, id(), missing);
    return Value::Error(kErrSignature, id(), kinds);
  }

 public:
  Value WrapArg(const Ctx& c, int i, const Value& e) const {
    return Dynamic(c.scratch, absl::StrCat("Failed to handle ", OrdinalArg(i),
                                           " argument: ", FormatErr(c, e)));
  }

 private:
  const BuiltinInfo* info_;
  std::vector<const Node*> args_;
  int state_index_;
};

// Fast paths for the most common stateless functions; other argument kinds take the generic
// path of the CallNode (same id, so errors format identically).
class Math1Node final : public Node {
 public:
  Math1Node(const CallNode* slow, const Node* arg, double (*f)(double))
      : Node(slow->id()), slow_(slow), arg_{arg}, f_(f) {
    static_kind = slow->static_kind;
  }
  Value Eval(const Ctx& c) const override {
    Value v = arg_.Get(c);
    if (v.kind() == K::kFloat) return Value::Float(f_(v.float_value()));
    if (v.is_error()) return slow_->WrapArg(c, 0, v);
    return slow_->Finish(c, &v, 1);
  }
  K Type(const Ctx& c, Value* err) const override { return slow_->Type(c, err); }

 private:
  const CallNode* slow_;
  NodeA arg_;
  double (*f_)(double);
};

template <typename LA, typename RA>
class StrContainsNode final : public Node {
 public:
  StrContainsNode(const CallNode* slow, LA l, RA r) : Node(slow->id()), slow_(slow), l_(l), r_(r) {
    static_kind = slow->static_kind;
  }
  Value Eval(const Ctx& c) const override {
    Value v[2] = {l_.Get(c), r_.Get(c)};
    if (v[0].kind() == K::kString && v[1].kind() == K::kString) {
      return Value::Bool(v[0].string_value().find(v[1].string_value()) != std::string_view::npos);
    }
    if (v[0].is_error()) return slow_->WrapArg(c, 0, v[0]);
    if (v[1].is_error()) return slow_->WrapArg(c, 1, v[1]);
    return slow_->Finish(c, v, 2);
  }
  K Type(const Ctx& c, Value* err) const override { return slow_->Type(c, err); }

 private:
  const CallNode* slow_;
  LA l_;
  RA r_;
};

// =============================================================================================
// Compiler

class Compiler {
 public:
  Compiler(const Scope& scope, const SourceFile& source, CompiledLambda::Impl* impl)
      : scope_(scope), source_(source), impl_(impl) {}

  absl::StatusOr<const Node*> Compile(const Expr& e);

 private:
  absl::Status Error(const Expr& e, std::string_view msg) const {
    absl::Status s = absl::InvalidArgumentError(Sv(source_.FormatError(e.range.begin, msg)));
    SetSourceLocation(s, source_.Locate(e.range.begin));
    return s;
  }
  std::string TextOf(const Expr& e) const {
    const std::string& t = source_.text();
    if (e.range.end > e.range.begin && e.range.end <= t.size()) {
      return t.substr(e.range.begin, e.range.end - e.range.begin);
    }
    return e.text;
  }
  uint32_t NewId(const Expr& e) {
    impl_->meta.emplace_back();
    impl_->meta.back().text = TextOf(e);
    impl_->meta.back().literal = impl_->meta.back().text;
    return static_cast<uint32_t>(impl_->meta.size() - 1);
  }
  template <typename T, typename... Args>
  const Node* Add(Args&&... args) {
    impl_->nodes.push_back(std::make_unique<T>(std::forward<Args>(args)...));
    return impl_->nodes.back().get();
  }
  absl::StatusOr<const Node*> Literal(const Expr& e, const Expr& lit);
  absl::StatusOr<const Node*> Binary(const Expr& e);
  absl::StatusOr<const Node*> Call(const Expr& e);
  uint32_t SlotFor(const std::string& name) {
    auto& names = impl_->slot_names;
    auto it = std::find(names.begin(), names.end(), name);
    if (it != names.end()) return static_cast<uint32_t>(it - names.begin());
    names.push_back(name);
    return static_cast<uint32_t>(names.size() - 1);
  }
  // Folds `n` to a constant if it depends on no slot, state or clock.
  const Node* MaybeFold(const Node* n, const Expr& e, bool pure);

  const Scope& scope_;
  const SourceFile& source_;
  CompiledLambda::Impl* impl_;
  int inline_depth_ = 0;
};

// Shapes: build a templated node for operand accessors.
template <template <BinaryOp, typename, typename> class N, BinaryOp Op>
const Node* MakeShaped(std::vector<std::unique_ptr<Node>>* nodes, uint32_t id, const Node* l,
                       const Node* r) {
  auto ref = [](const Node* n) { return dynamic_cast<const RefNode*>(n); };
  auto cst = [](const Node* n) { return dynamic_cast<const ConstNode*>(n); };
  std::unique_ptr<Node> out;
  if (ref(l) && cst(r)) {
    out = std::make_unique<N<Op, RefA, ConstA>>(id, RefA{ref(l)->slot()}, ConstA{cst(r)->value()});
  } else if (ref(l) && ref(r)) {
    out = std::make_unique<N<Op, RefA, RefA>>(id, RefA{ref(l)->slot()}, RefA{ref(r)->slot()});
  } else if (cst(l) && ref(r)) {
    out = std::make_unique<N<Op, ConstA, RefA>>(id, ConstA{cst(l)->value()}, RefA{ref(r)->slot()});
  } else if (cst(r)) {
    out = std::make_unique<N<Op, NodeA, ConstA>>(id, NodeA{l}, ConstA{cst(r)->value()});
  } else if (ref(l)) {
    out = std::make_unique<N<Op, RefA, NodeA>>(id, RefA{ref(l)->slot()}, NodeA{r});
  } else {
    out = std::make_unique<N<Op, NodeA, NodeA>>(id, NodeA{l}, NodeA{r});
  }
  nodes->push_back(std::move(out));
  return nodes->back().get();
}

template <BinaryOp Op, typename LA, typename RA>
using RegexMatchNode = RegexNode<false, LA, RA>;
template <BinaryOp Op, typename LA, typename RA>
using RegexNotMatchNode = RegexNode<true, LA, RA>;

absl::StatusOr<const Node*> Compiler::Literal(const Expr& e, const Expr& lit) {
  const uint32_t id = NewId(e);
  Value v;
  switch (lit.kind) {
    case ExprKind::kInt:
      v = Value::Int(lit.int_value);
      impl_->meta[id].literal = absl::StrCat(lit.int_value);
      break;
    case ExprKind::kFloat: {
      v = Value::Float(lit.float_value);
      std::string s;
      AppendGoFloatV(&s, lit.float_value);
      impl_->meta[id].literal = s;
      break;
    }
    case ExprKind::kString:
      impl_->strings.push_back(lit.text);
      v = Value::String(impl_->strings.back());
      break;
    case ExprKind::kBool:
      v = Value::Bool(lit.bool_value);
      impl_->meta[id].literal = lit.bool_value ? "true" : "false";
      break;
    case ExprKind::kDuration:
      v = Value::Duration(lit.int_value);
      break;
    case ExprKind::kRegex: {
      std::shared_ptr<const re2::RE2> re = lit.regex;  // compiled once, by the parser
      if (re == nullptr) {
        re2::RE2::Options opts;
        opts.set_log_errors(false);
        re = std::make_shared<const re2::RE2>(lit.text, opts);
      }
      if (!re->ok()) {
        return Error(e, absl::StrCat("invalid regex /", Sv(lit.text), "/: ", re->error()));
      }
      v = Value::Regex(re.get());
      impl_->regexes.push_back(std::move(re));
      break;
    }
    default:
      return Error(e, "unsupported literal in lambda expression");
  }
  return Add<ConstNode>(id, v);
}

absl::StatusOr<const Node*> Compiler::Compile(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kLambda:
      if (e.args.empty()) return Error(e, "empty lambda");
      return Compile(*e.args[0]);
    case ExprKind::kInt:
    case ExprKind::kFloat:
    case ExprKind::kString:
    case ExprKind::kBool:
    case ExprKind::kDuration:
    case ExprKind::kRegex:
      return Literal(e, e);
    case ExprKind::kReference: {
      const uint32_t id = NewId(e);
      const uint32_t slot = SlotFor(e.text);
      impl_->meta[id].ref_slot = static_cast<int>(slot);
      impl_->meta[id].literal = absl::StrCat("\"", Sv(e.text), "\"");
      return Add<RefNode>(id, slot);
    }
    case ExprKind::kIdent: {
      const Expr* lit = scope_.Find(e.text);
      if (lit == nullptr) {
        if (scope_.IsNode(e.text)) {
          return Error(e, absl::StrCat("var \"", Sv(e.text),
                                       "\" holds a node and cannot be used in a lambda"));
        }
        return Error(e, absl::StrCat("name \"", Sv(e.text), "\" is undefined. Names in scope: ",
                                     absl::StrJoin(scope_.Names(), ",")));
      }
      if (lit->kind == ExprKind::kLambda) {
        if (++inline_depth_ > 64) return Error(e, "lambda vars nested too deeply");
        auto r = Compile(*lit->args[0]);
        --inline_depth_;
        return r;
      }
      if (lit->kind == ExprKind::kList || lit->kind == ExprKind::kStar) {
        return Error(e, absl::StrCat("var \"", Sv(e.text), "\" of type ",
                                     lit->kind == ExprKind::kList ? "list" : "star",
                                     " cannot be used in a lambda expression"));
      }
      return Literal(e, *lit);
    }
    case ExprKind::kUnary: {
      TICK_ASSIGN_OR_RETURN(const Node* child, Compile(*e.args[0]));
      const uint32_t id = NewId(e);
      impl_->meta[id].is_unary = true;
      impl_->meta[id].children = {child};
      const Node* n =
          e.unary_op == ast::UnaryOp::kNot ? Add<NotNode>(id, child) : Add<NegNode>(id, child);
      return MaybeFold(n, e, true);
    }
    case ExprKind::kBinary:
      return Binary(e);
    case ExprKind::kCall:
      return Call(e);
    case ExprKind::kStar:
    case ExprKind::kList:
    case ExprKind::kChain:
      return Error(e, "unsupported expression in lambda");
  }
  return Error(e, "unsupported expression in lambda");
}

absl::StatusOr<const Node*> Compiler::Binary(const Expr& e) {
  TICK_ASSIGN_OR_RETURN(const Node* l, Compile(*e.args[0]));
  TICK_ASSIGN_OR_RETURN(const Node* r, Compile(*e.args[1]));
  const uint32_t id = NewId(e);
  NodeMeta& m = impl_->meta[id];
  m.left = l;
  m.right = r;
  m.op = e.binary_op;
  m.children = {l, r};
  auto* nodes = &impl_->nodes;
  const Node* n = nullptr;
  switch (e.binary_op) {
    case BinaryOp::kAnd:
      n = Add<LogicNode<true>>(id, l, r);
      break;
    case BinaryOp::kOr:
      n = Add<LogicNode<false>>(id, l, r);
      break;
    case BinaryOp::kEq:
      n = MakeShaped<CmpNode, BinaryOp::kEq>(nodes, id, l, r);
      break;
    case BinaryOp::kNe:
      n = MakeShaped<CmpNode, BinaryOp::kNe>(nodes, id, l, r);
      break;
    case BinaryOp::kLt:
      n = MakeShaped<CmpNode, BinaryOp::kLt>(nodes, id, l, r);
      break;
    case BinaryOp::kLe:
      n = MakeShaped<CmpNode, BinaryOp::kLe>(nodes, id, l, r);
      break;
    case BinaryOp::kGt:
      n = MakeShaped<CmpNode, BinaryOp::kGt>(nodes, id, l, r);
      break;
    case BinaryOp::kGe:
      n = MakeShaped<CmpNode, BinaryOp::kGe>(nodes, id, l, r);
      break;
    case BinaryOp::kRegexMatch:
      n = MakeShaped<RegexMatchNode, BinaryOp::kRegexMatch>(nodes, id, l, r);
      break;
    case BinaryOp::kRegexNotMatch:
      n = MakeShaped<RegexNotMatchNode, BinaryOp::kRegexNotMatch>(nodes, id, l, r);
      break;
    case BinaryOp::kAdd:
      n = MakeShaped<MathNode, BinaryOp::kAdd>(nodes, id, l, r);
      break;
    case BinaryOp::kSub:
      n = MakeShaped<MathNode, BinaryOp::kSub>(nodes, id, l, r);
      break;
    case BinaryOp::kMul:
      n = MakeShaped<MathNode, BinaryOp::kMul>(nodes, id, l, r);
      break;
    case BinaryOp::kDiv:
      n = MakeShaped<MathNode, BinaryOp::kDiv>(nodes, id, l, r);
      break;
    case BinaryOp::kMod:
      n = MakeShaped<MathNode, BinaryOp::kMod>(nodes, id, l, r);
      break;
  }
  const bool is_math = std::strcmp(OperatorClass(e.binary_op), "math") == 0;
  if (is_math && l->static_kind != kUnknownKind && r->static_kind != kUnknownKind) {
    // Both operand types are known: a type error is a compile error (Kapacitor reports it
    // when the expression is created), otherwise the result type is known too.
    const K res = BinaryResultKind(e.binary_op, l->static_kind, r->static_kind);
    if (res == K::kError) {
      Value err = NilScopeError(id, e.binary_op, l->static_kind, r->static_kind);
      return Error(e, impl_->Format(err));
    }
    const_cast<Node*>(n)->static_kind = res;
  }
  if (!is_math && e.binary_op != BinaryOp::kAnd && e.binary_op != BinaryOp::kOr &&
      l->static_kind != kUnknownKind && r->static_kind != kUnknownKind &&
      dynamic_cast<const ConstNode*>(l) && dynamic_cast<const ConstNode*>(r) &&
      BinaryResultKind(e.binary_op, l->static_kind, r->static_kind) == K::kError) {
    Value err = ScopeError(id, e.binary_op, l->static_kind, r->static_kind);
    return Error(e, impl_->Format(err));
  }
  return MaybeFold(n, e, true);
}

absl::StatusOr<const Node*> Compiler::Call(const Expr& e) {
  const BuiltinInfo* info = FindBuiltin(e.text);
  if (info == nullptr) return Error(e, absl::StrCat("undefined function: \"", Sv(e.text), "\""));
  if (e.args.size() > 4) {
    return Error(e, absl::StrCat("too many arguments provided: function \"", Sv(e.text),
                                 "\" takes at most 4 arguments"));
  }
  std::vector<const Node*> args;
  std::vector<uint32_t> arg_ids;
  for (const auto& a : e.args) {
    TICK_ASSIGN_OR_RETURN(const Node* n, Compile(*a));
    args.push_back(n);
    arg_ids.push_back(n->id());
  }
  const uint32_t id = NewId(e);
  NodeMeta& m = impl_->meta[id];
  m.builtin = info;
  m.arg_ids = arg_ids;
  m.children = args;
  {
    std::vector<std::string> lits;
    for (uint32_t a : arg_ids) lits.push_back(impl_->meta[a].literal);
    m.literal = absl::StrCat(info->name, "(", absl::StrJoin(lits, ", "), ")");
  }
  int state_index = -1;
  if (info->stateful) state_index = static_cast<int>(impl_->num_states++);
  // Static signature check when every argument type is known.
  bool all_known = true;
  for (const Node* a : args) all_known = all_known && a->static_kind != kUnknownKind;
  if (all_known) {
    bool match = false;
    for (const Signature& s : info->signatures) {
      if (s.arity != args.size()) continue;
      bool ok = true;
      for (size_t i = 0; i < args.size() && ok; ++i) ok = args[i]->static_kind == s.args[i];
      match = match || ok;
    }
    if (!match) {
      std::vector<std::string> lits;
      std::vector<K> kinds;
      for (size_t i = 0; i < args.size(); ++i) {
        lits.push_back(impl_->meta[arg_ids[i]].literal);
        kinds.push_back(args[i]->static_kind);
      }
      return Error(e, SignatureErrorText(*info, lits, kinds.data(), static_cast<int>(args.size())));
    }
  }
  std::vector<const Node*> arg_nodes = args;
  const auto* call =
      static_cast<const CallNode*>(Add<CallNode>(id, info, std::move(args), state_index));
  const Node* n = call;
  double (*math1)(double) = nullptr;
  switch (info->id) {
    case FuncId::kAbs:
      math1 = [](double x) { return std::fabs(x); };
      break;
    case FuncId::kSqrt:
      math1 = [](double x) { return std::sqrt(x); };
      break;
    case FuncId::kFloor:
      math1 = [](double x) { return std::floor(x); };
      break;
    case FuncId::kCeil:
      math1 = [](double x) { return std::ceil(x); };
      break;
    default:
      break;
  }
  if (math1 != nullptr && arg_nodes.size() == 1) {
    n = Add<Math1Node>(call, arg_nodes[0], math1);
  } else if (info->id == FuncId::kStrContains && arg_nodes.size() == 2) {
    auto ref = [](const Node* x) { return dynamic_cast<const RefNode*>(x); };
    auto cst = [](const Node* x) { return dynamic_cast<const ConstNode*>(x); };
    if (ref(arg_nodes[0]) && cst(arg_nodes[1])) {
      n = Add<StrContainsNode<RefA, ConstA>>(call, RefA{ref(arg_nodes[0])->slot()},
                                             ConstA{cst(arg_nodes[1])->value()});
    } else {
      n = Add<StrContainsNode<NodeA, NodeA>>(call, NodeA{arg_nodes[0]}, NodeA{arg_nodes[1]});
    }
  }
  const bool pure = !info->stateful && info->id != FuncId::kNow;
  return MaybeFold(n, e, pure);
}

const Node* Compiler::MaybeFold(const Node* n, const Expr& e, bool pure) {
  if (!pure) return n;
  for (const Node* child : impl_->meta[n->id()].children) {
    if (dynamic_cast<const ConstNode*>(child) == nullptr) return n;
  }
  EvalScratch scratch;
  Ctx c{nullptr, nullptr, &scratch, impl_};
  Value v = n->Eval(c);
  if (v.is_error() || v.is_missing() || v.kind() == K::kUint) return n;
  if (v.kind() == K::kString) {
    impl_->strings.emplace_back(v.string_value());
    v = Value::String(impl_->strings.back());
  }
  const uint32_t id = NewId(e);
  if (v.kind() == K::kInt) impl_->meta[id].literal = absl::StrCat(v.int_value());
  if (v.kind() == K::kFloat) {
    std::string s;
    AppendGoFloatV(&s, v.float_value());
    impl_->meta[id].literal = s;
  }
  return Add<ConstNode>(id, v);
}

}  // namespace

// =============================================================================================
// Error formatting

std::string CompiledLambda::Impl::Format(const Value& e) const {
  if (!e.is_error()) return "";
  const uint64_t d = e.error_detail();
  auto meta_at = [&](uint32_t id) -> const NodeMeta* {
    return id < meta.size() ? &meta[id] : nullptr;
  };
  switch (e.error_code()) {
    case kErrMissingOperand: {
      const NodeMeta* m = meta_at(e.error_where());
      const char* side = d == 0 ? "left" : "right";
      if (m == nullptr) return absl::StrCat(side, " reference value is missing value");
      const Node* child = d == 0 ? m->left : m->right;
      const NodeMeta* cm = child ? meta_at(child->id()) : nullptr;
      if (cm != nullptr && cm->ref_slot >= 0) {
        return absl::StrCat(side, " reference value \"", Sv(slot_names[cm->ref_slot]),
                            "\" is missing value");
      }
      return absl::StrCat("expected ", side,
                          "Evaluator to be *EvalReferenceNode got *stateful.EvalUnaryNode");
    }
    case kErrInvalidOperand:
      return d == 0 ? "left value is invalid value type" : "right value is invalid value type";
    case kErrInvalidOperator: {
      auto op = static_cast<BinaryOp>(d & 0xff);
      auto t = static_cast<K>((d >> 8) & 0xff);
      return absl::StrCat("invalid ", OperatorClass(op), " operator ", ast::OpString(op),
                          " for type ", TypeName(t));
    }
    case kErrMismatch: {
      auto lt = static_cast<K>(d & 0xff);
      auto op = static_cast<BinaryOp>((d >> 8) & 0xff);
      auto rt = static_cast<K>((d >> 16) & 0xff);
      return absl::StrCat("mismatched type to binary operator. got ", TypeName(lt), " ",
                          ast::OpString(op), " ", TypeName(rt),
                          ". see bool(), int(), float(), string(), duration()");
    }
    case kErrTypeGuard:
      return absl::StrCat("TypeGuard: expression returned unexpected type ",
                          TypeName(static_cast<K>(d & 0xff)), ", expected ",
                          TypeName(static_cast<K>((d >> 8) & 0xff)));
    case kErrUnexpectedType:
      return absl::StrCat("expression returned unexpected type ", TypeName(static_cast<K>(d)));
    case kErrUnexpectedGoType: {
      auto k = static_cast<K>(d);
      return absl::StrCat("expression returned unexpected type ", k == K::kInt     ? "int64"
                                                                  : k == K::kFloat ? "float64"
                                                                                   : "<nil>");
    }
    case kErrDivZero:
      return "runtime error: integer divide by zero";
    case kErrSignature:
    case kErrMissingArgs: {
      const NodeMeta* m = meta_at(e.error_where());
      if (m == nullptr || m->builtin == nullptr) return "invalid function call";
      const int n = static_cast<int>(m->arg_ids.size());
      std::vector<std::string> lits;
      for (uint32_t a : m->arg_ids) lits.push_back(meta[a].literal);
      if (e.error_code() == kErrSignature) {
        K kinds[4];
        for (int i = 0; i < n; ++i) kinds[i] = static_cast<K>((d >> (8 * i)) & 0xff);
        return SignatureErrorText(*m->builtin, lits, kinds, n);
      }
      std::vector<std::string> missing;
      for (int i = 0; i < n; ++i) {
        if (d & (1u << i)) missing.push_back(lits[i]);
      }
      std::vector<std::string> scope;
      for (const std::string& s : slot_names) {
        std::string q = absl::StrCat("\"", Sv(s), "\"");
        if (std::find(missing.begin(), missing.end(), q) == missing.end()) scope.push_back(q);
      }
      return absl::StrCat("Cannot call function \"", m->builtin->name, "\" ",
                          missing.size() > 1 ? "arguments " : "argument ",
                          absl::StrJoin(missing, ", "),
                          missing.size() > 1 ? " are missing" : " is missing",
                          ", values in scope are [", absl::StrJoin(scope, ", "), "]");
    }
    case kErrDynamic:
      return *reinterpret_cast<const std::string*>(static_cast<uintptr_t>(d));
    case kErrFieldTagConflict: {
      const uint32_t slot = e.error_where();
      std::string_view name =
          slot < slot_names.size() ? std::string_view(slot_names[slot]) : std::string_view();
      return absl::StrCat("cannot have field and tags with same name \"", Sv(name), "\"");
    }
    default:
      return "unknown evaluation error";
  }
}

// =============================================================================================
// CompiledLambda

CompiledLambda::CompiledLambda() = default;
CompiledLambda::CompiledLambda(const CompiledLambda&) = default;
CompiledLambda::CompiledLambda(CompiledLambda&&) noexcept = default;
CompiledLambda& CompiledLambda::operator=(const CompiledLambda&) = default;
CompiledLambda& CompiledLambda::operator=(CompiledLambda&&) noexcept = default;
CompiledLambda::~CompiledLambda() = default;
CompiledLambda::CompiledLambda(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

const std::vector<std::string>& CompiledLambda::slot_names() const {
  static const std::vector<std::string> kEmpty;
  return impl_ ? impl_->slot_names : kEmpty;
}

std::unique_ptr<EvalState> CompiledLambda::NewState() const {
  return std::make_unique<StateImpl>(impl_ ? impl_->num_states : 0);
}

Value CompiledLambda::Eval(absl::Span<const Value> slots, EvalState* state,
                           EvalScratch* scratch) const {
  if (!impl_ || impl_->root == nullptr) return Value::Missing();
  FuncState* states = state != nullptr ? static_cast<StateImpl*>(state)->states.data() : nullptr;
  Ctx c{slots.data(), states, scratch, impl_.get()};
  Value v = impl_->root->Eval(c);
  switch (v.kind()) {
    case K::kFloat:
    case K::kInt:
    case K::kString:
    case K::kBool:
    case K::kDuration:
    case K::kError:
      return v;
    default:
      return Value::Error(kErrUnexpectedType, 0, static_cast<uint64_t>(v.kind()));
  }
}

CompiledLambda::Truth CompiledLambda::EvalPredicate(absl::Span<const Value> slots, EvalState* state,
                                                    EvalScratch* scratch, Value* error) const {
  if (!impl_ || impl_->root == nullptr) {
    *error = Value::Error(kErrTypeGuard, 0,
                          static_cast<uint64_t>(K::kMissing) | uint64_t(K::kBool) << 8);
    return Truth::kError;
  }
  FuncState* states = state != nullptr ? static_cast<StateImpl*>(state)->states.data() : nullptr;
  Ctx c{slots.data(), states, scratch, impl_.get()};
  const Value v = impl_->root->Eval(c);
  if (v.kind() == K::kBool) return v.bool_value() ? Truth::kTrue : Truth::kFalse;
  if (v.is_error()) {
    *error = v;
  } else if (impl_->root_is_math) {
    *error = Value::Error(kErrUnexpectedGoType, 0, static_cast<uint64_t>(v.kind()));
  } else {
    *error =
        Value::Error(kErrTypeGuard, 0, static_cast<uint64_t>(v.kind()) | uint64_t(K::kBool) << 8);
  }
  return Truth::kError;
}

std::string CompiledLambda::FormatError(const Value& error) const {
  if (!impl_) {
    Impl empty;
    return empty.Format(error);
  }
  return impl_->Format(error);
}

Value CompiledLambda::FieldTagConflictError(size_t slot) {
  return Value::Error(kErrFieldTagConflict, static_cast<uint32_t>(slot));
}

SourceRange CompiledLambda::range() const { return impl_ ? impl_->range : SourceRange{}; }
ValueKind CompiledLambda::static_kind() const { return impl_ ? impl_->static_kind : K::kMissing; }
bool CompiledLambda::has_state() const { return impl_ && impl_->num_states > 0; }
bool CompiledLambda::is_constant() const { return impl_ && impl_->constant; }

absl::StatusOr<CompiledLambda> CompileLambda(const Expr& lambda_or_body, const Scope& scope,
                                             const SourceFile& source) {
  auto impl = std::make_shared<CompiledLambda::Impl>();
  impl->range = lambda_or_body.range;
  Compiler compiler(scope, source, impl.get());
  TICK_ASSIGN_OR_RETURN(const Node* root, compiler.Compile(lambda_or_body));
  impl->root = root;
  impl->static_kind = root->static_kind == kUnknownKind ? K::kMissing : root->static_kind;
  impl->constant = dynamic_cast<const ConstNode*>(root) != nullptr;
  const Expr* body = &lambda_or_body;
  while (body->kind == ExprKind::kLambda && !body->args.empty()) body = body->args[0].get();
  impl->root_is_math =
      body->kind == ExprKind::kBinary && std::strcmp(OperatorClass(body->binary_op), "math") == 0;
  return CompiledLambda(std::move(impl));
}

// =============================================================================================
// Script-level vars

namespace {

const char* LiteralTypeName(ExprKind k) {
  switch (k) {
    case ExprKind::kInt:
      return "int";
    case ExprKind::kFloat:
      return "float";
    case ExprKind::kString:
      return "string";
    case ExprKind::kBool:
      return "boolean";
    case ExprKind::kDuration:
      return "duration";
    case ExprKind::kRegex:
      return "regex";
    case ExprKind::kLambda:
      return "lambda";
    case ExprKind::kList:
      return "list";
    case ExprKind::kStar:
      return "star";
    default:
      return "invalid type";
  }
}

absl::Status ErrAt(const SourceFile& source, SourceRange r, std::string_view msg) {
  absl::Status s = absl::InvalidArgumentError(Sv(source.FormatError(r.begin, msg)));
  SetSourceLocation(s, source.Locate(r.begin));
  return s;
}

// Clones `e` replacing identifiers by their var literals (lambda bodies are inlined).
absl::StatusOr<ast::ExprPtr> Substitute(const Expr& e, const Scope& scope,
                                        const SourceFile& source) {
  if (e.kind == ExprKind::kIdent) {
    const Expr* lit = scope.Find(e.text);
    if (lit == nullptr) {
      return ErrAt(source, e.range,
                   absl::StrCat("name \"", Sv(e.text), "\" is undefined. Names in scope: ",
                                absl::StrJoin(scope.Names(), ",")));
    }
    ast::ExprPtr c = lit->Clone();
    if (c->kind == ExprKind::kLambda && !c->args.empty()) {
      ast::ExprPtr body = std::move(c->args[0]);
      body->range = e.range;
      body->parens = true;
      return body;
    }
    c->range = e.range;
    return c;
  }
  auto out = std::make_unique<Expr>();
  out->kind = e.kind;
  out->range = e.range;
  out->text = e.text;
  out->int_value = e.int_value;
  out->float_value = e.float_value;
  out->bool_value = e.bool_value;
  out->parens = e.parens;
  out->unary_op = e.unary_op;
  out->binary_op = e.binary_op;
  if (e.kind == ExprKind::kChain) return e.Clone();
  for (const auto& a : e.args) {
    if (e.kind == ExprKind::kList && a->kind == ExprKind::kIdent) {
      const Expr* lit = scope.Find(a->text);
      if (lit == nullptr) {
        return ErrAt(source, a->range,
                     absl::StrCat("name \"", Sv(a->text), "\" is undefined. Names in scope: ",
                                  absl::StrJoin(scope.Names(), ",")));
      }
      out->args.push_back(lit->Clone());
      continue;
    }
    TICK_ASSIGN_OR_RETURN(ast::ExprPtr c, Substitute(*a, scope, source));
    out->args.push_back(std::move(c));
  }
  return out;
}

}  // namespace

absl::StatusOr<ast::ExprPtr> EvalScriptExpr(const Expr& expr, const Scope& scope,
                                            const SourceFile& source) {
  switch (expr.kind) {
    case ExprKind::kInt:
    case ExprKind::kFloat:
    case ExprKind::kString:
    case ExprKind::kBool:
    case ExprKind::kDuration:
    case ExprKind::kStar:
      return expr.Clone();
    case ExprKind::kRegex: {
      if (expr.regex != nullptr) return expr.Clone();  // the parser already compiled it
      re2::RE2::Options opts;
      opts.set_log_errors(false);
      re2::RE2 re(expr.text, opts);
      if (!re.ok()) {
        return ErrAt(source, expr.range,
                     absl::StrCat("invalid regex /", Sv(expr.text), "/: ", re.error()));
      }
      return expr.Clone();
    }
    case ExprKind::kIdent:
    case ExprKind::kList:
    case ExprKind::kLambda:
      if (expr.kind == ExprKind::kIdent && scope.IsNode(expr.text)) {
        return ErrAt(source, expr.range,
                     absl::StrCat("var \"", Sv(expr.text), "\" holds a node, not a value"));
      }
      if (expr.kind == ExprKind::kLambda) {
        TICK_ASSIGN_OR_RETURN(ast::ExprPtr body, Substitute(*expr.args[0], scope, source));
        auto out = std::make_unique<Expr>();
        out->kind = ExprKind::kLambda;
        out->range = expr.range;
        out->args.push_back(std::move(body));
        // Validate it compiles (undefined functions, regexes, constant type errors).
        TICK_RETURN_IF_ERROR(CompileLambda(*out, scope, source).status());
        return out;
      }
      return Substitute(expr, scope, source);
    case ExprKind::kUnary:
    case ExprKind::kBinary:
    case ExprKind::kCall: {
      TICK_ASSIGN_OR_RETURN(CompiledLambda l, CompileLambda(expr, scope, source));
      EvalScratch scratch;
      auto state = l.NewState();
      std::vector<Value> slots(l.slot_names().size());
      Value v = l.Eval(slots, state.get(), &scratch);
      if (v.is_error()) return ErrAt(source, expr.range, l.FormatError(v));
      auto out = std::make_unique<Expr>();
      out->range = expr.range;
      switch (v.kind()) {
        case K::kInt:
          out->kind = ExprKind::kInt;
          out->int_value = v.int_value();
          break;
        case K::kFloat:
          out->kind = ExprKind::kFloat;
          out->float_value = v.float_value();
          break;
        case K::kString:
          out->kind = ExprKind::kString;
          out->text = std::string(v.string_value());
          break;
        case K::kBool:
          out->kind = ExprKind::kBool;
          out->bool_value = v.bool_value();
          break;
        case K::kDuration: {
          out->kind = ExprKind::kDuration;
          out->int_value = v.int_value();
          AppendInfluxDuration(&out->text, v.int_value());
          break;
        }
        default:
          return ErrAt(source, expr.range,
                       absl::StrCat("expression returned unexpected type ", TypeName(v.kind())));
      }
      return out;
    }
    default:
      return ErrAt(source, expr.range, "unsupported var value");
  }
}

absl::StatusOr<Scope> EvalScriptVars(const ast::Script& script, const PredefinedVars* predefined,
                                     absl::Span<const std::string> predefined_nodes) {
  Scope scope;
  const SourceFile& source = script.source;
  for (const std::string& n : predefined_nodes) {
    TICK_RETURN_IF_ERROR(scope.DeclareNode(n, SourceRange{}));
  }
  auto redefine = [&](const ast::Statement& st) {
    return ErrAt(source, st.name_range,
                 absl::StrCat("attempted to redefine ", Sv(st.name), ", vars are immutable"));
  };
  for (const ast::Statement& st : script.statements) {
    if (st.kind == ast::StmtKind::kVar) {
      if (scope.Contains(st.name)) return redefine(st);
      const Expr& v = *st.value;
      if (v.kind == ExprKind::kChain || (v.kind == ExprKind::kIdent && scope.IsNode(v.text))) {
        TICK_RETURN_IF_ERROR(scope.DeclareNode(st.name, st.name_range));
        continue;
      }
      TICK_ASSIGN_OR_RETURN(ast::ExprPtr lit, EvalScriptExpr(v, scope, source));
      if (predefined != nullptr) {
        auto it = predefined->find(st.name);
        if (it != predefined->end() && it->second != nullptr) {
          if (it->second->kind != lit->kind) {
            return ErrAt(source, st.name_range,
                         absl::StrCat("invalid type supplied for ", Sv(st.name), ", got ",
                                      LiteralTypeName(it->second->kind), " exp ",
                                      LiteralTypeName(lit->kind)));
          }
          lit = it->second->Clone();
        }
      }
      TICK_RETURN_IF_ERROR(scope.Define(st.name, std::move(lit), st.name_range));
    } else if (st.kind == ast::StmtKind::kTypedVar) {
      if (scope.Contains(st.name)) return redefine(st);
      static const char* kTypes[] = {"int",      "float",  "bool", "string", "regex",
                                     "duration", "lambda", "list", "star"};
      static const ExprKind kKinds[] = {ExprKind::kInt,    ExprKind::kFloat, ExprKind::kBool,
                                        ExprKind::kString, ExprKind::kRegex, ExprKind::kDuration,
                                        ExprKind::kLambda, ExprKind::kList,  ExprKind::kStar};
      int idx = -1;
      for (int i = 0; i < 9; ++i) {
        if (st.type_name == kTypes[i]) idx = i;
      }
      if (idx < 0) {
        return ErrAt(source, st.type_range,
                     absl::StrCat("invalid var type \"", Sv(st.type_name), "\""));
      }
      const Expr* supplied = nullptr;
      if (predefined != nullptr) {
        auto it = predefined->find(st.name);
        if (it != predefined->end()) supplied = it->second.get();
      }
      if (supplied == nullptr) {
        return ErrAt(source, st.name_range,
                     absl::StrCat("missing value for var \"", Sv(st.name), "\"."));
      }
      if (supplied->kind != kKinds[idx]) {
        return ErrAt(
            source, st.name_range,
            absl::StrCat("invalid type supplied for ", Sv(st.name), ", got ",
                         LiteralTypeName(supplied->kind), " exp ", LiteralTypeName(kKinds[idx])));
      }
      TICK_RETURN_IF_ERROR(scope.Define(st.name, supplied->Clone(), st.name_range));
    }
  }
  return scope;
}

}  // namespace tick::interp
