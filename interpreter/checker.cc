// File: interpreter/checker.cc
//
// Walks the statements in order with a scope of vars (name -> static type, and the node a chain
// var designates), walks every chain link against the node table of node_spec.h, and validates
// nodes once the whole script is seen (a node held in a var may get properties later).
#include "interpreter/checker.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/strings.h"
#include "interpreter/lambda.h"
#include "interpreter/node_spec.h"

namespace tick::interp {
namespace {

// std::string / std::string_view -> absl::string_view for absl::StrCat (see base/strings.h).
absl::string_view A(std::string_view s) { return tick::Sv(s); }

// The static type of a script-level value.
enum class Type : uint8_t {
  kUnknown,  // not statically known (template var without value, folded expression, ...)
  kNode,
  kInt,
  kFloat,
  kString,
  kBool,
  kDuration,
  kRegex,
  kLambda,
  kList,
  kStar,
  kReference,
};

std::string_view TypeName(Type t) {
  switch (t) {
    case Type::kUnknown:
      return "unknown";
    case Type::kNode:
      return "node";
    case Type::kInt:
      return "int";
    case Type::kFloat:
      return "float";
    case Type::kString:
      return "string";
    case Type::kBool:
      return "bool";
    case Type::kDuration:
      return "duration";
    case Type::kRegex:
      return "regex";
    case Type::kLambda:
      return "lambda";
    case Type::kList:
      return "list";
    case Type::kStar:
      return "star";
    case Type::kReference:
      return "reference";
  }
  return "?";
}

bool TypeFromName(std::string_view name, Type* t) {
  static constexpr std::pair<std::string_view, Type> kTypes[] = {
      {"int", Type::kInt},       {"float", Type::kFloat}, {"bool", Type::kBool},
      {"string", Type::kString}, {"regex", Type::kRegex}, {"duration", Type::kDuration},
      {"lambda", Type::kLambda}, {"list", Type::kList},   {"star", Type::kStar}};
  for (const auto& [n, type] : kTypes) {
    if (n == name) {
      *t = type;
      return true;
    }
  }
  return false;
}

// A pipeline node (or alert handler) created by the script, with what validation needs.
struct NodeState {
  NodeKind kind = NodeKind::kUnsupported;
  // Below an unknown method, a UDF or batch: nothing more is checked (no cascades).
  bool opaque = false;
  uint32_t offset = 0;  // the `|name` link (or handler property) that created it
  // eval
  size_t expressions = 0;
  bool has_as = false;
  uint32_t as_offset = 0;
  std::vector<std::string> as_names;
  std::vector<std::pair<std::string, uint32_t>> tags;
  // kafka handler
  bool has_cluster = false;
};

struct Value {
  Type type = Type::kUnknown;
  int node = -1;                       // kNode: index into nodes_
  int handler = -1;                    // kNode: the current alert handler, if any
  const ast::Expr* literal = nullptr;  // the literal expression, when the value is one
};

// The values of a link's arguments (few: no heap allocation up to 4).
using Values = absl::InlinedVector<Value, 4>;

struct Var {
  Value value;
  uint32_t offset = 0;
};

class Checker final {
 public:
  Checker(const ast::Script& script, const CheckOptions& options)
      : script_(script), options_(options) {
    nodes_.reserve(16);
  }

  std::vector<Diagnostic> Run() {
    for (const ast::Statement& s : script_.statements) CheckStatement(s);
    for (size_t i = 0; i < nodes_.size(); ++i) ValidateNode(nodes_[i]);
    std::stable_sort(diags_.begin(), diags_.end(),
                     [](const Diagnostic& a, const Diagnostic& b) { return a.offset < b.offset; });
    if (diags_.size() > kMaxDiagnostics) diags_.resize(kMaxDiagnostics);
    return std::move(diags_);
  }

 private:
  void Error(uint32_t offset, std::string message) {
    diags_.push_back(Diagnostic{offset, Severity::kError, std::move(message)});
  }

