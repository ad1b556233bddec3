// File: tests/grammar/parser_test.cc
//
// Tables of {source, expected AST dump} and {bad source, exact diagnostic}, lexer-state corner
// cases (Kapacitor tick/ast/lex.go), precedence, ranges, comments, depth limits and the golden
// scripts/*.tick -> scripts/*.ast files (TICK_UPDATE_GOLDEN=1 rewrites them).
#include "grammar/parser.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "grammar/ast_printer.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace tick::grammar {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::tick::testing::IsOk;
using ::tick::testing::StatusIs;

// Dumps the value of the single statement `var x = <expr>`.
std::string VarDump(const std::string& expr) {
  auto s = ParseScript("var x = " + expr, "t.tick");
  if (!s.ok()) return std::string(s.status().message());
  if (s->statements.size() != 1) return "statements: " + std::to_string(s->statements.size());
  return DumpExpr(*s->statements[0].value);
}

std::string LambdaDump(const std::string& body) {
  auto e = ParseLambdaBody(body, "l.tick");
  if (!e.ok()) return std::string(e.status().message());
  return DumpExpr(**e);
}

std::string Error(const std::string& script) {
  auto s = ParseScript(script, "cpu.tick");
  if (s.ok()) return "OK:\n" + DumpAst(*s);
  return std::string(s.status().message());
}

struct ExprCase {
  const char* expr;
  const char* dump;
};

TEST(ParserTest, Literals) {
  const ExprCase kCases[] = {
      {"5", "(int 5)"},
      {"0", "(int 0)"},
      {"0644", "(int 420)"},
      {"00", "(int 0)"},
      {"9223372036854775807", "(int 9223372036854775807)"},
      {"1.5", "(float 1.5)"},
      {".5", "(float 0.5)"},
      {"1.", "(float 1)"},
      {"007.25", "(float 7.25)"},
      {"5m", "(duration 5m 300000000000)"},
      {"5ms", "(duration 5ms 5000000)"},
      {"10u", "(duration 10u 10000)"},
      {"3\xC2\xB5", "(duration 3\xC2\xB5 3000)"},
      {"2s", "(duration 2s 2000000000)"},
      {"1h", "(duration 1h 3600000000000)"},
      {"1d", "(duration 1d 86400000000000)"},
      {"2w", "(duration 2w 1209600000000000)"},
      {"05m", "(duration 05m 300000000000)"},
      {"TRUE", "(bool TRUE)"},
      {"FALSE", "(bool FALSE)"},
      {"true", "(ident true)"},
      {"'abc'", "(string \"abc\")"},
      {"''", "(string \"\")"},
      {"''''''", "(string \"\")"},
      {"'it\\'s'", "(string \"it's\")"},
      {"'a\\nb'", "(string \"a\\\\nb\")"},
      {"'a\\\\b'", "(string \"a\\\\\\\\b\")"},
      {"'''it's \\n\nraw'''", "(string \"it's \\\\n\\nraw\")"},
      {"\"usage_idle\"", "(ref \"usage_idle\")"},
      {"\"a \\\"b\\\"\"", "(ref \"a \\\"b\\\"\")"},
      {"\"a\\b\"", "(ref \"a\\\\b\")"},
      {"/x/", "(regex \"x\")"},
      {"/a\\/b/", "(regex \"a/b\")"},
      {"/\\d+/", "(regex \"\\\\d+\")"},
      {"//", "(regex \"\")"},
      {"*", "(star)"},
      {"[a, 'b', *]", "(list (ident a) (string \"b\") (star))"},
      {"[a, 'b',]", "(list (ident a) (string \"b\"))"},
      {"[]", "(list)"},
      {"lambda: \"a\" > 1", "(lambda (> (ref \"a\") (int 1)))"},
      {"lambda:TRUE", "(lambda (bool TRUE))"},
      {"lambda", "(ident lambda)"},
      {"\xC3\xA9t\xC3\xA9_1", "(ident \xC3\xA9t\xC3\xA9_1)"},
      {"f(1, 'a', lambda: 2)", "(call f (int 1) (string \"a\") (lambda (int 2)))"},
      {"f()", "(call f)"},
      {"f(1,)", "(call f (int 1))"},
  };
  for (const ExprCase& c : kCases) {
    EXPECT_EQ(VarDump(c.expr), c.dump) << c.expr;
  }
}

