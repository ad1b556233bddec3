// Kafka alert handler against librdkafka's mock cluster: exact key, value bytes and partition
// per algorithm and with templates, disablePartitionById, several clusters, error texts.
#include "nodes/kafka_handler.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "interpreter/handler_spec.h"
#include "kafka/mock_cluster.h"
#include "kafka/partition.h"
#include "kafka/producer.h"
#include "nodes/alert_event.h"
#include "tests/testing/status_matchers.h"

namespace tick::nodes {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using tick::testing::IsOk;
using tick::testing::StatusIs;

interp::HandlerSpec Spec(std::vector<interp::HandlerOption> options) {
  interp::HandlerSpec s;
  s.kind = "kafka";
  s.id = "alert2:kafka0";
  s.options = std::move(options);
  return s;
}

interp::HandlerOption Opt(std::string name, interp::OptionValue v) {
  return interp::HandlerOption{std::move(name), std::move(v), {}};
}

kafka::ClusterConfig Config(const std::string& id, const std::string& bootstraps) {
  kafka::ClusterConfig c;
  c.enabled = true;
  c.id = id;
  c.brokers = {bootstraps};
  c.batch_timeout = absl::Milliseconds(5);
  return c;
}

// One event with a fixed shape; `id` varies.
struct Event {
  std::string id;
  std::vector<AlertTag> tags{{"host", "serverA"}};
  std::vector<AlertField> fields{{"usage_idle", interp::Value::Float(5)}};
  AlertEventData data;
  std::string json;

  explicit Event(std::string event_id, AlertLevel level = AlertLevel::kCritical)
      : id(std::move(event_id)) {
    data.id = id;
    data.message = "Hey, check your CPU";
    data.details = "";
    data.time_ns = 31536010000000000;  // 1971-01-01T00:00:10Z
    data.level = level;
    data.name = "cpu";
    data.tags = tags;
    data.fields = fields;
    EXPECT_TRUE(AppendEventJson(data, &json));
  }
};

class KafkaHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto mc = kafka::EmbeddedCluster::Create(1);
    ASSERT_THAT(mc.status(), IsOk());
    mc_ = std::move(*mc);
    ASSERT_THAT(mc_->CreateTopic("alerts", 3), IsOk());
    auto p = kafka::Producer::Create(Config("infra", mc_->bootstraps()));
    ASSERT_THAT(p.status(), IsOk());
    producer_ = std::move(*p);
    set_.Add("infra", producer_.get());
  }

  std::vector<kafka::ConsumedMessage> Drain() {
    EXPECT_THAT(producer_->Flush(absl::Seconds(10)), IsOk());
    auto got = mc_->ReadAll("alerts");
    EXPECT_THAT(got.status(), IsOk());
    return got.ok() ? *got : std::vector<kafka::ConsumedMessage>{};
  }

  std::unique_ptr<kafka::EmbeddedCluster> mc_;
  std::unique_ptr<kafka::Producer> producer_;
  KafkaProducerSet set_;
};

TEST_F(KafkaHandlerTest, KeyIsAlertIdValueIsEventJsonAndCrc32Placement) {
  auto h = CreateKafkaHandler(Spec({Opt("topic", std::string("alerts"))}), &set_);
  ASSERT_THAT(h.status(), IsOk());
  // crc32 over 3 partitions (kapacitor-semantics.md §5.5): serverA 1, serverB 0, serverC 2,
  // kapacitor/cpu/serverA 1, id 2.
  const std::map<std::string, int32_t> expected = {
      {"serverA", 1}, {"serverB", 0}, {"serverC", 2}, {"kapacitor/cpu/serverA", 1}, {"id", 2}};
  std::map<std::string, std::string> json_by_id;
  for (const auto& [id, p] : expected) {
    Event e(id);
    json_by_id[id] = e.json;
    (*h)->Handle(e.data, e.json);
  }
  std::vector<kafka::ConsumedMessage> got = Drain();
  ASSERT_EQ(got.size(), expected.size());
  for (const kafka::ConsumedMessage& m : got) {
    SCOPED_TRACE(m.key);
    ASSERT_EQ(expected.count(m.key), 1u);
    EXPECT_FALSE(m.key_is_null);
    EXPECT_EQ(m.partition, expected.at(m.key));
    EXPECT_EQ(m.value, json_by_id[m.key]);
  }
  // The value is the event JSON byte for byte, trailing newline included.
  EXPECT_EQ(json_by_id["id"],
            "{\"id\":\"id\",\"message\":\"Hey, check your CPU\",\"details\":\"\","
            "\"time\":\"1971-01-01T00:00:10Z\",\"duration\":0,\"level\":\"CRITICAL\","
            "\"data\":{\"series\":[{\"name\":\"cpu\",\"tags\":{\"host\":\"serverA\"},"
            "\"columns\":[\"time\",\"usage_idle\"],\"values\":[[\"1971-01-01T00:00:10Z\",5]]}]},"
            "\"previousLevel\":\"OK\",\"recoverable\":true}\n");
  ASSERT_THAT((*h)->Close(absl::Seconds(10)), IsOk());
  HandlerStats st = (*h)->stats();
  EXPECT_EQ(st.events, 5u);
  EXPECT_EQ(st.delivered, 5u);
  EXPECT_EQ(st.failed, 0u);
  EXPECT_EQ((*h)->name(), "kafka(cluster=infra, topic=alerts)");
}