  void CheckStatement(const ast::Statement& s) {
    switch (s.kind) {
      case ast::StmtKind::kVar: {
        const size_t before = diags_.size();
        Value v = s.value ? Eval(*s.value) : Value{};
        BindForLambdas(s, v, diags_.size() == before);
        Define(s, v);
        break;
      }
      case ast::StmtKind::kTypedVar: {
        Type t = Type::kUnknown;
        if (!TypeFromName(s.type_name, &t)) {
          Error(s.type_range.begin, absl::StrCat("invalid var type \"", A(s.type_name), "\""));
        }
        Define(s, Value{t});
        no_value_vars_.insert(s.name);  // a template var: its value comes with the task
        break;
      }
      case ast::StmtKind::kDbrp:
        break;
      case ast::StmtKind::kExpr:
        if (s.value) Eval(*s.value);
        break;
    }
  }

  // Mirrors `var` statements into the lambda compiler's scope (literal values are evaluated the
  // way Kapacitor does, constant folding included, which reports e.g. int/float mixing).
  void BindForLambdas(const ast::Statement& s, const Value& v, bool clean) {
    if (v.type == Type::kNode) {
      (void)lambda_scope_.DeclareNode(s.name, s.name_range);
      return;
    }
    if (!options_.compile_lambdas || !clean || !s.value || ReferencesUnknown(*s.value)) {
      no_value_vars_.insert(s.name);
      return;
    }
    absl::StatusOr<ast::ExprPtr> literal = EvalScriptExpr(*s.value, lambda_scope_, script_.source);
    if (!literal.ok()) {
      AddStatus(literal.status(), s.value->range.begin);
      no_value_vars_.insert(s.name);
      return;
    }
    if (!lambda_scope_.Define(s.name, std::move(*literal), s.name_range).ok()) {
      no_value_vars_.insert(s.name);
    }
  }

  bool ReferencesUnknown(const ast::Expr& e) const {
    if (e.kind == ast::ExprKind::kIdent && no_value_vars_.count(e.text) != 0) return true;
    for (const ast::ExprPtr& a : e.args) {
      if (a && ReferencesUnknown(*a)) return true;
    }
    return false;
  }

  // Turns an error of the lambda engine (a formatted diagnostic with a source-location payload)
  // back into a Diagnostic, so it is sorted and capped with the others.
  void AddStatus(const absl::Status& status, uint32_t fallback_offset) {
    std::string_view text = Sv(status.message());
    std::string_view first_line = text.substr(0, text.find('\n'));
    constexpr std::string_view kError = ": error: ";
    const size_t at = first_line.find(kError);
    std::string message(at == std::string_view::npos ? first_line
                                                     : first_line.substr(at + kError.size()));
    uint32_t offset = fallback_offset;
    if (auto payload = status.GetPayload("tick/source-location"); payload.has_value()) {
      const std::string where(*payload);
      unsigned line = 0, col = 0;
      if (std::sscanf(where.c_str(), "%u:%u", &line, &col) == 2 && line > 0 && col > 0) {
        offset = OffsetOf(line, col, fallback_offset);
      }
    }
    Error(offset, std::move(message));
  }

  uint32_t OffsetOf(uint32_t line, uint32_t col, uint32_t fallback) const {
    const std::string& text = script_.source.text();
    uint32_t l = 1;
    size_t start = 0;
    while (l < line) {
      const size_t nl = text.find('\n', start);
      if (nl == std::string::npos) return fallback;
      start = nl + 1;
      ++l;
    }
    const size_t offset = start + col - 1;
    return offset <= text.size() ? static_cast<uint32_t>(offset) : fallback;
  }

  void Define(const ast::Statement& s, const Value& v) {
    NodeKind source;
    if (vars_.count(s.name) != 0 || SourceKind(s.name, &source)) {
      Error(s.name_range.begin,
            absl::StrCat("attempted to redefine ", A(s.name), ", vars are immutable"));
      return;
    }
    vars_[s.name] = Var{v, s.name_range.begin};
  }

