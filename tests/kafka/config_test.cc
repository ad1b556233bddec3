// `[[kafka]]` configuration: every key, defaults, each validation error's exact text with its
// position, secrets kept out of messages, and the librdkafka property mapping.
#include "kafka/config.h"

#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace tick::kafka {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;
using ::testing::SizeIs;
using ::tick::testing::IsOk;
using ::tick::testing::StatusIs;

using Props = std::vector<std::pair<std::string, std::string>>;

std::string Error(std::string_view text) {
  absl::StatusOr<std::vector<ClusterConfig>> r = ParseConfig(text, "kapacitor.conf");
  EXPECT_FALSE(r.ok());
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(r.status().message());
}

ClusterConfig One(std::string_view text) {
  absl::StatusOr<std::vector<ClusterConfig>> r = ParseConfig(text, "kapacitor.conf");
  EXPECT_THAT(r, IsOk());
  if (!r.ok() || r->size() != 1) {
    ADD_FAILURE() << "expected one cluster";
    return {};
  }
  return (*r)[0];
}

std::string Prop(const Props& props, const std::string& key) {
  for (const auto& [k, v] : props) {
    if (k == key) return v;
  }
  return "<unset>";
}

Props Map(const ClusterConfig& c) {
  absl::StatusOr<Props> p = ToRdKafkaConfig(c);
  EXPECT_THAT(p, IsOk());
  return p.ok() ? *p : Props{};
}

constexpr char kFull[] = R"([[kafka]]
enabled = true
id = "localhost"
brokers = ["10.0.0.1:9092", "10.0.0.2:9092"]
timeout = "1m30s"
batch-size = 250
batch-timeout = "500ms"
use-ssl = true
ssl-ca = "/etc/ssl/ca.crt"
ssl-cert = "/etc/ssl/cert.crt"
ssl-key = "/etc/ssl/key.key"
insecure-skip-verify = true
sasl-username = "kafka"
sasl-password = "hunter2-password"
sasl-extensions = { traceid = "abc", region = "eu" }
sasl-mechanism = "SCRAM-SHA-512"
sasl-version = 1
sasl-gssapi-service-name = "kafkasvc"
sasl-gssapi-auth-type = "KRB5_KEYTAB_AUTH"
sasl-gssapi-disable-pafxfast = true
sasl-gssapi-kerberos-config-path = "/etc/krb5.conf"
sasl-gssapi-key-tab-path = "/etc/kafka.keytab"
sasl-gssapi-realm = "EXAMPLE.COM"
sasl-oauth-service = "auth0"
sasl-oauth-client-id = "client"
sasl-oauth-client-secret = "client-secret-value"
sasl-oauth-token-url = "https://example.auth0.com/oauth/token"
sasl-oauth-token-expiry-margin = "30s"
sasl-oauth-scopes = ["read", "write"]
sasl-oauth-tenant-id = "tenant"
sasl-access-token = ""
[kafka.sasl-oauth-parameters]
audience = "development"
)";