TEST_F(KafkaHandlerTest, Murmur2AndFnv1aPlacement) {
  auto m = CreateKafkaHandler(Spec({Opt("topic", std::string("alerts")),
                                    Opt("partitionAlgorithm", std::string("murmur2"))}),
                              &set_);
  ASSERT_THAT(m.status(), IsOk());
  EXPECT_EQ((*m)->name(), "kafka(cluster=infra, topic=alerts, partitionAlgorithm=murmur2)");
  const std::vector<std::string> keys = {"cpu:nil",  "server01", "a",
                                         "server02", "alert",    "disk:/var",
                                         "mem:high", "0",        "host-123.example.com"};
  for (const std::string& k : keys) {
    Event e(k);
    (*m)->Handle(e.data, e.json);
  }
  std::vector<kafka::ConsumedMessage> got = Drain();
  ASSERT_EQ(got.size(), keys.size());
  // kafka-testing.md §3 lists the 6-partition placements; for 3 partitions use the reference
  // functions (themselves tested on Kapacitor's vectors) and two literal spot checks.
  for (const kafka::ConsumedMessage& msg : got) {
    EXPECT_EQ(msg.partition, *kafka::PartitionFor(kafka::PartitionAlgorithm::kMurmur2, msg.key, 3))
        << msg.key;
  }
  // murmur2("a") = 0xa2d0b27c -> & 0x7fffffff = 0x22d0b27c = 584102524 -> mod 3 = 1.
  for (const kafka::ConsumedMessage& msg : got) {
    if (msg.key == "a") {
      EXPECT_EQ(msg.partition, 1);
    }
  }

  auto f = CreateKafkaHandler(
      Spec({Opt("topic", std::string("alerts")), Opt("partitionAlgorithm", std::string("fnv-1a"))}),
      &set_);
  ASSERT_THAT(f.status(), IsOk());
  Event id("id");
  (*f)->Handle(id.data, id.json);
  got = Drain();
  ASSERT_EQ(got.size(), keys.size() + 1);
  for (const kafka::ConsumedMessage& msg : got) {
    // fnv-1a("id") over 3 partitions = 0 (kapacitor-semantics.md §5.5); it is the only "id".
    if (msg.key == "id") {
      EXPECT_EQ(msg.partition, 0);
    }
  }
}

TEST_F(KafkaHandlerTest, TemplateRendersAlertDataWithoutNewline) {
  auto h = CreateKafkaHandler(
      Spec({Opt("topic", std::string("alerts")),
            Opt("template", std::string("{{ .Level }} {{ .ID }} was {{ .PreviousLevel }}: "
                                        "{{ .Message }} at {{ .Time }}"))}),
      &set_);
  ASSERT_THAT(h.status(), IsOk());
  Event e("serverB", AlertLevel::kWarning);
  e.data.previous_level = AlertLevel::kCritical;
  (*h)->Handle(e.data, e.json);
  std::vector<kafka::ConsumedMessage> got = Drain();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].key, "serverB");
  EXPECT_EQ(got[0].partition, 0);
  EXPECT_EQ(got[0].value,
            "WARNING serverB was CRITICAL: Hey, check your CPU at 1971-01-01 00:00:10 +0000 UTC");
}

