// Tests of the streaming reader (nodes/line_protocol.h): line structure, chunking, CRLF,
// comments, multi-line strings, very long lines, .srpl recordings, file descriptors, stats.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nodes/line_protocol.h"
#include "nodes/point.h"

namespace tick::nodes {
namespace {

using interp::Value;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> Texts(const std::vector<Point>& points) {
  std::vector<std::string> out;
  for (const Point& p : points) out.push_back(DebugString(p));
  return out;
}

TEST(ReaderTest, CommentsBlankLinesAndLineNumbers) {
  const ParsedInput in = ParseAll(
      "# a comment\n"
      "\n"
      "   \t \n"
      "  # indented comment\n"
      "cpu v=1 1\n"
      "cpu v= 2\n"
      "cpu v=3 3\n");
  EXPECT_THAT(Texts(in.points), ElementsAre("\"\".\"\" cpu v=1.0 1", "\"\".\"\" cpu v=3.0 3"));
  EXPECT_THAT(in.errors, ElementsAre("input:6:7: error: missing field value for key \"v\"\n"
                                     "cpu v= 2\n"
                                     "      ^"));
  EXPECT_EQ(in.stats.lines, 7u);
  EXPECT_EQ(in.stats.points, 2u);
  EXPECT_EQ(in.stats.errors, 1u);
}

TEST(ReaderTest, CrLfLineEndings) {
  const ParsedInput in = ParseAll("cpu v=1 1\r\n# c\r\n\r\ncpu s=\"x\" 2\r\ncpu v=bad 3\r\n");
  EXPECT_THAT(Texts(in.points), ElementsAre("\"\".\"\" cpu v=1.0 1", "\"\".\"\" cpu s=\"x\" 2"));
  EXPECT_THAT(in.errors,
              ElementsAre("input:5:7: error: invalid field value \"bad\" for key \"v\": expected a "
                          "number, a boolean or a double-quoted string\n"
                          "cpu v=bad 3\n"
                          "      ^"));
  EXPECT_EQ(in.stats.lines, 5u);
}

TEST(ReaderTest, LastLineWithoutNewline) {
  const ParsedInput in = ParseAll("cpu v=1 1\ncpu v=2 2");
  EXPECT_EQ(in.points.size(), 2u);
  EXPECT_EQ(in.stats.lines, 2u);
  EXPECT_EQ(in.stats.bytes, 19u);
}

TEST(ReaderTest, ErrorsDoNotStopTheInput) {
  std::string text;
  for (int i = 0; i < 100; ++i)
    text += i % 3 == 0 ? "bad line\n" : "m v=1i " + std::to_string(i) + "\n";
  const ParsedInput in = ParseAll(text);
  EXPECT_EQ(in.stats.points, 66u);
  EXPECT_EQ(in.stats.errors, 34u);
  EXPECT_EQ(in.errors[1],
            "input:4:9: error: missing '=' after field key \"line\"\n"
            "bad line\n"
            "        ^");
  EXPECT_EQ(in.points.back().time(), 98);
}

TEST(ReaderTest, StringValuesMaySpanLines) {
  const ParsedInput in = ParseAll(
      "cpu s=\"first\n"
      "second \\\"q\\\"\n"
      "third\",v=1 5\n"
      "cpu v=oops 6\n"
      "cpu v=2 7\n");
  ASSERT_EQ(in.points.size(), 2u);
  EXPECT_EQ(in.points[0].FindField(Intern("s"))->value,
            Value::String("first\nsecond \"q\"\nthird"));
  EXPECT_EQ(in.points[0].time(), 5);
  EXPECT_EQ(in.points[1].time(), 7);
  ASSERT_EQ(in.errors.size(), 1u);
  EXPECT_THAT(in.errors[0], ::testing::StartsWith("input:4:7: error: invalid field value"));
  EXPECT_EQ(in.stats.lines, 5u);
}

TEST(ReaderTest, ErrorsInsideMultiLineRecordsPointAtTheRightLine) {
  const ParsedInput in = ParseAll("cpu s=\"a\nb\",v=1x 5\ncpu v=1 6\n");
  EXPECT_THAT(in.errors, ElementsAre("input:2:6: error: invalid integer \"1x\"\n"
                                     "b\",v=1x 5\n"
                                     "     ^"));
  EXPECT_EQ(in.points.size(), 1u);
  EXPECT_EQ(in.stats.lines, 3u);
}

TEST(ReaderTest, UnterminatedStringAtEndOfInput) {
  const ParsedInput in = ParseAll("cpu v=1 1\ncpu s=\"open\nstill open\n");
  EXPECT_EQ(in.points.size(), 1u);
  EXPECT_THAT(in.errors, ElementsAre("input:2:7: error: unterminated string value for key \"s\"\n"
                                     "cpu s=\"open\n"
                                     "      ^"));
  EXPECT_EQ(in.stats.lines, 3u);
}

// Feeding any chunking of the input gives the same points, errors and stats.
TEST(ReaderTest, ChunkingDoesNotMatter) {
  const std::string text =
      "# header\r\n"
      "cpu,host=a,region=r usage_idle=5.0,usage_user=80.1 1\n"
      "cpu s=\"multi\n"
      "line \\\\ \\\" string\",v=2i 2\n"
      "bad\n"
      "cpu\\ x,t\\=1=v\\,w f\\ k=t 3\r\n"
      "\n"
      "mem free=12u,used=-1e-3 4";
  const ParsedInput whole = ParseAll(text);
  ASSERT_EQ(whole.points.size(), 4u);
  ASSERT_EQ(whole.errors.size(), 1u);
  for (size_t chunk = 1; chunk <= text.size(); ++chunk) {
    LineProtocolReader reader(ReaderOptions{});
    std::vector<std::string> points, errors;
    for (size_t at = 0; at < text.size(); at += chunk) {
      reader.Feed(
          std::string_view(text).substr(at, chunk),
          [&](const Point& p) { points.push_back(DebugString(p)); },
          [&](std::string_view d) { errors.emplace_back(d); });
    }
    reader.Finish([&](const Point& p) { points.push_back(DebugString(p)); },
                  [&](std::string_view d) { errors.emplace_back(d); });
    EXPECT_EQ(points, Texts(whole.points)) << "chunk " << chunk;
    EXPECT_EQ(errors, whole.errors) << "chunk " << chunk;
    EXPECT_EQ(reader.stats().lines, whole.stats.lines) << "chunk " << chunk;
    EXPECT_EQ(reader.stats().bytes, text.size());
  }
}

TEST(ReaderTest, MegabyteLines) {
  const std::string big(1 << 20, 'x');
  std::string text = "log msg=\"" + big + "\",n=1i 9\n";
  std::string fields = "wide ";
  for (int i = 0; i < 50000; ++i) {
    if (i) fields += ',';
    fields += "f" + std::to_string(i) + "=" + std::to_string(i) + "i";
  }
  text += fields + " 10\n";
  const ParsedInput in = ParseAll(text);
  ASSERT_THAT(in.errors, IsEmpty());
  ASSERT_EQ(in.points.size(), 2u);
  EXPECT_EQ(in.points[0].FindField(Intern("msg"))->value.string_value(), big);
  ASSERT_EQ(in.points[1].fields().size(), 50000u);
  EXPECT_EQ(in.points[1].FindField(Intern("f49999"))->value, Value::Int(49999));
  // Sorted by name: "f0" < "f1" < "f10" < ...
  EXPECT_EQ(SymbolName(in.points[1].fields()[2].key), "f10");
}

TEST(ReaderTest, LongLineDiagnosticShowsAWindowAroundTheColumn) {
  const std::string prefix = "cpu s=\"" + std::string(300, 'a') + "\",v=";
  const std::string line = prefix + "12x," + std::string(300, 'b') + "=1";
  const ParsedInput in = ParseAll(line + "\n");
  ASSERT_EQ(in.errors.size(), 1u);
  const size_t column = prefix.size() + 1;
  ASSERT_EQ(column, 312u);
  // 60 bytes before the column, 60 from it, "..." on both sides; caret under '1' of "12x".
  const std::string shown = "..." + line.substr(column - 1 - 60, 120) + "...";
  EXPECT_EQ(shown.substr(63, 3), "12x");
  EXPECT_EQ(in.errors[0], "input:1:312: error: invalid integer \"12x\"\n" + shown + "\n" +
                              std::string(63, ' ') + "^");
}

TEST(ReaderTest, LongLineDiagnosticNearTheStart) {
  const std::string line = "cpu v=" + std::string(400, '9') + "x";
  const ParsedInput in = ParseAll(line);
  ASSERT_EQ(in.errors.size(), 1u);
  const std::string shown = line.substr(0, 66) + "...";
  EXPECT_EQ(in.errors[0], "input:1:7: error: invalid integer \"" + std::string(40, '9') +
                              "...\"\n" + shown + "\n      ^");
}

TEST(ReaderTest, FilenameInDiagnostics) {
  ReaderOptions o;
  o.filename = "data/cpu.lp";
  const ParsedInput in = ParseAll("cpu\n", o);
  EXPECT_THAT(in.errors, ElementsAre("data/cpu.lp:1:4: error: missing fields\ncpu\n   ^"));
}

TEST(ReaderTest, ReadFdAndReadFile) {
  char path[] = "/tmp/lineproto_reader_testXXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  std::string text;
  for (int i = 0; i < 300000; ++i)
    text += "cpu,host=h" + std::to_string(i % 7) + " v=" + std::to_string(i) + "i " +
            std::to_string(i) + "\n";
  text += "cpu v=x 1\n";
  ASSERT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  ASSERT_EQ(lseek(fd, 0, SEEK_SET), 0);

  LineProtocolReader reader(ReaderOptions{});
  int64_t sum = 0;
  std::vector<std::string> errors;
  ASSERT_TRUE(reader
                  .ReadFd(
                      fd, [&](const Point& p) { sum += p.fields()[0].value.int_value(); },
                      [&](std::string_view d) { errors.emplace_back(d); })
                  .ok());
  close(fd);
  EXPECT_EQ(sum, 299999LL * 300000LL / 2);
  EXPECT_EQ(reader.stats().points, 300000u);
  EXPECT_EQ(reader.stats().lines, 300001u);
  EXPECT_EQ(reader.stats().bytes, text.size());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], ::testing::StartsWith("input:300001:7: error: invalid field value"));

