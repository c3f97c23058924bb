#include "console/console_handler.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <initializer_list>
#include <iterator>
#include <utility>

#include "api/async_bridge.h"
#include "api/http_server.h"
#include "api/key_auth.h"
#include "api/responses.h"
#include "api/router.h"
#include "console/assets.h"
#include "console/errors.h"
#include "core/json.h"
#include "core/strings.h"

namespace smsgw::console {
namespace {

namespace beast = api::beast;
namespace http = api::http;
using api::Request;
using api::Response;

constexpr std::string_view kPrefix = "/console";
constexpr std::string_view kSessionCookie = "smsgw_console";
constexpr std::string_view kPreSessionCsrfCookie = "smsgw_console_csrf";
constexpr std::string_view kCsrfHeader = "X-CSRF-Token";
// The page loads its own script and stylesheet and talks to its own origin; nothing inline,
// nothing from elsewhere, never framed.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
// The /ext/v1 endpoints the console offers, by their first path segment. The rest of /ext/v1
// (webhook secret, opt-outs, country caps, the outbox list) has no page yet, so no way in;
// `webhooks` reaches only a message's webhook replay (see Endpoint).
constexpr std::string_view kEndpointFamilies[] = {
    "messages", "templates", "senders", "callback-profiles", "inbound-numbers", "webhooks"};
// Ids are uuids, template ids, sender IDs, URL-encoded: nothing longer is read.
constexpr size_t kMaxEndpointPath = 256;
// A SID, an API key or a password longer than this is wrong without a look-up.
constexpr size_t kMaxSignInField = 512;

void SecureHeaders(Response& res) {
  res.set("Content-Security-Policy",
          beast::string_view(kContentSecurityPolicy.data(), kContentSecurityPolicy.size()));
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "no-referrer");
  if (res.find(http::field::cache_control) == res.end()) {
    res.set(http::field::cache_control, "no-store");
  }
}

bool MethodIn(const Request& request, std::initializer_list<http::verb> allowed) {
  for (http::verb v : allowed) {
    if (request.method() == v) {
      return true;
    }
  }
  return false;
}

// The value of cookie `name` in the request's Cookie header (RFC 6265 §5.4: "a=1; b=2"), or empty.
std::string_view CookieValue(const Request& request, std::string_view name) {
  std::string_view header = api::HeaderValue(request, "cookie");
  while (!header.empty()) {
    const size_t semi = header.find(';');
    std::string_view pair = core::TrimAscii(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return pair.substr(eq + 1);
    }
  }
  return {};
}

std::string SessionJson(const std::string* sid, std::string_view csrf) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("signed_in");
  w.Bool(sid != nullptr);
  if (sid != nullptr) {
    w.Key("sid");
    w.String(sid->data(), static_cast<rapidjson::SizeType>(sid->size()));
  }
  w.Key("csrf");
  w.String(csrf.data(), static_cast<rapidjson::SizeType>(csrf.size()));
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

// A string member of a JSON object, or empty when absent or not a string.
std::string_view StringMember(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) {
    return {};
  }
  return {it->value.GetString(), it->value.GetStringLength()};
}

}  // namespace

ConsoleHandler::ConsoleHandler(ConsoleOptions options, Sessions& sessions, api::Authenticator& auth,
                               ConsoleApis apis, api::asio::thread_pool& store_pool)
    : options_(options), sessions_(sessions), auth_(auth), apis_(apis), store_pool_(store_pool) {}

bool ConsoleHandler::Owns(std::string_view path) {
  return path == kPrefix ||
         (path.starts_with(kPrefix) && path.substr(kPrefix.size()).starts_with('/'));
}

api::asio::awaitable<Response> ConsoleHandler::Handle(const Request& request) {
  const std::string_view target(request.target().data(), request.target().size());
  const size_t qmark = target.find('?');
  const std::string_view path = target.substr(0, qmark);
  const std::string_view query =
      qmark == std::string_view::npos ? std::string_view() : target.substr(qmark + 1);
  Response res = co_await Answer(request, path.substr(kPrefix.size()), query);
  SecureHeaders(res);
  co_return res;
}

