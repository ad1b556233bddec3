// File: interpreter/template.cc
//
// Go text/template subset: lexer + parser (modelled on text/template/parse's grammar and error
// texts) and a tree-walking executor (modelled on text/template/exec.go's semantics).
#include "interpreter/template.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <set>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/strings.h"
#include "interpreter/gofmt.h"
#include "interpreter/gofmt_internal.h"
#include "interpreter/template_internal.h"

namespace tick::interp {
namespace internal {

enum class Builtin {
  kNone,
  kAnd,
  kOr,
  kNot,
  kLen,
  kIndex,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kPrint,
  kPrintf,
  kPrintln,
  kHtml,
  kJs,
  kUrlquery,
};

enum class ArgType { kField, kVariable, kDot, kNil, kBool, kNumber, kString, kIdentifier, kPipe };

struct Pipe;

struct Arg {
  ArgType type = ArgType::kNil;
  uint32_t pos = 0;
  std::string text;                 // node string for error messages
  std::vector<std::string> fields;  // field chain (kField, kVariable, kPipe with chain)
  std::string name;                 // variable name ("$", "$x") or function name
  std::string str;                  // string literal value
  bool b = false;
  bool is_float = false;  // number literal
  double f = 0;
  int64_t i = 0;
  Builtin builtin = Builtin::kNone;
  const TemplateFuncSpec* custom = nullptr;
  std::unique_ptr<Pipe> pipe;
};

struct Command {
  uint32_t pos = 0;
  std::string text;
  std::vector<Arg> args;
};

struct Pipe {
  uint32_t pos = 0;
  bool is_assign = false;
  std::vector<std::string> decl;
  std::vector<Command> cmds;
};

enum class NodeType { kText, kAction, kIf, kRange, kWith };

struct Node {
  NodeType type = NodeType::kText;
  uint32_t pos = 0;
  std::string text;  // kText
  std::unique_ptr<Pipe> pipe;
  std::vector<Node> list;
  std::vector<Node> else_list;
  bool has_else = false;
};

struct TemplateProgram {
  std::string name;
  TemplateMode mode = TemplateMode::kText;
  std::string source;
  std::vector<Node> root;
  std::vector<std::string> fields;
  bool whole_dot = false;
  const FuncMap* funcs = nullptr;
};

namespace {

// ---------------------------------------------------------------- lexer

enum class Tok {
  kEOF,
  kError,
  kText,
  kLeftDelim,
  kRightDelim,
  kSpace,
  kField,
  kVariable,
  kIdentifier,
  kString,
  kRawString,
  kChar,  // single printable ASCII char in an action, e.g. '}' or ','
  kCharConstant,
  kNumber,
  kBool,
  kNil,
  kDot,
  kLeftParen,
  kRightParen,
  kPipe,
  kDeclare,
  kAssign,
  kIf,
  kElse,
  kEnd,
  kRange,
  kWith,
  kKeywordOther,  // define, template, block, break, continue
};

struct Token {
  Tok type = Tok::kEOF;
  uint32_t pos = 0;
  std::string_view val;
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsAlnum(char c) {
  const auto u = static_cast<unsigned char>(c);
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         u >= 0x80;
}

// Lexes the whole template into tokens (as Go's lexer does, text/template/parse/lex.go).
class Lexer {
 public:
  explicit Lexer(std::string_view in) : in_(in) {}

  std::vector<Token> Run() {
    while (true) {
      if (!LexText()) break;
      if (!LexAction()) {
        // After an error, terminate the stream so the parser never runs off its end.
        toks_.push_back(Token{Tok::kEOF, static_cast<uint32_t>(in_.size()), {}});
        break;
      }
    }
    return std::move(toks_);
  }

 private:
  void Emit(Tok t, size_t b, size_t e) {
    toks_.push_back(Token{t, static_cast<uint32_t>(b), in_.substr(b, e - b)});
  }
  // Lexing stops at the first error, so one message buffer suffices.
  void Error(size_t pos, std::string msg) {
    error_ = std::move(msg);
    toks_.push_back(Token{Tok::kError, static_cast<uint32_t>(pos), error_});
  }

  // Text up to the next "{{"; returns false at EOF.
  bool LexText() {
    const size_t d = in_.find("{{", pos_);
    size_t end = d == std::string_view::npos ? in_.size() : d;
    size_t text_end = end;
    trim_left_ = false;
    if (d != std::string_view::npos && d + 3 < in_.size() + 1 && d + 2 < in_.size() &&
        in_[d + 2] == '-' && d + 3 < in_.size() && IsSpace(in_[d + 3])) {
      trim_left_ = true;
      while (text_end > pos_ && IsSpace(in_[text_end - 1])) --text_end;
    }
    if (text_end > pos_) Emit(Tok::kText, pos_, text_end);
    if (d == std::string_view::npos) {
      toks_.push_back(Token{Tok::kEOF, static_cast<uint32_t>(in_.size()), {}});
      return false;
    }
    pos_ = d;
    return true;
  }

  bool AtRightDelim(size_t p, bool* trim) const {
    if (in_.compare(p, 2, "}}") == 0) {
      *trim = false;
      return true;
    }
    if (p + 1 < in_.size() && IsSpace(in_[p]) && in_[p + 1] == '-' &&
        in_.compare(p + 2, 2, "}}") == 0) {
      *trim = true;
      return true;
    }
    return false;
  }

  void AfterRightDelim(bool trim) {
    if (trim) {
      while (pos_ < in_.size() && IsSpace(in_[pos_])) ++pos_;
    }
  }

