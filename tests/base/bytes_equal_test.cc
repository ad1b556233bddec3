// File: tests/base/bytes_equal_test.cc
//
// Also BytesContain (against find) and CopyBytes.
//
// tick::BytesEqual must agree with std::string_view's == for every length (its word-load paths
// cover 4–7 and 8–16 bytes, and 1–3 bytes compare the first, middle and last byte) and for a
// difference at every position.
#include <string>
#include <string_view>

#include "base/strings.h"
#include "gtest/gtest.h"

namespace tick {
namespace {

TEST(BytesEqualTest, AgreesWithStringViewEquality) {
  for (size_t n = 0; n <= 40; ++n) {
    std::string a(n, 'x');
    for (size_t i = 0; i < n; ++i) a[i] = static_cast<char>('a' + (i * 7) % 26);
    const std::string same = a;
    EXPECT_TRUE(BytesEqual(a, same)) << n;
    for (size_t i = 0; i < n; ++i) {
      std::string b = a;
      b[i] = static_cast<char>(b[i] ^ 0x20);
      EXPECT_FALSE(BytesEqual(a, b)) << n << " at " << i;
      EXPECT_EQ(BytesEqual(a, b), std::string_view(a) == std::string_view(b));
    }
    EXPECT_FALSE(BytesEqual(a, a + "y")) << n;
    EXPECT_FALSE(BytesEqual(a + "y", a)) << n;
  }
  EXPECT_TRUE(BytesEqual(std::string_view(), std::string_view("")));
  EXPECT_FALSE(BytesEqual(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}

// BytesContain against std::string_view::find: every needle (every substring, and one changed
// byte of each) of haystacks of every length up to 40, which covers the inline scan (up to 32
// bytes) and find(); repeated first bytes and a needle at the very end.
TEST(BytesContainTest, AgreesWithFind) {
  for (size_t h = 0; h <= 40; ++h) {
    std::string hay(h, 'x');
    for (size_t i = 0; i < h; ++i) hay[i] = static_cast<char>('a' + (i * 3) % 5);
    for (size_t at = 0; at <= h; ++at) {
      for (size_t n = 0; at + n <= h; ++n) {
        std::string needle = hay.substr(at, n);
        EXPECT_TRUE(BytesContain(hay, needle)) << hay << " / " << needle;
        if (n > 0) {
          needle[n - 1] = static_cast<char>(needle[n - 1] ^ 0x20);
          EXPECT_EQ(BytesContain(hay, needle),
                    std::string_view(hay).find(needle) != std::string_view::npos)
              << hay << " / " << needle;
        }
      }
    }
    EXPECT_FALSE(BytesContain(hay, hay + "a")) << hay;
  }
  EXPECT_TRUE(BytesContain("server01", "server"));
  EXPECT_TRUE(BytesContain("aaab", "aab"));
  EXPECT_FALSE(BytesContain("aaab", "aaba"));
  EXPECT_TRUE(BytesContain("web-01", "01"));
  EXPECT_FALSE(BytesContain("", "x"));
  EXPECT_TRUE(BytesContain("", ""));
}

TEST(CopyBytesTest, CopiesEveryLengthExactlyAndNothingBeyond) {
  for (size_t n = 0; n <= 40; ++n) {
    std::string src(n, 'x');
    for (size_t i = 0; i < n; ++i) src[i] = static_cast<char>('a' + (i * 5) % 26);
    std::string dst(n + 8, '#');
    char* end = CopyBytes(dst.data(), src);
    EXPECT_EQ(end, dst.data() + n) << n;
    EXPECT_EQ(dst.substr(0, n), src) << n;
    EXPECT_EQ(dst.substr(n), std::string(8, '#')) << n;
  }
}

}  // namespace
}  // namespace tick
