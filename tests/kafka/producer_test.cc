// Producer against librdkafka's mock cluster (real Kafka protocol over TCP on 127.0.0.1):
// placement of every algorithm, batching, several clusters, broker outages, injected errors,
// the local-queue bound, and an end-to-end read-back with kcat.
#include "kafka/producer.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "kafka/mock_cluster.h"
#include "tests/kafka/kafka_test_util.h"
#include "tests/testing/status_matchers.h"

namespace tick::kafka {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::tick::kafka::testing::LogCollector;
using ::tick::kafka::testing::MockConfig;
using ::tick::testing::IsOk;
using ::tick::testing::StatusIs;

class ProducerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto mc = EmbeddedCluster::Create(3);
    ASSERT_THAT(mc, IsOk());
    mc_ = std::move(*mc);
  }

  std::unique_ptr<Producer> MakeProducer(ClusterConfig c, ProducerOptions o = {}) {
    if (!o.log) o.log = log_.Fn();
    o.extra_properties.push_back({"reconnect.backoff.max.ms", "500"});
    o.extra_properties.push_back({"reconnect.backoff.ms", "50"});
    auto p = Producer::Create(c, std::move(o));
    EXPECT_THAT(p, IsOk());
    return p.ok() ? std::move(*p) : nullptr;
  }

  std::vector<ConsumedMessage> Read(const std::string& topic) {
    auto got = mc_->ReadAll(topic);
    EXPECT_THAT(got, IsOk());
    return got.ok() ? *got : std::vector<ConsumedMessage>{};
  }

  std::unique_ptr<EmbeddedCluster> mc_;
  LogCollector log_;
};

struct SixRow {
  const char* key;
  int crc32, murmur2, fnv1a;
};
// kafka-testing.md §3 (N=6).
const SixRow kSix[] = {
    {"cpu:nil", 2, 4, 4},  {"server01", 5, 3, 3}, {"a", 3, 4, 0},
    {"server02", 1, 4, 0}, {"alert", 5, 1, 3},    {"disk:/var", 4, 3, 0},
    {"mem:high", 3, 0, 4}, {"0", 5, 2, 3},        {"host-123.example.com", 0, 2, 3},
};

TEST_F(ProducerTest, EveryAlgorithmPlacesKeysLikeKapacitor) {
  const std::vector<std::pair<PartitionAlgorithm, std::string>> algs = {
      {PartitionAlgorithm::kCrc32, "t-crc32"},
      {PartitionAlgorithm::kMurmur2, "t-murmur2"},
      {PartitionAlgorithm::kFnv1a, "t-fnv1a"}};
  for (const auto& [alg, topic] : algs) ASSERT_THAT(mc_->CreateTopic(topic, 6), IsOk());
  auto p = MakeProducer(MockConfig("c1", mc_->bootstraps()));
  ASSERT_NE(p, nullptr);
  for (const auto& [alg, topic] : algs) {
    for (const SixRow& r : kSix) {
      ASSERT_THAT(p->Produce(topic, r.key, absl::StrCat("{\"id\":\"", r.key, "\"}\n"), alg, true),
                  IsOk());
    }
    if (alg != PartitionAlgorithm::kCrc32) {
      ASSERT_THAT(p->Produce(topic, "", "empty", alg, true), IsOk());
    }
  }
  ASSERT_THAT(p->Flush(absl::Seconds(10)), IsOk());
  for (const auto& [alg, topic] : algs) {
    std::vector<ConsumedMessage> got = Read(topic);
    ASSERT_THAT(got, SizeIs(alg == PartitionAlgorithm::kCrc32 ? 9 : 10)) << topic;
    std::map<std::string, ConsumedMessage> by_key;
    for (const ConsumedMessage& m : got) {
      EXPECT_FALSE(m.key_is_null);
      by_key[m.key] = m;
    }
    for (const SixRow& r : kSix) {
      const int want = alg == PartitionAlgorithm::kCrc32     ? r.crc32
                       : alg == PartitionAlgorithm::kMurmur2 ? r.murmur2
                                                             : r.fnv1a;
      ASSERT_EQ(by_key.count(r.key), 1u) << topic << " " << r.key;
      EXPECT_EQ(by_key[r.key].partition, want) << topic << " " << r.key;
      EXPECT_EQ(by_key[r.key].value, absl::StrCat("{\"id\":\"", r.key, "\"}\n"));
    }
    if (alg != PartitionAlgorithm::kCrc32) {
      // Empty keys are hashed by murmur2 and fnv-1a: partition 3 of 6 for both.
      EXPECT_EQ(by_key[""].partition, 3) << topic;
      EXPECT_EQ(by_key[""].value, "empty");
    }
  }
  ProducerStats s = p->Close(absl::Seconds(5));
  EXPECT_EQ(s.delivered, 29u);
  EXPECT_EQ(s.failed, 0u);
  ASSERT_THAT(s.topics, SizeIs(3));
  EXPECT_EQ(s.topics[0].topic, "t-crc32");
  EXPECT_EQ(s.topics[0].delivered, 9u);
  EXPECT_EQ(s.topics[1].topic, "t-fnv1a");
  EXPECT_EQ(s.topics[1].delivered, 10u);
}

