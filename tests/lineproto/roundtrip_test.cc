// Property test: random points -> ToLineProtocol -> parse -> the same points.
#include <bit>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nodes/line_protocol.h"
#include "nodes/point.h"

namespace tick::nodes {
namespace {

using interp::Value;

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  size_t Below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

  // Non-empty text drawn from an alphabet heavy in characters that need escaping. Line
  // protocol cannot express: a newline outside string values, a trailing backslash (it would
  // escape the separator), or an empty key/tag value; names avoid those.
  std::string Name(bool measurement) {
    static const std::string kAlphabet = "abcxyzAZ09_-. ,=\"\\#\t/é";
    std::string s;
    const size_t len = 1 + Below(12);
    while (s.size() < len) {
      const size_t k = Below(kAlphabet.size());
      if (kAlphabet[k] == '\xc3' || kAlphabet[k] == '\xa9') {
        s += "é";
      } else {
        s.push_back(kAlphabet[k]);
      }
    }
    while (!s.empty() && s.back() == '\\') s.pop_back();
    if (s.empty()) s = "k";
    // Leading tabs are skipped as blanks (before the measurement and the fields); a leading
    // '#' would make the line a comment.
    if (s[0] == '\t' || (measurement && s[0] == '#')) s[0] = 'm';
    return s;
  }

  std::string Text() {
    static const std::string kAlphabet = "ab \"\\\n\r,=\tz#";
    std::string s;
    const size_t len = Below(16);
    for (size_t i = 0; i < len; ++i) s.push_back(kAlphabet[Below(kAlphabet.size())]);
    return s;
  }

  Value AnyValue(std::string* storage) {
    switch (Below(5)) {
      case 0: {
        double d;
        do {
          d = std::bit_cast<double>(static_cast<uint64_t>(rng_()));
        } while (!std::isfinite(d));
        if (Below(2))
          d = static_cast<double>(static_cast<int64_t>(rng_() % 2000000) - 1000000) / 100;
        return Value::Float(d);
      }
      case 1:
        return Value::Int(static_cast<int64_t>(rng_()));
      case 2:
        return Value::Uint(rng_());
      case 3:
        *storage = Text();
        return Value::String(*storage);
      default:
        return Value::Bool(Below(2) == 1);
    }
  }

  Point RandomPoint() {
    Point p;
    p.set_measurement(Name(true));
    const size_t tags = Below(5);
    for (size_t i = 0; i < tags; ++i) p.SetTag(Intern(Name(false)), Name(false));
    const size_t fields = 1 + Below(6);
    for (size_t i = 0; i < fields; ++i) {
      std::string storage;
      const Value v = AnyValue(&storage);
      p.SetField(Intern(Name(false)), v);
    }
    p.set_time(static_cast<int64_t>(rng_()));
    return p;
  }

 private:
  std::mt19937_64 rng_;
};

TEST(RoundTripTest, RandomPointsSurviveTextAndBack) {
  Generator gen(20260611);
  std::string all;
  std::vector<Point> expected;
  for (int i = 0; i < 3000; ++i) {
    const Point p = gen.RandomPoint();
    const std::string line = ToLineProtocol(p);
    const ParsedInput in = ParseAll(line);
    ASSERT_TRUE(in.errors.empty()) << line << "\n" << in.errors[0];
    ASSERT_EQ(in.points.size(), 1u) << line;
    ASSERT_EQ(in.points[0], p) << "line: " << line << "\nparsed: " << ToLineProtocol(in.points[0]);
    // Text is canonical: printing the parsed point gives the same line.
    ASSERT_EQ(ToLineProtocol(in.points[0]), line);
    all += line;
    all += i % 2 ? "\n" : "\r\n";
    expected.push_back(p);
  }
  // The same points parsed as one stream (multi-line strings, CRLF, chunk-independent).
  const ParsedInput in = ParseAll(all);
  ASSERT_TRUE(in.errors.empty()) << in.errors[0];
  ASSERT_EQ(in.points.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) ASSERT_EQ(in.points[i], expected[i]) << i;
}

}  // namespace
}  // namespace tick::nodes
