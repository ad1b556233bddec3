// Messages/s through tick::kafka::Producer (Produce + delivery reports) into an in-process
// librdkafka mock cluster, against a bare librdkafka loop producing the same messages with the
// same properties in the same run.
//
//   build-*/bench/kafka_bench --benchmark_repetitions=3 --benchmark_min_time=1
//
// Both sides: 3 mock brokers, a 6-partition topic per run, ~300-byte JSON-like values, keys
// `cpu:host=serverNN`, the properties ToRdKafkaConfig gives for batch-size 10000 and
// batch-timeout 5ms (acks=all, idempotence on). Each iteration produces kBatch messages and
// waits for every delivery report.
#include <librdkafka/rdkafka.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "kafka/config.h"
#include "kafka/mock_cluster.h"
#include "kafka/producer.h"

namespace tick::kafka {
namespace {

constexpr int kBatch = 100000;
constexpr int kKeys = 64;

EmbeddedCluster& Cluster() {
  static EmbeddedCluster* mc = [] {
    auto c = EmbeddedCluster::Create(3);
    if (!c.ok()) {
      std::fprintf(stderr, "mock cluster: %s\n", std::string(c.status().message()).c_str());
      std::abort();
    }
    return c->release();
  }();
  return *mc;
}

std::string NewTopic(const char* prefix) {
  static int n = 0;
  std::string t = absl::StrCat(prefix, "-", n++);
  (void)Cluster().CreateTopic(t, 6);
  return t;
}

ClusterConfig BenchConfig() {
  ClusterConfig c;
  c.enabled = true;
  c.id = "bench";
  c.brokers = {Cluster().bootstraps()};
  c.batch_size = 10000;
  c.batch_timeout = absl::Milliseconds(5);
  c.timeout = absl::Seconds(30);
  return c;
}

struct Messages {
  std::vector<std::string> keys;
  std::vector<std::string> values;
};

const Messages& TheMessages() {
  static Messages m = [] {
    Messages out;
    for (int i = 0; i < kKeys; ++i) {
      out.keys.push_back(absl::StrCat("cpu:host=server", i < 10 ? "0" : "", i));
      std::string v = absl::StrCat(
          R"({"id":"cpu:host=server)", i, R"(","message":"Hey, check your CPU","details":"",)",
          R"("time":"2026-11-28T16:00:00Z","duration":0,"level":"CRITICAL","data":{"series":)",
          R"([{"name":"cpu","tags":{"host":"server)", i,
          R"("},"columns":["time","usage_idle"],"values":[["2026-11-28T16:00:00Z",)", 5.25 + i,
          R"(]]}]},"previousLevel":"OK","recoverable":true})", "\n");
      out.values.push_back(std::move(v));
    }
    return out;
  }();
  return m;
}

void BM_TickProducer(benchmark::State& state) {
  const Messages& m = TheMessages();
  ProducerOptions o;
  o.log = [](LogLevel, std::string_view) {};
  auto p = Producer::Create(BenchConfig(), o);
  if (!p.ok()) {
    state.SkipWithError(std::string(p.status().message()).c_str());
    return;
  }
  const std::string topic = NewTopic("tick");
  const auto alg = static_cast<PartitionAlgorithm>(state.range(0));
  // Warm-up: metadata and connections are established outside the timed loop.
  (void)(*p)->Produce(topic, m.keys[0], m.values[0], alg, true);
  (void)(*p)->Flush(absl::Seconds(10));
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) {
      absl::Status s = (*p)->Produce(topic, m.keys[i % kKeys], m.values[i % kKeys], alg, true);
      if (!s.ok()) {
        state.SkipWithError(std::string(s.message()).c_str());
        return;
      }
    }
    if (!(*p)->Flush(absl::Seconds(60)).ok()) state.SkipWithError("flush timed out");
  }
  ProducerStats s = (*p)->Close(absl::Seconds(10));
  if (s.failed != 0) state.SkipWithError("delivery failures");
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.SetBytesProcessed(state.iterations() * kBatch * static_cast<int64_t>(m.values[0].size()));
  state.counters["delivered"] = static_cast<double>(s.delivered - 1);
}
BENCHMARK(BM_TickProducer)
    ->Arg(0)
    ->Arg(1)
    ->ArgName("alg")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

std::atomic<int64_t> bare_ok{0};
std::atomic<int64_t> bare_failed{0};

void BareDr(rd_kafka_t*, const rd_kafka_message_t* msg, void*) {
  if (msg->err) {
    bare_failed.fetch_add(1, std::memory_order_relaxed);
  } else {
    bare_ok.fetch_add(1, std::memory_order_relaxed);
  }
}

void BM_BareLibrdkafka(benchmark::State& state) {
  const Messages& m = TheMessages();
  auto props = ToRdKafkaConfig(BenchConfig());
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  for (const auto& [k, v] : *props) rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof(err));
  if (state.range(0) == 1) rd_kafka_conf_set(conf, "partitioner", "murmur2", err, sizeof(err));
  rd_kafka_conf_set_dr_msg_cb(conf, &BareDr);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
  const std::string topic = NewTopic("bare");
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  bare_ok = 0;
  bare_failed = 0;
  int64_t sent = 1;
  rd_kafka_produce(rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY,
                   const_cast<char*>(m.values[0].data()), m.values[0].size(), m.keys[0].data(),
                   m.keys[0].size(), nullptr);
  rd_kafka_flush(rk, 10000);
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) {
      const std::string& k = m.keys[i % kKeys];
      const std::string& v = m.values[i % kKeys];
      while (rd_kafka_produce(rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY,
                              const_cast<char*>(v.data()), v.size(), k.data(), k.size(),
                              nullptr) != 0) {
        rd_kafka_poll(rk, 10);
      }
      rd_kafka_poll(rk, 0);
    }
    sent += kBatch;
    rd_kafka_flush(rk, 60000);
  }
  if (bare_ok.load() != sent) state.SkipWithError("bare loop: missing delivery reports");
  rd_kafka_topic_destroy(rkt);
  rd_kafka_destroy(rk);
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.SetBytesProcessed(state.iterations() * kBatch * static_cast<int64_t>(m.values[0].size()));
}
BENCHMARK(BM_BareLibrdkafka)
    ->Arg(0)
    ->Arg(1)
    ->ArgName("alg")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace tick::kafka

BENCHMARK_MAIN();
