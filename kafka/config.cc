// File: kafka/config.cc
//
// `[[kafka]]` parsing with toml++ (toml::parse_error is caught at exactly one site: ParseConfig),
// validation with Kapacitor's wording, and the librdkafka property mapping.
#include "kafka/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "base/strings.h"

namespace tick::kafka {
namespace {

enum class KeyKind {
  kBool,
  kString,
  kSecret,  // string whose value is never printed
  kInt,
  kDuration,
  kStringArray,
  kStringMap,
  kScopes,       // array of strings, or one string (split on spaces/commas)
  kSaslVersion,  // integer, or "" for unset
};

struct KeySpec {
  std::string_view name;
  KeyKind kind;
};

constexpr KeySpec kKeys[] = {
    {"enabled", KeyKind::kBool},
    {"id", KeyKind::kString},
    {"brokers", KeyKind::kStringArray},
    {"timeout", KeyKind::kDuration},
    {"batch-size", KeyKind::kInt},
    {"batch-timeout", KeyKind::kDuration},
    {"use-ssl", KeyKind::kBool},
    {"ssl-ca", KeyKind::kString},
    {"ssl-cert", KeyKind::kString},
    {"ssl-key", KeyKind::kString},
    {"insecure-skip-verify", KeyKind::kBool},
    {"sasl-username", KeyKind::kString},
    {"sasl-password", KeyKind::kSecret},
    {"sasl-extensions", KeyKind::kStringMap},
    {"sasl_extensions", KeyKind::kStringMap},
    {"sasl-mechanism", KeyKind::kString},
    {"sasl-version", KeyKind::kSaslVersion},
    {"sasl-gssapi-service-name", KeyKind::kString},
    {"sasl-gssapi-auth-type", KeyKind::kString},
    {"sasl-gssapi-disable-pafxfast", KeyKind::kBool},
    {"sasl-gssapi-kerberos-config-path", KeyKind::kString},
    {"sasl-gssapi-key-tab-path", KeyKind::kString},
    {"sasl-gssapi-realm", KeyKind::kString},
    {"sasl-oauth-service", KeyKind::kString},
    {"sasl-oauth-client-id", KeyKind::kString},
    {"sasl-oauth-client-secret", KeyKind::kSecret},
    {"sasl-oauth-token-url", KeyKind::kString},
    {"sasl-oauth-token-expiry-margin", KeyKind::kDuration},
    {"sasl-oauth-scopes", KeyKind::kScopes},
    {"sasl-oauth-tenant-id", KeyKind::kString},
    {"sasl-oauth-parameters", KeyKind::kStringMap},
    {"sasl-access-token", KeyKind::kSecret},
};

const KeySpec* FindKey(std::string_view name) {
  for (const KeySpec& k : kKeys) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] =
          std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string_view NearestKey(std::string_view name) {
  std::string_view best;
  size_t best_d = 4;  // suggest only close matches
  for (const KeySpec& k : kKeys) {
    size_t d = EditDistance(name, k.name);
    if (d < best_d) {
      best_d = d;
      best = k.name;
    }
  }
  return best;
}

std::string_view TypeName(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table:
      return "table";
    case toml::node_type::array:
      return "array";
    case toml::node_type::string:
      return "string";
    case toml::node_type::integer:
      return "integer";
    case toml::node_type::floating_point:
      return "float";
    case toml::node_type::boolean:
      return "boolean";
    case toml::node_type::date:
      return "date";
    case toml::node_type::time:
      return "time";
    case toml::node_type::date_time:
      return "date-time";
    default:
      return "nothing";
  }
}

LineCol Pos(const toml::source_region& r) {
  return LineCol{static_cast<uint32_t>(std::max<toml::source_index>(r.begin.line, 1)),
                 static_cast<uint32_t>(std::max<toml::source_index>(r.begin.column, 1))};
}

// Parses a Go duration string ("10s", "1m30s", "500ms", "1.5h", "0").
absl::StatusOr<absl::Duration> ParseGoDuration(std::string_view s) {
  const std::string quoted = absl::StrCat("\"", Sv(s), "\"");
  std::string_view in = s;
  bool neg = false;
  if (!in.empty() && (in[0] == '-' || in[0] == '+')) {
    neg = in[0] == '-';
    in.remove_prefix(1);
  }
  if (in == "0") return absl::ZeroDuration();
  if (in.empty()) return absl::InvalidArgumentError(absl::StrCat("invalid duration ", quoted));
  absl::Duration total = absl::ZeroDuration();
  while (!in.empty()) {
    size_t i = 0;
    uint64_t whole = 0;
    bool digits = false;
    while (i < in.size() && in[i] >= '0' && in[i] <= '9') {
      whole = whole * 10 + static_cast<uint64_t>(in[i] - '0');
      if (whole > (uint64_t{1} << 62)) {
        return absl::InvalidArgumentError(absl::StrCat("invalid duration ", quoted));
      }
      ++i;
      digits = true;
    }
    double frac = 0;
    if (i < in.size() && in[i] == '.') {
      ++i;
      double scale = 0.1;
      while (i < in.size() && in[i] >= '0' && in[i] <= '9') {
        frac += scale * (in[i] - '0');
        scale /= 10;
        ++i;
        digits = true;
      }
    }
    if (!digits) return absl::InvalidArgumentError(absl::StrCat("invalid duration ", quoted));
    size_t u = i;
    while (u < in.size() && !(in[u] >= '0' && in[u] <= '9') && in[u] != '.') ++u;
    std::string_view unit = in.substr(i, u - i);
    absl::Duration scale;
    if (unit == "ns") {
      scale = absl::Nanoseconds(1);
    } else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") {
      scale = absl::Microseconds(1);
    } else if (unit == "ms") {
      scale = absl::Milliseconds(1);
    } else if (unit == "s") {
      scale = absl::Seconds(1);
    } else if (unit == "m") {
      scale = absl::Minutes(1);
    } else if (unit == "h") {
      scale = absl::Hours(1);
    } else if (unit.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("missing unit in duration ", quoted));
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown unit \"", Sv(unit), "\" in duration ", quoted));
    }
    total += scale * static_cast<int64_t>(whole) + scale * frac;
    in.remove_prefix(u);
  }
  return neg ? -total : total;
}