  // At "{{": lexes one action or comment; returns false after an error or EOF.
  bool LexAction() {
    const size_t start = pos_;
    size_t p = pos_ + 2;
    if (trim_left_) p += 2;
    if (in_.compare(p, 2, "/*") == 0) {
      const size_t close = in_.find("*/", p + 2);
      if (close == std::string_view::npos) {
        Error(start, "unclosed comment");
        return false;
      }
      bool trim = false;
      if (!AtRightDelim(close + 2, &trim)) {
        Error(start, "comment ends before closing delimiter");
        return false;
      }
      pos_ = close + 2 + (trim ? 4 : 2);
      AfterRightDelim(trim);
      return true;
    }
    Emit(Tok::kLeftDelim, start, p);
    pos_ = p;
    int paren_depth = 0;
    while (true) {
      bool trim = false;
      if (AtRightDelim(pos_, &trim)) {
        if (paren_depth > 0) {
          Error(pos_, "unclosed left paren");
          return false;
        }
        const size_t b = pos_;
        pos_ += trim ? 4 : 2;
        Emit(Tok::kRightDelim, b, pos_);
        AfterRightDelim(trim);
        return true;
      }
      if (pos_ >= in_.size()) {
        Error(pos_, "unclosed action");
        return false;
      }
      const char c = in_[pos_];
      const size_t b = pos_;
      if (IsSpace(c)) {
        while (pos_ < in_.size() && IsSpace(in_[pos_])) {
          bool t2;
          if (AtRightDelim(pos_, &t2) && t2) break;
          ++pos_;
        }
        if (pos_ > b) {
          Emit(Tok::kSpace, b, pos_);
        } else {
          // " -}}" right at the start: handled by AtRightDelim next round; avoid a loop.
          ++pos_;
          Emit(Tok::kSpace, b, pos_);
        }
        continue;
      }
      if (c == '=') {
        ++pos_;
        Emit(Tok::kAssign, b, pos_);
        continue;
      }
      if (c == ':') {
        if (pos_ + 1 >= in_.size() || in_[pos_ + 1] != '=') {
          Error(pos_, "expected :=");
          return false;
        }
        pos_ += 2;
        Emit(Tok::kDeclare, b, pos_);
        continue;
      }
      if (c == '|') {
        ++pos_;
        Emit(Tok::kPipe, b, pos_);
        continue;
      }
      if (c == '"') {
        ++pos_;
        while (true) {
          if (pos_ >= in_.size() || in_[pos_] == '\n') {
            Error(b, "unterminated quoted string");
            return false;
          }
          if (in_[pos_] == '\\') {
            pos_ += 2;
            continue;
          }
          if (in_[pos_] == '"') break;
          ++pos_;
        }
        ++pos_;
        Emit(Tok::kString, b, pos_);
        continue;
      }
      if (c == '`') {
        const size_t close = in_.find('`', pos_ + 1);
        if (close == std::string_view::npos) {
          Error(b, "unterminated raw quoted string");
          return false;
        }
        pos_ = close + 1;
        Emit(Tok::kRawString, b, pos_);
        continue;
      }
      if (c == '\'') {
        ++pos_;
        while (true) {
          if (pos_ >= in_.size() || in_[pos_] == '\n') {
            Error(b, "unterminated character constant");
            return false;
          }
          if (in_[pos_] == '\\') {
            pos_ += 2;
            continue;
          }
          if (in_[pos_] == '\'') break;
          ++pos_;
        }
        ++pos_;
        Emit(Tok::kCharConstant, b, pos_);
        continue;
      }
      if (c == '$') {
        ++pos_;
        while (pos_ < in_.size() && IsAlnum(in_[pos_])) ++pos_;
        Emit(Tok::kVariable, b, pos_);
        continue;
      }
      if (c == '.') {
        if (pos_ + 1 < in_.size() && in_[pos_ + 1] >= '0' && in_[pos_ + 1] <= '9') {
          if (!LexNumber()) return false;
          continue;
        }
        ++pos_;
        if (pos_ < in_.size() && IsAlnum(in_[pos_])) {
          while (pos_ < in_.size() && IsAlnum(in_[pos_])) ++pos_;
          Emit(Tok::kField, b, pos_);
        } else {
          Emit(Tok::kDot, b, pos_);
        }
        continue;
      }
      if (c == '+' || c == '-' || (c >= '0' && c <= '9')) {
        if (!LexNumber()) return false;
        continue;
      }
      if (IsAlnum(c)) {
        while (pos_ < in_.size() && IsAlnum(in_[pos_])) ++pos_;
        const std::string_view word = in_.substr(b, pos_ - b);
        Tok t = Tok::kIdentifier;
        if (word == "if")
          t = Tok::kIf;
        else if (word == "else")
          t = Tok::kElse;
        else if (word == "end")
          t = Tok::kEnd;
        else if (word == "range")
          t = Tok::kRange;
        else if (word == "with")
          t = Tok::kWith;
        else if (word == "define" || word == "template" || word == "block" || word == "break" ||
                 word == "continue")
          t = Tok::kKeywordOther;
        else if (word == "true" || word == "false")
          t = Tok::kBool;
        else if (word == "nil")
          t = Tok::kNil;
        Emit(t, b, pos_);
        continue;
      }
      if (c == '(') {
        ++paren_depth;
        ++pos_;
        Emit(Tok::kLeftParen, b, pos_);
        continue;
      }
      if (c == ')') {
        --paren_depth;
        if (paren_depth < 0) {
          Error(b, "unexpected right paren");
          return false;
        }
        ++pos_;
        Emit(Tok::kRightParen, b, pos_);
        continue;
      }
      const auto uc = static_cast<unsigned char>(c);
      if (uc < 0x80 && uc >= 0x20 && uc < 0x7F) {
        ++pos_;
        Emit(Tok::kChar, b, pos_);
        continue;
      }
      uint32_t r = uc;
      int k = DecodeUtf8(in_, pos_, &r);
      if (k < 0) r = 0xFFFD;
      char buf[16];
      std::snprintf(buf, sizeof(buf), "U+%04X", r);
      std::string msg = absl::StrCat("unrecognized character in action: ", buf);
      if (r >= 0x20 && r != 0x7F) {
        std::string ch;
        AppendUtf8(&ch, r);
        absl::StrAppend(&msg, " '", ch, "'");
      }
      Error(b, std::move(msg));
      return false;
    }
  }

  bool LexNumber() {
    const size_t b = pos_;
    if (in_[pos_] == '+' || in_[pos_] == '-') ++pos_;
    std::string_view digits = "0123456789_";
    if (in_.compare(pos_, 2, "0x") == 0 || in_.compare(pos_, 2, "0X") == 0) {
      pos_ += 2;
      digits = "0123456789abcdefABCDEF_";
    } else if (in_.compare(pos_, 2, "0o") == 0 || in_.compare(pos_, 2, "0O") == 0) {
      pos_ += 2;
      digits = "01234567_";
    } else if (in_.compare(pos_, 2, "0b") == 0 || in_.compare(pos_, 2, "0B") == 0) {
      pos_ += 2;
      digits = "01_";
    }
    auto accept_run = [&](std::string_view set) {
      while (pos_ < in_.size() && set.find(in_[pos_]) != std::string_view::npos) ++pos_;
    };
    accept_run(digits);
    if (pos_ < in_.size() && in_[pos_] == '.') {
      ++pos_;
      accept_run(digits);
    }
    if (digits.size() == 11 && pos_ < in_.size() && (in_[pos_] == 'e' || in_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < in_.size() && (in_[pos_] == '+' || in_[pos_] == '-')) ++pos_;
      accept_run("0123456789_");
    }
    if (pos_ < in_.size() && IsAlnum(in_[pos_])) {
      ++pos_;
      Error(b, absl::StrCat("bad number syntax: \"", Sv(in_.substr(b, pos_ - b)), "\""));
      return false;
    }
    Emit(Tok::kNumber, b, pos_);
    return true;
  }

  std::string_view in_;
  size_t pos_ = 0;
  bool trim_left_ = false;
  std::vector<Token> toks_;
  std::string error_;
};

// ---------------------------------------------------------------- parser

struct ParseError {
  uint32_t pos;
  std::string msg;
};

std::string ItemString(const Token& t) {
  switch (t.type) {
    case Tok::kEOF:
      return "EOF";
    case Tok::kError:
      return std::string(t.val);
    case Tok::kIf:
    case Tok::kElse:
    case Tok::kEnd:
    case Tok::kRange:
    case Tok::kWith:
    case Tok::kKeywordOther:
      return absl::StrCat("<", Sv(t.val), ">");
    default:
      break;
  }
  std::string q;
  if (t.val.size() > 10) {
    // Go: %.10q... quotes the first 10 runes.
    size_t i = 0;
    for (int n = 0; n < 10 && i < t.val.size(); ++n) {
      uint32_t r;
      int k = DecodeUtf8(t.val, i, &r);
      i += k < 0 ? 1 : k;
    }
    AppendJsonString(&q, t.val.substr(0, i));
    return q + "...";
  }
  q.push_back('"');
  for (char c : t.val) {
    if (c == '"' || c == '\\') q.push_back('\\');
    if (c == '\n') {
      q.append("\\n");
      continue;
    }
    q.push_back(c);
  }
  q.push_back('"');
  return q;
}

// %q of a plain ASCII node string (node texts in parse errors).
std::string GoQuote(std::string_view s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q.push_back('\\');
    q.push_back(c);
  }
  q.push_back('"');
  return q;
}

// Unquotes a Go interpreted string literal (with quotes); false on a bad escape.
bool UnquoteGo(std::string_view lit, char quote, std::string* out) {
  std::string_view s = lit.substr(1, lit.size() - 2);
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c != '\\') {
      if (c == quote) return false;
      out->push_back(c);
      continue;
    }
    if (++i >= s.size()) return false;
    const char e = s[i];
    switch (e) {
      case 'a':
        out->push_back('\a');
        break;
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'v':
        out->push_back('\v');
        break;
      case '\\':
        out->push_back('\\');
        break;
      case '\'':
      case '"':
        if (e != quote) return false;
        out->push_back(e);
        break;
      case 'x':
      case 'u':
      case 'U': {
        const int n = e == 'x' ? 2 : (e == 'u' ? 4 : 8);
        if (i + n >= s.size() + 0 && i + n > s.size() - 1 + 1) return false;
        if (i + n >= s.size() + 1) return false;
        uint32_t v = 0;
        for (int k = 1; k <= n; ++k) {
          if (i + k >= s.size()) return false;
          const char h = s[i + k];
          int d;
          if (h >= '0' && h <= '9')
            d = h - '0';
          else if (h >= 'a' && h <= 'f')
            d = h - 'a' + 10;
          else if (h >= 'A' && h <= 'F')
            d = h - 'A' + 10;
          else
            return false;
          v = v * 16 + d;
        }
        i += n;
        if (e == 'x') {
          out->push_back(static_cast<char>(v));
        } else {
          if (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000)) return false;
          AppendUtf8(out, v);
        }
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          if (i + 2 >= s.size()) return false;
          uint32_t v = 0;
          for (int k = 0; k < 3; ++k) {
            const char o = s[i + k];
            if (o < '0' || o > '7') return false;
            v = v * 8 + (o - '0');
          }
          if (v > 255) return false;
          i += 2;
          out->push_back(static_cast<char>(v));
          break;
        }
        return false;
    }
  }
  return true;
}

