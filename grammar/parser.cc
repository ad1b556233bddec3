// File: grammar/parser.cc
//
// The only translation unit that instantiates PEGTL. The AST is built by a custom PEGTL control
// (Control below): every "builder" rule pushes a Frame on start (input offset and the sizes of the
// value / operator / link stacks), builds its node from the values its sub-rules pushed on
// success, and truncates the stacks on failure, so backtracking can never leave stray nodes.
// tao::pegtl::parse_error is caught at exactly one site (RunParse).
#include "grammar/parser.h"

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/strings.h"
#include "grammar/errors.h"
#include "grammar/rules.h"
#include "re2/re2.h"
#include "tao/pegtl.hpp"
#include "tao/pegtl/contrib/analyze.hpp"

namespace tick::grammar {
namespace rules::internal {

namespace {

// Decodes one UTF-8 code point; returns its length (0 if invalid).
size_t DecodeUtf8(const char* p, const char* end, uint32_t* cp) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  const size_t avail = static_cast<size_t>(end - p);
  if (avail == 0) return 0;
  const unsigned char c = u[0];
  size_t len;
  uint32_t v;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    len = 2;
    v = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    v = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    v = c & 0x07;
  } else {
    return 0;
  }
  if (avail < len) return 0;
  for (size_t i = 1; i < len; ++i) {
    if ((u[i] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (u[i] & 0x3F);
  }
  if ((len == 2 && v < 0x80) || (len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
      v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
    return 0;
  }
  *cp = v;
  return len;
}

// Unicode property test of one encoded code point via RE2's Unicode tables.
bool MatchesClass(const char* p, size_t len, bool digits_too) {
  static const RE2* const kLetter = new RE2("\\p{L}");
  static const RE2* const kLetterOrDigit = new RE2("[\\p{L}\\p{Nd}]");
  return RE2::FullMatch(re2::StringPiece(p, len), digits_too ? *kLetterOrDigit : *kLetter);
}

}  // namespace

size_t SpaceLenUtf8(const char* p, const char* end) {
  uint32_t cp;
  const size_t n = DecodeUtf8(p, end, &cp);
  if (n == 0) return 0;
  const bool space = cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
                     cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
  return space ? n : 0;
}

size_t LetterLenUtf8(const char* p, const char* end) {
  uint32_t cp;
  const size_t n = DecodeUtf8(p, end, &cp);
  if (n == 0) return 0;
  return MatchesClass(p, n, false) ? n : 0;
}

size_t IdentContLenUtf8(const char* p, const char* end) {
  uint32_t cp;
  const size_t n = DecodeUtf8(p, end, &cp);
  if (n == 0) return 0;
  return MatchesClass(p, n, true) ? n : 0;
}

}  // namespace rules::internal

namespace {

namespace p = tao::pegtl;
using ast::BinaryOp;
using ast::Expr;
using ast::ExprKind;
using ast::ExprPtr;

// Maximum depth of the expression tree (a long `a + b + ...` builds a left-leaning tree; every
// consumer walks it recursively).
constexpr uint32_t kMaxTreeDepth = 1000;

// One entry of the value stack: an expression, or (expr == nullptr) the source range of a bare
// name (link, var and type names), which its parent copies straight into the AST.
struct Item {
  ExprPtr expr;
  uint32_t depth = 1;
  SourceRange name;
};

struct Frame {
  uint32_t begin;
  uint32_t values;
  uint32_t ops;
  uint32_t links;
};

struct PendingOp {
  BinaryOp op;
  SourceRange range;
};

// Parse state shared by the rules (rules.h calls SetError, PushOperator, LastOperatorClass).
class State {
 public:
  // `arena`: where the AST goes (null: the heap); `scratch`: the builder stacks.
  State(std::string_view text, std::pmr::memory_resource* arena, std::pmr::memory_resource* scratch)
      : values(scratch),
        frames(scratch),
        ops(scratch),
        links(scratch),
        base_(text.data()),
        size_(text.size()),
        arena_(arena) {
    values.reserve(32);
    frames.reserve(64);
    ops.reserve(16);
    links.reserve(16);
  }

  // Where the AST is allocated (null: on the heap).
  std::pmr::memory_resource* arena() const { return arena_; }

  uint32_t Offset(const char* p) const { return static_cast<uint32_t>(p - base_); }
  std::string_view Text(uint32_t b, uint32_t e) const { return std::string_view(base_ + b, e - b); }
  std::string_view Source() const { return std::string_view(base_, size_); }

