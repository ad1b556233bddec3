// File: grammar/rules.h
//
// The PEGTL grammar of TICKscript (Kapacitor tick/ast/lex.go + parser.go). Rules only: the
// actions that build the AST live in grammar/parser.cc, the must<> messages in grammar/errors.h.
// Include this header only from parser.cc (PEGTL is instantiated in one translation unit).
//
// Kapacitor's lexer is a two-state machine; the grammar reproduces it without a separate lexer:
//  * "operand state" (start of input, after `( [ , | @ .`, after an operator, after `]`, `*`, a
//    regex or a comment): whitespace and `//` comments are skipped (rule sp); `-` `!` are unary,
//    `*` is a star, `/` starts a regex.
//  * "operator state" (after an identifier, keyword, number, duration, string, reference or `)`):
//    only whitespace is skipped (rule bsp) before binary operators; `*` multiplies and `/`
//    divides. A `//` comment switches back to operand state, where only `-`, AND and OR can
//    continue an expression.
//  * after `=`, `=~` and `!~` a `/` (even `//`) always starts a regex.
// Which state follows an operand is decided by its last byte (`*` and a regex's `/` leave the
// lexer in operand state, every other operand ends in operator state): see bin_op and stmt_gap.
#ifndef TICK_GRAMMAR_RULES_H_
#define TICK_GRAMMAR_RULES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tao/pegtl.hpp"
#include "tao/pegtl/contrib/analyze_traits.hpp"

