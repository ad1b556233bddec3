// File: grammar/ast.h
//
// The typed AST of a TICKscript. Produced by ParseScript (grammar/parser.h), consumed by the
// checker, the formatter, the lambda compiler and the graph builder.
//
// Every node carries a SourceRange of byte offsets into Script::source; the SourceFile there maps
// offsets to line:col for diagnostics. The AST is a plain tree of owning pointers; nodes are
// tagged (kind) rather than polymorphic, which keeps it easy to walk, copy-free and small.
//
//   stream
//     |from().measurement('cpu')
//     |alert().crit(lambda: "usage_idle" < 10)
//
// is one Statement{kind = kExpr} whose expr is a Chain: head = Ident "stream", links =
// [Pipe from(), Property measurement('cpu'), Pipe alert(), Property crit(Lambda(Binary(<, ...)))].
#ifndef TICK_GRAMMAR_AST_H_
#define TICK_GRAMMAR_AST_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/source.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace tick::ast {

enum class ExprKind : uint8_t {
  kIdent,      // an identifier: a var name, `stream`, `batch`, a function-less name in a lambda
  kReference,  // "double quoted" field/tag reference; text = unescaped name
  kString,     // 'single' or '''triple''' quoted; text = unescaped value
  kInt,        // int_value (decimal or leading-0 octal)
  kFloat,      // float_value
  kDuration,   // int_value = nanoseconds; text = the literal as written (e.g. "5m")
  kBool,       // bool_value (TRUE / FALSE)
  kRegex,      // text = pattern with `\/` unescaped
  kStar,       // *
  kUnary,      // unary_op applied to args[0]
  kBinary,     // args[0] binary_op args[1]
  kCall,       // text = function name; args = arguments (inside lambdas and global calls)
  kLambda,     // lambda: args[0]
  kList,       // [ args... ]
  kChain,      // args[0] = head (kIdent or kCall); links = the chain
};

enum class UnaryOp : uint8_t { kNeg, kNot };

enum class BinaryOp : uint8_t {
  kOr,
  kAnd,
  kEq,
  kNe,
  kRegexMatch,     // =~
  kRegexNotMatch,  // !~
  kLt,
  kLe,
  kGt,
  kGe,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
};

// Kapacitor precedence: OR 0 < AND 1 < (== != =~ !~) 2 < (< <= > >=) 3 < (+ -) 4 < (* / %) 5.
int Precedence(BinaryOp op);
// The operator's source spelling: "OR", "AND", "==", "=~", "+", ...
const char* OpString(BinaryOp op);
const char* OpString(UnaryOp op);

enum class LinkKind : uint8_t {
  kPipe,      // |name(args)   creates a child node
  kProperty,  // .name(args)   or .name without parens (has_parens = false: property read)
  kUdf,       // @name(args)
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

// One `|x()`, `.x()` or `@x()` step of a chain.
struct ChainLink {
  LinkKind kind = LinkKind::kPipe;
  std::string name;
  SourceRange name_range;  // the identifier
  SourceRange range;       // from the operator to the closing paren (or the name)
  bool has_parens = true;
  std::vector<ExprPtr> args;
};

struct Expr {
  ExprKind kind = ExprKind::kIdent;
  SourceRange range;
  std::string text;
  int64_t int_value = 0;
  double float_value = 0;
  bool bool_value = false;
  bool parens = false;   // the expression was written inside ( ) (formatting only)
  SourceRange op_range;  // kUnary / kBinary: the operator token (e.g. for type errors)
  UnaryOp unary_op = UnaryOp::kNeg;
  BinaryOp binary_op = BinaryOp::kOr;
  std::vector<ExprPtr> args;
  std::vector<ChainLink> links;  // kChain only
  // kRegex: the pattern compiled once by the parser (which rejects invalid patterns), shared by
  // every clone so that checking and lambda compilation never compile it again. May be null for
  // regex expressions built by hand; consumers then compile `text` themselves.
  std::shared_ptr<const re2::RE2> regex;

  ExprPtr Clone() const;
};

// A `// comment` (possibly several consecutive lines merged, as Kapacitor's lexer does).
struct Comment {
  SourceRange range;
  std::vector<std::string> lines;  // each line's text after "//", as written
};

enum class StmtKind : uint8_t {
  kVar,       // var name = value
  kTypedVar,  // var name type        (template var; type_name in int float bool string regex
              //                       duration lambda list star)
  kDbrp,      // dbrp "db"."rp"
  kExpr,      // an expression statement (usually a chain)
};

struct Statement {
  StmtKind kind = StmtKind::kExpr;
  SourceRange range;
  std::string name;  // kVar / kTypedVar
  SourceRange name_range;
  std::string type_name;  // kTypedVar
  SourceRange type_range;
  std::string db, rp;  // kDbrp (unescaped)
  ExprPtr value;       // kVar: value; kExpr: the expression
};

struct Script {
  SourceFile source;  // name + text + line table
  std::vector<Statement> statements;
  std::vector<Comment> comments;  // in source order
};

}  // namespace tick::ast

#endif  // TICK_GRAMMAR_AST_H_