Builtin LookupBuiltin(std::string_view name) {
  static const std::pair<std::string_view, Builtin> kTable[] = {
      {"and", Builtin::kAnd},
      {"or", Builtin::kOr},
      {"not", Builtin::kNot},
      {"len", Builtin::kLen},
      {"index", Builtin::kIndex},
      {"eq", Builtin::kEq},
      {"ne", Builtin::kNe},
      {"lt", Builtin::kLt},
      {"le", Builtin::kLe},
      {"gt", Builtin::kGt},
      {"ge", Builtin::kGe},
      {"print", Builtin::kPrint},
      {"printf", Builtin::kPrintf},
      {"println", Builtin::kPrintln},
      {"html", Builtin::kHtml},
      {"js", Builtin::kJs},
      {"urlquery", Builtin::kUrlquery},
  };
  for (const auto& [n, b] : kTable) {
    if (n == name) return b;
  }
  return Builtin::kNone;
}

class Parser {
 public:
  Parser(std::string_view src, std::vector<Token> toks, const FuncMap* funcs, TemplateProgram* prog)
      : src_(src), toks_(std::move(toks)), funcs_(funcs), prog_(prog) {}

  bool Parse(ParseError* err) {
    vars_.push_back("$");
    while (Peek().type != Tok::kEOF) {
      if (Peek().type == Tok::kError) return Fail(Peek(), std::string(Peek().val), err);
      Node n;
      int kind = 0;
      if (!TextOrAction(&n, &kind, err)) return false;
      if (kind == 1) return Fail(last_pos_, "unexpected {{end}}", err);
      if (kind == 2) return Fail(last_pos_, "unexpected {{else}}", err);
      if (kind == 0) prog_->root.push_back(std::move(n));
    }
    std::set<std::string> uniq(fields_.begin(), fields_.end());
    prog_->fields.assign(uniq.begin(), uniq.end());
    prog_->whole_dot = whole_dot_;
    return true;
  }

 private:
  const Token& Peek0() const { return toks_[i_]; }
  const Token& Peek() const { return toks_[i_]; }
  const Token& Next() {
    const Token& t = toks_[i_];
    if (i_ + 1 < toks_.size()) ++i_;
    return t;
  }
  const Token& PeekNonSpace() {
    while (toks_[i_].type == Tok::kSpace) ++i_;
    return toks_[i_];
  }
  const Token& NextNonSpace() {
    PeekNonSpace();
    return Next();
  }
  bool Fail(const Token& t, std::string msg, ParseError* err) { return Fail(t.pos, msg, err); }
  bool Fail(uint32_t pos, std::string msg, ParseError* err) {
    if (err->msg.empty()) {
      err->pos = pos;
      err->msg = std::move(msg);
    }
    return false;
  }
  bool Unexpected(const Token& t, std::string_view context, ParseError* err) {
    if (t.type == Tok::kError) return Fail(t, std::string(t.val), err);
    return Fail(t, absl::StrCat("unexpected ", ItemString(t), " in ", Sv(context)), err);
  }

  // Parses one text or action node. kind: 0 = node, 1 = {{end}}, 2 = {{else}} (with
  // else_if set for "else if"), 3 = nothing (e.g. a comment-only action is never lexed).
  bool TextOrAction(Node* n, int* kind, ParseError* err) {
    const Token& t = Next();
    *kind = 0;
    switch (t.type) {
      case Tok::kText:
        n->type = NodeType::kText;
        n->pos = t.pos;
        n->text = std::string(t.val);
        return true;
      case Tok::kLeftDelim:
        return Action(n, kind, err);
      case Tok::kError:
        return Fail(t, std::string(t.val), err);
      default:
        return Unexpected(t, "input", err);
    }
  }

  bool Action(Node* n, int* kind, ParseError* err) {
    const Token& t = NextNonSpace();
    last_pos_ = t.pos;
    switch (t.type) {
      case Tok::kEnd: {
        const Token& r = NextNonSpace();
        if (r.type != Tok::kRightDelim) return Unexpected(r, "end", err);
        *kind = 1;
        return true;
      }
      case Tok::kElse: {
        if (PeekNonSpace().type == Tok::kIf) {
          // "else if": leave the "if" for the caller.
          else_if_ = true;
          *kind = 2;
          return true;
        }
        const Token& r = NextNonSpace();
        if (r.type != Tok::kRightDelim) return Unexpected(r, "else", err);
        else_if_ = false;
        *kind = 2;
        return true;
      }
      case Tok::kIf:
        return Control(n, NodeType::kIf, "if", err);
      case Tok::kRange:
        return Control(n, NodeType::kRange, "range", err);
      case Tok::kWith:
        return Control(n, NodeType::kWith, "with", err);
      case Tok::kKeywordOther:
        return Fail(t, absl::StrCat("{{", Sv(t.val), "}} is not supported by tickrun templates"),
                    err);
      case Tok::kError:
        return Fail(t, std::string(t.val), err);
      default:
        break;
    }
    --i_;  // back up over the token
    n->type = NodeType::kAction;
    n->pos = t.pos;
    n->pipe = std::make_unique<Pipe>();
    return ParsePipeline(n->pipe.get(), "command", Tok::kRightDelim, err);
  }

  // Parses a list of nodes up to {{end}} or {{else}}; *end_kind is 1 or 2.
  bool ItemList(std::vector<Node>* list, int* end_kind, ParseError* err) {
    while (true) {
      if (PeekNonSpace().type == Tok::kEOF) return Fail(Peek(), "unexpected EOF", err);
      Node n;
      int kind = 0;
      if (!TextOrAction(&n, &kind, err)) return false;
      if (kind == 1 || kind == 2) {
        *end_kind = kind;
        return true;
      }
      list->push_back(std::move(n));
    }
  }

  bool Control(Node* n, NodeType type, std::string_view context, ParseError* err) {
    n->type = type;
    const size_t nvars = vars_.size();
    n->pipe = std::make_unique<Pipe>();
    n->pos = PeekNonSpace().pos;
    if (!ParsePipeline(n->pipe.get(), context, Tok::kRightDelim, err)) return false;
    if (type != NodeType::kIf) ++dot_depth_;
    int end_kind = 0;
    if (!ItemList(&n->list, &end_kind, err)) return false;
    if (type != NodeType::kIf) --dot_depth_;
    if (end_kind == 2) {
      n->has_else = true;
      if (type == NodeType::kIf && else_if_) {
        else_if_ = false;
        NextNonSpace();  // the "if"
        Node nested;
        if (!Control(&nested, NodeType::kIf, "if", err)) return false;
        n->else_list.push_back(std::move(nested));
      } else {
        int k2 = 0;
        if (else_if_) {
          return Fail(PeekNonSpace(), absl::StrCat("unexpected <if> in ", Sv(context)), err);
        }
        if (!ItemList(&n->else_list, &k2, err)) return false;
        if (k2 != 1) return Fail(last_pos_, "expected end; found {{else}}", err);
      }
    }
    vars_.resize(nvars);
    return true;
  }