  // ---- used by rules.h
  void SetError(const char* where, std::string message) {
    SetErrorAt(Offset(where), std::move(message));
  }
  void SetErrorAt(uint32_t offset, std::string message) {
    if (has_error_) return;
    has_error_ = true;
    error_offset_ = offset;
    error_message_ = std::move(message);
  }
  const std::string& error_message() const { return error_message_; }
  bool has_error() const { return has_error_; }
  uint32_t error_offset() const { return error_offset_; }

  // Records the operator token that ends at `end`.
  void PushOperator(const char* end_ptr) {
    const uint32_t end = Offset(end_ptr);
    const char* e = end_ptr;
    PendingOp op;
    uint32_t len = 1;
    switch (e[-1]) {
      case 'D':
        op.op = BinaryOp::kAnd;
        len = 3;
        break;
      case 'R':
        op.op = BinaryOp::kOr;
        len = 2;
        break;
      case '~':
        op.op = e[-2] == '=' ? BinaryOp::kRegexMatch : BinaryOp::kRegexNotMatch;
        len = 2;
        break;
      case '=':
        len = 2;
        switch (e[-2]) {
          case '=':
            op.op = BinaryOp::kEq;
            break;
          case '!':
            op.op = BinaryOp::kNe;
            break;
          case '<':
            op.op = BinaryOp::kLe;
            break;
          default:
            op.op = BinaryOp::kGe;
            break;
        }
        break;
      case '<':
        op.op = BinaryOp::kLt;
        break;
      case '>':
        op.op = BinaryOp::kGt;
        break;
      case '+':
        op.op = BinaryOp::kAdd;
        break;
      case '-':
        op.op = BinaryOp::kSub;
        break;
      case '*':
        op.op = BinaryOp::kMul;
        break;
      case '/':
        op.op = BinaryOp::kDiv;
        break;
      default:
        op.op = BinaryOp::kMod;
        break;
    }
    op.range = SourceRange{end - len, end};
    ops.push_back(op);
  }
  // Records a comment block (once, even if backtracking scans it again).
  void RecordComment(const char* begin, const char* end);
  // Converts a scanned literal token and pushes it (defined below the builders).
  void PushToken(rules::internal::Token token, const char* begin, const char* end);

  // 1: =~ / !~ ; 2: AND / OR ; 0: other.
  int LastOperatorClass() const {
    if (ops.empty()) return 0;
    switch (ops.back().op) {
      case BinaryOp::kRegexMatch:
      case BinaryOp::kRegexNotMatch:
        return 1;
      case BinaryOp::kAnd:
      case BinaryOp::kOr:
        return 2;
      default:
        return 0;
    }
  }

  // ---- builder stacks
  std::pmr::vector<Item> values;
  std::pmr::vector<Frame> frames;
  std::pmr::vector<PendingOp> ops;
  std::pmr::vector<ast::ChainLink> links;
  std::vector<ast::Statement> statements;
  std::vector<ast::Comment> comments;
  int depth = 0;
  uint32_t last_asgn = UINT32_MAX;  // offset of the last `=` of a var declaration

