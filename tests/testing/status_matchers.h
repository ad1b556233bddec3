// File: tests/testing/status_matchers.h
//
// gMock matchers for absl::Status and absl::StatusOr<T> (absl 20220623 has none):
//   EXPECT_THAT(ParseScript(text, "x.tick"), IsOk());
//   EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unexpected")));
#ifndef TICK_TESTS_TESTING_STATUS_MATCHERS_H_
#define TICK_TESTS_TESTING_STATUS_MATCHERS_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

namespace tick::testing {

inline const absl::Status& GetStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

MATCHER(IsOk, negation ? "is not OK" : "is OK") {
  const absl::Status& s = ::tick::testing::GetStatus(arg);
  if (!s.ok()) *result_listener << "status is " << s;
  return s.ok();
}

MATCHER_P2(StatusIs, code, message_matcher,
           std::string("has code ") + absl::StatusCodeToString(code)) {
  const absl::Status& s = ::tick::testing::GetStatus(arg);
  if (s.code() != code) {
    *result_listener << "status is " << s;
    return false;
  }
  return ::testing::ExplainMatchResult(message_matcher, std::string(s.message()), result_listener);
}

}  // namespace tick::testing

#endif  // TICK_TESTS_TESTING_STATUS_MATCHERS_H_
