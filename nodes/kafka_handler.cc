// File: nodes/kafka_handler.cc
//
// The Kafka alert handler: option validation, message building, statistics.
#include "nodes/kafka_handler.h"

#include <algorithm>
#include <iostream>
#include <optional>
#include <utility>
#include <variant>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "base/strings.h"
#include "interpreter/template.h"
#include "nodes/alert_template_data.h"

namespace tick::nodes {
namespace {

constexpr uint64_t kLoggedFailures = 20;

absl::Status OptionError(std::string_view option, std::string_view message) {
  absl::Status s = absl::InvalidArgumentError(Sv(message));
  s.SetPayload(kHandlerOptionPayloadUrl, absl::Cord(Sv(option)));
  return s;
}

const char* OptionTypeName(const interp::OptionValue& v) {
  switch (v.index()) {
    case 0:
      return "bool";
    case 1:
      return "int";
    case 2:
      return "float";
    case 3:
      return "string";
    default:
      return "duration";
  }
}

absl::StatusOr<std::string> StringOption(const interp::HandlerOption& o) {
  if (const auto* s = std::get_if<std::string>(&o.value)) return *s;
  return OptionError(o.name, absl::StrCat("kafka handler option \"", Sv(o.name),
                                          "\" must be a string, got ", OptionTypeName(o.value)));
}

class KafkaHandler final : public AlertHandler {
 public:
  KafkaHandler(KafkaHandlerConfig config, std::optional<interp::Template> tmpl,
               kafka::Producer* producer, KafkaProducerSet* set, uint64_t* topic_enqueued,
               HandlerLogFn log)
      : config_(std::move(config)),
        template_(std::move(tmpl)),
        producer_(producer),
        set_(set),
        topic_enqueued_(topic_enqueued),
        log_(std::move(log)) {}

  void Handle(const AlertEventData& event, std::string_view json) override {
    ++events_;
    std::string_view value = json;
    if (template_.has_value()) {
      value_.clear();
      absl::Status s = template_->Execute(data_.Build(event), &value_);
      if (!s.ok()) {
        Fail(absl::StrCat("failed to render kafka message template for alert \"", Sv(event.id),
                          "\": ", s.message()));
        return;
      }
      value = value_;
    }
    absl::Status s = producer_->Produce(config_.topic, event.id, value, config_.algorithm,
                                        !config_.disable_partition_by_id);
    if (!s.ok()) {
      Fail(absl::StrCat("failed to write alert \"", Sv(event.id), "\" to kafka: ", s.message()));
      return;
    }
    ++enqueued_;
    ++*topic_enqueued_;
  }

  absl::Status Close(absl::Duration timeout) override {
    // The producer is shared: flush it (bounded); the runtime closes it afterwards.
    absl::Status s = producer_->Flush(timeout);
    if (!s.ok()) return s;
    return absl::OkStatus();
  }

  HandlerStats stats() const override {
    HandlerStats st;
    st.events = events_;
    st.failed = local_failed_;
    const kafka::ProducerStats ps = producer_->Stats();
    for (const kafka::TopicStats& t : ps.topics) {
      if (t.topic != config_.topic) continue;
      const uint64_t total = *topic_enqueued_;
      if (total == 0 || enqueued_ == total) {
        st.delivered = t.delivered;
        st.failed += t.failed;
      } else {
        // Shared topic: attribute in proportion to what this handler enqueued.
        const double share = static_cast<double>(enqueued_) / static_cast<double>(total);
        st.failed += static_cast<uint64_t>(static_cast<double>(t.failed) * share + 0.5);
        st.delivered = std::min<uint64_t>(
            enqueued_, static_cast<uint64_t>(static_cast<double>(t.delivered) * share + 0.5));
      }
    }
    return st;
  }

  std::string name() const override {
    std::string n = absl::StrCat("kafka(cluster=", config_.cluster, ", topic=", config_.topic);
    if (config_.algorithm != kafka::PartitionAlgorithm::kCrc32) {
      absl::StrAppend(
          &n, ", partitionAlgorithm=", Sv(kafka::PartitionAlgorithmName(config_.algorithm)));
    }
    if (config_.disable_partition_by_id) absl::StrAppend(&n, ", disablePartitionById");
    if (template_.has_value()) absl::StrAppend(&n, ", template");
    n += ")";
    return n;
  }

 private:
  void Fail(const std::string& message) {
    ++local_failed_;
    set_->AddLocalFailure();
    if (local_failed_ <= kLoggedFailures || local_failed_ % 1000 == 0) {
      std::string line = absl::StrCat(name(), ": ", message);
      if (local_failed_ == kLoggedFailures) {
        line += " (further failures logged every 1000th)";
      }
      if (log_) {
        log_(line);
      } else {
        std::cerr << line << '\n';
      }
    }
  }

