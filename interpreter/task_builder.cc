// File: interpreter/task_builder.cc
//
// Script → TaskSpec. See task_builder.h. The walk mirrors Kapacitor's tick/eval.go: statements
// in order, `var` bindings of nodes, chains whose `|x()` links create child nodes and whose
// `.x()` links set properties (alert handler properties apply to the most recent handler).
#include "interpreter/task_builder.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/strings.h"
#include "interpreter/lambda.h"
#include "interpreter/node_spec.h"

namespace tick::interp {

const char* TaskNodeKindName(TaskNodeKind kind) {
  switch (kind) {
    case TaskNodeKind::kStream:
      return "stream";
    case TaskNodeKind::kFrom:
      return "from";
    case TaskNodeKind::kWhere:
      return "where";
    case TaskNodeKind::kEval:
      return "eval";
    case TaskNodeKind::kGroupBy:
      return "groupby";
    case TaskNodeKind::kDefault:
      return "default";
    case TaskNodeKind::kDelete:
      return "delete";
    case TaskNodeKind::kLog:
      return "log";
    case TaskNodeKind::kAlert:
      return "alert";
  }
  return "node";
}

namespace {

using ast::Expr;
using ast::ExprKind;

// Where the chain walk currently is: a node and, for alert nodes, the current handler.
struct Cursor {
  int node = 0;
  int handler = -1;  // index into the alert's handlers
};

class Builder {
 public:
  Builder(const ast::Script& script, const TaskBuildOptions& options)
      : script_(script), options_(options), source_(script.source) {}

  absl::StatusOr<TaskSpec> Build() {
    static const std::vector<std::string> kSources = {"stream", "batch"};
    TICK_ASSIGN_OR_RETURN(scope_, EvalScriptVars(script_, nullptr, kSources));
    spec_.name = options_.task_name;
    spec_.source = script_.source;
    TaskNodeSpec stream;
    stream.kind = TaskNodeKind::kStream;
    stream.id = next_id_++;
    stream.name = "stream0";
    spec_.nodes.push_back(std::move(stream));

    for (const ast::Statement& st : script_.statements) {
      switch (st.kind) {
        case ast::StmtKind::kDbrp:
          spec_.dbrps.push_back(Dbrp{st.db, st.rp});
          break;
        case ast::StmtKind::kVar: {
          if (st.value == nullptr) break;
          if (IsNodeExpr(*st.value)) {
            TICK_ASSIGN_OR_RETURN(Cursor c, EvalNodeExpr(*st.value));
            node_vars_[st.name] = c;
          }
          break;
        }
        case ast::StmtKind::kTypedVar:
          break;
        case ast::StmtKind::kExpr:
          if (st.value != nullptr && IsNodeExpr(*st.value)) {
            TICK_RETURN_IF_ERROR(EvalNodeExpr(*st.value).status());
          }
          break;
      }
    }
    TICK_RETURN_IF_ERROR(Validate());
    TICK_RETURN_IF_ERROR(CompileTemplates());
    return std::move(spec_);
  }

 private:
  absl::Status Error(uint32_t offset, std::string_view message) const {
    return absl::InvalidArgumentError(source_.FormatError(offset, message));
  }

  bool IsNodeExpr(const Expr& e) const {
    if (e.kind == ExprKind::kChain) {
      const Expr& head = *e.args[0];
      if (head.kind != ExprKind::kIdent) return false;
      return head.text == "stream" || head.text == "batch" || node_vars_.contains(head.text);
    }
    if (e.kind == ExprKind::kIdent) {
      return e.text == "stream" || e.text == "batch" || node_vars_.contains(e.text);
    }
    return false;
  }

  absl::StatusOr<Cursor> Head(const Expr& ident) {
    if (ident.text == "batch") {
      return Error(ident.range.begin, "batch tasks are not supported by tickrun");
    }
    if (ident.text == "stream") return Cursor{0, -1};
    auto it = node_vars_.find(ident.text);
    if (it == node_vars_.end()) {
      return Error(ident.range.begin, absl::StrCat("undefined node var \"", ident.text, "\""));
    }
    return it->second;
  }

