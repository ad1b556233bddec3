// Tests for grammar/formatter.h: exact output for small scripts, golden files
// (scripts/fmt/NAME.tick -> NAME.golden) and idempotence over every scripts/**/*.tick.
#include "grammar/formatter.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "base/strings.h"
#include "gmock/gmock.h"
#include "grammar/parser.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace tick::grammar {
namespace {

namespace fs = std::filesystem;
using ::tick::testing::IsOk;

std::string Fmt(std::string_view text) {
  absl::StatusOr<ast::Script> script = ParseScript(text, "t.tick");
  if (!script.ok()) return "PARSE: " + std::string(Sv(script.status().message()));
  return FormatScript(*script);
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(FormatterTest, ChainLayout) {
  EXPECT_EQ(Fmt("stream|from().measurement('cpu')|alert().crit(lambda:\"v\">10)"),
            "stream\n"
            "\t|from()\n"
            "\t\t.measurement('cpu')\n"
            "\t|alert()\n"
            "\t\t.crit(lambda: \"v\" > 10)\n");
}

TEST(FormatterTest, StatementsAreSeparatedByBlankLines) {
  EXPECT_EQ(Fmt("var a = 1 var b = 'x'\ndbrp \"db\".\"rp\" var c int"),
            "var a = 1\n"
            "\n"
            "var b = 'x'\n"
            "\n"
            "dbrp \"db\".\"rp\"\n"
            "\n"
            "var c int\n");
}

TEST(FormatterTest, VarHoldingAChain) {
  EXPECT_EQ(Fmt("var data = stream|from()\ndata|httpOut('x')"),
            "var data = stream\n"
            "\t|from()\n"
            "\n"
            "data\n"
            "\t|httpOut('x')\n");
}

TEST(FormatterTest, Literals) {
  EXPECT_EQ(Fmt("var a = 1.50"), "var a = 1.5\n");
  EXPECT_EQ(Fmt("var a = .5"), "var a = 0.5\n");
  EXPECT_EQ(Fmt("var a = 3.0"), "var a = 3.0\n");
  EXPECT_EQ(Fmt("var a = 0644"), "var a = 0644\n");
  EXPECT_EQ(Fmt("var a = 10ms"), "var a = 10ms\n");
  EXPECT_EQ(Fmt("var a = 'don\\'t'"), "var a = 'don\\'t'\n");
  EXPECT_EQ(Fmt("var a = '''it's'''"), "var a = '''it's'''\n");
  EXPECT_EQ(Fmt("var a = FALSE"), "var a = FALSE\n");
  EXPECT_EQ(Fmt("var a = /a\\/b/"), "var a = /a\\/b/\n");
  EXPECT_EQ(Fmt("var a = [ 'x' ,* ]"), "var a = ['x', *]\n");
}

TEST(FormatterTest, LambdaSpacingAndParens) {
  EXPECT_EQ(Fmt("var l = lambda:(\"a\"+1)*2>=-\"b\"AND!\"c\""),
            "var l = lambda: (\"a\" + 1) * 2 >= -\"b\" AND !\"c\"\n");
  EXPECT_EQ(Fmt("var l = lambda: sigma(\"x\",  2)"), "var l = lambda: sigma(\"x\", 2)\n");
  EXPECT_EQ(Fmt("var l = lambda: \"we\\\"ird\" == 'x'"), "var l = lambda: \"we\\\"ird\" == 'x'\n");
}

TEST(FormatterTest, CommentsAreKept) {
  EXPECT_EQ(Fmt("//a\n//   b\n\n// c\nvar x = 1\nstream\n // to window\n|window()\n"
                "  // the period\n  .period(1m)\n// end"),
            "// a\n"
            "//   b\n"
            "\n"
            "// c\n"
            "var x = 1\n"
            "\n"
            "stream\n"
            "\t// to window\n"
            "\t|window()\n"
            "\t\t// the period\n"
            "\t\t.period(1m)\n"
            "\n"
            "// end\n");
}

TEST(FormatterTest, EmptyScript) {
  EXPECT_EQ(Fmt(""), "");
  EXPECT_EQ(Fmt("// only\n"), "// only\n");
}

TEST(FormatterTest, Goldens) {
  int n = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(TICK_SOURCE_DIR) / "scripts/fmt")) {
    if (entry.path().extension() != ".tick") continue;
    fs::path golden = entry.path();
    golden.replace_extension(".golden");
    ASSERT_TRUE(fs::exists(golden)) << golden;
    const std::string want = ReadAll(golden);
    EXPECT_EQ(Fmt(ReadAll(entry.path())), want) << entry.path();
    // A golden file is a fixed point.
    EXPECT_EQ(Fmt(want), want) << golden;
    ++n;
  }
  EXPECT_GE(n, 2);
}

TEST(FormatterTest, IdempotentOverAllScripts) {
  int n = 0;
  for (const auto& entry :
       fs::recursive_directory_iterator(fs::path(TICK_SOURCE_DIR) / "scripts")) {
    if (entry.path().extension() != ".tick") continue;
    absl::StatusOr<ast::Script> script = ParseScript(ReadAll(entry.path()), "x.tick");
    if (!script.ok()) continue;  // parse-error corpus
    const std::string once = FormatScript(*script);
    absl::StatusOr<ast::Script> again = ParseScript(once, "x.tick");
    ASSERT_THAT(again, IsOk()) << entry.path() << "\n" << once;
    EXPECT_EQ(FormatScript(*again), once) << entry.path();
    ++n;
  }
  EXPECT_GE(n, 6);
}

}  // namespace
}  // namespace tick::grammar
