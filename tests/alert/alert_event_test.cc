// Byte-exact tests of the alert event JSON against Kapacitor's expectations
// (server/server_test.go TestServer_AlertHandlers, integrations/streamer_test.go).
#include "nodes/alert_event.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "interpreter/value.h"

namespace tick::nodes {
namespace {

using interp::Value;

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t k1971 = 31'536'000 * kSecond;

std::string Json(const AlertEventData& e) {
  std::string out;
  EXPECT_TRUE(AppendEventJson(e, &out));
  return out;
}

// server/server_test.go TestServer_AlertHandlers: the point `alert value=1 0` with id, message
// and details templates rendering "id", "message", "details".
TEST(AlertEventJsonTest, KapacitorServerAlertHandlersExample) {
  const AlertField fields[] = {{"value", Value::Float(1)}};
  AlertEventData e;
  e.id = "id";
  e.message = "message";
  e.details = "details";
  e.time_ns = 0;
  e.duration_ns = 0;
  e.level = AlertLevel::kCritical;
  e.previous_level = AlertLevel::kOK;
  e.recoverable = true;
  e.name = "alert";
  e.fields = fields;
  EXPECT_EQ(
      Json(e),
      "{\"id\":\"id\",\"message\":\"message\",\"details\":\"details\",\"time\":\"1970-01-01T00:"
      "00:00Z\",\"duration\":0,\"level\":\"CRITICAL\",\"data\":{\"series\":[{\"name\":\"alert\","
      "\"columns\":[\"time\",\"value\"],\"values\":[[\"1970-01-01T00:00:00Z\",1]]}]},"
      "\"previousLevel\":\"OK\",\"recoverable\":true}\n");
}

// TestStream_Alert_WithReset_0, event 4 (the recovery at 00:00:03).
TEST(AlertEventJsonTest, KapacitorWithReset0Recovery) {
  const AlertTag tags[] = {{"type", "usage"}, {"host", "serverA"}};  // sorted on output
  const AlertField fields[] = {{"value", Value::Float(9)}};
  AlertEventData e;
  e.id = "kapacitor/cpu/serverA";
  e.message = "kapacitor/cpu/serverA is OK";
  e.details = "details";
  e.time_ns = k1971 + 3 * kSecond;
  e.duration_ns = 3 * kSecond;
  e.level = AlertLevel::kOK;
  e.previous_level = AlertLevel::kInfo;
  e.recoverable = true;
  e.name = "cpu";
  e.tags = tags;
  e.fields = fields;
  EXPECT_EQ(
      Json(e),
      R"({"id":"kapacitor/cpu/serverA","message":"kapacitor/cpu/serverA is OK","details":"details","time":"1971-01-01T00:00:03Z","duration":3000000000,"level":"OK","data":{"series":[{"name":"cpu","tags":{"host":"serverA","type":"usage"},"columns":["time","value"],"values":[["1971-01-01T00:00:03Z",9]]}]},"previousLevel":"INFO","recoverable":true})"
      "\n");
}

// TestStream_Alert_NoRecoveries, event 6: `.details('')`, `.noRecoveries()`.
TEST(AlertEventJsonTest, KapacitorNoRecoveriesEvent) {
  const AlertTag tags[] = {{"host", "serverA"}};
  const AlertField fields[] = {{"value", Value::Float(6)}};
  AlertEventData e;
  e.id = "kapacitor/cpu/serverA";
  e.message = "kapacitor/cpu/serverA is INFO";
  e.time_ns = k1971 + 7 * kSecond;
  e.level = AlertLevel::kInfo;
  e.previous_level = AlertLevel::kCritical;
  e.recoverable = false;
  e.name = "cpu";
  e.tags = tags;
  e.fields = fields;
  EXPECT_EQ(
      Json(e),
      R"({"id":"kapacitor/cpu/serverA","message":"kapacitor/cpu/serverA is INFO","details":"","time":"1971-01-01T00:00:07Z","duration":0,"level":"INFO","data":{"series":[{"name":"cpu","tags":{"host":"serverA"},"columns":["time","value"],"values":[["1971-01-01T00:00:07Z",6]]}]},"previousLevel":"CRITICAL","recoverable":false})"
      "\n");
}

// The `data` object alone, as TestStream_AlertOpsGenie / TestStream_AlertVictorOps expect it.
TEST(AlertEventJsonTest, KapacitorDataObject) {
  const AlertTag tags[] = {{"host", "serverA"}};
  const AlertField fields[] = {{"count", Value::Int(10)}};
  AlertEventData e;
  e.time_ns = k1971 + 10 * kSecond;
  e.name = "cpu";
  e.tags = tags;
  e.fields = fields;
  std::string out = "prefix:";
  EXPECT_TRUE(AppendEventDataJson(e, &out));
  EXPECT_EQ(
      out,
      R"(prefix:{"series":[{"name":"cpu","tags":{"host":"serverA"},"columns":["time","count"],"values":[["1971-01-01T00:00:10Z",10]]}]})");
}

TEST(AlertEventJsonTest, EscapingKindsAndOrdering) {
  const AlertTag tags[] = {{"z", "1"}, {"a", "<"}};
  const AlertField fields[] = {
      {"u", Value::Uint(std::numeric_limits<uint64_t>::max())},
      {"s", Value::String("x<y")},
      {"i", Value::Int(-5)},
      {"h", Value::Float(1e-7)},
      {"g", Value::Float(1e21)},
      {"f", Value::Float(0.1)},
      {"b", Value::Bool(true)},
  };
  AlertEventData e;
  e.message = "a<b>&c \"q\" \xc3\xa9 \xe2\x80\xa8";
  e.time_ns = 1'500'000'000;
  e.duration_ns = -1;
  e.level = AlertLevel::kWarning;
  e.tags = tags;
  e.fields = fields;
  EXPECT_EQ(
      Json(e),
      "{\"id\":\"\",\"message\":\"a\\u003cb\\u003e\\u0026c \\\"q\\\" \xc3\xa9 \\u2028\","
      "\"details\":\"\",\"time\":\"1970-01-01T00:00:01.5Z\",\"duration\":-1,\"level\":\"WARNING\","
      "\"data\":{\"series\":[{\"tags\":{\"a\":\"\\u003c\",\"z\":\"1\"},\"columns\":[\"time\",\"b\","
      "\"f\",\"g\",\"h\",\"i\",\"s\",\"u\"],\"values\":[[\"1970-01-01T00:00:01.5Z\",true,0.1,1e+21,"
      "1e-7,-5,\"x\\u003cy\",18446744073709551615]]}]},\"previousLevel\":\"OK\","
      "\"recoverable\":true}\n");
}

// Default details are HTML (&#34; ...); inside the event JSON their `&` is escaped again.
TEST(AlertEventJsonTest, HtmlDetailsAreJsonEscaped) {
  AlertEventData e;
  e.id = "cpu:nil";
  e.details = "{&#34;Name&#34;:&#34;cpu&#34;}\n";
  std::string out;
  ASSERT_TRUE(AppendEventJson(e, &out));
  EXPECT_NE(out.find(R"("details":"{\u0026#34;Name\u0026#34;:\u0026#34;cpu\u0026#34;}\n",)"),
            std::string::npos)
      << out;
}

TEST(AlertEventJsonTest, NoNameNoTagsNoFields) {
  AlertEventData e;
  e.time_ns = k1971;
  std::string out;
  EXPECT_TRUE(AppendEventDataJson(e, &out));
  EXPECT_EQ(out, R"({"series":[{"columns":["time"],"values":[["1971-01-01T00:00:00Z"]]}]})");
}

TEST(AlertEventJsonTest, OtherValueKinds) {
  const AlertField fields[] = {
      {"d", Value::Duration(90 * kSecond)},
      {"m", Value::Missing()},
      {"t", Value::Time(k1971 + 1)},
      {"z", Value::Float(-0.0)},
  };
  AlertEventData e;
  e.name = "m";
  e.fields = fields;
  std::string out;
  EXPECT_TRUE(AppendEventDataJson(e, &out));
  EXPECT_EQ(
      out,
      R"({"series":[{"name":"m","columns":["time","d","m","t","z"],"values":[["1970-01-01T00:00:00Z",90000000000,null,"1971-01-01T00:00:00.000000001Z",-0]]}]})");
}

// Go's encoder refuses NaN/Inf ("json: unsupported value"): nothing is written.
TEST(AlertEventJsonTest, UnsupportedFloatLeavesOutputUnchanged) {
  for (double bad : {std::nan(""), std::numeric_limits<double>::infinity(),
                     -std::numeric_limits<double>::infinity()}) {
    const AlertField fields[] = {{"a", Value::Float(1)}, {"v", Value::Float(bad)}};
    AlertEventData e;
    e.fields = fields;
    std::string out = "keep";
    EXPECT_FALSE(AppendEventJson(e, &out));
    EXPECT_EQ(out, "keep");
    EXPECT_FALSE(AppendEventDataJson(e, &out));
    EXPECT_EQ(out, "keep");
  }
}

TEST(AlertEventJsonTest, AppendsToExistingOutput) {
  const AlertField fields[] = {{"v", Value::Int(1)}};
  AlertEventData e;
  e.id = "a";
  e.fields = fields;
  std::string out;
  ASSERT_TRUE(AppendEventJson(e, &out));
  const std::string one = out;
  ASSERT_TRUE(AppendEventJson(e, &out));
  EXPECT_EQ(out, one + one);
  EXPECT_EQ(one.back(), '\n');
  EXPECT_EQ(std::count(one.begin(), one.end(), '\n'), 1);
}

}  // namespace
}  // namespace tick::nodes