namespace tick::grammar::rules {

namespace internal {

// Non-ASCII halves of the three classifiers below (p < end, *p >= 0x80; defined in parser.cc).
size_t SpaceLenUtf8(const char* p, const char* end);
size_t LetterLenUtf8(const char* p, const char* end);
size_t IdentContLenUtf8(const char* p, const char* end);

// Byte length of the Unicode white-space character (Go unicode.IsSpace) at p, or 0.
inline size_t SpaceLen(const char* p, const char* end) {
  if (p >= end) return 0;
  const auto c = static_cast<unsigned char>(*p);
  if (c < 0x80) return (c == ' ' || (c >= '\t' && c <= '\r')) ? 1 : 0;
  return SpaceLenUtf8(p, end);
}
// Byte length of the Unicode letter (Go unicode.IsLetter) at p, or 0.
inline size_t LetterLen(const char* p, const char* end) {
  if (p >= end) return 0;
  const auto c = static_cast<unsigned char>(*p);
  if (c < 0x80) return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ? 1 : 0;
  return LetterLenUtf8(p, end);
}
// Byte length of a letter, decimal digit (unicode.IsDigit) or '_' at p, or 0.
inline size_t IdentContLen(const char* p, const char* end) {
  if (p >= end) return 0;
  const auto c = static_cast<unsigned char>(*p);
  if (c < 0x80) {
    return (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9') || c == '_') ? 1 : 0;
  }
  return IdentContLenUtf8(p, end);
}

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Length of the keyword AND or OR at p (not followed by an identifier character), or 0.
inline size_t LogicKeywordLen(const char* p, const char* end) {
  const size_t avail = static_cast<size_t>(end - p);
  size_t n = 0;
  if (avail >= 3 && p[0] == 'A' && p[1] == 'N' && p[2] == 'D') {
    n = 3;
  } else if (avail >= 2 && p[0] == 'O' && p[1] == 'R') {
    n = 2;
  } else {
    return 0;
  }
  return IdentContLen(p + n, end) == 0 ? n : 0;
}

// If a comment starts at p, returns the end of the comment block (Kapacitor's lexComment):
// `//` to the end of the line, continued by every following line whose first non-blank
// character is '/'. Otherwise nullptr.
inline const char* CommentEnd(const char* p, const char* end) {
  if (end - p < 2 || p[0] != '/' || p[1] != '/') return nullptr;
  while (true) {
    while (p < end && *p != '\n') ++p;
    if (p == end) return p;
    const char* q = p + 1;  // after '\n': skip blanks except newlines
    while (q < end && *q != '\n') {
      const size_t n = SpaceLen(q, end);
      if (n == 0) break;
      q += n;
    }
    if (q < end && *q == '/') {
      p = q;
      continue;
    }
    return p;
  }
}

// Tokens whose scanners hand their text straight to the parse state (State::PushToken), which
// converts them to AST literals.
enum class Token { kNumber, kString, kReference, kRegex };

// Records a lexical error in the parse state and throws (caught in parser.cc).
template <typename ParseInput, typename State>
[[noreturn]] void RaiseAt(const ParseInput& in, const char* where, std::string message, State& st) {
  st.SetError(where, std::move(message));
  throw tao::pegtl::parse_error(st.error_message(), in);
}

// Base of hand-written token rules: `static bool Scan(in, st)`.
template <typename Derived>
struct token_rule {
  using rule_t = Derived;
  using subs_t = tao::pegtl::empty_list;
  template <tao::pegtl::apply_mode, tao::pegtl::rewind_mode, template <typename...> class,
            template <typename...> class, typename ParseInput, typename... States>
  static bool match(ParseInput& in, States&... st) {
    return Derived::Scan(in, st...);
  }
};

}  // namespace internal

namespace p = tao::pegtl;

// ---- Characters and trivia ---------------------------------------------------------------------

// A letter may start an identifier (not '_', not a digit).
struct ident_start : internal::token_rule<ident_start> {
  template <typename ParseInput, typename... States>
  static bool Scan(ParseInput& in, States&...) {
    const size_t n = internal::LetterLen(in.current(), in.end());
    if (n == 0) return false;
    in.bump(n);
    return true;
  }
};

struct ident_cont : internal::token_rule<ident_cont> {
  template <typename ParseInput, typename... States>
  static bool Scan(ParseInput& in, States&...) {
    const size_t n = internal::IdentContLen(in.current(), in.end());
    if (n == 0) return false;
    in.bump(n);
    return true;
  }
};

// Operand state: any run of Unicode white space and comment blocks. A comment block is what
// Kapacitor's lexComment reads: `//` to the end of the line, continued by every following line
// whose first non-blank character is '/' (see CommentEnd); each is recorded in the state.
struct sp : internal::token_rule<sp> {
  template <typename ParseInput, typename State>
  static bool Scan(ParseInput& in, State& st) {
    const char* p = in.current();
    const char* const end = in.end();
    while (p < end) {
      const auto c = static_cast<unsigned char>(*p);
      if (c == ' ' || (c >= '\t' && c <= '\r')) {  // the ASCII white space, inline
        ++p;
      } else if (c == '/') {
        const char* last = internal::CommentEnd(p, end);
        if (last == nullptr) break;
        st.RecordComment(p, last);
        p = last;
      } else if (const size_t n = c >= 0x80 ? internal::SpaceLenUtf8(p, end) : 0; n > 0) {
        p += n;
      } else {
        break;
      }
    }
    in.bump(static_cast<size_t>(p - in.current()));
    return true;
  }
};

// Operator state: any run of Unicode white space (no comments).
struct bsp : internal::token_rule<bsp> {
  template <typename ParseInput, typename... States>
  static bool Scan(ParseInput& in, States&...) {
    const char* p = in.current();
    const char* const end = in.end();
    while (const size_t n = internal::SpaceLen(p, end)) p += n;
    in.bump(static_cast<size_t>(p - in.current()));
    return true;
  }
};

// clang-format off
struct comment_start : p::string<'/', '/'> {};
// clang-format on

// ---- Keywords and identifiers ------------------------------------------------------------------

// clang-format off
template <char... Cs> struct kw : p::seq<p::string<Cs...>, p::not_at<ident_cont>> {};
struct kw_var : kw<'v', 'a', 'r'> {};
struct kw_dbrp : kw<'d', 'b', 'r', 'p'> {};
struct kw_true : kw<'T', 'R', 'U', 'E'> {};
struct kw_false : kw<'F', 'A', 'L', 'S', 'E'> {};
struct kw_and : kw<'A', 'N', 'D'> {};
struct kw_or : kw<'O', 'R'> {};
struct kw_lambda : p::string<'l', 'a', 'm', 'b', 'd', 'a', ':'> {};  // only with ':' attached
// An identifier that is not a keyword, in one scan: a letter and the longest run of ident_cont
// after it, rejected when that word is exactly one of var dbrp TRUE FALSE AND OR (the kw<> rules:
// the word is maximal, so no ident_cont follows it) or `lambda` directly followed by ':'.
struct ident : internal::token_rule<ident> {
  template <typename ParseInput, typename... States>
  static bool Scan(ParseInput& in, States&...) {
    const char* const begin = in.current();
    const char* const end = in.end();
    size_t n = internal::LetterLen(begin, end);
    if (n == 0) return false;
    const char* p = begin + n;
    while (p < end) {
      const auto c = static_cast<unsigned char>(*p);
      if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9') || c == '_') {
        ++p;  // ASCII, inline
      } else if (c >= 0x80 && (n = internal::IdentContLenUtf8(p, end)) != 0) {
        p += n;
      } else {
        break;
      }
    }
    const std::string_view word(begin, static_cast<size_t>(p - begin));
    bool keyword = false;
    switch (word.size()) {
      case 2:
        keyword = word == "OR";
        break;
      case 3:
        keyword = word == "var" || word == "AND";
        break;
      case 4:
        keyword = word == "dbrp" || word == "TRUE";
        break;
      case 5:
        keyword = word == "FALSE";
        break;
      case 6:
        keyword = word == "lambda" && p < end && *p == ':';
        break;
      default:
        break;
    }
    if (keyword) return false;
    in.bump(static_cast<size_t>(p - begin));
    return true;
  }
};
struct call_name : ident {};   // name of a call (lambda function or global call)
struct var_name : ident {};    // var NAME
struct type_name : ident {};   // var name TYPE
struct pipe_name : ident {};   // |NAME(
struct prop_name : ident {};   // .NAME
struct udf_name : ident {};    // @NAME
// clang-format on

// ---- Literals ----------------------------------------------------------------------------------

// Number (lexNumberOrDurationOrDot + newNumber): digits with at most one '.', may start with '.'
// when a digit follows. "multiple decimals in number" on a second '.'.
struct number : internal::token_rule<number> {
  template <typename ParseInput, typename State>
  static bool Scan(ParseInput& in, State& st) {
    const char* p = in.current();
    const char* const end = in.end();
    if (p == end) return false;
    if (!internal::IsDigit(*p) && !(*p == '.' && p + 1 < end && internal::IsDigit(p[1])))
      return false;
    bool decimal = false;
    for (; p < end; ++p) {
      if (*p == '.') {
        if (decimal) internal::RaiseAt(in, p, "multiple decimals in number", st);
        decimal = true;
      } else if (!internal::IsDigit(*p)) {
        break;
      }
    }
    st.PushToken(internal::Token::kNumber, in.current(), p);
    in.bump(static_cast<size_t>(p - in.current()));
    return true;
  }
};

// clang-format off
struct dur_unit : p::sor<p::string<'m', 's'>, p::one<'u', 's', 'm', 'h', 'd', 'w'>, p::string<'\xC2', '\xB5'>> {};
struct duration : p::seq<p::plus<p::ascii::digit>, dur_unit> {};
// clang-format on

// 'single quoted' (only \' is an escape) or '''triple quoted''' (raw); lexSingleOrTripleString.
struct string_lit : internal::token_rule<string_lit> {
  template <typename ParseInput, typename State>
  static bool Scan(ParseInput& in, State& st) {
    const char* const begin = in.current();
    const char* const end = in.end();
    if (begin == end || *begin != '\'') return false;
    const char* p = begin + 1;
    int count = 1;
    if (p < end && *p == '\'') {  // '' or '''
      ++p;
      if (p < end && *p == '\'') {
        ++p;
        count = 3;
      } else {
        st.PushToken(internal::Token::kString, begin, p);
        in.bump(2);
        return true;
      }
    }
    const int total = count;
    while (true) {
      if (p == end) internal::RaiseAt(in, begin, "unterminated string", st);
      const char c = *p++;
      if (c == '\\' && count == 1) {
        if (p < end && *p == '\'') ++p;
      } else if (c == '\'') {
        if (--count == 0) break;
      } else {
        count = total;
      }
    }
    st.PushToken(internal::Token::kString, begin, p);
    in.bump(static_cast<size_t>(p - begin));
    return true;
  }
};

// Shared scanner of "reference" and /regex/: only \<quote> escapes the closing character.
template <char Quote>
struct quoted_scan {
  template <typename ParseInput, typename State>
  static bool Scan(ParseInput& in, State& st, const char* unterminated, internal::Token token) {
    const char* const begin = in.current();
    const char* const end = in.end();
    if (begin == end || *begin != Quote) return false;
    const char* p = begin + 1;
    while (true) {
      if (p == end) internal::RaiseAt(in, begin, unterminated, st);
      const char c = *p++;
      if (c == '\\') {
        if (p < end && *p == Quote) ++p;
      } else if (c == Quote) {
        break;
      }
    }
    st.PushToken(token, begin, p);
    in.bump(static_cast<size_t>(p - begin));
    return true;
  }
};

struct reference : internal::token_rule<reference> {
  template <typename ParseInput, typename State>
  static bool Scan(ParseInput& in, State& st) {
    return quoted_scan<'"'>::Scan(in, st, "unterminated field reference",
                                  internal::Token::kReference);
  }
};
struct dbrp_db : reference {};
struct dbrp_rp : reference {};

struct regex : internal::token_rule<regex> {
  template <typename ParseInput, typename State>
  static bool Scan(ParseInput& in, State& st) {
    return quoted_scan<'/'>::Scan(in, st, "unterminated regex", internal::Token::kRegex);
  }
};

// clang-format off
struct star_lit : p::one<'*'> {};
struct boolean : p::sor<kw_true, kw_false> {};
// clang-format on

// ---- Lambda expressions (PrimaryExpr) ---------------------------------------------------------

struct primary_expr;
struct operand;

// Binary operator after an operand (see the header comment). Pushes the operator to the state.
struct bin_op;
// The operand after a binary operator: after =~ / !~ a '/' always starts a regex; after AND / OR
// the lexer is in operator state (no star, '/' is a division); otherwise operand state.
struct bin_rhs;

// clang-format off
// clang-format on

// Binary operator token in operator state, in one scan: == != =~ !~ <= >= < > + - * % AND OR, and
// '/' when not followed by '/' (the same as sor<"==", "!=", "=~", "!~", "<=", ">=",
// one<'<', '>', '+', '-', '*', '%'>, seq<'/', not_at<'/'>>, kw_and, kw_or>).
struct op_tokens_b : internal::token_rule<op_tokens_b> {
  template <typename ParseInput, typename... States>
  static bool Scan(ParseInput& in, States&...) {
    const char* const p = in.current();
    const char* const end = in.end();
    if (p == end) return false;
    const char next = p + 1 < end ? p[1] : '\0';
    size_t n = 0;
    switch (*p) {
      case '=':
      case '!':
        n = (next == '=' || next == '~') ? 2 : 0;
        break;
      case '<':
      case '>':
        n = next == '=' ? 2 : 1;
        break;
      case '+':
      case '-':
      case '*':
      case '%':
        n = 1;
        break;
      case '/':
        n = (p + 1 < end && next == '/') ? 0 : 1;
        break;
      case 'A':
      case 'O':
        n = internal::LogicKeywordLen(p, end);
        break;
      default:
        break;
    }
    if (n == 0) return false;
    in.bump(n);
    return true;
  }
};

// Operator token in operand state: '-', AND, OR (sor<one<'-'>, kw_and, kw_or>).
struct op_tokens_o : internal::token_rule<op_tokens_o> {
  template <typename ParseInput, typename... States>
  static bool Scan(ParseInput& in, States&...) {
    const char* const p = in.current();
    const char* const end = in.end();
    if (p == end) return false;
    const size_t n = *p == '-' ? 1 : internal::LogicKeywordLen(p, end);
    if (n == 0) return false;
    in.bump(n);
    return true;
  }
};

// clang-format off
struct op_after_b : p::seq<bsp, p::sor<p::seq<p::at<comment_start>, sp, op_tokens_o>, op_tokens_b>> {};
struct op_after_o : p::seq<sp, op_tokens_o> {};
struct rhs_regex : p::seq<bsp, p::sor<p::seq<p::at<p::one<'/'>>, operand>, p::seq<sp, operand>>> {};
struct rhs_logic : p::seq<bsp, p::sor<p::seq<p::at<comment_start>, sp, operand>, p::seq<p::not_at<p::one<'*', '/'>>, operand>>> {};
struct rhs_plain : p::seq<sp, operand> {};
struct expr_tail : p::star<bin_op, p::must<bin_rhs>> {};
struct primary_expr : p::seq<operand, expr_tail> {};

struct unary_op : p::one<'-', '!'> {};
struct unary_rhs : p::seq<operand> {};
struct unary : p::seq<unary_op, sp, p::must<unary_rhs>> {};
struct paren_body : p::seq<primary_expr> {};
struct paren_close : p::one<')'> {};
struct paren : p::seq<p::one<'('>, sp, p::must<paren_body>, sp, p::must<paren_close>> {};
struct larg : p::seq<primary_expr> {};
struct lcall_close : p::one<')'> {};
struct lcall_args : p::opt<larg, p::star<sp, p::one<','>, sp, p::sor<p::at<p::one<')'>>, p::must<larg>>>> {};
struct lcall : p::seq<call_name, sp, p::one<'('>, sp, lcall_args, sp, p::must<lcall_close>> {};
struct operand : p::sor<reference, string_lit, p::seq<p::at<p::ascii::digit>, duration>, number, p::seq<p::at<ident_start>, p::sor<boolean, lcall, ident>>, p::seq<p::at<unary_op>, unary>, p::seq<p::at<p::one<'('>>, paren>, regex, p::seq<p::at<p::one<'*'>>, star_lit>> {};
// clang-format on

// ---- Expressions, chains and statements --------------------------------------------------------

struct expression;

// clang-format off
struct lambda_body : p::seq<bsp, p::sor<p::seq<p::at<comment_start>, sp, primary_expr>, p::seq<p::not_at<p::one<'*', '/'>>, primary_expr>>> {};
struct lambda : p::seq<kw_lambda, p::must<lambda_body>> {};

struct list_item : p::sor<ident, string_lit, star_lit> {};
struct list_close : p::one<']'> {};
struct list_items : p::opt<p::not_at<p::one<']'>>, p::must<list_item>, p::star<sp, p::one<','>, sp, p::opt<p::not_at<p::one<']'>>, p::must<list_item>>>> {};
struct list : p::seq<p::one<'['>, sp, list_items, sp, p::must<list_close>> {};

struct garg : p::seq<expression> {};
struct gargs : p::opt<garg, p::star<sp, p::one<','>, sp, p::sor<p::at<p::one<')'>>, p::must<garg>>>> {};
struct gcall_close : p::one<')'> {};
struct gcall : p::seq<call_name, sp, p::one<'('>, sp, gargs, sp, p::must<gcall_close>> {};

struct link_open : p::one<'('> {};
struct link_close : p::one<')'> {};
struct link_call : p::seq<link_open, sp, gargs, sp, p::must<link_close>> {};
struct dot : p::seq<p::one<'.'>, p::not_at<p::ascii::digit>> {};
struct pipe_link : p::seq<p::one<'|'>, sp, p::must<pipe_name>, sp, p::must<link_open>, sp, gargs, sp, p::must<link_close>> {};
struct prop_link : p::seq<dot, sp, p::must<prop_name>, p::opt<sp, link_call>> {};
struct udf_link : p::seq<p::one<'@'>, sp, p::must<udf_name>, p::opt<sp, link_call>> {};
struct link : p::sor<pipe_link, prop_link, udf_link> {};
struct chain_head : p::sor<gcall, ident> {};
struct ident_led : p::seq<chain_head, p::sor<p::plus<sp, link>, expr_tail>> {};
struct expression : p::sor<p::seq<p::at<kw_lambda>, lambda>, p::seq<p::at<p::one<'['>>, list>, p::seq<p::at<ident_start>, ident_led>, primary_expr> {};

struct asgn : p::seq<p::one<'='>, p::not_at<p::one<'=', '~'>>> {};
struct decl_value : p::seq<bsp, p::sor<p::seq<p::at<p::one<'/'>>, expression>, p::seq<sp, expression>>> {};
struct var_tail : p::sor<p::seq<bsp, asgn, p::must<decl_value>>, p::seq<sp, type_name>> {};
struct decl : p::seq<kw_var, sp, p::must<var_name>, p::must<var_tail>> {};
struct dbrp_dot : p::one<'.'> {};
struct dbrp_stmt : p::seq<kw_dbrp, sp, p::must<dbrp_db>, sp, p::must<dbrp_dot>, sp, p::must<dbrp_rp>> {};
struct expr_stmt : p::seq<expression> {};
struct statement : p::sor<decl, dbrp_stmt, expr_stmt> {};
// clang-format on

// Separator after a statement. After a statement that ends in operator state a following `*` or
// `/` is a binary operator token in Kapacitor, which no statement can start with.
struct stmt_gap;

// clang-format off
struct grammar : p::seq<sp, p::star<p::not_at<p::eof>, p::must<statement>, p::must<stmt_gap>>, p::eof> {};
struct lambda_end : p::eof {};
struct lambda_grammar : p::seq<sp, p::must<primary_expr>, sp, p::must<lambda_end>> {};
// clang-format on

// Last byte before the current position: '*' or '/' (star, regex) leave the lexer in operand state.
template <typename ParseInput>
bool AfterOperandState(const ParseInput& in) {
  if (in.current() == in.begin()) return true;
  const char prev = in.current()[-1];
  return prev == '*' || prev == '/' || prev == ']';
}

struct bin_op {
  using rule_t = bin_op;
  using subs_t = p::type_list<op_after_b, op_after_o>;
  template <p::apply_mode A, p::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename State>
  static bool match(ParseInput& in, State& st) {
    auto marker = in.template mark<p::rewind_mode::required>();
    const bool operand_state = AfterOperandState(in);
    bool ok;
    if (operand_state) {
      ok = p::match<op_after_o, A, p::rewind_mode::active, Action, Control>(in, st);
    } else {
      ok = p::match<op_after_b, A, p::rewind_mode::active, Action, Control>(in, st);
    }
    if (!ok) return marker(false);
    st.PushOperator(in.current());
    return marker(true);
  }
};

struct bin_rhs {
  using rule_t = bin_rhs;
  using subs_t = p::type_list<rhs_regex, rhs_logic, rhs_plain>;
  template <p::apply_mode A, p::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename State>
  static bool match(ParseInput& in, State& st) {
    switch (st.LastOperatorClass()) {
      case 1:
        return p::match<rhs_regex, A, M, Action, Control>(in, st);
      case 2:
        return p::match<rhs_logic, A, M, Action, Control>(in, st);
      default:
        return p::match<rhs_plain, A, M, Action, Control>(in, st);
    }
  }
};

struct stmt_gap {
  using rule_t = stmt_gap;
  using subs_t = p::type_list<sp, bsp>;
  template <p::apply_mode A, p::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename State>
  static bool match(ParseInput& in, State& st) {
    if (AfterOperandState(in)) return p::match<sp, A, M, Action, Control>(in, st);
    (void)p::match<bsp, A, M, Action, Control>(in, st);
    if (in.size(2) >= 2 && in.peek_char(0) == '/' && in.peek_char(1) == '/') {
      return p::match<sp, A, M, Action, Control>(in, st);
    }
    if (!in.empty() && (in.peek_char(0) == '*' || in.peek_char(0) == '/')) return false;
    return true;
  }
};

}  // namespace tick::grammar::rules

