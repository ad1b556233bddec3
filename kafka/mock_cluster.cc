// File: kafka/mock_cluster.cc
#include "kafka/mock_cluster.h"

#include <librdkafka/rdkafka.h>
// rdkafka_mock.h must follow rdkafka.h.
#include <librdkafka/rdkafka_mock.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/strings.h"

namespace tick::kafka {
namespace {

void QuietLog(const rd_kafka_t*, int, const char*, const char*) {}

absl::Status MockError(std::string_view what, rd_kafka_resp_err_t err) {
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return absl::OkStatus();
  return absl::InternalError(
      absl::StrCat("kafka: mock cluster: ", Sv(what), ": ", rd_kafka_err2str(err)));
}

struct RkDeleter {
  void operator()(rd_kafka_t* rk) const {
    if (rk != nullptr) rd_kafka_destroy(rk);
  }
};
using RkPtr = std::unique_ptr<rd_kafka_t, RkDeleter>;

absl::StatusOr<RkPtr> NewClient(rd_kafka_type_t type,
                                const std::vector<std::pair<std::string, std::string>>& props) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  for (const auto& [k, v] : props) {
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof(err)) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return absl::InternalError(absl::StrCat("kafka: mock cluster: ", k, ": ", err));
    }
  }
  rd_kafka_conf_set_log_cb(conf, &QuietLog);
  rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof(err));
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return absl::InternalError(absl::StrCat("kafka: mock cluster: cannot create client: ", err));
  }
  return RkPtr(rk);
}

void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
      ++i;
    } else if (c == '\n') {
      out += "\\n";
      ++i;
    } else if (c == '\r') {
      out += "\\r";
      ++i;
    } else if (c == '\t') {
      out += "\\t";
      ++i;
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\u00";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
      ++i;
    } else if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
    } else {
      // Validate one UTF-8 sequence; invalid bytes are escaped as \u00XX.
      size_t len = (c >= 0xF0 && c <= 0xF4)  ? 4
                   : (c >= 0xE0) && c < 0xF0 ? 3
                   : (c >= 0xC2 && c < 0xE0) ? 2
                                             : 0;
      bool ok = len > 0 && i + len <= s.size();
      for (size_t k = 1; ok && k < len; ++k) {
        ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
      }
      if (ok) {
        out.append(s.substr(i, len));
        i += len;
      } else {
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
        ++i;
      }
    }
  }
  out.push_back('"');
}

}  // namespace

struct EmbeddedCluster::Impl {
  RkPtr host;  // throwaway handle hosting the mock cluster
  rd_kafka_mock_cluster_t* mc = nullptr;
  ~Impl() {
    if (mc != nullptr) rd_kafka_mock_cluster_destroy(mc);
  }
};

absl::StatusOr<std::unique_ptr<EmbeddedCluster>> EmbeddedCluster::Create(int brokers) {
  if (brokers < 1) return absl::InvalidArgumentError("kafka: mock cluster needs at least 1 broker");
  absl::StatusOr<RkPtr> host = NewClient(RD_KAFKA_PRODUCER, {});
  if (!host.ok()) return host.status();
  std::unique_ptr<EmbeddedCluster> c(new EmbeddedCluster());
  c->impl_ = std::make_unique<Impl>();
  c->impl_->host = std::move(*host);
  c->impl_->mc = rd_kafka_mock_cluster_new(c->impl_->host.get(), brokers);
  if (c->impl_->mc == nullptr) return absl::InternalError("kafka: cannot start the mock cluster");
  c->bootstraps_ = rd_kafka_mock_cluster_bootstraps(c->impl_->mc);
  c->brokers_ = brokers;
  return c;
}

EmbeddedCluster::~EmbeddedCluster() = default;

absl::Status EmbeddedCluster::CreateTopic(std::string_view topic, int partitions) {
  const std::string t(topic);
  return MockError(absl::StrCat("create topic \"", t, "\""),
                   rd_kafka_mock_topic_create(impl_->mc, t.c_str(), partitions, 1));
}

absl::Status EmbeddedCluster::SetBrokerDown(int32_t broker_id) {
  return MockError("broker down", rd_kafka_mock_broker_set_down(impl_->mc, broker_id));
}

absl::Status EmbeddedCluster::SetBrokerUp(int32_t broker_id) {
  return MockError("broker up", rd_kafka_mock_broker_set_up(impl_->mc, broker_id));
}

absl::Status EmbeddedCluster::SetRtt(int32_t broker_id, absl::Duration rtt) {
  return MockError("broker rtt",
                   rd_kafka_mock_broker_set_rtt(impl_->mc, broker_id,
                                                static_cast<int>(absl::ToInt64Milliseconds(rtt))));
}

void EmbeddedCluster::PushRequestErrors(int16_t api_key, const std::vector<int>& errors) {
  std::vector<rd_kafka_resp_err_t> errs;
  errs.reserve(errors.size());
  for (int e : errors) errs.push_back(static_cast<rd_kafka_resp_err_t>(e));
  rd_kafka_mock_push_request_errors_array(impl_->mc, api_key, errs.size(), errs.data());
}

absl::Status EmbeddedCluster::SetPartitionLeader(std::string_view topic, int32_t partition,
                                                 int32_t broker_id) {
  const std::string t(topic);
  return MockError("partition leader",
                   rd_kafka_mock_partition_set_leader(impl_->mc, t.c_str(), partition, broker_id));
}