class ElementParser {
 public:
  ElementParser(std::string_view file, const std::vector<std::string_view>& lines)
      : file_(file), lines_(lines) {}

  std::string Diag(LineCol at, std::string_view message) const {
    std::string line_text;
    if (at.line >= 1 && at.line <= lines_.size()) line_text = RedactSecrets(lines_[at.line - 1]);
    return FormatLineDiagnostic(file_, at.line, at.column, message, line_text);
  }

  // The echoed source line never shows a secret value: for a line mentioning a secret key, the
  // text after its '=' is replaced by "<redacted>".
  static std::string RedactSecrets(std::string_view line) {
    for (std::string_view secret :
         {"sasl-password", "sasl-oauth-client-secret", "sasl-access-token"}) {
      size_t k = line.find(secret);
      if (k == std::string_view::npos) continue;
      size_t eq = line.find('=', k + secret.size());
      if (eq == std::string_view::npos) continue;
      return absl::StrCat(Sv(line.substr(0, eq + 1)), " <redacted>");
    }
    return std::string(line);
  }

  absl::Status Error(LineCol at, std::string_view message) const {
    absl::Status s = absl::InvalidArgumentError(Diag(at, message));
    SetSourceLocation(s, at);
    return s;
  }

  static std::string ClusterPrefix(const ClusterConfig& c) {
    return absl::StrCat("kafka: cluster \"", c.id, "\"");
  }

  absl::Status KeyError(const ClusterConfig& c, std::string_view key, LineCol at,
                        std::string_view message) const {
    return Error(at, absl::StrCat(ClusterPrefix(c), ", key '", Sv(key), "': ", Sv(message)));
  }

  absl::Status TypeError(const ClusterConfig& c, std::string_view key, const toml::node& n,
                         std::string_view expected) const {
    return KeyError(c, key, Pos(n.source()),
                    absl::StrCat("expected ", Sv(expected), ", found ", Sv(TypeName(n))));
  }