TEST(ParserTest, PrecedenceAndAssociativity) {
  const ExprCase kCases[] = {
      {"1 + 2 * 3", "(+ (int 1) (* (int 2) (int 3)))"},
      {"1 * 2 + 3", "(+ (* (int 1) (int 2)) (int 3))"},
      {"10 - 4 - 3", "(- (- (int 10) (int 4)) (int 3))"},
      {"8 / 4 / 2", "(/ (/ (int 8) (int 4)) (int 2))"},
      {"8 / 4 * 2 % 3", "(% (* (/ (int 8) (int 4)) (int 2)) (int 3))"},
      {"a < b == c < d", "(== (< (ident a) (ident b)) (< (ident c) (ident d)))"},
      {"a OR b AND c", "(OR (ident a) (AND (ident b) (ident c)))"},
      {"a AND b OR c AND d", "(OR (AND (ident a) (ident b)) (AND (ident c) (ident d)))"},
      {"a OR b OR c", "(OR (OR (ident a) (ident b)) (ident c))"},
      {"\"h\" =~ /x/ AND \"h\" !~ /y/",
       "(AND (=~ (ref \"h\") (regex \"x\")) (!~ (ref \"h\") (regex \"y\")))"},
      {"a != b", "(!= (ident a) (ident b))"},
      {"a <= b", "(<= (ident a) (ident b))"},
      {"a >= b", "(>= (ident a) (ident b))"},
      {"-a * b", "(* (- (ident a)) (ident b))"},
      {"-(a * b)", "(- (parens (* (ident a) (ident b))))"},
      {"!a AND b", "(AND (! (ident a)) (ident b))"},
      {"--a", "(- (- (ident a)))"},
      {"1 - -2", "(- (int 1) (- (int 2)))"},
      {"(1 + 2) * 3", "(* (parens (+ (int 1) (int 2))) (int 3))"},
      {"1 + 2 * 3 - 4 / 2 > 5 AND TRUE OR FALSE",
       "(OR (AND (> (- (+ (int 1) (* (int 2) (int 3))) (/ (int 4) (int 2))) (int 5)) (bool TRUE)) "
       "(bool FALSE))"},
      {"sigma(\"v\") > 3.0 AND abs(-\"v\") < 2",
       "(AND (> (call sigma (ref \"v\")) (float 3)) (< (call abs (- (ref \"v\"))) (int 2)))"},
      {"a\n  + b", "(+ (ident a) (ident b))"},
  };
  for (const ExprCase& c : kCases) {
    EXPECT_EQ(LambdaDump(c.expr), c.dump) << c.expr;
  }
}

