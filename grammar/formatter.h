// File: grammar/formatter.h
//
// Canonical TICKscript formatting, following Kapacitor's tickfmt (the Format methods of
// tick/ast/node.go), with tabs for indentation:
//
//   // cpu alert
//   var period = 5m
//
//   stream
//   	|from()
//   		.measurement('cpu')
//   	|alert()
//   		.crit(lambda: "usage_idle" < 10)
//
// * statements are separated by one blank line; the output ends with a newline;
// * a chain puts each `|node()` (and `@udf()`) on its own line one tab deeper than the chain's
//   statement, and each `.property()` two tabs deeper;
// * comments are kept, attached to the statement or chain link that follows them, one `// text`
//   per line; separate comment blocks before the same element are separated by a blank line;
// * expressions are written with canonical spacing (`a < b`, `f(a, b)`, `[a, b]`, `lambda: x`);
//   parentheses are kept where they were written (ast::Expr::parens);
// * strings are single-quoted with `\'` escapes (triple-quoted strings stay triple-quoted),
//   references double-quoted, durations and regexes as written, floats in shortest form with a
//   `.0` when integral, octal integers with their leading 0.
//
// Formatting is idempotent: FormatScript(Parse(FormatScript(s))) == FormatScript(s).
#ifndef TICK_GRAMMAR_FORMATTER_H_
#define TICK_GRAMMAR_FORMATTER_H_

#include <string>

#include "grammar/ast.h"

namespace tick::grammar {

// Formats a whole script (statements and comments). Never fails.
std::string FormatScript(const ast::Script& script);

// Formats one expression at indentation level 0 (chains still break lines),
// without comments. `source` is the text the expression's ranges refer to (used to keep
// literals as written); may be empty.
std::string FormatExpr(const ast::Expr& expr, std::string_view source = {});

}  // namespace tick::grammar

#endif  // TICK_GRAMMAR_FORMATTER_H_