  absl::StatusOr<ClusterConfig> Parse(const toml::table& t) {
    ClusterConfig c;
    c.source_file = std::string(file_);
    c.position = Pos(t.source());
    // The id first, so every later message names the cluster.
    if (const toml::node* id = t.get("id")) {
      if (const auto* s = id->as_string()) c.id = s->get();
    }
    bool have_margin = false;
    for (auto&& [k, v] : t) {
      const std::string_view name = k.str();
      const LineCol at = Pos(k.source());
      c.key_positions[std::string(name)] = at;
      const KeySpec* spec = FindKey(name);
      if (spec == nullptr) {
        std::string msg = absl::StrCat(ClusterPrefix(c), ": unknown key '", Sv(name), "'");
        std::string_view near = NearestKey(name);
        if (!near.empty()) absl::StrAppend(&msg, "; did you mean '", Sv(near), "'?");
        return Error(at, msg);
      }
      TICK_RETURN_IF_ERROR(Assign(c, name, spec->kind, v));
      if (name == "sasl-oauth-token-expiry-margin") have_margin = true;
      if (name == "sasl-extensions" || name == "sasl_extensions") ++extension_keys_;
    }
    if (extension_keys_ > 1) {
      return KeyError(c, "sasl_extensions", c.key_positions["sasl_extensions"],
                      "set only one of 'sasl-extensions' and 'sasl_extensions'");
    }
    (void)have_margin;
    return c;
  }

 private:
  absl::Status Assign(ClusterConfig& c, std::string_view key, KeyKind kind, const toml::node& v) {
    switch (kind) {
      case KeyKind::kBool: {
        const auto* b = v.as_boolean();
        if (b == nullptr) return TypeError(c, key, v, "a boolean");
        BoolField(c, key) = b->get();
        return absl::OkStatus();
      }
      case KeyKind::kString:
      case KeyKind::kSecret: {
        const auto* s = v.as_string();
        if (s == nullptr) return TypeError(c, key, v, "a string");
        StringField(c, key) = s->get();
        return absl::OkStatus();
      }
      case KeyKind::kInt: {
        const auto* i = v.as_integer();
        if (i == nullptr) return TypeError(c, key, v, "an integer");
        if (i->get() < 0 || i->get() > 1000000) {
          return KeyError(
              c, key, Pos(v.source()),
              absl::StrCat("expected an integer between 0 and 1000000, found ", i->get()));
        }
        c.batch_size = i->get() == 0 ? kDefaultBatchSize : static_cast<int>(i->get());
        return absl::OkStatus();
      }
      case KeyKind::kDuration: {
        const auto* s = v.as_string();
        if (s == nullptr) {
          return TypeError(c, key, v, "a duration string like \"10s\"");
        }
        absl::StatusOr<absl::Duration> d = ParseGoDuration(s->get());
        if (!d.ok()) return KeyError(c, key, Pos(v.source()), Sv(d.status().message()));
        if (*d < absl::ZeroDuration()) {
          return KeyError(c, key, Pos(v.source()),
                          absl::StrCat("duration must not be negative, found \"", s->get(), "\""));
        }
        if (key == "timeout") {
          c.timeout = *d == absl::ZeroDuration() ? kDefaultTimeout : *d;
        } else if (key == "batch-timeout") {
          c.batch_timeout = *d == absl::ZeroDuration() ? kDefaultBatchTimeout : *d;
        } else {
          c.sasl_oauth_token_expiry_margin = *d;
        }
        return absl::OkStatus();
      }
      case KeyKind::kStringArray:
      case KeyKind::kScopes: {
        std::vector<std::string>& out = key == "brokers" ? c.brokers : c.sasl_oauth_scopes;
        out.clear();
        if (kind == KeyKind::kScopes && v.as_string() != nullptr) {
          std::string_view s = v.as_string()->get();
          size_t i = 0;
          while (i < s.size()) {
            size_t j = s.find_first_of(" ,", i);
            if (j == std::string_view::npos) j = s.size();
            if (j > i) out.emplace_back(s.substr(i, j - i));
            i = j + 1;
          }
          return absl::OkStatus();
        }
        const auto* a = v.as_array();
        if (a == nullptr) return TypeError(c, key, v, "an array of strings");
        for (const toml::node& e : *a) {
          const auto* s = e.as_string();
          if (s == nullptr) return TypeError(c, key, e, "a string element");
          out.push_back(s->get());
        }
        return absl::OkStatus();
      }
      case KeyKind::kStringMap: {
        std::map<std::string, std::string>& out =
            key == "sasl-oauth-parameters" ? c.sasl_oauth_parameters : c.sasl_extensions;
        const auto* t = v.as_table();
        if (t == nullptr) return TypeError(c, key, v, "a table of strings");
        for (auto&& [mk, mv] : *t) {
          const auto* s = mv.as_string();
          if (s == nullptr) {
            return KeyError(c, key, Pos(mv.source()),
                            absl::StrCat("expected a string for '", Sv(mk.str()), "', found ",
                                         Sv(TypeName(mv))));
          }
          out[std::string(mk.str())] = s->get();
        }
        return absl::OkStatus();
      }
      case KeyKind::kSaslVersion: {
        if (const auto* s = v.as_string(); s != nullptr && s->get().empty()) {
          c.sasl_version.reset();
          return absl::OkStatus();
        }
        const auto* i = v.as_integer();
        if (i == nullptr) return TypeError(c, key, v, "an integer (0 or 1)");
        c.sasl_version = static_cast<int>(std::clamp<int64_t>(i->get(), -1000, 1000));
        return absl::OkStatus();
      }
    }
    return absl::InternalError("unhandled key kind");
  }

