// File: tests/alert/encoding_fastpath_test.cc
//
// The alert node's per-event shortcuts must write exactly the bytes of the general encoders:
// the exact-size JSON string writer, pre-encoded details and series heads in AlertEventData,
// the split default details (cached head + tail) and the per-thread float/time memos.
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "interpreter/gofmt.h"
#include "interpreter/gofmt_internal.h"
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

// interp::AppendJsonFloat's exact short-decimal path against the general Shortest-based writer.
TEST(AlertEncodingFastPath, ShortDecimalFloatsMatchTheGeneralFormatter) {
  std::vector<double> floats = {1e-6,
                                1e-7,
                                0.1,
                                0.3,
                                5.25,
                                94.75,
                                62.879999999999995,
                                1e15,
                                1e14,
                                12.0,
                                100.0,
                                0.001,
                                1.5e-6,
                                999999999999999.9,
                                0.1 + 0.2,
                                1.0 / 3,
                                4503599627370495.5,
                                123456789.125,
                                9.999999999999999e-7};
  std::mt19937_64 rng(23);
  const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                          1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  for (int i = 0; i < 200000; ++i) {
    // c / 10^k with up to 17 digits, its neighbours, sums like the benchmark's 100 - v, and
    // random bit patterns.
    const uint64_t c = rng() % (uint64_t{1} << (1 + rng() % 56));
    const double v = static_cast<double>(c) / pow10[rng() % 23];
    floats.push_back(v);
    floats.push_back(-v);
    floats.push_back(std::nextafter(v, HUGE_VAL));
    floats.push_back(std::nextafter(v, 0.0));
    floats.push_back(100 - static_cast<double>(rng() % 10000) / 100.0);
    uint64_t bits = rng();
    double r;
    std::memcpy(&r, &bits, sizeof(r));
    floats.push_back(r);
  }
  int fast = 0;
  for (double f : floats) {
    std::string want = "x", got = "x";
    const bool want_ok = interp::internal::AppendJsonFloatGeneral(&want, f);
    ASSERT_EQ(interp::AppendJsonFloat(&got, f), want_ok) << f;
    ASSERT_EQ(got, want) << std::hexfloat << f;
    char buf[48];
    fast += interp::internal::FormatShortDecimal(f, buf) > 0 ? 1 : 0;
  }
  // The fast path is taken for a good share of the values (the short decimals and their
  // negations; 376,664 of 1.2 million with this seed).
  EXPECT_GT(fast, 300000);
}