TEST_F(ProducerTest, PartitionerIsChosenPerMessageOnOneTopic) {
  // No "first writer wins": the same topic receives each algorithm's placement.
  ASSERT_THAT(mc_->CreateTopic("mixed", 6), IsOk());
  auto p = MakeProducer(MockConfig("c1", mc_->bootstraps()));
  ASSERT_THAT(p->Produce("mixed", "a", "crc32", PartitionAlgorithm::kCrc32, true), IsOk());
  ASSERT_THAT(p->Produce("mixed", "a", "murmur2", PartitionAlgorithm::kMurmur2, true), IsOk());
  ASSERT_THAT(p->Produce("mixed", "a", "fnv-1a", PartitionAlgorithm::kFnv1a, true), IsOk());
  ASSERT_THAT(p->Flush(absl::Seconds(10)), IsOk());
  std::map<std::string, int> where;
  for (const ConsumedMessage& m : Read("mixed")) where[m.value] = m.partition;
  EXPECT_EQ(where["crc32"], 3);
  EXPECT_EQ(where["murmur2"], 4);
  EXPECT_EQ(where["fnv-1a"], 0);
}

TEST_F(ProducerTest, EmptyKeyWithCrc32AndDisabledPartitionByIdSpreadAtRandom) {
  ASSERT_THAT(mc_->CreateTopic("spread", 6), IsOk());
  auto p = MakeProducer(MockConfig("c1", mc_->bootstraps()));
  for (int i = 0; i < 300; ++i) {
    ASSERT_THAT(p->Produce("spread", "", absl::StrCat("e", i), PartitionAlgorithm::kCrc32, true),
                IsOk());
    ASSERT_THAT(
        p->Produce("spread", "cpu:nil", absl::StrCat("d", i), PartitionAlgorithm::kMurmur2, false),
        IsOk());
  }
  ASSERT_THAT(p->Flush(absl::Seconds(10)), IsOk());
  std::set<int> empty_parts, disabled_parts;
  int n_empty = 0, n_disabled = 0;
  for (const ConsumedMessage& m : Read("spread")) {
    if (m.value[0] == 'e') {
      ++n_empty;
      EXPECT_EQ(m.key, "");
      EXPECT_FALSE(m.key_is_null);
      empty_parts.insert(m.partition);
    } else {
      ++n_disabled;
      EXPECT_EQ(m.key, "cpu:nil");  // the key is kept
      disabled_parts.insert(m.partition);
    }
  }
  EXPECT_EQ(n_empty, 300);
  EXPECT_EQ(n_disabled, 300);
  // Uniform random over 6 partitions: 300 draws miss a partition with probability < 1e-20.
  EXPECT_EQ(empty_parts.size(), 6u);
  EXPECT_EQ(disabled_parts.size(), 6u);
}