// §1.2 / §9: what the operand-state / operator-state lexer makes of `/`, `*`, `-`.
TEST(ParserTest, LexerStates) {
  // After =~ and !~ (even `//`) and after `=`, a '/' is a regex.
  EXPECT_EQ(VarDump("//"), "(regex \"\")");
  EXPECT_EQ(LambdaDump("\"a\" =~ //"), "(=~ (ref \"a\") (regex \"\"))");
  // After an operand '/' divides; after `==` a '/' starts a regex (operand state).
  EXPECT_EQ(LambdaDump("a / b"), "(/ (ident a) (ident b))");
  EXPECT_EQ(LambdaDump("a == /b/"), "(== (ident a) (regex \"b\"))");
  // After a regex or a star the lexer is in operand state: only '-', AND, OR continue.
  EXPECT_EQ(LambdaDump("/a/ - 1"), "(- (regex \"a\") (int 1))");
  EXPECT_EQ(LambdaDump("/a/ AND b"), "(AND (regex \"a\") (ident b))");
  // A comment after an operand returns to operand state: `*` is then a star statement.
  EXPECT_EQ(Error("var x = 5 // c\n* 2"),
            "OK:\n(var x @1:1-1:10\n  (int 5))\n(expr @2:1-2:2\n  (star))\n"
            "(expr @2:3-2:4\n  (int 2))\n(comment @1:11-1:15 \" c\")\n");
  // ... but '-' after the comment is still a binary minus.
  EXPECT_EQ(VarDump("5 // c\n- 2"), "(- (int 5) (int 2))");
  // `1h30m`, `1ns`, `1.5s` at statement level are two statements, as in Kapacitor.
  auto s = ParseScript("var x = 1h30m", "t.tick");
  ASSERT_THAT(s, IsOk());
  ASSERT_EQ(s->statements.size(), 2u);
  EXPECT_EQ(DumpExpr(*s->statements[1].value), "(duration 30m 1800000000000)");
  s = ParseScript("var x = 1.5s", "t.tick");
  ASSERT_THAT(s, IsOk());
  ASSERT_EQ(s->statements.size(), 2u);
  EXPECT_EQ(DumpExpr(*s->statements[0].value), "(float 1.5)");
  EXPECT_EQ(DumpExpr(*s->statements[1].value), "(ident s)");
  // `x.5` is an identifier and the number .5; `1e3` is 1 then the identifier e3.
  s = ParseScript("x.5 1e3", "t.tick");
  ASSERT_THAT(s, IsOk());
  ASSERT_EQ(s->statements.size(), 4u);
  EXPECT_EQ(DumpExpr(*s->statements[1].value), "(float 0.5)");
  EXPECT_EQ(DumpExpr(*s->statements[3].value), "(ident e3)");
  // A list leaves the lexer in operand state: `[a] - 1` is a list then `-1`.
  s = ParseScript("var l = [a] - 1", "t.tick");
  ASSERT_THAT(s, IsOk());
  ASSERT_EQ(s->statements.size(), 2u);
  EXPECT_EQ(DumpExpr(*s->statements[1].value), "(- (int 1))");
  // A comment block swallows following lines that start with '/' (lexComment).
  s = ParseScript("var x = \"a\" // c\n/ 2", "t.tick");
  ASSERT_THAT(s, IsOk());
  ASSERT_EQ(s->statements.size(), 1u);
  ASSERT_EQ(s->comments.size(), 1u);
  EXPECT_THAT(s->comments[0].lines, ::testing::ElementsAre(" c", " 2"));
  // After a chain (operator state) a comment returns to operand state: `*` is a star statement.
  s = ParseScript("stream|from()\n// c\n*", "t.tick");
  ASSERT_THAT(s, IsOk());
  ASSERT_EQ(s->statements.size(), 2u);
  EXPECT_EQ(DumpExpr(*s->statements[1].value), "(star)");
  // A bare '!' after an operand is not an operator: it starts the next statement.
  s = ParseScript("var x = a ! b", "t.tick");
  ASSERT_THAT(s, IsOk());
  ASSERT_EQ(s->statements.size(), 2u);
  EXPECT_EQ(DumpExpr(*s->statements[1].value), "(! (ident b))");
  // In a triple-quoted string `\'` is consumed when one quote remains to be matched.
  EXPECT_EQ(VarDump("'''a''\\''"), "(string \"a''\")");
  // Keywords are case-sensitive; `lambda` needs the ':' attached.
  EXPECT_EQ(VarDump("and"), "(ident and)");
  EXPECT_EQ(VarDump("True"), "(ident True)");
  EXPECT_EQ(VarDump("TRUEx"), "(ident TRUEx)");
  EXPECT_EQ(VarDump("lambda_x"), "(ident lambda_x)");
}