  absl::StatusOr<Cursor> EvalNodeExpr(const Expr& e) {
    if (e.kind == ExprKind::kIdent) return Head(e);
    TICK_ASSIGN_OR_RETURN(Cursor cur, Head(*e.args[0]));
    for (const ast::ChainLink& link : e.links) {
      switch (link.kind) {
        case ast::LinkKind::kUdf:
          return Error(link.range.begin,
                       absl::StrCat("the UDF \"", link.name, "\" is not supported by tickrun"));
        case ast::LinkKind::kPipe: {
          TICK_ASSIGN_OR_RETURN(cur, Pipe(cur, link));
          break;
        }
        case ast::LinkKind::kProperty:
          TICK_RETURN_IF_ERROR(Property(&cur, link));
          break;
      }
    }
    return cur;
  }

  static NodeKind SpecKind(TaskNodeKind k) {
    switch (k) {
      case TaskNodeKind::kStream:
        return NodeKind::kStream;
      case TaskNodeKind::kFrom:
        return NodeKind::kFrom;
      case TaskNodeKind::kWhere:
        return NodeKind::kWhere;
      case TaskNodeKind::kEval:
        return NodeKind::kEval;
      case TaskNodeKind::kGroupBy:
        return NodeKind::kGroupBy;
      case TaskNodeKind::kDefault:
        return NodeKind::kDefault;
      case TaskNodeKind::kDelete:
        return NodeKind::kDelete;
      case TaskNodeKind::kLog:
        return NodeKind::kLog;
      case TaskNodeKind::kAlert:
        return NodeKind::kAlert;
    }
    return NodeKind::kUnsupported;
  }

  absl::StatusOr<Cursor> Pipe(Cursor cur, const ast::ChainLink& link) {
    const NodeSpec& parent_spec = GetNodeSpec(SpecKind(spec_.nodes[cur.node].kind));
    const MethodSpec* m = FindChainMethod(parent_spec, link.name);
    if (m == nullptr) {
      return Error(link.name_range.begin, absl::StrCat("no chaining method \"", link.name, "\" on ",
                                                       Sv(parent_spec.name)));
    }
    TaskNodeKind kind;
    switch (m->result) {
      case NodeKind::kFrom:
        kind = TaskNodeKind::kFrom;
        break;
      case NodeKind::kWhere:
        kind = TaskNodeKind::kWhere;
        break;
      case NodeKind::kEval:
        kind = TaskNodeKind::kEval;
        break;
      case NodeKind::kGroupBy:
        kind = TaskNodeKind::kGroupBy;
        break;
      case NodeKind::kDefault:
        kind = TaskNodeKind::kDefault;
        break;
      case NodeKind::kDelete:
        kind = TaskNodeKind::kDelete;
        break;
      case NodeKind::kLog:
        kind = TaskNodeKind::kLog;
        break;
      case NodeKind::kAlert:
        kind = TaskNodeKind::kAlert;
        break;
      default:
        return Error(link.name_range.begin,
                     absl::StrCat("the \"", link.name, "\" node is not supported by tickrun"));
    }
    TaskNodeSpec node;
    node.kind = kind;
    node.id = next_id_++;
    node.name = absl::StrCat(TaskNodeKindName(kind), node.id);
    node.parent = cur.node;
    node.where = link.range;
    const int index = static_cast<int>(spec_.nodes.size());
    spec_.nodes[cur.node].children.push_back(index);
    spec_.nodes.push_back(std::move(node));
    TaskNodeSpec& n = spec_.nodes.back();
    // Chain arguments.
    switch (kind) {
      case TaskNodeKind::kWhere: {
        if (link.args.size() != 1) return ArgCount(link, 1);
        TICK_ASSIGN_OR_RETURN(n.where_spec.predicate, Lambda(*link.args[0]));
        break;
      }
      case TaskNodeKind::kEval: {
        for (const ast::ExprPtr& a : link.args) {
          TICK_ASSIGN_OR_RETURN(CompiledLambda l, Lambda(*a));
          spec_.nodes[index].eval.exprs.push_back(std::move(l));
        }
        break;
      }
      case TaskNodeKind::kGroupBy: {
        TICK_RETURN_IF_ERROR(GroupByArgs(link, &spec_.nodes[index].group_by));
        break;
      }
      default:
        if (!link.args.empty()) {
          return Error(
              link.range.begin,
              absl::StrCat("\"", link.name, "\" takes no arguments, got ", link.args.size()));
        }
        break;
    }
    return Cursor{index, -1};
  }