 private:
  const char* base_;
  size_t size_;
  std::pmr::memory_resource* arena_;
  bool has_error_ = false;
  uint32_t error_offset_ = 0;
  std::string error_message_;
};

template <typename ParseInput>
uint32_t Off(const ParseInput& in, const State& st) {
  return st.Offset(in.current());
}

[[noreturn]] void Fail(State& st, uint32_t offset, std::string message) {
  st.SetErrorAt(offset, std::move(message));
  throw p::parse_error(st.error_message(), p::position(offset, 1, 1, "tick"));
}

// ---- Node construction ---------------------------------------------------------------------

// A new expression node: in the Script's arena when parsing a script, else on the heap.
ExprPtr NewExpr(State& st, ExprKind kind, uint32_t b, uint32_t e) {
  ExprPtr x;
  if (std::pmr::memory_resource* arena = st.arena(); arena != nullptr) {
    x = ExprPtr(std::pmr::polymorphic_allocator<Expr>(arena).new_object<Expr>(arena));
    x->arena_tag.in_arena = true;
  } else {
    x = std::make_unique<Expr>();
  }
  x->kind = kind;
  x->range = SourceRange{b, e};
  return x;
}

void CheckDepth(State& st, uint32_t depth, uint32_t offset) {
  if (depth > kMaxTreeDepth) Fail(st, offset, "expression nested too deeply");
}

// Removes the \<quote> escapes (Kapacitor's newString / newReference / newRegex loop).
std::string Unescape(std::string_view s, char quote) {
  size_t i = s.find('\\');
  if (i == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size());
  out.append(s.data(), i);
  for (; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == quote) {
      out.push_back(quote);
      ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

ExprPtr BuildNumber(State& st, uint32_t b, uint32_t e) {
  const std::string_view text = st.Text(b, e);
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (text.find('.') != std::string_view::npos) {
    double v = 0;
    auto [ptr, ec] = std::from_chars(first, last, v, std::chars_format::fixed);
    if (ec != std::errc() || ptr != last) {
      Fail(st, b, absl::StrCat("illegal number syntax: ", Quote(text)));
    }
    auto x = NewExpr(st, ExprKind::kFloat, b, e);
    x->float_value = v;
    return x;
  }
  const int base = (text.size() > 1 && text[0] == '0') ? 8 : 10;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(first, last, v, base);
  if (ec != std::errc() || ptr != last) {
    Fail(st, b, absl::StrCat("illegal number syntax: ", Quote(text)));
  }
  auto x = NewExpr(st, ExprKind::kInt, b, e);
  x->int_value = v;
  return x;
}

ExprPtr BuildDuration(State& st, uint32_t b, uint32_t e) {
  const std::string_view text = st.Text(b, e);
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  const std::string_view unit = text.substr(digits);
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + digits, n, 10);
  int64_t scale = 1;
  if (unit == "u" || unit == "\xC2\xB5") {
    scale = 1000;
  } else if (unit == "ms") {
    scale = 1000000;
  } else if (unit == "s") {
    scale = 1000000000;
  } else if (unit == "m") {
    scale = int64_t{60} * 1000000000;
  } else if (unit == "h") {
    scale = int64_t{3600} * 1000000000;
  } else if (unit == "d") {
    scale = int64_t{86400} * 1000000000;
  } else {  // w
    scale = int64_t{7} * 86400 * 1000000000;
  }
  int64_t ns = 0;
  if (ec != std::errc() || ptr != text.data() + digits || __builtin_mul_overflow(n, scale, &ns)) {
    Fail(st, b, absl::StrCat("invalid duration ", Quote(text), ": out of range"));
  }
  auto x = NewExpr(st, ExprKind::kDuration, b, e);
  x->int_value = ns;
  x->text = std::string(text);
  return x;
}

ExprPtr BuildString(State& st, uint32_t b, uint32_t e) {
  const std::string_view text = st.Text(b, e);
  auto x = NewExpr(st, ExprKind::kString, b, e);
  if (text.size() >= 6 && text.substr(0, 3) == "'''") {
    x->text = std::string(text.substr(3, text.size() - 6));
  } else {
    x->text = Unescape(text.substr(1, text.size() - 2), '\'');
  }
  return x;
}

ExprPtr BuildReference(State& st, uint32_t b, uint32_t e) {
  const std::string_view text = st.Text(b, e);
  auto x = NewExpr(st, ExprKind::kReference, b, e);
  x->text = Unescape(text.substr(1, text.size() - 2), '"');
  return x;
}

// Compiles a regex literal's pattern (once per parse: the AST shares the compiled RE2 with its
// clones, var substitution and the lambda compiler). Returns null with `error` set for an
// invalid pattern.
std::shared_ptr<const RE2> CompileRegex(const std::string& pattern, std::string* error) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<const RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) {
    *error = re->error();
    return nullptr;
  }
  return re;
}

ExprPtr BuildRegex(State& st, uint32_t b, uint32_t e) {
  const std::string_view text = st.Text(b, e);
  auto x = NewExpr(st, ExprKind::kRegex, b, e);
  x->text = Unescape(text.substr(1, text.size() - 2), '/');
  std::string error;
  x->regex = CompileRegex(x->text, &error);
  if (x->regex == nullptr) Fail(st, b, absl::StrCat("invalid regex: ", error));
  return x;
}

void State::PushToken(rules::internal::Token token, const char* begin, const char* end) {
  const uint32_t b = Offset(begin), e = Offset(end);
  ExprPtr x;
  switch (token) {
    case rules::internal::Token::kNumber:
      x = BuildNumber(*this, b, e);
      break;
    case rules::internal::Token::kString:
      x = BuildString(*this, b, e);
      break;
    case rules::internal::Token::kReference:
      x = BuildReference(*this, b, e);
      break;
    case rules::internal::Token::kRegex:
      x = BuildRegex(*this, b, e);
      break;
  }
  values.push_back(Item{std::move(x), 1});
}

// Kapacitor's precedence climbing (parser.go precedence()) over operands values[vi..] and
// operators ops[oi..oend).
class Climber {
 public:
  Climber(State& st, size_t vi, size_t oi, size_t oend) : st_(st), vi_(vi), oi_(oi), oend_(oend) {}

