// End to end: KafkaRuntime directly (embedded cluster, handler files, dump), and the real
// `tickrun run` binary with --embedded-kafka / --kafka-dump / --handlers / --config, read back
// with the runtime's consumer and with /usr/bin/kcat.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "cli/kafka_runtime.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "kafka/mock_cluster.h"
#include "kafka/partition.h"
#include "nodes/alert_event.h"
#include "tests/testing/status_matchers.h"

namespace tick::cli {
namespace {

using ::testing::HasSubstr;
using tick::testing::IsOk;
using tick::testing::StatusIs;

const std::string kSrc = TICK_SOURCE_DIR;
const std::string kBinary = std::string(TICK_BINARY_DIR) + "/cli/tickrun";

class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("tick_e2e_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return (path_ / name).string(); }
  std::string Write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
    return File(name);
  }

 private:
  std::filesystem::path path_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  for (absl::string_view l : absl::StrSplit(text, '\n', absl::SkipEmpty())) out.emplace_back(l);
  return out;
}

struct RunResult {
  int rc = -1;
  std::string out;
  std::string err;
};

RunResult RunShell(const std::string& cmd, const TempDir& dir) {
  const std::string out = dir.File("stdout.txt");
  const std::string err = dir.File("stderr.txt");
  const int status = std::system((cmd + " >" + out + " 2>" + err).c_str());
  RunResult r;
  r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadFile(out);
  r.err = ReadFile(err);
  return r;
}

// The "id" of an event JSON line (ids in these tests need no JSON escaping).
std::string IdOf(const std::string& json_line) {
  const std::string prefix = "{\"id\":\"";
  EXPECT_EQ(json_line.rfind(prefix, 0), 0u);
  return json_line.substr(prefix.size(), json_line.find('"', prefix.size()) - prefix.size());
}

// What a crc32-keyed producer must have written to a `partitions`-partition topic for these
// alert lines (in order): dump lines sorted by partition then offset.
std::string ExpectedDump(const std::vector<std::string>& alerts, const std::string& topic,
                         int partitions) {
  std::map<int32_t, std::vector<kafka::ConsumedMessage>> by_partition;
  for (const std::string& a : alerts) {
    kafka::ConsumedMessage m;
    m.topic = topic;
    m.key = IdOf(a);
    m.partition = *kafka::PartitionFor(kafka::PartitionAlgorithm::kCrc32, m.key, partitions);
    m.offset = static_cast<int64_t>(by_partition[m.partition].size());
    m.value = a + "\n";
    by_partition[m.partition].push_back(m);
  }
  std::string out;
  for (const auto& [p, msgs] : by_partition) {
    for (const kafka::ConsumedMessage& m : msgs) out += kafka::ToJsonLine(m) + "\n";
  }
  return out;
}

// A per-host alert so that several keys (and partitions) are involved.
constexpr char kGroupedKafkaScript[] =
    "stream\n"
    "  |from()\n"
    "    .measurement('cpu')\n"
    "    .groupBy('host')\n"
    "  |alert()\n"
    "    .id('{{ index .Tags \"host\" }}/cpu')\n"
    "    .crit(lambda: \"usage_idle\" < 10)\n"
    "    .message('Hey, check your CPU')\n"
    "    .kafka()\n"
    "      .kafkaTopic('cpu-alerts')\n";

// ---- the runtime, directly -------------------------------------------------------------------

struct TestEvent {
  std::string id;
  std::vector<nodes::AlertTag> tags{{"host", "serverA"}};
  std::vector<nodes::AlertField> fields{{"usage_idle", interp::Value::Float(5)}};
  nodes::AlertEventData data;
  std::string json;
  TestEvent(std::string event_id, nodes::AlertLevel level, nodes::AlertLevel prev)
      : id(std::move(event_id)) {
    data.id = id;
    data.message = "Hey, check your CPU";
    data.time_ns = 31536010000000000;
    data.level = level;
    data.previous_level = prev;
    data.name = "cpu";
    data.tags = tags;
    data.fields = fields;
    EXPECT_TRUE(nodes::AppendEventJson(data, &json));
  }
};

TEST(KafkaRuntime, TopicHandlersInlineHandlersReportAndDump) {
  TempDir dir;
  KafkaRunOptions o;
  o.embedded = true;
  o.handler_paths = {kSrc + "/scripts/handlers/kafka_cpu_handler.yaml",
                     kSrc + "/scripts/handlers/kafka_cpu_critical_template.yaml"};
  o.dump_path = dir.File("dump.jsonl");
  o.task_name = "cpu_alert";
  auto rt = KafkaRuntime::Start(o);
  ASSERT_THAT(rt.status(), IsOk());
  EXPECT_EQ((*rt)->enabled_cluster_ids(), std::vector<std::string>{"default"});
  ASSERT_NE((*rt)->topic_sink(), nullptr);

  interp::HandlerSpec inline_spec;
  inline_spec.kind = "kafka";
  inline_spec.id = "alert2:kafka0";
  inline_spec.options.push_back({"topic", std::string("inline"), {}});
  auto inline_handler = (*rt)->handler_factory()->Create(inline_spec);
  ASSERT_THAT(inline_handler.status(), IsOk());

  const TestEvent crit("serverA", nodes::AlertLevel::kCritical, nodes::AlertLevel::kOK);
  const TestEvent crit2("serverA", nodes::AlertLevel::kCritical, nodes::AlertLevel::kCritical);
  const TestEvent ok("serverB", nodes::AlertLevel::kOK, nodes::AlertLevel::kCritical);
  for (const TestEvent* e : {&crit, &crit2, &ok}) {
    (*rt)->topic_sink()->Publish("cpu", e->data, e->json);
  }
  (*inline_handler)->Handle(ok.data, ok.json);
  ASSERT_THAT((*inline_handler)->Close(absl::Seconds(10)), IsOk());

  std::FILE* report = std::fopen(dir.File("report.txt").c_str(), "w");
  ASSERT_NE(report, nullptr);
  absl::StatusOr<uint64_t> failed = (*rt)->Finish(absl::Seconds(10), report);
  std::fclose(report);
  ASSERT_THAT(failed.status(), IsOk());
  EXPECT_EQ(*failed, 0u);

  // Expected messages: cpu-alerts gets all three JSON events (crc32: serverA -> 1, serverB -> 0);
  // cpu-critical only the changed CRITICAL one, rendered, murmur2-placed; inline gets one.
  auto msg = [](std::string topic, int32_t p, int64_t off, std::string key, std::string value) {
    kafka::ConsumedMessage m;
    m.topic = std::move(topic);
    m.partition = p;
    m.offset = off;
    m.key = std::move(key);
    m.value = std::move(value);
    return kafka::ToJsonLine(m) + "\n";
  };
  const int32_t murmur_a = *kafka::PartitionFor(kafka::PartitionAlgorithm::kMurmur2, "serverA", 3);
  const std::string expected =
      msg("cpu-alerts", 0, 0, "serverB", ok.json) + msg("cpu-alerts", 1, 0, "serverA", crit.json) +
      msg("cpu-alerts", 1, 1, "serverA", crit2.json) +
      msg("cpu-critical", murmur_a, 0, "serverA", "CRITICAL serverA: Hey, check your CPU") +
      msg("inline", 0, 0, "serverB", ok.json);
  EXPECT_EQ(ReadFile(o.dump_path), expected);

  const std::string r = ReadFile(dir.File("report.txt"));
  EXPECT_THAT(r, HasSubstr("kafka cluster \"default\": 5 sent, 5 delivered, 0 failed\n"
                           "  topic \"cpu-alerts\": 3 sent, 3 delivered, 0 failed\n"
                           "  topic \"cpu-critical\": 1 sent, 1 delivered, 0 failed\n"
                           "  topic \"inline\": 1 sent, 1 delivered, 0 failed\n"));
  EXPECT_THAT(r, HasSubstr("topic \"cpu\": 3 events\n"
                           "  handler \"kafka-cpu-alert\" kafka(cluster=default, "
                           "topic=cpu-alerts): 3 matched, 0 not matched, 0 match errors, 3 "
                           "delivered, 0 failed\n"
                           "  handler \"kafka-cpu-critical-text\" kafka(cluster=default, "
                           "topic=cpu-critical, partitionAlgorithm=murmur2, template): 1 matched, "
                           "2 not matched, 0 match errors, 1 delivered, 0 failed\n"));
  EXPECT_THAT(r, HasSubstr("  topic \"cpu-alerts\": 3 messages\n"
                           "    partition 0: 1 messages\n"));
  EXPECT_THAT(r, HasSubstr("    partition 1: 2 messages\n      offset 0 key \"serverA\" value "
                           "{\"id\":\"serverA\""));
}

TEST(KafkaRuntime, StartErrors) {
  TempDir dir;
  KafkaRunOptions dump_only;
  dump_only.dump_path = dir.File("d.jsonl");
  EXPECT_THAT(KafkaRuntime::Start(dump_only).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "--kafka-dump needs --embedded-kafka"));

