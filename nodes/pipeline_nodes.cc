// File: nodes/pipeline_nodes.cc
//
// The non-alert pipeline nodes: stream, from, where, eval, groupBy, default, delete, log — and
// the shared helpers of pipeline_internal.h (slot binding, group IDs, error reporting).
// Behaviour follows Kapacitor's stream.go, where.go, eval.go, group_by.go, default.go,
// delete.go and log.go.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "base/strings.h"
#include "interpreter/lambda_internal.h"
#include "nodes/pipeline_internal.h"

namespace tick::nodes::internal {

using interp::CompiledLambda;
using interp::Value;
using interp::ValueKind;

// ---- helpers ------------------------------------------------------------------------------

Point& Mutable(Flow& f, Point& storage) {
  if (f.point != &storage) {
    storage = *f.point;
    f.point = &storage;
  }
  return storage;
}

void AppendGroupId(const Point& p, std::span<const SymbolId> dims, bool by_name, std::string* out) {
  if (dims.empty()) {
    if (by_name) out->append(p.measurement());
    return;
  }
  if (by_name) {
    out->append(p.measurement());
    out->push_back('\n');
  }
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i != 0) out->push_back(',');
    out->append(SymbolName(dims[i]));
    out->push_back('=');
    if (const Tag* t = p.FindTag(dims[i])) out->append(t->value);
  }
}

namespace {
// Nanoseconds from 0001-01-01T00:00:00Z to the Unix epoch.
constexpr __int128 kYearOneOffsetNs = static_cast<__int128>(62135596800LL) * 1000000000LL;
}  // namespace

int64_t GoTruncate(int64_t unix_ns, int64_t d) {
  if (d <= 0) return unix_ns;
  const __int128 rel = static_cast<__int128>(unix_ns) + kYearOneOffsetNs;
  __int128 r = rel % d;
  if (r < 0) r += d;
  return static_cast<int64_t>(unix_ns - r);
}

int64_t GoRound(int64_t unix_ns, int64_t d) {
  if (d <= 0) return unix_ns;
  const __int128 rel = static_cast<__int128>(unix_ns) + kYearOneOffsetNs;
  __int128 r = rel % d;
  if (r < 0) r += d;
  if (r + r < d) return static_cast<int64_t>(unix_ns - r);
  return static_cast<int64_t>(unix_ns + (d - r));
}

const char* LambdaErrorKind(const Value& error) {
  namespace li = interp::internal;
  switch (error.error_code()) {
    case li::kErrMissingOperand:
    case li::kErrMissingArgs:
      return "missing value";
    case li::kErrDivZero:
      return "division by zero";
    case li::kErrDynamic:
      return "function error";
    case li::kErrFieldTagConflict:
      return "field/tag conflict";
    case li::kErrInvalidOperand:
    case li::kErrInvalidOperator:
    case li::kErrMismatch:
    case li::kErrTypeGuard:
    case li::kErrUnexpectedType:
    case li::kErrUnexpectedGoType:
    case li::kErrSignature:
      return "type error";
    default:
      return "error";
  }
}

void TaskContext::Log(std::string_view line) const {
  if (options != nullptr && options->log) {
    options->log(line);
    return;
  }
  std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
}

absl::Time TaskContext::Now() const {
  if (options != nullptr && options->clock) return options->clock();
  return absl::Now();
}

void ErrorReporter::Report(const char* kind, uint32_t offset,
                           const std::function<std::string()>& message) {
  ++total_;
  ++by_kind_[kind];
  if (quiet_) return;
  const absl::Time now = ctx_->Now();
  const absl::Duration interval =
      ctx_->options != nullptr ? ctx_->options->error_log_interval : absl::Seconds(1);
  if (logged_ && now - last_log_ < interval) {
    ++suppressed_;
    return;
  }
  std::string line;
  const SourceFile& src = ctx_->spec->source;
  const LineCol lc = src.Locate(offset);
  absl::StrAppend(&line, src.name(), ":", lc.line, ":", lc.column, ": ", node_, ": ", message());
  if (suppressed_ > 0) absl::StrAppend(&line, " (", suppressed_, " similar suppressed)");
  suppressed_ = 0;
  logged_ = true;
  last_log_ = now;
  ctx_->Log(line);
}