TEST(ParseConfigTest, EveryKey) {
  ClusterConfig c = One(kFull);
  EXPECT_TRUE(c.enabled);
  EXPECT_EQ(c.id, "localhost");
  EXPECT_THAT(c.brokers, ElementsAre("10.0.0.1:9092", "10.0.0.2:9092"));
  EXPECT_EQ(c.timeout, absl::Seconds(90));
  EXPECT_EQ(c.batch_size, 250);
  EXPECT_EQ(c.batch_timeout, absl::Milliseconds(500));
  EXPECT_TRUE(c.use_ssl);
  EXPECT_EQ(c.ssl_ca, "/etc/ssl/ca.crt");
  EXPECT_EQ(c.ssl_cert, "/etc/ssl/cert.crt");
  EXPECT_EQ(c.ssl_key, "/etc/ssl/key.key");
  EXPECT_TRUE(c.insecure_skip_verify);
  EXPECT_EQ(c.sasl_username, "kafka");
  EXPECT_EQ(c.sasl_password, "hunter2-password");
  EXPECT_THAT(c.sasl_extensions, ElementsAre(Pair("region", "eu"), Pair("traceid", "abc")));
  EXPECT_EQ(c.sasl_mechanism, "SCRAM-SHA-512");
  EXPECT_EQ(c.sasl_version, 1);
  EXPECT_EQ(c.sasl_gssapi_service_name, "kafkasvc");
  EXPECT_EQ(c.sasl_gssapi_auth_type, "KRB5_KEYTAB_AUTH");
  EXPECT_TRUE(c.sasl_gssapi_disable_pafxfast);
  EXPECT_EQ(c.sasl_gssapi_kerberos_config_path, "/etc/krb5.conf");
  EXPECT_EQ(c.sasl_gssapi_key_tab_path, "/etc/kafka.keytab");
  EXPECT_EQ(c.sasl_gssapi_realm, "EXAMPLE.COM");
  EXPECT_EQ(c.sasl_oauth_service, "auth0");
  EXPECT_EQ(c.sasl_oauth_client_id, "client");
  EXPECT_EQ(c.sasl_oauth_client_secret, "client-secret-value");
  EXPECT_EQ(c.sasl_oauth_token_url, "https://example.auth0.com/oauth/token");
  EXPECT_EQ(c.sasl_oauth_token_expiry_margin, absl::Seconds(30));
  EXPECT_THAT(c.sasl_oauth_scopes, ElementsAre("read", "write"));
  EXPECT_EQ(c.sasl_oauth_tenant_id, "tenant");
  EXPECT_THAT(c.sasl_oauth_parameters, ElementsAre(Pair("audience", "development")));
  EXPECT_EQ(c.sasl_access_token, "");
  EXPECT_EQ(c.source_file, "kapacitor.conf");
  EXPECT_EQ(c.position, (LineCol{1, 1}));
  EXPECT_EQ(c.key_positions.at("brokers"), (LineCol{4, 1}));
  EXPECT_EQ(c.key_positions.at("sasl-oauth-parameters"), (LineCol{32, 8}));
}

TEST(ParseConfigTest, SpecPageSampleParses) {
  // The sample from the spec page (disabled, so only types are checked).
  ClusterConfig c = One(R"([[kafka]]
  enabled = false
  id = "localhost"
  brokers = []
  timeout = "10s"
  batch-size = 100
  batch-timeout = "1s"
  use-ssl = false
  ssl-ca = ""
  ssl-cert = ""
  ssl-key = ""
  insecure-skip-verify = false
  sasl-username = "xxxxx"
  sasl-password = "xxxxxxxx"
  sasl-extensions = {}
  sasl-mechanism = ""
  sasl-version = ""
  sasl-gssapi-service-name = ""
  sasl-gssapi-auth-type = "KRB5_USER_AUTH"
  sasl-gssapi-disable-pafxfast = false
  sasl-gssapi-kerberos-config-path = "/"
  sasl-gssapi-key-tab-path = ""
  sasl-gssapi-realm = "realm"
  sasl-oauth-service = "auth0"
  sasl-oauth-client-id = "xxxxxxx"
  sasl-oauth-client-secret = "xxxxxxxx"
  sasl-oauth-token-url = "dedicated-auth0-token-url"
  sasl-oauth-token-expiry-margin = "10s"
  sasl-oauth-scopes = ""
  sasl-oauth-tenant-id = ""
  [kafka.sasl-oauth-parameters]
    audience = "development"
  sasl-access-token = ""
)");
  EXPECT_FALSE(c.enabled);
  EXPECT_FALSE(c.sasl_version.has_value());
  EXPECT_THAT(c.sasl_oauth_scopes, SizeIs(0));
}

TEST(ParseConfigTest, DefaultsAndZeroValues) {
  ClusterConfig c = One("[[kafka]]\nenabled = true\nid = \"a\"\nbrokers = [\"b:1\"]\n");
  EXPECT_EQ(c.timeout, absl::Seconds(10));
  EXPECT_EQ(c.batch_size, 100);
  EXPECT_EQ(c.batch_timeout, absl::Seconds(1));
  EXPECT_EQ(c.sasl_oauth_token_expiry_margin, absl::Seconds(10));
  EXPECT_FALSE(c.use_ssl);
  ClusterConfig z =
      One("[[kafka]]\nenabled = true\nid = \"a\"\nbrokers = [\"b:1\"]\ntimeout = \"0s\"\n"
          "batch-size = 0\nbatch-timeout = \"0\"\n");
  EXPECT_EQ(z.timeout, absl::Seconds(10));
  EXPECT_EQ(z.batch_size, 100);
  EXPECT_EQ(z.batch_timeout, absl::Seconds(1));
}