  absl::Status ArgCount(const ast::ChainLink& link, size_t want) const {
    return Error(link.range.begin, absl::StrCat("\"", link.name, "\" expects ", want,
                                                " argument(s), got ", link.args.size()));
  }

  // Resolves a script-level argument to a literal (vars substituted, constants folded).
  absl::StatusOr<ast::ExprPtr> Resolve(const Expr& e) const {
    switch (e.kind) {
      case ExprKind::kLambda:
        return e.Clone();
      case ExprKind::kIdent: {
        const Expr* lit = scope_.Find(e.text);
        if (lit == nullptr) {
          return Error(e.range.begin, absl::StrCat("name \"", e.text, "\" is undefined"));
        }
        return lit->Clone();
      }
      case ExprKind::kUnary:
      case ExprKind::kBinary:
      case ExprKind::kList:
        return EvalScriptExpr(e, scope_, source_);
      default:
        return e.Clone();
    }
  }

  absl::StatusOr<CompiledLambda> Lambda(const Expr& e) const {
    TICK_ASSIGN_OR_RETURN(ast::ExprPtr lit, Resolve(e));
    if (lit->kind != ExprKind::kLambda) {
      return Error(e.range.begin, "expected a lambda expression");
    }
    return CompileLambda(*lit, scope_, source_);
  }

  absl::StatusOr<std::string> String(const Expr& e) const {
    TICK_ASSIGN_OR_RETURN(ast::ExprPtr lit, Resolve(e));
    if (lit->kind != ExprKind::kString) {
      if (lit->kind == ExprKind::kReference) {
        return Error(e.range.begin,
                     "cannot assign *ast.ReferenceNode to type string, did you use double "
                     "quotes instead of single quotes?");
      }
      return Error(e.range.begin, "expected a string");
    }
    return lit->text;
  }

  absl::StatusOr<int64_t> Duration(const Expr& e) const {
    TICK_ASSIGN_OR_RETURN(ast::ExprPtr lit, Resolve(e));
    if (lit->kind != ExprKind::kDuration) return Error(e.range.begin, "expected a duration");
    return lit->int_value;
  }

  absl::StatusOr<int64_t> Int(const Expr& e) const {
    TICK_ASSIGN_OR_RETURN(ast::ExprPtr lit, Resolve(e));
    if (lit->kind != ExprKind::kInt) return Error(e.range.begin, "expected an int");
    return lit->int_value;
  }

  absl::StatusOr<double> Float(const Expr& e) const {
    TICK_ASSIGN_OR_RETURN(ast::ExprPtr lit, Resolve(e));
    if (lit->kind != ExprKind::kFloat) return Error(e.range.begin, "expected a float");
    return lit->float_value;
  }

  // Every argument as a string, lists spread (Kapacitor spreads a single list argument).
  absl::StatusOr<std::vector<std::string>> Strings(const ast::ChainLink& link) const {
    std::vector<std::string> out;
    for (const ast::ExprPtr& a : link.args) {
      TICK_ASSIGN_OR_RETURN(ast::ExprPtr lit, Resolve(*a));
      if (lit->kind == ExprKind::kList) {
        for (const ast::ExprPtr& item : lit->args) {
          if (item->kind != ExprKind::kString) {
            return Error(item->range.begin, "expected a string in the list");
          }
          out.push_back(item->text);
        }
      } else if (lit->kind == ExprKind::kString) {
        out.push_back(lit->text);
      } else {
        return Error(a->range.begin, "expected a string");
      }
    }
    return out;
  }

  absl::Status GroupByArgs(const ast::ChainLink& link, GroupBySpec* g) const {
    g->set = true;
    g->star = false;
    g->tags.clear();
    auto add = [&](const Expr& lit, uint32_t at) -> absl::Status {
      if (lit.kind == ExprKind::kStar) {
        g->star = true;
      } else if (lit.kind == ExprKind::kString) {
        g->tags.push_back(lit.text);
      } else {
        return Error(at, "groupBy expects tag names (strings) or *");
      }
      return absl::OkStatus();
    };
    for (const ast::ExprPtr& a : link.args) {
      TICK_ASSIGN_OR_RETURN(ast::ExprPtr lit, Resolve(*a));
      if (lit->kind == ExprKind::kList) {
        for (const ast::ExprPtr& item : lit->args) {
          TICK_RETURN_IF_ERROR(add(*item, a->range.begin));
        }
      } else {
        TICK_RETURN_IF_ERROR(add(*lit, a->range.begin));
      }
    }
    std::sort(g->tags.begin(), g->tags.end());
    g->tags.erase(std::unique(g->tags.begin(), g->tags.end()), g->tags.end());
    return absl::OkStatus();
  }

