#include "webhook/token_cache.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "core/json.h"
#include "webhook/basic_auth.h"

namespace smsgw::webhook {

namespace {

// application/x-www-form-urlencoded (WHATWG URL §5.2): unreserved bytes stay, space becomes '+'.
std::string FormEncode(std::string_view in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(in.size());
  for (const char ch : in) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += ch;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

// Token answers carry JWTs of several kilobytes; the client's default limit is for webhooks.
constexpr size_t kMaxTokenAnswer = 64 * 1024;

}  // namespace

std::expected<std::pair<std::string, std::chrono::seconds>, std::string> ParseTokenAnswer(
    const HttpResult& result, std::chrono::seconds default_expires_in) {
  if (!result.error.empty()) {
    return std::unexpected("token endpoint: " + result.error);
  }
  rapidjson::Document doc;
  const bool is_object = core::ParseJson(result.body, doc) && doc.IsObject();
  if (result.status < 200 || result.status > 299) {
    std::string reason = "token endpoint answered " + std::to_string(result.status);
    // RFC 6749 §5.2: {"error":"invalid_client", ...}
    if (is_object && doc.HasMember("error") && doc["error"].IsString()) {
      reason += std::string(" ") + doc["error"].GetString();
    }
    return std::unexpected(std::move(reason));
  }
  if (!is_object) {
    return std::unexpected("token answer is not a JSON object");
  }
  if (!doc.HasMember("access_token") || !doc["access_token"].IsString() ||
      doc["access_token"].GetStringLength() == 0) {
    return std::unexpected("token answer has no access_token");
  }
  std::chrono::seconds lifetime = default_expires_in;
  if (doc.HasMember("expires_in")) {
    const rapidjson::Value& v = doc["expires_in"];
    double seconds = 0;
    if (v.IsNumber()) {
      seconds = v.GetDouble();
    } else if (v.IsString()) {  // some providers send "3600"
      int64_t parsed = 0;
      const char* s = v.GetString();
      const auto [end, ec] = std::from_chars(s, s + v.GetStringLength(), parsed);
      if (ec == std::errc() && end == s + v.GetStringLength()) {
        seconds = static_cast<double>(parsed);
      }
    }
    if (seconds >= 1 && seconds < 1e9) {
      lifetime = std::chrono::seconds(static_cast<int64_t>(std::floor(seconds)));
    }
  }
  return std::pair{
      std::string(doc["access_token"].GetString(), doc["access_token"].GetStringLength()),
      lifetime};
}

TokenCache::TokenCache(HttpClient& client, const core::Clock& clock, Options options)
    : client_(client), clock_(clock), options_(options) {}

void TokenCache::Get(const TokenKey& key, Callback done) {
  const Identity id{key.token_url, key.client_id, key.scope};
  {
    std::unique_lock lock(mu_);
    Entry& e = entries_[id];
    if (!e.token.empty() && clock_.Now() < e.use_until) {
      std::string token = e.token;
      lock.unlock();
      client_.Post([done = std::move(done), token = std::move(token)] { done(token); });
      return;
    }
    e.token.clear();
    e.waiting.push_back(std::move(done));
    if (e.fetching) {
      return;
    }
    e.fetching = true;
  }
  Fetch(key);
}

void TokenCache::Invalidate(const TokenKey& key, std::string_view rejected_token) {
  std::lock_guard lock(mu_);
  const auto it = entries_.find(Identity{key.token_url, key.client_id, key.scope});
  if (it == entries_.end()) {
    return;
  }
  Entry& e = it->second;
  if (rejected_token.empty() || e.token == rejected_token) {
    e.token.clear();
  }
  if (e.token.empty() && !e.fetching) {
    entries_.erase(it);
  }
}

void TokenCache::Fetch(const TokenKey& key) {
  HttpRequest request;
  request.method = "POST";
  request.url = key.token_url;
  request.max_response_body = kMaxTokenAnswer;
  // RFC 6749 §2.3.1: Basic auth with the form-encoded id and secret; the same two in the body
  // too, since some providers read only one of the two places.
  request.headers = {
      {"Content-Type", "application/x-www-form-urlencoded"},
      {"Accept", "application/json"},
      {"Authorization",
       BasicAuthorization(FormEncode(key.client_id), FormEncode(key.client_secret))},
  };
  request.body = "grant_type=client_credentials&client_id=" + FormEncode(key.client_id) +
                 "&client_secret=" + FormEncode(key.client_secret);
  if (!key.scope.empty()) {
    request.body += "&scope=" + FormEncode(key.scope);
  }
  Identity id{key.token_url, key.client_id, key.scope};
  client_.Submit(std::move(request), [this, id = std::move(id)](HttpResult result) {
    Fetched(id, ParseTokenAnswer(result, options_.default_expires_in));
  });
}

void TokenCache::Fetched(
    const Identity& id,
    std::expected<std::pair<std::string, std::chrono::seconds>, std::string> outcome) {
  std::vector<Callback> waiting;
  {
    std::lock_guard lock(mu_);
    const auto it = entries_.find(id);
    if (it != entries_.end()) {
      Entry& e = it->second;
      waiting = std::move(e.waiting);
      e.waiting.clear();
      e.fetching = false;
      if (outcome) {
        const std::chrono::seconds lifetime = outcome->second;
        const std::chrono::seconds margin = std::min(options_.margin, lifetime / 10);
        e.token = outcome->first;
        e.use_until = clock_.Now() + (lifetime - margin);
      } else {
        entries_.erase(it);
      }
    }
  }
  for (Callback& done : waiting) {
    if (outcome) {
      done(outcome->first);
    } else {
      done(std::unexpected(outcome.error()));
    }
  }
}

}  // namespace smsgw::webhook
