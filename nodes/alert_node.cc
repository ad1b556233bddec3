// File: nodes/alert_node.cc
//
// The alert node for streams (Kapacitor alert.go, stream path): per point, the group's level is
// decided with DetermineLevel over the node's level/reset lambdas (one EvalState per lambda,
// shared by all groups), the group's AlertState steps, and an emitted event is rendered
// (id/message/details templates), encoded (AppendEventJson), collected into the node's
// anonymous topic (previousLevel) and its `.topic()`, handed to the callback and the inline
// handlers, and the point is forwarded downstream augmented with levelTag/idTag/levelField/
// messageField/idField/durationField.
#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "base/strings.h"
#include "nodes/alert_event.h"
#include "nodes/alert_state.h"
#include "nodes/alert_template_data.h"
#include "nodes/alert_topics.h"
#include "nodes/pipeline_internal.h"

namespace tick::nodes::internal {
namespace {

using interp::CompiledLambda;
using interp::Value;

// How the ID is rendered.
enum class IdMode { kDefault, kPerGroup, kPerPoint };

class AlertNode final : public AlertNodeBase {
 public:
  AlertNode(TaskContext* ctx, const interp::TaskNodeSpec& spec)
      : AlertNodeBase(ctx, spec),
        anon_topic_(absl::StrCat("tickrun:", ctx->spec->name, ":", spec.name)) {
    const interp::AlertSpec& a = spec.alert;
    for (int l = 1; l <= 3; ++l) {
      if (a.levels[l]) {
        levels_[l].emplace(*a.levels[l]);
        level_mask_ |= 1u << l;
      }
      if (a.resets[l]) {
        resets_[l].emplace(*a.resets[l]);
        reset_mask_ |= 1u << l;
      }
    }
    state_options_.history = a.history;
    state_options_.use_flapping = a.use_flapping;
    state_options_.flap_low = a.flap_low;
    state_options_.flap_high = a.flap_high;
    state_options_.state_changes_only = a.state_changes_only;
    state_options_.state_changes_only_duration_ns = a.state_changes_only_ns;
    state_options_.no_recoveries = a.no_recoveries;

    if (a.id.text == interp::kDefaultAlertId) {
      id_mode_ = IdMode::kDefault;
    } else {
      id_mode_ = IdMode::kPerGroup;
      if (a.id.tmpl == nullptr || a.id.tmpl->uses_whole_dot()) {
        id_mode_ = IdMode::kPerPoint;
      } else {
        for (const std::string& f : a.id.tmpl->ReferencedTopLevelFields()) {
          if (f != "Name" && f != "TaskName" && f != "Group" && f != "ServerInfo") {
            id_mode_ = IdMode::kPerPoint;
          }
        }
      }
    }
    default_message_ = a.message.text == interp::kDefaultAlertMessage;
    default_details_ = a.details.text == interp::kDefaultAlertDetails;
    server_info_.hostname = ctx->options->hostname;
    server_info_.cluster_id = ctx->options->cluster_id;
    server_info_.server_id = ctx->options->server_id;
    if (!a.level_tag.empty()) level_tag_ = Intern(a.level_tag);
    if (!a.id_tag.empty()) id_tag_ = Intern(a.id_tag);
    if (!a.level_field.empty()) level_field_ = Intern(a.level_field);
    if (!a.message_field.empty()) message_field_ = Intern(a.message_field);
    if (!a.id_field.empty()) id_field_ = Intern(a.id_field);
    if (!a.duration_field.empty()) duration_field_ = Intern(a.duration_field);
    augment_ =
        level_tag_ || id_tag_ || level_field_ || message_field_ || id_field_ || duration_field_;
  }

  void AddHandler(std::unique_ptr<AlertHandler> h) override { handlers_.push_back(std::move(h)); }
  std::vector<AlertHandler*> handlers() const override {
    std::vector<AlertHandler*> out;
    for (const auto& h : handlers_) out.push_back(h.get());
    return out;
  }
  std::array<uint64_t, kNumAlertLevels> alerts_by_level() const override { return by_level_; }

  void Process(Flow& f) override {
    Group& g = GetGroup(f.group);
    const Point& p = *f.point;
    Evaluator ev{this, &p};
    const AlertLevel level =
        DetermineLevelMasked(g.state.current_level(), level_mask_, reset_mask_, ev);
    const AlertStep step = g.state.StepPoint(p.time(), level);
    if (!step.emit()) return;
    ProcessEvent(f, g, level, step);
  }