  absl::Status Property(Cursor* cur, const ast::ChainLink& link) {
    TaskNodeSpec& n = spec_.nodes[cur->node];
    const std::string& name = link.name;
    if (!link.has_parens) {
      return Error(link.range.begin,
                   absl::StrCat("reading the property \"", name, "\" is not supported by tickrun"));
    }
    if (name == "quiet") {
      n.quiet = true;
      return absl::OkStatus();
    }
    auto need = [&](size_t count) -> absl::Status {
      if (link.args.size() != count) return ArgCount(link, count);
      return absl::OkStatus();
    };
    switch (n.kind) {
      case TaskNodeKind::kStream:
        break;
      case TaskNodeKind::kFrom: {
        FromSpec& f = n.from;
        if (name == "database") {
          TICK_RETURN_IF_ERROR(need(1));
          TICK_ASSIGN_OR_RETURN(f.database, String(*link.args[0]));
          return absl::OkStatus();
        }
        if (name == "retentionPolicy") {
          TICK_RETURN_IF_ERROR(need(1));
          TICK_ASSIGN_OR_RETURN(f.retention_policy, String(*link.args[0]));
          return absl::OkStatus();
        }
        if (name == "measurement") {
          TICK_RETURN_IF_ERROR(need(1));
          TICK_ASSIGN_OR_RETURN(f.measurement, String(*link.args[0]));
          return absl::OkStatus();
        }
        if (name == "where") {
          TICK_RETURN_IF_ERROR(need(1));
          TICK_ASSIGN_OR_RETURN(CompiledLambda l, Lambda(*link.args[0]));
          f.where.push_back(std::move(l));
          return absl::OkStatus();
        }
        if (name == "groupBy") {
          const bool by_measurement = f.group_by.by_measurement;
          TICK_RETURN_IF_ERROR(GroupByArgs(link, &f.group_by));
          f.group_by.by_measurement = by_measurement;
          return absl::OkStatus();
        }
        if (name == "groupByMeasurement") {
          f.group_by.by_measurement = true;
          return absl::OkStatus();
        }
        if (name == "truncate") {
          TICK_RETURN_IF_ERROR(need(1));
          TICK_ASSIGN_OR_RETURN(f.truncate_ns, Duration(*link.args[0]));
          return absl::OkStatus();
        }
        if (name == "round") {
          TICK_RETURN_IF_ERROR(need(1));
          TICK_ASSIGN_OR_RETURN(f.round_ns, Duration(*link.args[0]));
          return absl::OkStatus();
        }
        break;
      }
      case TaskNodeKind::kWhere:
        break;
      case TaskNodeKind::kEval: {
        EvalSpec& e = n.eval;
        if (name == "as") {
          TICK_ASSIGN_OR_RETURN(e.as, Strings(link));
          return absl::OkStatus();
        }
        if (name == "tags") {
          TICK_ASSIGN_OR_RETURN(e.tags, Strings(link));
          return absl::OkStatus();
        }
        if (name == "keep") {
          e.keep = true;
          TICK_ASSIGN_OR_RETURN(e.keep_list, Strings(link));
          return absl::OkStatus();
        }
        break;
      }
      case TaskNodeKind::kGroupBy: {
        if (name == "exclude") {
          TICK_ASSIGN_OR_RETURN(n.group_by.exclude, Strings(link));
          return absl::OkStatus();
        }
        if (name == "byMeasurement") {
          n.group_by.by_measurement = true;
          return absl::OkStatus();
        }
        break;
      }
      case TaskNodeKind::kDefault: {
        if (name == "field") {
          TICK_RETURN_IF_ERROR(need(2));
          TICK_ASSIGN_OR_RETURN(std::string f, String(*link.args[0]));
          TICK_ASSIGN_OR_RETURN(ast::ExprPtr lit, Resolve(*link.args[1]));
          ScalarValue v;
          switch (lit->kind) {
            case ExprKind::kFloat:
              v.kind = ValueKind::kFloat;
              v.f = lit->float_value;
              break;
            case ExprKind::kInt:
              v.kind = ValueKind::kInt;
              v.i = lit->int_value;
              break;
            case ExprKind::kString:
              v.kind = ValueKind::kString;
              v.s = lit->text;
              break;
            case ExprKind::kBool:
              v.kind = ValueKind::kBool;
              v.b = lit->bool_value;
              break;
            default:
              return Error(link.args[1]->range.begin,
                           "unsupported type for default field value, expected float, int, "
                           "string or bool");
          }
          n.default_spec.fields.emplace_back(std::move(f), std::move(v));
          return absl::OkStatus();
        }
        if (name == "tag") {
          TICK_RETURN_IF_ERROR(need(2));
          TICK_ASSIGN_OR_RETURN(std::string t, String(*link.args[0]));
          TICK_ASSIGN_OR_RETURN(std::string v, String(*link.args[1]));
          n.default_spec.tags.emplace_back(std::move(t), std::move(v));
          return absl::OkStatus();
        }
        break;
      }
      case TaskNodeKind::kDelete: {
        if (name == "field" || name == "tag") {
          TICK_RETURN_IF_ERROR(need(1));
          TICK_ASSIGN_OR_RETURN(std::string s, String(*link.args[0]));
          (name == "field" ? n.delete_spec.fields : n.delete_spec.tags).push_back(std::move(s));
          return absl::OkStatus();
        }
        break;
      }
      case TaskNodeKind::kLog: {
        if (name == "level") {
          TICK_RETURN_IF_ERROR(need(1));
          TICK_ASSIGN_OR_RETURN(std::string s, String(*link.args[0]));
          for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
          n.log.level = std::move(s);
          return absl::OkStatus();
        }
        if (name == "prefix") {
          TICK_RETURN_IF_ERROR(need(1));
          TICK_ASSIGN_OR_RETURN(n.log.prefix, String(*link.args[0]));
          return absl::OkStatus();
        }
        break;
      }
      case TaskNodeKind::kAlert:
        return AlertProperty(cur, link);
    }
    return Error(link.name_range.begin,
                 absl::StrCat("no property \"", name, "\" on ", TaskNodeKindName(n.kind)));
  }

