// File: grammar/formatter.cc
//
// tickfmt-style formatting (see formatter.h). Comments are not in the expression tree: each
// comment is attached to the first "anchor" (statement start or chain link operator) at or after
// its end, and printed before that anchor at its indentation; comments after the last anchor are
// printed at the end.
#include "grammar/formatter.h"

#include <charconv>
#include <cstdio>
#include <map>
#include <string_view>
#include <vector>

namespace tick::grammar {
namespace {

class Formatter final {
 public:
  Formatter(std::string_view source, const std::vector<ast::Comment>* comments) : source_(source) {
    if (comments != nullptr) {
      for (const ast::Comment& c : *comments) pending_.push_back(&c);
    }
  }

  std::string FormatScript(const ast::Script& script) {
    bool first = true;
    for (const ast::Statement& s : script.statements) {
      if (!first) out_ += '\n';
      first = false;
      EmitComments(s.range.begin, "");
      Statement(s);
      out_ += '\n';
    }
    // Comments after the last statement.
    if (next_comment_ < pending_.size()) {
      if (!first) out_ += '\n';
      EmitComments(UINT32_MAX, "");
    }
    return std::move(out_);
  }

  std::string Expr(const ast::Expr& e) {
    ExprAt(e, "");
    return std::move(out_);
  }

