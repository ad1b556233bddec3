// File: grammar/errors.h
//
// The message of every must<> point of grammar/rules.h (error_message<Rule>). parser.cc
// static_asserts that a must<>-ed rule has an entry, so no diagnostic can fall back to PEGTL's
// generic text (which names rule types). Placeholders, filled in when the error is raised:
//   {op}    the binary operator just read            {unary} the unary operator
//   {call}  the name of the call being parsed        {var}   the variable being declared
//   {found} the token at the error position, e.g. '}' or end of input
#ifndef TICK_GRAMMAR_ERRORS_H_
#define TICK_GRAMMAR_ERRORS_H_

#include "grammar/rules.h"

namespace tick::grammar {

template <typename Rule>
inline constexpr const char* error_message = nullptr;

// clang-format off
template <> inline constexpr const char* error_message<rules::bin_rhs> = "expected an expression after '{op}'";
template <> inline constexpr const char* error_message<rules::unary_rhs> = "expected an expression after '{unary}'";
template <> inline constexpr const char* error_message<rules::paren_body> = "expected an expression after '('";
template <> inline constexpr const char* error_message<rules::paren_close> = "expected ')' to close '(', found {found}";
template <> inline constexpr const char* error_message<rules::larg> = "expected an argument after ',' in the call to '{call}'";
template <> inline constexpr const char* error_message<rules::lcall_close> = "expected ')' to close the call to '{call}'";
template <> inline constexpr const char* error_message<rules::lambda_body> = "expected an expression after 'lambda:'";
template <> inline constexpr const char* error_message<rules::list_item> = "expected an identifier, a string or '*' in the list, found {found}";
template <> inline constexpr const char* error_message<rules::list_close> = "expected ',' or ']' in the list, found {found}";
template <> inline constexpr const char* error_message<rules::garg> = "expected an argument after ',' in the call to '{call}'";
template <> inline constexpr const char* error_message<rules::gcall_close> = "expected ')' to close the call to '{call}'";
template <> inline constexpr const char* error_message<rules::pipe_name> = "expected a node name after '|'";
template <> inline constexpr const char* error_message<rules::link_open> = "expected '(' after '|{call}': a '|' node needs parentheses";
template <> inline constexpr const char* error_message<rules::link_close> = "expected ')' to close the call to '{call}'";
template <> inline constexpr const char* error_message<rules::prop_name> = "expected a property name after '.'";
template <> inline constexpr const char* error_message<rules::udf_name> = "expected a UDF name after '@'";
template <> inline constexpr const char* error_message<rules::var_name> = "expected a variable name after 'var'";
template <> inline constexpr const char* error_message<rules::var_tail> = "expected '=' or a type after 'var {var}', found {found}";
template <> inline constexpr const char* error_message<rules::decl_value> = "expected an expression after '='";
template <> inline constexpr const char* error_message<rules::dbrp_db> = "expected a \"database\" reference after 'dbrp'";
template <> inline constexpr const char* error_message<rules::dbrp_dot> = "expected '.' between database and retention policy in 'dbrp'";
template <> inline constexpr const char* error_message<rules::dbrp_rp> = "expected a \"retention policy\" reference after '.'";
template <> inline constexpr const char* error_message<rules::statement> = "unexpected {found}";
template <> inline constexpr const char* error_message<rules::stmt_gap> = "unexpected {found}";
template <> inline constexpr const char* error_message<rules::primary_expr> = "expected an expression, found {found}";
template <> inline constexpr const char* error_message<rules::lambda_end> = "unexpected {found} after the expression";
// clang-format on

}  // namespace tick::grammar

#endif  // TICK_GRAMMAR_ERRORS_H_