  void Undefined(const ast::Expr& e) {
    std::vector<std::string_view> names;
    std::string joined;
    for (const auto& [name, var] : vars_) {
      names.push_back(name);
      absl::StrAppend(&joined, joined.empty() ? "" : ",", A(name));
    }
    std::string msg =
        absl::StrCat("name \"", A(e.text), "\" is undefined. Names in scope: ", joined);
    std::string_view near = NearestName(e.text, names);
    if (!near.empty()) absl::StrAppend(&msg, "; did you mean \"", A(near), "\"?");
    Error(e.range.begin, std::move(msg));
  }

  // Resolves an identifier to its var (or the stream/batch source node).
  Value Ident(const ast::Expr& e) {
    auto it = vars_.find(e.text);
    if (it != vars_.end()) return it->second.value;
    NodeKind source;
    if (SourceKind(e.text, &source)) {
      if (source == NodeKind::kBatch) {
        Error(e.range.begin, "batch tasks are not supported by tickrun; use stream");
      }
      Value v{Type::kNode};
      v.node = NewNode(source, e.range.begin);
      nodes_[v.node].opaque = source == NodeKind::kBatch;
      return v;
    }
    Undefined(e);
    return Value{};
  }

  int NewNode(NodeKind kind, uint32_t offset, bool opaque = false) {
    NodeState n;
    n.kind = kind;
    n.opaque = opaque;
    n.offset = offset;
    nodes_.push_back(std::move(n));
    return static_cast<int>(nodes_.size() - 1);
  }

  // Checks a lambda body: every identifier must name a var (it is substituted at script time).
  void CheckLambdaExpr(const ast::Expr& e) {
    switch (e.kind) {
      case ast::ExprKind::kIdent:
        if (vars_.find(e.text) == vars_.end()) Undefined(e);
        if (no_value_vars_.count(e.text) != 0) lambda_uses_unknown_ = true;
        return;
      case ast::ExprKind::kLambda:
      case ast::ExprKind::kChain:
        return;
      default:
        for (const ast::ExprPtr& a : e.args) {
          if (a) CheckLambdaExpr(*a);
        }
    }
  }

  Value Eval(const ast::Expr& e) {
    Value v;
    switch (e.kind) {
      case ast::ExprKind::kIdent:
        return Ident(e);
      case ast::ExprKind::kReference:
        v.type = Type::kReference;
        break;
      case ast::ExprKind::kString:
        v.type = Type::kString;
        break;
      case ast::ExprKind::kInt:
        v.type = Type::kInt;
        break;
      case ast::ExprKind::kFloat:
        v.type = Type::kFloat;
        break;
      case ast::ExprKind::kDuration:
        v.type = Type::kDuration;
        break;
      case ast::ExprKind::kBool:
        v.type = Type::kBool;
        break;
      case ast::ExprKind::kRegex:
        v.type = Type::kRegex;
        break;
      case ast::ExprKind::kStar:
        v.type = Type::kStar;
        break;
      case ast::ExprKind::kLambda: {
        const size_t before = diags_.size();
        lambda_uses_unknown_ = false;
        for (const ast::ExprPtr& a : e.args) {
          if (a) CheckLambdaExpr(*a);
        }
        // Names are fine: let the lambda compiler find type errors, unknown functions, ...
        if (options_.compile_lambdas && diags_.size() == before && !lambda_uses_unknown_) {
          const absl::Status s = CheckLambda(e, lambda_scope_, script_.source);
          if (!s.ok()) AddStatus(s, e.range.begin);
        }
        v.type = Type::kLambda;
        break;
      }
      case ast::ExprKind::kList:
        for (const ast::ExprPtr& a : e.args) {
          if (a) Eval(*a);
        }
        v.type = Type::kList;
        return v;
      case ast::ExprKind::kUnary: {
        Value operand = e.args.empty() || !e.args[0] ? Value{} : Eval(*e.args[0]);
        if (e.unary_op == ast::UnaryOp::kNot) {
          v.type = Type::kBool;
        } else if (operand.type == Type::kInt || operand.type == Type::kFloat ||
                   operand.type == Type::kDuration) {
          v.type = operand.type;
        }
        return v;
      }
      case ast::ExprKind::kBinary: {
        Value l = e.args.size() > 0 && e.args[0] ? Eval(*e.args[0]) : Value{};
        Value r = e.args.size() > 1 && e.args[1] ? Eval(*e.args[1]) : Value{};
        switch (e.binary_op) {
          case ast::BinaryOp::kAdd:
          case ast::BinaryOp::kSub:
          case ast::BinaryOp::kMul:
          case ast::BinaryOp::kDiv:
          case ast::BinaryOp::kMod:
            if (l.type == r.type) {
              v.type = l.type;
            } else if (l.type == Type::kDuration || r.type == Type::kDuration) {
              v.type = Type::kDuration;
            }
            break;
          default:
            v.type = Type::kBool;
        }
        return v;
      }
      case ast::ExprKind::kCall:
        for (const ast::ExprPtr& a : e.args) {
          if (a) Eval(*a);
        }
        Error(e.range.begin,
              absl::StrCat("no global function \"", A(e.text), "\" outside a lambda"));
        return v;
      case ast::ExprKind::kChain:
        return Chain(e);
    }
    v.literal = &e;
    return v;
  }

