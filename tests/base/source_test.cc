#include "base/source.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tick {
namespace {

TEST(SourceFileTest, LocatesLinesAndColumns) {
  SourceFile f("cpu.tick", "stream\n  |from()\r\n\t.x");
  EXPECT_EQ(f.Locate(0), (LineCol{1, 1}));
  EXPECT_EQ(f.Locate(6), (LineCol{1, 7}));
  EXPECT_EQ(f.Locate(7), (LineCol{2, 1}));
  EXPECT_EQ(f.Locate(9), (LineCol{2, 3}));
  EXPECT_EQ(f.Locate(18), (LineCol{3, 1}));
  EXPECT_EQ(f.Locate(19), (LineCol{3, 2}));
  EXPECT_EQ(f.Locate(1000), (LineCol{3, 4}));
  EXPECT_EQ(f.Line(2), "  |from()");
  EXPECT_EQ(f.Line(3), "\t.x");
  EXPECT_EQ(f.Line(4), "");
}

TEST(SourceFileTest, FormatsCompilerStyleDiagnostic) {
  SourceFile f("cpu.tick", "stream\n  |from()\n  |alert().crit(lambda: \"usage_idle\" < )\n");
  const std::string text = f.FormatError(7 + 10 + 39, "expected an expression after '<'");
  EXPECT_EQ(text,
            "cpu.tick:3:40: error: expected an expression after '<'\n"
            "  |alert().crit(lambda: \"usage_idle\" < )\n"
            "                                       ^");
}

TEST(SourceFileTest, CaretKeepsTabs) {
  EXPECT_EQ(CaretLine("\t\t.crit(x)", 4), "\t\t ^");
  EXPECT_EQ(FormatLineDiagnostic("input", 2, 5, "bad", "ab\tcd", Severity::kWarning),
            "input:2:5: warning: bad\nab\tcd\n  \t ^");
}

TEST(SourceFileTest, FormatAllSortsByOffset) {
  SourceFile f("a.tick", "abc\ndef");
  EXPECT_EQ(f.FormatAll({{5, Severity::kError, "second"}, {1, Severity::kError, "first"}}),
            "a.tick:1:2: error: first\nabc\n ^\na.tick:2:2: error: second\ndef\n ^");
}

TEST(SourceFileTest, SourceLocationPayload) {
  absl::Status s = absl::InvalidArgumentError("x");
  SetSourceLocation(s, LineCol{3, 7});
  auto p = s.GetPayload("tick/source-location");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(std::string(*p), "3:7");
}

}  // namespace
}  // namespace tick