TEST(ParserTest, ChainsAndStatements) {
  auto s = ParseScript(
      "dbrp \"tele\\\"graf\".\"autogen\"\nvar period duration\nvar data = stream|from()\n"
      "data.measurement('cpu').groupBy(*)@udf(1)|alert().crit(lambda: \"x\" > 1).prop\n"
      "f(1).x()\n",
      "t.tick");
  ASSERT_THAT(s, IsOk());
  ASSERT_EQ(s->statements.size(), 5u);
  EXPECT_EQ(s->statements[0].kind, ast::StmtKind::kDbrp);
  EXPECT_EQ(s->statements[0].db, "tele\"graf");
  EXPECT_EQ(s->statements[0].rp, "autogen");
  EXPECT_EQ(s->statements[1].kind, ast::StmtKind::kTypedVar);
  EXPECT_EQ(s->statements[1].name, "period");
  EXPECT_EQ(s->statements[1].type_name, "duration");
  EXPECT_EQ(s->statements[2].kind, ast::StmtKind::kVar);
  EXPECT_EQ(DumpExpr(*s->statements[2].value), "(chain (ident stream) (|from))");
  EXPECT_EQ(DumpExpr(*s->statements[3].value),
            "(chain (ident data) (.measurement (string \"cpu\")) (.groupBy (star)) (@udf (int 1)) "
            "(|alert) (.crit (lambda (> (ref \"x\") (int 1)))) .prop)");
  const ast::Expr& chain = *s->statements[3].value;
  EXPECT_EQ(chain.links[0].kind, ast::LinkKind::kProperty);
  EXPECT_EQ(chain.links[2].kind, ast::LinkKind::kUdf);
  EXPECT_EQ(chain.links[3].kind, ast::LinkKind::kPipe);
  EXPECT_TRUE(chain.links[3].has_parens);
  EXPECT_FALSE(chain.links[5].has_parens);
  EXPECT_EQ(DumpExpr(*s->statements[4].value), "(chain (call f (int 1)) (.x))");
  // A typed var and a var whose value is an identifier.
  s = ParseScript("var a = b\nvar c d", "t.tick");
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->statements[0].kind, ast::StmtKind::kVar);
  EXPECT_EQ(DumpExpr(*s->statements[0].value), "(ident b)");
  EXPECT_EQ(s->statements[1].kind, ast::StmtKind::kTypedVar);
  // A global call followed by an operator.
  EXPECT_EQ(VarDump("f(1) + 2"), "(+ (call f (int 1)) (int 2))");
}

TEST(ParserTest, Ranges) {
  const std::string text = "stream\n  |from()\n    .crit(lambda: \"usage_idle\" < 10)\n";
  auto s = ParseScript(text, "t.tick");
  ASSERT_THAT(s, IsOk());
  const ast::Statement& st = s->statements[0];
  auto sub = [&](SourceRange r) { return text.substr(r.begin, r.end - r.begin); };
  EXPECT_EQ(sub(st.range), "stream\n  |from()\n    .crit(lambda: \"usage_idle\" < 10)");
  const ast::Expr& chain = *st.value;
  EXPECT_EQ(sub(chain.args[0]->range), "stream");
  EXPECT_EQ(sub(chain.links[0].range), "|from()");
  EXPECT_EQ(sub(chain.links[0].name_range), "from");
  EXPECT_EQ(sub(chain.links[1].range), ".crit(lambda: \"usage_idle\" < 10)");
  const ast::Expr& lambda = *chain.links[1].args[0];
  EXPECT_EQ(sub(lambda.range), "lambda: \"usage_idle\" < 10");
  const ast::Expr& bin = *lambda.args[0];
  EXPECT_EQ(sub(bin.range), "\"usage_idle\" < 10");
  EXPECT_EQ(sub(bin.op_range), "<");
  EXPECT_EQ(sub(bin.args[0]->range), "\"usage_idle\"");
  EXPECT_EQ(sub(bin.args[1]->range), "10");
  EXPECT_EQ(s->source.name(), "t.tick");
}

TEST(ParserTest, Comments) {
  const std::string text =
      "// one\n  // two\n\n// three\nvar x = 1 // trailing\n// a\n/ continuation\nvar y = 2";
  auto s = ParseScript(text, "t.tick");
  ASSERT_THAT(s, IsOk());
  ASSERT_EQ(s->comments.size(), 3u);
  EXPECT_THAT(s->comments[0].lines, ::testing::ElementsAre(" one", " two"));
  EXPECT_THAT(s->comments[1].lines, ::testing::ElementsAre(" three"));
  EXPECT_THAT(s->comments[2].lines, ::testing::ElementsAre(" trailing", " a", " continuation"));
  EXPECT_EQ(text.substr(s->comments[0].range.begin,
                        s->comments[0].range.end - s->comments[0].range.begin),
            "// one\n  // two");
  ASSERT_EQ(s->statements.size(), 2u);
}