TEST(ParseConfigTest, GoDurations) {
  auto timeout = [](const std::string& d) {
    return One("[[kafka]]\nid = \"a\"\ntimeout = \"" + d + "\"\n").timeout;
  };
  EXPECT_EQ(timeout("10s"), absl::Seconds(10));
  EXPECT_EQ(timeout("1m30s"), absl::Seconds(90));
  EXPECT_EQ(timeout("500ms"), absl::Milliseconds(500));
  EXPECT_EQ(timeout("1.5h"), absl::Minutes(90));
  EXPECT_EQ(timeout("2h45m"), absl::Minutes(165));
  EXPECT_EQ(timeout("250us"), absl::Microseconds(250));
  EXPECT_EQ(timeout("100ns"), absl::Nanoseconds(100));
  EXPECT_EQ(Error("[[kafka]]\nid = \"a\"\ntimeout = \"10\"\n"),
            "kapacitor.conf:3:11: error: kafka: cluster \"a\", key 'timeout': missing unit in "
            "duration \"10\"\ntimeout = \"10\"\n          ^");
  EXPECT_THAT(Error("[[kafka]]\nid = \"a\"\ntimeout = \"10x\"\n"),
              HasSubstr("key 'timeout': unknown unit \"x\" in duration \"10x\""));
  EXPECT_THAT(Error("[[kafka]]\nid = \"a\"\nbatch-timeout = \"-1s\"\n"),
              HasSubstr("key 'batch-timeout': duration must not be negative, found \"-1s\""));
  EXPECT_THAT(Error("[[kafka]]\nid = \"a\"\ntimeout = 10\n"),
              HasSubstr("key 'timeout': expected a duration string like \"10s\", found integer"));
}

TEST(ParseConfigTest, NoKafkaSection) {
  absl::StatusOr<std::vector<ClusterConfig>> r =
      ParseConfig("[influxdb]\nurls = [\"http://x\"]\n", "k.conf");
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(*r, SizeIs(0));
}

TEST(ParseConfigTest, ValidationErrorsNameFileLineClusterAndKey) {
  EXPECT_EQ(Error("[[kafka]]\nenabled = true\nid = \"infra\"\n"),
            "kapacitor.conf:1:1: error: kafka: cluster \"infra\", key 'brokers': no brokers "
            "specified, must provide at least one broker URL\n[[kafka]]\n^");
  EXPECT_EQ(Error("[[kafka]]\nenabled = true\nbrokers = [\"a:1\"]\n"),
            "kapacitor.conf:1:1: error: kafka: cluster \"\", key 'id': id must not be empty\n"
            "[[kafka]]\n^");
  EXPECT_EQ(Error("[[kafka]]\nenabled = true\nid = \"x\"\nbrokers = []\n"),
            "kapacitor.conf:4:1: error: kafka: cluster \"x\", key 'brokers': no brokers "
            "specified, must provide at least one broker URL\nbrokers = []\n^");
  EXPECT_THAT(Error("[[kafka]]\nenabled = true\nid = \"x\"\nbrokers = [\"a:1\"]\n"
                    "sasl-mechanism = \"MD5\"\n"),
              HasSubstr("kapacitor.conf:5:1: error: kafka: cluster \"x\", key 'sasl-mechanism': "
                        "invalid sasl-mechanism: found \"MD5\", expected one of GSSAPI, "
                        "OAUTHBEARER, PLAIN, SCRAM-SHA-256, SCRAM-SHA-512"));
  EXPECT_THAT(Error("[[kafka]]\nenabled = true\nid = \"x\"\nbrokers = [\"a:1\"]\n"
                    "sasl-version = 2\n"),
              HasSubstr("key 'sasl-version': invalid SASL version: expected 0 or 1, found 2"));
  EXPECT_THAT(Error("[[kafka]]\nenabled = true\nid = \"x\"\nbrokers = [\"a:1\"]\n"
                    "sasl-mechanism = \"GSSAPI\"\nsasl-gssapi-auth-type = \"NOPE\"\n"),
              HasSubstr("key 'sasl-gssapi-auth-type': invalid sasl-gssapi-auth-type: found "
                        "\"NOPE\", expected KRB5_USER_AUTH or KRB5_KEYTAB_AUTH"));
  EXPECT_THAT(Error("[[kafka]]\nenabled = true\nid = \"x\"\nbrokers = [\"a:1\"]\n"
                    "sasl-mechanism = \"GSSAPI\"\nsasl-gssapi-auth-type = \"KRB5_KEYTAB_AUTH\"\n"),
              HasSubstr("kapacitor.conf:1:1: error: kafka: cluster \"x\", key "
                        "'sasl-gssapi-key-tab-path': 'sasl-gssapi-key-tab-path' required for "
                        "KRB5_KEYTAB_AUTH"));
  // Disabled clusters are not validated (as Kapacitor).
  EXPECT_THAT(ParseConfig("[[kafka]]\nenabled = false\n", "k.conf"), IsOk());
}

