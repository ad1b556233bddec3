// Pins the line-protocol reader's fast paths (nodes/line_protocol.cc) to its exact general
// parser: the Clinger decimal fast path against std::from_chars (bit-exact), and whole lines
// parsed with the record fast path against the general parser only (same point, bit-exact
// floats, or the same diagnostic).
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nodes/line_protocol.h"
#include "nodes/point.h"

namespace tick::nodes {
namespace {

using internal::FastDecimalForTesting;
using internal::ParsePointLineGeneralForTesting;

uint64_t Bits(double d) {
  uint64_t b;
  std::memcpy(&b, &d, sizeof b);
  return b;
}

// The exact value std::from_chars gives for the whole token, or nullopt when it rejects it.
std::optional<double> Exact(std::string_view s) {
  double d = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), d, std::chars_format::general);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return d;
}

// When the fast path decides a token, its double is bit-identical to from_chars'.
void ExpectAgrees(const std::string& s) {
  const std::optional<double> fast = FastDecimalForTesting(s);
  if (!fast.has_value()) return;
  const std::optional<double> exact = Exact(s);
  ASSERT_TRUE(exact.has_value()) << "fast path accepted \"" << s << "\", from_chars rejects it";
  EXPECT_EQ(Bits(*fast), Bits(*exact)) << s;
}

TEST(FastDecimalTest, DecidesCommonValuesExactly) {
  struct Case {
    const char* text;
    double value;
  };
  const Case cases[] = {
      {"0.1", 0.1},
      {"12.5", 12.5},
      {"98.03", 98.03},
      {"-1.5", -1.5},
      {"1", 1.0},
      {"100", 100.0},
      {".5", 0.5},
      {"-.5", -0.5},
      {"1.", 1.0},
      {"0.000123", 0.000123},
      {"1e3", 1000.0},
      {"1E+3", 1000.0},
      {"2.5e-3", 0.0025},
      {"1e22", 1e22},
      {"1e-22", 1e-22},
      {"123456789012345e-22", 123456789012345e-22},
      {"9007199254740992", 9007199254740992.0},  // 2^53: still exact
      {"1234567890123456", 1234567890123456.0},  // 16 digits below 2^53
      {"00000000000000000000001.5", 1.5},        // leading zeros are not significant
  };
  for (const Case& c : cases) {
    const std::optional<double> fast = FastDecimalForTesting(c.text);
    ASSERT_TRUE(fast.has_value()) << c.text;
    EXPECT_EQ(Bits(*fast), Bits(c.value)) << c.text;
    EXPECT_EQ(Bits(*fast), Bits(*Exact(c.text))) << c.text;
  }
}

TEST(FastDecimalTest, KeepsTheSignOfZero) {
  for (const char* s : {"-0", "-0.0", "-0e5", "-.0", "-0.000"}) {
    const std::optional<double> fast = FastDecimalForTesting(s);
    ASSERT_TRUE(fast.has_value()) << s;
    EXPECT_TRUE(std::signbit(*fast)) << s;
    EXPECT_EQ(Bits(*fast), Bits(*Exact(s))) << s;
  }
  for (const char* s : {"0", "0.0", "0e-400", "000"}) {
    const std::optional<double> fast = FastDecimalForTesting(s);
    ASSERT_TRUE(fast.has_value()) << s;
    EXPECT_EQ(Bits(*fast), Bits(0.0)) << s;
  }
}

TEST(FastDecimalTest, DefersOutsideTheExactRange) {
  for (const char* s : {
           "9007199254740993",                 // mantissa above 2^53
           "12345678901234567890",             // 20 significant digits
           "0.12345678901234567",              // 17 significant digits, above 2^53
           "1e23",                             // 10^23 is not an exact double
           "1e-23",                            //
           "0.00000000000000000000000000001",  // 10^-29
           "1.7976931348623157e308",           // largest double
           "4.9e-324",                         // smallest subnormal
           "1e99999",                          // exponent with too many digits
       }) {
    EXPECT_FALSE(FastDecimalForTesting(s).has_value()) << s;
  }
}

