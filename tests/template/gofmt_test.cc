// Exact-byte tests for interpreter/gofmt.h against Go reference outputs (fmt, strconv,
// encoding/json, time, html/template and influxql behaviour).
#include "interpreter/gofmt.h"

#include <cmath>
#include <limits>
#include <string>

#include "gtest/gtest.h"

namespace tick::interp {
namespace {

std::string Json(std::string_view s) {
  std::string out;
  AppendJsonString(&out, s);
  return out;
}
std::string JsonF(double f) {
  std::string out;
  AppendJsonFloat(&out, f);
  return out;
}
std::string V(double f) {
  std::string out;
  AppendGoFloatV(&out, f);
  return out;
}
std::string Rfc(int64_t ns) {
  std::string out;
  AppendRFC3339Nano(&out, ns);
  return out;
}
std::string TimeStr(int64_t ns) {
  std::string out;
  AppendGoTimeString(&out, ns);
  return out;
}
std::string Dur(int64_t ns) {
  std::string out;
  AppendGoDuration(&out, ns);
  return out;
}
std::string Html(std::string_view s) {
  std::string out;
  AppendHtmlEscaped(&out, s);
  return out;
}
std::string Influx(int64_t ns) {
  std::string out;
  AppendInfluxDuration(&out, ns);
  return out;
}

constexpr int64_t kSec = 1000000000LL;

TEST(JsonString, PlainAndEscapes) {
  EXPECT_EQ(Json("cpu"), "\"cpu\"");
  EXPECT_EQ(Json(""), "\"\"");
  EXPECT_EQ(Json("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(Json("l1\nl2\r\t"), "\"l1\\nl2\\r\\t\"");
  EXPECT_EQ(Json("\b\f"), "\"\\b\\f\"");
  EXPECT_EQ(Json(std::string_view("\x00\x01\x1f", 3)), "\"\\u0000\\u0001\\u001f\"");
  EXPECT_EQ(Json("\x7f"), "\"\x7f\"");
}

TEST(JsonString, HtmlSafe) {
  EXPECT_EQ(Json("<a href='x'>&</a>"), "\"\\u003ca href='x'\\u003e\\u0026\\u003c/a\\u003e\"");
}

TEST(JsonString, Unicode) {
  EXPECT_EQ(Json("h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80"),
            "\"h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80\"");
  EXPECT_EQ(Json("\xE2\x80\xA8\xE2\x80\xA9"), "\"\\u2028\\u2029\"");
}

TEST(JsonString, InvalidUtf8BecomesReplacementPerByte) {
  EXPECT_EQ(Json("a\xff"
                 "b"),
            "\"a\\ufffdb\"");
  EXPECT_EQ(Json("\xC3"), "\"\\ufffd\"");                        // truncated sequence
  EXPECT_EQ(Json("\xED\xA0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");  // surrogate
  EXPECT_EQ(Json("\xC0\xAF"), "\"\\ufffd\\ufffd\"");             // overlong
}

TEST(JsonFloat, GoEncodingJson) {
  EXPECT_EQ(JsonF(10), "10");
  EXPECT_EQ(JsonF(97.1), "97.1");
  EXPECT_EQ(JsonF(0), "0");
  EXPECT_EQ(JsonF(-0.0), "-0");
  EXPECT_EQ(JsonF(1e6), "1000000");
  EXPECT_EQ(JsonF(0.00001), "0.00001");
  EXPECT_EQ(JsonF(0.000001), "0.000001");
  EXPECT_EQ(JsonF(1e-7), "1e-7");
  EXPECT_EQ(JsonF(1.5e-10), "1.5e-10");
  EXPECT_EQ(JsonF(1e20), "100000000000000000000");
  EXPECT_EQ(JsonF(1e21), "1e+21");
  EXPECT_EQ(JsonF(-1.25e22), "-1.25e+22");
  EXPECT_EQ(JsonF(123456789.125), "123456789.125");
  EXPECT_EQ(JsonF(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(JsonF(75095.71), "75095.71");
  EXPECT_EQ(JsonF(1136.35), "1136.35");
  EXPECT_EQ(JsonF(std::numeric_limits<double>::max()), "1.7976931348623157e+308");
  EXPECT_EQ(JsonF(5e-324), "5e-324");
}

TEST(JsonFloat, NonFiniteWritesNullAndReports) {
  std::string out;
  EXPECT_FALSE(AppendJsonFloat(&out, std::nan("")));
  EXPECT_EQ(out, "null");
  out.clear();
  EXPECT_FALSE(AppendJsonFloat(&out, std::numeric_limits<double>::infinity()));
  EXPECT_EQ(out, "null");
  out.clear();
  EXPECT_TRUE(AppendJsonFloat(&out, 1.5));
  EXPECT_EQ(out, "1.5");
}

TEST(GoFloatV, SpecExamples) {
  EXPECT_EQ(V(10), "10");
  EXPECT_EQ(V(97.1), "97.1");
  EXPECT_EQ(V(999999.9), "999999.9");
  EXPECT_EQ(V(1e6), "1e+06");
  EXPECT_EQ(V(1234567.5), "1.2345675e+06");
  EXPECT_EQ(V(0.00012), "0.00012");
  EXPECT_EQ(V(1e-5), "1e-05");
  EXPECT_EQ(V(0.0001), "0.0001");
  EXPECT_EQ(V(100000), "100000");
  EXPECT_EQ(V(1e100), "1e+100");
  EXPECT_EQ(V(-2.5e-7), "-2.5e-07");
  EXPECT_EQ(V(0), "0");
  EXPECT_EQ(V(-0.0), "-0");
  EXPECT_EQ(V(3.14159), "3.14159");
  EXPECT_EQ(V(std::nan("")), "NaN");
  EXPECT_EQ(V(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(V(-std::numeric_limits<double>::infinity()), "-Inf");
}

TEST(Time, Rfc3339Nano) {
  EXPECT_EQ(Rfc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(Rfc(365LL * 86400 * kSec + 10 * kSec), "1971-01-01T00:00:10Z");
  EXPECT_EQ(Rfc(kSec / 2), "1970-01-01T00:00:00.5Z");
  EXPECT_EQ(Rfc(1), "1970-01-01T00:00:00.000000001Z");
  EXPECT_EQ(Rfc(1700000000LL * kSec + 123000000), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(Rfc(-1), "1969-12-31T23:59:59.999999999Z");
  EXPECT_EQ(Rfc(951782400LL * kSec), "2000-02-29T00:00:00Z");
}

TEST(Time, GoString) {
  EXPECT_EQ(TimeStr(365LL * 86400 * kSec + 10 * kSec), "1971-01-01 00:00:10 +0000 UTC");
  EXPECT_EQ(TimeStr(kSec / 2), "1970-01-01 00:00:00.5 +0000 UTC");
  EXPECT_EQ(TimeStr(1700000000LL * kSec + 120), "2023-11-14 22:13:20.00000012 +0000 UTC");
}

TEST(Duration, GoString) {
  // Examples from Go's time package tests (TestDurationString).
  EXPECT_EQ(Dur(0), "0s");
  EXPECT_EQ(Dur(1), "1ns");
  EXPECT_EQ(Dur(1100), "1.1\xC2\xB5s");
  EXPECT_EQ(Dur(2200000), "2.2ms");
  EXPECT_EQ(Dur(3300 * 1000000LL), "3.3s");
  EXPECT_EQ(Dur(4 * 60 * kSec + 5 * kSec), "4m5s");
  EXPECT_EQ(Dur(4 * 60 * kSec + 5001 * 1000000LL), "4m5.001s");
  EXPECT_EQ(Dur(5 * 3600 * kSec + 6 * 60 * kSec + 7001 * 1000000LL), "5h6m7.001s");
  EXPECT_EQ(Dur(8 * 60 * kSec + 1), "8m0.000000001s");
  EXPECT_EQ(Dur(std::numeric_limits<int64_t>::max()), "2562047h47m16.854775807s");
  EXPECT_EQ(Dur(std::numeric_limits<int64_t>::min()), "-2562047h47m16.854775808s");
  EXPECT_EQ(Dur(1500 * 1000000LL), "1.5s");
  EXPECT_EQ(Dur(90 * kSec), "1m30s");
  EXPECT_EQ(Dur(3600 * kSec), "1h0m0s");
  EXPECT_EQ(Dur(500 * 1000000LL), "500ms");
  EXPECT_EQ(Dur(1000), "1\xC2\xB5s");
  EXPECT_EQ(Dur(-kSec), "-1s");
}

TEST(HtmlEscape, HtmlTemplateTextContext) {
  EXPECT_EQ(Html("a\"b'c&d<e>f+g"), "a&#34;b&#39;c&amp;d&lt;e&gt;f&#43;g");
  EXPECT_EQ(Html(std::string_view("x\0y", 3)), "x\xEF\xBF\xBDy");
  EXPECT_EQ(Html("plain text"), "plain text");
  EXPECT_EQ(Html(""), "");
}

TEST(InfluxDuration, FormatDuration) {
  EXPECT_EQ(Influx(0), "0s");
  EXPECT_EQ(Influx(14LL * 86400 * kSec), "2w");
  EXPECT_EQ(Influx(86400 * kSec), "1d");
  EXPECT_EQ(Influx(3 * 3600 * kSec), "3h");
  EXPECT_EQ(Influx(5 * 60 * kSec), "5m");
  EXPECT_EQ(Influx(-5 * 60 * kSec), "-5m");
  EXPECT_EQ(Influx(90 * kSec), "90s");
  EXPECT_EQ(Influx(1500 * 1000000LL), "1500ms");
  EXPECT_EQ(Influx(2000), "2u");
  EXPECT_EQ(Influx(1001), "1001ns");
}

TEST(Ints, Append) {
  std::string out;
  AppendInt(&out, -42);
  out.push_back(' ');
  AppendUint(&out, 18446744073709551615ULL);
  EXPECT_EQ(out, "-42 18446744073709551615");
}

}  // namespace
}  // namespace tick::interp
