// File: kafka/config.h
//
// kapacitor.conf `[[kafka]]` clusters: parsing (toml++), validation and the mapping onto librdkafka
// configuration properties. Knows nothing of TICKscript.
//
//   [[kafka]]
//   enabled = true
//   id = "infra-monitoring"
//   brokers = ["10.0.0.1:9092", "10.0.0.2:9092"]
//   timeout = "10s"
//   batch-size = 100
//   batch-timeout = "1s"
//
// Every key of Kapacitor's Kafka event handler page is accepted (see ClusterConfig); unknown keys
// are errors. Durations are Go duration strings ("10s", "1m30s", "500ms").
//
// Defaults. A zero (or absent) `timeout`, `batch-size` or `batch-timeout` takes the documented
// default: 10s, 100, 1s. NOTE: this differs from Kapacitor's code, whose ApplyConditionalDefaults
// is never called (a zero batch-timeout there means "flush as fast as possible"); tickrun follows
// the documentation. `sasl-oauth-token-expiry-margin` defaults to 10s.
//
// Errors. Every error is kInvalidArgument, starts with `kafka: ` (as Kapacitor's server config
// does), uses Kapacitor's wording where it has one, and is rendered like a compiler diagnostic
// naming file, line, column, the cluster id and the key:
//
//   kapacitor.conf:3:1: error: kafka: cluster "infra": no brokers specified, must provide at least
//   one broker URL
//
// followed by the source line and a caret line. Secret values (sasl-password,
// sasl-oauth-client-secret, sasl-access-token) never appear in messages or logs.
#ifndef TICK_KAFKA_CONFIG_H_
#define TICK_KAFKA_CONFIG_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "base/source.h"

namespace tick::kafka {

inline constexpr absl::Duration kDefaultTimeout = absl::Seconds(10);
inline constexpr int kDefaultBatchSize = 100;
inline constexpr absl::Duration kDefaultBatchTimeout = absl::Seconds(1);
inline constexpr absl::Duration kDefaultOAuthExpiryMargin = absl::Seconds(10);
inline constexpr std::string_view kDefaultClusterId = "default";

// One `[[kafka]]` element. Field comments give the TOML key.
struct ClusterConfig {
  bool enabled = false;                                 // enabled
  std::string id;                                       // id
  std::vector<std::string> brokers;                     // brokers ("host:port")
  absl::Duration timeout = kDefaultTimeout;             // timeout (0 -> 10s)
  int batch_size = kDefaultBatchSize;                   // batch-size (0 -> 100)
  absl::Duration batch_timeout = kDefaultBatchTimeout;  // batch-timeout (0 -> 1s)

  bool use_ssl = false;               // use-ssl (must be true for ssl-* to apply)
  std::string ssl_ca;                 // ssl-ca
  std::string ssl_cert;               // ssl-cert
  std::string ssl_key;                // ssl-key
  bool insecure_skip_verify = false;  // insecure-skip-verify

  std::string sasl_username;                           // sasl-username
  std::string sasl_password;                           // sasl-password (secret)
  std::map<std::string, std::string> sasl_extensions;  // sasl-extensions / sasl_extensions
  std::string sasl_mechanism;  // sasl-mechanism: "", GSSAPI, OAUTHBEARER, PLAIN, SCRAM-SHA-256/512
  std::optional<int> sasl_version;  // sasl-version (0 or 1; "" = unset)

  std::string sasl_gssapi_service_name;  // sasl-gssapi-service-name
  std::string sasl_gssapi_auth_type;     // sasl-gssapi-auth-type (KRB5_USER_AUTH|KRB5_KEYTAB_AUTH)
  bool sasl_gssapi_disable_pafxfast = false;     // sasl-gssapi-disable-pafxfast
  std::string sasl_gssapi_kerberos_config_path;  // sasl-gssapi-kerberos-config-path
  std::string sasl_gssapi_key_tab_path;          // sasl-gssapi-key-tab-path
  std::string sasl_gssapi_realm;                 // sasl-gssapi-realm