TEST(FastDecimalTest, DefersMalformedTokens) {
  for (const char* s :
       {"",   "-",    ".",     "-.",  "e5",  ".e5",  "1e",  "1e+", "1e-", "1x", "1.2.3", "--1",
        "+1", "0x10", "1e5.5", "1,5", "inf", "-inf", "nan", "1 ",  " 1",  "1i", "1u",    "1e+-5"}) {
    EXPECT_FALSE(FastDecimalForTesting(s).has_value()) << "\"" << s << "\"";
  }
}

std::string RandomDigits(std::mt19937_64& rng, int count) {
  std::string s;
  for (int k = 0; k < count; ++k) s.push_back(static_cast<char>('0' + rng() % 10));
  return s;
}

TEST(FastDecimalTest, AgreesWithFromCharsOnRandomDecimals) {
  std::mt19937_64 rng(5);
  int decided = 0;
  for (int iter = 0; iter < 200000; ++iter) {
    std::string s;
    if (rng() % 4 == 0) s.push_back('-');
    const int int_digits = static_cast<int>(rng() % 12);
    const int frac_digits = static_cast<int>(rng() % 12);
    s += RandomDigits(rng, int_digits);
    if (frac_digits > 0 || rng() % 8 == 0) {
      s.push_back('.');
      s += RandomDigits(rng, frac_digits);
    }
    if (rng() % 3 == 0) {
      s.push_back(rng() % 2 ? 'e' : 'E');
      const int sign = static_cast<int>(rng() % 3);
      if (sign == 1) s.push_back('+');
      if (sign == 2) s.push_back('-');
      s += std::to_string(rng() % 40);
    }
    ExpectAgrees(s);
    if (FastDecimalForTesting(s).has_value()) ++decided;
  }
  // Most of these are within the exact range; the check above is not vacuous.
  EXPECT_GT(decided, 100000);
}

// The digit runs are read 8 bytes at a time: every length from 0 to 21 on both sides of the
// '.', with and without leading zeros, is decided exactly when the rule says (at most 19
// digits after the leading zeros, a mantissa <= 2^53, a scale within 10^22), and then bit-exact.
TEST(FastDecimalTest, DecidesEveryDigitRunLengthByTheRule) {
  std::mt19937_64 rng(8);
  int decided = 0;
  for (int zeros = 0; zeros <= 2; ++zeros) {
    for (int whole = 0; whole <= 21; ++whole) {
      for (int frac = 0; frac <= 21; ++frac) {
        for (int rep = 0; rep < 8; ++rep) {
          std::string w = RandomDigits(rng, whole);
          if (!w.empty() && rep % 2 == 0) w[0] = '1' + static_cast<char>(rng() % 9);
          const std::string f = RandomDigits(rng, frac);
          const std::string s = std::string(static_cast<size_t>(zeros), '0') + w +
                                (frac > 0 || rep == 3 ? "." + f : std::string());
          size_t lead = 0;
          while (lead < w.size() && w[lead] == '0') ++lead;
          const std::string sig = w.substr(lead) + f;
          bool expect = zeros + whole + frac > 0 && whole - static_cast<int>(lead) + frac <= 19;
          if (expect) {
            const unsigned __int128 m = sig.empty() ? 0 : std::stoull(sig);
            expect = m <= (uint64_t{1} << 53) && (m == 0 || frac <= 22);
          }
          const std::optional<double> fast = FastDecimalForTesting(s);
          ASSERT_EQ(fast.has_value(), expect) << s;
          if (fast) {
            ++decided;
            EXPECT_EQ(Bits(*fast), Bits(*Exact(s))) << s;
          }
        }
      }
    }
  }
  EXPECT_GT(decided, 2000);
  // 20 digits would wrap a 64-bit mantissa: 2^64 + 5 must not come out as 5.
  EXPECT_FALSE(FastDecimalForTesting("18446744073709551621").has_value());
  EXPECT_FALSE(FastDecimalForTesting("1844674407370955.1621").has_value());
}