  const NodeSpec& Spec(int node) const {
    return GetNodeSpec(node < 0 ? NodeKind::kUnsupported : nodes_[node].kind);
  }

  Value Chain(const ast::Expr& e) {
    Value cur = e.args.empty() || !e.args[0] ? Value{} : Eval(*e.args[0]);
    if (cur.type != Type::kNode && !e.links.empty()) {
      if (cur.type != Type::kUnknown) {
        const ast::ChainLink& first = e.links.front();
        Error(first.name_range.begin, absl::StrCat("cannot call \"", A(first.name), "\" on a ",
                                                   A(TypeName(cur.type)), " value"));
      }
      return Value{};
    }
    for (const ast::ChainLink& link : e.links) {
      switch (link.kind) {
        case ast::LinkKind::kPipe:
          cur = Pipe(cur, link);
          break;
        case ast::LinkKind::kProperty:
          cur = Property(cur, link);
          break;
        case ast::LinkKind::kUdf:
          for (const ast::ExprPtr& a : link.args) {
            if (a) Eval(*a);
          }
          Error(link.name_range.begin,
                absl::StrCat("no dynamic method \"", A(link.name),
                             "\": user-defined functions (UDFs) are not supported by tickrun"));
          cur = Value{Type::kNode};
          cur.node = NewNode(NodeKind::kUnsupported, link.range.begin, /*opaque=*/true);
          break;
      }
    }
    return cur;
  }

  void UnknownMethod(const ast::ChainLink& link, const NodeSpec& spec) {
    std::vector<std::string_view> names = MethodNames(spec);
    std::string msg =
        absl::StrCat("no method or property \"", A(link.name), "\" on ", A(spec.name));
    std::string_view near = NearestName(link.name, names);
    if (!near.empty()) absl::StrAppend(&msg, "; did you mean \"", A(near), "\"?");
    Error(link.name_range.begin, std::move(msg));
  }

