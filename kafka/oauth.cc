// File: kafka/oauth.cc
//
// OAUTHBEARER client-credentials token fetch with libcurl (see kafka/oauth.h).
#include "kafka/oauth.h"

#include <curl/curl.h>

#include <cctype>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace tick::kafka {
namespace {

void AppendFormEncoded(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~') {
      out.push_back(static_cast<char>(ch));
    } else if (ch == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[ch >> 4]);
      out.push_back(kHex[ch & 15]);
    }
  }
}

void AddField(std::string& out, std::string_view k, std::string_view v) {
  if (!out.empty()) out.push_back('&');
  AppendFormEncoded(out, k);
  out.push_back('=');
  AppendFormEncoded(out, v);
}

// A minimal reader for the flat JSON object of an OAuth token answer.
class JsonScanner {
 public:
  explicit JsonScanner(std::string_view s) : s_(s) {}

  // Returns the top-level member `key` as a string (numbers are returned as their text).
  std::optional<std::string> Member(std::string_view key) {
    i_ = 0;
    Ws();
    if (!Eat('{')) return std::nullopt;
    while (true) {
      Ws();
      if (Eat('}')) return std::nullopt;
      std::optional<std::string> k = String();
      if (!k) return std::nullopt;
      Ws();
      if (!Eat(':')) return std::nullopt;
      Ws();
      std::optional<std::string> v = Value();
      if (!v) return std::nullopt;
      if (*k == key) return v;
      Ws();
      if (Eat(',')) continue;
      return std::nullopt;
    }
  }

 private:
  void Ws() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool Eat(char c) {
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  std::optional<std::string> String() {
    if (!Eat('"')) return std::nullopt;
    std::string out;
    while (i_ < s_.size()) {
      char c = s_[i_++];
      if (c == '"') return out;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (i_ >= s_.size()) return std::nullopt;
      char e = s_[i_++];
      switch (e) {
        case 'n':
          out.push_back('\n');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'u': {
          if (i_ + 4 > s_.size()) return std::nullopt;
          unsigned cp = static_cast<unsigned>(
              std::strtoul(std::string(s_.substr(i_, 4)).c_str(), nullptr, 16));
          i_ += 4;
          if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
          } else if (cp < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          } else {
            out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          }
          break;
        }
        default:
          out.push_back(e);
      }
    }
    return std::nullopt;
  }
  // Scalars as text; objects/arrays skipped (returned as "").
  std::optional<std::string> Value() {
    if (i_ >= s_.size()) return std::nullopt;
    char c = s_[i_];
    if (c == '"') return String();
    if (c == '{' || c == '[') {
      int depth = 0;
      bool in_str = false;
      for (; i_ < s_.size(); ++i_) {
        char d = s_[i_];
        if (in_str) {
          if (d == '\\') {
            ++i_;
          } else if (d == '"') {
            in_str = false;
          }
        } else if (d == '"') {
          in_str = true;
        } else if (d == '{' || d == '[') {
          ++depth;
        } else if (d == '}' || d == ']') {
          if (--depth == 0) {
            ++i_;
            return std::string();
          }
        }
      }
      return std::nullopt;
    }
    size_t start = i_;
    while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '}' &&
           !std::isspace(static_cast<unsigned char>(s_[i_]))) {
      ++i_;
    }
    return std::string(s_.substr(start, i_ - start));
  }

  std::string_view s_;
  size_t i_ = 0;
};

size_t CurlWrite(char* ptr, size_t size, size_t nmemb, void* userdata) {
  auto* out = static_cast<std::string*>(userdata);
  out->append(ptr, size * nmemb);
  if (out->size() > (1u << 20)) return 0;  // refuse absurd answers
  return size * nmemb;
}

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

std::string OAuthRequestBody(const ClusterConfig& config) {
  std::string body;
  AddField(body, "grant_type", "client_credentials");
  AddField(body, "client_id", config.sasl_oauth_client_id);
  AddField(body, "client_secret", config.sasl_oauth_client_secret);
  if (!config.sasl_oauth_scopes.empty()) {
    AddField(body, "scope", absl::StrJoin(config.sasl_oauth_scopes, " "));
  }
  for (const auto& [k, v] : config.sasl_oauth_parameters) AddField(body, k, v);
  return body;
}

absl::StatusOr<OAuthToken> FetchOAuthToken(const ClusterConfig& config,
                                           absl::Duration http_timeout) {
  const absl::Time now = absl::Now();
  if (!config.sasl_access_token.empty()) {
    return OAuthToken{config.sasl_access_token, absl::InfiniteFuture(),
                      now + absl::Hours(24 * 365)};
  }
  const std::string url = OAuthTokenUrl(config);
  if (url.empty()) return absl::InvalidArgumentError("kafka: no OAuth token URL configured");
  GlobalInitOnce();
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return absl::InternalError("kafka: curl_easy_init failed");
  const std::string body = OAuthRequestBody(config);
  std::string answer;
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_slist* headers = curl_slist_append(nullptr, "Accept: application/json");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &CurlWrite);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(http_timeout)));
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  const CURLcode rc = curl_easy_perform(curl);
  long http_status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &http_status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    return absl::UnavailableError(absl::StrCat("kafka: OAuth token request to ", url, " failed: ",
                                               errbuf[0] ? errbuf : curl_easy_strerror(rc)));
  }
  JsonScanner json(answer);
  if (http_status < 200 || http_status >= 300) {
    std::string detail;
    if (std::optional<std::string> e = json.Member("error")) {
      detail = absl::StrCat(" (error \"", e->substr(0, 100), "\")");
    }
    return absl::UnavailableError(absl::StrCat("kafka: OAuth token request to ", url,
                                               " answered HTTP ", http_status, detail));
  }
  std::optional<std::string> token = json.Member("access_token");
  if (!token || token->empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("kafka: OAuth token answer from ", url, " has no access_token"));
  }
  absl::Duration lifetime = absl::Hours(1);
  if (std::optional<std::string> e = json.Member("expires_in")) {
    char* end = nullptr;
    const double secs = std::strtod(e->c_str(), &end);
    if (end != e->c_str() && secs > 0) lifetime = absl::Seconds(secs);
  }
  OAuthToken out;
  out.access_token = std::move(*token);
  out.expiry = now + lifetime;
  out.refresh_at =
      std::max(now + absl::Seconds(1), out.expiry - config.sasl_oauth_token_expiry_margin);
  return out;
}

}  // namespace tick::kafka