struct BadCase {
  const char* script;
  const char* diagnostic;
};

TEST(ParserTest, BadScripts) {
  const BadCase kCases[] = {
      {"stream\n  |alert().crit(lambda: \"usage_idle\" < )",
       "cpu.tick:2:40: error: expected an expression after '<'\n"
       "  |alert().crit(lambda: \"usage_idle\" < )\n"
       "                                       ^"},
      {"stream|alert().crit(lambda: \"a\" > 1",
       "cpu.tick:1:36: error: expected ')' to close the call to 'crit'\n"
       "stream|alert().crit(lambda: \"a\" > 1\n"
       "                                   ^"},
      {"var x = }", "cpu.tick:1:9: error: expected an expression after '='\nvar x = }\n        ^"},
      {"}", "cpu.tick:1:1: error: unexpected '}'\n}\n^"},
      {"stream\n\t|from()\n\t}", "cpu.tick:3:2: error: unexpected '}'\n\t}\n\t^"},
      {"var x = 09", "cpu.tick:1:9: error: illegal number syntax: \"09\"\nvar x = 09\n        ^"},
      {"var x = 9223372036854775808",
       "cpu.tick:1:9: error: illegal number syntax: \"9223372036854775808\"\n"
       "var x = 9223372036854775808\n        ^"},
      {"var x = 1.2.3",
       "cpu.tick:1:12: error: multiple decimals in number\nvar x = 1.2.3\n           ^"},
      {"var s = 'abc", "cpu.tick:1:9: error: unterminated string\nvar s = 'abc\n        ^"},
      {"var s = '''abc''", "cpu.tick:1:9: error: unterminated string\nvar s = '''abc''\n        ^"},
      {"var r = \"abc",
       "cpu.tick:1:9: error: unterminated field reference\nvar r = \"abc\n        ^"},
      {"var r = /abc", "cpu.tick:1:9: error: unterminated regex\nvar r = /abc\n        ^"},
      {"var r = /a(/",
       "cpu.tick:1:9: error: invalid regex: missing ): a(\nvar r = /a(/\n        ^"},
      {"var d = 100000000w",
       "cpu.tick:1:9: error: invalid duration \"100000000w\": out of range\n"
       "var d = 100000000w\n        ^"},
      {"stream|from().period(1h30m)",
       "cpu.tick:1:24: error: expected ')' to close the call to 'period'; a duration literal has a "
       "single unit (write e.g. '90m', not '1h30m')\n"
       "stream|from().period(1h30m)\n                       ^"},
      {"stream|from().period(1.5s)",
       "cpu.tick:1:25: error: expected ')' to close the call to 'period'; a duration literal is an "
       "integer with a unit (write e.g. '1500ms', not '1.5s')\n"
       "stream|from().period(1.5s)\n                        ^"},
      {"stream|from().period(1ns)",
       "cpu.tick:1:23: error: expected ')' to close the call to 'period'; 'ns' is not a duration "
       "unit (use u, ms, s, m, h, d or w)\n"
       "stream|from().period(1ns)\n                      ^"},
      {"var f = lambda: /x/",
       "cpu.tick:1:17: error: expected an expression after 'lambda:' (after a keyword '/' is a "
       "division, not a regex)\nvar f = lambda: /x/\n                ^"},
      {"var f = lambda: TRUE AND /x/",
       "cpu.tick:1:26: error: expected an expression after 'AND' (after a keyword '/' is a "
       "division, not a regex)\nvar f = lambda: TRUE AND /x/\n                         ^"},
      {"var f = lambda: *",
       "cpu.tick:1:17: error: expected an expression after 'lambda:' (after a keyword '*' is a "
       "multiplication)\nvar f = lambda: *\n                ^"},
      {"stream|from() * 2",
       "cpu.tick:1:15: error: unexpected '*'\nstream|from() * 2\n              ^"},
      {"stream|from()\n/x/", "cpu.tick:2:1: error: unexpected '/'\n/x/\n^"},
      {"var x = [a,,b]",
       "cpu.tick:1:12: error: expected an identifier, a string or '*' in the list, found ','\n"
       "var x = [a,,b]\n           ^"},
      {"var x = [a b]",
       "cpu.tick:1:12: error: expected ',' or ']' in the list, found 'b'\nvar x = [a b]\n"
       "           ^"},
      {"var x = [1]",
       "cpu.tick:1:10: error: expected an identifier, a string or '*' in the list, found '1'\n"
       "var x = [1]\n         ^"},
      {"stream|from()|alert",
       "cpu.tick:1:20: error: expected '(' after '|alert': a '|' node needs parentheses\n"
       "stream|from()|alert\n                   ^"},
      {"stream|", "cpu.tick:1:8: error: expected a node name after '|'\nstream|\n       ^"},
      {"stream.", "cpu.tick:1:8: error: expected a property name after '.'\nstream.\n       ^"},
      {"stream@1", "cpu.tick:1:8: error: expected a UDF name after '@'\nstream@1\n       ^"},
      {"stream|from(1,,2)",
       "cpu.tick:1:15: error: expected an argument after ',' in the call to 'from'\n"
       "stream|from(1,,2)\n              ^"},
      {"var f = lambda: abs(1,,2)",
       "cpu.tick:1:23: error: expected an argument after ',' in the call to 'abs'\n"
       "var f = lambda: abs(1,,2)\n                      ^"},
      {"var f = lambda: abs(1",
       "cpu.tick:1:22: error: expected ')' to close the call to 'abs'\n"
       "var f = lambda: abs(1\n                     ^"},
      {"var x = f(1",
       "cpu.tick:1:12: error: expected ')' to close the call to 'f'\nvar x = f(1\n           ^"},
      {"var x = (1 + 2",
       "cpu.tick:1:15: error: expected ')' to close '(', found end of input\nvar x = (1 + 2\n"
       "              ^"},
      {"var x = ()",
       "cpu.tick:1:10: error: expected an expression after '('\nvar x = ()\n         ^"},
      {"var x = -",
       "cpu.tick:1:10: error: expected an expression after '-'\nvar x = -\n         ^"},
      {"var x = !=",
       "cpu.tick:1:10: error: expected an expression after '!'\nvar x = !=\n         ^"},
      {"var _x = 1",
       "cpu.tick:1:5: error: expected a variable name after 'var'\nvar _x = 1\n    ^"},
      {"var x",
       "cpu.tick:1:6: error: expected '=' or a type after 'var x', found end of input\nvar x\n"
       "     ^"},
      {"var x == 1",
       "cpu.tick:1:7: error: expected '=' or a type after 'var x', found '='\nvar x == 1\n"
       "      ^"},
      {"var x // c\n= 1",
       "cpu.tick:2:1: error: expected '=' or a type after 'var x', found '='\n= 1\n^"},
      {"dbrp 'db'.\"rp\"",
       "cpu.tick:1:6: error: expected a \"database\" reference after 'dbrp'\n"
       "dbrp 'db'.\"rp\"\n     ^"},
      {"dbrp \"db\"",
       "cpu.tick:1:10: error: expected '.' between database and retention policy in 'dbrp'\n"
       "dbrp \"db\"\n         ^"},
      {"dbrp \"db\".",
       "cpu.tick:1:11: error: expected a \"retention policy\" reference after '.'\n"
       "dbrp \"db\".\n          ^"},
      {"var x = a +\n  // comment\n  )",
       "cpu.tick:3:3: error: expected an expression after '+'\n  )\n  ^"},
      {"var x = 1\nvar y = \xff",
       "cpu.tick:2:9: error: expected an expression after '='\nvar y = \xff\n        ^"},
      {"\xff", "cpu.tick:1:1: error: unexpected byte 0xff\n\xff\n^"},
      {"var x = _a",
       "cpu.tick:1:9: error: expected an expression after '='\nvar x = _a\n        ^"},
      {"var x = AND",
       "cpu.tick:1:9: error: expected an expression after '='\nvar x = AND\n        ^"},
  };
  for (const BadCase& c : kCases) {
    EXPECT_EQ(Error(c.script), c.diagnostic) << c.script;
  }
}

