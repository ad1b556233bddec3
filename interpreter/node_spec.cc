// File: interpreter/node_spec.cc
//
// The node/method table. Sources: Kapacitor's pipeline/*.go (exported methods marked
// `tick:property`, the chainnode ChainMethods, the alert handlers of pipeline/alert.go) and
// ../shared/reference/kapacitor-semantics.md §3.
#include "interpreter/node_spec.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

namespace tick::interp {
namespace {

using A = ArgKind;

MethodSpec Prop(std::string_view name, std::vector<ArgKind> args = {}) {
  MethodSpec m;
  m.name = name;
  m.kind = MethodKind::kProperty;
  m.min_args = static_cast<uint8_t>(args.size());
  m.args = std::move(args);
  return m;
}

MethodSpec Variadic(MethodSpec m, ArgKind kind, uint8_t min_total = 0) {
  m.variadic = true;
  m.variadic_kind = kind;
  m.min_args = std::max<uint8_t>(m.min_args, min_total);
  return m;
}

MethodSpec Optional(MethodSpec m, uint8_t min_args) {
  m.min_args = min_args;
  return m;
}

MethodSpec Chain(std::string_view name, NodeKind result, std::vector<ArgKind> args = {}) {
  MethodSpec m = Prop(name, std::move(args));
  m.kind = MethodKind::kChain;
  m.result = result;
  return m;
}

MethodSpec UnsupportedChain(std::string_view name) {
  MethodSpec m = Chain(name, NodeKind::kUnsupported);
  m.supported = false;
  m.variadic = true;
  return m;
}

MethodSpec Handler(std::string_view name, NodeKind result, std::vector<ArgKind> args = {}) {
  MethodSpec m = Prop(name, std::move(args));
  m.kind = MethodKind::kHandler;
  m.result = result;
  return m;
}

MethodSpec UnsupportedHandler(std::string_view name) {
  MethodSpec m = Handler(name, NodeKind::kUnsupportedHandler);
  m.supported = false;
  m.variadic = true;
  return m;
}

MethodSpec Alias(MethodSpec m, std::string_view of) {
  m.alias_of = of;
  return m;
}

std::vector<MethodSpec> BuildCommonChainMethods() {
  std::vector<MethodSpec> v = {
      Chain("alert", NodeKind::kAlert),
      Chain("default", NodeKind::kDefault),
      Chain("delete", NodeKind::kDelete),
      Variadic(Chain("eval", NodeKind::kEval), A::kLambda, 1),
      Variadic(Chain("groupBy", NodeKind::kGroupBy), A::kTagName),
      Chain("httpOut", NodeKind::kHttpOut, {A::kString}),
      Chain("log", NodeKind::kLog),
      Chain("where", NodeKind::kWhere, {A::kLambda}),
      Chain("window", NodeKind::kWindow),
  };
  for (std::string_view name : {"barrier",
                                "bottom",
                                "changeDetect",
                                "combine",
                                "count",
                                "cumulativeSum",
                                "deadman",
                                "derivative",
                                "difference",
                                "distinct",
                                "ec2Autoscale",
                                "elapsed",
                                "first",
                                "flatten",
                                "holtWinters",
                                "holtWintersWithFit",
                                "httpPost",
                                "influxDBOut",
                                "join",
                                "k8sAutoscale",
                                "kapacitorLoopback",
                                "last",
                                "max",
                                "mean",
                                "median",
                                "min",
                                "mode",
                                "movingAverage",
                                "noOp",
                                "percentile",
                                "sample",
                                "shift",
                                "sideload",
                                "spread",
                                "stateCount",
                                "stateDuration",
                                "stats",
                                "stddev",
                                "sum",
                                "swarmAutoscale",
                                "top",
                                "trickle",
                                "union"}) {
    v.push_back(UnsupportedChain(name));
  }
  return v;
}

std::vector<NodeSpec> BuildNodes() {
  std::vector<NodeSpec> nodes;
  auto add = [&](NodeKind kind, std::string_view name, std::vector<MethodSpec> methods) {
    NodeSpec n{kind, name};
    n.methods = std::move(methods);
    nodes.push_back(std::move(n));
    return &nodes.back();
  };
  NodeSpec* n = add(NodeKind::kStream, "stream", {Chain("from", NodeKind::kFrom)});
  n->has_chain_methods = false;
  n = add(NodeKind::kBatch, "batch", {UnsupportedChain("query")});
  n->has_chain_methods = false;
  n->supported = false;
  add(NodeKind::kFrom, "from",
      {Prop("database", {A::kString}), Prop("retentionPolicy", {A::kString}),
       Prop("measurement", {A::kString}), Prop("where", {A::kLambda}),
       Variadic(Prop("groupBy"), A::kTagName), Prop("groupByMeasurement"),
       Prop("truncate", {A::kDuration}), Prop("round", {A::kDuration}), Prop("quiet"),
       Chain("from", NodeKind::kFrom)});
  add(NodeKind::kWhere, "where", {Prop("quiet")});
  add(NodeKind::kEval, "eval",
      {Variadic(Prop("as"), A::kString, 1), Variadic(Prop("tags"), A::kString, 1),
       Variadic(Prop("keep"), A::kString), Prop("quiet")});
  add(NodeKind::kGroupBy, "groupBy",
      {Variadic(Prop("exclude"), A::kString, 1), Prop("byMeasurement"), Prop("quiet")});
  add(NodeKind::kWindow, "window",
      {Prop("period", {A::kDuration}), Prop("every", {A::kDuration}), Prop("align"),
       Prop("fillPeriod"), Prop("periodCount", {A::kInt}), Prop("everyCount", {A::kInt}),
       Prop("quiet")});
  add(NodeKind::kDefault, "default",
      {Prop("field", {A::kString, A::kScalar}), Prop("tag", {A::kString, A::kString}),
       Prop("quiet")});
  add(NodeKind::kDelete, "delete",
      {Prop("field", {A::kString}), Prop("tag", {A::kString}), Prop("quiet")});
  add(NodeKind::kLog, "log",
      {Prop("level", {A::kString}), Prop("prefix", {A::kString}), Prop("quiet")});
  add(NodeKind::kHttpOut, "httpOut", {Prop("quiet")});

  std::vector<MethodSpec> alert = {
      Prop("category", {A::kString}),
      Prop("topic", {A::kString}),
      Prop("id", {A::kString}),
      Prop("message", {A::kString}),
      Prop("details", {A::kString}),
      Prop("info", {A::kLambda}),
      Prop("warn", {A::kLambda}),
      Prop("crit", {A::kLambda}),
      Prop("infoReset", {A::kLambda}),
      Prop("warnReset", {A::kLambda}),
      Prop("critReset", {A::kLambda}),
      Prop("history", {A::kInt}),
      Prop("levelTag", {A::kString}),
      Prop("levelField", {A::kString}),
      Prop("messageField", {A::kString}),
      Prop("durationField", {A::kString}),
      Prop("idTag", {A::kString}),
      Prop("idField", {A::kString}),
      Prop("all"),
      Prop("noRecoveries"),
      Optional(Prop("stateChangesOnly", {A::kDuration}), 0),
      Prop("flapping", {A::kFloat, A::kFloat}),
      Variadic(Prop("inhibit", {A::kString}), A::kString),
      Prop("quiet"),
      Handler("log", NodeKind::kLogHandler, {A::kString}),
      Handler("kafka", NodeKind::kKafkaHandler),
  };
  for (std::string_view name :
       {"alerta",   "bigPanda", "discord",    "email",     "exec",       "hipChat",
        "mqtt",     "opsGenie", "opsGenie2",  "pagerDuty", "pagerDuty2", "post",
        "pushover", "sensu",    "serviceNow", "slack",     "snmpTrap",   "talk",
        "tcp",      "teams",    "telegram",   "victorOps", "zenoss"}) {
    alert.push_back(UnsupportedHandler(name));
  }
  add(NodeKind::kAlert, "alert", std::move(alert));

  n = add(NodeKind::kLogHandler, "log handler", {Prop("mode", {A::kInt})});
  n->is_handler = true;
  n->has_chain_methods = false;
  n = add(NodeKind::kKafkaHandler, "kafka handler",
          {Prop("cluster", {A::kString}), Prop("kafkaTopic", {A::kString}),
           Prop("template", {A::kString}),
           // A settable bool field in Kapacitor (`.disablePartitionById(TRUE)`, as the handler
           // docs write it); `.disablePartitionById()` (as §5.3 writes it) means TRUE.
           Optional(Prop("disablePartitionById", {A::kBool}), 0),
           Prop("partitionAlgorithm", {A::kString}),
           Alias(Prop("partitionHashAlgorithm", {A::kString}), "partitionAlgorithm")});
  n->is_handler = true;
  n->has_chain_methods = false;
  n = add(NodeKind::kUnsupportedHandler, "handler", {});
  n->is_handler = true;
  n->has_chain_methods = false;
  n->supported = false;
  n = add(NodeKind::kUnsupported, "node", {});
  n->supported = false;
  return nodes;
}

const std::vector<MethodSpec>& CommonChain() {
  static const std::vector<MethodSpec>* v = new std::vector<MethodSpec>(BuildCommonChainMethods());
  return *v;
}

const std::vector<NodeSpec>& Nodes() {
  static const std::vector<NodeSpec>* v = [] {
    auto* nodes = new std::vector<NodeSpec>(BuildNodes());
    std::sort(nodes->begin(), nodes->end(),
              [](const NodeSpec& a, const NodeSpec& b) { return a.kind < b.kind; });
    return nodes;
  }();
  return *v;
}

}  // namespace

std::string_view ArgKindName(ArgKind kind) {
  switch (kind) {
    case ArgKind::kInt:
      return "int";
    case ArgKind::kFloat:
      return "float";
    case ArgKind::kString:
      return "string";
    case ArgKind::kBool:
      return "bool";
    case ArgKind::kDuration:
      return "duration";
    case ArgKind::kLambda:
      return "lambda";
    case ArgKind::kRegex:
      return "regex";
    case ArgKind::kStar:
      return "star";
    case ArgKind::kScalar:
      return "int, float, string or bool";
    case ArgKind::kTagName:
      return "string or star";
  }
  return "?";
}

const NodeSpec& GetNodeSpec(NodeKind kind) { return Nodes()[static_cast<size_t>(kind)]; }

std::span<const MethodSpec> CommonChainMethods() { return CommonChain(); }

namespace {

const MethodSpec* FindChainMethodLinear(const NodeSpec& node, std::string_view name) {
  for (const MethodSpec& m : node.methods) {
    if (m.kind == MethodKind::kChain && m.name == name) return &m;
  }
  if (node.has_chain_methods) {
    for (const MethodSpec& m : CommonChain()) {
      if (m.name == name) return &m;
    }
  }
  return nullptr;
}

const MethodSpec* FindPropertyLinear(const NodeSpec& node, std::string_view name) {
  for (const MethodSpec& m : node.methods) {
    if (m.kind != MethodKind::kChain && m.name == name) return &m;
  }
  return nullptr;
}

// Name -> method of one node, built once: an open-addressing table (load <= 1/2, linear
// probing) with a cheap hash of the length and three bytes, as lookups run for every link of
// every checked script.
class MethodIndex {
 public:
  // Keeps the first method inserted under a name (the one the linear search finds).
  void Add(std::string_view name, const MethodSpec* m) {
    for (const auto& e : pending_) {
      if (e.first == name) return;
    }
    pending_.emplace_back(name, m);
  }

