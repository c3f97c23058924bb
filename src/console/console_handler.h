#pragma once
// ConsoleHandler serves the web console (docs/console.md) under /console on the API's listener:
// the page and its bundle (embedded in the binary: assets.h), and the JSON the page reads and
// writes under /console/api:
//   GET    /console/api/session                   {"signed_in", "sid"?, "csrf"}
//   POST   /console/api/session                   sign in: {"sid", "api_key" or "password"}
//   DELETE /console/api/session                   sign out
//   GET    /console/api/messages?…                the message log (/ext/v1's filters and paging)
//   GET    /console/api/messages/{id}             one message: parts, history, webhooks
//   POST   /console/api/messages/{id}/cancel      cancel a queued or scheduled message
//   …      /console/api/templates[/{id}], senders[/{sender}], callback-profiles[/{id}[/test]],
//          inbound-numbers[/{id}]                 as /ext/v1/{sid}/… (docs/api/)
//   POST   /console/api/webhooks/{event_id}/replay  send a message's webhook again (as /ext/v1)
//   GET, POST /console/api/keys, DELETE /console/api/keys/{id}: key_endpoints.h
//   POST /console/api/text-info, POST /console/api/send: send_endpoints.h
//   GET /console/api/delivery?range=&step=: delivery_endpoints.h (the Delivery page's charts)
// Sign-in checks the key through the API's Authenticator (api/key_auth.h), or the console
// password (sign_in.h), after SignInLimiter's limit on failed sign-ins (429). The other endpoints,
// but keys and the test SMS, are the /ext/v1 endpoints of the same path: matched by api::MatchRoute
// on
// `/ext/v1/{session's SID}/…` and answered by the API's own handler (MessageApi, RegistryApi,
// WebhookApi), so the console has the API's validation and errors and reaches its own account's
// data only (another account's id is 404, as on /ext/v1).
//
// CSRF: every POST, PUT, PATCH and DELETE must carry `X-CSRF-Token`, else 403. Signed in, it is the
// session's token (Sessions); before sign-in, it must equal the `smsgw_console_csrf` cookie that
// GET /console/api/session sets (double submit: a page of another site can neither read nor, with
// SameSite=Strict, send that cookie). Every answer carries a strict Content-Security-Policy,
// `X-Content-Type-Options: nosniff` and no-store caching (the bundle: revalidate by ETag).
//
// Handle may be called concurrently from any io_context thread; store reads run on the pool.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string_view>

#include "api/asio.h"
#include "api/authenticator.h"
#include "api/http_server.h"
#include "api/message_api.h"
#include "api/registry_api.h"
#include "api/webhook_api.h"
#include "console/delivery_endpoints.h"
#include "console/key_endpoints.h"
#include "console/send_endpoints.h"
#include "console/sessions.h"
#include "console/sign_in.h"

namespace smsgw::console {

// Nothing the console accepts is larger: the largest is a template's or a callback profile's
// text (a few thousand characters, JSON-escaped).
inline constexpr size_t kMaxConsoleBodyBytes = 32 * 1024;

// The handlers the console answers with: the API's (each over the same stores as the API's own),
// and those of the keys and test-SMS pages.
struct ConsoleApis {
  api::MessageApi& messages;
  api::RegistryApi& registries;  // templates, sender IDs
  api::WebhookApi& webhooks;     // callback profiles, inbound numbers
  KeyEndpoints& keys;
  SendEndpoints& sends;
  DeliveryEndpoints& delivery;
  // Sign-in's: the console password's check, and the limit on failed sign-ins.
  PasswordSignIn& passwords;
  SignInLimiter& limiter;
};

struct ConsoleOptions {
  bool secure_cookies = false;  // the listener is HTTPS: cookies get `Secure`
  // Max-Age of the session cookie: the session's absolute lifetime.
  std::chrono::seconds cookie_max_age{12 * 3600};
};

class ConsoleHandler {
 public:
  ConsoleHandler(ConsoleOptions options, Sessions& sessions, api::Authenticator& auth,
                 ConsoleApis apis, api::asio::thread_pool& store_pool);

  // Whether `path` (no query string) is the console's: /console or below it.
  static bool Owns(std::string_view path);

  // `request`'s path is one that Owns.
  api::asio::awaitable<api::Response> Handle(const api::Request& request);

 private:
  api::asio::awaitable<api::Response> Answer(const api::Request& request, std::string_view path,
                                             std::string_view query);
  api::Response ServeAsset(const api::Request& request, std::string_view path) const;
  api::asio::awaitable<api::Response> SessionState(const api::Request& request);
  api::asio::awaitable<api::Response> SignIn(const api::Request& request);
  api::Response SignOut(const api::Request& request, std::string_view token);
  struct SignedIn {
    Sessions::Session session;
    api::Authenticator::Identity identity;  // the account, with its settings
  };
  // The session of cookie value `token`, if it is live and the API key it signed in with is
  // still an active key of its account (a session lasts no longer than its key: one revoked
  // ends it here). An error: the store could not be read.
  api::asio::awaitable<core::Result<std::optional<SignedIn>>> LiveSession(std::string_view token);
  // `rest` (the path after /console/api/) answered as /ext/v1/{sid}/`rest`, if it is one of the
  // endpoints the console offers.
  api::asio::awaitable<api::Response> Endpoint(const api::Request& request, std::string_view rest,
                                               std::string_view query, const std::string& sid);
  // A Set-Cookie value: `name=value`, HttpOnly, SameSite=Strict, Path=/console, Secure on TLS;
  // without max_age a cookie of the browser's session.
  std::string Cookie(std::string_view name, std::string_view value,
                     std::optional<std::chrono::seconds> max_age) const;

  const ConsoleOptions options_;
  Sessions& sessions_;
  api::Authenticator& auth_;
  ConsoleApis apis_;
  api::asio::thread_pool& store_pool_;
};

// The API listener's handler: /console to the console, everything else to the API.
class ListenerHandler final : public api::RequestHandler {
 public:
  ListenerHandler(ConsoleHandler& console, api::RequestHandler& api)
      : console_(console), api_(api) {}

  api::asio::awaitable<api::Response> Handle(api::Request request) override;
  size_t BodyLimit(const api::http::request_header<>& header, size_t configured) const override;

 private:
  ConsoleHandler& console_;
  api::RequestHandler& api_;
};

}  // namespace smsgw::console
