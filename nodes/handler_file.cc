// File: nodes/handler_file.cc
//
// Topic-handler files: yaml-cpp parsing (YAML and JSON), strict validation with positions.
#include "nodes/handler_file.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/strings.h"
#include "nodes/kafka_handler.h"
#include "nodes/match_expr.h"
#include "re2/re2.h"
#include "yaml-cpp/yaml.h"

// GCC 12 reports yaml-cpp's iterator proxies (`it->first`) as dangling temporaries (a known
// false positive of -Wdangling-pointer with yaml-cpp 0.7).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic ignored "-Wdangling-pointer"
#endif

namespace tick::nodes {
namespace {

enum class OptType { kBool, kInt, kString };

struct OptionDef {
  std::string_view name;
  OptType type;
};

constexpr std::array<OptionDef, 5> kKafkaOptions = {{{"cluster", OptType::kString},
                                                     {"topic", OptType::kString},
                                                     {"template", OptType::kString},
                                                     {"disablePartitionById", OptType::kBool},
                                                     {"partitionAlgorithm", OptType::kString}}};
constexpr std::array<OptionDef, 2> kLogOptions = {
    {{"path", OptType::kString}, {"mode", OptType::kInt}}};

// Kinds Kapacitor's alert service creates from topic-handler specs (services/alert/service.go).
constexpr std::array<std::string_view, 26> kKapacitorKinds = {
    "aggregate", "alerta",   "bigpanda",   "discord",   "email",      "exec",     "hipchat",
    "mqtt",      "opsgenie", "opsgenie2",  "pagerduty", "pagerduty2", "post",     "publish",
    "pushover",  "sensu",    "servicenow", "slack",     "smtp",       "snmptrap", "talk",
    "tcp",       "teams",    "telegram",   "victorops", "zenoss"};

const char* TypeName(OptType t) {
  switch (t) {
    case OptType::kBool:
      return "bool";
    case OptType::kInt:
      return "int";
    case OptType::kString:
      return "string";
  }
  return "?";
}

const char* ValueTypeName(const interp::OptionValue& v) {
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

const char* NodeShape(const YAML::Node& n) {
  if (n.IsMap()) return "a mapping";
  if (n.IsSequence()) return "a sequence";
  if (n.IsNull()) return "nothing";
  return "a scalar";
}

// A YAML scalar as Go's YAML→JSON conversion types it: quoted → string; plain → bool
// (true/false in any of YAML's spellings), int (decimal, 0-prefixed or 0o octal, 0x hex),
// float, else string.
interp::OptionValue ScalarValue(const YAML::Node& n) {
  const std::string& s = n.Scalar();
  if (n.Tag() != "?") return s;  // quoted (or explicitly tagged) scalars are strings
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  std::string_view body = s;
  bool neg = false;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  auto all_of = [](std::string_view d, auto pred) {
    return !d.empty() && std::all_of(d.begin(), d.end(), pred);
  };
  int base = 10;
  std::string_view digits = body;
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')) {
    base = 16;
    digits = body.substr(2);
  } else if (body.size() > 2 && body[0] == '0' && body[1] == 'o') {
    base = 8;
    digits = body.substr(2);
  } else if (body.size() > 1 && body[0] == '0') {
    base = 8;
    digits = body.substr(1);
  }
  const bool is_int =
      base == 16
          ? all_of(digits, [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); })
      : base == 8 ? all_of(digits, [](char c) { return c >= '0' && c <= '7'; })
                  : all_of(digits, [](char c) { return c >= '0' && c <= '9'; });
  if (is_int) {
    errno = 0;
    char* end = nullptr;
    const std::string d(digits);
    const long long v = std::strtoll(d.c_str(), &end, base);
    if (errno == 0 && end != nullptr && *end == '\0') return static_cast<int64_t>(neg ? -v : v);
  }
  double f = 0;
  if (!body.empty() && (std::isdigit(static_cast<unsigned char>(body[0])) || body[0] == '.') &&
      absl::SimpleAtod(Sv(s), &f)) {
    return f;
  }
  return s;
}

class FileParser {
 public:
  FileParser(std::string_view text, std::string_view filename)
      : source_(std::make_shared<SourceFile>(std::string(filename), std::string(text))) {}