void ErrorReporter::Flush() {
  if (suppressed_ == 0) return;
  ctx_->Log(absl::StrCat(node_, ": ", suppressed_, " similar errors suppressed"));
  suppressed_ = 0;
}

SlotBinder::SlotBinder(const CompiledLambda& lambda) : names_(&lambda.slot_names()) {
  for (const std::string& n : *names_) refs_.push_back(SlotRef{Intern(n), n == "time", 0});
  slots_.resize(names_->size());
  one_ = refs_.size() == 1 && !refs_[0].is_time;
}

bool SlotBinder::Conflict(size_t slot, Value* error) {
  *error = CompiledLambda::FieldTagConflictError(slot);
  return false;
}

bool SlotBinder::Bind(const Point& p, Value* error,
                      const std::function<Value(size_t slot)>& extra) {
  for (size_t i = 0; i < refs_.size(); ++i) {
    if (refs_[i].is_time) {
      slots_[i] = Value::Time(p.time());
      continue;
    }
    const Field* f = p.FindField(refs_[i].id);
    const Tag* t = p.FindTag(refs_[i].id);
    if (f != nullptr && t != nullptr) {
      *error = CompiledLambda::FieldTagConflictError(i);
      return false;
    }
    if (f != nullptr) {
      slots_[i] = f->value;
    } else if (t != nullptr) {
      slots_[i] = Value::String(t->value);
    } else if (extra) {
      slots_[i] = extra(i);
    } else {
      slots_[i] = Value::Missing();
    }
  }
  return true;
}

std::string FormatLambdaError(const CompiledLambda& lambda, const Value& error) {
  if (error.is_error() && error.error_code() == interp::internal::kErrFieldTagConflict) {
    const uint32_t slot = error.error_where();
    const std::vector<std::string>& names = lambda.slot_names();
    const std::string name = slot < names.size() ? names[slot] : std::string();
    return absl::StrCat("cannot have field and tags with same name \"", name, "\"");
  }
  return lambda.FormatError(error);
}

void Node::ReportLambdaError(const CompiledLambda& lambda, const Value& error,
                             const char* context) {
  errors_.Report(LambdaErrorKind(error), lambda.range().begin,
                 [&] { return absl::StrCat(context, ": ", FormatLambdaError(lambda, error)); });
}

namespace {

// Per-group EvalStates for lambdas with stateful functions (where/eval own one per group).
class GroupStates {
 public:
  explicit GroupStates(std::vector<const CompiledLambda*> lambdas) : lambdas_(std::move(lambdas)) {
    for (const CompiledLambda* l : lambdas_) any_ |= l->has_state();
  }
  // States for `group` (nullptr entries for lambdas without state). Null when none has state.
  std::vector<std::unique_ptr<interp::EvalState>>* Get(std::string_view group) {
    if (!any_) return nullptr;
    auto it = groups_.find(Sv(group));
    if (it == groups_.end()) {
      std::vector<std::unique_ptr<interp::EvalState>> states;
      for (const CompiledLambda* l : lambdas_) {
        states.push_back(l->has_state() ? l->NewState() : nullptr);
      }
      it = groups_.emplace(std::string(group), std::move(states)).first;
    }
    return &it->second;
  }