constexpr char kOAuthBase[] =
    "[[kafka]]\nenabled = true\nid = \"o\"\nbrokers = [\"a:1\"]\n"
    "sasl-mechanism = \"OAUTHBEARER\"\n";

TEST(ParseConfigTest, OAuthBearerRules) {
  const std::string base = kOAuthBase;
  EXPECT_THAT(Error(base + "sasl-access-token = \"tok-secret\"\nsasl-oauth-service = \"auth0\"\n"),
              HasSubstr("kapacitor.conf:6:1: error: kafka: cluster \"o\", key "
                        "'sasl-access-token': cannot set 'sasl-access-token' with "
                        "'sasl-oauth-service' and 'sasl-oauth-token-url'"));
  EXPECT_THAT(Error(base + "sasl-access-token = \"tok-secret\"\nsasl-oauth-token-url = \"u\"\n"),
              HasSubstr("cannot set 'sasl-access-token' with 'sasl-oauth-service' and "
                        "'sasl-oauth-token-url'"));
  EXPECT_THAT(Error(base + "sasl-oauth-client-id = \"id\"\n"),
              HasSubstr("key 'sasl-oauth-client-secret': 'sasl-oauth-client-id' and "
                        "'sasl-oauth-client-secret' are required"));
  EXPECT_THAT(Error(base + "sasl-oauth-client-secret = \"s3cr3t\"\n"),
              HasSubstr("key 'sasl-oauth-client-id': 'sasl-oauth-client-id' and "
                        "'sasl-oauth-client-secret' are required"));
  const std::string creds =
      base + "sasl-oauth-client-id = \"id\"\nsasl-oauth-client-secret = \"s3cr3t\"\n";
  EXPECT_THAT(Error(creds), HasSubstr("key 'sasl-oauth-token-url': 'sasl-oauth-token-url' "
                                      "required for custom service"));
  EXPECT_THAT(Error(creds + "sasl-oauth-service = \"custom\"\n"),
              HasSubstr("'sasl-oauth-token-url' required for custom service"));
  EXPECT_THAT(Error(creds + "sasl-oauth-service = \"auth0\"\n"),
              HasSubstr("'sasl-oauth-token-url' required for auth0 service"));
  EXPECT_THAT(Error(creds + "sasl-oauth-service = \"auth0\"\nsasl-oauth-token-url = \"u\"\n"),
              HasSubstr("key 'sasl-oauth-parameters': 'audience' parameter is required for "
                        "auth0 service"));
  EXPECT_THAT(Error(creds + "sasl-oauth-service = \"azuread\"\n"),
              HasSubstr("key 'sasl-oauth-tenant-id': 'sasl-oauth-tenant-id' required for "
                        "azuread service"));
  EXPECT_THAT(Error(creds + "sasl-oauth-service = \"azuread\"\nsasl-oauth-tenant-id = \"t\"\n"
                            "sasl-oauth-token-url = \"u\"\n"),
              HasSubstr("'sasl-oauth-token-url' must not be set for azuread service"));
  EXPECT_THAT(Error(creds + "sasl-oauth-service = \"okta\"\n"),
              HasSubstr("key 'sasl-oauth-service': service \"okta\" not supported, expected \"\", "
                        "custom, auth0 or azuread"));
  // Valid combinations.
  EXPECT_THAT(ParseConfig(base + "sasl-access-token = \"tok\"\n", "k"), IsOk());
  EXPECT_THAT(ParseConfig(creds + "sasl-oauth-token-url = \"http://x/token\"\n", "k"), IsOk());
  EXPECT_THAT(
      ParseConfig(creds + "sasl-oauth-service = \"azuread\"\nsasl-oauth-tenant-id = \"t\"\n", "k"),
      IsOk());
  EXPECT_THAT(ParseConfig(creds + "sasl-oauth-service = \"auth0\"\nsasl-oauth-token-url = \"u\"\n"
                                  "[kafka.sasl-oauth-parameters]\naudience = \"dev\"\n",
                          "k"),
              IsOk());
}

