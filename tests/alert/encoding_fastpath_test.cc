// File: tests/alert/encoding_fastpath_test.cc
//
// The alert node's per-event shortcuts must write exactly the bytes of the general encoders:
// the exact-size JSON string writer, pre-encoded details and series heads in AlertEventData,
// the split default details (cached head + tail) and the per-thread float/time memos.
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "interpreter/gofmt.h"
#include "interpreter/value.h"
#include "nodes/alert_event.h"
#include "nodes/alert_template_data.h"

namespace tick::nodes {
namespace {

using interp::Value;

std::vector<std::string> Strings() {
  std::vector<std::string> out = {"",
                                  "plain",
                                  "server01",
                                  "<b>&'+\"\\",
                                  "tab\tnew\nline\rcr",
                                  std::string("nul\0byte", 8),
                                  "\x01\x1f\x7f",
                                  "caf\xc3\xa9 \xe2\x80\xa8 \xe2\x80\xa9 sep",
                                  "bad utf8 \xff\xfe \xc3",
                                  "emoji \xf0\x9f\x98\x80",
                                  std::string(5000, 'a'),
                                  std::string(5000, '<')};
  std::mt19937 rng(7);
  const char alphabet[] = "ab<>&'\"\\\n\t\x01\xc3\xa9\xe2\x80\xa8 z";
  for (int i = 0; i < 2000; ++i) {
    std::string s;
    const int n = static_cast<int>(rng() % 40);
    for (int j = 0; j < n; ++j) s += alphabet[rng() % (sizeof(alphabet) - 1)];
    out.push_back(s);
  }
  return out;
}

TEST(AlertEncodingFastPath, JsonStringWritersMatchTheGeneralEncoder) {
  for (const std::string& s : Strings()) {
    std::string want = "prefix:";
    interp::AppendJsonString(&want, s);
    std::string got = "prefix:";
    AppendEventJsonString(&got, s);
    ASSERT_EQ(got, want) << s;
    std::string body = "prefix:";
    AppendEventJsonStringBody(&body, s);
    ASSERT_EQ(body, "prefix:" + want.substr(8, want.size() - 9)) << s;
  }
}

TEST(AlertEncodingFastPath, MemoisedFloatAndTimeMatchTheGeneralFormatters) {
  std::vector<double> floats = {0.0,
                                -0.0,
                                1.0,
                                97.1,
                                1e21,
                                1e-7,
                                123456789.125,
                                5e-324,
                                1e300,
                                -2.25,
                                0.1,
                                1e20,
                                99.99,
                                1.5e-6,
                                std::numeric_limits<double>::quiet_NaN(),
                                std::numeric_limits<double>::infinity()};
  std::mt19937_64 rng(11);
  for (int i = 0; i < 3000; ++i) floats.push_back(static_cast<double>(rng() % 100000) / 100.0);
  for (int round = 0; round < 2; ++round) {  // the second round hits the memo
    for (double f : floats) {
      std::string want, got;
      const bool want_ok = interp::AppendJsonFloat(&want, f);
      ASSERT_EQ(internal::AppendJsonFloatMemo(&got, f), want_ok) << f;
      ASSERT_EQ(got, want) << f;
    }
  }
  std::vector<int64_t> times = {
      0, 1, 500'000'000, -1, 31'536'000'000'000'000, 1'700'000'000'123'456'789};
  for (int i = 0; i < 3000; ++i) times.push_back(static_cast<int64_t>(rng() >> 2));
  for (int round = 0; round < 2; ++round) {
    for (int64_t t : times) {
      std::string want, got;
      interp::AppendRFC3339Nano(&want, t);
      internal::AppendRFC3339NanoMemo(&got, t);
      ASSERT_EQ(got, want) << t;
    }
  }
}

TEST(AlertEncodingFastPath, PreEncodedPiecesGiveTheSameEventJson) {
  const std::vector<AlertTag> tags = {{"type", "usage"}, {"host", "server<01>"}};
  const std::vector<AlertField> fields = {{"value", Value::Float(9.5)},
                                          {"note", Value::String("a \"quoted\" \xe2\x80\xa8")},
                                          {"n", Value::Int(-3)},
                                          {"ok", Value::Bool(true)}};
  for (const std::string& details : Strings()) {
    AlertEventData e;
    e.id = "cpu:host=server<01>";
    e.message = "cpu is CRITICAL";
    e.details = details;
    e.time_ns = 1'700'000'000'123'456'789;
    e.duration_ns = 42;
    e.level = AlertLevel::kCritical;
    e.previous_level = AlertLevel::kWarning;
    e.name = "cpu";
    e.tags = tags;
    e.fields = fields;
    std::string want;
    ASSERT_TRUE(AppendEventJson(e, &want));

    std::string details_json, head;
    AppendEventJsonString(&details_json, details);
    AppendSeriesHeadJson(e, &head);
    e.details_json = details_json;
    e.series_head_json = head;
    std::string got;
    ASSERT_TRUE(AppendEventJson(e, &got));
    ASSERT_EQ(got, want) << details;
  }
}

TEST(AlertEncodingFastPath, DefaultDetailsHeadPlusTailIsTheWhole) {
  const std::vector<std::vector<AlertTag>> tag_sets = {
      {}, {{"host", "serverA"}}, {{"host", "<b>&'+"}, {"dc", "eu \xe2\x80\xa8"}}};
  const std::vector<std::vector<AlertField>> field_sets = {{{"count", Value::Int(10)}},
                                                           {{"v", Value::Float(97.1)},
                                                            {"s", Value::String("<b>&'+\"")},
                                                            {"ok", Value::Bool(false)},
                                                            {"u", Value::Uint(7)}},
                                                           {}};
  for (const auto& tags : tag_sets) {
    for (const auto& fields : field_sets) {
      for (AlertLevel level : {AlertLevel::kOK, AlertLevel::kCritical}) {
        AlertTemplateData d;
        d.SetIdInfo("cpu", "task", tags.empty() ? "" : "host=x", tags,
                    {"localhost", "cluster-1", "server-1"});
        d.SetMessageInfo("cpu:id<&>", fields, level, 1'700'000'000'500'000'000, 90'000'000'000);
        d.SetMessage("message with <html> & \"quotes\"");
        std::string whole, parts;
        AppendDefaultDetails(d.DetailsData(), &whole);
        AppendDefaultDetailsHead(d.DetailsData(), &parts);
        AppendDefaultDetailsTail(d.DetailsData(), &parts);
        ASSERT_EQ(parts, whole);
        ASSERT_EQ(whole.back(), '\n');
      }
    }
  }
}

}  // namespace
}  // namespace tick::nodes