  bool ParsePipeline(Pipe* pipe, std::string_view context, Tok end, ParseError* err) {
    pipe->pos = PeekNonSpace().pos;
    // Declarations.
    for (int round = 0; round < 2; ++round) {
      if (PeekNonSpace().type != Tok::kVariable) break;
      const size_t save = i_;
      const Token& v = Next();
      const Token& next = PeekNonSpace();
      if (next.type == Tok::kDeclare || next.type == Tok::kAssign) {
        pipe->is_assign = next.type == Tok::kAssign;
        NextNonSpace();
        pipe->decl.emplace_back(v.val);
        if (pipe->is_assign && !VarDefined(v.val)) {
          return Fail(v, absl::StrCat("undefined variable \"", Sv(v.val), "\""), err);
        }
        break;
      }
      if (next.type == Tok::kChar && next.val == ",") {
        NextNonSpace();
        pipe->decl.emplace_back(v.val);
        if (context == "range" && pipe->decl.size() < 2) {
          const Tok p = PeekNonSpace().type;
          if (p == Tok::kVariable || p == Tok::kRightDelim || p == Tok::kRightParen) continue;
          return Fail(PeekNonSpace(), "range can only initialize variables", err);
        }
        return Fail(v, absl::StrCat("too many declarations in ", Sv(context)), err);
      }
      i_ = save;
      break;
    }
    while (true) {
      const Token& t = NextNonSpace();
      if (t.type == end) {
        if (pipe->cmds.empty()) {
          return Fail(t, absl::StrCat("missing value for ", Sv(context)), err);
        }
        for (size_t k = 1; k < pipe->cmds.size(); ++k) {
          const ArgType a = pipe->cmds[k].args[0].type;
          if (a == ArgType::kBool || a == ArgType::kDot || a == ArgType::kNil ||
              a == ArgType::kNumber || a == ArgType::kString) {
            return Fail(pipe->cmds[k].pos,
                        absl::StrCat("non executable command in pipeline stage ", k + 1), err);
          }
        }
        // Declared variables become visible after the pipeline.
        if (!pipe->is_assign) {
          for (const std::string& v : pipe->decl) vars_.push_back(v);
        }
        return true;
      }
      switch (t.type) {
        case Tok::kBool:
        case Tok::kCharConstant:
        case Tok::kDot:
        case Tok::kField:
        case Tok::kIdentifier:
        case Tok::kNumber:
        case Tok::kNil:
        case Tok::kRawString:
        case Tok::kString:
        case Tok::kVariable:
        case Tok::kLeftParen: {
          --i_;
          Command cmd;
          if (!ParseCommand(&cmd, err)) return false;
          pipe->cmds.push_back(std::move(cmd));
          break;
        }
        default:
          return Unexpected(t, context, err);
      }
    }
  }

  bool ParseCommand(Command* cmd, ParseError* err) {
    cmd->pos = PeekNonSpace().pos;
    uint32_t end_pos = cmd->pos;
    while (true) {
      PeekNonSpace();
      Arg a;
      bool got = false;
      if (!Operand(&a, &got, err)) return false;
      if (got) {
        end_pos = static_cast<uint32_t>(a.pos + a.text.size());
        cmd->args.push_back(std::move(a));
      }
      const Token& t = Next();
      if (t.type == Tok::kSpace) continue;
      if (t.type == Tok::kRightDelim || t.type == Tok::kRightParen) {
        --i_;
      } else if (t.type == Tok::kPipe) {
        // end of this command
      } else {
        return Unexpected(t, "operand", err);
      }
      break;
    }
    if (cmd->args.empty()) return Fail(cmd->pos, "empty command", err);
    cmd->text = std::string(src_.substr(cmd->pos, end_pos - cmd->pos));
    return true;
  }

  void SplitFields(std::string_view chain, std::vector<std::string>* out) {
    // chain like ".A.B"
    size_t p = 0;
    while (p < chain.size()) {
      const size_t q = chain.find('.', p + 1);
      const size_t e = q == std::string_view::npos ? chain.size() : q;
      out->emplace_back(chain.substr(p + 1, e - p - 1));
      p = e;
    }
  }

  bool VarDefined(std::string_view name) const {
    return std::find(vars_.begin(), vars_.end(), name) != vars_.end();
  }

  bool Operand(Arg* a, bool* got, ParseError* err) {
    if (!Term(a, got, err)) return false;
    if (!*got) return true;
    if (Peek().type == Tok::kField) {
      const uint32_t chain_start = Peek().pos;
      uint32_t chain_end = chain_start;
      while (Peek().type == Tok::kField) {
        const Token& f = Next();
        chain_end = static_cast<uint32_t>(f.pos + f.val.size());
      }
      const std::string_view chain = src_.substr(chain_start, chain_end - chain_start);
      switch (a->type) {
        case ArgType::kField:
        case ArgType::kVariable:
        case ArgType::kPipe:
        case ArgType::kIdentifier:
          SplitFields(chain, &a->fields);
          a->text = std::string(src_.substr(a->pos, chain_end - a->pos));
          break;
        default:
          return Fail(chain_start, absl::StrCat("unexpected . after term ", GoQuote(a->text)), err);
      }
    }
    if (a->type == ArgType::kVariable && a->name == "$") {
      if (a->fields.empty()) {
        whole_dot_ = true;
      } else {
        fields_.push_back(a->fields[0]);
      }
    }
    return true;
  }

  bool Term(Arg* a, bool* got, ParseError* err) {
    const Token& t = NextNonSpace();
    a->pos = t.pos;
    a->text = std::string(t.val);
    *got = true;
    switch (t.type) {
      case Tok::kIdentifier: {
        a->type = ArgType::kIdentifier;
        a->name = std::string(t.val);
        if (funcs_ != nullptr) {
          auto it = funcs_->find(a->name);
          if (it != funcs_->end()) {
            a->custom = &it->second;
            return true;
          }
        }
        a->builtin = LookupBuiltin(t.val);
        if (a->builtin == Builtin::kNone) {
          return Fail(t, absl::StrCat("function \"", Sv(t.val), "\" not defined"), err);
        }
        return true;
      }
      case Tok::kDot:
        a->type = ArgType::kDot;
        if (dot_depth_ == 0) whole_dot_ = true;
        return true;
      case Tok::kNil:
        a->type = ArgType::kNil;
        return true;
      case Tok::kVariable:
        a->type = ArgType::kVariable;
        a->name = std::string(t.val);
        if (!VarDefined(t.val)) {
          return Fail(t, absl::StrCat("undefined variable \"", Sv(t.val), "\""), err);
        }
        return true;
      case Tok::kField:
        a->type = ArgType::kField;
        SplitFields(t.val, &a->fields);
        if (dot_depth_ == 0) fields_.push_back(a->fields[0]);
        return true;
      case Tok::kBool:
        a->type = ArgType::kBool;
        a->b = t.val == "true";
        return true;
      case Tok::kCharConstant: {
        a->type = ArgType::kNumber;
        std::string s;
        if (!UnquoteGo(t.val, '\'', &s)) return Fail(t, "invalid syntax", err);
        uint32_t r = 0;
        const int k = s.empty() ? -1 : DecodeUtf8(s, 0, &r);
        if (k < 0 || static_cast<size_t>(k) != s.size()) {
          if (s.size() == 1) {
            r = static_cast<unsigned char>(s[0]);
          } else {
            return Fail(t, absl::StrCat("malformed character constant: ", Sv(t.val)), err);
          }
        }
        a->i = r;
        return true;
      }
      case Tok::kNumber:
        a->type = ArgType::kNumber;
        return ParseNumber(t, a, err);
      case Tok::kLeftParen: {
        a->type = ArgType::kPipe;
        a->pipe = std::make_unique<Pipe>();
        if (!ParsePipeline(a->pipe.get(), "parenthesized pipeline", Tok::kRightParen, err)) {
          return false;
        }
        const Token& close = toks_[i_ - 1];
        a->text = std::string(src_.substr(t.pos, close.pos + 1 - t.pos));
        return true;
      }
      case Tok::kString:
        a->type = ArgType::kString;
        if (!UnquoteGo(t.val, '"', &a->str)) return Fail(t, "invalid syntax", err);
        return true;
      case Tok::kRawString:
        a->type = ArgType::kString;
        a->str = std::string(t.val.substr(1, t.val.size() - 2));
        a->str.erase(std::remove(a->str.begin(), a->str.end(), '\r'), a->str.end());
        return true;
      default:
        --i_;
        *got = false;
        return true;
    }
  }