  absl::Status HandlerProperty(HandlerSpec* h, const ast::ChainLink& link, bool* handled) {
    *handled = true;
    const std::string& name = link.name;
    auto set = [&](std::string opt, OptionValue v) {
      for (HandlerOption& o : h->options) {
        if (o.name == opt) {
          o.value = std::move(v);
          o.where = link.range;
          return;
        }
      }
      h->options.push_back(HandlerOption{std::move(opt), std::move(v), link.range});
    };
    if (h->kind == "log") {
      if (name == "mode") {
        if (link.args.size() != 1) return ArgCount(link, 1);
        TICK_ASSIGN_OR_RETURN(int64_t mode, Int(*link.args[0]));
        set("mode", mode);
        return absl::OkStatus();
      }
    } else if (h->kind == "kafka") {
      if (name == "cluster" || name == "kafkaTopic" || name == "template" ||
          name == "partitionAlgorithm" || name == "partitionHashAlgorithm") {
        if (link.args.size() != 1) return ArgCount(link, 1);
        TICK_ASSIGN_OR_RETURN(std::string s, String(*link.args[0]));
        std::string opt = name == "kafkaTopic"               ? "topic"
                          : name == "partitionHashAlgorithm" ? "partitionAlgorithm"
                                                             : name;
        set(std::move(opt), std::move(s));
        return absl::OkStatus();
      }
      if (name == "disablePartitionById") {
        set("disablePartitionById", true);
        return absl::OkStatus();
      }
    }
    *handled = false;
    return absl::OkStatus();
  }