  Value Pipe(Value cur, const ast::ChainLink& link) {
    const NodeSpec& spec = Spec(cur.node);
    Value next{Type::kNode};
    if (cur.node < 0 || nodes_[cur.node].opaque) {
      for (const ast::ExprPtr& a : link.args) {
        if (a) Eval(*a);
      }
      next.node = NewNode(NodeKind::kUnsupported, link.range.begin, /*opaque=*/true);
      return next;
    }
    // A handler embeds its alert node: `|x()` chains from the alert.
    const NodeSpec& owner = spec.is_handler ? GetNodeSpec(NodeKind::kAlert) : spec;
    const MethodSpec* m = FindChainMethod(owner, link.name);
    if (m == nullptr) {
      if (const MethodSpec* p = FindProperty(owner, link.name); p != nullptr) {
        Error(link.name_range.begin,
              absl::StrCat("no chaining method \"", A(link.name), "\" on ", A(owner.name),
                           ", but property does exist. Use '.' operator instead: 'node.",
                           A(link.name), "(..)'"));
        // Go on as if '.' had been written.
        CheckArgs(link, *p, owner);
        cur.handler = -1;
        return cur;
      }
      UnknownMethod(link, owner);
      for (const ast::ExprPtr& a : link.args) {
        if (a) Eval(*a);
      }
      next.node = NewNode(NodeKind::kUnsupported, link.range.begin, /*opaque=*/true);
      return next;
    }
    if (!m->supported) {
      for (const ast::ExprPtr& a : link.args) {
        if (a) Eval(*a);
      }
      Error(link.name_range.begin,
            absl::StrCat("the \"", A(link.name), "\" node is not supported by tickrun"));
      next.node = NewNode(NodeKind::kUnsupported, link.range.begin);
      return next;
    }
    next.node = NewNode(m->result, link.range.begin);
    Values args = CheckArgs(link, *m, owner);
    if (m->result == NodeKind::kEval) nodes_[next.node].expressions = args.size();
    return next;
  }

  Value Property(Value cur, const ast::ChainLink& link) {
    const NodeSpec& spec = Spec(cur.node);
    // Properties of nodes tickrun does not run are not checked.
    if (cur.node < 0 || nodes_[cur.node].opaque || spec.kind == NodeKind::kUnsupported) {
      for (const ast::ExprPtr& a : link.args) {
        if (a) Eval(*a);
      }
      return cur;
    }
    const NodeSpec& owner = spec.is_handler ? GetNodeSpec(NodeKind::kAlert) : spec;
    if (cur.handler >= 0) {
      const NodeSpec& handler = Spec(cur.handler);
      if (const MethodSpec* m = FindProperty(handler, link.name); m != nullptr) {
        if (link.has_parens) {
          Values args = CheckArgs(link, *m, handler);
          HandlerProperty(nodes_[cur.handler], link, *m, args);
        }
        return cur;
      }
    }
    const MethodSpec* m = FindProperty(owner, link.name);
    if (m == nullptr) {
      for (const ast::ExprPtr& a : link.args) {
        if (a) Eval(*a);
      }
      // Properties of handlers tickrun does not run are not checked.
      if (cur.handler >= 0 && nodes_[cur.handler].kind == NodeKind::kUnsupportedHandler) {
        return cur;
      }
      if (cur.handler >= 0) {
        // A property of another handler kind (`.kafka().mode(0644)`): say whose it is.
        for (NodeKind other : {NodeKind::kLogHandler, NodeKind::kKafkaHandler}) {
          const NodeSpec& o = GetNodeSpec(other);
          if (other != nodes_[cur.handler].kind && FindProperty(o, link.name) != nullptr) {
            Error(link.name_range.begin,
                  absl::StrCat("no method or property \"", A(link.name), "\" on ",
                               A(Spec(cur.handler).name), "; \"", A(link.name),
                               "\" is a property of the ", A(o.name)));
            return cur;
          }
        }
      }
      if (FindChainMethod(owner, link.name) != nullptr) {
        Error(link.name_range.begin,
              absl::StrCat("no property method \"", A(link.name), "\" on ", A(owner.name),
                           ", but chaining method does exist. Use '|' operator instead: 'node|",
                           A(link.name), "(..)'"));
        // Go on as if '|' had been written (the arguments were evaluated above).
        const MethodSpec* c = FindChainMethod(owner, link.name);
        Value next{Type::kNode};
        next.node = NewNode(c->supported ? c->result : NodeKind::kUnsupported, link.range.begin);
        if (c->result == NodeKind::kEval) nodes_[next.node].expressions = link.args.size();
        return next;
      } else {
        UnknownMethod(link, cur.handler >= 0 ? Spec(cur.handler) : owner);
      }
      return cur;
    }
    if (!link.has_parens) return cur;  // property read
    Values args = CheckArgs(link, *m, owner);
    if (m->kind == MethodKind::kHandler) {
      if (!m->supported) {
        Error(link.name_range.begin,
              absl::StrCat("the \"", A(link.name), "\" alert handler is not supported by tickrun"));
      }
      cur.handler = NewNode(m->result, link.name_range.begin);
      if (m->result == NodeKind::kLogHandler) LogHandlerPath(args);
      return cur;
    }
    cur.handler = -1;
    if (cur.node >= 0) NodeProperty(nodes_[cur.node], link, *m, args);
    return cur;
  }

