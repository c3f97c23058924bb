#pragma once
// TokenCache gets OAuth 2 access tokens with the client-credentials grant (RFC 6749 §4.4) through
// an HttpClient, for webhook targets that want "Authorization: Bearer <token>". A token is kept
// per (token_url, client_id, scope) until shortly before it expires; concurrent Gets for a key
// share one fetch. A failed fetch fails every caller waiting for it and is not remembered, so the
// next Get tries again.
//
// Get and Invalidate are safe from any thread. Callbacks run on the HttpClient's thread (cached
// answers are posted there through HttpClient::Post), never under the cache's lock. The cache
// must outlive the client's thread: stop the client before destroying the cache (Stop fails the
// fetches still running, with "stopped").

#include <chrono>
#include <expected>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/time.h"
#include "webhook/http_client.h"

namespace smsgw::webhook {

struct TokenKey {
  std::string token_url;
  std::string client_id;
  std::string client_secret;  // not part of the key's identity
  std::string scope;          // sent when not empty

  auto Identity() const { return std::tie(token_url, client_id, scope); }
};

class TokenCache {
 public:
  struct Options {
    // A token is used until `expires_in` minus the smaller of `margin` and a tenth of expires_in.
    std::chrono::seconds margin{30};
    // Lifetime assumed when the answer has no expires_in (RFC 6749 §5.1 only recommends it).
    std::chrono::seconds default_expires_in{300};
  };
  // The access token, or why none could be had (short, for logs and the attempt record).
  using Callback = std::function<void(std::expected<std::string, std::string>)>;

  TokenCache(HttpClient& client, const core::Clock& clock, Options options);
  TokenCache(HttpClient& client, const core::Clock& clock) : TokenCache(client, clock, Options{}) {}

  // Hands a valid token for `key` to `done`, fetching one when none is cached.
  void Get(const TokenKey& key, Callback done);
  // Forgets the cached token for `key`, after the target answered 401 with it. With
  // `rejected_token` given, a token fetched since (a different one) is kept.
  void Invalidate(const TokenKey& key, std::string_view rejected_token = {});

 private:
  using Identity = std::tuple<std::string, std::string, std::string>;
  struct Entry {
    std::string token;  // empty while none is valid
    core::TimePoint use_until;
    bool fetching = false;
    std::vector<Callback> waiting;
  };

  void Fetch(const TokenKey& key);
  void Fetched(const Identity& id,
               std::expected<std::pair<std::string, std::chrono::seconds>, std::string> outcome);

  HttpClient& client_;
  const core::Clock& clock_;
  const Options options_;

  std::mutex mu_;
  std::map<Identity, Entry> entries_;
};

// Parses a token endpoint's answer (RFC 6749 §5.1 and §5.2): the access token and its lifetime
// (`default_expires_in` when absent), or a short reason. Exposed for tests.
std::expected<std::pair<std::string, std::chrono::seconds>, std::string> ParseTokenAnswer(
    const HttpResult& result, std::chrono::seconds default_expires_in);

}  // namespace smsgw::webhook