TEST_F(KafkaHandlerTest, TemplateExecutionErrorIsCountedAndNothingIsSent) {
  std::vector<std::string> logged;
  auto h = CreateKafkaHandler(
      Spec({Opt("topic", std::string("alerts")), Opt("template", std::string("{{ .Foo }}"))}),
      &set_, [&](std::string_view line) { logged.emplace_back(line); });
  ASSERT_THAT(h.status(), IsOk());
  Event e("serverA");
  (*h)->Handle(e.data, e.json);
  EXPECT_TRUE(Drain().empty());
  HandlerStats st = (*h)->stats();
  EXPECT_EQ(st.events, 1u);
  EXPECT_EQ(st.failed, 1u);
  EXPECT_EQ(st.delivered, 0u);
  EXPECT_EQ(set_.local_failures(), 1u);
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_THAT(logged[0], ::testing::StartsWith(
                             "kafka(cluster=infra, topic=alerts, template): failed to render kafka "
                             "message template for alert \"serverA\": template: kafka:1:3: "));
  EXPECT_THAT(logged[0], HasSubstr("can't evaluate field Foo"));
}

TEST_F(KafkaHandlerTest, DisablePartitionByIdSpreadsButKeepsKey) {
  auto h = CreateKafkaHandler(
      Spec({Opt("topic", std::string("alerts")), Opt("disablePartitionById", true)}), &set_);
  ASSERT_THAT(h.status(), IsOk());
  EXPECT_EQ((*h)->name(), "kafka(cluster=infra, topic=alerts, disablePartitionById)");
  Event e("serverA");
  for (int i = 0; i < 90; ++i) (*h)->Handle(e.data, e.json);
  std::vector<kafka::ConsumedMessage> got = Drain();
  ASSERT_EQ(got.size(), 90u);
  std::set<int32_t> partitions;
  for (const kafka::ConsumedMessage& m : got) {
    EXPECT_EQ(m.key, "serverA");
    EXPECT_EQ(m.value, e.json);
    partitions.insert(m.partition);
  }
  // By ID all 90 would land on partition 1; uniformly random placement uses all three
  // (probability of missing one: 3 * (2/3)^90 < 1e-15).
  EXPECT_EQ(partitions.size(), 3u);
}

TEST_F(KafkaHandlerTest, SharedTopicStatsAreAttributedPerHandler) {
  auto a = CreateKafkaHandler(Spec({Opt("topic", std::string("alerts"))}), &set_);
  auto b = CreateKafkaHandler(Spec({Opt("topic", std::string("alerts")),
                                    Opt("partitionAlgorithm", std::string("murmur2"))}),
                              &set_);
  ASSERT_THAT(a.status(), IsOk());
  ASSERT_THAT(b.status(), IsOk());
  Event e("serverC");
  for (int i = 0; i < 3; ++i) (*a)->Handle(e.data, e.json);
  (*b)->Handle(e.data, e.json);
  EXPECT_EQ(Drain().size(), 4u);
  EXPECT_EQ((*a)->stats().delivered, 3u);
  EXPECT_EQ((*b)->stats().delivered, 1u);
}

TEST(KafkaHandlerClusters, EachHandlerWritesToItsCluster) {
  auto m1 = kafka::EmbeddedCluster::Create(1);
  auto m2 = kafka::EmbeddedCluster::Create(1);
  ASSERT_THAT(m1.status(), IsOk());
  ASSERT_THAT(m2.status(), IsOk());
  ASSERT_THAT((*m1)->CreateTopic("alerts", 3), IsOk());
  ASSERT_THAT((*m2)->CreateTopic("alerts", 3), IsOk());
  auto p1 = kafka::Producer::Create(Config("east", (*m1)->bootstraps()));
  auto p2 = kafka::Producer::Create(Config("west", (*m2)->bootstraps()));
  ASSERT_THAT(p1.status(), IsOk());
  ASSERT_THAT(p2.status(), IsOk());
  KafkaProducerSet set;
  set.Add("east", p1->get());
  set.Add("west", p2->get());
  // Two clusters and no `cluster` option: an error listing them.
  EXPECT_THAT(CreateKafkaHandler(Spec({Opt("topic", std::string("alerts"))}), &set).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "several kafka clusters are enabled (east, west): select one with cluster"));
  auto he = CreateKafkaHandler(
      Spec({Opt("cluster", std::string("east")), Opt("topic", std::string("alerts"))}), &set);
  auto hw = CreateKafkaHandler(
      Spec({Opt("cluster", std::string("west")), Opt("topic", std::string("alerts"))}), &set);
  ASSERT_THAT(he.status(), IsOk());
  ASSERT_THAT(hw.status(), IsOk());
  Event a("serverA");
  Event b("serverB");
  (*he)->Handle(a.data, a.json);
  (*hw)->Handle(b.data, b.json);
  (*hw)->Handle(b.data, b.json);
  ASSERT_THAT((*p1)->Flush(absl::Seconds(10)), IsOk());
  ASSERT_THAT((*p2)->Flush(absl::Seconds(10)), IsOk());
  auto g1 = (*m1)->ReadAll("alerts");
  auto g2 = (*m2)->ReadAll("alerts");
  ASSERT_THAT(g1.status(), IsOk());
  ASSERT_THAT(g2.status(), IsOk());
  ASSERT_EQ(g1->size(), 1u);
  EXPECT_EQ((*g1)[0].key, "serverA");
  EXPECT_EQ((*g1)[0].partition, 1);
  ASSERT_EQ(g2->size(), 2u);
  EXPECT_EQ((*g2)[0].key, "serverB");
  EXPECT_EQ((*g2)[0].partition, 0);
  EXPECT_EQ((*p1)->Close(absl::Seconds(5)).delivered, 1u);
  EXPECT_EQ((*p2)->Close(absl::Seconds(5)).delivered, 2u);
}

