// Runs the built `tickrun check` / `tickrun fmt` binary and compares exact output and exit codes.
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tick::cli {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Result {
  int code = -1;
  std::string out, err;
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tickrun_cli_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs `tickrun ARGS` from the repo root (ARGS is shell text).
  Result Run(const std::string& args) {
    const fs::path out = dir_ / "stdout", err = dir_ / "stderr";
    const std::string cmd = "cd '" TICK_SOURCE_DIR "' && '" TICK_BINARY_DIR "/cli/tickrun' " +
                            args + " >'" + out.string() + "' 2>'" + err.string() + "'";
    const int status = std::system(cmd.c_str());
    Result r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = ReadAll(out);
    r.err = ReadAll(err);
    return r;
  }

  fs::path Write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

  fs::path dir_;
};

TEST_F(CliTest, CheckCleanFile) {
  Result r = Run("check scripts/fmt/alert.tick scripts/fmt/values.tick");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "scripts/fmt/alert.tick: ok\nscripts/fmt/values.tick: ok\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(CliTest, CheckBadFilePrintsAllDiagnostics) {
  Result r = Run("check scripts/fmt/alert.tick scripts/bad/typos.tick");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "scripts/fmt/alert.tick: ok\n");
  EXPECT_EQ(r.err, ReadAll(fs::path(TICK_SOURCE_DIR) / "scripts/bad/typos.err"));
}

TEST_F(CliTest, CheckParseError) {
  const fs::path p = Write("p.tick", "stream\n    |alert().crit(lambda: \"usage_idle\" < )\n");
  Result r = Run("check '" + p.string() + "'");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith(p.string() + ":2:"));
  EXPECT_THAT(r.err, HasSubstr(": error: "));
}

TEST_F(CliTest, CheckMissingFile) {
  Result r = Run("check no/such/file.tick");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "tickrun check: cannot read \"no/such/file.tick\"\n");
}

TEST_F(CliTest, CheckUsage) {
  Result r = Run("check");
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, StartsWith("tickrun check: no FILE given\n\nusage: tickrun check"));
  r = Run("check --bogus x.tick");
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, StartsWith("tickrun check: unknown option '--bogus'\n\nusage:"));
  r = Run("check --help");
  EXPECT_EQ(r.code, 0);
  EXPECT_THAT(
      r.out,
      StartsWith(
          "usage: tickrun check [--config kapacitor.conf] [--handlers FILE|DIR]... FILE...\n"));
  EXPECT_THAT(r.out, HasSubstr("--config PATH"));
}

TEST_F(CliTest, CheckWithConfigClusters) {
  const fs::path conf = Write("kapacitor.conf",
                              "[[kafka]]\n"
                              "enabled = true\n"
                              "id = \"infra\"\n"
                              "brokers = [\"localhost:9092\"]\n"
                              "\n"
                              "[[kafka]]\n"
                              "enabled = true\n"
                              "id = \"apps\"\n"
                              "brokers = [\"localhost:9093\"]\n"
                              "\n"
                              "[[kafka]]\n"
                              "enabled = false\n"
                              "id = \"old\"\n");
  const fs::path script =
      Write("k.tick",
            "stream\n    |from()\n    |alert()\n        .kafka()\n            .kafkaTopic('t')\n");
  Result r = Run("check --config '" + conf.string() + "' '" + script.string() + "'");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, script.string() +
                       ":4:10: error: the kafka handler needs .cluster(): enabled kafka clusters: "
                       "\"infra\", \"apps\"\n"
                       "        .kafka()\n"
                       "         ^\n");
  const fs::path named = Write("n.tick", "stream|from()|alert().kafka().cluster('old')\n");
  r = Run("check --config='" + conf.string() + "' '" + named.string() + "'");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, named.string() +
                       ":1:39: error: unknown cluster \"old\"; enabled kafka clusters: \"infra\", "
                       "\"apps\"\n"
                       "stream|from()|alert().kafka().cluster('old')\n"
                       "                                      ^\n");
  // Without --config, cluster ids are not checked.
  r = Run("check '" + named.string() + "'");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, named.string() + ": ok\n");
}

TEST_F(CliTest, FmtPrintsFormatted) {
  Result r = Run("fmt scripts/fmt/alert.tick");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, ReadAll(fs::path(TICK_SOURCE_DIR) / "scripts/fmt/alert.golden"));
  EXPECT_EQ(r.err, "");
}

TEST_F(CliTest, FmtRewritesInPlace) {
  const fs::path p =
      Write("w.tick", ReadAll(fs::path(TICK_SOURCE_DIR) / "scripts/fmt/values.tick"));
  Result r = Run("fmt -w '" + p.string() + "'");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(ReadAll(p), ReadAll(fs::path(TICK_SOURCE_DIR) / "scripts/fmt/values.golden"));
}

TEST_F(CliTest, FmtParseErrorLeavesFileUntouched) {
  const std::string text = "stream|from(\n";
  const fs::path p = Write("bad.tick", text);
  Result r = Run("fmt -w '" + p.string() + "'");
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, StartsWith(p.string() + ":"));
  EXPECT_EQ(ReadAll(p), text);
}

TEST_F(CliTest, FmtUsage) {
  Result r = Run("fmt");
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, StartsWith("tickrun fmt: no FILE given\n\nusage: tickrun fmt [-w] FILE...\n"));
  r = Run("fmt --help");
  EXPECT_EQ(r.code, 0);
  EXPECT_THAT(r.out, StartsWith("usage: tickrun fmt [-w] FILE...\n"));
}

}  // namespace
}  // namespace tick::cli

namespace tick::cli {
namespace {

TEST_F(CliTest, CheckValidatesHandlerFiles) {
  Result r = Run("check --handlers scripts/handlers scripts/cpu_alert.tick");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out,
            "scripts/handlers/kafka_cpu_critical_template.yaml: ok\n"
            "scripts/handlers/kafka_cpu_handler.yaml: ok\n"
            "scripts/handlers/log_cpu_handler.json: ok\n"
            "scripts/cpu_alert.tick: ok\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(CliTest, CheckReportsHandlerOptionErrors) {
  const fs::path p = Write("h.yaml", "id: h1\ntopic: cpu\nkind: kafka\noptions:\n  topc: x\n");
  Result r = Run("check --handlers '" + p.string() + "'");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, p.string() +
                       ":5:3: error: unknown option \"topc\" for kind kafka (expected cluster, "
                       "topic, template, disablePartitionById, partitionAlgorithm)\n"
                       "  topc: x\n"
                       "  ^\n");
}

TEST_F(CliTest, CheckReportsUnknownHandlerClusterWithConfig) {
  const fs::path p =
      Write("h.yaml", "id: h1\ntopic: cpu\nkind: kafka\noptions:\n  topic: x\n  cluster: nope\n");
  Result r = Run("check --config scripts/kafka.conf --handlers '" + p.string() + "'");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, p.string() + ":6:3: error: unknown cluster \"nope\"\n  cluster: nope\n  ^\n");
  // Without --config the clusters are not known, so the same file is accepted.
  r = Run("check --handlers '" + p.string() + "'");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, p.string() + ": ok\n");
}

}  // namespace
}  // namespace tick::cli