TEST_F(ProducerTest, BatchTimeoutHoldsASingleMessage) {
  ASSERT_THAT(mc_->CreateTopic("linger", 1), IsOk());
  ClusterConfig c = MockConfig("c1", mc_->bootstraps());
  c.batch_timeout = absl::Seconds(2);
  c.timeout = absl::Seconds(10);
  auto p = MakeProducer(c);
  ASSERT_THAT(p->Produce("linger", "k", "v", PartitionAlgorithm::kCrc32, true), IsOk());
  absl::SleepFor(absl::Milliseconds(700));
  // Still lingering (batch-timeout 2s): nothing delivered, nothing on the broker.
  EXPECT_EQ(p->Stats().delivered, 0u);
  EXPECT_THAT(Read("linger"), SizeIs(0));
  ASSERT_THAT(p->Flush(absl::Seconds(10)), IsOk());  // flush sends it now
  EXPECT_EQ(p->Stats().delivered, 1u);
  EXPECT_THAT(Read("linger"), SizeIs(1));
}

TEST_F(ProducerTest, BatchSizeSendsFullBatchesWithoutWaitingForTheTimeout) {
  ASSERT_THAT(mc_->CreateTopic("batches", 1), IsOk());
  ClusterConfig c = MockConfig("c1", mc_->bootstraps());
  c.batch_size = 10;
  c.batch_timeout = absl::Seconds(30);
  c.timeout = absl::Seconds(60);
  auto p = MakeProducer(c);
  // Warm up metadata so the first batch is formed on a known partition.
  for (int i = 0; i < 25; ++i) {
    ASSERT_THAT(p->Produce("batches", "k", absl::StrCat(i), PartitionAlgorithm::kCrc32, true),
                IsOk());
  }
  // Two full batches of 10 go out; the last 5 wait for batch-timeout (30s).
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (p->Stats().delivered < 20 && absl::Now() < deadline)
    absl::SleepFor(absl::Milliseconds(20));
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(p->Stats().delivered, 20u);
  EXPECT_THAT(Read("batches"), SizeIs(20));
  ASSERT_THAT(p->Flush(absl::Seconds(10)), IsOk());
  EXPECT_THAT(Read("batches"), SizeIs(25));
}

TEST_F(ProducerTest, MultipleClustersAreIndependent) {
  auto other = EmbeddedCluster::Create(1);
  ASSERT_THAT(other, IsOk());
  ASSERT_THAT(mc_->CreateTopic("alerts", 6), IsOk());
  ASSERT_THAT((*other)->CreateTopic("alerts", 3), IsOk());
  auto p1 = MakeProducer(MockConfig("one", mc_->bootstraps()));
  auto p2 = MakeProducer(MockConfig("two", (*other)->bootstraps()));
  for (int i = 0; i < 50; ++i) {
    ASSERT_THAT(p1->Produce("alerts", absl::StrCat("k", i), absl::StrCat("one-", i),
                            PartitionAlgorithm::kCrc32, true),
                IsOk());
  }
  for (int i = 0; i < 30; ++i) {
    ASSERT_THAT(p2->Produce("alerts", absl::StrCat("k", i), absl::StrCat("two-", i),
                            PartitionAlgorithm::kMurmur2, true),
                IsOk());
  }
  ASSERT_THAT(p1->Flush(absl::Seconds(10)), IsOk());
  ASSERT_THAT(p2->Flush(absl::Seconds(10)), IsOk());
  auto one = Read("alerts");
  auto two = (*other)->ReadAll("alerts");
  ASSERT_THAT(two, IsOk());
  ASSERT_THAT(one, SizeIs(50));
  ASSERT_THAT(*two, SizeIs(30));
  for (const auto& m : one) {
    EXPECT_THAT(m.value, ::testing::StartsWith("one-"));
    EXPECT_EQ(m.partition, *PartitionFor(PartitionAlgorithm::kCrc32, m.key, 6));
  }
  for (const auto& m : *two) {
    EXPECT_THAT(m.value, ::testing::StartsWith("two-"));
    EXPECT_EQ(m.partition, *PartitionFor(PartitionAlgorithm::kMurmur2, m.key, 3));
  }
  EXPECT_EQ(p1->cluster_id(), "one");
  EXPECT_EQ(p2->Stats().delivered, 30u);
}