  Item Run() { return Climb(Next(), 0); }

 private:
  Item Next() { return std::move(st_.values[vi_++]); }

  Item Climb(Item lhs, int min_prec) {
    while (oi_ < oend_ && ast::Precedence(st_.ops[oi_].op) >= min_prec) {
      const PendingOp op = st_.ops[oi_++];
      Item rhs = Next();
      while (oi_ < oend_ && ast::Precedence(st_.ops[oi_].op) > ast::Precedence(op.op)) {
        rhs = Climb(std::move(rhs), ast::Precedence(st_.ops[oi_].op));
      }
      auto x = NewExpr(st_, ExprKind::kBinary, lhs.expr->range.begin, rhs.expr->range.end);
      x->binary_op = op.op;
      x->op_range = op.range;
      const uint32_t depth = std::max(lhs.depth, rhs.depth) + 1;
      CheckDepth(st_, depth, op.range.begin);
      x->args.reserve(2);
      x->args.push_back(std::move(lhs.expr));
      x->args.push_back(std::move(rhs.expr));
      lhs = Item{std::move(x), depth};
    }
    return lhs;
  }

  State& st_;
  size_t vi_, oi_, oend_;
};

// Replaces values[f.values..] (operands) and ops[f.ops..] by one expression.
void ReduceOperators(State& st, const Frame& f) {
  if (st.ops.size() == f.ops) return;  // a single operand
  Item result = Climber(st, f.values, f.ops, st.ops.size()).Run();
  st.values.resize(f.values);
  st.ops.resize(f.ops);
  st.values.push_back(std::move(result));
}

// Pops values[f.values + skip..] as argument list; returns their max depth.
uint32_t TakeArgs(State& st, const Frame& f, size_t skip, ast::ExprList* out) {
  uint32_t depth = 0;
  if (st.values.size() > f.values + skip) out->reserve(st.values.size() - f.values - skip);
  for (size_t i = f.values + skip; i < st.values.size(); ++i) {
    depth = std::max(depth, st.values[i].depth);
    out->push_back(std::move(st.values[i].expr));
  }
  st.values.resize(f.values + skip);
  return depth;
}

void PushAtom(State& st, ExprPtr x) { st.values.push_back(Item{std::move(x), 1}); }

// The identifier at `offset`, after an optional link operator (| . @) or `var` keyword and
// trivia.
std::string_view NameAt(const State& st, uint32_t offset) {
  const std::string_view src = st.Source();
  const char* const end = src.data() + src.size();
  auto skip_trivia = [&](const char* p) {
    while (p < end) {
      if (const size_t n = rules::internal::SpaceLen(p, end); n > 0) {
        p += n;
      } else if (end - p >= 2 && p[0] == '/' && p[1] == '/') {
        while (p < end && *p != '\n') ++p;
      } else {
        break;
      }
    }
    return p;
  };
  const char* p = src.data() + std::min<size_t>(offset, src.size());
  if (p < end && (*p == '|' || *p == '.' || *p == '@')) p = skip_trivia(p + 1);
  if (end - p > 3 && std::string_view(p, 3) == "var" &&
      rules::internal::IdentContLen(p + 3, end) == 0) {
    p = skip_trivia(p + 3);
  }
  const char* q = p;
  if (const size_t n = rules::internal::LetterLen(q, end); n > 0) {
    q += n;
    while (const size_t m = rules::internal::IdentContLen(q, end)) q += m;
  }
  return std::string_view(p, static_cast<size_t>(q - p));
}

// ---- Builders ------------------------------------------------------------------------------

enum class Build {
  kNone,
  kIdent,
  kName,
  kBool,
  kNumber,
  kDuration,
  kString,
  kReference,
  kRegex,
  kStar,
  kComment,
  kUnary,
  kParen,
  kCall,
  kPrimaryExpr,
  kLambda,
  kList,
  kLink,
  kIdentLed,
  kAsgn,
  kDecl,
  kDbrp,
  kExprStmt,
};

template <typename Rule>
inline constexpr Build kBuild = Build::kNone;
// clang-format off
template <> inline constexpr Build kBuild<rules::ident> = Build::kIdent;
template <> inline constexpr Build kBuild<rules::var_name> = Build::kName;
template <> inline constexpr Build kBuild<rules::type_name> = Build::kName;
template <> inline constexpr Build kBuild<rules::pipe_name> = Build::kName;
template <> inline constexpr Build kBuild<rules::prop_name> = Build::kName;
template <> inline constexpr Build kBuild<rules::udf_name> = Build::kName;
template <> inline constexpr Build kBuild<rules::boolean> = Build::kBool;
template <> inline constexpr Build kBuild<rules::duration> = Build::kDuration;
template <> inline constexpr Build kBuild<rules::star_lit> = Build::kStar;
template <> inline constexpr Build kBuild<rules::unary> = Build::kUnary;
template <> inline constexpr Build kBuild<rules::paren> = Build::kParen;
template <> inline constexpr Build kBuild<rules::lcall> = Build::kCall;
template <> inline constexpr Build kBuild<rules::gcall> = Build::kCall;
template <> inline constexpr Build kBuild<rules::primary_expr> = Build::kPrimaryExpr;
template <> inline constexpr Build kBuild<rules::lambda> = Build::kLambda;
template <> inline constexpr Build kBuild<rules::list> = Build::kList;
template <> inline constexpr Build kBuild<rules::link> = Build::kLink;
template <> inline constexpr Build kBuild<rules::ident_led> = Build::kIdentLed;
template <> inline constexpr Build kBuild<rules::asgn> = Build::kAsgn;
template <> inline constexpr Build kBuild<rules::decl> = Build::kDecl;
template <> inline constexpr Build kBuild<rules::dbrp_stmt> = Build::kDbrp;
template <> inline constexpr Build kBuild<rules::expr_stmt> = Build::kExprStmt;
// clang-format on

template <typename Rule>
inline constexpr bool kCountsDepth =
    std::is_same_v<Rule, rules::operand> || std::is_same_v<Rule, rules::expression>;

void RecordComment(State& st, uint32_t b, uint32_t e) {
  if (!st.comments.empty() && st.comments.back().range.end > b) return;  // re-matched
  ast::Comment c;
  c.range = SourceRange{b, e};
  std::string_view text = st.Text(b, e);
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    // Skip the blanks before a continuation line's '/'.
    size_t start = line.find('/');
    line = line.substr(start == std::string_view::npos ? line.size() : start);
    line.remove_prefix(line.size() >= 2 && line[1] == '/' ? 2 : std::min<size_t>(line.size(), 1));
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    c.lines.emplace_back(line);
  }
  st.comments.push_back(std::move(c));
}

void State::RecordComment(const char* begin, const char* end) {
  tick::grammar::RecordComment(*this, Offset(begin), Offset(end));
}

void BuildNode(Build kind, State& st, const Frame& f, uint32_t e) {
  const uint32_t b = f.begin;
  switch (kind) {
    case Build::kNone:
      return;
    case Build::kIdent: {
      auto x = NewExpr(st, ExprKind::kIdent, b, e);
      x->text = std::string(st.Text(b, e));
      PushAtom(st, std::move(x));
      return;
    }
    case Build::kName:
      st.values.push_back(Item{nullptr, 1, SourceRange{b, e}});
      return;
    case Build::kBool: {
      auto x = NewExpr(st, ExprKind::kBool, b, e);
      x->bool_value = st.Text(b, e)[0] == 'T';
      PushAtom(st, std::move(x));
      return;
    }
    case Build::kNumber:
      PushAtom(st, BuildNumber(st, b, e));
      return;
    case Build::kDuration:
      PushAtom(st, BuildDuration(st, b, e));
      return;
    case Build::kString:
      PushAtom(st, BuildString(st, b, e));
      return;
    case Build::kReference:
      PushAtom(st, BuildReference(st, b, e));
      return;
    case Build::kRegex:
      PushAtom(st, BuildRegex(st, b, e));
      return;
    case Build::kStar:
      PushAtom(st, NewExpr(st, ExprKind::kStar, b, e));
      return;
    case Build::kComment:
      RecordComment(st, b, e);
      return;
    case Build::kUnary: {
      Item operand = std::move(st.values.back());
      st.values.pop_back();
      auto x = NewExpr(st, ExprKind::kUnary, b, e);
      x->unary_op = st.Text(b, b + 1)[0] == '-' ? ast::UnaryOp::kNeg : ast::UnaryOp::kNot;
      x->op_range = SourceRange{b, b + 1};
      x->args.push_back(std::move(operand.expr));
      CheckDepth(st, operand.depth + 1, b);
      st.values.push_back(Item{std::move(x), operand.depth + 1});
      return;
    }
    case Build::kParen:
      st.values.back().expr->parens = true;
      return;
    case Build::kCall: {
      auto x = NewExpr(st, ExprKind::kCall, b, e);
      x->text = std::string(NameAt(st, b));
      const uint32_t depth = TakeArgs(st, f, 0, &x->args) + 1;
      CheckDepth(st, depth, b);
      st.values.push_back(Item{std::move(x), depth});
      return;
    }
    case Build::kPrimaryExpr:
      ReduceOperators(st, f);
      return;
    case Build::kLambda: {
      Item body = std::move(st.values.back());
      st.values.pop_back();
      auto x = NewExpr(st, ExprKind::kLambda, b, e);
      x->args.push_back(std::move(body.expr));
      st.values.push_back(Item{std::move(x), body.depth + 1});
      return;
    }
    case Build::kList: {
      auto x = NewExpr(st, ExprKind::kList, b, e);
      const uint32_t depth = TakeArgs(st, f, 0, &x->args) + 1;
      st.values.push_back(Item{std::move(x), depth});
      return;
    }
    case Build::kLink: {
      ast::ChainLink link = st.arena() != nullptr ? ast::ChainLink(st.arena()) : ast::ChainLink();
      const char op = st.Text(b, b + 1)[0];
      link.kind = op == '|' ? ast::LinkKind::kPipe
                            : (op == '.' ? ast::LinkKind::kProperty : ast::LinkKind::kUdf);
      const SourceRange name = st.values[f.values].name;
      link.name = std::string(st.Text(name.begin, name.end));
      link.name_range = name;
      link.range = SourceRange{b, e};
      link.has_parens = st.Text(e - 1, e)[0] == ')';
      const uint32_t depth = TakeArgs(st, f, 1, &link.args) + 1;
      st.values.pop_back();
      CheckDepth(st, depth, b);
      st.links.push_back(std::move(link));
      return;
    }
    case Build::kIdentLed: {
      if (st.links.size() == f.links) {
        ReduceOperators(st, f);
        return;
      }
      auto x = NewExpr(st, ExprKind::kChain, b, e);
      uint32_t depth = st.values.back().depth;
      x->args.push_back(std::move(st.values.back().expr));
      st.values.pop_back();
      x->links.reserve(st.links.size() - f.links);
      for (size_t i = f.links; i < st.links.size(); ++i) {
        for (const ExprPtr& a : st.links[i].args) (void)a;
        x->links.push_back(std::move(st.links[i]));
      }
      st.links.resize(f.links);
      // Link argument depths were checked when the links were built.
      st.values.push_back(Item{std::move(x), depth + 1});
      return;
    }
    case Build::kAsgn:
      st.last_asgn = b;
      return;
    case Build::kDecl: {
      ast::Statement s;
      s.range = SourceRange{b, e};
      const SourceRange name = st.values[f.values].name;
      s.name = std::string(st.Text(name.begin, name.end));
      s.name_range = name;
      Item second = std::move(st.values[f.values + 1]);
      if (st.last_asgn >= b && st.last_asgn < e && st.last_asgn >= s.name_range.end) {
        s.kind = ast::StmtKind::kVar;
        s.value = std::move(second.expr);
      } else {
        s.kind = ast::StmtKind::kTypedVar;
        s.type_name = std::string(st.Text(second.name.begin, second.name.end));
        s.type_range = second.name;
      }
      st.values.resize(f.values);
      st.statements.push_back(std::move(s));
      return;
    }
    case Build::kDbrp: {
      ast::Statement s;
      s.kind = ast::StmtKind::kDbrp;
      s.range = SourceRange{b, e};
      s.db = std::move(st.values[f.values].expr->text);
      s.rp = std::move(st.values[f.values + 1].expr->text);
      st.values.resize(f.values);
      st.statements.push_back(std::move(s));
      return;
    }
    case Build::kExprStmt: {
      ast::Statement s;
      s.kind = ast::StmtKind::kExpr;
      s.range = SourceRange{b, e};
      s.value = std::move(st.values.back().expr);
      st.values.resize(f.values);
      st.statements.push_back(std::move(s));
      return;
    }
  }
}

// ---- Error messages ------------------------------------------------------------------------

// Skips blanks and comments from `offset` (errors point at the offending token, not at the
// whitespace before it).
uint32_t SkipTrivia(const State& st, uint32_t offset) {
  const std::string_view src = st.Source();
  const char* const end = src.data() + src.size();
  const char* p = src.data() + std::min<size_t>(offset, src.size());
  while (p < end) {
    if (const size_t n = rules::internal::SpaceLen(p, end); n > 0) {
      p += n;
    } else if (const char* c = rules::internal::CommentEnd(p, end); c != nullptr) {
      p = c;
    } else {
      break;
    }
  }
  return st.Offset(p);
}

// "'x'", "'foo'" for a word, or "end of input".
std::string DescribeAt(const State& st, uint32_t offset) {
  const std::string_view src = st.Source();
  if (offset >= src.size()) return "end of input";
  const char* const end = src.data() + src.size();
  const char* p = src.data() + offset;
  size_t n = rules::internal::LetterLen(p, end);
  if (n > 0) {
    const char* q = p + n;
    while (const size_t m = rules::internal::IdentContLen(q, end)) q += m;
    if (q < end && *q == ':' && std::string_view(p, static_cast<size_t>(q - p)) == "lambda") ++q;
    return absl::StrCat("'", Sv(std::string_view(p, static_cast<size_t>(q - p))), "'");
  }
  const auto c = static_cast<unsigned char>(*p);
  if (c >= 0x20 && c < 0x7F) return absl::StrCat("'", Sv(std::string_view(p, 1)), "'");
  if (c >= 0x80) {
    // A whole (valid) UTF-8 character, else the byte.
    size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    bool valid = len > 0 && static_cast<size_t>(end - p) >= len;
    for (size_t i = 1; valid && i < len; ++i)
      valid = (static_cast<unsigned char>(p[i]) & 0xC0) == 0x80;
    if (valid) return absl::StrCat("'", Sv(std::string_view(p, len)), "'");
  }
  static const char kHex[] = "0123456789abcdef";
  std::string out = "byte 0x";
  out.push_back(kHex[c >> 4]);
  out.push_back(kHex[c & 15]);
  return out;
}

// The name of the call / link / declaration whose frame is innermost.
std::string CurrentCallName(const State& st) {
  if (st.frames.empty()) return "";
  return std::string(NameAt(st, st.frames.back().begin));
}

std::string Substitute(std::string_view tmpl, const State& st, uint32_t at) {
  std::string out;
  while (!tmpl.empty()) {
    const size_t open = tmpl.find('{');
    if (open == std::string_view::npos) break;
    const size_t close = tmpl.find('}', open);
    out.append(tmpl.substr(0, open));
    const std::string_view key = tmpl.substr(open + 1, close - open - 1);
    if (key == "op") {
      out += st.ops.empty() ? "" : ast::OpString(st.ops.back().op);
    } else if (key == "unary") {
      out += st.frames.empty()
                 ? ""
                 : std::string(st.Text(st.frames.back().begin, st.frames.back().begin + 1));
    } else if (key == "call" || key == "var") {
      out += CurrentCallName(st);
    } else if (key == "found") {
      out += DescribeAt(st, at);
    }
    tmpl.remove_prefix(close + 1);
  }
  out.append(tmpl);
  return out;
}

// Explains a number or duration literal that runs into the next token, e.g. `1h30m`, `1.5s`,
// `1ns` (Kapacitor lexes these as two tokens).
std::string LiteralHint(const State& st, uint32_t at) {
  if (st.values.empty() || !st.values.back().expr) return "";
  const Expr& last = *st.values.back().expr;
  const std::string_view src = st.Source();
  if (last.range.end != at || at >= src.size()) return "";
  const char next = src[at];
  const bool digit = next >= '0' && next <= '9';
  const bool letter = (next | 0x20) >= 'a' && (next | 0x20) <= 'z';
  if (last.kind == ExprKind::kDuration && digit) {
    return "; a duration literal has a single unit (write e.g. '90m', not '1h30m')";
  }
  if (last.kind == ExprKind::kFloat && letter) {
    return "; a duration literal is an integer with a unit (write e.g. '1500ms', not '1.5s')";
  }
  if (last.kind == ExprKind::kInt && src.substr(at, 2) == "ns") {
    return "; 'ns' is not a duration unit (use u, ms, s, m, h, d or w)";
  }
  return "";
}

// ---- Control -------------------------------------------------------------------------------

template <typename Rule>
struct Control : p::normal<Rule> {
  template <typename ParseInput>
  static void start(const ParseInput& in, State& st) {
    if constexpr (kCountsDepth<Rule>) {
      if (++st.depth > kMaxNestingDepth) {
        Fail(st, SkipTrivia(st, Off(in, st)), "expression nested too deeply");
      }
    }
    if constexpr (kBuild<Rule> != Build::kNone) {
      st.frames.push_back(Frame{Off(in, st), static_cast<uint32_t>(st.values.size()),
                                static_cast<uint32_t>(st.ops.size()),
                                static_cast<uint32_t>(st.links.size())});
    }
  }

