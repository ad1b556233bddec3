// File: cli/kafka_runtime.cc
//
// KafkaRuntime implementation: config, embedded mock cluster, producers, handler factory,
// topic handlers, final report and dump.
#include "cli/kafka_runtime.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/strings.h"
#include "kafka/config.h"
#include "kafka/mock_cluster.h"
#include "kafka/producer.h"
#include "nodes/handler_file.h"
#include "nodes/kafka_handler.h"
#include "nodes/log_handler.h"
#include "nodes/topic_router.h"

namespace tick::cli {
namespace {

constexpr int kEmbeddedPartitions = 3;
constexpr size_t kPrintedPerPartition = 10;
constexpr size_t kPrintedValueBytes = 100;

class KafkaRuntimeImpl;

// Creates kafka and log handlers; for the embedded cluster, creates each Kafka topic (3
// partitions) before its first message.
class RuntimeFactory final : public nodes::HandlerFactory {
 public:
  RuntimeFactory(nodes::KafkaProducerSet* producers, kafka::EmbeddedCluster* embedded)
      : producers_(producers), embedded_(embedded) {}

  absl::StatusOr<std::unique_ptr<nodes::AlertHandler>> Create(
      const interp::HandlerSpec& spec) override {
    if (spec.kind == "log") return nodes::CreateLogHandler(spec);
    if (spec.kind != "kafka") {
      return absl::InvalidArgumentError(
          absl::StrCat("unsupported handler kind \"", Sv(spec.kind), "\""));
    }
    TICK_ASSIGN_OR_RETURN(nodes::KafkaHandlerConfig c,
                          nodes::ParseKafkaHandlerSpec(spec, producers_->ids()));
    if (embedded_ != nullptr && created_topics_.insert(c.topic).second) {
      TICK_RETURN_IF_ERROR(embedded_->CreateTopic(c.topic, kEmbeddedPartitions));
    }
    return nodes::CreateKafkaHandler(spec, producers_);
  }

 private:
  nodes::KafkaProducerSet* producers_;
  kafka::EmbeddedCluster* embedded_;
  std::set<std::string> created_topics_;
};

std::string Printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      absl::StrAppend(&out, "\\x", absl::Hex(static_cast<unsigned char>(c), absl::kZeroPad2));
    } else {
      out += c;
    }
  }
  return out;
}

// At most kPrintedValueBytes of the value, then its total size.
std::string PrintableValue(std::string_view v) {
  if (v.size() <= kPrintedValueBytes) return Printable(v);
  return absl::StrCat(Printable(v.substr(0, kPrintedValueBytes)), "... (", v.size(), " bytes)");
}

class KafkaRuntimeImpl final : public KafkaRuntime {
 public:
  static absl::StatusOr<std::unique_ptr<KafkaRuntime>> Create(const KafkaRunOptions& opts) {
    if (!opts.dump_path.empty() && !opts.embedded) {
      return absl::InvalidArgumentError("--kafka-dump needs --embedded-kafka");
    }
    auto rt = std::make_unique<KafkaRuntimeImpl>();
    rt->opts_ = opts;
    std::vector<kafka::ClusterConfig> clusters;
    if (!opts.config_path.empty()) {
      TICK_ASSIGN_OR_RETURN(clusters, kafka::LoadConfigFile(opts.config_path));
    }
    clusters.erase(std::remove_if(clusters.begin(), clusters.end(),
                                  [](const kafka::ClusterConfig& c) { return !c.enabled; }),
                   clusters.end());
    kafka::ProducerOptions popts;
    if (opts.embedded) {
      TICK_ASSIGN_OR_RETURN(rt->embedded_, kafka::EmbeddedCluster::Create(3));
      if (clusters.empty()) {
        kafka::ClusterConfig c;
        c.enabled = true;
        c.id = std::string(kafka::kDefaultClusterId);
        c.brokers = {rt->embedded_->bootstraps()};
        clusters.push_back(std::move(c));
      }
      popts.bootstrap_override = rt->embedded_->bootstraps();
    }
    for (const kafka::ClusterConfig& c : clusters) {
      TICK_ASSIGN_OR_RETURN(std::unique_ptr<kafka::Producer> p, kafka::Producer::Create(c, popts));
      rt->set_.Add(c.id, p.get());
      rt->producers_.push_back(std::move(p));
    }
    rt->factory_ = std::make_unique<RuntimeFactory>(&rt->set_, rt->embedded_.get());
    if (!opts.handler_paths.empty()) {
      TICK_ASSIGN_OR_RETURN(std::vector<nodes::TopicHandlerSpec> specs,
                            nodes::LoadHandlerPaths(opts.handler_paths));
      rt->router_ = std::make_unique<nodes::TopicRouter>(opts.task_name);
      for (const nodes::TopicHandlerSpec& s : specs) {
        if (s.spec.kind == "log") rt->log_handler_ids_.insert(s.topic + "\n" + s.spec.id);
      }
      TICK_RETURN_IF_ERROR(nodes::AddTopicHandlers(specs, rt->factory_.get(), rt->router_.get()));
    }
    std::unique_ptr<KafkaRuntime> out = std::move(rt);
    return out;
  }

  ~KafkaRuntimeImpl() override {
    router_.reset();
    for (std::unique_ptr<kafka::Producer>& p : producers_) p->Close(absl::Seconds(10));
  }