TEST_F(ProducerTest, AllBrokersDownThenUpDeliversEverything) {
  ASSERT_THAT(mc_->CreateTopic("outage", 6), IsOk());
  ClusterConfig c = MockConfig("c1", mc_->bootstraps());
  c.timeout = absl::Seconds(30);
  auto p = MakeProducer(c);
  ASSERT_THAT(p->Produce("outage", "warm", "warm", PartitionAlgorithm::kCrc32, true), IsOk());
  ASSERT_THAT(p->Flush(absl::Seconds(10)), IsOk());
  ASSERT_THAT(mc_->SetBrokerDown(-1), IsOk());
  constexpr int kN = 500;
  for (int i = 0; i < kN; ++i) {
    ASSERT_THAT(p->Produce("outage", absl::StrCat("cpu:host=server", i % 17), absl::StrCat("v", i),
                           PartitionAlgorithm::kMurmur2, true),
                IsOk());
  }
  absl::SleepFor(absl::Seconds(1));
  ProducerStats during = p->Stats();
  EXPECT_EQ(during.failed, 0u);
  EXPECT_EQ(during.delivered, 1u);
  ASSERT_THAT(mc_->SetBrokerUp(-1), IsOk());
  ASSERT_THAT(p->Flush(absl::Seconds(20)), IsOk());
  ProducerStats after = p->Stats();
  EXPECT_EQ(after.delivered, kN + 1u);
  EXPECT_EQ(after.failed, 0u);
  std::vector<ConsumedMessage> got = Read("outage");
  std::set<std::string> distinct;
  for (const auto& m : got) {
    distinct.insert(m.value);
    EXPECT_EQ(m.partition, *PartitionFor(PartitionAlgorithm::kMurmur2, m.key, 6)) << m.key;
  }
  EXPECT_EQ(distinct.size(), kN + 1u);  // every alert landed
  EXPECT_GE(got.size(), kN + 1u);       // the mock does not deduplicate retries
}

TEST_F(ProducerTest, OutageLongerThanTimeoutIsReportedAsFailures) {
  ASSERT_THAT(mc_->CreateTopic("lost", 6), IsOk());
  ClusterConfig c = MockConfig("c1", mc_->bootstraps());
  c.timeout = absl::Seconds(2);
  auto p = MakeProducer(c);
  ASSERT_THAT(p->Produce("lost", "warm", "warm", PartitionAlgorithm::kCrc32, true), IsOk());
  ASSERT_THAT(p->Flush(absl::Seconds(10)), IsOk());
  ASSERT_THAT(mc_->SetBrokerDown(-1), IsOk());
  constexpr int kN = 40;
  for (int i = 0; i < kN; ++i) {
    ASSERT_THAT(p->Produce("lost", absl::StrCat("k", i), absl::StrCat("v", i),
                           PartitionAlgorithm::kCrc32, true),
                IsOk());
  }
  EXPECT_THAT(p->Flush(absl::Seconds(20)), IsOk());  // every message has its (failed) report
  ProducerStats s = p->Stats();
  EXPECT_EQ(s.failed, static_cast<uint64_t>(kN));
  EXPECT_EQ(s.delivered, 1u);
  ASSERT_THAT(s.topics, SizeIs(1));
  EXPECT_EQ(s.topics[0].failed, static_cast<uint64_t>(kN));
  const std::vector<std::string> errors = log_.Lines(LogLevel::kError);
  EXPECT_THAT(errors, Contains(AllOf(HasSubstr("kafka: cluster \"c1\": delivery failed: topic "
                                               "\"lost\" partition "),
                                     HasSubstr("timed out"))));
  ASSERT_THAT(mc_->SetBrokerUp(-1), IsOk());
  EXPECT_THAT(Read("lost"), SizeIs(1));  // only the warm-up message landed
  s = p->Close(absl::Seconds(5));
  EXPECT_EQ(FormatStats(s), absl::StrCat("kafka: cluster \"c1\": 1 delivered, ", kN,
                                         " failed; topic \"lost\": 1 delivered, ", kN, " failed"));
}

