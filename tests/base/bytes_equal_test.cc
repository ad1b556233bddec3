// File: tests/base/bytes_equal_test.cc
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