TEST(ParseConfigTest, SecretsNeverAppearInMessages) {
  const std::vector<std::string> bad = {
      "[[kafka]]\nenabled = true\nid = \"s\"\nsasl-password = \"PW-SECRET-1\"\n",
      "[[kafka]]\nid = \"s\"\nsasl-password = \"PW-SECRET-1\"\nbogus = 1\n",
      std::string(kOAuthBase) + "sasl-access-token = \"PW-SECRET-1\"\nsasl-oauth-service = \"x\"\n",
      std::string(kOAuthBase) + "sasl-oauth-client-secret = \"PW-SECRET-1\"\n",
      "[[kafka]]\nid = \"s\"\nsasl-password = 12345\n",
  };
  for (const std::string& text : bad) {
    const std::string msg = Error(text);
    EXPECT_THAT(msg, Not(HasSubstr("PW-SECRET-1"))) << msg;
    EXPECT_THAT(msg, Not(HasSubstr("12345"))) << msg;
  }
  EXPECT_EQ(Error("[[kafka]]\nid = \"s\"\nsasl-password = 12345\n"),
            "kapacitor.conf:3:17: error: kafka: cluster \"s\", key 'sasl-password': expected a "
            "string, found integer\nsasl-password = <redacted>\n                ^");
  ClusterConfig c =
      One("[[kafka]]\nid = \"s\"\nbrokers = [\"a:1\"]\nsasl-username = \"u\"\n"
          "sasl-password = \"PW-SECRET-1\"\nsasl-access-token = \"TOKEN-2\"\n"
          "sasl-oauth-client-secret = \"CS-3\"\n");
  EXPECT_EQ(DescribeForLog(c),
            "cluster \"s\" brokers=[a:1] ssl=false sasl=PLAIN user=\"u\" password=<redacted> "
            "client-secret=<redacted> access-token=<redacted>");
}

TEST(ParseConfigTest, UnknownKeysAndTypes) {
  EXPECT_EQ(Error("[[kafka]]\nid = \"a\"\nbatchsize = 5\n"),
            "kapacitor.conf:3:1: error: kafka: cluster \"a\": unknown key 'batchsize'; did you "
            "mean 'batch-size'?\nbatchsize = 5\n^");
  EXPECT_THAT(Error("[[kafka]]\nid = \"a\"\ncompletely-different = 5\n"),
              HasSubstr("unknown key 'completely-different'\n"));
  EXPECT_THAT(Error("[[kafka]]\nid = \"a\"\nenabled = \"yes\"\n"),
              HasSubstr("kapacitor.conf:3:11: error: kafka: cluster \"a\", key 'enabled': "
                        "expected a boolean, found string"));
  EXPECT_THAT(Error("[[kafka]]\nid = \"a\"\nbrokers = \"a:1\"\n"),
              HasSubstr("key 'brokers': expected an array of strings, found string"));
  EXPECT_THAT(Error("[[kafka]]\nid = \"a\"\nbrokers = [1]\n"),
              HasSubstr("key 'brokers': expected a string element, found integer"));
  EXPECT_THAT(Error("[[kafka]]\nid = \"a\"\nbatch-size = -1\n"),
              HasSubstr("key 'batch-size': expected an integer between 0 and 1000000, found -1"));
  EXPECT_THAT(Error("[[kafka]]\nid = \"a\"\nsasl-extensions = { a = 1 }\n"),
              HasSubstr("key 'sasl-extensions': expected a string for 'a', found integer"));
  EXPECT_THAT(Error("[kafka]\nid = \"a\"\n"),
              HasSubstr("kafka: expected an array of tables ([[kafka]]), found table"));
  EXPECT_THAT(Error("[[kafka]]\nid = \"a\"\nbrokers = [\n"), HasSubstr("kafka: invalid TOML: "));
}