 private:
  // Prints every not yet printed comment that ends at or before `anchor`.
  void EmitComments(uint32_t anchor, std::string_view indent) {
    bool first = true;
    while (next_comment_ < pending_.size() && pending_[next_comment_]->range.end <= anchor) {
      const ast::Comment& c = *pending_[next_comment_++];
      if (!first) out_ += '\n';
      first = false;
      for (const std::string& raw : c.lines) {
        std::string_view line = raw;
        while (!line.empty() &&
               (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
          line.remove_suffix(1);
        }
        if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
        out_ += indent;
        out_ += "//";
        if (!line.empty()) {
          out_ += ' ';
          out_ += line;
        }
        out_ += '\n';
      }
    }
  }

  void Statement(const ast::Statement& s) {
    switch (s.kind) {
      case ast::StmtKind::kVar:
        out_ += "var ";
        out_ += s.name;
        out_ += " = ";
        if (s.value) ExprAt(*s.value, "");
        break;
      case ast::StmtKind::kTypedVar:
        out_ += "var ";
        out_ += s.name;
        out_ += ' ';
        out_ += s.type_name;
        break;
      case ast::StmtKind::kDbrp:
        out_ += "dbrp ";
        Quoted(s.db, '"');
        out_ += '.';
        Quoted(s.rp, '"');
        break;
      case ast::StmtKind::kExpr:
        if (s.value) ExprAt(*s.value, "");
        break;
    }
  }

  void Quoted(std::string_view text, char quote) {
    out_ += quote;
    for (char c : text) {
      if (c == quote) out_ += '\\';
      out_ += c;
    }
    out_ += quote;
  }

  std::string_view SourceOf(const ast::Expr& e) const {
    if (e.range.begin >= e.range.end || e.range.end > source_.size()) return {};
    return source_.substr(e.range.begin, e.range.end - e.range.begin);
  }

  void Args(const ast::ExprList& args, std::string_view indent) {
    bool first = true;
    for (const ast::ExprPtr& a : args) {
      if (!first) out_ += ", ";
      first = false;
      if (a) ExprAt(*a, indent);
    }
  }

  void ExprAt(const ast::Expr& e, std::string_view indent) {
    if (e.parens) out_ += '(';
    switch (e.kind) {
      case ast::ExprKind::kIdent:
        out_ += e.text;
        break;
      case ast::ExprKind::kReference:
        Quoted(e.text, '"');
        break;
      case ast::ExprKind::kString: {
        std::string_view src = SourceOf(e);
        if (src.size() >= 6 && src.substr(0, 3) == "'''" &&
            e.text.find("'''") == std::string::npos) {
          out_ += "'''";
          out_ += e.text;
          out_ += "'''";
        } else {
          Quoted(e.text, '\'');
        }
        break;
      }
      case ast::ExprKind::kInt: {
        std::string_view src = SourceOf(e);
        if (src.size() > 1 && src[0] == '0' && e.int_value >= 0) {
          char buf[32];
          std::snprintf(buf, sizeof(buf), "0%llo", static_cast<unsigned long long>(e.int_value));
          out_ += buf;
        } else {
          out_ += std::to_string(e.int_value);
        }
        break;
      }
      case ast::ExprKind::kFloat: {
        char buf[400];
        auto [end, ec] =
            std::to_chars(buf, buf + sizeof(buf), e.float_value, std::chars_format::fixed);
        std::string s = ec == std::errc() ? std::string(buf, end) : std::string("0");
        if (s.find('.') == std::string::npos) s += ".0";
        out_ += s;
        break;
      }
      case ast::ExprKind::kDuration:
        out_ += e.text;
        break;
      case ast::ExprKind::kBool:
        out_ += e.bool_value ? "TRUE" : "FALSE";
        break;
      case ast::ExprKind::kRegex: {
        std::string_view src = SourceOf(e);
        if (src.size() >= 2 && src.front() == '/' && src.back() == '/') {
          out_ += src;
        } else {
          out_ += '/';
          for (char c : e.text) {
            if (c == '/') out_ += '\\';
            out_ += c;
          }
          out_ += '/';
        }
        break;
      }
      case ast::ExprKind::kStar:
        out_ += '*';
        break;
      case ast::ExprKind::kUnary:
        out_ += ast::OpString(e.unary_op);
        if (!e.args.empty() && e.args[0]) ExprAt(*e.args[0], indent);
        break;
      case ast::ExprKind::kBinary:
        if (e.args.size() > 0 && e.args[0]) ExprAt(*e.args[0], indent);
        out_ += ' ';
        out_ += ast::OpString(e.binary_op);
        out_ += ' ';
        if (e.args.size() > 1 && e.args[1]) ExprAt(*e.args[1], indent);
        break;
      case ast::ExprKind::kCall:
        out_ += e.text;
        out_ += '(';
        Args(e.args, indent);
        out_ += ')';
        break;
      case ast::ExprKind::kLambda:
        out_ += "lambda: ";
        if (!e.args.empty() && e.args[0]) ExprAt(*e.args[0], indent);
        break;
      case ast::ExprKind::kList:
        out_ += '[';
        Args(e.args, indent);
        out_ += ']';
        break;
      case ast::ExprKind::kChain:
        Chain(e, indent);
        break;
    }
    if (e.parens) out_ += ')';
  }

  void Chain(const ast::Expr& e, std::string_view indent) {
    if (!e.args.empty() && e.args[0]) ExprAt(*e.args[0], indent);
    const std::string pipe_indent = std::string(indent) + "\t";
    const std::string dot_indent = pipe_indent + "\t";
    for (const ast::ChainLink& link : e.links) {
      const std::string& li = link.kind == ast::LinkKind::kProperty ? dot_indent : pipe_indent;
      out_ += '\n';
      EmitComments(link.range.begin, li);
      out_ += li;
      switch (link.kind) {
        case ast::LinkKind::kPipe:
          out_ += '|';
          break;
        case ast::LinkKind::kProperty:
          out_ += '.';
          break;
        case ast::LinkKind::kUdf:
          out_ += '@';
          break;
      }
      out_ += link.name;
      if (link.has_parens) {
        out_ += '(';
        Args(link.args, li);
        out_ += ')';
      }
    }
  }

  std::string_view source_;
  std::vector<const ast::Comment*> pending_;
  size_t next_comment_ = 0;
  std::string out_;
};

}  // namespace

std::string FormatScript(const ast::Script& script) {
  return Formatter(script.source.text(), &script.comments).FormatScript(script);
}

std::string FormatExpr(const ast::Expr& expr, std::string_view source) {
  return Formatter(source, nullptr).Expr(expr);
}

}  // namespace tick::grammar
