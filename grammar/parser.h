// File: grammar/parser.h
//
// TICKscript text -> typed AST (grammar/ast.h).
//
// The grammar (grammar/rules.h) reproduces Kapacitor's lexer and parser (tick/ast/lex.go,
// parser.go), including the two-state lexer that decides whether `/` starts a regex or is a
// division, whether `*` is a star or a multiplication and whether `-` / `!` are unary.
//
//   absl::StatusOr<ast::Script> script = grammar::ParseScript(text, "cpu.tick");
//   if (!script.ok()) std::cerr << script.status().message() << "\n";
//
// On a syntax error the status is InvalidArgument and its message is exactly one formatted
// diagnostic (SourceFile::FormatError):
//
//   cpu.tick:3:40: error: expected an expression after '<'
//     |alert().crit(lambda: "usage_idle" < )
//                                          ^
//
// and it carries a `tick/source-location` payload ("line:col", see SetSourceLocation).
// Parsing stops at the first error. Nesting depth is limited, so hostile input cannot overflow
// the stack ("expression nested too deeply"). These functions never throw.
#ifndef TICK_GRAMMAR_PARSER_H_
#define TICK_GRAMMAR_PARSER_H_

#include <cstddef>
#include <string_view>

#include "absl/status/statusor.h"
#include "grammar/ast.h"

namespace tick::grammar {

// Maximum nesting of parenthesised expressions / unary operators / calls, and maximum depth of
// the resulting expression tree (long operator chains build deep left-leaning trees).
inline constexpr int kMaxNestingDepth = 200;

// Parses a whole TICKscript. `filename` is only used in diagnostics (Script::source.name()).
absl::StatusOr<ast::Script> ParseScript(std::string_view text, std::string_view filename);

// Parses a bare lambda expression, i.e. what follows `lambda:` (Kapacitor's ParseLambda, used by
// topic-handler `match` expressions): a PrimaryExpr followed by end of input. Returns the
// expression itself (not wrapped in a kLambda node); ranges are offsets into `text`.
absl::StatusOr<ast::ExprPtr> ParseLambdaBody(std::string_view text, std::string_view filename);

// For tests: runs tao::pegtl::analyze on the grammar and returns the number of issues found
// (0 = no infinite loops / left recursion). Kept here so PEGTL is instantiated in one TU.
size_t AnalyzeGrammarForTest();

}  // namespace tick::grammar

#endif  // TICK_GRAMMAR_PARSER_H_
