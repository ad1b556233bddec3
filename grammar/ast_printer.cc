// File: grammar/ast_printer.cc
#include "grammar/ast_printer.h"

#include <charconv>
#include <string_view>

#include "absl/strings/str_cat.h"

namespace tick::grammar {
namespace {

void AppendQuoted(std::string& out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\x";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 15]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

void AppendDouble(std::string& out, double v) {
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  if (ec != std::errc()) {
    out += "?";
    return;
  }
  out.append(buf, ptr);
}

class Printer {
 public:
  explicit Printer(const SourceFile* source) : source_(source) {}

  std::string out;

  void Range(SourceRange r) {
    if (source_ == nullptr) return;
    const LineCol b = source_->Locate(r.begin);
    const LineCol e = source_->Locate(r.end);
    absl::StrAppend(&out, " @", b.line, ":", b.column, "-", e.line, ":", e.column);
  }

  void Args(const ast::ExprList& args, int indent) {
    for (const ast::ExprPtr& a : args) {
      out.push_back(' ');
      Expr(*a, indent);
    }
  }

  void Link(const ast::ChainLink& l, int indent) {
    const char* op = l.kind == ast::LinkKind::kPipe       ? "|"
                     : l.kind == ast::LinkKind::kProperty ? "."
                                                          : "@";
    if (!l.has_parens) {
      if (source_ == nullptr) {
        absl::StrAppend(&out, op, l.name);
      } else {
        absl::StrAppend(&out, "(get ", op, l.name);
        Range(l.range);
        out.push_back(')');
      }
      return;
    }
    absl::StrAppend(&out, "(", op, l.name);
    Range(l.range);
    Args(l.args, indent);
    out.push_back(')');
  }

  void Expr(const ast::Expr& e, int indent) {
    if (e.parens) out += "(parens ";
    switch (e.kind) {
      case ast::ExprKind::kIdent:
        absl::StrAppend(&out, "(ident ", e.text, ")");
        break;
      case ast::ExprKind::kReference:
        out += "(ref ";
        AppendQuoted(out, e.text);
        out += ")";
        break;
      case ast::ExprKind::kString:
        out += "(string ";
        AppendQuoted(out, e.text);
        out += ")";
        break;
      case ast::ExprKind::kInt:
        absl::StrAppend(&out, "(int ", e.int_value, ")");
        break;
      case ast::ExprKind::kFloat:
        out += "(float ";
        AppendDouble(out, e.float_value);
        out += ")";
        break;
      case ast::ExprKind::kDuration:
        absl::StrAppend(&out, "(duration ", e.text, " ", e.int_value, ")");
        break;
      case ast::ExprKind::kBool:
        out += e.bool_value ? "(bool TRUE)" : "(bool FALSE)";
        break;
      case ast::ExprKind::kRegex:
        out += "(regex ";
        AppendQuoted(out, e.text);
        out += ")";
        break;
      case ast::ExprKind::kStar:
        out += "(star)";
        break;
      case ast::ExprKind::kUnary:
        absl::StrAppend(&out, "(", ast::OpString(e.unary_op), " ");
        Expr(*e.args[0], indent);
        out += ")";
        break;
      case ast::ExprKind::kBinary:
        absl::StrAppend(&out, "(", ast::OpString(e.binary_op));
        Args(e.args, indent);
        out += ")";
        break;
      case ast::ExprKind::kCall:
        absl::StrAppend(&out, "(call ", e.text);
        Args(e.args, indent);
        out += ")";
        break;
      case ast::ExprKind::kLambda:
        out += "(lambda";
        Args(e.args, indent);
        out += ")";
        break;
      case ast::ExprKind::kList:
        out += "(list";
        Args(e.args, indent);
        out += ")";
        break;
      case ast::ExprKind::kChain:
        out += "(chain";
        Args(e.args, indent);
        for (const ast::ChainLink& l : e.links) {
          if (source_ != nullptr) {
            out.push_back('\n');
            out.append(static_cast<size_t>(indent + 2), ' ');
          } else {
            out.push_back(' ');
          }
          Link(l, indent + 2);
        }
        out += ")";
        break;
    }
    if (e.parens) out += ")";
  }

 private:
  const SourceFile* source_;
};

}  // namespace

std::string DumpExpr(const ast::Expr& expr) {
  Printer p(nullptr);
  p.Expr(expr, 0);
  return std::move(p.out);
}

std::string DumpAst(const ast::Script& script) {
  Printer p(&script.source);
  for (const ast::Statement& s : script.statements) {
    switch (s.kind) {
      case ast::StmtKind::kVar:
        absl::StrAppend(&p.out, "(var ", s.name);
        p.Range(s.range);
        p.out += "\n  ";
        p.Expr(*s.value, 2);
        break;
      case ast::StmtKind::kTypedVar:
        absl::StrAppend(&p.out, "(typed-var ", s.name, " ", s.type_name);
        p.Range(s.range);
        break;
      case ast::StmtKind::kDbrp:
        p.out += "(dbrp ";
        AppendQuoted(p.out, s.db);
        p.out += " ";
        AppendQuoted(p.out, s.rp);
        p.Range(s.range);
        break;
      case ast::StmtKind::kExpr:
        p.out += "(expr";
        p.Range(s.range);
        p.out += "\n  ";
        p.Expr(*s.value, 2);
        break;
    }
    p.out += ")\n";
  }
  for (const ast::Comment& c : script.comments) {
    p.out += "(comment";
    p.Range(c.range);
    for (const std::string& line : c.lines) {
      p.out.push_back(' ');
      AppendQuoted(p.out, line);
    }
    p.out += ")\n";
  }
  return std::move(p.out);
}

}  // namespace tick::grammar