  static bool& BoolField(ClusterConfig& c, std::string_view key) {
    if (key == "enabled") return c.enabled;
    if (key == "use-ssl") return c.use_ssl;
    if (key == "insecure-skip-verify") return c.insecure_skip_verify;
    return c.sasl_gssapi_disable_pafxfast;
  }

  static std::string& StringField(ClusterConfig& c, std::string_view key) {
    if (key == "id") return c.id;
    if (key == "ssl-ca") return c.ssl_ca;
    if (key == "ssl-cert") return c.ssl_cert;
    if (key == "ssl-key") return c.ssl_key;
    if (key == "sasl-username") return c.sasl_username;
    if (key == "sasl-password") return c.sasl_password;
    if (key == "sasl-mechanism") return c.sasl_mechanism;
    if (key == "sasl-gssapi-service-name") return c.sasl_gssapi_service_name;
    if (key == "sasl-gssapi-auth-type") return c.sasl_gssapi_auth_type;
    if (key == "sasl-gssapi-kerberos-config-path") return c.sasl_gssapi_kerberos_config_path;
    if (key == "sasl-gssapi-key-tab-path") return c.sasl_gssapi_key_tab_path;
    if (key == "sasl-gssapi-realm") return c.sasl_gssapi_realm;
    if (key == "sasl-oauth-service") return c.sasl_oauth_service;
    if (key == "sasl-oauth-client-id") return c.sasl_oauth_client_id;
    if (key == "sasl-oauth-client-secret") return c.sasl_oauth_client_secret;
    if (key == "sasl-oauth-token-url") return c.sasl_oauth_token_url;
    if (key == "sasl-oauth-tenant-id") return c.sasl_oauth_tenant_id;
    return c.sasl_access_token;
  }

  std::string_view file_;
  const std::vector<std::string_view>& lines_;
  int extension_keys_ = 0;
};

struct Problem {
  std::string key;  // the key at fault ("" = the element)
  std::string message;
};