 private:
  std::vector<const CompiledLambda*> lambdas_;
  bool any_ = false;
  absl::flat_hash_map<std::string, std::vector<std::unique_ptr<interp::EvalState>>> groups_;
};

// ---- stream ---------------------------------------------------------------------------------

class StreamNode final : public Node {
 public:
  using Node::Node;
  void Process(Flow& f) override { Emit(f); }
};

// ---- from -----------------------------------------------------------------------------------

class FromNode final : public Node {
 public:
  FromNode(TaskContext* ctx, const interp::TaskNodeSpec& spec) : Node(ctx, spec) {
    const interp::FromSpec& s = spec.from;
    for (const CompiledLambda& l : s.where) {
      binders_.emplace_back(l);
      states_.push_back(l.has_state() ? l.NewState() : nullptr);
    }
    for (const std::string& t : s.group_by.tags) dims_.push_back(Intern(t));
    for (const std::string& t : s.group_by.exclude) exclude_.push_back(Intern(t));
    // What AppendGroupId writes before each fixed dimension's value.
    for (size_t i = 0; i < dims_.size(); ++i) {
      dim_prefixes_.push_back(absl::StrCat(i == 0 ? "" : ",", Sv(SymbolName(dims_[i])), "="));
    }
    dim_values_.resize(dims_.size());
    simple_ = s.database.empty() && s.retention_policy.empty() && s.where.empty() &&
              s.truncate_ns <= 0 && s.round_ns <= 0 && !s.group_by.star;
    measurement_ = s.measurement;
    by_name_ = s.group_by.by_measurement;
    single_dim_ = dims_.size() == 1 && !by_name_;
  }

  void Process(Flow& f) override {
    if (!simple_) {
      ProcessGeneral(f);
      return;
    }
    // Only a measurement filter and fixed dimensions.
    const Point& p = *f.point;
    if (!measurement_.empty() && !BytesEqual(p.measurement(), measurement_)) return;
    f.by_name = by_name_;
    f.dims = dims_;
    f.group = single_dim_ ? SingleDimGroup(p) : FixedGroup(p, by_name_);
    Emit(f);
  }

 private:
  ABSL_ATTRIBUTE_NOINLINE void ProcessGeneral(Flow& f) {
    const interp::FromSpec& s = spec_.from;
    const Point& p = *f.point;
    if (!s.database.empty() && p.database() != s.database) return;
    if (!s.retention_policy.empty() && p.retention_policy() != s.retention_policy) return;
    if (!s.measurement.empty() && !BytesEqual(p.measurement(), s.measurement)) return;
    for (size_t i = 0; i < s.where.size(); ++i) {
      Value err;
      if (!binders_[i].Bind(p, &err)) {
        ReportLambdaError(s.where[i], err, "failed to evaluate WHERE expression");
        return;
      }
      scratch_.Reset();
      switch (s.where[i].EvalPredicate(binders_[i].slots(), states_[i].get(), &scratch_, &err)) {
        case CompiledLambda::Truth::kTrue:
          break;
        case CompiledLambda::Truth::kFalse:
          return;
        case CompiledLambda::Truth::kError:
          ReportLambdaError(s.where[i], err, "failed to evaluate WHERE expression");
          return;
      }
    }
    if (s.truncate_ns > 0 || s.round_ns > 0) {
      int64_t t = p.time();
      if (s.truncate_ns > 0) t = GoTruncate(t, s.truncate_ns);
      if (s.round_ns > 0) t = GoRound(t, s.round_ns);
      if (t != p.time()) Mutable(f, storage_).set_time(t);
    }
    f.by_name = s.group_by.by_measurement;
    if (s.group_by.star) {
      star_dims_.clear();
      for (const Tag& t : f.point->tags()) {
        if (std::find(exclude_.begin(), exclude_.end(), t.key) == exclude_.end()) {
          star_dims_.push_back(t.key);
        }
      }
      f.dims = star_dims_;
      group_.clear();
      AppendGroupId(*f.point, f.dims, f.by_name, &group_);
    } else {
      f.dims = dims_;
      f.group = FixedGroup(*f.point, f.by_name);
      Emit(f);
      return;
    }
    f.group = group_;
    Emit(f);
  }