TEST(FastDecimalTest, AgreesWithFromCharsNearThe2To53Boundary) {
  // Mantissas around 2^53 with every exact power-of-ten scale.
  const uint64_t two53 = uint64_t{1} << 53;
  for (uint64_t m = two53 - 20; m <= two53 + 20; ++m) {
    const std::string digits = std::to_string(m);
    for (int q = -22; q <= 22; ++q) {
      ExpectAgrees(digits + "e" + std::to_string(q));
      if (q > 0 && q < static_cast<int>(digits.size())) {
        std::string with_dot = digits;
        with_dot.insert(with_dot.size() - q, ".");
        ExpectAgrees(with_dot);
      }
    }
  }
}

// Field values compare bit-exactly (Value's == compares floats by ==, so -0.0 == 0.0).
void ExpectSamePoint(const Point& fast, const Point& general, const std::string& line) {
  EXPECT_EQ(fast, general) << line;
  ASSERT_EQ(fast.fields().size(), general.fields().size()) << line;
  for (size_t k = 0; k < fast.fields().size(); ++k) {
    const interp::Value& a = fast.fields()[k].value;
    const interp::Value& b = general.fields()[k].value;
    if (a.kind() == interp::ValueKind::kFloat && b.kind() == interp::ValueKind::kFloat) {
      EXPECT_EQ(Bits(a.float_value()), Bits(b.float_value())) << line;
    }
  }
}

void ExpectSameParse(const std::string& line, const ReaderOptions& options = {}) {
  const absl::StatusOr<Point> fast = ParsePointLine(line, options);
  const absl::StatusOr<Point> general = ParsePointLineGeneralForTesting(line, options);
  ASSERT_EQ(fast.ok(), general.ok())
      << line << "\nfast: " << fast.status() << "\ngeneral: " << general.status();
  if (fast.ok()) {
    ExpectSamePoint(*fast, *general, line);
  } else {
    EXPECT_EQ(fast.status(), general.status()) << line;
  }
}

TEST(RecordFastPathTest, HandPickedLinesMatchTheGeneralParser) {
  const char* const lines[] = {
      "cpu,host=a,region=us usage_idle=5.5,usage_user=80.1 1465839830100400200",
      "cpu usage_idle=5",
      "cpu usage_idle=5 -1",
      "cpu v=1 9223372036854775807",
      "cpu v=1 -9223372036854775808",
      "cpu v=1 9223372036854775808",
      "cpu v=1 -9223372036854775809",
      "cpu v=1 00000000000000000000001",
      "cpu v=1 12345678901234567890",
      "cpu v=1 -",
      "cpu v=1 1x",
      "cpu v=1 1 2",
      "cpu v=1 1 ",
      "cpu v=1  1",
      "cpu v=1\t1",
      "cpu v=1 \t1",
      "cpu v=1 ",
      "cpu v=1,",
      "cpu v=1,,w=2",
      "cpu v=",
      "cpu v=,w=1",
      "cpu =1",
      "cpu v",
      "cpu v=1=2",
      "cpu  v=1",
      "cpu \tv=1",
      "cpu v=1,\tw=2",
      " cpu v=1",
      "\tcpu v=1",
      "cpu",
      "cpu ",
      ",cpu v=1",
      "c=pu v=1",
      "c=pu,a=b v=1",
      "cpu,a=b,a=c v=1",
      "cpu,b=1,a=2,c=3 v=1",
      "cpu,a= v=1",
      "cpu,a v=1",
      "cpu,=a v=1",
      "cpu,a=b=c v=1",
      "cpu,a=b",
      "cpu,a=b,",
      "cpu,a=b, v=1",
      "cpu z=1,a=2,m=3,a=4",
      "cpu v=1i,w=2u,x=t,y=FALSE,z=-3i",
      "cpu v=1x",
      "cpu v=99999999999999999999i",
      "cpu v=-1u",
      "cpu v=1e400",
      "cpu v=1e-400",
      "cpu v=-0.0,w=-0",
      "cpu v=tru",
      "cpu v=abc",
      "cpu v=\"str\",w=1",
      "cpu v=\"a\\\"b\" 5",
      "cpu,host=a\\ b v=1",
      "cp\\,u v=1",
      "cpu v\\=x=1",
      "cpu,t=a\"b v=1",
      "cpu v=1\r",
      "cpu v=1 5\r",
      "cpu,host=a\tb v=1\t",
      "cpu v=.5,w=-.5,x=1.,y=5.e3",
      "cpu v=1e,w=2",
  };
  for (const char* line : lines) ExpectSameParse(line);
}