  absl::Status AlertProperty(Cursor* cur, const ast::ChainLink& link) {
    TaskNodeSpec& n = spec_.nodes[cur->node];
    AlertSpec& a = n.alert;
    const std::string& name = link.name;
    if (cur->handler >= 0) {
      bool handled = false;
      TICK_RETURN_IF_ERROR(HandlerProperty(&a.handlers[cur->handler], link, &handled));
      if (handled) return absl::OkStatus();
    }
    cur->handler = -1;
    auto need = [&](size_t count) -> absl::Status {
      if (link.args.size() != count) return ArgCount(link, count);
      return absl::OkStatus();
    };
    static constexpr std::string_view kLevels[] = {"", "info", "warn", "crit"};
    for (int l = 1; l <= 3; ++l) {
      if (name == kLevels[l] || name == absl::StrCat(Sv(kLevels[l]), "Reset")) {
        TICK_RETURN_IF_ERROR(need(1));
        TICK_ASSIGN_OR_RETURN(CompiledLambda lambda, Lambda(*link.args[0]));
        (name == kLevels[l] ? a.levels : a.resets)[l] = std::move(lambda);
        return absl::OkStatus();
      }
    }
    auto string_prop = [&](std::string* out) -> absl::Status {
      TICK_RETURN_IF_ERROR(need(1));
      TICK_ASSIGN_OR_RETURN(*out, String(*link.args[0]));
      return absl::OkStatus();
    };
    auto template_prop = [&](AlertTemplateSpec* t) -> absl::Status {
      TICK_RETURN_IF_ERROR(need(1));
      TICK_ASSIGN_OR_RETURN(ast::ExprPtr lit, Resolve(*link.args[0]));
      if (lit->kind != ExprKind::kString) {
        return Error(link.args[0]->range.begin, "expected a string");
      }
      t->text = lit->text;
      t->is_default = false;
      t->where = lit->range;
      return absl::OkStatus();
    };
    if (name == "id") return template_prop(&a.id);
    if (name == "message") return template_prop(&a.message);
    if (name == "details") return template_prop(&a.details);
    if (name == "category") return string_prop(&a.category);
    if (name == "topic") return string_prop(&a.topic);
    if (name == "levelTag") return string_prop(&a.level_tag);
    if (name == "levelField") return string_prop(&a.level_field);
    if (name == "messageField") return string_prop(&a.message_field);
    if (name == "durationField") return string_prop(&a.duration_field);
    if (name == "idTag") return string_prop(&a.id_tag);
    if (name == "idField") return string_prop(&a.id_field);
    if (name == "history") {
      TICK_RETURN_IF_ERROR(need(1));
      TICK_ASSIGN_OR_RETURN(a.history, Int(*link.args[0]));
      return absl::OkStatus();
    }
    if (name == "all") {
      a.all = true;
      return absl::OkStatus();
    }
    if (name == "noRecoveries") {
      a.no_recoveries = true;
      return absl::OkStatus();
    }
    if (name == "stateChangesOnly") {
      a.state_changes_only = true;
      if (link.args.size() > 1) return ArgCount(link, 1);
      if (link.args.size() == 1) {
        TICK_ASSIGN_OR_RETURN(a.state_changes_only_ns, Duration(*link.args[0]));
      }
      return absl::OkStatus();
    }
    if (name == "flapping") {
      TICK_RETURN_IF_ERROR(need(2));
      TICK_ASSIGN_OR_RETURN(a.flap_low, Float(*link.args[0]));
      TICK_ASSIGN_OR_RETURN(a.flap_high, Float(*link.args[1]));
      if (a.flap_low > 1 || a.flap_high > 1) {
        return Error(link.range.begin,
                     "alert flap thresholds are percentages and should be between 0 and 1");
      }
      a.use_flapping = true;
      return absl::OkStatus();
    }
    if (name == "inhibit") {
      return Error(link.name_range.begin, "alert inhibition is not supported by tickrun");
    }
    if (name == "log" || name == "kafka") {
      HandlerSpec h;
      h.kind = name;
      int same = 0;
      for (const HandlerSpec& o : a.handlers) same += o.kind == name ? 1 : 0;
      h.id = absl::StrCat(n.name, ":", name, same);
      h.where = link.range;
      h.origin = source_.name();
      if (name == "log") {
        TICK_RETURN_IF_ERROR(need(1));
        TICK_ASSIGN_OR_RETURN(std::string path, String(*link.args[0]));
        if (path.empty() || path[0] != '/') {
          return Error(link.args[0]->range.begin,
                       absl::StrCat("log handler path must be absolute, got \"", path, "\""));
        }
        h.options.push_back(HandlerOption{"path", path, link.args[0]->range});
      }
      a.handlers.push_back(std::move(h));
      cur->handler = static_cast<int>(a.handlers.size()) - 1;
      return absl::OkStatus();
    }
    const MethodSpec* m = FindProperty(GetNodeSpec(NodeKind::kAlert), name);
    if (m != nullptr && m->kind == MethodKind::kHandler) {
      return Error(link.name_range.begin, absl::StrCat("the \"", name,
                                                       "\" alert handler is not supported by "
                                                       "tickrun"));
    }
    return Error(link.name_range.begin, absl::StrCat("no property \"", name, "\" on alert"));
  }

