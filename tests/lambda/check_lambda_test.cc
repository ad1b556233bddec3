// CheckLambda (what `tickrun check` runs) reports exactly CompileLambda's errors, and nothing for
// lambdas that compile.
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "base/source.h"
#include "grammar/parser.h"
#include "gtest/gtest.h"
#include "interpreter/lambda.h"

namespace tick::interp {
namespace {

struct Both {
  absl::Status check;
  absl::Status compile;
};

Both CheckAndCompile(std::string_view body, const Scope& scope) {
  absl::StatusOr<ast::ExprPtr> e = grammar::ParseLambdaBody(body, "t.tick");
  EXPECT_TRUE(e.ok()) << body;
  if (!e.ok()) return {};
  const SourceFile src("t.tick", std::string(body));
  return {CheckLambda(**e, scope, src), CompileLambda(**e, scope, src).status()};
}

TEST(CheckLambda, ReportsWhatCompileLambdaReports) {
  const Scope scope;
  const char* const bodies[] = {
      R"("usage_idle" < 10)",
      R"("cpu" == 'cpu-total' AND "host" =~ /web.*/)",
      R"(abs("x" - 50.0) > 40.0 AND strContains("host", 'server'))",
      R"(undefinedName > 1)",
      R"(nosuchfunc("x"))",
      R"(duration('5m'))",
      R"(1 + 2.0)",
      R"(max(2.50, 1, 3))",
      R"(sigma("x") > 3.0)",
      R"("a" + 'b' == 'c' OR "b")",
  };
  int errors = 0;
  for (const char* body : bodies) {
    const Both b = CheckAndCompile(body, scope);
    EXPECT_EQ(b.check, b.compile) << body;
    errors += !b.check.ok();
  }
  EXPECT_EQ(errors, 5);  // undefinedName, nosuchfunc, duration('5m'), 1 + 2.0, max(…, 3 args)
}

}  // namespace
}  // namespace tick::interp