std::string ConsoleHandler::Cookie(std::string_view name, std::string_view value,
                                   std::optional<std::chrono::seconds> max_age) const {
  std::string cookie(name);
  cookie += '=';
  cookie += value;
  cookie += "; Path=/console; HttpOnly; SameSite=Strict";
  if (max_age) {
    cookie += "; Max-Age=" + std::to_string(max_age->count());
  }
  if (options_.secure_cookies) {
    cookie += "; Secure";
  }
  return cookie;
}

api::asio::awaitable<Response> ConsoleHandler::Answer(const Request& request, std::string_view path,
                                                      std::string_view query) {
  if (path.empty()) {
    Response res{http::status::permanent_redirect, request.version()};
    res.set(http::field::location, "/console/");
    co_return res;
  }
  if (!path.starts_with("/api/")) {
    co_return ServeAsset(request, path);
  }
  const std::string_view rest = path.substr(5);
  if (rest == "session") {
    if (!MethodIn(request, {http::verb::get, http::verb::post, http::verb::delete_})) {
      co_return MethodNotAllowed("GET, POST, DELETE");
    }
    if (request.method() == http::verb::get) {
      co_return co_await SessionState(request);
    }
    if (request.method() == http::verb::post) {
      co_return co_await SignIn(request);
    }
  }
  const std::string_view token = CookieValue(request, kSessionCookie);
  auto live = co_await LiveSession(token);
  if (!live) {
    co_return ErrorJson(503, "E503", "The store is unavailable; try again.");
  }
  if (!*live) {
    co_return ErrorJson(401, "E401", "Not signed in.");
  }
  const Sessions::Session* session = &(*live)->session;
  // Every method that may change something: the registries edit with PUT and PATCH too.
  if (!MethodIn(request, {http::verb::get, http::verb::head}) &&
      !SecretsEqual(api::HeaderValue(request, kCsrfHeader), session->csrf)) {
    co_return ErrorJson(403, "E403", "The request lacks the page's CSRF token.");
  }
  if (rest == "session") {
    co_return SignOut(request, token);
  }
  if (rest == "keys" || rest.starts_with("keys/")) {
    co_return co_await apis_.keys.Handle(request, rest, session->sid, session->key_hash);
  }
  if (rest == "text-info" || rest == "send") {
    co_return co_await apis_.sends.Handle(request, rest, (*live)->identity);
  }
  if (rest == "delivery") {
    co_return co_await apis_.delivery.Handle(request, query, session->sid);
  }
  co_return co_await Endpoint(request, rest, query, session->sid);
}

api::asio::awaitable<core::Result<std::optional<ConsoleHandler::SignedIn>>>
ConsoleHandler::LiveSession(std::string_view token) {
  std::optional<Sessions::Session> session = sessions_.Find(token);
  if (!session) {
    co_return std::nullopt;
  }
  if (session->key_hash.starts_with(kPasswordSessionPrefix)) {
    // Signed in with the console password: live while the account's password is that one.
    auto resolved = co_await apis_.passwords.Resolve(session->sid, session->key_hash);
    if (!resolved) {
      SPDLOG_ERROR("console: password lookup failed: {}", resolved.error().message);
      co_return std::unexpected(std::move(resolved.error()));
    }
    if (!*resolved) {
      sessions_.Remove(token);
      co_return std::nullopt;
    }
    co_return SignedIn{std::move(*session), std::move(**resolved)};
  }
  // Revoked (on the keys page, or by `smsgw key revoke`): the session ends with its key.
  // From the Authenticator's cache, as the API's api-key header; the store only on a miss.
  const api::Authenticator::Lookup lookup = auth_.Find(session->key_hash);
  std::optional<api::Authenticator::Identity> identity = lookup.identity;
  if (!lookup.cached) {
    auto resolved = co_await api::RunBlocking(
        store_pool_, [&] { return auth_.ResolveBlocking(session->key_hash); });
    if (!resolved) {
      SPDLOG_ERROR("console: key lookup failed: {}", resolved.error().message);
      co_return std::unexpected(std::move(resolved.error()));
    }
    identity = std::move(*resolved);
  }
  if (!identity || identity->sid != session->sid) {
    sessions_.Remove(token);
    co_return std::nullopt;
  }
  co_return SignedIn{std::move(*session), std::move(*identity)};
}

