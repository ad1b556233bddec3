// Table-driven tests of the line-protocol grammar (nodes/line_protocol.h): every accepted form
// and every diagnostic, pinned exactly (caret line included).
#include "nodes/line_protocol.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nodes/point.h"

namespace tick::nodes {
namespace {

using interp::Value;

constexpr int64_t kDefaultTime = 42;

ParsedInput Parse(std::string_view text, Precision precision = Precision::kNanosecond) {
  ReaderOptions o;
  o.default_time = kDefaultTime;
  o.precision = precision;
  return ParseAll(text, o);
}

struct ValidCase {
  std::string input;
  std::string canonical;  // ToLineProtocol of the single parsed point
};

class ValidLineTest : public ::testing::TestWithParam<ValidCase> {};

TEST_P(ValidLineTest, ParsesToCanonicalForm) {
  const ValidCase& c = GetParam();
  const ParsedInput in = Parse(c.input);
  EXPECT_THAT(in.errors, ::testing::IsEmpty());
  ASSERT_EQ(in.points.size(), 1u) << c.input;
  EXPECT_EQ(ToLineProtocol(in.points[0]), c.canonical) << c.input;
  EXPECT_EQ(in.stats.points, 1u);
  EXPECT_EQ(in.stats.errors, 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Grammar, ValidLineTest,
    ::testing::Values(
        // The reference line.
        ValidCase{"cpu,host=server01,region=us-west usage_idle=5.0,usage_user=80.1 "
                  "1465839830100400200",
                  "cpu,host=server01,region=us-west usage_idle=5.0,usage_user=80.1 "
                  "1465839830100400200"},
        // Timestamp is optional: the default time is used.
        ValidCase{"cpu value=1", "cpu value=1.0 42"}, ValidCase{"cpu value=1 ", "cpu value=1.0 42"},
        ValidCase{"cpu value=1 0", "cpu value=1.0 0"},
        ValidCase{"cpu value=1 -1465839830", "cpu value=1.0 -1465839830"},
        ValidCase{"cpu value=1 9223372036854775807", "cpu value=1.0 9223372036854775807"},
        ValidCase{"cpu value=1 -9223372036854775808", "cpu value=1.0 -9223372036854775808"},
        ValidCase{"cpu value=1 0000000001", "cpu value=1.0 1"},
        // Floats.
        ValidCase{"cpu v=-1.5", "cpu v=-1.5 42"}, ValidCase{"cpu v=.5", "cpu v=0.5 42"},
        ValidCase{"cpu v=5.", "cpu v=5.0 42"}, ValidCase{"cpu v=007", "cpu v=7.0 42"},
        ValidCase{"cpu v=-0", "cpu v=-0.0 42"}, ValidCase{"cpu v=1e3", "cpu v=1000.0 42"},
        ValidCase{"cpu v=1E-3", "cpu v=0.001 42"}, ValidCase{"cpu v=1.5e+10", "cpu v=1.5e+10 42"},
        ValidCase{"cpu v=0.1", "cpu v=0.1 42"},
        ValidCase{"cpu v=123456789012345678", "cpu v=123456789012345680.0 42"},
        ValidCase{"cpu v=0.30000000000000004", "cpu v=0.30000000000000004 42"},
        ValidCase{"cpu v=1.7976931348623157e308", "cpu v=1.7976931348623157e+308 42"},
        ValidCase{"cpu v=4.9e-324", "cpu v=5e-324 42"}, ValidCase{"cpu v=1e-400", "cpu v=0.0 42"},
        // Integers and unsigned integers.
        ValidCase{"cpu v=1i", "cpu v=1i 42"}, ValidCase{"cpu v=-0i", "cpu v=0i 42"},
        ValidCase{"cpu v=9223372036854775807i", "cpu v=9223372036854775807i 42"},
        ValidCase{"cpu v=-9223372036854775808i", "cpu v=-9223372036854775808i 42"},
        ValidCase{"cpu v=0u", "cpu v=0u 42"},
        ValidCase{"cpu v=18446744073709551615u", "cpu v=18446744073709551615u 42"},
        // Strings: `\"` and `\\` are escapes, any other backslash is literal.
        ValidCase{R"(cpu s="hello world")", R"(cpu s="hello world" 42)"},
        ValidCase{R"(cpu s="")", R"(cpu s="" 42)"},
        ValidCase{R"(cpu s="a \"q\" b")", R"(cpu s="a \"q\" b" 42)"},
        ValidCase{R"(cpu s="back\\slash")", R"(cpu s="back\\slash" 42)"},
        ValidCase{R"(cpu s="lone\x")", R"(cpu s="lone\\x" 42)"},
        ValidCase{R"(cpu s="a,b=c d",t="x" 7)", R"(cpu s="a,b=c d",t="x" 7)"},
        ValidCase{"cpu s=\"tab\there\"", "cpu s=\"tab\there\" 42"},
        // Every boolean spelling.
        ValidCase{"cpu b=t", "cpu b=true 42"}, ValidCase{"cpu b=T", "cpu b=true 42"},
        ValidCase{"cpu b=true", "cpu b=true 42"}, ValidCase{"cpu b=True", "cpu b=true 42"},
        ValidCase{"cpu b=TRUE", "cpu b=true 42"}, ValidCase{"cpu b=f", "cpu b=false 42"},
        ValidCase{"cpu b=F", "cpu b=false 42"}, ValidCase{"cpu b=false", "cpu b=false 42"},
        ValidCase{"cpu b=False", "cpu b=false 42"}, ValidCase{"cpu b=FALSE", "cpu b=false 42"},
        // Mixed kinds in one line.
        ValidCase{R"(cpu a=1i,b=2u,c=3,d="x",e=t 1)", R"(cpu a=1i,b=2u,c=3.0,d="x",e=true 1)"},
        // Escapes: measurement `\,` `\ `; keys and tag values `\,` `\=` `\ `.
        ValidCase{R"(my\ meas\,x v=1 1)", R"(my\ meas\,x v=1.0 1)"},
        ValidCase{R"(a=b v=1 1)", R"(a=b v=1.0 1)"},
        ValidCase{R"(cpu\=x v=1 1)", R"(cpu\=x v=1.0 1)"},
        ValidCase{R"(cpu,t\ k\=x=v\,a\ b\=c f\ k\=\,=1 7)",
                  R"(cpu,t\ k\=x=v\,a\ b\=c f\ k\=\,=1.0 7)"},
        ValidCase{R"(cpu,a=b\c v=1 1)", R"(cpu,a=b\c v=1.0 1)"},
        ValidCase{R"(cpu,a=b\\c v=1 1)", R"(cpu,a=b\\c v=1.0 1)"},
        ValidCase{R"(cpu,a="q" "f"=1 1)", R"(cpu,a="q" "f"=1.0 1)"},
        ValidCase{"温度,地点=東京 値=1 1", "温度,地点=東京 値=1.0 1"},
        // Tags are sorted by key.
        ValidCase{"cpu,z=1,a=2,m=3 v=1 1", "cpu,a=2,m=3,z=1 v=1.0 1"},
        ValidCase{"cpu,B=1,a=2,A=3 v=1 1", "cpu,A=3,B=1,a=2 v=1.0 1"},
        // Fields are sorted by key; a repeated field keeps the last value.
        ValidCase{"cpu b=1,a=2 1", "cpu a=2.0,b=1.0 1"},
        ValidCase{"cpu b=1,a=2,b=3 5", "cpu a=2.0,b=3.0 5"},
        ValidCase{"cpu a=1,a=2i 5", "cpu a=2i 5"},
        ValidCase{"cpu a=1,a=\"s\",a=t 5", "cpu a=true 5"},
        // Whitespace: leading blanks, several spaces between sections, trailing spaces.
        ValidCase{"  \tcpu v=1 5", "cpu v=1.0 5"}, ValidCase{"cpu   v=1   5   ", "cpu v=1.0 5"},
        ValidCase{"cpu,host=a \tv=1 5", "cpu,host=a v=1.0 5"}));

struct ErrorCase {
  std::string input;
  std::string diagnostic;
};

class ErrorLineTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ErrorLineTest, ReportsExactDiagnostic) {
  const ErrorCase& c = GetParam();
  const ParsedInput in = Parse(c.input);
  EXPECT_THAT(in.points, ::testing::IsEmpty()) << c.input;
  ASSERT_EQ(in.errors.size(), 1u) << c.input;
  EXPECT_EQ(in.errors[0], c.diagnostic);
  EXPECT_EQ(in.stats.errors, 1u);
  EXPECT_EQ(in.stats.lines, 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Diagnostics, ErrorLineTest,
    ::testing::Values(
        ErrorCase{"cpu usage_idle=",
                  "input:1:16: error: missing field value for key \"usage_idle\"\n"
                  "cpu usage_idle=\n"
                  "               ^"},
        ErrorCase{"cpu usage_idle=,x=1",
                  "input:1:16: error: missing field value for key \"usage_idle\"\n"
                  "cpu usage_idle=,x=1\n"
                  "               ^"},
        ErrorCase{"cpu usage_idle= 1",
                  "input:1:16: error: missing field value for key \"usage_idle\"\n"
                  "cpu usage_idle= 1\n"
                  "               ^"},
        ErrorCase{"cpu value=12x",
                  "input:1:11: error: invalid integer \"12x\"\n"
                  "cpu value=12x\n"
                  "          ^"},
        ErrorCase{"cpu value=1.5i",
                  "input:1:11: error: invalid integer \"1.5i\"\n"
                  "cpu value=1.5i\n"
                  "          ^"},
        ErrorCase{"cpu value=-i",
                  "input:1:11: error: invalid integer \"-i\"\n"
                  "cpu value=-i\n"
                  "          ^"},
        ErrorCase{"cpu value=1.2.3",
                  "input:1:11: error: invalid float \"1.2.3\"\n"
                  "cpu value=1.2.3\n"
                  "          ^"},
        ErrorCase{"cpu value=1e",
                  "input:1:11: error: invalid float \"1e\"\n"
                  "cpu value=1e\n"
                  "          ^"},
        ErrorCase{"cpu value=-",
                  "input:1:11: error: invalid number \"-\"\n"
                  "cpu value=-\n"
                  "          ^"},
        ErrorCase{"cpu value=.",
                  "input:1:11: error: invalid number \".\"\n"
                  "cpu value=.\n"
                  "          ^"},
        ErrorCase{"cpu value=-inf",
                  "input:1:11: error: invalid number \"-inf\"\n"
                  "cpu value=-inf\n"
                  "          ^"},
        ErrorCase{"cpu v=99999999999999999999i",
                  "input:1:7: error: integer \"99999999999999999999i\" out of range\n"
                  "cpu v=99999999999999999999i\n"
                  "      ^"},
        ErrorCase{"cpu v=-9223372036854775809i",
                  "input:1:7: error: integer \"-9223372036854775809i\" out of range\n"
                  "cpu v=-9223372036854775809i\n"
                  "      ^"},
        ErrorCase{"cpu v=18446744073709551616u",
                  "input:1:7: error: unsigned integer \"18446744073709551616u\" out of range\n"
                  "cpu v=18446744073709551616u\n"
                  "      ^"},
        ErrorCase{"cpu v=-1u",
                  "input:1:7: error: invalid unsigned integer \"-1u\"\n"
                  "cpu v=-1u\n"
                  "      ^"},
        ErrorCase{"cpu v=1e400",
                  "input:1:7: error: float \"1e400\" out of range\n"
                  "cpu v=1e400\n"
                  "      ^"},
        ErrorCase{"cpu v=tru",
                  "input:1:7: error: invalid boolean \"tru\"\n"
                  "cpu v=tru\n"
                  "      ^"},
        ErrorCase{"cpu v=tRUE",
                  "input:1:7: error: invalid boolean \"tRUE\"\n"
                  "cpu v=tRUE\n"
                  "      ^"},
        ErrorCase{"cpu v=Falsey",
                  "input:1:7: error: invalid boolean \"Falsey\"\n"
                  "cpu v=Falsey\n"
                  "      ^"},
        ErrorCase{"cpu v=abc",
                  "input:1:7: error: invalid field value \"abc\" for key \"v\": "
                  "expected a number, a boolean or a double-quoted string\n"
                  "cpu v=abc\n"
                  "      ^"},
        ErrorCase{"cpu v=NaN",
                  "input:1:7: error: invalid field value \"NaN\" for key \"v\": "
                  "expected a number, a boolean or a double-quoted string\n"
                  "cpu v=NaN\n"
                  "      ^"},
        ErrorCase{"cpu v=+5",
                  "input:1:7: error: invalid field value \"+5\" for key \"v\": "
                  "expected a number, a boolean or a double-quoted string\n"
                  "cpu v=+5\n"
                  "      ^"},
        ErrorCase{"cpu",
                  "input:1:4: error: missing fields\n"
                  "cpu\n"
                  "   ^"},
        ErrorCase{"cpu ",
                  "input:1:5: error: missing fields\n"
                  "cpu \n"
                  "    ^"},
        ErrorCase{"cpu,host=a",
                  "input:1:11: error: missing fields\n"
                  "cpu,host=a\n"
                  "          ^"},
        ErrorCase{"cpu,host=a ",
                  "input:1:12: error: missing fields\n"
                  "cpu,host=a \n"
                  "           ^"},
        ErrorCase{",host=a v=1",
                  "input:1:1: error: missing measurement\n"
                  ",host=a v=1\n"
                  "^"},
        ErrorCase{"cpu,=a v=1",
                  "input:1:5: error: missing tag key\n"
                  "cpu,=a v=1\n"
                  "    ^"},
        ErrorCase{"cpu, v=1",
                  "input:1:5: error: missing tag key\n"
                  "cpu, v=1\n"
                  "    ^"},
        ErrorCase{"cpu,host v=1",
                  "input:1:9: error: missing '=' after tag key \"host\"\n"
                  "cpu,host v=1\n"
                  "        ^"},
        ErrorCase{"cpu,host",
                  "input:1:9: error: missing '=' after tag key \"host\"\n"
                  "cpu,host\n"
                  "        ^"},
        ErrorCase{"cpu,host= v=1",
                  "input:1:10: error: missing tag value for key \"host\"\n"
                  "cpu,host= v=1\n"
                  "         ^"},
        ErrorCase{"cpu,host=,a=b v=1",
                  "input:1:10: error: missing tag value for key \"host\"\n"
                  "cpu,host=,a=b v=1\n"
                  "         ^"},
        ErrorCase{
            "cpu,a=b=c v=1",
            "input:1:8: error: unexpected '=' in the value of tag \"a\" (escape it as '\\=')\n"
            "cpu,a=b=c v=1\n"
            "       ^"},
        ErrorCase{"cpu,host=a,host=b v=1",
                  "input:1:12: error: duplicate tag key \"host\"\n"
                  "cpu,host=a,host=b v=1\n"
                  "           ^"},
        ErrorCase{"cpu,b=1,a=2,b=3 v=1",
                  "input:1:13: error: duplicate tag key \"b\"\n"
                  "cpu,b=1,a=2,b=3 v=1\n"
                  "            ^"},
        ErrorCase{"cpu =1",
                  "input:1:5: error: missing field key\n"
                  "cpu =1\n"
                  "    ^"},
        ErrorCase{"cpu v=1,",
                  "input:1:9: error: missing field key\n"
                  "cpu v=1,\n"
                  "        ^"},
        ErrorCase{"cpu v=1,,w=2",
                  "input:1:9: error: missing field key\n"
                  "cpu v=1,,w=2\n"
                  "        ^"},
        ErrorCase{"cpu v=1, w=2",
                  "input:1:9: error: missing field key\n"
                  "cpu v=1, w=2\n"
                  "        ^"},
        ErrorCase{"cpu v=1,w",
                  "input:1:10: error: missing '=' after field key \"w\"\n"
                  "cpu v=1,w\n"
                  "         ^"},
        ErrorCase{"cpu value",
                  "input:1:10: error: missing '=' after field key \"value\"\n"
                  "cpu value\n"
                  "         ^"},
        ErrorCase{"cpu s=\"abc",
                  "input:1:7: error: unterminated string value for key \"s\"\n"
                  "cpu s=\"abc\n"
                  "      ^"},
        ErrorCase{"cpu s=\"abc\\\"",
                  "input:1:7: error: unterminated string value for key \"s\"\n"
                  "cpu s=\"abc\\\"\n"
                  "      ^"},
        ErrorCase{"cpu s=\"abc\"x",
                  "input:1:12: error: expected ',' or ' ' after the string value for key \"s\"\n"
                  "cpu s=\"abc\"x\n"
                  "           ^"},
        ErrorCase{"cpu v=1 12a",
                  "input:1:9: error: invalid timestamp \"12a\"\n"
                  "cpu v=1 12a\n"
                  "        ^"},
        ErrorCase{"cpu v=1 -",
                  "input:1:9: error: invalid timestamp \"-\"\n"
                  "cpu v=1 -\n"
                  "        ^"},
        ErrorCase{"cpu v=1 1.5",
                  "input:1:9: error: invalid timestamp \"1.5\"\n"
                  "cpu v=1 1.5\n"
                  "        ^"},
        ErrorCase{"cpu v=1 99999999999999999999",
                  "input:1:9: error: timestamp \"99999999999999999999\" out of range\n"
                  "cpu v=1 99999999999999999999\n"
                  "        ^"},
        ErrorCase{"cpu v=1 9223372036854775808",
                  "input:1:9: error: timestamp \"9223372036854775808\" out of range\n"
                  "cpu v=1 9223372036854775808\n"
                  "        ^"},
        ErrorCase{"cpu v=1 1 x",
                  "input:1:11: error: unexpected \"x\" after the timestamp\n"
                  "cpu v=1 1 x\n"
                  "          ^"},
        ErrorCase{"\tcpu v=1i,w=oops",
                  "input:1:13: error: invalid field value \"oops\" for key \"w\": expected a "
                  "number, a boolean or a double-quoted string\n"
                  "\tcpu v=1i,w=oops\n"
                  "\t           ^"},
        ErrorCase{"cpu v=123456789012345678901234567890123456789012345678901234567890x",
                  "input:1:7: error: invalid integer "
                  "\"1234567890123456789012345678901234567890...\"\n"
                  "cpu v=123456789012345678901234567890123456789012345678901234567890x\n"
                  "      ^"}));

TEST(LineProtocolTest, PrecisionScalesTimestamps) {
  const struct {
    Precision precision;
    int64_t expected;
  } cases[] = {
      {Precision::kNanosecond, 5},           {Precision::kMicrosecond, 5'000},
      {Precision::kMillisecond, 5'000'000},  {Precision::kSecond, 5'000'000'000},
      {Precision::kMinute, 300'000'000'000}, {Precision::kHour, 18'000'000'000'000},
  };
  for (const auto& c : cases) {
    const ParsedInput in = Parse("cpu v=1 5", c.precision);
    ASSERT_EQ(in.points.size(), 1u) << PrecisionName(c.precision);
    EXPECT_EQ(in.points[0].time(), c.expected) << PrecisionName(c.precision);
  }
  // Negative timestamps scale too; the default time is never scaled.
  EXPECT_EQ(Parse("cpu v=1 -2", Precision::kSecond).points[0].time(), -2'000'000'000);
  EXPECT_EQ(Parse("cpu v=1", Precision::kHour).points[0].time(), kDefaultTime);
}

TEST(LineProtocolTest, PrecisionOverflowIsAnError) {
  ParsedInput in = Parse("cpu v=1 9223372037", Precision::kSecond);
  ASSERT_EQ(in.errors.size(), 1u);
  EXPECT_EQ(in.errors[0],
            "input:1:9: error: timestamp \"9223372037\" out of range for precision \"s\"\n"
            "cpu v=1 9223372037\n"
            "        ^");
  // The largest representable second.
  in = Parse("cpu v=1 9223372036", Precision::kSecond);
  ASSERT_EQ(in.points.size(), 1u);
  EXPECT_EQ(in.points[0].time(), 9'223'372'036'000'000'000);
  in = Parse("cpu v=1 -2562047", Precision::kHour);
  ASSERT_EQ(in.points.size(), 1u);
  EXPECT_EQ(in.points[0].time(), -2'562'047LL * 3'600'000'000'000LL);
  in = Parse("cpu v=1 2562048", Precision::kHour);
  ASSERT_EQ(in.errors.size(), 1u);
  EXPECT_THAT(in.errors[0], ::testing::HasSubstr("out of range for precision \"h\""));
}

TEST(LineProtocolTest, PrecisionNames) {
  EXPECT_EQ(ParsePrecision("ns"), Precision::kNanosecond);
  EXPECT_EQ(ParsePrecision("n"), Precision::kNanosecond);
  EXPECT_EQ(ParsePrecision("us"), Precision::kMicrosecond);
  EXPECT_EQ(ParsePrecision("u"), Precision::kMicrosecond);
  EXPECT_EQ(ParsePrecision("ms"), Precision::kMillisecond);
  EXPECT_EQ(ParsePrecision("s"), Precision::kSecond);
  EXPECT_EQ(ParsePrecision("m"), Precision::kMinute);
  EXPECT_EQ(ParsePrecision("h"), Precision::kHour);
  EXPECT_EQ(ParsePrecision("d"), std::nullopt);
  EXPECT_EQ(ParsePrecision(""), std::nullopt);
  EXPECT_EQ(ParsePrecision("NS"), std::nullopt);
  EXPECT_STREQ(PrecisionName(Precision::kMicrosecond), "us");
  EXPECT_EQ(PrecisionNanos(Precision::kMinute), 60'000'000'000);
}

TEST(LineProtocolTest, FieldValuesHaveExactKinds) {
  const ParsedInput in = Parse(R"(m f=1.5,i=-3i,u=3u,s="x\"y",b=F 1)");
  ASSERT_EQ(in.points.size(), 1u);
  const Point& p = in.points[0];
  EXPECT_EQ(p.FindField(Intern("f"))->value, Value::Float(1.5));
  EXPECT_EQ(p.FindField(Intern("i"))->value, Value::Int(-3));
  EXPECT_EQ(p.FindField(Intern("u"))->value, Value::Uint(3));
  EXPECT_EQ(p.FindField(Intern("s"))->value, Value::String("x\"y"));
  EXPECT_EQ(p.FindField(Intern("b"))->value, Value::Bool(false));
  EXPECT_EQ(p.measurement(), "m");
  EXPECT_EQ(p.time(), 1);
}

TEST(LineProtocolTest, UnescapedKeysAndValues) {
  const ParsedInput in = Parse(R"(my\ m\,x,t\ k\=x=v\,a\ b\=c f\ k\=\,="s" 7)");
  ASSERT_EQ(in.points.size(), 1u);
  const Point& p = in.points[0];
  EXPECT_EQ(p.measurement(), "my m,x");
  ASSERT_EQ(p.tags().size(), 1u);
  EXPECT_EQ(SymbolName(p.tags()[0].key), "t k=x");
  EXPECT_EQ(p.tags()[0].value, "v,a b=c");
  ASSERT_EQ(p.fields().size(), 1u);
  EXPECT_EQ(SymbolName(p.fields()[0].key), "f k=,");
}

TEST(LineProtocolTest, DatabaseAndRetentionPolicyFromOptions) {
  ReaderOptions o;
  o.database = "telegraf";
  o.retention_policy = "autogen";
  const ParsedInput in = ParseAll("cpu v=1 1\n", o);
  ASSERT_EQ(in.points.size(), 1u);
  EXPECT_EQ(DebugString(in.points[0]), "telegraf.autogen cpu v=1.0 1");
}

TEST(LineProtocolTest, ParsePointLine) {
  absl::StatusOr<Point> p = ParsePointLine("cpu,host=a v=1i 5");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(ToLineProtocol(*p), "cpu,host=a v=1i 5");

  ReaderOptions o;
  o.filename = "x.lp";
  p = ParsePointLine("cpu v=", o);
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(p.status().message(),
            "x.lp:1:7: error: missing field value for key \"v\"\n"
            "cpu v=\n"
            "      ^");
  p = ParsePointLine("# comment");
  EXPECT_EQ(p.status().message(),
            "input:1:1: error: expected a line-protocol point, found a blank line or comment\n"
            "# comment\n"
            "^");
}

}  // namespace
}  // namespace tick::nodes