// Loads tests/grammar/bad_scripts: blocks "=== name\n<script>\n--- diagnostic\n<text>\n".
TEST(ParserTest, BadScriptsFileAndNoPegtlNames) {
  std::ifstream in(std::string(TICK_SOURCE_DIR) + "/tests/grammar/bad_scripts");
  ASSERT_TRUE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string all = ss.str();
  size_t pos = 0, count = 0;
  while ((pos = all.find("=== ", pos)) != std::string::npos) {
    const size_t name_end = all.find('\n', pos);
    const std::string name = all.substr(pos + 4, name_end - pos - 4);
    const size_t sep = all.find("\n--- diagnostic\n", name_end);
    ASSERT_NE(sep, std::string::npos) << name;
    const std::string script = all.substr(name_end + 1, sep - name_end - 1);
    size_t next = all.find("\n=== ", sep + 16);
    const std::string expected =
        all.substr(sep + 16, (next == std::string::npos ? all.size() - 1 : next) - sep - 16);
    auto s = ParseScript(script, "bad.tick");
    ASSERT_FALSE(s.ok()) << name;
    const std::string msg(s.status().message());
    EXPECT_EQ(msg, expected) << name;
    EXPECT_THAT(msg, Not(HasSubstr("tao::"))) << name;
    EXPECT_THAT(msg, Not(HasSubstr("pegtl"))) << name;
    EXPECT_EQ(msg.rfind("bad.tick:", 0), 0u) << name;
    ++count;
    pos = next == std::string::npos ? all.size() : next + 1;
  }
  EXPECT_GE(count, 10u);
}

