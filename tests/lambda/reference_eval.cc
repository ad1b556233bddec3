// File: tests/lambda/reference_eval.cc
#include "tests/lambda/reference_eval.h"

#include <cmath>
#include <limits>
#include <string>

namespace tick::interp::testing {
namespace {

using ast::BinaryOp;
using K = ValueKind;

std::string Name(K k) {
  switch (k) {
    case K::kFloat:
      return "float";
    case K::kInt:
      return "int";
    case K::kString:
      return "string";
    case K::kBool:
      return "boolean";
    case K::kDuration:
      return "duration";
    case K::kRegex:
      return "regex";
    case K::kTime:
      return "time";
    case K::kMissing:
      return "missing";
    default:
      return "invalid type";
  }
}

bool IsMath(BinaryOp op) {
  return op == BinaryOp::kAdd || op == BinaryOp::kSub || op == BinaryOp::kMul ||
         op == BinaryOp::kDiv || op == BinaryOp::kMod;
}
bool IsLogic(BinaryOp op) { return op == BinaryOp::kAnd || op == BinaryOp::kOr; }

// The result kind of a defined combination, written as a plain list.
K Result(BinaryOp op, K l, K r) {
  const K F = K::kFloat, I = K::kInt, S = K::kString, B = K::kBool, D = K::kDuration, R = K::kRegex,
          X = K::kError;
  struct Row {
    BinaryOp op;
    K l, r, res;
  };
  static const Row rows[] = {
      {BinaryOp::kAnd, B, B, B},        {BinaryOp::kOr, B, B, B},
      {BinaryOp::kEq, B, B, B},         {BinaryOp::kNe, B, B, B},
      {BinaryOp::kRegexMatch, S, R, B}, {BinaryOp::kRegexNotMatch, S, R, B},
      {BinaryOp::kAdd, I, I, I},        {BinaryOp::kAdd, F, F, F},
      {BinaryOp::kAdd, S, S, S},        {BinaryOp::kAdd, D, D, D},
      {BinaryOp::kSub, I, I, I},        {BinaryOp::kSub, F, F, F},
      {BinaryOp::kSub, D, D, D},        {BinaryOp::kMul, I, I, I},
      {BinaryOp::kMul, F, F, F},        {BinaryOp::kMul, D, I, D},
      {BinaryOp::kMul, I, D, D},        {BinaryOp::kMul, D, F, D},
      {BinaryOp::kMul, F, D, D},        {BinaryOp::kDiv, I, I, I},
      {BinaryOp::kDiv, F, F, F},        {BinaryOp::kDiv, D, I, D},
      {BinaryOp::kDiv, D, F, D},        {BinaryOp::kDiv, D, D, I},
      {BinaryOp::kMod, I, I, I},
  };
  for (const Row& row : rows) {
    if (row.op == op && row.l == l && row.r == r) return row.res;
  }
  const BinaryOp cmp[] = {BinaryOp::kEq, BinaryOp::kNe, BinaryOp::kLt,
                          BinaryOp::kLe, BinaryOp::kGt, BinaryOp::kGe};
  for (BinaryOp c : cmp) {
    if (c != op) continue;
    if ((l == I || l == F) && (r == I || r == F)) return B;
    if (l == r && (l == S || l == D)) return B;
  }
  return X;
}

bool Supports(K t, BinaryOp op) {
  const K all[] = {K::kFloat, K::kInt, K::kString, K::kBool, K::kDuration, K::kRegex, K::kTime};
  for (K o : all) {
    if (Result(op, t, o) != K::kError || Result(op, o, t) != K::kError) return true;
  }
  return false;
}

std::string OpClass(BinaryOp op) {
  return IsMath(op) ? "math" : IsLogic(op) ? "logical" : "comparison";
}

RefResult Err(std::string msg) { return RefResult{true, std::move(msg), Value()}; }
RefResult Ok(Value v) { return RefResult{false, "", v}; }

std::string Mismatch(K l, BinaryOp op, K r) {
  return "mismatched type to binary operator. got " + Name(l) + " " + ast::OpString(op) + " " +
         Name(r) + ". see bool(), int(), float(), string(), duration()";
}

RefResult MathTypeError(BinaryOp op, K l, K r) {
  if (l != K::kUint && !Supports(l, op)) {
    return Err("invalid " + OpClass(op) + " operator " + ast::OpString(op) + " for type " +
               Name(l));
  }
  if (l == K::kUint && r != K::kUint) {
    return Err("invalid " + OpClass(op) + " operator " + ast::OpString(op) + " for type " +
               Name(r));
  }
  return Err(Mismatch(l, op, r));
}

RefResult ScopeTypeError(const ast::Expr& bin, K l, K r) {
  const BinaryOp op = bin.binary_op;
  auto missing = [&](const char* side, const ast::Expr& child) {
    if (child.kind == ast::ExprKind::kReference) {
      return Err(std::string(side) + " reference value \"" + child.text + "\" is missing value");
    }
    return Err(std::string("expected ") + side +
               "Evaluator to be *EvalReferenceNode got *stateful.EvalUnaryNode");
  };
  if (l == K::kUint) return Err("left value is invalid value type");
  if (l == K::kMissing) return missing("left", *bin.args[0]);
  if (r == K::kUint) return Err("right value is invalid value type");
  if (r == K::kMissing) return missing("right", *bin.args[1]);
  if (!Supports(l, op)) {
    return Err("invalid " + OpClass(op) + " operator " + ast::OpString(op) + " for type " +
               Name(l));
  }
  return Err(Mismatch(l, op, r));
}

int64_t GoF2I(double f) {
  if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0)) {
    return std::numeric_limits<int64_t>::min();
  }
  return static_cast<int64_t>(f);
}

}  // namespace