  KafkaRunOptions bad_cluster;
  bad_cluster.embedded = true;
  bad_cluster.handler_paths = {dir.Write(
      "h.yaml", "id: a\ntopic: cpu\nkind: kafka\noptions:\n  cluster: infra\n  topic: t\n")};
  EXPECT_THAT(KafkaRuntime::Start(bad_cluster).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       dir.File("h.yaml") + ":5:3: error: unknown cluster \"infra\"\n"
                                            "  cluster: infra\n  ^"));

  KafkaRunOptions two;
  two.embedded = true;
  two.config_path = dir.Write("k.conf",
                              "[[kafka]]\nenabled = true\nid = \"a\"\nbrokers = [\"x:1\"]\n"
                              "[[kafka]]\nenabled = true\nid = \"b\"\nbrokers = [\"x:1\"]\n");
  two.handler_paths = {
      dir.Write("h2.yaml", "id: a\ntopic: cpu\nkind: kafka\noptions:\n  topic: t\n")};
  EXPECT_THAT(KafkaRuntime::Start(two).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       dir.File("h2.yaml") +
                           ":3:1: error: several kafka clusters are enabled (a, b): select one "
                           "with cluster\nkind: kafka\n^"));
}

TEST(KafkaRuntime, LogTopicHandlerWithMatchAndTaskName) {
  TempDir dir;
  const std::string log = dir.File("alerts.log");
  KafkaRunOptions o;
  o.task_name = "cpu_alert";
  o.handler_paths = {dir.Write("log.json",
                               "{\"id\": \"log1\", \"topic\": \"cpu\", \"kind\": "
                               "\"log\", \"options\": {\"path\": \"" +
                                   log +
                                   "\"}, \"match\": \"changed() AND taskName() == "
                                   "'cpu_alert'\"}")};
  auto rt = KafkaRuntime::Start(o);
  ASSERT_THAT(rt.status(), IsOk());
  EXPECT_TRUE((*rt)->enabled_cluster_ids().empty());
  const TestEvent crit("serverA", nodes::AlertLevel::kCritical, nodes::AlertLevel::kOK);
  const TestEvent crit2("serverA", nodes::AlertLevel::kCritical, nodes::AlertLevel::kCritical);
  const TestEvent ok("serverA", nodes::AlertLevel::kOK, nodes::AlertLevel::kCritical);
  for (const TestEvent* e : {&crit, &crit2, &ok}) {
    (*rt)->topic_sink()->Publish("cpu", e->data, e->json);
  }
  std::FILE* report = std::fopen(dir.File("report.txt").c_str(), "w");
  ASSERT_NE(report, nullptr);
  absl::StatusOr<uint64_t> failed = (*rt)->Finish(absl::Seconds(5), report);
  std::fclose(report);
  ASSERT_THAT(failed.status(), IsOk());
  EXPECT_EQ(*failed, 0u);
  EXPECT_EQ(ReadFile(log), crit.json + ok.json);
  EXPECT_THAT(ReadFile(dir.File("report.txt")),
              HasSubstr("topic \"cpu\": 3 events\n  handler \"log1\" "));
  EXPECT_THAT(ReadFile(dir.File("report.txt")),
              HasSubstr(": 2 matched, 1 not matched, 0 match errors, 2 delivered, 0 failed\n"));
}