  absl::StatusOr<TopicHandlerSpec> Parse() {
    YAML::Node root;
    try {
      root = YAML::Load(source_->text());
    } catch (const YAML::Exception& e) {
      return Error(static_cast<uint32_t>(std::max(0, e.mark.pos)), e.msg);
    }
    if (!root.IsMap()) {
      return Error(root.IsDefined() && !root.IsNull() ? Offset(root) : 0,
                   "a handler file must be a mapping with keys id, topic, kind, options and match");
    }
    TopicHandlerSpec out;
    out.source = source_;
    out.spec.origin = source_->name();
    std::map<std::string, uint32_t> seen;
    std::optional<YAML::Node> options;
    bool has_kind = false;
    uint32_t topic_at = 0;
    for (auto it = root.begin(); it != root.end(); ++it) {
      const YAML::Node k = it->first;
      const YAML::Node v = it->second;
      const uint32_t at = Offset(k);
      const std::string key = k.IsScalar() ? k.Scalar() : "";
      if (!seen.emplace(key, at).second) {
        return Error(at, absl::StrCat("duplicate key \"", key, "\""));
      }
      if (key == "options") {
        options.emplace(v);
        continue;
      }
      if (key != "id" && key != "topic" && key != "kind" && key != "match") {
        return Error(at, absl::StrCat("unknown key \"", key,
                                      "\" (expected id, topic, kind, options, match)"));
      }
      std::string value;
      if (v.IsScalar()) {
        value = v.Scalar();
      } else if (!v.IsNull()) {
        return Error(Offset(v),
                     absl::StrCat("key \"", key, "\" must be a string, got ", NodeShape(v)));
      }
      const uint32_t vat = v.IsNull() ? at : Offset(v);
      if (key == "id") {
        out.spec.id = value;
        out.id_where = {vat, vat + static_cast<uint32_t>(value.size())};
      } else if (key == "topic") {
        out.topic = value;
        topic_at = vat;
      } else if (key == "kind") {
        out.spec.kind = value;
        out.spec.where = {at, at + 4};
        has_kind = true;
      } else {
        out.match = value;
        out.match_where = {vat, vat + static_cast<uint32_t>(value.size())};
      }
    }
    // Kapacitor's HandlerSpec.Validate order: topic, id, kind.
    static const LazyRe2 kTopic{"^[-:\\._\\p{L}0-9]+$"};
    static const LazyRe2 kId{"^[-\\._\\p{L}0-9]+$"};
    if (!RE2::FullMatch(out.topic, *kTopic.get())) {
      return Error(seen.count("topic") ? topic_at : 0,
                   absl::StrCat("handler topic must contain only letters, numbers, '-', ':', '.' "
                                "and '_'. \"",
                                out.topic, "\""));
    }
    if (!RE2::FullMatch(out.spec.id, *kId.get())) {
      return Error(seen.count("id") ? out.id_where.begin : 0,
                   absl::StrCat("handler ID must contain only letters, numbers, '-', '.' and "
                                "'_'. \"",
                                out.spec.id, "\""));
    }
    if (out.spec.kind.empty()) {
      return Error(has_kind ? out.spec.where.begin : 0, "handler Kind must not be empty");
    }
    std::span<const OptionDef> defs;
    if (out.spec.kind == "kafka") {
      defs = kKafkaOptions;
    } else if (out.spec.kind == "log") {
      defs = kLogOptions;
    } else if (std::find(kKapacitorKinds.begin(), kKapacitorKinds.end(), out.spec.kind) !=
               kKapacitorKinds.end()) {
      return Error(out.spec.where.begin,
                   absl::StrCat("handler kind \"", out.spec.kind,
                                "\" is not supported by tickrun (supported kinds: kafka, log)"));
    } else {
      return Error(out.spec.where.begin,
                   absl::StrCat("unsupported action kind \"", out.spec.kind, "\""));
    }
    if (options.has_value() && !options->IsNull()) {
      if (!options->IsMap()) return Error(Offset(*options), "\"options\" must be a mapping");
      std::map<std::string, bool> seen_opts;
      for (auto it = options->begin(); it != options->end(); ++it) {
        const YAML::Node k = it->first;
        const YAML::Node v = it->second;
        const uint32_t at = Offset(k);
        const std::string name = k.IsScalar() ? k.Scalar() : "";
        if (!seen_opts.emplace(name, true).second) {
          return Error(at, absl::StrCat("duplicate option \"", name, "\""));
        }
        auto def = std::find_if(defs.begin(), defs.end(),
                                [&](const OptionDef& d) { return d.name == name; });
        if (def == defs.end()) {
          std::vector<std::string> names;
          for (const OptionDef& d : defs) names.emplace_back(d.name);
          return Error(at, absl::StrCat("unknown option \"", name, "\" for kind ", out.spec.kind,
                                        " (expected ", absl::StrJoin(names, ", "), ")"));
        }
        if (!v.IsScalar()) {
          return Error(v.IsNull() ? at : Offset(v),
                       absl::StrCat("option \"", name, "\" must be of type ", TypeName(def->type),
                                    ", got ", NodeShape(v)));
        }
        interp::OptionValue value = ScalarValue(v);
        const bool ok =
            (def->type == OptType::kBool && std::holds_alternative<bool>(value)) ||
            (def->type == OptType::kInt && std::holds_alternative<int64_t>(value)) ||
            (def->type == OptType::kString && std::holds_alternative<std::string>(value));
        if (!ok) {
          return Error(Offset(v),
                       absl::StrCat("option \"", name, "\" must be of type ", TypeName(def->type),
                                    ", got ", ValueTypeName(value)));
        }
        out.spec.options.push_back(
            {name, std::move(value), {at, at + static_cast<uint32_t>(name.size())}});
      }
    }
    if (!out.match.empty()) {
      absl::StatusOr<MatchExpr> m = MatchExpr::Compile(out.match);
      if (!m.ok()) return Error(out.match_where.begin, Sv(m.status().message()));
    }
    return out;
  }