TEST(ParseConfigTest, BothExtensionSpellings) {
  EXPECT_THAT(One("[[kafka]]\nid = \"a\"\nsasl_extensions = { k = \"v\" }\n").sasl_extensions,
              ElementsAre(Pair("k", "v")));
  EXPECT_THAT(One("[[kafka]]\nid = \"a\"\nsasl-extensions = { k = \"v\" }\n").sasl_extensions,
              ElementsAre(Pair("k", "v")));
  EXPECT_THAT(Error("[[kafka]]\nid = \"a\"\nsasl-extensions = {}\nsasl_extensions = {}\n"),
              HasSubstr("kapacitor.conf:4:1: error: kafka: cluster \"a\", key 'sasl_extensions': "
                        "set only one of 'sasl-extensions' and 'sasl_extensions'"));
}

TEST(ParseConfigTest, SeveralClustersAndDuplicateIds) {
  absl::StatusOr<std::vector<ClusterConfig>> r = ParseConfig(
      "[[kafka]]\nenabled = true\nid = \"a\"\nbrokers = [\"a:1\"]\n\n"
      "[[kafka]]\nenabled = false\nid = \"b\"\n",
      "k.conf");
  ASSERT_THAT(r, IsOk());
  ASSERT_THAT(*r, SizeIs(2));
  EXPECT_EQ((*r)[0].id, "a");
  EXPECT_EQ((*r)[1].id, "b");
  EXPECT_EQ((*r)[1].position, (LineCol{6, 1}));
  EXPECT_EQ(Error("[[kafka]]\nid = \"a\"\n[[kafka]]\nid = \"a\"\n"),
            "kapacitor.conf:4:1: error: kafka: duplicate cluster id \"a\" (first defined at "
            "kapacitor.conf:1:1)\nid = \"a\"\n^");
}

TEST(LoadConfigFileTest, ReadsFileAndReportsMissing) {
  const std::string path = std::string(TICK_BINARY_DIR) + "/kafka_config_test.conf";
  {
    std::ofstream out(path);
    out << "[[kafka]]\nenabled = true\nid = \"f\"\nbrokers = [\"h:9092\"]\n";
  }
  absl::StatusOr<std::vector<ClusterConfig>> r = LoadConfigFile(path);
  ASSERT_THAT(r, IsOk());
  ASSERT_THAT(*r, SizeIs(1));
  EXPECT_EQ((*r)[0].source_file, path);
  EXPECT_THAT(LoadConfigFile("/nonexistent/k.conf"),
              StatusIs(absl::StatusCode::kNotFound,
                       "kafka: cannot read config file \"/nonexistent/k.conf\""));
  // The shipped example parses.
  absl::StatusOr<std::vector<ClusterConfig>> ex =
      LoadConfigFile(std::string(TICK_SOURCE_DIR) + "/scripts/kafka.conf");
  ASSERT_THAT(ex, IsOk());
  ASSERT_THAT(*ex, SizeIs(1));
  EXPECT_EQ((*ex)[0].id, "infra-monitoring");
}

ClusterConfig Basic() {
  ClusterConfig c;
  c.enabled = true;
  c.id = "infra";
  c.brokers = {"10.0.0.1:9092", "10.0.0.2:9092"};
  return c;
}