  bool ParseNumber(const Token& t, Arg* a, ParseError* err) {
    std::string s;
    for (char c : t.val) {
      if (c != '_') s.push_back(c);
    }
    const bool has_float_syntax =
        s.find_first_of(".eE") != std::string::npos &&
        !(s.size() > 2 && (s[1] == 'x' || s[1] == 'X' || s[2] == 'x' || s[2] == 'X'));
    if (!has_float_syntax) {
      std::string body = s;
      bool neg = false;
      if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
        neg = body[0] == '-';
        body.erase(0, 1);
      }
      int base = 10;
      if (body.size() > 1 && body[0] == '0') {
        const char p = body[1];
        if (p == 'x' || p == 'X') {
          base = 16;
          body.erase(0, 2);
        } else if (p == 'o' || p == 'O') {
          base = 8;
          body.erase(0, 2);
        } else if (p == 'b' || p == 'B') {
          base = 2;
          body.erase(0, 2);
        } else {
          base = 8;
          body.erase(0, 1);
        }
      }
      errno = 0;
      char* endp = nullptr;
      const unsigned long long v = std::strtoull(body.c_str(), &endp, base);
      if (body.empty() || *endp != '\0') {
        return Fail(t, absl::StrCat("illegal number syntax: \"", Sv(t.val), "\""), err);
      }
      if (errno == ERANGE ||
          v > (neg ? (1ULL << 63) : static_cast<unsigned long long>(INT64_MAX))) {
        return Fail(t, absl::StrCat(Sv(t.val), " overflows int"), err);
      }
      a->i = neg ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
      return true;
    }
    char* endp = nullptr;
    a->f = std::strtod(s.c_str(), &endp);
    if (endp == nullptr || *endp != '\0') {
      return Fail(t, absl::StrCat("illegal number syntax: \"", Sv(t.val), "\""), err);
    }
    a->is_float = true;
    return true;
  }

  std::string_view src_;
  std::vector<Token> toks_;
  size_t i_ = 0;
  const FuncMap* funcs_;
  TemplateProgram* prog_;
  std::vector<std::string> vars_;
  std::vector<std::string> fields_;
  bool whole_dot_ = false;
  int dot_depth_ = 0;
  bool else_if_ = false;
  uint32_t last_pos_ = 0;
};

// ---------------------------------------------------------------- executor

struct ErrorContext {
  uint32_t pos;
  std::string_view text;
};

class Exec {
 public:
  Exec(const TemplateProgram& p, std::string* out) : p_(p), out_(out) {}

  absl::Status Run(const TemplateValue& dot) {
    vars_.push_back({"$", dot});
    return List(p_.root, dot);
  }

 private:
  absl::Status Errorf(uint32_t pos, std::string_view node_text, std::string_view msg) {
    std::string_view before = std::string_view(p_.source).substr(0, pos);
    const size_t nl = before.rfind('\n');
    const size_t line = 1 + std::count(before.begin(), before.end(), '\n');
    const size_t col = nl == std::string_view::npos ? pos : pos - (nl + 1);
    std::string ctx(node_text);
    if (ctx.size() > 20) ctx = ctx.substr(0, 20) + "...";
    return absl::InvalidArgumentError(absl::StrCat("template: ", p_.name, ":", line, ":", col,
                                                   ": executing \"", p_.name, "\" at <", ctx,
                                                   ">: ", Sv(msg)));
  }

  std::string_view Keep(std::string s) {
    arena_.push_back(std::make_unique<std::string>(std::move(s)));
    return *arena_.back();
  }

  absl::Status List(const std::vector<Node>& list, const TemplateValue& dot) {
    for (const Node& n : list) {
      switch (n.type) {
        case NodeType::kText:
          out_->append(n.text);
          break;
        case NodeType::kAction: {
          TemplateValue v;
          TICK_RETURN_IF_ERROR(EvalPipeline(dot, *n.pipe, &v));
          if (n.pipe->decl.empty()) Print(v);
          break;
        }
        case NodeType::kIf:
        case NodeType::kWith: {
          const size_t mark = vars_.size();
          TemplateValue v;
          TICK_RETURN_IF_ERROR(EvalPipeline(dot, *n.pipe, &v));
          bool truth = false;
          Truth(v, &truth);
          if (truth) {
            TICK_RETURN_IF_ERROR(List(n.list, n.type == NodeType::kWith ? v : dot));
          } else if (n.has_else) {
            TICK_RETURN_IF_ERROR(List(n.else_list, dot));
          }
          vars_.resize(mark);
          break;
        }
        case NodeType::kRange: {
          TICK_RETURN_IF_ERROR(Range(n, dot));
          break;
        }
      }
    }
    return absl::OkStatus();
  }

  absl::Status Range(const Node& n, const TemplateValue& dot) {
    const size_t mark = vars_.size();
    TemplateValue v;
    // Declarations are bound per element, so evaluate without them.
    TICK_RETURN_IF_ERROR(EvalPipelineNoDecl(dot, *n.pipe, &v));
    const auto& decl = n.pipe->decl;
    auto one = [&](const TemplateValue& key, const TemplateValue& elem) -> absl::Status {
      const size_t m2 = vars_.size();
      if (decl.size() == 1) {
        vars_.push_back({decl[0], elem});
      } else if (decl.size() == 2) {
        vars_.push_back({decl[0], key});
        vars_.push_back({decl[1], elem});
      }
      absl::Status st = List(n.list, elem);
      vars_.resize(m2);
      return st;
    };
    size_t count = 0;
    switch (v.kind()) {
      case TemplateKind::kList:
        for (size_t i = 0; i < v.items().size(); ++i) {
          ++count;
          TICK_RETURN_IF_ERROR(
              one(TemplateValue::IntLiteral(static_cast<int64_t>(i)), v.items()[i]));
        }
        break;
      case TemplateKind::kMap: {
        std::vector<TemplateField> sorted(v.fields().begin(), v.fields().end());
        std::sort(sorted.begin(), sorted.end(),
                  [](const TemplateField& a, const TemplateField& b) { return a.name < b.name; });
        for (const TemplateField& e : sorted) {
          ++count;
          TICK_RETURN_IF_ERROR(one(TemplateValue::String(e.name), e.value));
        }
        break;
      }
      case TemplateKind::kNil:
        break;
      case TemplateKind::kInt:
        for (int64_t i = 0; i < v.i(); ++i) {
          ++count;
          TICK_RETURN_IF_ERROR(one(TemplateValue::IntLiteral(i), TemplateValue::IntLiteral(i)));
        }
        break;
      default:
        return Errorf(n.pos, "", absl::StrCat("range can't iterate over ", FmtV(v)));
    }
    if (count == 0 && n.has_else) {
      TICK_RETURN_IF_ERROR(List(n.else_list, dot));
    }
    vars_.resize(mark);
    return absl::OkStatus();
  }

  std::string FmtV(const TemplateValue& v) {
    std::string s;
    AppendGoValue(&s, v);
    return s;
  }

  void Print(const TemplateValue& v) {
    if (p_.mode == TemplateMode::kHtml) {
      if (v.kind() == TemplateKind::kNil) return;
      if (v.kind() == TemplateKind::kString) {
        AppendHtmlEscaped(out_, v.str());
        return;
      }
      std::string s;
      AppendGoValue(&s, v);
      AppendHtmlEscaped(out_, s);
      return;
    }
    switch (v.kind()) {
      case TemplateKind::kNil:
        out_->append("<no value>");
        return;
      case TemplateKind::kString:
        out_->append(v.str());
        return;
      default:
        AppendGoValue(out_, v);
    }
  }

  static bool Truth(const TemplateValue& v, bool* truth) {
    switch (v.kind()) {
      case TemplateKind::kNil:
        *truth = false;
        break;
      case TemplateKind::kString:
        *truth = !v.str().empty();
        break;
      case TemplateKind::kFloat:
        *truth = v.f() != 0;
        break;
      case TemplateKind::kInt:
      case TemplateKind::kDuration:
        *truth = v.i() != 0;
        break;
      case TemplateKind::kUint:
        *truth = v.u() != 0;
        break;
      case TemplateKind::kBool:
        *truth = v.b();
        break;
      case TemplateKind::kTime:
      case TemplateKind::kStruct:
        *truth = true;
        break;
      case TemplateKind::kMap:
        *truth = !v.fields().empty();
        break;
      case TemplateKind::kList:
        *truth = !v.items().empty();
        break;
    }
    return true;
  }