  // Type-checks the arguments of `link` against `m`; returns their values (a single list argument
  // of a variadic method is spread, as Kapacitor does).
  Values CheckArgs(const ast::ChainLink& link, const MethodSpec& m, const NodeSpec& owner) {
    Values values;
    absl::InlinedVector<const ast::Expr*, 4> exprs;
    for (const ast::ExprPtr& a : link.args) {
      if (!a) continue;
      exprs.push_back(a.get());
      values.push_back(Eval(*a));
    }
    if (!m.supported) return values;
    if (m.variadic && exprs.size() == 1 && exprs[0]->kind == ast::ExprKind::kList) {
      Values spread;
      absl::InlinedVector<const ast::Expr*, 4> spread_exprs;
      for (const ast::ExprPtr& item : exprs[0]->args) {
        if (!item) continue;
        spread_exprs.push_back(item.get());
        Value v = item->kind == ast::ExprKind::kIdent ? LookupQuiet(*item) : Value{};
        if (item->kind == ast::ExprKind::kString) v.type = Type::kString;
        if (item->kind == ast::ExprKind::kStar) v.type = Type::kStar;
        if (v.literal == nullptr && item->kind != ast::ExprKind::kIdent) v.literal = item.get();
        spread.push_back(v);
      }
      values = std::move(spread);
      exprs = std::move(spread_exprs);
    } else if (m.variadic && values.size() == 1 && values[0].type == Type::kList) {
      return values;  // a list var: spread at run time, items not known here
    }
    const size_t n = exprs.size();
    const size_t fixed = m.args.size();
    if (n < m.min_args || (!m.variadic && n > fixed)) {
      std::string expected;
      if (m.variadic) {
        expected = absl::StrCat("at least ", m.min_args);
      } else if (m.min_args < fixed) {
        expected = absl::StrCat(m.min_args, " to ", fixed);
      } else {
        expected = absl::StrCat(fixed);
      }
      Error(link.name_range.begin,
            absl::StrCat("wrong number of arguments to \"", A(link.name), "\" on ", A(owner.name),
                         ": expected ", expected, ", got ", n));
      return values;
    }
    for (size_t i = 0; i < n; ++i) {
      const ArgKind want = i < fixed ? m.args[i] : m.variadic_kind;
      if (!Accepts(want, values[i].type)) {
        std::string found(TypeName(values[i].type));
        if (values[i].type == Type::kReference) {
          found = absl::StrCat("reference \"", A(exprs[i]->text), "\"");
        }
        std::string msg = absl::StrCat("invalid argument ", i + 1, " to \"", A(link.name),
                                       "\": expected ", A(ArgKindName(want)), ", found ", found);
        if (values[i].type == Type::kReference &&
            (want == ArgKind::kString || want == ArgKind::kTagName || want == ArgKind::kScalar)) {
          absl::StrAppend(&msg, "; did you use double quotes instead of single quotes?");
        }
        Error(exprs[i]->range.begin, std::move(msg));
      }
    }
    return values;
  }

  Value LookupQuiet(const ast::Expr& e) {
    auto it = vars_.find(e.text);
    return it == vars_.end() ? Value{} : it->second.value;
  }