  template <typename ParseInput>
  static void success(const ParseInput& in, State& st) {
    if constexpr (kCountsDepth<Rule>) --st.depth;
    if constexpr (kBuild<Rule> != Build::kNone) {
      const Frame f = st.frames.back();
      BuildNode(kBuild<Rule>, st, f, Off(in, st));
      st.frames.pop_back();
    }
  }

  template <typename ParseInput>
  static void failure(const ParseInput& /*in*/, State& st) {
    if constexpr (kCountsDepth<Rule>) --st.depth;
    if constexpr (kBuild<Rule> != Build::kNone) {
      const Frame f = st.frames.back();
      st.frames.pop_back();
      if (st.values.size() != f.values) st.values.resize(f.values);
      if (st.ops.size() != f.ops) st.ops.resize(f.ops);
      if (st.links.size() != f.links) st.links.resize(f.links);
    }
  }

  template <typename ParseInput>
  [[noreturn]] static void raise(const ParseInput& in, State& st) {
    static_assert(error_message<Rule> != nullptr, "every must<> point needs an error message");
    const uint32_t at = SkipTrivia(st, Off(in, st));
    std::string message = Substitute(error_message<Rule>, st, at);
    if constexpr (std::is_same_v<Rule, rules::lcall_close> ||
                  std::is_same_v<Rule, rules::gcall_close> ||
                  std::is_same_v<Rule, rules::link_close>) {
      message += LiteralHint(st, at);
    }
    if constexpr (std::is_same_v<Rule, rules::lambda_body> ||
                  std::is_same_v<Rule, rules::bin_rhs>) {
      const std::string_view src = st.Source();
      if (at < src.size() && (src[at] == '/' || src[at] == '*') &&
          (std::is_same_v<Rule, rules::lambda_body> || st.LastOperatorClass() == 2)) {
        message += src[at] == '/' ? " (after a keyword '/' is a division, not a regex)"
                                  : " (after a keyword '*' is a multiplication)";
      }
    }
    Fail(st, at, std::move(message));
  }
};

using Input = p::memory_input<p::tracking_mode::lazy, p::eol::lf_crlf, const char*>;

template <typename Grammar>
absl::Status RunParse(State& st, std::string_view text, const SourceFile& source) {
  Input in(text.data(), text.data() + text.size(), "tick");
  try {
    p::parse<Grammar, p::nothing, Control>(in, st);
    return absl::OkStatus();
  } catch (const p::parse_error& e) {
    const uint32_t offset =
        st.has_error()
            ? st.error_offset()
            : static_cast<uint32_t>(e.positions().empty() ? 0 : e.positions().front().byte);
    const std::string message = st.has_error() ? st.error_message() : std::string("syntax error");
    const std::string formatted = source.FormatError(offset, message);
    absl::Status status = absl::InvalidArgumentError(Sv(std::string_view(formatted)));
    SetSourceLocation(status, source.Locate(offset));
    return status;
  }
}

// Memory of the builder stacks: on the stack for typical scripts, the heap beyond.
struct ScratchBuffer {
  alignas(std::max_align_t) std::byte bytes[6144];
  std::pmr::monotonic_buffer_resource resource{bytes, sizeof(bytes)};
};

}  // namespace