TEST(ParserTest, StatusCodeAndPayload) {
  auto s = ParseScript("var x = (1", "p.tick");
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("p.tick:1:11: error:")));
  auto payload = s.status().GetPayload("tick/source-location");
  ASSERT_TRUE(payload.has_value());
  EXPECT_EQ(std::string(*payload), "1:11");
}

TEST(ParserTest, NestingIsLimited) {
  const std::string deep_parens = std::string(5000, '(') + "1" + std::string(5000, ')');
  EXPECT_THAT(
      ParseScript("var x = " + deep_parens, "d.tick"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("expression nested too deeply")));
  EXPECT_THAT(
      ParseScript("var x = " + std::string(100000, '-') + "1", "d.tick"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("expression nested too deeply")));
  std::string long_sum = "var x = 1";
  for (int i = 0; i < 5000; ++i) long_sum += " + 1";
  EXPECT_THAT(ParseScript(long_sum, "d.tick"), StatusIs(absl::StatusCode::kInvalidArgument,
                                                        HasSubstr("expression nested too deeply")));
  std::string calls = "var x = ";
  for (int i = 0; i < 5000; ++i) calls += "f(";
  EXPECT_THAT(ParseScript(calls, "d.tick"), StatusIs(absl::StatusCode::kInvalidArgument,
                                                     HasSubstr("expression nested too deeply")));
  // Moderate nesting is fine, and long chains are flat.
  EXPECT_THAT(ParseScript("var x = " + std::string(100, '(') + "1" + std::string(100, ')'), "ok"),
              IsOk());
  std::string chain = "stream";
  for (int i = 0; i < 20000; ++i) chain += "|f()";
  auto s = ParseScript(chain, "c.tick");
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->statements[0].value->links.size(), 20000u);
}