std::optional<Problem> FindProblem(const ClusterConfig& c) {
  if (c.id.empty()) return Problem{"id", "id must not be empty"};
  if (c.brokers.empty()) {
    return Problem{"brokers", "no brokers specified, must provide at least one broker URL"};
  }
  for (const std::string& b : c.brokers) {
    if (b.empty()) return Problem{"brokers", "broker URL must not be empty"};
  }
  static const std::set<std::string> kMechanisms = {"",      "GSSAPI",        "OAUTHBEARER",
                                                    "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"};
  if (kMechanisms.count(c.sasl_mechanism) == 0) {
    return Problem{"sasl-mechanism",
                   absl::StrCat("invalid sasl-mechanism: found \"", c.sasl_mechanism,
                                "\", expected one of GSSAPI, OAUTHBEARER, PLAIN, SCRAM-SHA-256, "
                                "SCRAM-SHA-512")};
  }
  if (c.sasl_version.has_value() && *c.sasl_version != 0 && *c.sasl_version != 1) {
    return Problem{"sasl-version",
                   absl::StrCat("invalid SASL version: expected 0 or 1, found ", *c.sasl_version)};
  }
  if (c.sasl_mechanism == "GSSAPI" && !c.sasl_gssapi_auth_type.empty() &&
      c.sasl_gssapi_auth_type != "KRB5_USER_AUTH" &&
      c.sasl_gssapi_auth_type != "KRB5_KEYTAB_AUTH") {
    return Problem{"sasl-gssapi-auth-type",
                   absl::StrCat("invalid sasl-gssapi-auth-type: found \"", c.sasl_gssapi_auth_type,
                                "\", expected KRB5_USER_AUTH or KRB5_KEYTAB_AUTH")};
  }
  if (c.sasl_mechanism == "GSSAPI" && c.sasl_gssapi_auth_type == "KRB5_KEYTAB_AUTH" &&
      c.sasl_gssapi_key_tab_path.empty()) {
    return Problem{"sasl-gssapi-key-tab-path",
                   "'sasl-gssapi-key-tab-path' required for KRB5_KEYTAB_AUTH"};
  }
  if (c.sasl_mechanism == "OAUTHBEARER") {
    if (!c.sasl_access_token.empty()) {
      if (!c.sasl_oauth_service.empty() || !c.sasl_oauth_token_url.empty()) {
        return Problem{"sasl-access-token",
                       "cannot set 'sasl-access-token' with 'sasl-oauth-service' and "
                       "'sasl-oauth-token-url'"};
      }
      return std::nullopt;
    }
    if (c.sasl_oauth_client_id.empty() || c.sasl_oauth_client_secret.empty()) {
      return Problem{
          c.sasl_oauth_client_id.empty() ? "sasl-oauth-client-id" : "sasl-oauth-client-secret",
          "'sasl-oauth-client-id' and 'sasl-oauth-client-secret' are required"};
    }
    const std::string& svc = c.sasl_oauth_service;
    if (svc.empty() || svc == "custom") {
      if (c.sasl_oauth_token_url.empty()) {
        return Problem{"sasl-oauth-token-url",
                       "'sasl-oauth-token-url' required for custom service"};
      }
    } else if (svc == "auth0") {
      if (c.sasl_oauth_token_url.empty()) {
        return Problem{"sasl-oauth-token-url", "'sasl-oauth-token-url' required for auth0 service"};
      }
      if (c.sasl_oauth_parameters.count("audience") == 0) {
        return Problem{"sasl-oauth-parameters",
                       "'audience' parameter is required for auth0 service"};
      }
    } else if (svc == "azuread") {
      if (c.sasl_oauth_tenant_id.empty()) {
        return Problem{"sasl-oauth-tenant-id",
                       "'sasl-oauth-tenant-id' required for azuread service"};
      }
      if (!c.sasl_oauth_token_url.empty()) {
        return Problem{"sasl-oauth-token-url",
                       "'sasl-oauth-token-url' must not be set for azuread service"};
      }
    } else {
      return Problem{"sasl-oauth-service",
                     absl::StrCat("service \"", svc,
                                  "\" not supported, expected \"\", custom, auth0 or azuread")};
    }
  }
  return std::nullopt;
}

int64_t Ms(absl::Duration d) { return absl::ToInt64Milliseconds(d); }

}  // namespace

absl::Status Validate(const ClusterConfig& config) {
  std::optional<Problem> p = FindProblem(config);
  if (!p) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("kafka: ", p->message));
}

