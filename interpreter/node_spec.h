// File: interpreter/node_spec.h
//
// The static description of Kapacitor's pipeline node kinds and their methods, as reachable from
// TICKscript: which `|chain()` methods create which child node, which `.property()` methods a node
// has, the argument kinds each accepts, and which alert properties open a handler whose own
// properties then apply (`.kafka().cluster('c').kafkaTopic('t')`).
//
// The table is consumed by the checker (interpreter/checker.h) to report unknown or misused
// methods with positions and did-you-mean suggestions, and by the graph builder to know what a
// property means. It mirrors Kapacitor's pipeline/*.go (the exported node methods and the
// `ChainMethods` every chaining node has), restricted to what TICKscript can call.
//
//   const NodeSpec& alert = GetNodeSpec(NodeKind::kAlert);
//   const MethodSpec* m = FindProperty(alert, "crit");   // property, one lambda argument
//   const MethodSpec* k = FindProperty(alert, "kafka");  // handler: NodeKind::kKafkaHandler
//   const MethodSpec* w = FindChainMethod(alert, "window");  // `|window()` -> NodeKind::kWindow
//
// Node kinds that exist in Kapacitor but that tickrun does not run (batch, join, mean, post, slack,
// ...) are present with `supported == false`, so scripts using them are reported as "not supported
// by tickrun" rather than as unknown.
#ifndef TICK_INTERPRETER_NODE_SPEC_H_
#define TICK_INTERPRETER_NODE_SPEC_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace tick::interp {

// Kinds of argument values a method accepts. Kapacitor types arguments exactly (no int->float
// coercion).
enum class ArgKind : uint8_t {
  kInt,       // int64 literal
  kFloat,     // float64 literal
  kString,    // 'string'
  kBool,      // TRUE / FALSE
  kDuration,  // 10s
  kLambda,    // lambda: ...
  kRegex,     // /re/
  kStar,      // *
  kScalar,    // any of int, float, string, bool (default.field value)
  kTagName,   // a string or `*` (groupBy arguments)
};

// "int", "float", "string", "bool", "duration", "lambda", "regex", "star", ...
std::string_view ArgKindName(ArgKind kind);

enum class NodeKind : uint8_t {
  // Sources.
  kStream,
  kBatch,
  // Supported chaining nodes.
  kFrom,
  kWhere,
  kEval,
  kGroupBy,
  kWindow,
  kDefault,
  kDelete,
  kLog,
  kHttpOut,
  kAlert,
  // Alert handlers (opened by an alert property; their properties are looked up first, then the
  // alert node's).
  kLogHandler,
  kKafkaHandler,
  kUnsupportedHandler,  // post, tcp, exec, email, slack, ... : recognised, not run by tickrun
  // Recognised chaining nodes tickrun does not run (query, join, mean, stats, ...).
  kUnsupported,
};

enum class MethodKind : uint8_t {
  kChain,     // `|name(...)`: creates a child node of kind `result`
  kProperty,  // `.name(...)`: sets a property of the node
  kHandler,   // `.name(...)` on alert: appends a handler of kind `result` and makes it current
};

struct MethodSpec {
  std::string_view name;
  MethodKind kind = MethodKind::kProperty;
  // Positional arguments; the first `min_args` are required, the rest optional.
  std::vector<ArgKind> args;
  uint8_t min_args = 0;
  // When set, any number of further arguments of this kind may follow `args`.
  bool variadic = false;
  ArgKind variadic_kind = ArgKind::kString;
  // kChain / kHandler: the node (or handler) the method creates.
  NodeKind result = NodeKind::kUnsupported;
  // false: recognised (it exists in Kapacitor) but tickrun does not implement it.
  bool supported = true;
  // Alias of another method of the same node (e.g. kafka's partitionHashAlgorithm).
  std::string_view alias_of;
};

struct NodeSpec {
  NodeKind kind;
  std::string_view name;  // Kapacitor's node description: "alert", "from", "kafka handler"
  bool supported = true;
  // Handler kinds: the node whose properties apply after the handler's own (kAlert).
  bool is_handler = false;
  // True when the node has Kapacitor's common ChainMethods (every node but handlers).
  bool has_chain_methods = true;
  std::vector<MethodSpec> methods;  // node-specific properties and chaining methods
};

const NodeSpec& GetNodeSpec(NodeKind kind);

// The chaining methods every (non-handler) node has: alert, eval, where, window, ...
std::span<const MethodSpec> CommonChainMethods();

// Finds the chaining method (`|name`) of the node: its own, then (if the node has them) the
// common chaining methods. Returns nullptr if absent.
const MethodSpec* FindChainMethod(const NodeSpec& node, std::string_view name);
// Finds the property method (`.name`, kProperty or kHandler) of the node. Handler nodes do NOT
// fall back to the alert node here; the caller models Kapacitor's "current handler" embedding
// (see checker.cc). Returns nullptr if absent.
const MethodSpec* FindProperty(const NodeSpec& node, std::string_view name);

// Every method name callable on `node` (own + common chain methods; for handlers also the
// alert node's), for did-you-mean suggestions.
std::vector<std::string_view> MethodNames(const NodeSpec& node);

// Source identifiers: "stream" -> kStream, "batch" -> kBatch. Returns false for other names.
bool SourceKind(std::string_view name, NodeKind* kind);

// Valid `.partitionAlgorithm()` values of the kafka handler, in Kapacitor's order:
// "crc32", "murmur2", "murmur3", "fnv-1a".
std::span<const std::string_view> KafkaPartitionAlgorithms();

// The Levenshtein distance between two names (byte-wise).
int EditDistance(std::string_view a, std::string_view b);
// The candidate closest to `name` if it is close enough to be a plausible typo (distance <= 2, or
// <= 1 for names of up to 3 bytes), else an empty view.
std::string_view NearestName(std::string_view name, std::span<const std::string_view> candidates);

}  // namespace tick::interp

#endif  // TICK_INTERPRETER_NODE_SPEC_H_