TEST(KafkaHandlerSpec, ErrorTexts) {
  const std::vector<std::string> one = {"infra"};
  const std::vector<std::string> none;
  auto err = [](const absl::StatusOr<KafkaHandlerConfig>& r) {
    return r.ok() ? std::string("ok") : std::string(r.status().message());
  };
  EXPECT_EQ(err(ParseKafkaHandlerSpec(Spec({Opt("topic", std::string("t"))}), none)),
            "no enabled kafka cluster");
  EXPECT_EQ(err(ParseKafkaHandlerSpec(
                Spec({Opt("cluster", std::string("x")), Opt("topic", std::string("t"))}), one)),
            "unknown cluster \"x\"");
  EXPECT_EQ(err(ParseKafkaHandlerSpec(Spec({Opt("topic", std::string("t")),
                                            Opt("partitionAlgorithm", std::string("murmur3"))}),
                                      one)),
            "invalid partition algorithm: \"murmur3\"");
  EXPECT_EQ(err(ParseKafkaHandlerSpec(Spec({}), one)), "kafka handler topic must not be empty");
  EXPECT_EQ(err(ParseKafkaHandlerSpec(Spec({Opt("topic", std::string(""))}), one)),
            "kafka handler topic must not be empty");
  EXPECT_EQ(err(ParseKafkaHandlerSpec(Spec({Opt("topik", std::string("t"))}), one)),
            "unknown kafka handler option \"topik\"");
  EXPECT_EQ(err(ParseKafkaHandlerSpec(Spec({Opt("topic", int64_t{3})}), one)),
            "kafka handler option \"topic\" must be a string, got int");
  EXPECT_EQ(err(ParseKafkaHandlerSpec(Spec({Opt("topic", std::string("t")),
                                            Opt("disablePartitionById", std::string("no"))}),
                                      one)),
            "kafka handler option \"disablePartitionById\" must be a bool, got string");
  // The offending option travels in a payload so callers can point at it.
  absl::StatusOr<KafkaHandlerConfig> bad = ParseKafkaHandlerSpec(
      Spec({Opt("topic", std::string("t")), Opt("partitionAlgorithm", std::string("x"))}), one);
  ASSERT_FALSE(bad.ok());
  auto payload = bad.status().GetPayload(kHandlerOptionPayloadUrl);
  ASSERT_TRUE(payload.has_value());
  EXPECT_EQ(std::string(*payload), "partitionAlgorithm");

  // Resolution and defaults.
  absl::StatusOr<KafkaHandlerConfig> ok = ParseKafkaHandlerSpec(
      Spec({Opt("topic", std::string("cpu-alerts")), Opt("partitionAlgorithm", std::string(""))}),
      one);
  ASSERT_THAT(ok.status(), IsOk());
  EXPECT_EQ(ok->cluster, "infra");
  EXPECT_EQ(ok->algorithm, kafka::PartitionAlgorithm::kCrc32);
  EXPECT_FALSE(ok->disable_partition_by_id);
  EXPECT_FALSE(ok->has_template);
}

TEST(KafkaHandlerSpec, TemplateParseErrorAtCreation) {
  KafkaProducerSet set;
  auto mc = kafka::EmbeddedCluster::Create(1);
  ASSERT_THAT(mc.status(), IsOk());
  auto p = kafka::Producer::Create(Config("infra", (*mc)->bootstraps()));
  ASSERT_THAT(p.status(), IsOk());
  set.Add("infra", p->get());
  auto h = CreateKafkaHandler(
      Spec({Opt("topic", std::string("t")), Opt("template", std::string("{{ .ID "))}), &set);
  ASSERT_FALSE(h.ok());
  EXPECT_THAT(std::string(h.status().message()),
              ::testing::StartsWith("failed to parse template: template: kafka:1: "));
}

}  // namespace
}  // namespace tick::nodes