Response ConsoleHandler::ServeAsset(const Request& request, std::string_view path) const {
  if (request.method() != http::verb::get) {
    return MethodNotAllowed("GET");
  }
  const Asset* asset = FindAsset(path == "/" ? "index.html" : path.substr(1));
  if (asset == nullptr) {
    return ErrorJson(404, "E404", "Not found.");
  }
  Response res{http::status::ok, request.version()};
  res.set(http::field::server, "smsgw");
  res.set(http::field::etag, beast::string_view(asset->etag.data(), asset->etag.size()));
  // Revalidated each time: the names carry no version, and a 304 costs one round trip.
  res.set(http::field::cache_control, "no-cache");
  if (api::HeaderValue(request, "if-none-match") == asset->etag) {
    res.result(http::status::not_modified);
    return res;
  }
  res.set(http::field::content_type,
          beast::string_view(asset->content_type.data(), asset->content_type.size()));
  res.body() = std::string(asset->body);
  return res;
}

api::asio::awaitable<Response> ConsoleHandler::SessionState(const Request& request) {
  // Signed in: the session's CSRF token (a reloaded page has lost it). Otherwise the pre-session
  // token that sign-in must echo: the cookie's if it is still well formed, else a new one.
  auto live = co_await LiveSession(CookieValue(request, kSessionCookie));
  if (!live) {
    co_return ErrorJson(503, "E503", "The store is unavailable; try again.");
  }
  if (*live) {
    const Sessions::Session& session = (*live)->session;
    co_return api::JsonResponse(200, SessionJson(&session.sid, session.csrf));
  }
  std::string csrf(CookieValue(request, kPreSessionCsrfCookie));
  if (!LooksLikeToken(csrf)) {
    csrf = Sessions::NewSecret();
  }
  Response res = api::JsonResponse(200, SessionJson(nullptr, csrf));
  res.set(http::field::set_cookie, Cookie(kPreSessionCsrfCookie, csrf, std::nullopt));
  co_return res;
}

api::asio::awaitable<Response> ConsoleHandler::SignIn(const Request& request) {
  const std::string_view expected = CookieValue(request, kPreSessionCsrfCookie);
  if (!LooksLikeToken(expected) ||
      !SecretsEqual(api::HeaderValue(request, kCsrfHeader), expected)) {
    co_return ErrorJson(403, "E403", "The request lacks the page's CSRF token.");
  }
  if (!api::HeaderValue(request, "content-type").starts_with("application/json")) {
    co_return ErrorJson(415, "E415", "Sign in with a JSON body.");
  }
  rapidjson::Document body;
  if (!core::ParseJson(request.body(), body, core::kJsonValidateUtf8) || !body.IsObject()) {
    co_return ErrorJson(400, "E400",
                        "Sign in with a JSON object: {\"sid\", \"api_key\" or \"password\"}.");
  }
  const std::string_view sid = StringMember(body, "sid");
  const std::string_view key = StringMember(body, "api_key");
  const std::string_view password = StringMember(body, "password");
  if (sid.empty() || (key.empty() == password.empty())) {
    co_return ErrorJson(400, "E400", "Enter the account SID and an API key or the password.");
  }
  if (sid.size() > kMaxSignInField || key.size() > kMaxSignInField ||
      password.size() > kMaxSignInField) {
    co_return ErrorJson(401, "E401", "The SID or API key is not right.");
  }
  // The TCP peer, as the listener set it (never the client's own header).
  const std::string_view source = api::HeaderValue(request, api::kPeerAddressHeader);
  if (const auto wait = apis_.limiter.Refused(source, sid)) {
    Response res = ErrorJson(
        429, "E429",
        "Too many failed sign-ins; try again in " + std::to_string(wait->count()) + " seconds.");
    res.set(http::field::retry_after, std::to_string(wait->count()));
    co_return res;
  }
  std::optional<api::Authenticator::Identity> signed_in;
  std::string session_key;
  if (!password.empty()) {
    auto checked = co_await apis_.passwords.Check(std::string(sid), std::string(password));
    if (!checked) {
      SPDLOG_ERROR("console sign-in: password lookup failed: {}", checked.error().message);
      co_return ErrorJson(503, "E503", "The store is unavailable; try again.");
    }
    if (*checked) {
      signed_in = std::move((*checked)->identity);
      session_key = std::move((*checked)->session_key);
    }
  } else {
    auto identity = co_await api::IdentifyKey(auth_, store_pool_, key);
    if (!identity) {
      SPDLOG_ERROR("console sign-in: key lookup failed: {}", identity.error().message);
      co_return ErrorJson(503, "E503", "The store is unavailable; try again.");
    }
    if (*identity && (*identity)->sid == sid) {
      signed_in = std::move(**identity);
      session_key = core::Sha256Hex(key);
    }
  }
  // One answer for an unknown key and for a key of another account: which SIDs exist is no one's
  // business before sign-in.
  if (!signed_in) {
    apis_.limiter.Failed(source, sid);
    co_return ErrorJson(401, "E401",
                        password.empty() ? "The SID or API key is not right."
                                         : "The SID or password is not right.");
  }
  const std::optional<api::Authenticator::Identity>& identity = signed_in;
  Sessions::Created created = sessions_.Create(identity->sid, std::move(session_key));
  Response res = api::JsonResponse(200, SessionJson(&identity->sid, created.csrf));
  res.insert(http::field::set_cookie,
             Cookie(kSessionCookie, created.token, options_.cookie_max_age));
  // The pre-session token has done its job.
  res.insert(http::field::set_cookie, Cookie(kPreSessionCsrfCookie, "", std::chrono::seconds(0)));
  co_return res;
}