TEST(ToRdKafkaConfigTest, Defaults) {
  EXPECT_EQ(Map(Basic()), (Props{{"client.id", "infra"},
                                 {"bootstrap.servers", "10.0.0.1:9092,10.0.0.2:9092"},
                                 {"batch.num.messages", "100"},
                                 {"linger.ms", "1000"},
                                 {"socket.timeout.ms", "10000"},
                                 {"request.timeout.ms", "10000"},
                                 {"message.timeout.ms", "10000"},
                                 {"acks", "all"},
                                 {"enable.idempotence", "true"},
                                 {"security.protocol", "plaintext"}}));
}

TEST(ToRdKafkaConfigTest, BatchingAndTimeouts) {
  ClusterConfig c = Basic();
  c.batch_size = 7;
  c.batch_timeout = absl::Milliseconds(250);
  c.timeout = absl::Seconds(3);
  Props p = Map(c);
  EXPECT_EQ(Prop(p, "batch.num.messages"), "7");
  EXPECT_EQ(Prop(p, "linger.ms"), "250");
  EXPECT_EQ(Prop(p, "socket.timeout.ms"), "3000");
  EXPECT_EQ(Prop(p, "request.timeout.ms"), "3000");
  EXPECT_EQ(Prop(p, "message.timeout.ms"), "3000");
  // message.timeout.ms must exceed linger.ms (librdkafka rule).
  c.batch_timeout = absl::Seconds(5);
  EXPECT_EQ(Prop(Map(c), "message.timeout.ms"), "5001");
  // Zero values in a hand-built config take the defaults too.
  c.batch_size = 0;
  c.batch_timeout = absl::ZeroDuration();
  c.timeout = absl::ZeroDuration();
  p = Map(c);
  EXPECT_EQ(Prop(p, "batch.num.messages"), "100");
  EXPECT_EQ(Prop(p, "linger.ms"), "1000");
  EXPECT_EQ(Prop(p, "socket.timeout.ms"), "10000");
}

TEST(ToRdKafkaConfigTest, Ssl) {
  ClusterConfig c = Basic();
  c.ssl_ca = "/ca";
  c.ssl_cert = "/cert";
  c.ssl_key = "/key";
  // use-ssl false: ssl-* are ignored.
  Props p = Map(c);
  EXPECT_EQ(Prop(p, "security.protocol"), "plaintext");
  EXPECT_EQ(Prop(p, "ssl.ca.location"), "<unset>");
  c.use_ssl = true;
  p = Map(c);
  EXPECT_EQ(Prop(p, "security.protocol"), "ssl");
  EXPECT_EQ(Prop(p, "ssl.ca.location"), "/ca");
  EXPECT_EQ(Prop(p, "ssl.certificate.location"), "/cert");
  EXPECT_EQ(Prop(p, "ssl.key.location"), "/key");
  EXPECT_EQ(Prop(p, "ssl.endpoint.identification.algorithm"), "https");
  EXPECT_EQ(Prop(p, "enable.ssl.certificate.verification"), "<unset>");
  c.insecure_skip_verify = true;
  p = Map(c);
  EXPECT_EQ(Prop(p, "enable.ssl.certificate.verification"), "false");
  EXPECT_EQ(Prop(p, "ssl.endpoint.identification.algorithm"), "none");
}

TEST(ToRdKafkaConfigTest, SaslPlainAndScram) {
  ClusterConfig c = Basic();
  c.sasl_username = "kafka";
  c.sasl_password = "kafkapassword";
  Props p = Map(c);  // a username alone means PLAIN (as sarama)
  EXPECT_EQ(Prop(p, "security.protocol"), "sasl_plaintext");
  EXPECT_EQ(Prop(p, "sasl.mechanisms"), "PLAIN");
  EXPECT_EQ(Prop(p, "sasl.username"), "kafka");
  EXPECT_EQ(Prop(p, "sasl.password"), "kafkapassword");
  c.use_ssl = true;
  c.sasl_mechanism = "SCRAM-SHA-256";
  p = Map(c);
  EXPECT_EQ(Prop(p, "security.protocol"), "sasl_ssl");
  EXPECT_EQ(Prop(p, "sasl.mechanisms"), "SCRAM-SHA-256");
  EXPECT_EQ(Prop(p, "sasl.username"), "kafka");
  c.sasl_mechanism = "SCRAM-SHA-512";
  EXPECT_EQ(Prop(Map(c), "sasl.mechanisms"), "SCRAM-SHA-512");
}