 private:
  // A message and its encodings: the JSON string literal, and for the default details its
  // html-escaped JSON string and that text's JSON string body
  // (DefaultDetailsTailWriter::MessagePieces).
  struct MessagePieces {
    bool valid = false;
    bool has_details = false;
    std::string text;
    std::string literal;
    std::string html;
    std::string body;
  };
  struct Group;

  // Renders, encodes and dispatches the event of an emitting step, then forwards the point.
  ABSL_ATTRIBUTE_NOINLINE void ProcessEvent(Flow& f, Group& g, AlertLevel level,
                                            const AlertStep& step) {
    const Point& p = *f.point;
    const interp::AlertSpec& a = spec_.alert;
    tags_.clear();
    for (const Tag& t : p.tags()) tags_.push_back(AlertTag{SymbolName(t.key), t.value});
    fields_.clear();
    for (const Field& fl : p.fields()) fields_.push_back(AlertField{SymbolName(fl.key), fl.value});

    if (!RenderId(f, g)) return;
    const bool need_data = !default_message_ || !default_details_;
    if (need_data) {
      tdata_.SetIdInfo(p.measurement(), ctx_->spec->name, f.group, tags_, server_info_);
      tdata_.SetMessageInfo(id_, fields_, level, p.time(), step.duration_ns);
    }
    message_.clear();
    if (default_message_) {
      message_.append(id_);
      message_.append(" is ");
      message_.append(AlertLevelName(level));
    } else if (!Execute(*a.message.tmpl, tdata_.MessageData(), a.message, &message_)) {
      return;
    }
    details_.clear();
    details_json_.clear();
    if (need_data) tdata_.SetMessage(message_);
    const MessagePieces& mp = Messages(g, level);
    if (default_details_) {
      bool data_set = need_data;
      auto set_data = [&] {
        if (data_set) return;
        data_set = true;
        tdata_.SetIdInfo(p.measurement(), ctx_->spec->name, f.group, tags_, server_info_);
        tdata_.SetMessageInfo(id_, fields_, level, p.time(), step.duration_ns);
        tdata_.SetMessage(message_);
      };
      RenderDefaultDetails(p, g, level, step.duration_ns, mp, set_data);
    } else if (!Execute(*a.details.tmpl, tdata_.DetailsData(), a.details, &details_)) {
      return;
    }

    AlertEventData e;
    e.id = id_;
    e.message = message_;
    e.details = details_;
    e.time_ns = p.time();
    e.duration_ns = step.duration_ns;
    e.level = level;
    e.recoverable = !a.no_recoveries;
    e.name = p.measurement();
    e.tags = tags_;
    e.fields = fields_;
    e.details_json = details_json_;
    e.series_head_json = SeriesHead(p, g, e);
    e.id_json = IdJson(g);
    e.message_json = mp.literal;
    Dispatch(e);

    if (augment_) {
      Point& out = Mutable(f, storage_);
      const std::string_view lname = AlertLevelName(level);
      if (level_tag_) out.SetTag(*level_tag_, lname);
      if (id_tag_) out.SetTag(*id_tag_, id_);
      if (level_field_) out.SetField(*level_field_, Value::String(lname));
      if (message_field_) out.SetField(*message_field_, Value::String(message_));
      if (id_field_) out.SetField(*id_field_, Value::String(id_));
      if (duration_field_) out.SetField(*duration_field_, Value::Int(step.duration_ns));
    }
    Emit(f);
  }

  // The measurement and tags an event's cached JSON pieces were rendered for.
  struct SeriesKey {
    bool valid = false;
    std::string name;
    std::vector<SymbolId> tag_keys;
    std::vector<std::string> tag_values;

    bool Matches(const Point& p) const {
      if (!valid || p.measurement() != name) return false;
      const auto tags = p.tags();
      if (tags.size() != tag_keys.size()) return false;
      for (size_t i = 0; i < tags.size(); ++i) {
        if (tags[i].key != tag_keys[i] || tags[i].value != tag_values[i]) return false;
      }
      return true;
    }
    void Assign(const Point& p) {
      valid = true;
      name.assign(p.measurement().data(), p.measurement().size());
      tag_keys.clear();
      tag_values.resize(p.tags().size());
      for (size_t i = 0; i < p.tags().size(); ++i) {
        tag_keys.push_back(p.tags()[i].key);
        tag_values[i].assign(p.tags()[i].value.data(), p.tags()[i].value.size());
      }
    }
  };