  nodes::HandlerFactory* handler_factory() override { return factory_.get(); }
  nodes::TopicSink* topic_sink() override { return router_.get(); }
  std::vector<std::string> enabled_cluster_ids() const override { return set_.ids(); }

  absl::StatusOr<uint64_t> Finish(absl::Duration timeout, FILE* report) override {
    if (finished_) return absl::FailedPreconditionError("Finish was already called");
    finished_ = true;
    std::string out;
    if (router_ != nullptr) {
      absl::Status s = router_->Close(timeout);
      if (!s.ok()) absl::StrAppend(&out, "topic handlers: ", s.message(), "\n");
    }
    uint64_t failed = set_.local_failures();
    for (std::unique_ptr<kafka::Producer>& p : producers_) {
      const kafka::ProducerStats st = p->Close(timeout);
      failed += st.failed;
      absl::StrAppend(&out, "kafka cluster \"", st.cluster_id, "\": ", st.enqueued, " sent, ",
                      st.delivered, " delivered, ", st.failed, " failed");
      if (st.rejected > 0) absl::StrAppend(&out, ", ", st.rejected, " rejected");
      out += "\n";
      for (const kafka::TopicStats& t : st.topics) {
        absl::StrAppend(&out, "  topic \"", t.topic, "\": ", t.enqueued, " sent, ", t.delivered,
                        " delivered, ", t.failed, " failed\n");
      }
    }
    if (set_.local_failures() > 0) {
      absl::StrAppend(&out, "kafka handlers: ", set_.local_failures(),
                      " alerts not handed to a producer (template or produce errors)\n");
    }
    if (router_ != nullptr) {
      out += router_->FormatSummary();
      for (const nodes::TopicHandlerSummary& h : router_->handlers()) {
        if (log_handler_ids_.count(h.topic + "\n" + h.id) > 0) failed += h.stats.failed;
      }
    }
    std::vector<kafka::ConsumedMessage> all;
    if (embedded_ != nullptr) {
      absl::StatusOr<std::vector<std::string>> topics = embedded_->ListTopics();
      if (!topics.ok()) return topics.status();
      absl::StrAppend(&out, "embedded kafka (", embedded_->bootstraps(), "): ");
      size_t shown = 0;
      for (const std::string& t : *topics) shown += t.rfind("__", 0) == 0 ? 0 : 1;
      absl::StrAppend(&out, shown, shown == 1 ? " topic\n" : " topics\n");
      for (const std::string& t : *topics) {
        if (t.rfind("__", 0) == 0) continue;
        TICK_ASSIGN_OR_RETURN(std::vector<kafka::ConsumedMessage> msgs, embedded_->ReadAll(t));
        TICK_ASSIGN_OR_RETURN(int partitions, embedded_->PartitionCount(t));
        absl::StrAppend(&out, "  topic \"", t, "\": ", msgs.size(), " messages\n");
        for (int p = 0; p < partitions; ++p) {
          std::vector<const kafka::ConsumedMessage*> in;
          for (const kafka::ConsumedMessage& m : msgs) {
            if (m.partition == p) in.push_back(&m);
          }
          absl::StrAppend(&out, "    partition ", p, ": ", in.size(), " messages\n");
          for (size_t i = 0; i < in.size() && i < kPrintedPerPartition; ++i) {
            absl::StrAppend(&out, "      offset ", in[i]->offset, " key ",
                            in[i]->key_is_null ? "null" : "\"" + Printable(in[i]->key) + "\"",
                            " value ", PrintableValue(in[i]->value), "\n");
          }
          if (in.size() > kPrintedPerPartition) {
            absl::StrAppend(&out, "      ... ", in.size() - kPrintedPerPartition, " more\n");
          }
        }
        all.insert(all.end(), std::make_move_iterator(msgs.begin()),
                   std::make_move_iterator(msgs.end()));
      }
    }
    if (report != nullptr) {
      std::fputs(out.c_str(), report);
      std::fflush(report);
    }
    if (!opts_.dump_path.empty()) {
      if (opts_.dump_path == "-") {
        std::ostringstream ss;
        kafka::WriteJsonLines(all, ss);
        std::fputs(ss.str().c_str(), stdout);
        std::fflush(stdout);
      } else {
        std::ofstream f(opts_.dump_path, std::ios::binary | std::ios::trunc);
        if (!f) {
          return absl::PermissionDeniedError(
              absl::StrCat("cannot write kafka dump \"", opts_.dump_path, "\""));
        }
        kafka::WriteJsonLines(all, f);
        f.flush();
        if (!f) {
          return absl::DataLossError(
              absl::StrCat("cannot write kafka dump \"", opts_.dump_path, "\""));
        }
      }
    }
    return failed;
  }

 private:
  KafkaRunOptions opts_;
  // Destruction order matters: the router's handlers use the producers, which use the cluster.
  std::unique_ptr<kafka::EmbeddedCluster> embedded_;
  std::vector<std::unique_ptr<kafka::Producer>> producers_;
  nodes::KafkaProducerSet set_;
  std::unique_ptr<RuntimeFactory> factory_;
  std::unique_ptr<nodes::TopicRouter> router_;
  std::set<std::string> log_handler_ids_;
  bool finished_ = false;
};

}  // namespace

absl::StatusOr<std::unique_ptr<KafkaRuntime>> KafkaRuntime::Start(const KafkaRunOptions& opts) {
  return KafkaRuntimeImpl::Create(opts);
}

}  // namespace tick::cli
