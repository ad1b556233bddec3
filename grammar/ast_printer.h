// File: grammar/ast_printer.h
//
// A stable S-expression dump of the AST, for golden tests and debugging.
//
//   DumpExpr:  (chain (ident stream) (|from) (.measurement (string "cpu"))
//                (|alert) (.crit (lambda (< (ref "usage_idle") (int 10)))))
//   DumpAst:   one block per statement, then the comments, each with its source range as
//              @line:col-line:col, e.g.
//                (expr @1:1-3:40
//                  (chain (ident stream)
//                    (|from @2:3-2:9)
//                    ...))
//                (comment @5:1-6:10 " first line" " second line")
//
// Node forms: (ident x) (ref "f") (string "s") (int 5) (float 0.5) (duration 5m 300000000000)
// (bool TRUE) (regex "re") (star) (- x) (! x) (< a b) (AND a b) (call f args...) (lambda x)
// (list items...) (chain head links...); a link is (|name args...), (.name args...),
// (@name args...) or, without parentheses, .name / @name (in DumpAst: (get .name @range)).
// An expression written in parentheses
// is wrapped as (parens x). Strings are printed with \" \\ \n \t \r and \xNN escapes.
#ifndef TICK_GRAMMAR_AST_PRINTER_H_
#define TICK_GRAMMAR_AST_PRINTER_H_

#include <string>

#include "grammar/ast.h"

namespace tick::grammar {

std::string DumpExpr(const ast::Expr& expr);
std::string DumpAst(const ast::Script& script);

}  // namespace tick::grammar

#endif  // TICK_GRAMMAR_AST_PRINTER_H_