TEST(ParserTest, ParseLambdaBody) {
  EXPECT_EQ(LambdaDump("\"level\" == 'CRITICAL' OR changed"),
            "(OR (== (ref \"level\") (string \"CRITICAL\")) (ident changed))");
  EXPECT_EQ(LambdaDump("  /re/ "), "(regex \"re\")");
  EXPECT_EQ(LambdaDump("1 2"), "l.tick:1:3: error: unexpected '2' after the expression\n1 2\n  ^");
  EXPECT_EQ(LambdaDump(""), "l.tick:1:1: error: expected an expression, found end of input\n\n^");
  // Lambda call arguments are PrimaryExprs: no list, no lambda (parser.go lparameter).
  EXPECT_EQ(LambdaDump("f([x])"),
            "l.tick:1:3: error: expected ')' to close the call to 'f'\nf([x])\n  ^");
  EXPECT_EQ(LambdaDump("lambda: 1"),
            "l.tick:1:1: error: expected an expression, found 'lambda:'\nlambda: 1\n^");
}

TEST(ParserTest, GrammarAnalysisFindsNoIssues) { EXPECT_EQ(AnalyzeGrammarForTest(), 0u); }

TEST(ParserTest, CloneIsDeep) {
  auto s = ParseScript("stream|alert().crit(lambda: -\"a\" > 1 AND f(\"x\", 2m)).id([x, 'y'])",
                       "t.tick");
  ASSERT_THAT(s, IsOk());
  ast::ExprPtr copy = s->statements[0].value->Clone();
  EXPECT_EQ(DumpExpr(*copy), DumpExpr(*s->statements[0].value));
  EXPECT_EQ(copy->links[1].args[0]->range, s->statements[0].value->links[1].args[0]->range);
}

// A parsed Script owns its tree's memory (an arena): reassigning or moving the Script releases
// the old tree before its arena, clones are independent of it, and heap-made Exprs may be mixed
// into an arena tree (run under ASan to see the ownership hold).
TEST(ParserTest, ScriptOwnsItsTree) {
  ast::ExprPtr copy;
  {
    auto s = ParseScript("var x = 1 + 'a long string literal, not inline'\nvar y = /r+/", "t.tick");
    ASSERT_THAT(s, IsOk());
    ASSERT_NE(s->arena, nullptr);
    copy = s->statements[0].value->Clone();
    auto extra = std::make_unique<ast::Expr>();
    extra->kind = ast::ExprKind::kString;
    extra->text = "a heap-allocated node with a long text";
    s->statements[1].value->args.push_back(std::move(extra));
    ast::Script moved = std::move(*s);
    EXPECT_EQ(DumpExpr(*moved.statements[1].value), "(regex \"r+\")");
    s = ParseScript("var z = 3", "t.tick");
    ASSERT_THAT(s, IsOk());
    EXPECT_EQ(DumpExpr(*s->statements[0].value), "(int 3)");
    moved = std::move(*s);
    EXPECT_EQ(DumpExpr(*moved.statements[0].value), "(int 3)");
  }
  EXPECT_EQ(DumpExpr(*copy), "(+ (int 1) (string \"a long string literal, not inline\"))");
}

// scripts/*.tick with a sibling .ast: the dump must match (TICK_UPDATE_GOLDEN=1 rewrites).
TEST(ParserTest, GoldenScripts) {
  namespace fs = std::filesystem;
  const bool update = std::getenv("TICK_UPDATE_GOLDEN") != nullptr &&
                      std::string(std::getenv("TICK_UPDATE_GOLDEN")) == "1";
  const fs::path dir = fs::path(TICK_SOURCE_DIR) / "scripts";
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".tick") continue;
    fs::path ast_path = entry.path();
    ast_path.replace_extension(".ast");
    if (!fs::exists(ast_path) && !update) continue;
    if (!fs::exists(ast_path)) continue;  // only scripts that opted in with an .ast file
    std::ifstream in(entry.path());
    std::stringstream ss;
    ss << in.rdbuf();
    auto s = ParseScript(ss.str(), entry.path().filename().string());
    ASSERT_THAT(s, IsOk()) << entry.path();
    const std::string dump = DumpAst(*s);
    if (update) {
      std::ofstream(ast_path) << dump;
    } else {
      std::ifstream want_in(ast_path);
      std::stringstream want;
      want << want_in.rdbuf();
      EXPECT_EQ(dump, want.str()) << entry.path();
    }
    ++checked;
  }
  EXPECT_GE(checked, 6);
}

}  // namespace
}  // namespace tick::grammar