  std::FILE* f = std::fopen(path, "rb");
  ASSERT_NE(f, nullptr);
  LineProtocolReader reader2(ReaderOptions{});
  ASSERT_TRUE(reader2
                  .ReadFile(
                      f, [](const Point&) {}, [](std::string_view) {})
                  .ok());
  std::fclose(f);
  unlink(path);
  EXPECT_EQ(reader2.stats().points, 300000u);
  EXPECT_EQ(reader2.stats().errors, 1u);
}

TEST(ReaderTest, ReadFdReportsIoErrors) {
  LineProtocolReader reader(ReaderOptions{});
  const absl::Status s = reader.ReadFd(
      -1, [](const Point&) {}, [](std::string_view) {});
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(s.message(), "input: read error: Bad file descriptor");
}

// ---- .srpl ------------------------------------------------------------------------------

ReaderOptions Srpl() {
  ReaderOptions o;
  o.format = LineFormat::kSrpl;
  o.filename = "test.srpl";
  return o;
}

TEST(SrplTest, RecordsCarryDatabaseAndRetentionPolicy) {
  const ParsedInput in = ParseAll(
      "dbname\n"
      "rpname\n"
      "cpu,type=idle,host=serverA value=97.1 0000000001\n"
      "dbname\n"
      "rpname\n"
      "cpu,type=idle,host=serverA value=92.6 0000000002 \n"
      "other\r\n"
      "autogen\r\n"
      "mem used=5i 3\r\n",
      Srpl());
  EXPECT_THAT(in.errors, IsEmpty());
  EXPECT_THAT(Texts(in.points),
              ElementsAre("dbname.rpname cpu,host=serverA,type=idle value=97.1 1000000000",
                          "dbname.rpname cpu,host=serverA,type=idle value=92.6 2000000000",
                          "other.autogen mem used=5i 3000000000"));
  EXPECT_EQ(in.stats.lines, 9u);
}