  // FixedGroup for one dimension without the measurement: "name=" is written once at the front
  // of the buffer (again when it grows); only the value is copied.
  std::string_view SingleDimGroup(const Point& q) {
    const SymbolId d = dims_[0];
    std::string_view v;
    for (const Tag& t : q.tags()) {
      if (t.key == d) {
        v = t.value;
        break;
      }
    }
    const size_t pre = dim_prefixes_[0].size();
    if (group_buf_.size() < pre + v.size() + 16) {
      group_buf_.resize(std::max(pre + v.size() + 16, 2 * group_buf_.size()));
      std::memcpy(group_buf_.data(), dim_prefixes_[0].data(), pre);
    }
    CopyBytes(group_buf_.data() + pre, v);
    return std::string_view(group_buf_.data(), pre + v.size());
  }

  // AppendGroupId for the fixed dimensions, with the dimension names pre-rendered: the exact
  // size first, then one pass of copies into a buffer that only grows.
  std::string_view FixedGroup(const Point& q, bool by_name) {
    const std::span<const Tag> tags = q.tags();
    size_t len = 0;
    if (by_name) len = q.measurement().size() + (dims_.empty() ? 0 : 1);
    for (size_t i = 0; i < dims_.size(); ++i) {
      std::string_view v;
      for (const Tag& t : tags) {
        if (t.key == dims_[i]) {
          v = t.value;
          break;
        }
      }
      dim_values_[i] = v;
      len += dim_prefixes_[i].size() + v.size();
    }
    if (group_buf_.size() < len) group_buf_.resize(std::max(len, 2 * group_buf_.size()));
    char* w = group_buf_.data();
    if (by_name) {
      w = CopyBytes(w, q.measurement());
      if (!dims_.empty()) *w++ = '\n';
    }
    for (size_t i = 0; i < dims_.size(); ++i) {
      w = CopyBytes(w, dim_prefixes_[i]);
      w = CopyBytes(w, dim_values_[i]);
    }
    return std::string_view(group_buf_.data(), len);
  }

  bool simple_ = false;  // no db/rp filter, no where, no truncate/round, no groupBy(*)
  bool by_name_ = false;
  bool single_dim_ = false;                   // one fixed dimension, not by measurement
  std::string_view measurement_;              // the spec's
  std::vector<std::string> dim_prefixes_;     // ",name=" (no comma for the first)
  std::vector<std::string_view> dim_values_;  // scratch: each fixed dimension's tag value
  std::string group_buf_;                     // the group ID of the fixed-dimensions path
  std::vector<SlotBinder> binders_;
  std::vector<std::unique_ptr<interp::EvalState>> states_;  // shared by all groups
  interp::EvalScratch scratch_;
  std::vector<SymbolId> dims_;
  std::vector<SymbolId> exclude_;
  std::vector<SymbolId> star_dims_;
  std::string group_;
  Point storage_;
};

// ---- where ----------------------------------------------------------------------------------

class WhereNode final : public Node {
 public:
  WhereNode(TaskContext* ctx, const interp::TaskNodeSpec& spec)
      : Node(ctx, spec),
        binder_(spec.where_spec.predicate),
        states_({&spec.where_spec.predicate}) {}

  void Process(Flow& f) override {
    const CompiledLambda& l = spec_.where_spec.predicate;
    Value err;
    if (!binder_.Bind(*f.point, &err)) {
      ReportLambdaError(l, err, "error while evaluating expression");
      return;
    }
    auto* states = states_.Get(f.group);
    scratch_.Reset();
    switch (
        l.EvalPredicate(binder_.slots(), states ? (*states)[0].get() : nullptr, &scratch_, &err)) {
      case CompiledLambda::Truth::kTrue:
        Emit(f);
        return;
      case CompiledLambda::Truth::kFalse:
        return;
      case CompiledLambda::Truth::kError:
        ReportLambdaError(l, err, "error while evaluating expression");
        return;
    }
  }