absl::StatusOr<ast::Script> ParseScript(std::string_view text, std::string_view filename) {
  if (text.size() >= UINT32_MAX) {
    return absl::InvalidArgumentError(absl::StrCat(Sv(filename), ": error: script too large"));
  }
  ast::Script script;
  script.source = SourceFile(std::string(filename), std::string(text));
  const std::string& owned = script.source.text();
  // Roughly what the AST of `text` needs, so that one block usually suffices.
  script.arena = std::make_unique<std::pmr::monotonic_buffer_resource>(
      std::max<size_t>(1024, text.size() * 16));
  ScratchBuffer scratch;
  State st(owned, script.arena.get(), &scratch.resource);
  st.statements.reserve(16);
  absl::Status status = RunParse<rules::grammar>(st, owned, script.source);
  if (!status.ok()) return status;
  script.statements = std::move(st.statements);
  script.comments = std::move(st.comments);
  return script;
}

absl::StatusOr<ast::ExprPtr> ParseLambdaBody(std::string_view text, std::string_view filename) {
  if (text.size() >= UINT32_MAX) {
    return absl::InvalidArgumentError(absl::StrCat(Sv(filename), ": error: expression too large"));
  }
  SourceFile source{std::string(filename), std::string(text)};
  ScratchBuffer scratch;
  State st(source.text(), nullptr, &scratch.resource);
  absl::Status status = RunParse<rules::lambda_grammar>(st, source.text(), source);
  if (!status.ok()) return status;
  if (st.values.size() != 1) return absl::InternalError("lambda parse produced no expression");
  return std::move(st.values.back().expr);
}

size_t AnalyzeGrammarForTest() {
  return p::analyze<rules::grammar>(-1) + p::analyze<rules::lambda_grammar>(-1);
}

}  // namespace tick::grammar
