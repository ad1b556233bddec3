// File: grammar/ast.cc
#include "grammar/ast.h"

namespace tick::ast {

int Precedence(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr:
      return 0;
    case BinaryOp::kAnd:
      return 1;
    case BinaryOp::kEq:
    case BinaryOp::kNe:
    case BinaryOp::kRegexMatch:
    case BinaryOp::kRegexNotMatch:
      return 2;
    case BinaryOp::kLt:
    case BinaryOp::kLe:
    case BinaryOp::kGt:
    case BinaryOp::kGe:
      return 3;
    case BinaryOp::kAdd:
    case BinaryOp::kSub:
      return 4;
    case BinaryOp::kMul:
    case BinaryOp::kDiv:
    case BinaryOp::kMod:
      return 5;
  }
  return 0;
}

const char* OpString(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr:
      return "OR";
    case BinaryOp::kAnd:
      return "AND";
    case BinaryOp::kEq:
      return "==";
    case BinaryOp::kNe:
      return "!=";
    case BinaryOp::kRegexMatch:
      return "=~";
    case BinaryOp::kRegexNotMatch:
      return "!~";
    case BinaryOp::kLt:
      return "<";
    case BinaryOp::kLe:
      return "<=";
    case BinaryOp::kGt:
      return ">";
    case BinaryOp::kGe:
      return ">=";
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSub:
      return "-";
    case BinaryOp::kMul:
      return "*";
    case BinaryOp::kDiv:
      return "/";
    case BinaryOp::kMod:
      return "%";
  }
  return "?";
}

const char* OpString(UnaryOp op) { return op == UnaryOp::kNeg ? "-" : "!"; }

ExprPtr Expr::Clone() const {
  ExprPtr out = std::make_unique<Expr>();
  out->kind = kind;
  out->range = range;
  out->op_range = op_range;
  out->text = text;
  out->int_value = int_value;
  out->float_value = float_value;
  out->bool_value = bool_value;
  out->parens = parens;
  out->unary_op = unary_op;
  out->binary_op = binary_op;
  out->regex = regex;
  out->args.reserve(args.size());
  for (const ExprPtr& a : args) out->args.push_back(a ? a->Clone() : nullptr);
  out->links.reserve(links.size());
  for (const ChainLink& l : links) {
    ChainLink c;
    c.kind = l.kind;
    c.name = l.name;
    c.name_range = l.name_range;
    c.range = l.range;
    c.has_parens = l.has_parens;
    c.args.reserve(l.args.size());
    for (const ExprPtr& a : l.args) c.args.push_back(a ? a->Clone() : nullptr);
    out->links.push_back(std::move(c));
  }
  return out;
}

}  // namespace tick::ast