TEST(ToRdKafkaConfigTest, Gssapi) {
  ClusterConfig c = Basic();
  c.sasl_mechanism = "GSSAPI";
  c.sasl_username = "tick";
  c.sasl_gssapi_realm = "EXAMPLE.COM";
  c.sasl_gssapi_service_name = "kafkasvc";
  c.sasl_gssapi_auth_type = "KRB5_KEYTAB_AUTH";
  c.sasl_gssapi_key_tab_path = "/etc/tick.keytab";
  Props p = Map(c);
  EXPECT_EQ(Prop(p, "security.protocol"), "sasl_plaintext");
  EXPECT_EQ(Prop(p, "sasl.mechanisms"), "GSSAPI");
  EXPECT_EQ(Prop(p, "sasl.kerberos.service.name"), "kafkasvc");
  EXPECT_EQ(Prop(p, "sasl.kerberos.principal"), "tick@EXAMPLE.COM");
  EXPECT_EQ(Prop(p, "sasl.kerberos.keytab"), "/etc/tick.keytab");
  EXPECT_EQ(Prop(p, "sasl.username"), "<unset>");
  c.sasl_gssapi_auth_type = "KRB5_USER_AUTH";
  c.sasl_gssapi_realm = "";
  p = Map(c);
  EXPECT_EQ(Prop(p, "sasl.kerberos.principal"), "tick");
  EXPECT_EQ(Prop(p, "sasl.kerberos.keytab"), "<unset>");
  EXPECT_EQ(Prop(p, "sasl.kerberos.min.time.before.relogin"), "0");
}

TEST(ToRdKafkaConfigTest, OAuthBearer) {
  ClusterConfig c = Basic();
  c.sasl_mechanism = "OAUTHBEARER";
  c.sasl_access_token = "static-token";
  Props p = Map(c);
  EXPECT_EQ(Prop(p, "security.protocol"), "sasl_plaintext");
  EXPECT_EQ(Prop(p, "sasl.mechanisms"), "OAUTHBEARER");
  EXPECT_EQ(Prop(p, "sasl.username"), "<unset>");
  EXPECT_FALSE(UsesOAuthClientCredentials(c));
  c.sasl_access_token = "";
  c.sasl_oauth_client_id = "id";
  c.sasl_oauth_client_secret = "secret";
  c.sasl_oauth_service = "azuread";
  c.sasl_oauth_tenant_id = "my-tenant";
  EXPECT_THAT(ToRdKafkaConfig(c), IsOk());
  EXPECT_TRUE(UsesOAuthClientCredentials(c));
  EXPECT_EQ(OAuthTokenUrl(c), "https://login.microsoftonline.com/my-tenant/oauth2/v2.0/token");
  c.sasl_oauth_service = "custom";
  c.sasl_oauth_tenant_id = "";
  c.sasl_oauth_token_url = "http://127.0.0.1:1/token";
  EXPECT_EQ(OAuthTokenUrl(c), "http://127.0.0.1:1/token");
}

TEST(ToRdKafkaConfigTest, InvalidConfigIsRejected) {
  ClusterConfig c = Basic();
  c.brokers.clear();
  EXPECT_THAT(ToRdKafkaConfig(c),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "kafka: cluster \"infra\", key 'brokers': no brokers specified, must "
                       "provide at least one broker URL"));
  EXPECT_THAT(Validate(c), StatusIs(absl::StatusCode::kInvalidArgument,
                                    "kafka: no brokers specified, must provide at least one "
                                    "broker URL"));
  c = Basic();
  c.id = "";
  EXPECT_THAT(Validate(c),
              StatusIs(absl::StatusCode::kInvalidArgument, "kafka: id must not be empty"));
  EXPECT_THAT(Validate(Basic()), IsOk());
}

}  // namespace
}  // namespace tick::kafka