absl::StatusOr<std::vector<ClusterConfig>> ParseConfig(std::string_view text,
                                                       std::string_view filename) {
  std::vector<std::string_view> lines;
  {
    size_t start = 0;
    while (start <= text.size()) {
      size_t nl = text.find('\n', start);
      if (nl == std::string_view::npos) nl = text.size();
      std::string_view line = text.substr(start, nl - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      lines.push_back(line);
      start = nl + 1;
    }
  }
  ElementParser diag(filename, lines);

  toml::table root;
  try {
    root = toml::parse(text, filename);
  } catch (const toml::parse_error& e) {
    return diag.Error(Pos(e.source()), absl::StrCat("kafka: invalid TOML: ", Sv(e.description())));
  }

  std::vector<ClusterConfig> out;
  const toml::node* kafka = root.get("kafka");
  if (kafka == nullptr) return out;
  const toml::array* arr = kafka->as_array();
  if (arr == nullptr) {
    return diag.Error(Pos(kafka->source()),
                      absl::StrCat("kafka: expected an array of tables ([[kafka]]), found ",
                                   Sv(TypeName(*kafka))));
  }
  for (const toml::node& element : *arr) {
    const toml::table* t = element.as_table();
    if (t == nullptr) {
      return diag.Error(Pos(element.source()),
                        absl::StrCat("kafka: expected a table in the kafka array, found ",
                                     Sv(TypeName(element))));
    }
    ElementParser p(filename, lines);
    TICK_ASSIGN_OR_RETURN(ClusterConfig c, p.Parse(*t));
    if (c.enabled) {
      if (std::optional<Problem> problem = FindProblem(c)) {
        auto it = c.key_positions.find(problem->key);
        if (problem->key == "sasl_extensions" && it == c.key_positions.end()) {
          it = c.key_positions.find("sasl-extensions");
        }
        const LineCol at = it != c.key_positions.end() ? it->second : c.position;
        return p.KeyError(c, problem->key, at, problem->message);
      }
    }
    for (const ClusterConfig& prev : out) {
      if (!c.id.empty() && prev.id == c.id) {
        auto it = c.key_positions.find("id");
        const LineCol at = it != c.key_positions.end() ? it->second : c.position;
        return p.Error(at, absl::StrCat("kafka: duplicate cluster id \"", c.id,
                                        "\" (first defined at ", Sv(filename), ":",
                                        prev.position.line, ":", prev.position.column, ")"));
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

absl::StatusOr<std::vector<ClusterConfig>> LoadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("kafka: cannot read config file \"", path, "\""));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseConfig(ss.str(), path);
}

std::string OAuthTokenUrl(const ClusterConfig& config) {
  if (config.sasl_oauth_service == "azuread") {
    return absl::StrCat("https://login.microsoftonline.com/", config.sasl_oauth_tenant_id,
                        "/oauth2/v2.0/token");
  }
  return config.sasl_oauth_token_url;
}

bool UsesOAuthClientCredentials(const ClusterConfig& config) {
  return config.sasl_mechanism == "OAUTHBEARER" && config.sasl_access_token.empty();
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ToRdKafkaConfig(
    const ClusterConfig& config) {
  if (std::optional<Problem> p = FindProblem(config)) {
    return absl::InvalidArgumentError(
        absl::StrCat("kafka: cluster \"", config.id, "\", key '", p->key, "': ", p->message));
  }
  std::vector<std::pair<std::string, std::string>> props;
  auto add = [&props](std::string k, std::string v) {
    props.emplace_back(std::move(k), std::move(v));
  };
  add("client.id", config.id.empty() ? std::string(kDefaultClusterId) : config.id);
  add("bootstrap.servers", absl::StrJoin(config.brokers, ","));
  const int batch_size = config.batch_size > 0 ? config.batch_size : kDefaultBatchSize;
  const absl::Duration batch_timeout =
      config.batch_timeout > absl::ZeroDuration() ? config.batch_timeout : kDefaultBatchTimeout;
  const absl::Duration timeout =
      config.timeout > absl::ZeroDuration() ? config.timeout : kDefaultTimeout;
  const int64_t linger_ms = Ms(batch_timeout);
  const int64_t timeout_ms = std::max<int64_t>(Ms(timeout), 10);
  add("batch.num.messages", absl::StrCat(batch_size));
  add("linger.ms", absl::StrCat(linger_ms));
  add("socket.timeout.ms", absl::StrCat(timeout_ms));
  add("request.timeout.ms", absl::StrCat(std::min<int64_t>(timeout_ms, 900000)));
  add("message.timeout.ms", absl::StrCat(std::max(timeout_ms, linger_ms + 1)));
  add("acks", "all");
  add("enable.idempotence", "true");

  const bool sasl = !config.sasl_username.empty() || !config.sasl_mechanism.empty();
  add("security.protocol",
      config.use_ssl ? (sasl ? "sasl_ssl" : "ssl") : (sasl ? "sasl_plaintext" : "plaintext"));
  if (config.use_ssl) {
    if (!config.ssl_ca.empty()) add("ssl.ca.location", config.ssl_ca);
    if (!config.ssl_cert.empty()) add("ssl.certificate.location", config.ssl_cert);
    if (!config.ssl_key.empty()) add("ssl.key.location", config.ssl_key);
    if (config.insecure_skip_verify) {
      add("enable.ssl.certificate.verification", "false");
      add("ssl.endpoint.identification.algorithm", "none");
    } else {
      add("ssl.endpoint.identification.algorithm", "https");
    }
  }
  if (sasl) {
    const std::string mechanism = config.sasl_mechanism.empty() ? "PLAIN" : config.sasl_mechanism;
    add("sasl.mechanisms", mechanism);
    if (mechanism == "PLAIN" || mechanism == "SCRAM-SHA-256" || mechanism == "SCRAM-SHA-512") {
      add("sasl.username", config.sasl_username);
      add("sasl.password", config.sasl_password);
    } else if (mechanism == "GSSAPI") {
      if (!config.sasl_gssapi_service_name.empty()) {
        add("sasl.kerberos.service.name", config.sasl_gssapi_service_name);
      }
      if (!config.sasl_username.empty()) {
        add("sasl.kerberos.principal",
            config.sasl_gssapi_realm.empty()
                ? config.sasl_username
                : absl::StrCat(config.sasl_username, "@", config.sasl_gssapi_realm));
      }
      if (config.sasl_gssapi_auth_type == "KRB5_KEYTAB_AUTH" ||
          (config.sasl_gssapi_auth_type.empty() && !config.sasl_gssapi_key_tab_path.empty())) {
        add("sasl.kerberos.keytab", config.sasl_gssapi_key_tab_path);
      } else {
        // KRB5_USER_AUTH: librdkafka cannot kinit with a password; rely on the ticket cache and
        // disable librdkafka's periodic kinit.
        add("sasl.kerberos.min.time.before.relogin", "0");
      }
    }
    // OAUTHBEARER: the producer installs a token-refresh callback (kafka/oauth.h).
  }
  return props;
}

std::string DescribeForLog(const ClusterConfig& config) {
  std::string out =
      absl::StrCat("cluster \"", config.id, "\" brokers=[", absl::StrJoin(config.brokers, ","),
                   "] ssl=", config.use_ssl ? "true" : "false");
  if (!config.sasl_username.empty() || !config.sasl_mechanism.empty()) {
    absl::StrAppend(&out,
                    " sasl=", config.sasl_mechanism.empty() ? "PLAIN" : config.sasl_mechanism);
    if (!config.sasl_username.empty())
      absl::StrAppend(&out, " user=\"", config.sasl_username, "\"");
    if (!config.sasl_password.empty()) absl::StrAppend(&out, " password=<redacted>");
    if (!config.sasl_oauth_client_secret.empty())
      absl::StrAppend(&out, " client-secret=<redacted>");
    if (!config.sasl_access_token.empty()) absl::StrAppend(&out, " access-token=<redacted>");
  }
  return out;
}

}  // namespace tick::kafka