TEST(AlertEncodingFastPath, RFC3339NanoYearsAndFractions) {
  const std::vector<std::pair<int64_t, std::string>> cases = {
      {0, "1970-01-01T00:00:00Z"},
      {1, "1970-01-01T00:00:00.000000001Z"},
      {-1, "1969-12-31T23:59:59.999999999Z"},
      {1'700'000'000'120'000'000, "2023-11-14T22:13:20.12Z"},
      {-2'208'988'800'000'000'000, "1900-01-01T00:00:00Z"},
      {std::numeric_limits<int64_t>::max(), "2262-04-11T23:47:16.854775807Z"},
      {std::numeric_limits<int64_t>::min(), "1677-09-21T00:12:43.145224192Z"}};
  for (const auto& [ns, want] : cases) {
    std::string got = "x";
    interp::AppendRFC3339Nano(&got, ns);
    EXPECT_EQ(got, "x" + want) << ns;
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

    std::string details_json, head, id_json, message_json;
    AppendEventJsonString(&details_json, details);
    AppendSeriesHeadJson(e, &head);
    AppendEventJsonString(&id_json, e.id);
    AppendEventJsonString(&message_json, e.message);
    e.details_json = details_json;
    e.series_head_json = head;
    e.id_json = id_json;
    e.message_json = message_json;
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

// The alert node's dual writer of the default details tail against the general writers, over
// every value kind, awkward names and messages, and random floats (short decimals, long ones,
// exponent forms with `+`, NaN).
TEST(AlertEncodingFastPath, DefaultDetailsTailWriterMatchesTheGeneralWriters) {
  std::vector<std::vector<AlertField>> field_sets = {
      {},
      {{"usage_idle", Value::Float(5.25)}, {"usage_user", Value::Float(94.75)}},
      {{"a<&>'+\"", Value::Float(1e21)},
       {"b", Value::Float(std::numeric_limits<double>::quiet_NaN())},
       {"c", Value::Float(-1.5e-7)},
       {"d", Value::Int(-42)},
       {"e", Value::Uint(18446744073709551615u)},
       {"f", Value::Bool(true)},
       {"g", Value::String("s <b>&'+\" \xe2\x80\xa8 \xff")},
       {"h", Value::Duration(1500)},
       {"i", Value::Time(1'700'000'000'000'000'001)},
       {"j", Value::Missing()},
       {"k", Value::Float(-0.0)},
       {"l", Value::Float(62.879999999999995)}},
      {{"z", Value::Int(1)}, {"a", Value::Int(2)}}};  // unsorted: the writer declines
  std::mt19937_64 rng(5);
  for (size_t n : {29u, 30u}) {  // the most the writer takes, and one more (declined)
    std::vector<AlertField> many;
    static std::vector<std::string> names;
    for (size_t i = names.size(); i < n; ++i) names.push_back("f" + std::to_string(100 + i));
    for (size_t i = 0; i < n; ++i) {
      many.push_back({names[i], i % 3 == 0   ? Value::Int(std::numeric_limits<int64_t>::min())
                                : i % 3 == 1 ? Value::Float(-1.23456789012345e-6)
                                             : Value::Uint(18446744073709551615u)});
    }
    field_sets.push_back(many);
  }
  for (int i = 0; i < 300; ++i) {
    uint64_t bits = rng();
    double r;
    std::memcpy(&r, &bits, sizeof(r));
    field_sets.push_back({{"usage_idle", Value::Float(static_cast<double>(rng() % 10000) / 100)},
                          {"usage_user", Value::Float(r)}});
  }
  const std::vector<std::string> messages = {"cpu:host=server1 is CRITICAL", "",
                                             "m <html> & \"quotes\" \n\t +'",
                                             "caf\xc3\xa9 \xe2\x80\xa8 bad \xc3"};
  DefaultDetailsTailWriter writer;
  const std::vector<AlertTag> tags = {{"host", "server1"}};
  int declined = 0;
  for (const auto& fields : field_sets) {
    for (const std::string& message : messages) {
      for (int l = 0; l < kNumAlertLevels; ++l) {
        const auto level = static_cast<AlertLevel>(l);
        const int64_t time_ns = 1'700'000'000'000'000'000 + static_cast<int64_t>(rng() % 1000000);
        const int64_t duration_ns = static_cast<int64_t>(rng() % 100000000000) - 1000;
        AlertTemplateData d;
        d.SetIdInfo("cpu", "task", "host=server1", tags, {"h", "c", "s"});
        d.SetMessageInfo("cpu:host=server1", fields, level, time_ns, duration_ns);
        d.SetMessage(message);
        std::string want_html = "head";
        AppendDefaultDetailsTail(d.DetailsData(), &want_html);
        std::string want_json = "\"";
        AppendEventJsonStringBody(&want_json, want_html);

        std::string mh, mj;
        DefaultDetailsTailWriter::MessagePieces(message, &mh, &mj);
        std::string html = "head", json = "\"";
        AppendEventJsonStringBody(&json, "head");
        if (!writer.Append(fields, level, time_ns, duration_ns, mh, mj, &html, &json)) {
          ++declined;
          EXPECT_EQ(html, "head");
          continue;
        }
        ASSERT_EQ(html, want_html) << message;
        ASSERT_EQ(json, want_json) << message;
      }
    }
  }
  EXPECT_EQ(declined, 2 * 4 * kNumAlertLevels);  // the unsorted set and the 30 fields
}

}  // namespace
}  // namespace tick::nodes