TEST_F(ProducerTest, RetriableProduceErrorsAreRecovered) {
  ASSERT_THAT(mc_->CreateTopic("retry", 6), IsOk());
  auto p = MakeProducer(MockConfig("c1", mc_->bootstraps()));
  ASSERT_THAT(p->Produce("retry", "warm", "warm", PartitionAlgorithm::kCrc32, true), IsOk());
  ASSERT_THAT(p->Flush(absl::Seconds(10)), IsOk());
  // NOT_LEADER_FOR_PARTITION, REQUEST_TIMED_OUT, NOT_ENOUGH_REPLICAS, LEADER_NOT_AVAILABLE,
  // NOT_ENOUGH_REPLICAS_AFTER_APPEND, and a dropped connection.
  mc_->PushRequestErrors(kApiKeyProduce, {6, 7, 19, 5, 20, -195 /* _TRANSPORT */});
  for (int i = 0; i < 200; ++i) {
    ASSERT_THAT(p->Produce("retry", absl::StrCat("k", i), absl::StrCat("v", i),
                           PartitionAlgorithm::kFnv1a, true),
                IsOk());
  }
  ASSERT_THAT(p->Flush(absl::Seconds(20)), IsOk());
  ProducerStats s = p->Stats();
  EXPECT_EQ(s.delivered, 201u);
  EXPECT_EQ(s.failed, 0u);
  std::set<std::string> distinct;
  for (const auto& m : Read("retry")) distinct.insert(m.value);
  EXPECT_EQ(distinct.size(), 201u);
}

TEST_F(ProducerTest, NonRetriableErrorIsReported) {
  ASSERT_THAT(mc_->CreateTopic("denied", 1), IsOk());
  auto p = MakeProducer(MockConfig("c1", mc_->bootstraps()));
  ASSERT_THAT(p->Produce("denied", "warm", "warm", PartitionAlgorithm::kCrc32, true), IsOk());
  ASSERT_THAT(p->Flush(absl::Seconds(10)), IsOk());
  mc_->PushRequestErrors(kApiKeyProduce, {29});  // TOPIC_AUTHORIZATION_FAILED
  constexpr int kN = 50;
  for (int i = 0; i < kN; ++i) {
    ASSERT_THAT(p->Produce("denied", "k", absl::StrCat("v", i), PartitionAlgorithm::kCrc32, true),
                IsOk());
  }
  ASSERT_THAT(p->Flush(absl::Seconds(20)), IsOk());
  ProducerStats s = p->Stats();
  EXPECT_GE(s.failed, 1u);
  const size_t landed = Read("denied").size();
  EXPECT_EQ(s.failed + s.delivered, kN + 1u);
  EXPECT_EQ(landed, s.delivered);
  EXPECT_THAT(log_.Lines(LogLevel::kError),
              Contains(AllOf(HasSubstr("delivery failed: topic \"denied\" partition 0: "),
                             HasSubstr("Topic authorization failed"))));
}