  std::string sasl_oauth_service;        // sasl-oauth-service: "", custom, auth0, azuread
  std::string sasl_oauth_client_id;      // sasl-oauth-client-id
  std::string sasl_oauth_client_secret;  // sasl-oauth-client-secret (secret)
  std::string sasl_oauth_token_url;      // sasl-oauth-token-url
  absl::Duration sasl_oauth_token_expiry_margin = kDefaultOAuthExpiryMargin;
  std::vector<std::string> sasl_oauth_scopes;  // sasl-oauth-scopes (array, or one string)
  std::string sasl_oauth_tenant_id;            // sasl-oauth-tenant-id
  std::map<std::string, std::string> sasl_oauth_parameters;  // [kafka.sasl-oauth-parameters]
  std::string sasl_access_token;  // sasl-access-token (secret; static OAUTHBEARER token)

  // Where the element was defined: file name and 1-based position of the `[[kafka]]` header (or
  // of the inline table), and of each key present (TOML key spelling -> position).
  std::string source_file;
  LineCol position;
  std::map<std::string, LineCol> key_positions;
};

// Parses `text` (a whole kapacitor.conf; only the `kafka` array is read, other top-level tables
// are ignored) and validates every element. Disabled elements are returned too (validated only
// for types and unknown keys, as Kapacitor validates only enabled clusters). Duplicate ids are
// errors. A missing `kafka` key yields an empty vector.
absl::StatusOr<std::vector<ClusterConfig>> ParseConfig(std::string_view text,
                                                       std::string_view filename);
// Reads `path` and calls ParseConfig. kNotFound when the file cannot be read.
absl::StatusOr<std::vector<ClusterConfig>> LoadConfigFile(const std::string& path);

// Semantic validation of one element (Kapacitor's rules, §5.1): id, brokers, sasl-mechanism,
// sasl-version, the OAUTHBEARER rules, duration signs, batch-size sign. Returns the bare message
// without position (e.g. "kafka: no brokers specified, must provide at least one broker URL");
// ParseConfig adds file, line, cluster and key.
absl::Status Validate(const ClusterConfig& config);

// The effective token endpoint for OAUTHBEARER client credentials: sasl-oauth-token-url for
// ""/custom/auth0, https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token for azuread.
std::string OAuthTokenUrl(const ClusterConfig& config);

// True when the config uses OAUTHBEARER client credentials (tokens fetched by tickrun).
bool UsesOAuthClientCredentials(const ClusterConfig& config);

// The librdkafka properties for `config`, in a stable order (unit-tested one by one):
//   client.id=<id>, bootstrap.servers=<brokers joined by ','>,
//   batch.num.messages=<batch-size>, linger.ms=<batch-timeout ms>,
//   socket.timeout.ms=<timeout ms>, request.timeout.ms=<timeout ms>, message.timeout.ms=<timeout
//   ms>, acks=all, enable.idempotence=true,
//   security.protocol=plaintext|ssl|sasl_plaintext|sasl_ssl,
//   ssl.ca.location / ssl.certificate.location / ssl.key.location (use-ssl only),
//   insecure-skip-verify -> enable.ssl.certificate.verification=false and
//                           ssl.endpoint.identification.algorithm=none,
//   otherwise ssl.endpoint.identification.algorithm=https,
//   sasl.mechanisms, sasl.username, sasl.password (PLAIN/SCRAM),
//   GSSAPI -> sasl.kerberos.service.name, sasl.kerberos.keytab,
//             sasl.kerberos.principal=<username>@<realm> (or <username>);
//             sasl-gssapi-kerberos-config-path is exported as KRB5_CONFIG by the producer,
//   OAUTHBEARER -> sasl.mechanisms=OAUTHBEARER only; the token (static or client credentials)
//             is supplied by the producer's token-refresh callback (kafka/oauth.h).
// timeout's message.timeout.ms is at least linger.ms + 1 (librdkafka requires it).
// SASL is enabled when sasl-username or sasl-mechanism is set (as Kapacitor); a username without
// a mechanism means PLAIN. kInvalidArgument for combinations librdkafka cannot express.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ToRdKafkaConfig(
    const ClusterConfig& config);

// A one-line description without secrets, e.g.
// `cluster "infra" brokers=[a:9092,b:9092] ssl=true sasl=PLAIN user="kafka" password=<redacted>`.
std::string DescribeForLog(const ClusterConfig& config);

}  // namespace tick::kafka

#endif  // TICK_KAFKA_CONFIG_H_