 private:
  SlotBinder binder_;
  GroupStates states_;
  interp::EvalScratch scratch_;
};

// ---- eval -----------------------------------------------------------------------------------

std::vector<const CompiledLambda*> Pointers(const std::vector<CompiledLambda>& v) {
  std::vector<const CompiledLambda*> out;
  for (const CompiledLambda& l : v) out.push_back(&l);
  return out;
}

class EvalNode final : public Node {
 public:
  EvalNode(TaskContext* ctx, const interp::TaskNodeSpec& spec)
      : Node(ctx, spec), states_(Pointers(spec.eval.exprs)) {
    const interp::EvalSpec& e = spec.eval;
    for (size_t i = 0; i < e.exprs.size(); ++i) {
      binders_.emplace_back(e.exprs[i]);
      // For each slot: the index of an earlier .as() name it may read (else -1).
      std::vector<int> earlier;
      for (const std::string& name : e.exprs[i].slot_names()) {
        int idx = -1;
        for (size_t j = 0; j < i; ++j) {
          if (e.as[j] == name) idx = static_cast<int>(j);
        }
        earlier.push_back(idx);
      }
      earlier_.push_back(std::move(earlier));
      as_ids_.push_back(Intern(e.as[i]));
      is_tag_.push_back(std::find(e.tags.begin(), e.tags.end(), e.as[i]) != e.tags.end());
    }
    for (const std::string& k : e.keep_list) keep_ids_.push_back(Intern(k));
    results_.resize(e.exprs.size());
  }

  void Process(Flow& f) override {
    const interp::EvalSpec& e = spec_.eval;
    auto* states = states_.Get(f.group);
    scratch_.Reset();
    const Point& in = *f.point;
    for (size_t i = 0; i < e.exprs.size(); ++i) {
      Value err;
      const std::vector<int>& earlier = earlier_[i];
      auto extra = [&](size_t slot) -> Value {
        const int j = earlier[slot];
        return j >= 0 ? results_[j] : Value::Missing();
      };
      if (!binders_[i].Bind(in, &err, extra)) {
        ReportEval(e.exprs[i], err);
        return;
      }
      Value v =
          e.exprs[i].Eval(binders_[i].slots(), states ? (*states)[i].get() : nullptr, &scratch_);
      if (v.is_error()) {
        ReportEval(e.exprs[i], v);
        return;
      }
      if (is_tag_[i] && v.kind() != ValueKind::kString) {
        errors_.Report("type error", e.exprs[i].range().begin, [&] {
          return absl::StrCat("result of a tag expression must be of type string, got ",
                              interp::KindName(v.kind()));
        });
        return;
      }
      switch (v.kind()) {
        case ValueKind::kFloat:
        case ValueKind::kInt:
        case ValueKind::kString:
        case ValueKind::kBool:
        case ValueKind::kUint:
          break;
        case ValueKind::kDuration:
        case ValueKind::kTime:
          v = Value::Int(v.int_value());
          break;
        default:
          errors_.Report("type error", e.exprs[i].range().begin, [&] {
            return absl::StrCat("unsupported eval result type ", interp::KindName(v.kind()),
                                " for \"", e.as[i], "\"");
          });
          return;
      }
      results_[i] = v;
    }
    // Build the output point.
    if (e.keep && !e.keep_list.empty()) {
      kept_.clear();
      for (size_t k = 0; k < keep_ids_.size(); ++k) {
        const SymbolId id = keep_ids_[k];
        Value v;
        bool found = false;
        for (size_t i = 0; i < as_ids_.size(); ++i) {
          if (as_ids_[i] == id) {
            v = results_[i];
            found = true;
          }
        }
        if (!found) {
          if (const Field* fl = in.FindField(id)) {
            v = fl->value;
            found = true;
          }
        }
        if (!found) {
          errors_.Report("missing value", spec_.where.begin, [&] {
            return absl::StrCat("cannot keep field \"", e.keep_list[k], "\", field does not exist");
          });
          return;
        }
        kept_.push_back(Field{id, v});
      }
      Point& out = Mutable(f, storage_);
      // `kept_` values may point into `in` (== the old storage contents when in == &storage_);
      // copy strings first.
      for (Field& k : kept_) {
        if (k.value.kind() == ValueKind::kString) {
          k.value = Value::String(scratch_.Copy(k.value.string_value()));
        }
      }
      while (!out.fields().empty()) out.RemoveField(out.fields().front().key);
      for (const Field& k : kept_) out.SetField(k.key, k.value);
    } else {
      Point& out = Mutable(f, storage_);
      if (!e.keep) {
        while (!out.fields().empty()) out.RemoveField(out.fields().front().key);
      }
      for (size_t i = 0; i < results_.size(); ++i) {
        if (!e.keep && is_tag_[i]) continue;
        out.SetField(as_ids_[i], results_[i]);
      }
    }
    Point& out = Mutable(f, storage_);
    for (size_t i = 0; i < results_.size(); ++i) {
      if (is_tag_[i]) out.SetTag(as_ids_[i], results_[i].string_value());
    }
    Emit(f);
  }