Response ConsoleHandler::SignOut(const Request& request, std::string_view token) {
  sessions_.Remove(token);
  Response res = api::NoContentResponse(request.version());
  res.set(http::field::set_cookie, Cookie(kSessionCookie, "", std::chrono::seconds(0)));
  return res;
}

api::asio::awaitable<Response> ConsoleHandler::Endpoint(const Request& request,
                                                        std::string_view rest,
                                                        std::string_view query,
                                                        const std::string& sid) {
  const std::string_view family = rest.substr(0, rest.find('/'));
  if (rest.size() > kMaxEndpointPath ||
      std::ranges::find(kEndpointFamilies, family) == std::end(kEndpointFamilies)) {
    co_return ErrorJson(404, "E404", "Not found.");
  }
  // The API's router on the API's path: the same methods, ids and percent-decoding. The SID is
  // the session's, and a segment cannot hold a '/', so the route cannot name another account;
  // checked anyway, as the one thing this must never get wrong.
  std::string ext_path = "/ext/v1/";
  ext_path += sid;
  ext_path += '/';
  ext_path += rest;
  const api::Route route = api::MatchRoute(request.method(), ext_path);
  if (route.kind == api::Route::kMethodNotAllowed) {
    co_return MethodNotAllowed(route.allow);
  }
  if (route.sid != sid) {
    co_return ErrorJson(404, "E404", "Not found.");
  }
  switch (route.kind) {
    case api::Route::kMessages:
    case api::Route::kMessage:
    case api::Route::kCancelMessage:
      co_return co_await apis_.messages.Handle(route, query);
    case api::Route::kTemplates:
    case api::Route::kTemplate:
    case api::Route::kSenders:
    case api::Route::kSender:
    case api::Route::kRegisterSenders:
      co_return co_await apis_.registries.Handle(route, request, query);
    case api::Route::kCallbackProfiles:
    case api::Route::kCallbackProfile:
    case api::Route::kCallbackTest:  // the page's "Send test webhook"
    case api::Route::kInboundNumbers:
    case api::Route::kInboundNumber:
    case api::Route::kReplayWebhook:  // the message page's Replay; not the list or the secret
      co_return co_await apis_.webhooks.Handle(route, request, query);
    default:
      co_return ErrorJson(404, "E404", "Not found.");
  }
}

api::asio::awaitable<Response> ListenerHandler::Handle(api::Request request) {
  const std::string_view target(request.target().data(), request.target().size());
  if (ConsoleHandler::Owns(target.substr(0, target.find('?')))) {
    co_return co_await console_.Handle(request);
  }
  co_return co_await api_.Handle(std::move(request));
}

size_t ListenerHandler::BodyLimit(const api::http::request_header<>& header,
                                  size_t configured) const {
  const std::string_view target(header.target().data(), header.target().size());
  if (ConsoleHandler::Owns(target.substr(0, target.find('?')))) {
    return std::min(configured, kMaxConsoleBodyBytes);
  }
  return api_.BodyLimit(header, configured);
}

}  // namespace smsgw::console