 private:
  class LazyRe2 {
   public:
    explicit LazyRe2(const char* pattern) : re_(std::make_unique<RE2>(pattern)) {}
    const RE2* get() const { return re_.get(); }

   private:
    std::unique_ptr<RE2> re_;
  };

  static uint32_t Offset(const YAML::Node& n) {
    return static_cast<uint32_t>(std::max(0, n.Mark().pos));
  }
  absl::Status Error(uint32_t offset, std::string_view message) const {
    return absl::InvalidArgumentError(Sv(source_->FormatError(offset, message)));
  }

  std::shared_ptr<SourceFile> source_;
};

bool IsHandlerFileName(const std::filesystem::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

}  // namespace

absl::StatusOr<TopicHandlerSpec> ParseHandlerFile(std::string_view text,
                                                  std::string_view filename) {
  return FileParser(text, filename).Parse();
}

absl::StatusOr<TopicHandlerSpec> LoadHandlerFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    return absl::NotFoundError(
        absl::StrCat("cannot read handler file \"", path, "\": ", std::strerror(err)));
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ParseHandlerFile(ss.str(), path);
}

absl::StatusOr<std::vector<TopicHandlerSpec>> LoadHandlerPaths(
    const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (const auto& entry : std::filesystem::directory_iterator(p, ec)) {
        if (entry.is_regular_file(ec) && IsHandlerFileName(entry.path())) {
          found.push_back(entry.path().string());
        }
      }
      if (ec) {
        return absl::NotFoundError(
            absl::StrCat("cannot read handler directory \"", p, "\": ", ec.message()));
      }
      if (found.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("no handler files (.yaml, .yml, .json) in directory \"", p, "\""));
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(p);
    }
  }
  std::vector<TopicHandlerSpec> out;
  for (const std::string& f : files) {
    absl::StatusOr<TopicHandlerSpec> spec = LoadHandlerFile(f);
    if (!spec.ok()) return spec.status();
    for (const TopicHandlerSpec& prev : out) {
      if (prev.topic == spec->topic && prev.spec.id == spec->spec.id) {
        const LineCol lc = prev.source->Locate(prev.id_where.begin);
        return absl::InvalidArgumentError(Sv(spec->source->FormatError(
            spec->id_where.begin,
            absl::StrCat("cannot register handler, handler with ID \"", spec->spec.id,
                         "\" already exists (topic \"", spec->topic, "\", first defined at ",
                         prev.source->name(), ":", lc.line, ":", lc.column, ")"))));
      }
    }
    out.push_back(std::move(*spec));
  }
  return out;
}

absl::Status AddTopicHandlers(const std::vector<TopicHandlerSpec>& specs, HandlerFactory* factory,
                              TopicRouter* router) {
  for (const TopicHandlerSpec& s : specs) {
    absl::StatusOr<std::unique_ptr<AlertHandler>> h = factory->Create(s.spec);
    if (!h.ok()) {
      uint32_t at = s.spec.where.begin;
      auto option = h.status().GetPayload(kHandlerOptionPayloadUrl);
      if (option.has_value()) {
        if (const interp::HandlerOption* o = s.spec.Find(std::string(*option))) at = o->where.begin;
      }
      return absl::Status(h.status().code(),
                          Sv(s.source->FormatError(at, Sv(h.status().message()))));
    }
    std::optional<MatchExpr> match;
    if (!s.match.empty()) {
      absl::StatusOr<MatchExpr> m = MatchExpr::Compile(s.match);
      if (!m.ok()) {
        return absl::InvalidArgumentError(
            Sv(s.source->FormatError(s.match_where.begin, Sv(m.status().message()))));
      }
      match.emplace(std::move(*m));
    }
    router->AddHandler(s.topic, s.spec.id, std::move(*h), std::move(match));
  }
  return absl::OkStatus();
}

}  // namespace tick::nodes