TEST(KafkaRuntime, UndeliverableAlertsAreCountedAsFailures) {
  TempDir dir;
  KafkaRunOptions o;
  // Nothing listens on port 1; messages time out after 1s.
  o.config_path = dir.Write("k.conf",
                            "[[kafka]]\nenabled = true\nid = \"dead\"\nbrokers = "
                            "[\"127.0.0.1:1\"]\ntimeout = \"1s\"\nbatch-timeout = \"10ms\"\n");
  o.handler_paths = {kSrc + "/scripts/handlers/kafka_cpu_handler.yaml"};
  auto rt = KafkaRuntime::Start(o);
  ASSERT_THAT(rt.status(), IsOk());
  const TestEvent crit("serverA", nodes::AlertLevel::kCritical, nodes::AlertLevel::kOK);
  const TestEvent ok("serverB", nodes::AlertLevel::kOK, nodes::AlertLevel::kCritical);
  (*rt)->topic_sink()->Publish("cpu", crit.data, crit.json);
  (*rt)->topic_sink()->Publish("cpu", ok.data, ok.json);
  std::FILE* report = std::fopen(dir.File("report.txt").c_str(), "w");
  ASSERT_NE(report, nullptr);
  absl::StatusOr<uint64_t> failed = (*rt)->Finish(absl::Seconds(5), report);
  std::fclose(report);
  ASSERT_THAT(failed.status(), IsOk());
  EXPECT_EQ(*failed, 2u);
  const std::string r = ReadFile(dir.File("report.txt"));
  EXPECT_THAT(r, HasSubstr("kafka cluster \"dead\": 2 sent, 0 delivered, 2 failed\n"
                           "  topic \"cpu-alerts\": 2 sent, 0 delivered, 2 failed\n"));
  EXPECT_THAT(r, HasSubstr("kafka(cluster=dead, topic=cpu-alerts): 2 matched, 0 not matched, 0 "
                           "match errors, 0 delivered, 2 failed\n"));
}