TEST_F(ProducerTest, FullLocalQueueWaitsThenReportsResourceExhaustedAndClosePurges) {
  ASSERT_THAT(mc_->CreateTopic("full", 1), IsOk());
  ClusterConfig c = MockConfig("c1", mc_->bootstraps());
  c.timeout = absl::Seconds(30);
  ProducerOptions o;
  o.extra_properties.push_back({"queue.buffering.max.messages", "10"});
  o.queue_full_wait = absl::Milliseconds(300);
  auto p = MakeProducer(c, o);
  ASSERT_THAT(mc_->SetBrokerDown(-1), IsOk());
  for (int i = 0; i < 10; ++i) {
    ASSERT_THAT(p->Produce("full", "k", absl::StrCat(i), PartitionAlgorithm::kCrc32, true), IsOk());
  }
  EXPECT_THAT(
      p->Produce("full", "k", "11", PartitionAlgorithm::kCrc32, true),
      StatusIs(absl::StatusCode::kResourceExhausted,
               "kafka: cluster \"c1\": topic \"full\": local queue still full after 300ms"));
  ProducerStats s = p->Close(absl::Milliseconds(500));
  EXPECT_EQ(s.enqueued, 10u);
  EXPECT_EQ(s.failed, 10u);  // purged at close: counted, not silent
  EXPECT_EQ(s.delivered, 0u);
  EXPECT_EQ(s.rejected, 1u);
  EXPECT_EQ(s.in_flight, 0u);
  EXPECT_THAT(
      p->Produce("full", "k", "v", PartitionAlgorithm::kCrc32, true),
      StatusIs(absl::StatusCode::kFailedPrecondition, "kafka: cluster \"c1\": producer is closed"));
  EXPECT_THAT(log_.All(), HasSubstr("messages still undelivered after 500ms"));
}

TEST_F(ProducerTest, EmptyTopicIsRejected) {
  auto p = MakeProducer(MockConfig("c1", mc_->bootstraps()));
  EXPECT_THAT(p->Produce("", "k", "v", PartitionAlgorithm::kCrc32, true),
              StatusIs(absl::StatusCode::kInvalidArgument, "topic must not be empty"));
  EXPECT_EQ(p->Stats().rejected, 1u);
}

TEST_F(ProducerTest, ConcurrentProducersShareOneProducer) {
  ASSERT_THAT(mc_->CreateTopic("a", 6), IsOk());
  ASSERT_THAT(mc_->CreateTopic("b", 6), IsOk());
  auto p = MakeProducer(MockConfig("c1", mc_->bootstraps()));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&p, t] {
      for (int i = 0; i < 500; ++i) {
        const std::string topic = (i % 2) ? "a" : "b";
        EXPECT_THAT(p->Produce(topic, absl::StrCat("cpu:host=server", t), absl::StrCat(t, "-", i),
                               static_cast<PartitionAlgorithm>(t % 3), true),
                    IsOk());
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_THAT(p->Flush(absl::Seconds(10)), IsOk());
  ProducerStats s = p->Stats();
  EXPECT_EQ(s.delivered, 2000u);
  ASSERT_THAT(s.topics, SizeIs(2));
  EXPECT_EQ(s.topics[0].delivered, 1000u);
  EXPECT_EQ(s.topics[1].delivered, 1000u);
  EXPECT_THAT(Read("a"), SizeIs(1000));
}

TEST_F(ProducerTest, CloseWhileProducingAccountsForEveryMessage) {
  ASSERT_THAT(mc_->CreateTopic("racing", 6), IsOk());
  auto p = MakeProducer(MockConfig("c1", mc_->bootstraps()));
  std::atomic<uint64_t> accepted{0}, closed_errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20000; ++i) {
        absl::Status s = p->Produce("racing", absl::StrCat("k", t), absl::StrCat(t, "-", i),
                                    PartitionAlgorithm::kCrc32, true);
        if (s.ok()) {
          ++accepted;
        } else {
          EXPECT_THAT(s, StatusIs(absl::StatusCode::kFailedPrecondition,
                                  "kafka: cluster \"c1\": producer is closed"));
          ++closed_errors;
          return;
        }
      }
    });
  }
  absl::SleepFor(absl::Milliseconds(50));
  ProducerStats s = p->Close(absl::Seconds(10));
  for (auto& th : threads) th.join();
  EXPECT_EQ(s.enqueued, accepted.load());
  EXPECT_EQ(s.delivered + s.failed, accepted.load());
  EXPECT_EQ(s.in_flight, 0u);
  EXPECT_EQ(Read("racing").size(), s.delivered);
}