  absl::Status EvalPipelineNoDecl(const TemplateValue& dot, const Pipe& pipe, TemplateValue* v) {
    bool has_final = false;
    TemplateValue value;
    for (const Command& cmd : pipe.cmds) {
      TemplateValue next;
      TICK_RETURN_IF_ERROR(EvalCommand(dot, cmd, has_final ? &value : nullptr, &next));
      value = next;
      has_final = true;
    }
    *v = value;
    return absl::OkStatus();
  }

  absl::Status EvalPipeline(const TemplateValue& dot, const Pipe& pipe, TemplateValue* v) {
    TICK_RETURN_IF_ERROR(EvalPipelineNoDecl(dot, pipe, v));
    for (const std::string& name : pipe.decl) {
      if (pipe.is_assign) {
        for (size_t i = vars_.size(); i-- > 0;) {
          if (vars_[i].first == name) {
            vars_[i].second = *v;
            break;
          }
        }
      } else {
        vars_.push_back({name, *v});
      }
    }
    return absl::OkStatus();
  }

  absl::Status NotAFunction(const Command& cmd, const TemplateValue* final) {
    if (cmd.args.size() > 1 || final != nullptr) {
      return Errorf(cmd.args[0].pos, cmd.args[0].text,
                    absl::StrCat("can't give argument to non-function ", cmd.args[0].text));
    }
    return absl::OkStatus();
  }

  absl::Status EvalCommand(const TemplateValue& dot, const Command& cmd, const TemplateValue* final,
                           TemplateValue* v) {
    const Arg& first = cmd.args[0];
    switch (first.type) {
      case ArgType::kField:
        return EvalFieldChain(dot, dot, first, cmd, final, v);
      case ArgType::kVariable: {
        const TemplateValue* var = LookupVar(first.name);
        if (first.fields.empty()) {
          TICK_RETURN_IF_ERROR(NotAFunction(cmd, final));
          *v = var ? *var : TemplateValue();
          return absl::OkStatus();
        }
        return EvalFieldChain(dot, var ? *var : TemplateValue(), first, cmd, final, v);
      }
      case ArgType::kIdentifier:
        if (!first.fields.empty()) {
          // A function call's result with a field chain: not a valid Go construct here.
          return Errorf(first.pos, first.text,
                        absl::StrCat("can't evaluate field ", first.fields[0], " of function"));
        }
        return EvalFunction(dot, first, &cmd, final, v);
      case ArgType::kPipe: {
        TICK_RETURN_IF_ERROR(NotAFunction(cmd, final));
        if (first.fields.empty()) return EvalPipeline(dot, *first.pipe, v);
        TemplateValue recv;
        TICK_RETURN_IF_ERROR(EvalPipeline(dot, *first.pipe, &recv));
        return EvalFieldChain(dot, recv, first, cmd, final, v);
      }
      case ArgType::kNil:
        return Errorf(first.pos, first.text, "nil is not a command");
      default:
        TICK_RETURN_IF_ERROR(NotAFunction(cmd, final));
        return EvalArg(dot, first, v);
    }
  }

  const TemplateValue* LookupVar(std::string_view name) const {
    for (size_t i = vars_.size(); i-- > 0;) {
      if (vars_[i].first == name) return &vars_[i].second;
    }
    return nullptr;
  }

  // Evaluates receiver.F1.F2... where the last field may receive arguments (methods only;
  // tickrun values have none, so arguments are an error as Go reports for plain fields).
  absl::Status EvalFieldChain(const TemplateValue& dot, TemplateValue recv, const Arg& node,
                              const Command& cmd, const TemplateValue* final, TemplateValue* v) {
    (void)dot;
    const bool has_args = cmd.args.size() > 1 || final != nullptr;
    for (size_t i = 0; i < node.fields.size(); ++i) {
      const std::string& name = node.fields[i];
      const bool last = i + 1 == node.fields.size();
      if (recv.kind() == TemplateKind::kNil) {
        *v = TemplateValue();
        return absl::OkStatus();
      }
      if (recv.kind() == TemplateKind::kStruct) {
        const TemplateField* found = nullptr;
        for (const TemplateField& f : recv.fields()) {
          if (f.name == name) {
            found = &f;
            break;
          }
        }
        if (found == nullptr) {
          return Errorf(
              node.pos, node.text,
              absl::StrCat("can't evaluate field ", name, " in type ", recv.GoTypeName()));
        }
        if (last && has_args) {
          return Errorf(node.pos, node.text,
                        absl::StrCat(name, " has arguments but cannot be invoked as function"));
        }
        recv = found->value;
        continue;
      }
      if (recv.kind() == TemplateKind::kMap) {
        if (last && has_args) {
          return Errorf(node.pos, node.text,
                        absl::StrCat(name, " is not a method but has arguments"));
        }
        const TemplateField* found = nullptr;
        for (const TemplateField& f : recv.fields()) {
          if (f.name == name) {
            found = &f;
            break;
          }
        }
        recv = found ? found->value : TemplateValue();
        continue;
      }
      return Errorf(node.pos, node.text,
                    absl::StrCat("can't evaluate field ", name, " in type ", recv.GoTypeName()));
    }
    *v = recv;
    return absl::OkStatus();
  }

  absl::Status EvalArg(const TemplateValue& dot, const Arg& a, TemplateValue* v) {
    switch (a.type) {
      case ArgType::kDot:
        *v = dot;
        return absl::OkStatus();
      case ArgType::kNil:
        *v = TemplateValue();
        return absl::OkStatus();
      case ArgType::kBool:
        *v = TemplateValue::Bool(a.b);
        return absl::OkStatus();
      case ArgType::kNumber:
        *v = a.is_float ? TemplateValue::Float(a.f) : TemplateValue::IntLiteral(a.i);
        return absl::OkStatus();
      case ArgType::kString:
        *v = TemplateValue::String(a.str);
        return absl::OkStatus();
      case ArgType::kField:
        return EvalFieldChainNoArgs(dot, dot, a, v);
      case ArgType::kVariable: {
        const TemplateValue* var = LookupVar(a.name);
        TemplateValue base = var ? *var : TemplateValue();
        if (a.fields.empty()) {
          *v = base;
          return absl::OkStatus();
        }
        return EvalFieldChainNoArgs(dot, base, a, v);
      }
      case ArgType::kPipe: {
        if (a.fields.empty()) return EvalPipeline(dot, *a.pipe, v);
        TemplateValue recv;
        TICK_RETURN_IF_ERROR(EvalPipeline(dot, *a.pipe, &recv));
        return EvalFieldChainNoArgs(dot, recv, a, v);
      }
      case ArgType::kIdentifier:
        return EvalFunction(dot, a, nullptr, nullptr, v);
    }
    return absl::OkStatus();
  }

  absl::Status EvalFieldChainNoArgs(const TemplateValue& dot, const TemplateValue& recv,
                                    const Arg& a, TemplateValue* v) {
    static const Command kEmpty = [] {
      Command c;
      c.args.resize(1);
      return c;
    }();
    return EvalFieldChain(dot, recv, a, kEmpty, nullptr, v);
  }

  absl::Status WrongArgs(const Arg& fn, std::string_view name, int want, bool at_least,
                         size_t got) {
    return Errorf(fn.pos, fn.text,
                  absl::StrCat("wrong number of args for ", Sv(name), ": want ",
                               at_least ? "at least " : "", want, " got ", got));
  }

  absl::Status CallError(const Arg& fn, const Command* cmd, std::string_view msg) {
    if (cmd != nullptr) {
      return Errorf(cmd->pos, cmd->text, absl::StrCat("error calling ", fn.name, ": ", Sv(msg)));
    }
    return Errorf(fn.pos, fn.text, absl::StrCat("error calling ", fn.name, ": ", Sv(msg)));
  }

  // Go's basicKind classes.
  enum class BK { kInvalid, kBool, kInt, kUint, kFloat, kString };
  static BK Basic(const TemplateValue& v) {
    switch (v.kind()) {
      case TemplateKind::kBool:
        return BK::kBool;
      case TemplateKind::kInt:
      case TemplateKind::kDuration:
        return BK::kInt;
      case TemplateKind::kUint:
        return BK::kUint;
      case TemplateKind::kFloat:
        return BK::kFloat;
      case TemplateKind::kString:
        return BK::kString;
      default:
        return BK::kInvalid;
    }
  }

