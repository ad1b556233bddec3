// File: nodes/pipeline_internal.h
//
// Internals shared by the pipeline node implementations (nodes/pipeline_nodes.cc,
// nodes/alert_node.cc) and the task (nodes/task.cc). Not a public API; exposed for white-box
// tests (tests/pipeline).
//
// Data flow: a node receives a Flow — a point plus its dimensions and group ID — and passes
// (possibly modified) Flows to its children synchronously. Points are copy-on-write: a node
// that changes a point copies it into its own reusable storage first (Mutable), so forks and
// unchanged paths never copy.
#ifndef TICK_NODES_PIPELINE_INTERNAL_H_
#define TICK_NODES_PIPELINE_INTERNAL_H_

#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "base/strings.h"
#include "interpreter/lambda.h"
#include "interpreter/task_spec.h"
#include "interpreter/value.h"
#include "nodes/alert_topics.h"
#include "nodes/point.h"
#include "nodes/symbols.h"
#include "nodes/task.h"

namespace tick::nodes::internal {

// A point in flight with its grouping.
struct Flow {
  const Point* point = nullptr;
  std::span<const SymbolId> dims;  // group-by tag keys, sorted by name
  bool by_name = false;            // group by measurement too
  std::string_view group;          // group ID ("" = the nil group)
};

// Returns a point the caller may modify: `f.point` itself if it already is `storage`,
// else a copy of it in `storage` (and `f` is repointed).
Point& Mutable(Flow& f, Point& storage);

// Appends Kapacitor's group ID (models.ToGroupID) for `p` with `dims`/`by_name`.
void AppendGroupId(const Point& p, std::span<const SymbolId> dims, bool by_name, std::string* out);

// Go's Time.Truncate / Time.Round (relative to 0001-01-01T00:00:00Z, halfway rounds up).
int64_t GoTruncate(int64_t unix_ns, int64_t d);
int64_t GoRound(int64_t unix_ns, int64_t d);

// Error kind of a lambda error Value: "missing value", "type error", "division by zero",
// "function error", "field/tag conflict", "error".
const char* LambdaErrorKind(const interp::Value& error);

// `lambda.FormatError(error)`, except for field/tag conflicts, which are formatted here
// (works around interp::CompiledLambda::Impl::Format returning a view of a temporary for them).
std::string FormatLambdaError(const interp::CompiledLambda& lambda, const interp::Value& error);

// Shared by all nodes of a task.
struct TaskContext {
  const interp::TaskSpec* spec = nullptr;
  TaskOptions* options = nullptr;
  AlertTopics topics;  // `.topic()` topics, shared by the alert nodes
  void Log(std::string_view line) const;
  absl::Time Now() const;
};

// Per-node error counting and rate-limited logging.
class ErrorReporter {
 public:
  ErrorReporter(const TaskContext* ctx, std::string node_name, bool quiet)
      : ctx_(ctx), node_(std::move(node_name)), quiet_(quiet) {}

  // Counts an error of `kind`; logs `message()` (prefixed with the position of `offset` in the
  // script and the node name) unless a log was written less than the interval ago, in which
  // case it is counted as suppressed and reported with the next log or at Flush.
  void Report(const char* kind, uint32_t offset, const std::function<std::string()>& message);
  void Flush();

  uint64_t total() const { return total_; }
  const std::map<std::string, uint64_t>& by_kind() const { return by_kind_; }

 private:
  const TaskContext* ctx_;
  std::string node_;
  bool quiet_;
  uint64_t total_ = 0;
  std::map<std::string, uint64_t> by_kind_;
  bool logged_ = false;
  absl::Time last_log_;
  uint64_t suppressed_ = 0;
};

// Binds a lambda's slots from a point: "time" → the point time; a field; else a tag (string);
// else Missing (or, for eval, an earlier result). Resolves names to SymbolIds once.
class SlotBinder {
 public:
  SlotBinder() = default;
  explicit SlotBinder(const interp::CompiledLambda& lambda);

  // Fills `slots_` for `p`; `extra(i)` (may be empty) supplies a value for slot i when the point
  // has neither a field nor a tag of that name (returning Missing when it has none). Returns
  // false with `*error` set on a field/tag name conflict.
  bool Bind(const Point& p, interp::Value* error,
            const std::function<interp::Value(size_t slot)>& extra);
  // Bind without `extra` (Missing for names the point does not have). Scans the point's
  // fields and tags directly; the field index found for a slot last time is tried first
  // (points of one series list their fields in the same order).
  bool Bind(const Point& p, interp::Value* error) {
    if (one_) return BindOne(p, error);
    return BindMany(p, error);
  }
  std::span<const interp::Value> slots() const { return slots_; }
  const std::vector<std::string>& names() const { return *names_; }