// ---- the binary --------------------------------------------------------------------------

// e2e_test depends on the tickrun target, so the binary is always there.
class Binary : public ::testing::Test {
 protected:
  TempDir dir_;
};

TEST_F(Binary, SpecPageTopicHandlerPairLandsInCpuAlerts) {
  const std::string dump = dir_.File("dump.jsonl");
  const std::string alerts = dir_.File("alerts.jsonl");
  RunResult r = RunShell(kBinary + " run " + kSrc + "/scripts/cpu_alert.tick --input " + kSrc +
                             "/scripts/data/cpu.lp --embedded-kafka --handlers " + kSrc +
                             "/scripts/handlers/kafka_cpu_handler.yaml --kafka-dump " + dump +
                             " --alerts " + alerts,
                         dir_);
  ASSERT_EQ(r.rc, 0) << r.err;
  const std::vector<std::string> a = Lines(ReadFile(alerts));
  ASSERT_EQ(a.size(), 22u);
  // Every alert published to topic `cpu` reached Kafka topic `cpu-alerts`, same bytes.
  EXPECT_EQ(ReadFile(dump), ExpectedDump(a, "cpu-alerts", 3));
  EXPECT_THAT(r.err, HasSubstr("topic \"cpu\": 22 events\n  handler \"kafka-cpu-alert\" "
                               "kafka(cluster=default, topic=cpu-alerts): 22 matched, 0 not "
                               "matched, 0 match errors, 22 delivered, 0 failed\n"));
}

TEST_F(Binary, SpecPageKafkaScriptDumpIsExact) {
  const std::string dump = dir_.File("dump.jsonl");
  const std::string alerts = dir_.File("alerts.jsonl");
  RunResult r = RunShell(kBinary + " run " + kSrc + "/scripts/kafka-cpu-alert.tick --input " +
                             kSrc + "/scripts/data/cpu.lp --config " + kSrc +
                             "/scripts/kafka.conf --embedded-kafka --kafka-dump " + dump +
                             " --alerts " + alerts,
                         dir_);
  ASSERT_EQ(r.rc, 0) << r.err;
  const std::vector<std::string> a = Lines(ReadFile(alerts));
  ASSERT_EQ(a.size(), 22u);
  EXPECT_EQ(ReadFile(dump), ExpectedDump(a, "cpu-alerts", 3));
  EXPECT_THAT(r.err, HasSubstr("kafka cluster \"infra-monitoring\": 22 sent, 22 delivered, 0 "
                               "failed\n"));
}

TEST_F(Binary, GroupedKeysSpreadOverPartitionsExactly) {
  const std::string script = dir_.Write("grouped.tick", kGroupedKafkaScript);
  const std::string dump = dir_.File("dump.jsonl");
  const std::string alerts = dir_.File("alerts.jsonl");
  RunResult r = RunShell(kBinary + " run " + script + " --input " + kSrc +
                             "/scripts/data/cpu.lp --embedded-kafka --kafka-dump " + dump +
                             " --alerts " + alerts,
                         dir_);
  ASSERT_EQ(r.rc, 0) << r.err;
  const std::vector<std::string> a = Lines(ReadFile(alerts));
  ASSERT_GT(a.size(), 2u);
  const std::string expected = ExpectedDump(a, "cpu-alerts", 3);
  EXPECT_EQ(ReadFile(dump), expected);
  // More than one partition is used (server03/cpu -> 0, server05/cpu -> 1).
  EXPECT_NE(expected.find(
                "{\"topic\":\"cpu-alerts\",\"partition\":0,\"offset\":0,\"key\":\"server03/cpu\""),
            std::string::npos);
  EXPECT_NE(expected.find(
                "{\"topic\":\"cpu-alerts\",\"partition\":1,\"offset\":0,\"key\":\"server05/cpu\""),
            std::string::npos);
}