TEST(RecordFastPathTest, TimestampPrecisionsMatchTheGeneralParser) {
  for (const char* p : {"ns", "us", "ms", "s", "m", "h"}) {
    ReaderOptions options;
    options.precision = ParsePrecision(p);
    options.default_time = 42;
    for (const char* line :
         {"cpu v=1 1465839830", "cpu v=1 -1465839830", "cpu v=1 9223372036", "cpu v=1 9223372037",
          "cpu v=1 2562047", "cpu v=1 2562048", "cpu v=1 153722867", "cpu v=1 153722868",
          "cpu v=1 9223372036854775807", "cpu v=1 0", "cpu v=1 -0", "cpu v=1"}) {
      ExpectSameParse(line, options);
    }
  }
}

// Random lines from a small vocabulary (so schemas repeat, in varying orders and with
// duplicates), with occasional escapes, strings, tabs and malformed pieces.
std::string RandomLine(std::mt19937_64& rng) {
  static const char* const kTagKeys[] = {"host", "region", "cpu", "dc", "a", "zz"};
  static const char* const kTagValues[] = {"server01", "us-west", "cpu0", "x", "a\\ b", "c\\,d"};
  static const char* const kFieldKeys[] = {"usage_idle", "usage_user", "v", "b", "x", "a"};
  static const char* const kValues[] = {"1",
                                        "-2.5",
                                        "98.03",
                                        "0.1",
                                        "12i",
                                        "7u",
                                        "t",
                                        "FALSE",
                                        "\"s\"",
                                        "1e3",
                                        "-0",
                                        "1e-30",
                                        "123456789012345678",
                                        "bad",
                                        "1.2.3",
                                        "",
                                        "\"q\\\"x\""};
  auto pick = [&](const auto& arr) { return arr[rng() % (sizeof(arr) / sizeof(arr[0]))]; };
  std::string s = rng() % 20 == 0 ? "m\\ x" : "cpu";
  const int tags = static_cast<int>(rng() % 4);
  for (int k = 0; k < tags; ++k) {
    s += ",";
    s += pick(kTagKeys);
    s += "=";
    s += pick(kTagValues);
  }
  s += rng() % 30 == 0 ? "  " : " ";
  const int fields = 1 + static_cast<int>(rng() % 6);
  for (int k = 0; k < fields; ++k) {
    if (k) s += ",";
    s += pick(kFieldKeys);
    s += "=";
    s += rng() % 3 == 0 ? pick(kValues)
                        : std::to_string(rng() % 100000) + "." + std::to_string(rng() % 1000);
  }
  switch (rng() % 6) {
    case 0:
      break;
    case 1:
      s += " -" + std::to_string(rng());
      break;
    case 2:
      s += " 1x";
      break;
    default:
      s += " " + std::to_string(rng() % 2000000000000000000ull);
  }
  return s;
}

TEST(RecordFastPathTest, RandomLinesMatchTheGeneralParser) {
  std::mt19937_64 rng(2016);
  int ok = 0;
  for (int iter = 0; iter < 30000; ++iter) {
    const std::string line = RandomLine(rng);
    ExpectSameParse(line);
    if (ParsePointLine(line).ok()) ++ok;
  }
  EXPECT_GT(ok, 3000);
}