  absl::Status Validate() const {
    for (const TaskNodeSpec& n : spec_.nodes) {
      if (n.kind == TaskNodeKind::kEval) {
        if (n.eval.as.size() != n.eval.exprs.size()) {
          return Error(n.where.begin,
                       absl::StrCat("must specify same number of expressions and .as() names: "
                                    "got ",
                                    n.eval.as.size(), " as names, and ", n.eval.exprs.size(),
                                    " expressions."));
        }
        for (const std::string& t : n.eval.tags) {
          if (std::find(n.eval.as.begin(), n.eval.as.end(), t) == n.eval.as.end()) {
            return Error(n.where.begin,
                         absl::StrCat("cannot convert field \"", t,
                                      "\" to tag, it is not one of the .as() names"));
          }
        }
      }
      if (n.kind == TaskNodeKind::kGroupBy && !n.group_by.exclude.empty() && !n.group_by.star) {
        return Error(n.where.begin, "exclude requires groupBy(*)");
      }
    }
    return absl::OkStatus();
  }

  // Maps a byte offset in a string literal's VALUE to the offset in the script text.
  uint32_t LiteralOffset(SourceRange lit, int64_t value_offset) const {
    const std::string& text = source_.text();
    if (lit.end <= lit.begin || lit.end > text.size() || value_offset < 0) return lit.begin;
    std::string_view raw(text.data() + lit.begin, lit.end - lit.begin);
    if (raw.rfind("'''", 0) == 0) {
      return lit.begin + 3 + static_cast<uint32_t>(value_offset);
    }
    if (raw.empty() || raw[0] != '\'') return lit.begin;
    size_t i = 1;
    int64_t v = 0;
    while (i < raw.size() && v < value_offset) {
      if (raw[i] == '\\' && i + 1 < raw.size() && raw[i + 1] == '\'') {
        i += 2;
      } else {
        ++i;
      }
      ++v;
    }
    return lit.begin + static_cast<uint32_t>(i);
  }

  absl::Status ParseOne(const char* name, TemplateMode mode, const FuncMap* funcs,
                        AlertTemplateSpec* t, uint32_t node_offset) const {
    absl::StatusOr<Template> parsed = ParseTemplate(name, t->text, mode, funcs);
    if (!parsed.ok()) {
      uint32_t at = node_offset;
      if (!t->is_default) at = LiteralOffset(t->where, TemplateErrorOffset(parsed.status()));
      return Error(at, Sv(parsed.status().message()));
    }
    t->tmpl = std::make_shared<const Template>(std::move(*parsed));
    return absl::OkStatus();
  }

  absl::Status CompileTemplates() {
    for (TaskNodeSpec& n : spec_.nodes) {
      if (n.kind != TaskNodeKind::kAlert) continue;
      AlertSpec& a = n.alert;
      if (a.id.is_default) a.id.text = kDefaultAlertId;
      if (a.message.is_default) a.message.text = kDefaultAlertMessage;
      if (a.details.is_default) a.details.text = kDefaultAlertDetails;
      TICK_RETURN_IF_ERROR(ParseOne("id", TemplateMode::kText, nullptr, &a.id, n.where.begin));
      TICK_RETURN_IF_ERROR(
          ParseOne("message", TemplateMode::kText, nullptr, &a.message, n.where.begin));
      if (a.details.is_default && options_.details_funcs == nullptr) continue;
      TICK_RETURN_IF_ERROR(ParseOne("details", TemplateMode::kHtml, options_.details_funcs,
                                    &a.details, n.where.begin));
    }
    return absl::OkStatus();
  }

  const ast::Script& script_;
  const TaskBuildOptions& options_;
  const SourceFile& source_;
  Scope scope_;
  TaskSpec spec_;
  int next_id_ = 0;
  absl::flat_hash_map<std::string, Cursor> node_vars_;
};

}  // namespace

absl::StatusOr<TaskSpec> BuildTaskSpec(const ast::Script& script, const TaskBuildOptions& options) {
  TICK_RETURN_IF_ERROR(CheckScript(script, options.check));
  return Builder(script, options).Build();
}

}  // namespace tick::interp