TEST_F(Binary, KcatReadsWhatTheBinaryWroteToAnExternalCluster) {
  auto mc = kafka::EmbeddedCluster::Create(3);
  ASSERT_THAT(mc.status(), IsOk());
  ASSERT_THAT((*mc)->CreateTopic("cpu-alerts", 3), IsOk());
  const std::string conf = dir_.Write(
      "kapacitor.conf", "[[kafka]]\nenabled = true\nid = \"infra-monitoring\"\nbrokers = [\"" +
                            (*mc)->bootstraps() + "\"]\nbatch-timeout = \"10ms\"\n");
  const std::string script = dir_.Write("grouped.tick", kGroupedKafkaScript);
  const std::string alerts = dir_.File("alerts.jsonl");
  RunResult r = RunShell(kBinary + " run " + script + " --input " + kSrc +
                             "/scripts/data/cpu.lp --config " + conf + " --alerts " + alerts,
                         dir_);
  ASSERT_EQ(r.rc, 0) << r.err;
  const std::vector<std::string> a = Lines(ReadFile(alerts));
  ASSERT_GT(a.size(), 2u);

  // kcat: partition, offset, key, then the value (which ends with its own newline).
  RunResult k = RunShell("/usr/bin/kcat -C -q -e -b " + (*mc)->bootstraps() +
                             " -t cpu-alerts -o beginning -f '%p|%o|%k|%s'",
                         dir_);
  ASSERT_EQ(k.rc, 0) << k.err;
  std::map<int32_t, std::vector<kafka::ConsumedMessage>> got;
  for (const std::string& line : Lines(k.out)) {
    std::vector<std::string> parts = absl::StrSplit(line, absl::MaxSplits('|', 3));
    ASSERT_EQ(parts.size(), 4u) << line;
    kafka::ConsumedMessage m;
    m.topic = "cpu-alerts";
    m.partition = std::stoi(parts[0]);
    m.offset = std::stoll(parts[1]);
    m.key = parts[2];
    m.value = parts[3] + "\n";
    got[m.partition].push_back(m);
  }
  std::string consumed;
  for (const auto& [p, msgs] : got) {
    // kcat interleaves partitions; within a partition offsets are in order.
    for (const kafka::ConsumedMessage& m : msgs) consumed += kafka::ToJsonLine(m) + "\n";
  }
  EXPECT_EQ(consumed, ExpectedDump(a, "cpu-alerts", 3));
}

TEST_F(Binary, UndeliverableAlertsExitWithCode3) {
  const std::string conf = dir_.Write("k.conf",
                                      "[[kafka]]\nenabled = true\nid = \"dead\"\nbrokers = "
                                      "[\"127.0.0.1:1\"]\ntimeout = \"1s\"\n");
  RunResult r = RunShell(kBinary + " run " + kSrc + "/scripts/kafka-cpu-alert.tick --input " +
                             kSrc + "/scripts/data/cpu.lp --config " + conf,
                         dir_);
  EXPECT_EQ(r.rc, 3) << r.err;
  EXPECT_THAT(r.err, HasSubstr("kafka cluster \"dead\": 22 sent, 0 delivered, 22 failed\n"));
}

TEST_F(Binary, UnknownClusterInHandlerFileExitsWithInputError) {
  const std::string h = dir_.Write(
      "h.yaml", "id: a\ntopic: cpu\nkind: kafka\noptions:\n  cluster: nope\n  topic: t\n");
  RunResult r = RunShell(kBinary + " run " + kSrc + "/scripts/cpu_alert.tick --input " + kSrc +
                             "/scripts/data/cpu.lp --embedded-kafka --handlers " + h,
                         dir_);
  EXPECT_EQ(r.rc, 1);
  EXPECT_THAT(r.err, HasSubstr(h + ":5:3: error: unknown cluster \"nope\"\n"));
}

}  // namespace
}  // namespace tick::cli