 private:
  void ReportEval(const CompiledLambda& l, const Value& err) {
    ReportLambdaError(l, err, "failed to evaluate expression");
  }

  GroupStates states_;
  std::vector<SlotBinder> binders_;
  std::vector<std::vector<int>> earlier_;
  std::vector<SymbolId> as_ids_;
  std::vector<bool> is_tag_;
  std::vector<SymbolId> keep_ids_;
  std::vector<Value> results_;
  std::vector<Field> kept_;
  interp::EvalScratch scratch_;
  Point storage_;
};

// ---- groupBy --------------------------------------------------------------------------------

class GroupByNode final : public Node {
 public:
  GroupByNode(TaskContext* ctx, const interp::TaskNodeSpec& spec) : Node(ctx, spec) {
    for (const std::string& t : spec.group_by.tags) dims_.push_back(Intern(t));
    for (const std::string& t : spec.group_by.exclude) exclude_.push_back(Intern(t));
  }

  void Process(Flow& f) override {
    const interp::GroupBySpec& g = spec_.group_by;
    if (g.star) {
      star_dims_.clear();
      for (const Tag& t : f.point->tags()) {
        if (std::find(exclude_.begin(), exclude_.end(), t.key) == exclude_.end()) {
          star_dims_.push_back(t.key);
        }
      }
      f.dims = star_dims_;
    } else {
      f.dims = dims_;
    }
    f.by_name = g.by_measurement;
    group_.clear();
    AppendGroupId(*f.point, f.dims, f.by_name, &group_);
    f.group = group_;
    Emit(f);
  }

 private:
  std::vector<SymbolId> dims_;
  std::vector<SymbolId> exclude_;
  std::vector<SymbolId> star_dims_;
  std::string group_;
};

// ---- default --------------------------------------------------------------------------------

class DefaultNode final : public Node {
 public:
  DefaultNode(TaskContext* ctx, const interp::TaskNodeSpec& spec) : Node(ctx, spec) {
    for (const auto& [name, v] : spec.default_spec.fields) {
      Value value;
      switch (v.kind) {
        case ValueKind::kInt:
          value = Value::Int(v.i);
          break;
        case ValueKind::kString:
          value = Value::String(v.s);
          break;
        case ValueKind::kBool:
          value = Value::Bool(v.b);
          break;
        default:
          value = Value::Float(v.f);
          break;
      }
      fields_.push_back(Field{Intern(name), value});
    }
    for (const auto& [name, v] : spec.default_spec.tags) tags_.emplace_back(Intern(name), v);
  }

  void Process(Flow& f) override {
    for (const Field& d : fields_) {
      if (f.point->FindField(d.key) == nullptr) {
        Mutable(f, storage_).SetField(d.key, d.value);
        ++fields_defaulted_;
      }
    }
    for (const auto& [key, value] : tags_) {
      const Tag* t = f.point->FindTag(key);
      if (t == nullptr || t->value.empty()) {
        Mutable(f, storage_).SetTag(key, value);
        ++tags_defaulted_;
      }
    }
    Emit(f);
  }

