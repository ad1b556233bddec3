// File: grammar/ast.h
//
// The typed AST of a TICKscript. Produced by ParseScript (grammar/parser.h), consumed by the
// checker, the formatter, the lambda compiler and the graph builder.
//
// Every node carries a SourceRange of byte offsets into Script::source; the SourceFile there maps
// offsets to line:col for diagnostics. The AST is a plain tree of owning pointers (ExprPtr); nodes
// are tagged (kind) rather than polymorphic, which keeps it easy to walk, copy-free and small. The
// parser allocates a script's Exprs and their child lists in one arena owned by the Script
// (Script::arena), so building and freeing the tree costs a few allocations rather than one per
// node: an ExprPtr taken from a parsed Script must not outlive it (Clone() it instead). Exprs made
// elsewhere (std::make_unique<Expr>(), Clone()) live on the heap and may be mixed into any tree.
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
#include <memory_resource>
#include <string>
#include <utility>
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

// Deletes an Expr: heap-allocated ones (std::make_unique<Expr>(), Expr::Clone()) are deleted,
// ones the parser placed in their Script's arena (Script::arena) are only destroyed (the arena
// releases their memory). Implicitly constructible from std::default_delete<Expr>, so a
// std::unique_ptr<Expr> converts to ExprPtr.
struct ExprDeleter {
  constexpr ExprDeleter() noexcept = default;
  constexpr ExprDeleter(std::default_delete<Expr> /*heap*/) noexcept {}  // NOLINT: implicit
  void operator()(Expr* e) const noexcept;
};
using ExprPtr = std::unique_ptr<Expr, ExprDeleter>;
// Child lists. Nodes built by the parser allocate them from the Script's arena; nodes built
// elsewhere use the default (heap) resource. Used like std::vector.
using ExprList = std::pmr::vector<ExprPtr>;

// One `|x()`, `.x()` or `@x()` step of a chain.
struct ChainLink {
  ChainLink() = default;
  explicit ChainLink(std::pmr::memory_resource* r) : args(r) {}

  LinkKind kind = LinkKind::kPipe;
  std::string name;
  SourceRange name_range;  // the identifier
  SourceRange range;       // from the operator to the closing paren (or the name)
  bool has_parens = true;
  ExprList args;
};

struct Expr {
  Expr() = default;
  // Child lists allocated from `r` (the parser's arena).
  explicit Expr(std::pmr::memory_resource* r) : args(r), links(r) {}

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
  ExprList args;
  std::pmr::vector<ChainLink> links;  // kChain only
  // kRegex: the pattern compiled once by the parser (which rejects invalid patterns), shared by
  // every clone so that checking and lambda compilation never compile it again. May be null for
  // regex expressions built by hand; consumers then compile `text` themselves.
  std::shared_ptr<const re2::RE2> regex;

  ExprPtr Clone() const;

  // Set (by the parser) on Exprs constructed in a Script's arena; never copied or moved along,
  // so a copy or move elsewhere is an ordinary object.
  struct ArenaTag {
    ArenaTag() = default;
    ArenaTag(const ArenaTag& /*other*/) noexcept {}
    ArenaTag& operator=(const ArenaTag& /*other*/) noexcept { return *this; }
    bool in_arena = false;
  };
  ArenaTag arena_tag;
};

inline void ExprDeleter::operator()(Expr* e) const noexcept {
  if (e->arena_tag.in_arena) {
    e->~Expr();
  } else {
    delete e;
  }
}

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
  Script() = default;
  Script(Script&&) noexcept = default;
  // Releases the old statements before the arena that holds them.
  Script& operator=(Script&& other) noexcept {
    if (this != &other) {
      comments = std::move(other.comments);
      statements = std::move(other.statements);
      source = std::move(other.source);
      arena = std::move(other.arena);
    }
    return *this;
  }
  ~Script() = default;

  // Storage of the parser-built Exprs and their child lists (released after them: declared
  // first). Null for hand-built scripts.
  std::unique_ptr<std::pmr::monotonic_buffer_resource> arena;
  SourceFile source;  // name + text + line table
  std::vector<Statement> statements;
  std::vector<Comment> comments;  // in source order
};

}  // namespace tick::ast

#endif  // TICK_GRAMMAR_AST_H_