  void Build() {
    size_t size = 8;
    while (size < 2 * pending_.size()) size *= 2;
    slots_.assign(size, {std::string_view(), nullptr});
    mask_ = static_cast<uint32_t>(size - 1);
    for (const auto& [name, m] : pending_) {
      uint32_t i = Hash(name) & mask_;
      while (slots_[i].second != nullptr) i = (i + 1) & mask_;
      slots_[i] = {name, m};
    }
    pending_.clear();
    pending_.shrink_to_fit();
  }

  const MethodSpec* Find(std::string_view name) const {
    for (uint32_t i = Hash(name) & mask_;; i = (i + 1) & mask_) {
      const auto& [key, m] = slots_[i];
      if (m == nullptr) return nullptr;
      if (key == name) return m;
    }
  }

 private:
  static uint32_t Hash(std::string_view s) {
    uint32_t h = static_cast<uint32_t>(s.size()) * 0x9E3779B1u;
    if (!s.empty()) {
      h ^= static_cast<unsigned char>(s.front()) * 0x85EBCA6Bu;
      h ^= static_cast<unsigned char>(s.back()) * 0xC2B2AE35u;
      h ^= static_cast<unsigned char>(s[s.size() / 2]) * 0x27D4EB2Fu;
    }
    return h ^ (h >> 15);
  }