  // eq arg1 arg2...; returns an error message or empty.
  static std::string Eq(const TemplateValue& a, std::span<const TemplateValue> rest, bool* result) {
    *result = false;
    if (rest.empty()) return "missing argument for comparison";
    const BK k1 = Basic(a);
    for (const TemplateValue& b : rest) {
      const BK k2 = Basic(b);
      bool truth = false;
      if (k1 != k2) {
        if (k1 == BK::kInt && k2 == BK::kUint) {
          truth = a.i() >= 0 && static_cast<uint64_t>(a.i()) == b.u();
        } else if (k1 == BK::kUint && k2 == BK::kInt) {
          truth = b.i() >= 0 && a.u() == static_cast<uint64_t>(b.i());
        } else if (a.kind() != TemplateKind::kNil && b.kind() != TemplateKind::kNil) {
          return "incompatible types for comparison";
        }
      } else {
        switch (k1) {
          case BK::kBool:
            truth = a.b() == b.b();
            break;
          case BK::kInt:
            truth = a.i() == b.i();
            break;
          case BK::kUint:
            truth = a.u() == b.u();
            break;
          case BK::kFloat:
            truth = a.f() == b.f();
            break;
          case BK::kString:
            truth = a.str() == b.str();
            break;
          case BK::kInvalid: {
            const bool an = a.kind() == TemplateKind::kNil;
            const bool bn = b.kind() == TemplateKind::kNil;
            if (an || bn) {
              truth = an == bn;
            } else if (a.kind() == TemplateKind::kTime && b.kind() == TemplateKind::kTime) {
              truth = a.i() == b.i();
            } else if (a.kind() != b.kind() || a.GoTypeName() != b.GoTypeName()) {
              return "incompatible types for comparison";
            } else {
              return absl::StrCat("non-comparable type ", b.GoTypeName());
            }
            break;
          }
        }
      }
      if (truth) {
        *result = true;
        return "";
      }
    }
    return "";
  }

  static std::string Lt(const TemplateValue& a, const TemplateValue& b, bool* result) {
    *result = false;
    const BK k1 = Basic(a);
    const BK k2 = Basic(b);
    if (k1 == BK::kInvalid || k2 == BK::kInvalid) return "invalid type for comparison";
    if (k1 != k2) {
      if (k1 == BK::kInt && k2 == BK::kUint) {
        *result = a.i() < 0 || static_cast<uint64_t>(a.i()) < b.u();
      } else if (k1 == BK::kUint && k2 == BK::kInt) {
        *result = b.i() >= 0 && a.u() < static_cast<uint64_t>(b.i());
      } else {
        return "incompatible types for comparison";
      }
      return "";
    }
    switch (k1) {
      case BK::kBool:
        return "invalid type for comparison";
      case BK::kInt:
        *result = a.i() < b.i();
        break;
      case BK::kUint:
        *result = a.u() < b.u();
        break;
      case BK::kFloat:
        *result = a.f() < b.f();
        break;
      case BK::kString:
        *result = a.str() < b.str();
        break;
      case BK::kInvalid:
        break;
    }
    return "";
  }

  // Evaluates a function call: fn is the identifier node, cmd the command (its args after the
  // first are the call's arguments) or null for a bare identifier used as an argument.
  absl::Status EvalFunction(const TemplateValue& dot, const Arg& fn, const Command* cmd,
                            const TemplateValue* final, TemplateValue* v) {
    std::span<const Arg> arg_nodes;
    if (cmd != nullptr) arg_nodes = std::span<const Arg>(cmd->args).subspan(1);
    const size_t nargs = arg_nodes.size() + (final != nullptr ? 1 : 0);

    // Arity.
    int want = 0;
    bool at_least = false;
    if (fn.custom != nullptr) {
      want = fn.custom->min_args;
      at_least = fn.custom->max_args != fn.custom->min_args;
      if (static_cast<int>(nargs) < fn.custom->min_args ||
          (fn.custom->max_args >= 0 && static_cast<int>(nargs) > fn.custom->max_args)) {
        return WrongArgs(fn, fn.name,
                         static_cast<int>(nargs) < fn.custom->min_args ? fn.custom->min_args
                                                                       : fn.custom->max_args,
                         at_least && static_cast<int>(nargs) < fn.custom->min_args, nargs);
      }
    } else {
      switch (fn.builtin) {
        case Builtin::kAnd:
        case Builtin::kOr:
        case Builtin::kIndex:
        case Builtin::kEq:
        case Builtin::kPrintf:
          want = 1;
          at_least = true;
          break;
        case Builtin::kNot:
        case Builtin::kLen:
          want = 1;
          break;
        case Builtin::kNe:
        case Builtin::kLt:
        case Builtin::kLe:
        case Builtin::kGt:
        case Builtin::kGe:
          want = 2;
          break;
        default:
          want = 0;
          at_least = true;
          break;
      }
      if (at_least ? nargs < static_cast<size_t>(want) : nargs != static_cast<size_t>(want)) {
        return WrongArgs(fn, fn.name, want, at_least, nargs);
      }
    }

    // and / or short-circuit and return an argument.
    if (fn.builtin == Builtin::kAnd || fn.builtin == Builtin::kOr) {
      const bool is_or = fn.builtin == Builtin::kOr;
      TemplateValue val;
      for (const Arg& a : arg_nodes) {
        TICK_RETURN_IF_ERROR(EvalArg(dot, a, &val));
        bool t = false;
        Truth(val, &t);
        if (t == is_or) {
          *v = val;
          return absl::OkStatus();
        }
      }
      if (final != nullptr) val = *final;
      *v = val;
      return absl::OkStatus();
    }

    // Evaluate arguments.
    absl::InlinedVector<TemplateValue, 6> args;
    for (const Arg& a : arg_nodes) {
      TemplateValue val;
      TICK_RETURN_IF_ERROR(EvalArg(dot, a, &val));
      args.push_back(val);
    }
    if (final != nullptr) args.push_back(*final);
    const std::span<const TemplateValue> av(args.data(), args.size());

    if (fn.custom != nullptr) {
      std::string result;
      absl::Status st = fn.custom->fn(av, &result);
      if (!st.ok()) return CallError(fn, cmd, Sv(st.message()));
      *v = TemplateValue::String(Keep(std::move(result)));
      return absl::OkStatus();
    }

    switch (fn.builtin) {
      case Builtin::kNot: {
        bool t = false;
        Truth(av[0], &t);
        *v = TemplateValue::Bool(!t);
        return absl::OkStatus();
      }
      case Builtin::kLen: {
        const TemplateValue& x = av[0];
        switch (x.kind()) {
          case TemplateKind::kString:
            *v = TemplateValue::IntLiteral(static_cast<int64_t>(x.str().size()));
            return absl::OkStatus();
          case TemplateKind::kMap:
            *v = TemplateValue::IntLiteral(static_cast<int64_t>(x.fields().size()));
            return absl::OkStatus();
          case TemplateKind::kList:
            *v = TemplateValue::IntLiteral(static_cast<int64_t>(x.items().size()));
            return absl::OkStatus();
          case TemplateKind::kNil:
            return CallError(fn, cmd, "len of nil pointer");
          default:
            return CallError(fn, cmd, absl::StrCat("len of type ", x.GoTypeName()));
        }
      }
      case Builtin::kIndex: {
        TemplateValue item = av[0];
        if (item.kind() == TemplateKind::kNil) return CallError(fn, cmd, "index of untyped nil");
        for (size_t k = 1; k < av.size(); ++k) {
          const TemplateValue& idx = av[k];
          if (item.kind() == TemplateKind::kNil) {
            return CallError(fn, cmd, "index of nil pointer");
          }
          if (item.kind() == TemplateKind::kMap) {
            if (idx.kind() != TemplateKind::kString) {
              if (idx.kind() == TemplateKind::kNil) {
                return CallError(fn, cmd, "value is nil; should be of type string");
              }
              return CallError(
                  fn, cmd, absl::StrCat("value has type ", idx.GoTypeName(), "; should be string"));
            }
            const TemplateField* found = nullptr;
            for (const TemplateField& f : item.fields()) {
              if (f.name == idx.str()) {
                found = &f;
                break;
              }
            }
            if (found != nullptr) {
              item = found->value;
            } else {
              item =
                  item.map_elem() == MapElem::kString ? TemplateValue::String("") : TemplateValue();
            }
            continue;
          }
          if (item.kind() == TemplateKind::kList || item.kind() == TemplateKind::kString) {
            const char* what = "slice/array";
            int64_t x = 0;
            if (idx.kind() == TemplateKind::kInt || idx.kind() == TemplateKind::kDuration) {
              x = idx.i();
            } else if (idx.kind() == TemplateKind::kUint) {
              x = static_cast<int64_t>(idx.u());
            } else if (idx.kind() == TemplateKind::kNil) {
              return CallError(fn, cmd, absl::StrCat("cannot index ", what, " with nil"));
            } else {
              return CallError(
                  fn, cmd, absl::StrCat("cannot index ", what, " with type ", idx.GoTypeName()));
            }
            const size_t len =
                item.kind() == TemplateKind::kList ? item.items().size() : item.str().size();
            if (x < 0 || static_cast<size_t>(x) >= len) {
              return CallError(fn, cmd, absl::StrCat("index out of range: ", x));
            }
            if (item.kind() == TemplateKind::kList) {
              item = item.items()[x];
            } else {
              item = TemplateValue::Uint(static_cast<unsigned char>(item.str()[x]));
            }
            continue;
          }
          return CallError(fn, cmd, absl::StrCat("can't index item of type ", item.GoTypeName()));
        }
        *v = item;
        return absl::OkStatus();
      }
      case Builtin::kEq:
      case Builtin::kNe: {
        bool r = false;
        std::string e = Eq(av[0], av.subspan(1), &r);
        if (!e.empty()) return CallError(fn, cmd, e);
        *v = TemplateValue::Bool(fn.builtin == Builtin::kEq ? r : !r);
        return absl::OkStatus();
      }
      case Builtin::kLt:
      case Builtin::kGe: {
        bool r = false;
        std::string e = Lt(av[0], av[1], &r);
        if (!e.empty()) return CallError(fn, cmd, e);
        *v = TemplateValue::Bool(fn.builtin == Builtin::kLt ? r : !r);
        return absl::OkStatus();
      }
      case Builtin::kLe:
      case Builtin::kGt: {
        bool r = false;
        std::string e = Lt(av[0], av[1], &r);
        if (!e.empty()) return CallError(fn, cmd, e);
        if (!r) {
          e = Eq(av[0], av.subspan(1), &r);
          if (!e.empty()) return CallError(fn, cmd, e);
        }
        *v = TemplateValue::Bool(fn.builtin == Builtin::kLe ? r : !r);
        return absl::OkStatus();
      }
      case Builtin::kPrint: {
        std::string s;
        GoSprint(&s, av);
        *v = TemplateValue::String(Keep(std::move(s)));
        return absl::OkStatus();
      }
      case Builtin::kPrintln: {
        std::string s;
        GoSprintln(&s, av);
        *v = TemplateValue::String(Keep(std::move(s)));
        return absl::OkStatus();
      }
      case Builtin::kPrintf: {
        if (av[0].kind() != TemplateKind::kString) {
          const Arg& first = arg_nodes.empty() ? fn : arg_nodes[0];
          if (first.type == ArgType::kNumber || first.type == ArgType::kBool ||
              first.type == ArgType::kNil || first.type == ArgType::kDot) {
            return Errorf(first.pos, first.text,
                          absl::StrCat("expected string; found ", first.text));
          }
          return Errorf(
              first.pos, first.text,
              absl::StrCat("wrong type for value; expected string; got ", av[0].GoTypeName()));
        }
        std::string s;
        GoSprintf(&s, av[0].str(), av.subspan(1));
        *v = TemplateValue::String(Keep(std::move(s)));
        return absl::OkStatus();
      }
      case Builtin::kHtml:
      case Builtin::kJs:
      case Builtin::kUrlquery: {
        std::string in;
        if (av.size() == 1 && av[0].kind() == TemplateKind::kString) {
          in = std::string(av[0].str());
        } else {
          GoSprint(&in, av);
        }
        std::string s;
        if (fn.builtin == Builtin::kHtml) {
          HtmlEscapeString(&s, in);
        } else if (fn.builtin == Builtin::kJs) {
          JsEscapeString(&s, in);
        } else {
          QueryEscape(&s, in);
        }
        *v = TemplateValue::String(Keep(std::move(s)));
        return absl::OkStatus();
      }
      default:
        return Errorf(fn.pos, fn.text, absl::StrCat("\"", fn.name, "\" is not a defined function"));
    }
  }