absl::StatusOr<std::vector<std::string>> EmbeddedCluster::ListTopics(absl::Duration timeout) {
  absl::StatusOr<RkPtr> rk = NewClient(RD_KAFKA_PRODUCER, {{"bootstrap.servers", bootstraps_}});
  if (!rk.ok()) return rk.status();
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk->get(), 1, nullptr, &md,
                                              static_cast<int>(absl::ToInt64Milliseconds(timeout)));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return MockError("metadata", err);
  std::vector<std::string> out;
  for (int i = 0; i < md->topic_cnt; ++i) out.emplace_back(md->topics[i].topic);
  rd_kafka_metadata_destroy(md);
  std::sort(out.begin(), out.end());
  return out;
}

absl::StatusOr<int> EmbeddedCluster::PartitionCount(std::string_view topic,
                                                    absl::Duration timeout) {
  absl::StatusOr<RkPtr> rk = NewClient(RD_KAFKA_PRODUCER, {{"bootstrap.servers", bootstraps_}});
  if (!rk.ok()) return rk.status();
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk->get(), 1, nullptr, &md,
                                              static_cast<int>(absl::ToInt64Milliseconds(timeout)));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return MockError("metadata", err);
  int count = -1;
  for (int i = 0; i < md->topic_cnt; ++i) {
    if (topic == md->topics[i].topic) count = md->topics[i].partition_cnt;
  }
  rd_kafka_metadata_destroy(md);
  if (count < 0) {
    return absl::NotFoundError(absl::StrCat("kafka: unknown topic \"", Sv(topic), "\""));
  }
  return count;
}

absl::StatusOr<std::vector<ConsumedMessage>> EmbeddedCluster::ReadAll(std::string_view topic,
                                                                      absl::Duration timeout) {
  const std::string t(topic);
  absl::StatusOr<int> partitions = PartitionCount(topic, timeout);
  if (!partitions.ok()) return partitions.status();
  absl::StatusOr<RkPtr> rk = NewClient(RD_KAFKA_CONSUMER, {{"bootstrap.servers", bootstraps_},
                                                           {"group.id", "tickrun-readall"},
                                                           {"enable.auto.commit", "false"},
                                                           {"enable.partition.eof", "false"},
                                                           {"auto.offset.reset", "earliest"}});
  if (!rk.ok()) return rk.status();
  const absl::Time deadline = absl::Now() + timeout;
  const int timeout_ms = static_cast<int>(absl::ToInt64Milliseconds(timeout));
  std::map<int32_t, int64_t> high;  // partition -> high watermark (only non-empty partitions)
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(*partitions);
  for (int32_t p = 0; p < *partitions; ++p) {
    int64_t lo = 0, hi = 0;
    rd_kafka_resp_err_t err =
        rd_kafka_query_watermark_offsets(rk->get(), t.c_str(), p, &lo, &hi, timeout_ms);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      rd_kafka_topic_partition_list_destroy(list);
      return MockError(absl::StrCat("watermarks of \"", t, "\" [", p, "]"), err);
    }
    if (hi > lo) {
      high[p] = hi;
      rd_kafka_topic_partition_list_add(list, t.c_str(), p)->offset = lo;
    }
  }
  std::vector<ConsumedMessage> out;
  if (high.empty()) {
    rd_kafka_topic_partition_list_destroy(list);
    return out;
  }
  rd_kafka_resp_err_t err = rd_kafka_assign(rk->get(), list);
  rd_kafka_topic_partition_list_destroy(list);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return MockError("assign", err);
  std::map<int32_t, int64_t> next;  // partition -> next offset expected
  size_t done = 0;
  while (done < high.size()) {
    if (absl::Now() > deadline) {
      rd_kafka_assign(rk->get(), nullptr);
      return absl::DeadlineExceededError(
          absl::StrCat("kafka: reading \"", t, "\" back timed out after ",
                       absl::FormatDuration(timeout), " (", out.size(), " messages read)"));
    }
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk->get(), 100);
    if (m == nullptr) continue;
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      rd_kafka_message_destroy(m);
      continue;
    }
    ConsumedMessage cm;
    cm.topic = t;
    cm.partition = m->partition;
    cm.offset = m->offset;
    cm.key_is_null = m->key == nullptr;
    if (m->key != nullptr) cm.key.assign(static_cast<const char*>(m->key), m->key_len);
    if (m->payload != nullptr) cm.value.assign(static_cast<const char*>(m->payload), m->len);
    rd_kafka_message_destroy(m);
    auto h = high.find(cm.partition);
    if (h == high.end() || cm.offset >= h->second) continue;
    if (cm.offset + 1 >= h->second) ++done;
    out.push_back(std::move(cm));
  }
  rd_kafka_assign(rk->get(), nullptr);
  rd_kafka_consumer_close(rk->get());
  std::sort(out.begin(), out.end(), [](const ConsumedMessage& a, const ConsumedMessage& b) {
    return a.partition != b.partition ? a.partition < b.partition : a.offset < b.offset;
  });
  return out;
}

std::string ToJsonLine(const ConsumedMessage& m) {
  std::string out = "{\"topic\":";
  AppendJsonString(out, m.topic);
  absl::StrAppend(&out, ",\"partition\":", m.partition, ",\"offset\":", m.offset, ",\"key\":");
  if (m.key_is_null) {
    out += "null";
  } else {
    AppendJsonString(out, m.key);
  }
  out += ",\"value\":";
  AppendJsonString(out, m.value);
  out += "}";
  return out;
}

void WriteJsonLines(const std::vector<ConsumedMessage>& messages, std::ostream& out) {
  for (const ConsumedMessage& m : messages) out << ToJsonLine(m) << '\n';
}

}  // namespace tick::kafka
