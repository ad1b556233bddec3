#include "base/status_macros.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace tick {
namespace {

using ::testing::HasSubstr;
using ::tick::testing::IsOk;
using ::tick::testing::StatusIs;

absl::StatusOr<int> Half(int x) {
  if (x % 2 != 0) return absl::InvalidArgumentError("odd number");
  return x / 2;
}

absl::Status Check(int x) {
  TICK_RETURN_IF_ERROR(Half(x).status());
  return absl::OkStatus();
}

absl::StatusOr<std::string> Quarter(int x) {
  TICK_ASSIGN_OR_RETURN(int h, Half(x));
  TICK_ASSIGN_OR_RETURN(int q, Half(h));
  return std::to_string(q);
}

TEST(StatusMacrosTest, ReturnIfError) {
  EXPECT_THAT(Check(4), IsOk());
  EXPECT_THAT(Check(3), StatusIs(absl::StatusCode::kInvalidArgument, "odd number"));
}

TEST(StatusMacrosTest, AssignOrReturn) {
  EXPECT_THAT(Quarter(8), IsOk());
  EXPECT_EQ(*Quarter(8), "2");
  EXPECT_THAT(Quarter(6), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("odd")));
  EXPECT_THAT(Quarter(6), ::testing::Not(IsOk()));
}

}  // namespace
}  // namespace tick