RefResult RefEvaluator::TypeOf(const ast::Expr& e, K* kind) {
  using ast::ExprKind;
  switch (e.kind) {
    case ExprKind::kBinary: {
      if (!IsMath(e.binary_op)) {
        *kind = K::kBool;
        return Ok(Value());
      }
      K l, r;
      RefResult a = TypeOf(*e.args[0], &l);
      if (a.is_error) return a;
      RefResult b = TypeOf(*e.args[1], &r);
      if (b.is_error) return b;
      *kind = Result(e.binary_op, l, r);
      if (*kind == K::kError) return MathTypeError(e.binary_op, l, r);
      return Ok(Value());
    }
    case ExprKind::kUnary:
      if (e.unary_op == ast::UnaryOp::kNot) {
        *kind = K::kBool;
        return Ok(Value());
      }
      return TypeOf(*e.args[0], kind);
    default: {
      RefResult v = Eval(e);  // literals and references have no side effects
      if (v.is_error) return v;
      *kind = v.value.kind();
      return Ok(Value());
    }
  }
}

RefResult RefEvaluator::Eval(const ast::Expr& e) {
  using ast::ExprKind;
  switch (e.kind) {
    case ExprKind::kInt:
      return Ok(Value::Int(e.int_value));
    case ExprKind::kFloat:
      return Ok(Value::Float(e.float_value));
    case ExprKind::kString:
      return Ok(Value::String(e.text));
    case ExprKind::kBool:
      return Ok(Value::Bool(e.bool_value));
    case ExprKind::kDuration:
      return Ok(Value::Duration(e.int_value));
    case ExprKind::kReference: {
      auto it = bindings_.find(e.text);
      return Ok(it == bindings_.end() ? Value::Missing() : it->second);
    }
    case ExprKind::kUnary: {
      RefResult c = Eval(*e.args[0]);
      if (c.is_error) return c;
      const Value v = c.value;
      if (e.unary_op == ast::UnaryOp::kNot) {
        if (v.kind() == K::kBool) return Ok(Value::Bool(!v.bool_value()));
        return Err("TypeGuard: expression returned unexpected type " + Name(v.kind()) +
                   ", expected boolean");
      }
      switch (v.kind()) {
        case K::kFloat:
          return Ok(Value::Float(-v.float_value()));
        case K::kInt:
          return Ok(Value::Int(static_cast<int64_t>(0 - static_cast<uint64_t>(v.int_value()))));
        case K::kDuration:
          return Ok(
              Value::Duration(static_cast<int64_t>(0 - static_cast<uint64_t>(v.int_value()))));
        case K::kMissing:
        case K::kUint:
          return Ok(v);
        default:
          return Err("TypeGuard: expression returned unexpected type invalid type, expected " +
                     Name(v.kind()));
      }
    }
    case ExprKind::kBinary: {
      const BinaryOp op = e.binary_op;
      RefResult lr = Eval(*e.args[0]);
      if (lr.is_error) return lr;
      const Value l = lr.value;
      if (IsLogic(op)) {
        K rt;
        if (l.kind() != K::kBool) {
          RefResult t = TypeOf(*e.args[1], &rt);
          if (t.is_error) return t;
          return ScopeTypeError(e, l.kind(), rt);
        }
        const bool short_circuit = (op == BinaryOp::kAnd) ? !l.bool_value() : l.bool_value();
        if (short_circuit) {
          RefResult t = TypeOf(*e.args[1], &rt);
          if (t.is_error) return t;
          if (rt != K::kBool) return ScopeTypeError(e, K::kBool, rt);
          return Ok(l);
        }
        RefResult rr = Eval(*e.args[1]);
        if (rr.is_error) return rr;
        if (rr.value.kind() != K::kBool) return ScopeTypeError(e, K::kBool, rr.value.kind());
        return rr;
      }
      RefResult rr = Eval(*e.args[1]);
      if (rr.is_error) return rr;
      const Value r = rr.value;
      const K lt = l.kind(), rt = r.kind();
      const K res = Result(op, lt, rt);
      if (res == K::kError) {
        return IsMath(op) ? MathTypeError(op, lt, rt) : ScopeTypeError(e, lt, rt);
      }
      if (!IsMath(op)) {
        double a = 0, b = 0;
        int c = 0;
        if (lt == K::kString) {
          c = l.string_value().compare(r.string_value());
        } else if (lt == K::kBool) {
          c = l.bool_value() == r.bool_value() ? 0 : 1;
        } else if (lt == K::kDuration || (lt == K::kInt && rt == K::kInt)) {
          c = l.int_value() < r.int_value() ? -1 : l.int_value() > r.int_value() ? 1 : 0;
        } else {
          a = lt == K::kFloat ? l.float_value() : static_cast<double>(l.int_value());
          b = rt == K::kFloat ? r.float_value() : static_cast<double>(r.int_value());
          if (std::isnan(a) || std::isnan(b)) return Ok(Value::Bool(op == BinaryOp::kNe));
          c = a < b ? -1 : a > b ? 1 : 0;
        }
        switch (op) {
          case BinaryOp::kEq:
            return Ok(Value::Bool(c == 0));
          case BinaryOp::kNe:
            return Ok(Value::Bool(c != 0));
          case BinaryOp::kLt:
            return Ok(Value::Bool(c < 0));
          case BinaryOp::kLe:
            return Ok(Value::Bool(c <= 0));
          case BinaryOp::kGt:
            return Ok(Value::Bool(c > 0));
          case BinaryOp::kGe:
            return Ok(Value::Bool(c >= 0));
          default:
            return Err("regex not supported by the reference");
        }
      }
      // Arithmetic, one combination at a time.
      auto wrap = [](uint64_t x) { return static_cast<int64_t>(x); };
      const uint64_t li = static_cast<uint64_t>(l.int_value()),
                     ri = static_cast<uint64_t>(r.int_value());
      if (lt == K::kString) {
        strings_.push_back(std::string(l.string_value()) + std::string(r.string_value()));
        return Ok(Value::String(strings_.back()));
      }
      if (lt == K::kFloat && rt == K::kFloat) {
        const double a = l.float_value(), b = r.float_value();
        switch (op) {
          case BinaryOp::kAdd:
            return Ok(Value::Float(a + b));
          case BinaryOp::kSub:
            return Ok(Value::Float(a - b));
          case BinaryOp::kMul:
            return Ok(Value::Float(a * b));
          default:
            return Ok(Value::Float(a / b));
        }
      }
      if (res == K::kDuration && (lt == K::kFloat || rt == K::kFloat)) {
        const double f = lt == K::kFloat ? l.float_value() : r.float_value();
        const double d = static_cast<double>(lt == K::kFloat ? r.int_value() : l.int_value());
        return Ok(Value::Duration(GoF2I(op == BinaryOp::kMul ? d * f : d / f)));
      }
      int64_t out = 0;
      switch (op) {
        case BinaryOp::kAdd:
          out = wrap(li + ri);
          break;
        case BinaryOp::kSub:
          out = wrap(li - ri);
          break;
        case BinaryOp::kMul:
          out = wrap(li * ri);
          break;
        case BinaryOp::kDiv:
        case BinaryOp::kMod:
          if (r.int_value() == 0) return Err("runtime error: integer divide by zero");
          if (r.int_value() == -1) {
            out = op == BinaryOp::kDiv ? wrap(0 - li) : 0;
          } else {
            out = op == BinaryOp::kDiv ? l.int_value() / r.int_value()
                                       : l.int_value() % r.int_value();
          }
          break;
        default:
          break;
      }
      return Ok(res == K::kDuration ? Value::Duration(out) : Value::Int(out));
    }
    default:
      return Err("unsupported by the reference");
  }
}

RefResult RefEvaluator::EvalTop(const ast::Expr& e) {
  RefResult r = Eval(e);
  if (r.is_error) return r;
  switch (r.value.kind()) {
    case K::kFloat:
    case K::kInt:
    case K::kString:
    case K::kBool:
    case K::kDuration:
      return r;
    default:
      return Err("expression returned unexpected type " + Name(r.value.kind()));
  }
}

}  // namespace tick::interp::testing