  static bool Accepts(ArgKind want, Type got) {
    if (got == Type::kUnknown) return true;
    switch (want) {
      case ArgKind::kInt:
        return got == Type::kInt;
      case ArgKind::kFloat:
        return got == Type::kFloat;
      case ArgKind::kString:
        return got == Type::kString;
      case ArgKind::kBool:
        return got == Type::kBool;
      case ArgKind::kDuration:
        return got == Type::kDuration;
      case ArgKind::kLambda:
        return got == Type::kLambda;
      case ArgKind::kRegex:
        return got == Type::kRegex;
      case ArgKind::kStar:
        return got == Type::kStar;
      case ArgKind::kScalar:
        return got == Type::kInt || got == Type::kFloat || got == Type::kString ||
               got == Type::kBool;
      case ArgKind::kTagName:
        return got == Type::kString || got == Type::kStar;
    }
    return false;
  }

  static const ast::Expr* Literal(const Values& args, size_t i, ast::ExprKind kind) {
    if (i >= args.size() || args[i].literal == nullptr) return nullptr;
    return args[i].literal->kind == kind ? args[i].literal : nullptr;
  }

  void LogHandlerPath(const Values& args) {
    const ast::Expr* path = Literal(args, 0, ast::ExprKind::kString);
    if (path != nullptr && (path->text.empty() || path->text[0] != '/')) {
      Error(path->range.begin, absl::StrCat("alert log path must be absolute: \"", A(path->text),
                                            "\" is not absolute"));
    }
  }

  void NodeProperty(NodeState& node, const ast::ChainLink& link, const MethodSpec& m,
                    const Values& args) {
    if (node.kind == NodeKind::kAlert && m.name == "flapping") {
      for (size_t i = 0; i < 2; ++i) {
        const ast::Expr* f = Literal(args, i, ast::ExprKind::kFloat);
        if (f != nullptr && f->float_value > 1) {
          Error(f->range.begin,
                "alert flap thresholds are percentages and should be between 0 and 1");
          break;
        }
      }
    } else if (node.kind == NodeKind::kLog && m.name == "level") {
      if (const ast::Expr* s = Literal(args, 0, ast::ExprKind::kString); s != nullptr) {
        std::string upper = s->text;
        std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
        if (upper != "DEBUG" && upper != "INFO" && upper != "WARN" && upper != "ERROR" &&
            upper != "OFF") {
          Error(s->range.begin,
                absl::StrCat("invalid log level \"", A(s->text),
                             "\": expected one of \"DEBUG\", \"INFO\", \"WARN\", \"ERROR\", "
                             "\"OFF\""));
        }
      }
    } else if (node.kind == NodeKind::kEval && m.name == "as") {
      node.has_as = true;
      node.as_offset = link.name_range.begin;
      node.as_names.clear();
      for (const Value& v : args) {
        if (v.literal != nullptr && v.literal->kind == ast::ExprKind::kString) {
          node.as_names.push_back(v.literal->text);
        } else {
          node.as_names.push_back("");  // not statically known
        }
      }
    } else if (node.kind == NodeKind::kEval && m.name == "tags") {
      for (const Value& v : args) {
        if (v.literal != nullptr && v.literal->kind == ast::ExprKind::kString) {
          node.tags.emplace_back(v.literal->text, v.literal->range.begin);
        }
      }
    }
  }