  struct Group {
    Group(const AlertStateOptions& o, std::string_view k) : key(k), state(o) {}
    std::string key;  // the group ID
    AlertState state;
    bool id_cached = false;
    std::string id_name;  // measurement the cached ID was rendered for
    std::string id;
    // AppendSeriesHeadJson for `series_key` and the field names `series_fields`.
    SeriesKey series_key;
    std::vector<SymbolId> series_fields;
    std::string series_head;
    // AppendDefaultDetailsHead for `details_key` and the ID `details_id`, and the JSON string
    // body of it.
    SeriesKey details_key;
    std::string details_id;
    std::string details_head;
    std::string details_head_json;
    // AppendEventJsonString(id) for the ID `id_json_for`.
    std::string id_json_for;
    std::string id_json;
    // The encoded forms of the last message of each level.
    std::array<MessagePieces, kNumAlertLevels> messages;
  };

  struct LevelLambda {
    explicit LevelLambda(const CompiledLambda& l)
        : lambda(&l), binder(l), state(l.has_state() ? l.NewState() : nullptr) {}
    const CompiledLambda* lambda;
    SlotBinder binder;
    std::unique_ptr<interp::EvalState> state;  // shared by all groups
  };

  struct Evaluator {
    AlertNode* node;
    const Point* point;
    bool HasLevel(AlertLevel l) const { return (node->level_mask_ >> static_cast<int>(l)) & 1; }
    bool HasReset(AlertLevel l) const { return (node->reset_mask_ >> static_cast<int>(l)) & 1; }
    LevelTruth EvalLevel(AlertLevel l) {
      return node->Eval(*node->levels_[static_cast<int>(l)], *point,
                        "error evaluating expression for level");
    }
    LevelTruth EvalReset(AlertLevel l) {
      return node->Eval(*node->resets_[static_cast<int>(l)], *point,
                        "error evaluating reset expression for current level");
    }
  };

  LevelTruth Eval(LevelLambda& ll, const Point& p, const char* context) {
    Value err;
    if (!ll.binder.Bind(p, &err)) return EvalError(ll, err, context);
    scratch_.Reset();
    switch (ll.lambda->EvalPredicate(ll.binder.slots(), ll.state.get(), &scratch_, &err)) {
      case CompiledLambda::Truth::kTrue:
        return LevelTruth::kTrue;
      case CompiledLambda::Truth::kFalse:
        return LevelTruth::kFalse;
      case CompiledLambda::Truth::kError:
        break;
    }
    return EvalError(ll, err, context);
  }
  ABSL_ATTRIBUTE_NOINLINE LevelTruth EvalError(LevelLambda& ll, const Value& err,
                                               const char* context) {
    ReportLambdaError(*ll.lambda, err, context);
    return LevelTruth::kError;
  }

  static uint64_t Fmix(uint64_t k) {  // MurmurHash3's finalizer: every bit affects every bit
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
  }
  // Hash of a group ID (these are mostly short): 8-byte words, the last one overlapping; seeded
  // per node (absl::Hash is seeded per process) so tag values cannot be chosen to collide.
  uint64_t HashGroup(std::string_view s) const {
    const char* p = s.data();
    const size_t n = s.size();
    uint64_t h = hash_seed_ ^ ((n + 1) * 0x9e3779b97f4a7c15ULL);
    if (n > 8 && n <= 16) {  // the common length: two (overlapping) words, no loop
      uint64_t w0, w1;
      std::memcpy(&w0, p, 8);
      std::memcpy(&w1, p + n - 8, 8);
      return Fmix(Fmix(h ^ w0) ^ w1);
    }
    if (n >= 8) {
      uint64_t w;
      for (size_t i = 0; i + 8 < n; i += 8) {
        std::memcpy(&w, p + i, 8);
        h = Fmix(h ^ w);
      }
      std::memcpy(&w, p + n - 8, 8);
      return Fmix(h ^ w);
    }
    if (n >= 4) {
      uint32_t x, y;
      std::memcpy(&x, p, 4);
      std::memcpy(&y, p + n - 4, 4);
      return Fmix(h ^ (uint64_t{x} << 32 | y));
    }
    if (n > 0) {
      h ^= static_cast<uint64_t>(static_cast<unsigned char>(p[0])) |
           static_cast<uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8 |
           static_cast<uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16;
    }
    return Fmix(h);
  }