TEST_F(ProducerTest, KcatReadsWhatWasProduced) {
  if (access("/usr/bin/kcat", X_OK) != 0) GTEST_SKIP() << "kcat not installed (/usr/bin/kcat)";
  ASSERT_THAT(mc_->CreateTopic("kcat-check", 6), IsOk());
  auto p = MakeProducer(MockConfig("c1", mc_->bootstraps()));
  std::set<std::string> want;
  for (const SixRow& r : kSix) {
    ASSERT_THAT(p->Produce("kcat-check", r.key, absl::StrCat("value of ", r.key),
                           PartitionAlgorithm::kMurmur2, true),
                IsOk());
    want.insert(absl::StrCat(r.murmur2, "\t", r.key, "\tvalue of ", r.key));
  }
  ASSERT_THAT(p->Flush(absl::Seconds(10)), IsOk());
  const std::string cmd = absl::StrCat("/usr/bin/kcat -C -b ", mc_->bootstraps(),
                                       " -t kcat-check -o beginning -e -q -f '%p\\t%k\\t%s\\n' "
                                       "2>/dev/null");
  FILE* f = popen(cmd.c_str(), "r");
  ASSERT_NE(f, nullptr);
  std::set<std::string> got;
  char line[4096];
  while (fgets(line, sizeof(line), f) != nullptr) {
    std::string s(line);
    if (!s.empty() && s.back() == '\n') s.pop_back();
    if (!s.empty()) got.insert(s);
  }
  EXPECT_EQ(pclose(f), 0);
  EXPECT_EQ(got, want);
}

TEST_F(ProducerTest, JsonLinesDump) {
  ConsumedMessage m{"cpu-alerts", 3, 17, "cpu:nil", false, "{\"a\":\"b\"}\n\x01\xff"};
  EXPECT_EQ(ToJsonLine(m),
            "{\"topic\":\"cpu-alerts\",\"partition\":3,\"offset\":17,\"key\":\"cpu:nil\","
            "\"value\":\"{\\\"a\\\":\\\"b\\\"}\\n\\u0001\\u00ff\"}");
  ConsumedMessage null_key{"t", 0, 0, "", true, "caf\xc3\xa9"};
  std::ostringstream out;
  WriteJsonLines({null_key, null_key}, out);
  EXPECT_EQ(
      out.str(),
      "{\"topic\":\"t\",\"partition\":0,\"offset\":0,\"key\":null,\"value\":\"caf\xc3\xa9\"}\n"
      "{\"topic\":\"t\",\"partition\":0,\"offset\":0,\"key\":null,\"value\":\"caf\xc3\xa9\"}\n");
}

TEST_F(ProducerTest, EmbeddedClusterBasics) {
  EXPECT_EQ(mc_->broker_count(), 3);
  EXPECT_THAT(mc_->bootstraps(),
              ::testing::MatchesRegex("127\\.0\\.0\\.1:[0-9]+(,127\\.0\\.0\\.1:[0-9]+){2}"));
  ASSERT_THAT(mc_->CreateTopic("x", 5), IsOk());
  ASSERT_THAT(mc_->PartitionCount("x"), IsOk());
  EXPECT_EQ(*mc_->PartitionCount("x"), 5);
  EXPECT_THAT(mc_->PartitionCount("nope"),
              StatusIs(absl::StatusCode::kNotFound, "kafka: unknown topic \"nope\""));
  EXPECT_THAT(mc_->ReadAll("nope"), StatusIs(absl::StatusCode::kNotFound, HasSubstr("nope")));
  auto topics = mc_->ListTopics();
  ASSERT_THAT(topics, IsOk());
  EXPECT_THAT(*topics, Contains("x"));
  EXPECT_THAT(Read("x"), SizeIs(0));
}

}  // namespace
}  // namespace tick::kafka