namespace tao::pegtl {

// Analysis traits of the hand-written rules (all consume input when they succeed, except the
// dispatchers, which behave like a choice between their alternatives).
// clang-format off
template <typename Name> struct analyze_traits<Name, tick::grammar::rules::sp> : analyze_opt_traits<> {};
template <typename Name> struct analyze_traits<Name, tick::grammar::rules::bsp> : analyze_opt_traits<> {};
template <typename Name> struct analyze_traits<Name, tick::grammar::rules::ident> : analyze_any_traits<> {};
template <typename Name> struct analyze_traits<Name, tick::grammar::rules::ident_start> : analyze_any_traits<> {};
template <typename Name> struct analyze_traits<Name, tick::grammar::rules::ident_cont> : analyze_any_traits<> {};
template <typename Name> struct analyze_traits<Name, tick::grammar::rules::number> : analyze_any_traits<> {};
template <typename Name> struct analyze_traits<Name, tick::grammar::rules::string_lit> : analyze_any_traits<> {};
template <typename Name> struct analyze_traits<Name, tick::grammar::rules::reference> : analyze_any_traits<> {};
template <typename Name> struct analyze_traits<Name, tick::grammar::rules::regex> : analyze_any_traits<> {};
template <typename Name> struct analyze_traits<Name, tick::grammar::rules::op_tokens_b> : analyze_any_traits<> {};
template <typename Name> struct analyze_traits<Name, tick::grammar::rules::op_tokens_o> : analyze_any_traits<> {};
template <typename Name> struct analyze_traits<Name, tick::grammar::rules::bin_op> : analyze_sor_traits<tick::grammar::rules::op_after_b, tick::grammar::rules::op_after_o> {};
template <typename Name> struct analyze_traits<Name, tick::grammar::rules::bin_rhs> : analyze_sor_traits<tick::grammar::rules::rhs_regex, tick::grammar::rules::rhs_logic, tick::grammar::rules::rhs_plain> {};
template <typename Name> struct analyze_traits<Name, tick::grammar::rules::stmt_gap> : analyze_opt_traits<tick::grammar::rules::sp, tick::grammar::rules::bsp> {};
// clang-format on

}  // namespace tao::pegtl

#endif  // TICK_GRAMMAR_RULES_H_
