// End-to-end tests of `tickrun points` (cli/points_command.cc): exact stdout, stderr, exit code.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Runs `tickrun ARGS` from the repository root (the test's working directory).
RunResult RunTickrun(const std::string& args, const std::string& stdin_file = "") {
  // ctest runs tests in parallel processes: make the capture files unique per process.
  const std::string stem = testing::TempDir() + "/points_cli_" + std::to_string(::getpid());
  const std::string out = stem + "_out.txt";
  const std::string err = stem + "_err.txt";
  std::string cmd =
      std::string(TICK_BINARY_DIR) + "/cli/tickrun " + args + " >" + out + " 2>" + err;
  if (!stdin_file.empty()) cmd += " <" + stdin_file;
  const int status = std::system(cmd.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadAll(out);
  r.err = ReadAll(err);
  return r;
}

TEST(PointsCliTest, PrintsCanonicalPoints) {
  const RunResult r = RunTickrun("points tests/lineproto/data/ok.lp");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(
      r.out,
      "\"\".\"\" cpu,host=serverA,region=us-west usage_idle=97.5,usage_user=1.5 "
      "1465839830100400200\n"
      "\"\".\"\" cpu,host=serverB busy=true,note=\"hot \\\"cpu\\\"\",procs=12i,usage_idle=5.0 "
      "1465839830100400300\n"
      "\"\".\"\" mem,host=serverA free=1024u 1465839830100400400\n");
  EXPECT_EQ(r.err, "points: 3, errors: 0\n");
}

TEST(PointsCliTest, InputErrorsExitOne) {
  const RunResult r = RunTickrun("points tests/lineproto/data/errors.lp --dbrp db.rp");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out,
            "db.rp cpu,host=serverA usage_idle=97.5 1465839830100400200\n"
            "db.rp cpu,host=serverA usage_idle=3.5 1465839830100400500\n");
  EXPECT_EQ(r.err,
            "tests/lineproto/data/errors.lp:2:29: error: missing field value for key "
            "\"usage_idle\"\n"
            "cpu,host=serverA usage_idle= 1465839830100400300\n"
            "                            ^\n"
            "tests/lineproto/data/errors.lp:3:29: error: invalid integer \"12x\"\n"
            "cpu,host=serverA usage_idle=12x 1465839830100400400\n"
            "                            ^\n"
            "points: 2, errors: 2\n");
}

TEST(PointsCliTest, SrplByExtensionAndFromStdin) {
  const std::string expected =
      "telegraf.autogen cpu,host=serverA usage_idle=97.1 1000000000\n"
      "telegraf.autogen cpu,host=serverA usage_idle=9.5 2000000000\n";
  RunResult r = RunTickrun("points tests/lineproto/data/record.srpl");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, expected);
  EXPECT_EQ(r.err, "points: 2, errors: 0\n");

  r = RunTickrun("points --format=srpl --precision ms -", "tests/lineproto/data/record.srpl");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "telegraf.autogen cpu,host=serverA usage_idle=97.1 1000000\n"
            "telegraf.autogen cpu,host=serverA usage_idle=9.5 2000000\n");

  // Read as plain line protocol, the database lines are malformed points named `input`.
  r = RunTickrun("points -", "tests/lineproto/data/record.srpl");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "input:1:9: error: missing fields");
  EXPECT_EQ(r.err.substr(r.err.rfind('\n', r.err.size() - 2) + 1), "points: 2, errors: 4\n");
}

TEST(PointsCliTest, UsageErrorsExitTwo) {
  RunResult r = RunTickrun("points --bogus tests/lineproto/data/ok.lp");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "tickrun points: unknown flag '--bogus'");

  r = RunTickrun("points");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
            "tickrun points: missing input FILE (use - for standard input)");

  r = RunTickrun("points --precision d tests/lineproto/data/ok.lp");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
            "tickrun points: invalid precision 'd' (expected ns, n, us, u, ms, s, m or h)");

  r = RunTickrun("points --format csv tests/lineproto/data/ok.lp");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
            "tickrun points: invalid format 'csv' (expected lp or srpl)");

  r = RunTickrun("points --dbrp nodot tests/lineproto/data/ok.lp");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
            "tickrun points: invalid --dbrp 'nodot' (expected DB.RP)");

  r = RunTickrun("points a.lp b.lp");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
            "tickrun points: more than one input file ('a.lp' and 'b.lp')");

  r = RunTickrun("points tests/lineproto/data/does-not-exist.lp");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "tickrun points: cannot open 'tests/lineproto/data/does-not-exist.lp': No such file "
            "or directory\n");
}

TEST(PointsCliTest, HelpPrintsFullUsage) {
  const RunResult r = RunTickrun("points --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("usage: tickrun points FILE|- [--precision P] [--format lp|srpl] "
                        "[--dbrp DB.RP]\n",
                        0),
            0u);
  EXPECT_NE(r.out.find("--precision P"), std::string::npos);
  EXPECT_NE(r.out.find("exit codes:"), std::string::npos);
  EXPECT_EQ(r.err, "");
}

}  // namespace