  void HandlerProperty(NodeState& handler, const ast::ChainLink& link, const MethodSpec& m,
                       const Values& args) {
    (void)link;
    if (handler.kind != NodeKind::kKafkaHandler) return;
    const std::string_view name = m.alias_of.empty() ? m.name : m.alias_of;
    if (name == "partitionAlgorithm") {
      const ast::Expr* s = Literal(args, 0, ast::ExprKind::kString);
      if (s == nullptr || s->text.empty()) return;
      for (std::string_view a : KafkaPartitionAlgorithms()) {
        if (a == s->text) return;
      }
      std::vector<std::string> quoted;
      for (std::string_view a : KafkaPartitionAlgorithms()) {
        quoted.push_back(absl::StrCat("\"", A(a), "\""));
      }
      std::string msg = absl::StrCat("invalid partition algorithm: \"", A(s->text),
                                     "\"; expected one of ", absl::StrJoin(quoted, ", "));
      std::string_view near = NearestName(s->text, KafkaPartitionAlgorithms());
      if (!near.empty()) absl::StrAppend(&msg, "; did you mean \"", A(near), "\"?");
      Error(s->range.begin, std::move(msg));
    } else if (name == "cluster") {
      handler.has_cluster = true;
      const ast::Expr* s = Literal(args, 0, ast::ExprKind::kString);
      if (s == nullptr || !options_.kafka_clusters) return;
      const std::vector<std::string>& ids = *options_.kafka_clusters;
      if (std::find(ids.begin(), ids.end(), s->text) != ids.end()) return;
      std::string msg = absl::StrCat("unknown cluster \"", A(s->text), "\"; ", ClusterList());
      std::vector<std::string_view> views(ids.begin(), ids.end());
      std::string_view near = NearestName(s->text, views);
      if (!near.empty()) absl::StrAppend(&msg, "; did you mean \"", A(near), "\"?");
      Error(s->range.begin, std::move(msg));
    }
  }

  std::string ClusterList() const {
    const std::vector<std::string>& ids = *options_.kafka_clusters;
    if (ids.empty()) return "no kafka cluster is enabled in the configuration";
    std::vector<std::string> quoted;
    for (const std::string& id : ids) quoted.push_back(absl::StrCat("\"", A(id), "\""));
    return absl::StrCat("enabled kafka clusters: ", absl::StrJoin(quoted, ", "));
  }

  void ValidateNode(const NodeState& node) {
    if (node.kind == NodeKind::kEval) {
      const size_t as = node.has_as ? node.as_names.size() : 0;
      if (as != node.expressions) {
        Error(node.has_as ? node.as_offset : node.offset,
              absl::StrCat("must specify same number of expressions and .as() names: got ", as,
                           " as names, and ", node.expressions, " expressions"));
      }
      for (const auto& [tag, offset] : node.tags) {
        if (std::find(node.as_names.begin(), node.as_names.end(), tag) == node.as_names.end() &&
            std::find(node.as_names.begin(), node.as_names.end(), "") == node.as_names.end()) {
          Error(offset, absl::StrCat("tag \"", A(tag), "\" is not one of the .as() names"));
        }
      }
    } else if (node.kind == NodeKind::kKafkaHandler && !node.has_cluster &&
               options_.kafka_clusters) {
      const std::vector<std::string>& ids = *options_.kafka_clusters;
      if (options_.allow_omitted_cluster && ids.size() == 1) return;
      if (ids.empty()) {
        Error(node.offset,
              "the kafka handler needs a cluster, but no kafka cluster is enabled in the "
              "configuration");
      } else {
        Error(node.offset, absl::StrCat("the kafka handler needs .cluster(): ", ClusterList()));
      }
    }
  }

  const ast::Script& script_;
  const CheckOptions& options_;
  std::map<std::string, Var, std::less<>> vars_;
  Scope lambda_scope_;
  std::set<std::string, std::less<>> no_value_vars_;  // vars whose value is not known here
  bool lambda_uses_unknown_ = false;
  std::vector<NodeState> nodes_;
  std::vector<Diagnostic> diags_;
};

}  // namespace

std::vector<Diagnostic> CheckScriptDiagnostics(const ast::Script& script,
                                               const CheckOptions& options) {
  return Checker(script, options).Run();
}

absl::Status CheckScript(const ast::Script& script, const CheckOptions& options) {
  std::vector<Diagnostic> diags = CheckScriptDiagnostics(script, options);
  if (diags.empty()) return absl::OkStatus();
  const LineCol where = script.source.Locate(diags.front().offset);
  absl::Status status = absl::InvalidArgumentError(A(script.source.FormatAll(std::move(diags))));
  SetSourceLocation(status, where);
  return status;
}

}  // namespace tick::interp
