// File: kafka/oauth.h
//
// OAUTHBEARER tokens for librdkafka's token-refresh callback.
//   * static: `sasl-access-token` is handed to librdkafka as is (lifetime: 1 year);
//   * client credentials (sasl-oauth-service ""/custom, auth0, azuread): tickrun POSTs
//     `grant_type=client_credentials&client_id=..&client_secret=..[&scope=a b][&<param>=<v>...]`
//     (form-encoded; auth0's `audience` is one of the sasl-oauth-parameters) to
//     OAuthTokenUrl(config) with libcurl, and reads `access_token` and `expires_in` from the JSON
//     answer. The token is handed to librdkafka with lifetime = expiry - expiry margin;
//     librdkafka calls the refresh callback again before that lifetime ends.
// Secrets never appear in returned error messages.
#ifndef TICK_KAFKA_OAUTH_H_
#define TICK_KAFKA_OAUTH_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "kafka/config.h"

namespace tick::kafka {

struct OAuthToken {
  std::string access_token;
  absl::Time expiry;      // as reported by the server (now + expires_in), or InfiniteFuture
  absl::Time refresh_at;  // expiry - sasl-oauth-token-expiry-margin (lifetime given to librdkafka)
};

// Fetches (client credentials) or returns (static token) the current token for `config`.
// kUnavailable on transport/HTTP errors (message has the URL and HTTP status, not the secret),
// kInvalidArgument when the answer has no access_token.
absl::StatusOr<OAuthToken> FetchOAuthToken(const ClusterConfig& config,
                                           absl::Duration http_timeout = absl::Seconds(10));

// The form-encoded request body (exposed for tests; contains the secret — never log it).
std::string OAuthRequestBody(const ClusterConfig& config);

}  // namespace tick::kafka

#endif  // TICK_KAFKA_OAUTH_H_
