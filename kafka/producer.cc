// File: kafka/producer.cc
//
// The batched producer: one rd_kafka_t per cluster (C API), one rd_kafka_topic_t per topic, a
// per-message partitioner chosen through the message opaque, a poller thread serving delivery
// reports, and an OAUTHBEARER token-refresh callback.
#include "kafka/producer.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "base/strings.h"
#include "kafka/oauth.h"

namespace tick::kafka {
namespace {

constexpr int kLoggedFailuresPerTopic = 20;

struct TopicState;

// What a message's opaque points at: its topic's counters and the placement to use. Interned per
// topic (3 algorithms x by-id on/off), so producing allocates nothing per message.
struct Route {
  TopicState* topic = nullptr;
  PartitionAlgorithm algorithm = PartitionAlgorithm::kCrc32;
  bool by_id = true;
};

struct TopicState {
  std::string name;
  rd_kafka_topic_t* rkt = nullptr;
  std::array<Route, 6> routes;
  std::atomic<uint64_t> enqueued{0};
  std::atomic<uint64_t> delivered{0};
  std::atomic<uint64_t> failed{0};
};

int32_t Partitioner(const rd_kafka_topic_t* rkt, const void* key, size_t keylen,
                    int32_t partition_cnt, void* rkt_opaque, void* msg_opaque) {
  const auto* route = static_cast<const Route*>(msg_opaque);
  if (route == nullptr || !route->by_id) {
    return rd_kafka_msg_partitioner_random(rkt, key, keylen, partition_cnt, rkt_opaque, msg_opaque);
  }
  switch (route->algorithm) {
    case PartitionAlgorithm::kCrc32:
      // CRC-32 mod N; an empty key is placed at random (per message).
      return rd_kafka_msg_partitioner_consistent_random(rkt, key, keylen, partition_cnt, rkt_opaque,
                                                        msg_opaque);
    case PartitionAlgorithm::kMurmur2:
      // Java murmur2; an empty key is hashed, as Kapacitor does.
      return rd_kafka_msg_partitioner_murmur2(rkt, key, keylen, partition_cnt, rkt_opaque,
                                              msg_opaque);
    case PartitionAlgorithm::kFnv1a:
      return rd_kafka_msg_partitioner_fnv1a(rkt, key, keylen, partition_cnt, rkt_opaque,
                                            msg_opaque);
  }
  return 0;
}

void DefaultLog(LogLevel level, std::string_view line) {
  if (level == LogLevel::kDebug || level == LogLevel::kInfo) return;
  std::cerr << line << '\n';
}

class ProducerImpl final : public Producer {
 public:
  ProducerImpl(ClusterConfig config, ProducerOptions options)
      : config_(std::move(config)), options_(std::move(options)) {
    if (!options_.log) options_.log = &DefaultLog;
    if (options_.queue_full_wait <= absl::ZeroDuration()) {
      options_.queue_full_wait =
          config_.timeout > absl::ZeroDuration() ? config_.timeout : kDefaultTimeout;
    }
  }

  ~ProducerImpl() override {
    Close(config_.timeout > absl::ZeroDuration() ? config_.timeout : kDefaultTimeout);
  }

  absl::Status Init() {
    absl::StatusOr<std::vector<std::pair<std::string, std::string>>> props =
        ToRdKafkaConfig(config_);
    if (!props.ok()) return props.status();
    if (!options_.bootstrap_override.empty()) {
      for (auto& [k, v] : *props) {
        if (k == "bootstrap.servers") v = options_.bootstrap_override;
      }
    }
    for (const auto& kv : options_.extra_properties) props->push_back(kv);

    if (config_.sasl_mechanism == "GSSAPI" && !config_.sasl_gssapi_kerberos_config_path.empty() &&
        config_.sasl_gssapi_kerberos_config_path != "/") {
      setenv("KRB5_CONFIG", config_.sasl_gssapi_kerberos_config_path.c_str(), 1);
    }

    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    char err[512];
    for (const auto& [k, v] : *props) {
      if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof(err)) != RD_KAFKA_CONF_OK) {
        rd_kafka_conf_destroy(conf);
        const bool secret = k.find("password") != std::string::npos;
        return absl::InvalidArgumentError(
            absl::StrCat("kafka: cluster \"", config_.id, "\": invalid librdkafka property ", k,
                         secret ? "" : absl::StrCat("=\"", v, "\""), ": ", err));
      }
    }
    rd_kafka_conf_set_opaque(conf, this);
    rd_kafka_conf_set_dr_msg_cb(conf, &ProducerImpl::OnDelivery);
    rd_kafka_conf_set_error_cb(conf, &ProducerImpl::OnError);
    rd_kafka_conf_set_log_cb(conf, &ProducerImpl::OnLog);
    if (config_.sasl_mechanism == "OAUTHBEARER") {
      rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf, &ProducerImpl::OnTokenRefresh);
    }
    // Topic-level properties (message.timeout.ms, acks) set above live in the default topic
    // conf: add the partitioner to it rather than replacing it.
    rd_kafka_topic_conf_t* tconf = rd_kafka_conf_get_default_topic_conf(conf);
    if (tconf == nullptr) {
      tconf = rd_kafka_topic_conf_new();
      rd_kafka_conf_set_default_topic_conf(conf, tconf);
    }
    rd_kafka_topic_conf_set_partitioner_cb(tconf, &Partitioner);

    rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
    if (rk_ == nullptr) {
      rd_kafka_conf_destroy(conf);
      return absl::InvalidArgumentError(
          absl::StrCat("kafka: cluster \"", config_.id, "\": cannot create producer: ", err));
    }
    poller_ = std::thread([this] { PollLoop(); });
    return absl::OkStatus();
  }

  absl::Status Produce(std::string_view topic, std::string_view key, std::string_view value,
                       PartitionAlgorithm algorithm, bool partition_by_id) override {
    if (topic.empty()) {
      rejected_.fetch_add(1, std::memory_order_relaxed);
      return absl::InvalidArgumentError("topic must not be empty");
    }
    // The reader lock is held for the whole call so that Close cannot destroy the handles under
    // a running Produce; only topic creation and Close take the writer lock.
    mu_.ReaderLock();
    TopicState* t = LookupTopic(topic);
    if (t == nullptr && !closed_.load(std::memory_order_acquire)) {
      mu_.ReaderUnlock();
      absl::Status created = CreateTopic(topic);
      if (!created.ok()) {
        rejected_.fetch_add(1, std::memory_order_relaxed);
        return created;
      }
      mu_.ReaderLock();
      t = LookupTopic(topic);
    }
    if (closed_.load(std::memory_order_acquire) || t == nullptr) {
      mu_.ReaderUnlock();
      rejected_.fetch_add(1, std::memory_order_relaxed);
      return absl::FailedPreconditionError(
          absl::StrCat("kafka: cluster \"", config_.id, "\": producer is closed"));
    }
    absl::Status s = ProduceLocked(t, topic, key, value, algorithm, partition_by_id);
    mu_.ReaderUnlock();
    return s;
  }

  absl::Status ProduceLocked(TopicState* t, std::string_view topic, std::string_view key,
                             std::string_view value, PartitionAlgorithm algorithm,
                             bool partition_by_id) ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    Route* route = &t->routes[static_cast<size_t>(algorithm) * 2 + (partition_by_id ? 1 : 0)];
    // Never hand librdkafka a NULL key: NULL keys bypass the partitioner (sticky partition).
    const char* key_ptr = key.data() != nullptr ? key.data() : "";
    void* payload = const_cast<char*>(value.data() != nullptr ? value.data() : "");
    absl::Time deadline = absl::InfinitePast();
    while (true) {
      t->enqueued.fetch_add(1, std::memory_order_relaxed);
      if (rd_kafka_produce(t->rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, payload,
                           value.size(), key_ptr, key.size(), route) == 0) {
        return absl::OkStatus();
      }
      t->enqueued.fetch_sub(1, std::memory_order_relaxed);
      const rd_kafka_resp_err_t err = rd_kafka_last_error();
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        rejected_.fetch_add(1, std::memory_order_relaxed);
        return absl::InternalError(absl::StrCat("kafka: cluster \"", config_.id, "\": topic \"",
                                                Sv(topic),
                                                "\": produce failed: ", rd_kafka_err2str(err)));
      }
      const absl::Time now = absl::Now();
      if (deadline == absl::InfinitePast()) deadline = now + options_.queue_full_wait;
      if (now >= deadline) {
        rejected_.fetch_add(1, std::memory_order_relaxed);
        return absl::ResourceExhaustedError(absl::StrCat(
            "kafka: cluster \"", config_.id, "\": topic \"", Sv(topic),
            "\": local queue still full after ", absl::FormatDuration(options_.queue_full_wait)));
      }
      rd_kafka_poll(rk_, 10);
    }
  }

  absl::Status Flush(absl::Duration timeout) override {
    if (rk_ == nullptr) return absl::OkStatus();
    const absl::Time deadline = absl::Now() + timeout;
    rd_kafka_flush(rk_, static_cast<int>(std::max<int64_t>(0, absl::ToInt64Milliseconds(timeout))));
    // The delivery reports may still be in the poller's hands; wait for the counters.
    while (InFlight() > 0 && absl::Now() < deadline) {
      rd_kafka_poll(rk_, 5);
    }
    const uint64_t left = InFlight();
    if (left > 0) {
      return absl::DeadlineExceededError(absl::StrCat("kafka: cluster \"", config_.id, "\": ", left,
                                                      " messages still undelivered after ",
                                                      absl::FormatDuration(timeout)));
    }
    return absl::OkStatus();
  }

  ProducerStats Stats() const override {
    ProducerStats s;
    s.cluster_id = config_.id;
    {
      absl::ReaderMutexLock lock(&mu_);
      for (const auto& [name, t] : topics_) {
        TopicStats ts;
        ts.topic = name;
        ts.enqueued = t->enqueued.load(std::memory_order_relaxed);
        ts.delivered = t->delivered.load(std::memory_order_relaxed);
        ts.failed = t->failed.load(std::memory_order_relaxed);
        s.enqueued += ts.enqueued;
        s.delivered += ts.delivered;
        s.failed += ts.failed;
        s.topics.push_back(std::move(ts));
      }
    }
    std::sort(s.topics.begin(), s.topics.end(),
              [](const TopicStats& a, const TopicStats& b) { return a.topic < b.topic; });
    s.rejected = rejected_.load(std::memory_order_relaxed);
    s.in_flight = s.enqueued - std::min(s.enqueued, s.delivered + s.failed);
    return s;
  }

  ProducerStats Close(absl::Duration timeout) override {
    if (rk_ != nullptr && !closed_.exchange(true)) {
      // Barrier: wait for Produce calls that passed the closed_ check to finish.
      { absl::MutexLock barrier(&mu_); }
      absl::Status flushed = Flush(timeout);
      if (!flushed.ok()) {
        options_.log(LogLevel::kError, Sv(flushed.message()));
        rd_kafka_purge(rk_, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        // Purged messages get a delivery report with an error: count them as failed.
        const absl::Time deadline = absl::Now() + absl::Seconds(5);
        while (InFlight() > 0 && absl::Now() < deadline) rd_kafka_poll(rk_, 10);
      }
      stop_.store(true);
      if (poller_.joinable()) poller_.join();
      {
        absl::MutexLock lock(&mu_);
        for (auto& [name, t] : topics_) {
          rd_kafka_topic_destroy(t->rkt);
          t->rkt = nullptr;
        }
        rd_kafka_destroy(rk_);
        rk_ = nullptr;
      }
      rk_destroyed_ = true;
      final_stats_ = Stats();
      options_.log(final_stats_.failed > 0 ? LogLevel::kError : LogLevel::kInfo,
                   FormatStats(final_stats_));
    }
    if (rk_destroyed_) return final_stats_;
    return Stats();
  }

  const std::string& cluster_id() const override { return config_.id; }

 private:
  uint64_t InFlight() const {
    uint64_t enq = 0, done = 0;
    absl::ReaderMutexLock lock(&mu_);
    for (const auto& [name, t] : topics_) {
      enq += t->enqueued.load(std::memory_order_relaxed);
      done +=
          t->delivered.load(std::memory_order_relaxed) + t->failed.load(std::memory_order_relaxed);
    }
    return enq > done ? enq - done : 0;
  }

  TopicState* LookupTopic(std::string_view topic) ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    auto it = topics_.find(Sv(topic));
    return it == topics_.end() ? nullptr : it->second.get();
  }

  absl::Status CreateTopic(std::string_view topic) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    if (closed_.load(std::memory_order_acquire) || LookupTopic(topic) != nullptr) {
      return absl::OkStatus();
    }
    auto t = std::make_unique<TopicState>();
    t->name = std::string(topic);
    t->rkt = rd_kafka_topic_new(rk_, t->name.c_str(), nullptr);
    if (t->rkt == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("kafka: cluster \"", config_.id, "\": invalid topic \"", Sv(topic),
                       "\": ", rd_kafka_err2str(rd_kafka_last_error())));
    }
    for (size_t i = 0; i < t->routes.size(); ++i) {
      t->routes[i].topic = t.get();
      t->routes[i].algorithm = static_cast<PartitionAlgorithm>(i / 2);
      t->routes[i].by_id = (i % 2) == 1;
    }
    topics_.emplace(t->name, std::move(t));
    return absl::OkStatus();
  }

  void PollLoop() {
    while (!stop_.load(std::memory_order_acquire)) rd_kafka_poll(rk_, 50);
    rd_kafka_poll(rk_, 0);
  }

  static void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
    auto* self = static_cast<ProducerImpl*>(opaque);
    auto* route = static_cast<Route*>(m->_private);
    if (route == nullptr) return;
    TopicState* t = route->topic;
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      t->delivered.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    const uint64_t n = t->failed.fetch_add(1, std::memory_order_relaxed) + 1;
    if (n <= kLoggedFailuresPerTopic || n % 1000 == 0) {
      std::string line =
          absl::StrCat("kafka: cluster \"", self->config_.id, "\": delivery failed: topic \"",
                       t->name, "\" partition ", m->partition, ": ", rd_kafka_err2str(m->err));
      if (n == kLoggedFailuresPerTopic) {
        absl::StrAppend(&line, " (further failures on this topic logged every 1000th)");
      } else if (n > kLoggedFailuresPerTopic) {
        absl::StrAppend(&line, " (", n, " failures so far)");
      }
      self->options_.log(LogLevel::kError, line);
    }
  }

  static void OnError(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
    auto* self = static_cast<ProducerImpl*>(opaque);
    const bool fatal = err == RD_KAFKA_RESP_ERR__FATAL;
    std::string detail = reason;
    if (fatal) {
      char buf[512];
      rd_kafka_resp_err_t orig = rd_kafka_fatal_error(rk, buf, sizeof(buf));
      detail = absl::StrCat(rd_kafka_err2name(orig), ": ", buf);
    }
    self->options_.log(fatal ? LogLevel::kError : LogLevel::kWarning,
                       absl::StrCat("kafka: cluster \"", self->config_.id,
                                    "\": ", fatal ? "fatal error: " : "", detail));
  }

  static void OnLog(const rd_kafka_t* rk, int level, const char* fac, const char* buf) {
    auto* self = static_cast<ProducerImpl*>(rd_kafka_opaque(rk));
    if (self == nullptr) return;
    const LogLevel l =
        level <= 3
            ? LogLevel::kError
            : (level == 4 ? LogLevel::kWarning : (level <= 6 ? LogLevel::kInfo : LogLevel::kDebug));
    self->options_.log(
        l, absl::StrCat("kafka: cluster \"", self->config_.id, "\": librdkafka ", fac, ": ", buf));
  }

  static void OnTokenRefresh(rd_kafka_t* rk, const char*, void* opaque) {
    auto* self = static_cast<ProducerImpl*>(opaque);
    self->token_refreshes_.fetch_add(1);
    absl::StatusOr<OAuthToken> token = FetchOAuthToken(self->config_);
    if (!token.ok()) {
      const std::string msg(Sv(token.status().message()));
      self->options_.log(LogLevel::kError, msg);
      rd_kafka_oauthbearer_set_token_failure(rk, msg.c_str());
      return;
    }
    std::vector<const char*> ext;
    for (const auto& [k, v] : self->config_.sasl_extensions) {
      ext.push_back(k.c_str());
      ext.push_back(v.c_str());
    }
    const std::string principal =
        self->config_.sasl_oauth_client_id.empty()
            ? (self->config_.sasl_username.empty() ? std::string("tickrun")
                                                   : self->config_.sasl_username)
            : self->config_.sasl_oauth_client_id;
    char err[512];
    if (rd_kafka_oauthbearer_set_token(rk, token->access_token.c_str(),
                                       absl::ToUnixMillis(token->refresh_at), principal.c_str(),
                                       ext.data(), ext.size(), err,
                                       sizeof(err)) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      const std::string msg =
          absl::StrCat("kafka: cluster \"", self->config_.id, "\": cannot use OAuth token: ", err);
      self->options_.log(LogLevel::kError, msg);
      rd_kafka_oauthbearer_set_token_failure(rk, msg.c_str());
      return;
    }
    self->options_.log(LogLevel::kInfo, absl::StrCat("kafka: cluster \"", self->config_.id,
                                                     "\": OAuth token refreshed, valid until ",
                                                     absl::FormatTime(token->refresh_at)));
  }

  ClusterConfig config_;
  ProducerOptions options_;
  rd_kafka_t* rk_ = nullptr;
  std::thread poller_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> closed_{false};
  bool rk_destroyed_ = false;
  std::atomic<uint64_t> rejected_{0};
  std::atomic<uint64_t> token_refreshes_{0};
  ProducerStats final_stats_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<TopicState>> topics_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

absl::StatusOr<std::unique_ptr<Producer>> Producer::Create(const ClusterConfig& config,
                                                           ProducerOptions options) {
  auto p = std::make_unique<ProducerImpl>(config, std::move(options));
  absl::Status s = p->Init();
  if (!s.ok()) return s;
  return std::unique_ptr<Producer>(std::move(p));
}

std::string FormatStats(const ProducerStats& stats) {
  std::string out = absl::StrCat("kafka: cluster \"", stats.cluster_id, "\": ", stats.delivered,
                                 " delivered, ", stats.failed, " failed");
  if (stats.rejected > 0) absl::StrAppend(&out, ", ", stats.rejected, " rejected");
  if (stats.in_flight > 0) absl::StrAppend(&out, ", ", stats.in_flight, " in flight");
  for (const TopicStats& t : stats.topics) {
    absl::StrAppend(&out, "; topic \"", t.topic, "\": ", t.delivered, " delivered, ", t.failed,
                    " failed");
  }
  return out;
}

}  // namespace tick::kafka