  static void HtmlEscapeString(std::string* out, std::string_view s) {
    for (char c : s) {
      switch (c) {
        case '\0':
          out->append("\xEF\xBF\xBD");
          break;
        case '"':
          out->append("&#34;");
          break;
        case '\'':
          out->append("&#39;");
          break;
        case '&':
          out->append("&amp;");
          break;
        case '<':
          out->append("&lt;");
          break;
        case '>':
          out->append("&gt;");
          break;
        default:
          out->push_back(c);
      }
    }
  }

  static void JsEscapeString(std::string* out, std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (char c : s) {
      const auto u = static_cast<unsigned char>(c);
      switch (c) {
        case '\\':
          out->append("\\\\");
          break;
        case '\'':
          out->append("\\'");
          break;
        case '"':
          out->append("\\\"");
          break;
        case '<':
          out->append("\\u003C");
          break;
        case '>':
          out->append("\\u003E");
          break;
        case '&':
          out->append("\\u0026");
          break;
        case '=':
          out->append("\\u003D");
          break;
        default:
          if (u < 0x20) {
            out->append("\\u00");
            out->push_back(kHex[u >> 4]);
            out->push_back(kHex[u & 15]);
          } else {
            out->push_back(c);
          }
      }
    }
  }

  static void QueryEscape(std::string* out, std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_' || c == '.' || c == '~') {
        out->push_back(c);
      } else if (c == ' ') {
        out->push_back('+');
      } else {
        out->push_back('%');
        out->push_back(kHex[u >> 4]);
        out->push_back(kHex[u & 15]);
      }
    }
  }

  const TemplateProgram& p_;
  std::string* out_;
  std::vector<std::pair<std::string_view, TemplateValue>> vars_;
  std::vector<std::unique_ptr<std::string>> arena_;
};

}  // namespace
}  // namespace internal

int64_t TemplateErrorOffset(const absl::Status& status) {
  auto payload = status.GetPayload(kTemplateErrorOffsetUrl);
  if (!payload.has_value()) return -1;
  std::string s(*payload);
  char* end = nullptr;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (end == s.c_str()) return -1;
  return v;
}

Template::Template(std::unique_ptr<internal::TemplateProgram> p) : p_(std::move(p)) {}
Template::Template(Template&&) noexcept = default;
Template& Template::operator=(Template&&) noexcept = default;
Template::~Template() = default;

absl::Status Template::Execute(const TemplateValue& dot, std::string* out) const {
  internal::Exec e(*p_, out);
  return e.Run(dot);
}

const std::vector<std::string>& Template::ReferencedTopLevelFields() const { return p_->fields; }
bool Template::uses_whole_dot() const { return p_->whole_dot; }
std::string_view Template::name() const { return p_->name; }
TemplateMode Template::mode() const { return p_->mode; }

absl::StatusOr<Template> ParseTemplate(std::string_view name, std::string_view text,
                                       TemplateMode mode, const FuncMap* funcs) {
  auto prog = std::make_unique<internal::TemplateProgram>();
  prog->name = std::string(name);
  prog->mode = mode;
  prog->source = std::string(text);
  prog->funcs = funcs;
  internal::Lexer lexer(prog->source);
  std::vector<internal::Token> toks = lexer.Run();
  internal::Parser parser(prog->source, std::move(toks), funcs, prog.get());
  internal::ParseError err;
  if (!parser.Parse(&err)) {
    const std::string_view before = std::string_view(prog->source).substr(0, err.pos);
    const size_t line = 1 + std::count(before.begin(), before.end(), '\n');
    absl::Status st = absl::InvalidArgumentError(
        absl::StrCat("template: ", prog->name, ":", line, ": ", err.msg));
    st.SetPayload(kTemplateErrorOffsetUrl, absl::Cord(absl::StrCat(err.pos)));
    return st;
  }
  return Template(std::move(prog));
}

}  // namespace tick::interp