 private:
  static bool Conflict(size_t slot, interp::Value* error);
  struct SlotRef;
  // Binds slot `i` (reference `r`, not "time") from fields [fb, fe) and tags [tb, te): the
  // field index found last time is tried first.
  static bool BindSlot(SlotRef& r, const Field* fb, const Field* fe, const Tag* tb, const Tag* te,
                       size_t i, interp::Value* slot, interp::Value* error) {
    const SymbolId id = r.id;
    const Field* f = fb + r.hint;
    if (!(f < fe && f->key == id)) {
      f = nullptr;
      for (const Field* it = fb; it != fe; ++it) {
        if (it->key == id) {
          f = it;
          r.hint = static_cast<uint32_t>(it - fb);
          break;
        }
      }
    }
    const Tag* t = nullptr;
    for (const Tag* it = tb; it != te; ++it) {
      if (it->key == id) {
        t = it;
        break;
      }
    }
    if (f != nullptr) {
      if (t != nullptr) return Conflict(i, error);
      *slot = f->value;
    } else if (t != nullptr) {
      *slot = interp::Value::String(t->value);
    } else {
      *slot = interp::Value::Missing();
    }
    return true;
  }
  // The single non-time slot case, inline.
  bool BindOne(const Point& p, interp::Value* error) {
    const std::span<const Field> fields = p.fields();
    const std::span<const Tag> tags = p.tags();
    return BindSlot(refs_[0], fields.data(), fields.data() + fields.size(), tags.data(),
                    tags.data() + tags.size(), 0, slots_.data(), error);
  }
  bool BindMany(const Point& p, interp::Value* error) {
    const std::span<const Field> fields = p.fields();
    const std::span<const Tag> tags = p.tags();
    const Field* const fb = fields.data();
    const Field* const fe = fb + fields.size();
    const Tag* const tb = tags.data();
    const Tag* const te = tb + tags.size();
    interp::Value* const slots = slots_.data();
    const size_t n = refs_.size();
    for (size_t i = 0; i < n; ++i) {
      SlotRef& r = refs_[i];
      if (r.is_time) {
        slots[i] = interp::Value::Time(p.time());
      } else if (!BindSlot(r, fb, fe, tb, te, i, &slots[i], error)) {
        return false;
      }
    }
    return true;
  }

  struct SlotRef {
    SymbolId id = 0;
    bool is_time = false;
    uint32_t hint = 0;  // index in the fields where `id` was found last
  };
  const std::vector<std::string>* names_ = nullptr;
  std::vector<SlotRef> refs_;
  bool one_ = false;  // exactly one slot, not "time"
  std::vector<interp::Value> slots_;
};

// Base class of runtime nodes.
class Node {
 public:
  Node(TaskContext* ctx, const interp::TaskNodeSpec& spec)
      : ctx_(ctx), spec_(spec), errors_(ctx, spec.name, spec.quiet) {}
  virtual ~Node() = default;

  virtual void Process(Flow& f) = 0;

  void AddChild(Node* child) { children_.push_back(child); }
  const interp::TaskNodeSpec& spec() const { return spec_; }
  ErrorReporter& errors() { return errors_; }
  const ErrorReporter& errors() const { return errors_; }
  uint64_t points_in() const { return in_; }
  uint64_t points_out() const { return out_; }

  // Counts an incoming point (called by the task before Process).
  void CountIn() { ++in_; }
  // CountIn() then what the stream node's Process does (Emit unchanged), without the virtual
  // call: for the task's stream node.
  void CountInAndForward(Flow& f) {
    ++in_;
    Emit(f);
  }

 protected:
  // Passes `f` to the children: a single child gets `f` itself (and may change it, e.g.
  // repoint it at its own copy of the point), several get a copy each. Callers do not use `f`
  // after Emit.
  void Emit(Flow& f) {
    ++out_;
    if (children_.size() == 1) {
      Node* c = children_[0];
      c->CountIn();
      c->Process(f);
      return;
    }
    for (Node* c : children_) {
      Flow copy = f;
      c->CountIn();
      c->Process(copy);
    }
  }
  // Reports a lambda evaluation error at the lambda's position.
  void ReportLambdaError(const interp::CompiledLambda& lambda, const interp::Value& error,
                         const char* context);

  TaskContext* ctx_;
  const interp::TaskNodeSpec& spec_;
  ErrorReporter errors_;
  std::vector<Node*> children_;
  uint64_t in_ = 0;
  uint64_t out_ = 0;
};

// Factories (pipeline_nodes.cc, alert_node.cc).
std::unique_ptr<Node> NewStreamNode(TaskContext* ctx, const interp::TaskNodeSpec& spec);
std::unique_ptr<Node> NewFromNode(TaskContext* ctx, const interp::TaskNodeSpec& spec);
std::unique_ptr<Node> NewWhereNode(TaskContext* ctx, const interp::TaskNodeSpec& spec);
std::unique_ptr<Node> NewEvalNode(TaskContext* ctx, const interp::TaskNodeSpec& spec);
std::unique_ptr<Node> NewGroupByNode(TaskContext* ctx, const interp::TaskNodeSpec& spec);
std::unique_ptr<Node> NewDefaultNode(TaskContext* ctx, const interp::TaskNodeSpec& spec);
std::unique_ptr<Node> NewDeleteNode(TaskContext* ctx, const interp::TaskNodeSpec& spec);
std::unique_ptr<Node> NewLogNode(TaskContext* ctx, const interp::TaskNodeSpec& spec);

// The alert node additionally owns its handlers.
class AlertNodeBase : public Node {
 public:
  using Node::Node;
  virtual void AddHandler(std::unique_ptr<AlertHandler> handler) = 0;
  virtual std::vector<AlertHandler*> handlers() const = 0;
  virtual std::array<uint64_t, kNumAlertLevels> alerts_by_level() const = 0;
};
std::unique_ptr<AlertNodeBase> NewAlertNode(TaskContext* ctx, const interp::TaskNodeSpec& spec);

}  // namespace tick::nodes::internal

#endif  // TICK_NODES_PIPELINE_INTERNAL_H_