  // Open addressing over `group_slots_` (a power of two, at most half full).
  Group& GetGroup(std::string_view group) {
    const uint64_t h = HashGroup(group);
    size_t mask = group_slots_.size() - 1;
    size_t i = h & mask;
    while (group_slots_[i].group != nullptr) {
      const GroupSlot& slot = group_slots_[i];
      if (slot.hash == h && BytesEqual(slot.group->key, group)) return *slot.group;
      i = (i + 1) & mask;
    }
    groups_.push_back(std::make_unique<Group>(state_options_, group));
    Group* g = groups_.back().get();
    if (2 * groups_.size() > group_slots_.size()) {
      std::vector<GroupSlot> old(2 * group_slots_.size());
      old.swap(group_slots_);
      mask = group_slots_.size() - 1;
      for (const GroupSlot& s : old) {
        if (s.group == nullptr) continue;
        size_t j = s.hash & mask;
        while (group_slots_[j].group != nullptr) j = (j + 1) & mask;
        group_slots_[j] = s;
      }
      i = h & mask;
      while (group_slots_[i].group != nullptr) i = (i + 1) & mask;
    }
    group_slots_[i] = GroupSlot{h, g};
    return *g;
  }

  // The encodings of message_ (cached per group and level).
  const MessagePieces& Messages(Group& g, AlertLevel level) {
    MessagePieces& m = g.messages[static_cast<int>(level)];
    if (!m.valid || m.text != message_) {
      m.valid = true;
      m.has_details = false;
      m.text = message_;
      m.literal.clear();
      AppendEventJsonString(&m.literal, message_);
    }
    if (default_details_ && !m.has_details) {
      m.has_details = true;
      DefaultDetailsTailWriter::MessagePieces(message_, &m.html, &m.body);
    }
    return m;
  }

  // AppendEventJsonString(id_), cached per group.
  std::string_view IdJson(Group& g) {
    if (g.id_json.empty() || g.id_json_for != id_) {
      g.id_json_for = id_;
      g.id_json.clear();
      AppendEventJsonString(&g.id_json, id_);
    }
    return g.id_json;
  }

  // Renders the default details into details_ (head cached per group, tail written with its
  // JSON escaping by tail_writer_) and their JSON string literal into details_json_.
  // `set_data()` fills tdata_ (only needed for the general writers).
  template <typename SetData>
  void RenderDefaultDetails(const Point& p, Group& g, AlertLevel level, int64_t duration_ns,
                            const MessagePieces& mp, SetData& set_data) {
    if (!g.details_key.Matches(p) || g.details_id != id_) {
      set_data();
      g.details_key.Assign(p);
      g.details_id = id_;
      g.details_head.clear();
      AppendDefaultDetailsHead(tdata_.DetailsData(), &g.details_head);
      g.details_head_json.clear();
      AppendEventJsonStringBody(&g.details_head_json, g.details_head);
    }
    details_.append(g.details_head);
    details_json_.push_back('"');
    details_json_.append(g.details_head_json);
    if (!tail_writer_.Append(fields_, level, p.time(), duration_ns, mp.html, mp.body, &details_,
                             &details_json_)) {
      set_data();
      const size_t tail = details_.size();
      AppendDefaultDetailsTail(tdata_.DetailsData(), &details_);
      AppendEventJsonStringBody(&details_json_,
                                std::string_view(details_).substr(tail, details_.size() - tail));
    }
    details_json_.push_back('"');
  }

  // The group's cached AppendSeriesHeadJson(e) (re-rendered when the point's measurement, tags
  // or field names changed).
  std::string_view SeriesHead(const Point& p, Group& g, const AlertEventData& e) {
    bool same = g.series_key.Matches(p) && g.series_fields.size() == p.fields().size();
    for (size_t i = 0; same && i < p.fields().size(); ++i) {
      same = g.series_fields[i] == p.fields()[i].key;
    }
    if (!same) {
      g.series_key.Assign(p);
      g.series_fields.clear();
      for (const Field& fl : p.fields()) g.series_fields.push_back(fl.key);
      g.series_head.clear();
      AppendSeriesHeadJson(e, &g.series_head);
    }
    return g.series_head;
  }

