// OAUTHBEARER: the client-credentials fetch against a token endpoint served on 127.0.0.1 by the
// test, the static token, and the producer's token-refresh callback.
#include "kafka/oauth.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "kafka/mock_cluster.h"
#include "kafka/producer.h"
#include "tests/kafka/kafka_test_util.h"
#include "tests/testing/status_matchers.h"

namespace tick::kafka {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::tick::kafka::testing::HttpServer;
using ::tick::kafka::testing::LogCollector;
using ::tick::testing::IsOk;
using ::tick::testing::StatusIs;

ClusterConfig OAuthConfig(const std::string& url) {
  ClusterConfig c;
  c.enabled = true;
  c.id = "oauth";
  c.brokers = {"127.0.0.1:1"};
  c.sasl_mechanism = "OAUTHBEARER";
  c.sasl_oauth_service = "auth0";
  c.sasl_oauth_client_id = "my client";
  c.sasl_oauth_client_secret = "s3cr3t&x";
  c.sasl_oauth_token_url = url;
  c.sasl_oauth_scopes = {"read", "write"};
  c.sasl_oauth_parameters = {{"audience", "development"}};
  c.sasl_oauth_token_expiry_margin = absl::Seconds(30);
  return c;
}

TEST(OAuthTest, RequestBodyIsFormEncoded) {
  EXPECT_EQ(OAuthRequestBody(OAuthConfig("http://x")),
            "grant_type=client_credentials&client_id=my+client&client_secret=s3cr3t%26x&"
            "scope=read+write&audience=development");
}

TEST(OAuthTest, ClientCredentialsFetch) {
  HttpServer server([](const std::string&) {
    return std::make_pair(200, std::string(R"({"access_token":"eyJ.abc.def","token_type":"Bearer",)"
                                           R"("expires_in":3600,"scope":["read"]})"));
  });
  const absl::Time before = absl::Now();
  absl::StatusOr<OAuthToken> t = FetchOAuthToken(OAuthConfig(server.Url("/oauth/token")));
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(t->access_token, "eyJ.abc.def");
  EXPECT_GE(t->expiry, before + absl::Seconds(3600));
  EXPECT_LE(t->expiry, absl::Now() + absl::Seconds(3600));
  EXPECT_EQ(t->refresh_at, t->expiry - absl::Seconds(30));  // expiry minus the margin
  EXPECT_EQ(server.requests(), 1);
  const std::string req = server.last_request();
  EXPECT_THAT(req, HasSubstr("POST /oauth/token HTTP/1.1\r\n"));
  EXPECT_THAT(req, HasSubstr("Content-Type: application/x-www-form-urlencoded"));
  EXPECT_THAT(req, HasSubstr("\r\n\r\ngrant_type=client_credentials&client_id=my+client&"
                             "client_secret=s3cr3t%26x&scope=read+write&audience=development"));
}

TEST(OAuthTest, HttpErrorsDoNotLeakTheSecret) {
  HttpServer server([](const std::string&) {
    return std::make_pair(401, std::string(R"({"error":"invalid_client"})"));
  });
  const std::string url = server.Url("/token");
  absl::StatusOr<OAuthToken> t = FetchOAuthToken(OAuthConfig(url));
  EXPECT_THAT(t, StatusIs(absl::StatusCode::kUnavailable,
                          absl::StrCat("kafka: OAuth token request to ", url,
                                       " answered HTTP 401 (error \"invalid_client\")")));
  EXPECT_THAT(t.status().message(), Not(HasSubstr("s3cr3t")));
}

TEST(OAuthTest, AnswerWithoutTokenIsAnError) {
  HttpServer server([](const std::string&) {
    return std::make_pair(200, std::string(R"({"token_type":"Bearer"})"));
  });
  const std::string url = server.Url("/token");
  EXPECT_THAT(
      FetchOAuthToken(OAuthConfig(url)),
      StatusIs(absl::StatusCode::kInvalidArgument,
               absl::StrCat("kafka: OAuth token answer from ", url, " has no access_token")));
}

TEST(OAuthTest, UnreachableEndpoint) {
  EXPECT_THAT(
      FetchOAuthToken(OAuthConfig("http://127.0.0.1:1/token"), absl::Seconds(2)),
      StatusIs(absl::StatusCode::kUnavailable,
               HasSubstr("kafka: OAuth token request to http://127.0.0.1:1/token failed: ")));
}

TEST(OAuthTest, StaticToken) {
  ClusterConfig c;
  c.sasl_mechanism = "OAUTHBEARER";
  c.sasl_access_token = "static";
  absl::StatusOr<OAuthToken> t = FetchOAuthToken(c);
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(t->access_token, "static");
  EXPECT_EQ(t->expiry, absl::InfiniteFuture());
  EXPECT_GT(t->refresh_at, absl::Now() + absl::Hours(24 * 300));
}

TEST(OAuthTest, ProducerFetchesTheTokenThroughTheRefreshCallback) {
  // The mock cluster has no SASL, so the connection itself cannot succeed; what is checked is
  // that librdkafka's token-refresh callback runs our client-credentials fetch.
  HttpServer server([](const std::string&) {
    return std::make_pair(200, std::string(R"({"access_token":"tok-1","expires_in":120})"));
  });
  auto mc = EmbeddedCluster::Create(1);
  ASSERT_THAT(mc, IsOk());
  ClusterConfig c = OAuthConfig(server.Url("/token"));
  c.brokers = {(*mc)->bootstraps()};
  LogCollector log;
  ProducerOptions o;
  o.log = log.Fn();
  auto p = Producer::Create(c, o);
  ASSERT_THAT(p, IsOk());
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (server.requests() == 0 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(20));
  EXPECT_GE(server.requests(), 1);
  EXPECT_THAT(server.last_request(), HasSubstr("client_id=my+client"));
  absl::SleepFor(absl::Milliseconds(200));
  EXPECT_THAT(log.All(), HasSubstr("kafka: cluster \"oauth\": OAuth token refreshed, valid until"));
  EXPECT_THAT(log.All(), Not(HasSubstr("tok-1")));
  EXPECT_THAT(log.All(), Not(HasSubstr("s3cr3t")));
  (*p)->Close(absl::Milliseconds(100));
}

TEST(OAuthTest, ProducerReportsTokenFetchFailure) {
  HttpServer server([](const std::string&) { return std::make_pair(500, std::string("{}")); });
  ClusterConfig c = OAuthConfig(server.Url("/token"));
  LogCollector log;
  ProducerOptions o;
  o.log = log.Fn();
  auto p = Producer::Create(c, o);
  ASSERT_THAT(p, IsOk());
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (server.requests() == 0 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(20));
  absl::SleepFor(absl::Milliseconds(200));
  EXPECT_THAT(log.Lines(LogLevel::kError),
              ::testing::Contains(absl::StrCat("kafka: OAuth token request to ",
                                               server.Url("/token"), " answered HTTP 500")));
  (*p)->Close(absl::Milliseconds(100));
}

}  // namespace
}  // namespace tick::kafka