 private:
  std::vector<Field> fields_;
  std::vector<std::pair<SymbolId, std::string>> tags_;
  uint64_t fields_defaulted_ = 0;
  uint64_t tags_defaulted_ = 0;
  Point storage_;
};

// ---- delete ---------------------------------------------------------------------------------

class DeleteNode final : public Node {
 public:
  DeleteNode(TaskContext* ctx, const interp::TaskNodeSpec& spec) : Node(ctx, spec) {
    for (const std::string& n : spec.delete_spec.fields) fields_.push_back(Intern(n));
    for (const std::string& n : spec.delete_spec.tags) tags_.push_back(Intern(n));
  }

  void Process(Flow& f) override {
    for (SymbolId k : fields_) {
      if (f.point->FindField(k) != nullptr) Mutable(f, storage_).RemoveField(k);
    }
    bool dims_changed = false;
    for (SymbolId k : tags_) {
      if (f.point->FindTag(k) != nullptr) Mutable(f, storage_).RemoveTag(k);
      if (std::find(f.dims.begin(), f.dims.end(), k) != f.dims.end()) dims_changed = true;
    }
    if (dims_changed) {
      dims_.clear();
      for (SymbolId d : f.dims) {
        if (std::find(tags_.begin(), tags_.end(), d) == tags_.end()) dims_.push_back(d);
      }
      f.dims = dims_;
      group_.clear();
      AppendGroupId(*f.point, f.dims, f.by_name, &group_);
      f.group = group_;
    }
    Emit(f);
  }

 private:
  std::vector<SymbolId> fields_;
  std::vector<SymbolId> tags_;
  std::vector<SymbolId> dims_;
  std::string group_;
  Point storage_;
};

// ---- log ------------------------------------------------------------------------------------

class LogNode final : public Node {
 public:
  using Node::Node;
  void Process(Flow& f) override {
    line_.clear();
    absl::StrAppend(&line_, spec_.name, ": ", spec_.log.level, " ");
    if (!spec_.log.prefix.empty()) absl::StrAppend(&line_, spec_.log.prefix, " ");
    absl::StrAppend(&line_, "group=", f.group.empty() ? "nil" : Sv(f.group), " ");
    line_.append(DebugString(*f.point));
    ctx_->Log(line_);
    Emit(f);
  }

 private:
  std::string line_;
};

}  // namespace

std::unique_ptr<Node> NewStreamNode(TaskContext* ctx, const interp::TaskNodeSpec& spec) {
  return std::make_unique<StreamNode>(ctx, spec);
}
std::unique_ptr<Node> NewFromNode(TaskContext* ctx, const interp::TaskNodeSpec& spec) {
  return std::make_unique<FromNode>(ctx, spec);
}
std::unique_ptr<Node> NewWhereNode(TaskContext* ctx, const interp::TaskNodeSpec& spec) {
  return std::make_unique<WhereNode>(ctx, spec);
}
std::unique_ptr<Node> NewEvalNode(TaskContext* ctx, const interp::TaskNodeSpec& spec) {
  return std::make_unique<EvalNode>(ctx, spec);
}
std::unique_ptr<Node> NewGroupByNode(TaskContext* ctx, const interp::TaskNodeSpec& spec) {
  return std::make_unique<GroupByNode>(ctx, spec);
}
std::unique_ptr<Node> NewDefaultNode(TaskContext* ctx, const interp::TaskNodeSpec& spec) {
  return std::make_unique<DefaultNode>(ctx, spec);
}
std::unique_ptr<Node> NewDeleteNode(TaskContext* ctx, const interp::TaskNodeSpec& spec) {
  return std::make_unique<DeleteNode>(ctx, spec);
}
std::unique_ptr<Node> NewLogNode(TaskContext* ctx, const interp::TaskNodeSpec& spec) {
  return std::make_unique<LogNode>(ctx, spec);
}

}  // namespace tick::nodes::internal