  std::vector<std::pair<std::string_view, const MethodSpec*>> pending_;
  std::vector<std::pair<std::string_view, const MethodSpec*>> slots_;
  uint32_t mask_ = 0;
};

struct NodeIndex {
  MethodIndex chain;
  MethodIndex property;
};

const std::vector<NodeIndex>& Indexes() {
  static const std::vector<NodeIndex>* v = [] {
    auto* out = new std::vector<NodeIndex>();
    for (const NodeSpec& node : Nodes()) {
      NodeIndex index;
      for (const MethodSpec& m : node.methods) {
        if (const MethodSpec* c = FindChainMethodLinear(node, m.name)) index.chain.Add(m.name, c);
        if (const MethodSpec* p = FindPropertyLinear(node, m.name)) index.property.Add(m.name, p);
      }
      if (node.has_chain_methods) {
        for (const MethodSpec& m : CommonChain()) {
          index.chain.Add(m.name, FindChainMethodLinear(node, m.name));
        }
      }
      index.chain.Build();
      index.property.Build();
      out->push_back(std::move(index));
    }
    return out;
  }();
  return *v;
}

// The index of `node` when it is an entry of the table (callers may build their own NodeSpec).
const NodeIndex* IndexOf(const NodeSpec& node) {
  const size_t i = static_cast<size_t>(node.kind);
  const std::vector<NodeSpec>& nodes = Nodes();
  if (i >= nodes.size() || &nodes[i] != &node) return nullptr;
  return &Indexes()[i];
}

}  // namespace

const MethodSpec* FindChainMethod(const NodeSpec& node, std::string_view name) {
  const NodeIndex* index = IndexOf(node);
  return index == nullptr ? FindChainMethodLinear(node, name) : index->chain.Find(name);
}

const MethodSpec* FindProperty(const NodeSpec& node, std::string_view name) {
  const NodeIndex* index = IndexOf(node);
  return index == nullptr ? FindPropertyLinear(node, name) : index->property.Find(name);
}

std::vector<std::string_view> MethodNames(const NodeSpec& node) {
  std::vector<std::string_view> names;
  for (const MethodSpec& m : node.methods) names.push_back(m.name);
  if (node.is_handler) {
    for (const MethodSpec& m : GetNodeSpec(NodeKind::kAlert).methods) names.push_back(m.name);
  }
  if (node.has_chain_methods || node.is_handler) {
    for (const MethodSpec& m : CommonChain()) names.push_back(m.name);
  }
  return names;
}

bool SourceKind(std::string_view name, NodeKind* kind) {
  if (name == "stream") {
    *kind = NodeKind::kStream;
    return true;
  }
  if (name == "batch") {
    *kind = NodeKind::kBatch;
    return true;
  }
  return false;
}

std::span<const std::string_view> KafkaPartitionAlgorithms() {
  static constexpr std::array<std::string_view, 4> kAlgorithms = {"crc32", "murmur2", "murmur3",
                                                                  "fnv-1a"};
  return kAlgorithms;
}

int EditDistance(std::string_view a, std::string_view b) {
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      const int sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string_view NearestName(std::string_view name, std::span<const std::string_view> candidates) {
  const int limit = name.size() <= 3 ? 1 : 2;
  std::string_view best;
  int best_distance = limit + 1;
  for (std::string_view c : candidates) {
    // Case-only differences (`CRIT`, `groupby`) are always plausible.
    std::string lower_a(name), lower_b(c);
    std::transform(lower_a.begin(), lower_a.end(), lower_a.begin(), ::tolower);
    std::transform(lower_b.begin(), lower_b.end(), lower_b.begin(), ::tolower);
    const int d = lower_a == lower_b ? 0 : EditDistance(name, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

}  // namespace tick::interp
