// Golden tests: every scripts/golden/<name>.tick is run over <name>.srpl (or <name>.lp) through
// the same code as `tickrun run` (nodes::RunInputs), and the emitted alert JSON lines are
// compared byte for byte with <name>.alerts.jsonl. Optional <name>.args holds extra run options
// (`--precision s`, `--dbrp db.rp`, `--rebase-time RFC3339`, `--task-name N`).
// TICK_UPDATE_GOLDEN=1 rewrites the expectations (review every change by hand).
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "base/strings.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nodes/tickrun.h"

namespace tick::nodes {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path GoldenDir() { return fs::path(TICK_SOURCE_DIR) / "scripts" / "golden"; }

std::vector<std::string> Cases() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(GoldenDir())) {
    if (e.path().extension() == ".tick") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

struct CaseOptions {
  RunInputOptions run;
  std::string task_name;
};

CaseOptions ParseArgs(const std::string& text) {
  CaseOptions o;
  std::istringstream in(text);
  std::string flag, value;
  while (in >> flag >> value) {
    if (flag == "--precision") {
      o.run.precision = ParsePrecision(value);
    } else if (flag == "--dbrp") {
      const size_t dot = value.find('.');
      o.run.dbrp = interp::Dbrp{value.substr(0, dot), value.substr(dot + 1)};
    } else if (flag == "--rebase-time") {
      absl::Time t;
      std::string err;
      if (absl::ParseTime(absl::RFC3339_full, value, &t, &err)) {
        o.run.rebase_ns = absl::ToUnixNanos(t);
      }
    } else if (flag == "--task-name") {
      o.task_name = value;
    } else if (flag == "--format") {
      o.run.format = value == "srpl" ? LineFormat::kSrpl : LineFormat::kLineProtocol;
    }
  }
  return o;
}

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, AlertsMatch) {
  const std::string name = GetParam();
  const fs::path dir = GoldenDir();
  const fs::path script = dir / (name + ".tick");
  fs::path input = dir / (name + ".srpl");
  if (!fs::exists(input)) input = dir / (name + ".lp");
  ASSERT_TRUE(fs::exists(input)) << "no input for " << name;
  CaseOptions opts;
  if (fs::exists(dir / (name + ".args"))) opts = ParseArgs(ReadFile(dir / (name + ".args")));
  opts.run.inputs = {input.string()};

  std::string alerts;
  std::vector<std::string> logs;
  CompileOptions co;
  co.task_name = opts.task_name;
  co.log = [&](std::string_view line) { logs.emplace_back(line); };
  const std::string rel = "scripts/golden/" + name + ".tick";
  auto task =
      TickTask::Compile(ReadFile(script), rel, co,
                        [&](const AlertEventData&, std::string_view json) { alerts.append(json); });
  ASSERT_TRUE(task.ok()) << task.status();
  auto result = RunInputs(**task, opts.run);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->parse_errors, 0u);
  ASSERT_TRUE((*task)->Close().ok());

  const fs::path expected_path = dir / (name + ".alerts.jsonl");
  if (const char* u = std::getenv("TICK_UPDATE_GOLDEN"); u != nullptr && std::string(u) == "1") {
    std::ofstream(expected_path, std::ios::binary) << alerts;
    return;
  }
  ASSERT_TRUE(fs::exists(expected_path)) << expected_path;
  EXPECT_EQ(alerts, ReadFile(expected_path)) << "logs:\n" << ::testing::PrintToString(logs);
}

INSTANTIATE_TEST_SUITE_P(Scripts, GoldenTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

// The built binary on a golden case: same alert bytes, exit code 0.
int RunBinary(const std::string& args) {
  const std::string cmd = std::string(TICK_BINARY_DIR) + "/cli/tickrun " + args;
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

TEST(GoldenCli, RunWritesSameAlerts) {
  const fs::path dir = GoldenDir();
  const fs::path out = fs::temp_directory_path() / "tickrun_golden_cli_alerts.jsonl";
  fs::remove(out);
  const int rc =
      RunBinary("run " + (dir / "kapacitor_alert_with_reset_0.tick").string() + " --input " +
                (dir / "kapacitor_alert_with_reset_0.srpl").string() +
                " --rebase-time 1971-01-01T00:00:00Z --alerts " + out.string() + " 2>/dev/null");
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(ReadFile(out), ReadFile(dir / "kapacitor_alert_with_reset_0.alerts.jsonl"));
  fs::remove(out);
}

TEST(GoldenCli, ExitCodes) {
  const fs::path tmp = fs::temp_directory_path() / "tickrun_golden_bad.tick";
  std::ofstream(tmp) << "stream|from().measurement('cpu')|alert().critt(lambda: TRUE)\n";
  EXPECT_EQ(RunBinary("run " + tmp.string() + " --input /dev/null 2>/dev/null"), 1);
  EXPECT_EQ(RunBinary("run 2>/dev/null"), 2);
  EXPECT_EQ(RunBinary("run " + tmp.string() + " --precision parsec 2>/dev/null"), 2);
  EXPECT_EQ(RunBinary("run " + (GoldenDir() / "kapacitor_alert_with_reset_0.tick").string() +
                      " --input /nonexistent/input.lp 2>/dev/null"),
            1);
  fs::remove(tmp);
}

}  // namespace
}  // namespace tick::nodes