TEST(SrplTest, PrecisionOptionOverridesSeconds) {
  ReaderOptions o = Srpl();
  o.precision = Precision::kMillisecond;
  const ParsedInput in = ParseAll("db\nrp\ncpu v=1 1500\n", o);
  ASSERT_EQ(in.points.size(), 1u);
  EXPECT_EQ(in.points[0].time(), 1'500'000'000);
}

TEST(SrplTest, MissingTimestampUsesDefaultTime) {
  ReaderOptions o = Srpl();
  o.default_time = 77;
  const ParsedInput in = ParseAll("db\nrp\ncpu v=1\n", o);
  ASSERT_EQ(in.points.size(), 1u);
  EXPECT_EQ(in.points[0].time(), 77);
}

TEST(SrplTest, TruncatedRecord) {
  ParsedInput in = ParseAll("db\nrp\ncpu v=1 1\ndb\nrp\n", Srpl());
  EXPECT_EQ(in.points.size(), 1u);
  EXPECT_THAT(
      in.errors,
      ElementsAre("test.srpl:5:3: error: invalid replay file format, expected another line\n"
                  "rp\n"
                  "  ^"));
  in = ParseAll("db", Srpl());
  EXPECT_THAT(
      in.errors,
      ElementsAre("test.srpl:1:3: error: invalid replay file format, expected another line\n"
                  "db\n"
                  "  ^"));
}

TEST(SrplTest, BadPointLineIsReportedAndTheNextRecordFlows) {
  const ParsedInput in = ParseAll("db\nrp\ncpu value=\ndb\nrp\n\ndb\nrp\ncpu v=1 1\n", Srpl());
  EXPECT_THAT(Texts(in.points), ElementsAre("db.rp cpu v=1.0 1000000000"));
  EXPECT_THAT(
      in.errors,
      ElementsAre("test.srpl:3:11: error: missing field value for key \"value\"\n"
                  "cpu value=\n"
                  "          ^",
                  "test.srpl:6:1: error: invalid replay file format, expected a line-protocol "
                  "point as the third line of the record\n"
                  "\n"
                  "^"));
  EXPECT_EQ(in.stats.errors, 2u);
}

TEST(SrplTest, SrplTimestampOverflowAtSecondPrecision) {
  const ParsedInput in = ParseAll("db\nrp\ncpu v=1 9999999999999\n", Srpl());
  EXPECT_THAT(in.errors, ElementsAre("test.srpl:3:9: error: timestamp \"9999999999999\" out of "
                                     "range for precision \"s\"\n"
                                     "cpu v=1 9999999999999\n"
                                     "        ^"));
}

}  // namespace
}  // namespace tick::nodes