  KafkaHandlerConfig config_;
  std::optional<interp::Template> template_;
  kafka::Producer* producer_;
  KafkaProducerSet* set_;
  uint64_t* topic_enqueued_;
  HandlerLogFn log_;
  AlertHandlerTemplateData data_;
  std::string value_;
  uint64_t events_ = 0;
  uint64_t enqueued_ = 0;
  uint64_t local_failed_ = 0;
};

}  // namespace

absl::StatusOr<KafkaHandlerConfig> ParseKafkaHandlerSpec(const interp::HandlerSpec& spec,
                                                         const std::vector<std::string>& clusters) {
  if (spec.kind != "kafka") {
    return absl::InvalidArgumentError(
        absl::StrCat("handler kind \"", Sv(spec.kind), "\" is not \"kafka\""));
  }
  KafkaHandlerConfig c;
  bool has_cluster = false;
  for (const interp::HandlerOption& o : spec.options) {
    if (o.name == "cluster") {
      TICK_ASSIGN_OR_RETURN(c.cluster, StringOption(o));
      has_cluster = true;
    } else if (o.name == "topic") {
      TICK_ASSIGN_OR_RETURN(c.topic, StringOption(o));
    } else if (o.name == "template") {
      TICK_ASSIGN_OR_RETURN(c.template_text, StringOption(o));
      c.has_template = true;
    } else if (o.name == "disablePartitionById") {
      const bool* b = std::get_if<bool>(&o.value);
      if (b == nullptr) {
        return OptionError(o.name,
                           absl::StrCat("kafka handler option \"disablePartitionById\" must be a "
                                        "bool, got ",
                                        OptionTypeName(o.value)));
      }
      c.disable_partition_by_id = *b;
    } else if (o.name == "partitionAlgorithm") {
      TICK_ASSIGN_OR_RETURN(std::string a, StringOption(o));
      absl::StatusOr<kafka::PartitionAlgorithm> alg = kafka::ParsePartitionAlgorithm(a);
      if (!alg.ok()) return OptionError(o.name, Sv(alg.status().message()));
      c.algorithm = *alg;
    } else {
      return OptionError(o.name, absl::StrCat("unknown kafka handler option \"", Sv(o.name), "\""));
    }
  }
  if (has_cluster) {
    if (std::find(clusters.begin(), clusters.end(), c.cluster) == clusters.end()) {
      return OptionError("cluster", absl::StrCat("unknown cluster \"", c.cluster, "\""));
    }
  } else if (clusters.empty()) {
    return OptionError("cluster", "no enabled kafka cluster");
  } else if (clusters.size() > 1) {
    return OptionError("cluster",
                       absl::StrCat("several kafka clusters are enabled (",
                                    absl::StrJoin(clusters, ", "), "): select one with cluster"));
  } else {
    c.cluster = clusters.front();
  }
  if (c.topic.empty()) return OptionError("topic", "kafka handler topic must not be empty");
  return c;
}

void KafkaProducerSet::Add(std::string cluster_id, kafka::Producer* producer) {
  if (producers_.find(cluster_id) == producers_.end()) ids_.push_back(cluster_id);
  producers_[std::move(cluster_id)] = producer;
}

kafka::Producer* KafkaProducerSet::Find(std::string_view cluster_id) const {
  auto it = producers_.find(cluster_id);
  return it == producers_.end() ? nullptr : it->second;
}

uint64_t* KafkaProducerSet::EnqueuedCounter(const std::string& cluster, const std::string& topic) {
  std::unique_ptr<uint64_t>& p = enqueued_[{cluster, topic}];
  if (p == nullptr) p = std::make_unique<uint64_t>(0);
  return p.get();
}

absl::StatusOr<std::unique_ptr<AlertHandler>> CreateKafkaHandler(const interp::HandlerSpec& spec,
                                                                 KafkaProducerSet* producers,
                                                                 HandlerLogFn log) {
  TICK_ASSIGN_OR_RETURN(KafkaHandlerConfig c, ParseKafkaHandlerSpec(spec, producers->ids()));
  std::optional<interp::Template> tmpl;
  if (c.has_template) {
    absl::StatusOr<interp::Template> t =
        interp::ParseTemplate("kafka", c.template_text, interp::TemplateMode::kText);
    if (!t.ok()) {
      return OptionError("template",
                         absl::StrCat("failed to parse template: ", t.status().message()));
    }
    tmpl.emplace(std::move(*t));
  }
  kafka::Producer* p = producers->Find(c.cluster);
  if (p == nullptr)
    return OptionError("cluster", absl::StrCat("unknown cluster \"", c.cluster, "\""));
  uint64_t* counter = producers->EnqueuedCounter(c.cluster, c.topic);
  std::unique_ptr<AlertHandler> h = std::make_unique<KafkaHandler>(
      std::move(c), std::move(tmpl), p, producers, counter, std::move(log));
  return h;
}

}  // namespace tick::nodes