// The reader parses records in place, reading up to 16 bytes past each record (into the next
// ones) and viewing the input's bytes: whole random inputs, fed in one piece and in random
// chunks, give every line's general-parser result.
TEST(RecordFastPathTest, ReaderInPlaceMatchesTheGeneralParserPerLine) {
  std::mt19937_64 rng(77);
  for (int round = 0; round < 20; ++round) {
    std::vector<std::string> lines;
    std::string input;
    for (int k = 0; k < 400; ++k) {
      lines.push_back(RandomLine(rng));
      input += lines.back();
      input += rng() % 10 == 0 ? "\r\n" : "\n";
    }
    std::vector<Point> expected;
    size_t expected_errors = 0;
    for (const std::string& line : lines) {
      absl::StatusOr<Point> p = ParsePointLineGeneralForTesting(line);
      if (p.ok()) {
        expected.push_back(*std::move(p));
      } else {
        ++expected_errors;
      }
    }
    const ParsedInput whole = ParseAll(input);
    ASSERT_EQ(whole.points.size(), expected.size());
    EXPECT_EQ(whole.errors.size(), expected_errors);
    for (size_t i = 0; i < expected.size(); ++i) {
      ExpectSamePoint(whole.points[i], expected[i], ToLineProtocol(expected[i]));
    }
    // The same bytes in random chunks (records split across chunks go through the carry).
    LineProtocolReader reader{ReaderOptions{}};
    std::vector<Point> chunked;
    size_t chunked_errors = 0;
    for (size_t pos = 0; pos < input.size();) {
      const size_t len = std::min<size_t>(input.size() - pos, 1 + rng() % 300);
      const std::string chunk = input.substr(pos, len);  // its own allocation: no bytes beyond
      reader.Feed(
          chunk, [&](const Point& p) { chunked.push_back(p); },
          [&](std::string_view) { ++chunked_errors; });
      pos += len;
    }
    reader.Finish([&](const Point& p) { chunked.push_back(p); },
                  [&](std::string_view) { ++chunked_errors; });
    ASSERT_EQ(chunked.size(), expected.size());
    EXPECT_EQ(chunked_errors, expected_errors);
    for (size_t i = 0; i < expected.size(); ++i) {
      ExpectSamePoint(chunked[i], expected[i], ToLineProtocol(expected[i]));
    }
  }
}

TEST(RecordFastPathTest, ReaderSortsManyAlternatingSchemas) {
  // More schemas than fit one cache set, in turn: each line's fields must come out sorted.
  std::string input;
  std::vector<std::string> lines;
  for (int rep = 0; rep < 5; ++rep) {
    for (int count = 1; count <= 40; ++count) {
      std::string line = "m ";
      for (int k = count; k >= 1; --k) {
        if (k != count) line += ",";
        line += "f" + std::to_string(k) + "=" + std::to_string(k) + ".5";
      }
      line += " " + std::to_string(count);
      lines.push_back(line);
      input += line + "\n";
    }
  }
  const ParsedInput parsed = ParseAll(input);
  ASSERT_TRUE(parsed.errors.empty());
  ASSERT_EQ(parsed.points.size(), lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    const absl::StatusOr<Point> general = ParsePointLineGeneralForTesting(lines[i]);
    ASSERT_TRUE(general.ok());
    ExpectSamePoint(parsed.points[i], *general, lines[i]);
    const auto fields = parsed.points[i].fields();
    for (size_t k = 1; k < fields.size(); ++k) {
      EXPECT_LT(SymbolName(fields[k - 1].key), SymbolName(fields[k].key)) << lines[i];
    }
  }
}

TEST(RecordFastPathTest, ReaderReportsTheSameDiagnosticsAfterFastLines) {
  // Fast-path lines interleaved with lines only the general parser accepts or rejects.
  const ParsedInput parsed = ParseAll(
      "cpu,b=1,a=2 v=1.5 10\ncpu,a=1,a=2 v=1 11\ncpu,b=1,a=2 v=\"x\" 12\ncpu v=1x 13\n"
      "cpu,b=1,a=2 w=2,v=1 14\n");
  ASSERT_EQ(parsed.points.size(), 3u);
  EXPECT_EQ(ToLineProtocol(parsed.points[0]), "cpu,a=2,b=1 v=1.5 10");
  EXPECT_EQ(ToLineProtocol(parsed.points[1]), "cpu,a=2,b=1 v=\"x\" 12");
  EXPECT_EQ(ToLineProtocol(parsed.points[2]), "cpu,a=2,b=1 v=1.0,w=2.0 14");
  EXPECT_THAT(parsed.errors, ::testing::ElementsAre("input:2:9: error: duplicate tag key \"a\"\n"
                                                    "cpu,a=1,a=2 v=1 11\n"
                                                    "        ^",
                                                    "input:4:7: error: invalid integer \"1x\"\n"
                                                    "cpu v=1x 13\n"
                                                    "      ^"));
}

}  // namespace
}  // namespace tick::nodes