  bool Execute(const interp::Template& t, const interp::TemplateValue& dot,
               const interp::AlertTemplateSpec& ts, std::string* out) {
    absl::Status s = t.Execute(dot, out);
    if (s.ok()) return true;
    errors_.Report("template error", ts.where.begin, [&] { return std::string(Sv(s.message())); });
    return false;
  }

  bool RenderId(const Flow& f, Group& g) {
    const Point& p = *f.point;
    id_.clear();
    switch (id_mode_) {
      case IdMode::kDefault:
        id_.append(p.measurement());
        id_.push_back(':');
        id_.append(f.group.empty() ? std::string_view("nil") : f.group);
        return true;
      case IdMode::kPerGroup:
        if (g.id_cached && g.id_name == p.measurement()) {
          id_ = g.id;
          return true;
        }
        break;
      case IdMode::kPerPoint:
        break;
    }
    const interp::AlertSpec& a = spec_.alert;
    tdata_.SetIdInfo(p.measurement(), ctx_->spec->name, f.group, tags_, server_info_);
    if (!Execute(*a.id.tmpl, tdata_.IdData(), a.id, &id_)) return false;
    if (id_mode_ == IdMode::kPerGroup) {
      g.id_cached = true;
      g.id_name.assign(p.measurement().data(), p.measurement().size());
      g.id = id_;
    }
    return true;
  }

  void Dispatch(AlertEventData& e) {
    ++by_level_[static_cast<int>(e.level)];
    e.previous_level = anon_topic_.Collect(e.id, e.level, e.time_ns);
    json_.clear();
    if (!AppendEventJson(e, &json_)) {
      errors_.Report("unencodable event", spec_.where.begin, [&] {
        return absl::StrCat("failed to encode alert event \"", Sv(e.id),
                            "\": json: unsupported value (NaN or Inf)");
      });
      return;
    }
    if (ctx_->options->on_event) ctx_->options->on_event(e, json_);
    for (const auto& h : handlers_) h->Handle(e, json_);
    const std::string& topic = spec_.alert.topic;
    if (!topic.empty()) {
      AlertTopic* t = ctx_->topics.GetOrCreate(topic);
      const AlertLevel anon_prev = e.previous_level;
      e.previous_level = t->Collect(e.id, e.level, e.time_ns);
      if (ctx_->options->topic_sink != nullptr) {
        if (e.previous_level != anon_prev) {
          topic_json_.clear();
          AppendEventJson(e, &topic_json_);
          ctx_->options->topic_sink->Publish(topic, e, topic_json_);
        } else {
          ctx_->options->topic_sink->Publish(topic, e, json_);
        }
      }
      e.previous_level = anon_prev;
    }
  }

  std::array<std::optional<LevelLambda>, 4> levels_;
  std::array<std::optional<LevelLambda>, 4> resets_;
  unsigned level_mask_ = 0;  // bit l: levels_[l] is set
  unsigned reset_mask_ = 0;  // bit l: resets_[l] is set
  AlertStateOptions state_options_;
  struct GroupSlot {
    uint64_t hash = 0;
    Group* group = nullptr;  // null: empty slot
  };
  std::vector<std::unique_ptr<Group>> groups_;
  std::vector<GroupSlot> group_slots_ = std::vector<GroupSlot>(16);
  const uint64_t hash_seed_ = absl::Hash<const void*>{}(this);
  IdMode id_mode_ = IdMode::kDefault;
  bool default_message_ = true;
  bool default_details_ = true;
  AlertServerInfo server_info_;
  AlertTopic anon_topic_;
  std::vector<std::unique_ptr<AlertHandler>> handlers_;
  std::array<uint64_t, kNumAlertLevels> by_level_{};

  std::optional<SymbolId> level_tag_, id_tag_, level_field_, message_field_, id_field_,
      duration_field_;
  bool augment_ = false;

  interp::EvalScratch scratch_;
  AlertTemplateData tdata_;
  DefaultDetailsTailWriter tail_writer_;
  std::vector<AlertTag> tags_;
  std::vector<AlertField> fields_;
  std::string id_, message_, details_, details_json_, json_, topic_json_;
  Point storage_;
};

}  // namespace

std::unique_ptr<AlertNodeBase> NewAlertNode(TaskContext* ctx, const interp::TaskNodeSpec& spec) {
  return std::make_unique<AlertNode>(ctx, spec);
}

}  // namespace tick::nodes::internal
