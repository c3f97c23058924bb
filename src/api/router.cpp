#include "api/router.h"

#include <initializer_list>
#include <utility>
#include <vector>

#include "core/strings.h"

namespace smsgw::api {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.starts_with('/')) {
    path.remove_prefix(1);
  }
  if (path.ends_with('/')) {
    path.remove_suffix(1);
  }
  while (!path.empty()) {
    const size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  return out;
}

bool ValidSid(std::string_view sid) {
  if (sid.empty() || sid.size() > 64) {
    return false;
  }
  for (char c : sid) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
      return false;
    }
  }
  return true;
}

// RFC 3986 percent-decoding of one path segment ('+' stays '+'); false on a bad escape or an
// empty result.
bool DecodeSegment(std::string_view in, std::string& out) {
  return core::PercentDecode(in, out, /*plus_is_space=*/false) && !out.empty();
}

// A route of `kind` when `method` is one of `allowed`, else 405 with `allow` as the Allow header.
Route Allow(Route route, http::verb method, std::initializer_list<http::verb> allowed,
            std::string_view allow, Route::Kind kind) {
  route.allow = allow;
  route.kind = Route::kMethodNotAllowed;
  for (http::verb v : allowed) {
    if (v == method) {
      route.kind = kind;
    }
  }
  return route;
}

// /ext/v1/{sid}/messages[/{id}[/cancel]]
Route MatchMessages(Route route, http::verb method, const std::vector<std::string_view>& s) {
  using http::verb;
  if (s.size() == 4) {
    return Allow(route, method, {verb::get}, "GET", Route::kMessages);
  }
  if (s.size() > 6 || (s.size() == 6 && s[5] != "cancel") || !DecodeSegment(s[4], route.resource)) {
    return {};
  }
  return s.size() == 5 ? Allow(route, method, {verb::get}, "GET", Route::kMessage)
                       : Allow(route, method, {verb::post}, "POST", Route::kCancelMessage);
}

// /ext/v1/{sid}/callback-profiles[/{id}[/test]], inbound-numbers[/{id}],
// webhooks[/{event_id}/replay] and webhook-secret.
Route MatchWebhookApi(Route route, http::verb method, const std::vector<std::string_view>& s) {
  using http::verb;
  const std::string_view what = s[3];
  if (what == "webhook-secret") {
    return s.size() == 4 ? Allow(route, method, {verb::put, verb::delete_}, "PUT, DELETE",
                                 Route::kWebhookSecret)
                         : Route{};
  }
  if (what == "webhooks") {
    if (s.size() == 4) {
      return Allow(route, method, {verb::get}, "GET", Route::kWebhooks);
    }
    if (s.size() != 6 || s[5] != "replay" || !DecodeSegment(s[4], route.resource)) {
      return {};
    }
    return Allow(route, method, {verb::post}, "POST", Route::kReplayWebhook);
  }
  const bool profiles = what == "callback-profiles";
  if (profiles && s.size() == 6) {
    if (s[5] != "test" || !DecodeSegment(s[4], route.resource)) {
      return {};
    }
    return Allow(route, method, {verb::post}, "POST", Route::kCallbackTest);
  }
  if (s.size() == 4) {
    return Allow(route, method, {verb::get, verb::post}, "GET, POST",
                 profiles ? Route::kCallbackProfiles : Route::kInboundNumbers);
  }
  if (s.size() != 5 || !DecodeSegment(s[4], route.resource)) {
    return {};
  }
  return profiles ? Allow(route, method, {verb::get, verb::put, verb::delete_}, "GET, PUT, DELETE",
                          Route::kCallbackProfile)
                  : Allow(route, method, {verb::get, verb::delete_}, "GET, DELETE",
                          Route::kInboundNumber);
}

// /ext/v1/{sid}/templates[/{id}], /ext/v1/{sid}/senders[/{sender}], the message log and the
// webhook endpoints.
Route MatchExtension(http::verb method, const std::vector<std::string_view>& s) {
  using http::verb;
  if (s.size() < 4 || s.size() > 6 || s[1] != "v1" || !ValidSid(s[2])) {
    return {};
  }
  Route route;
  route.sid = s[2];
  if (s[3] == "messages") {
    return MatchMessages(std::move(route), method, s);
  }
  if (s[3] == "rate-limits") {
    return s.size() == 4 ? Allow(route, method, {verb::get}, "GET", Route::kRateLimits) : Route{};
  }
  if (s[3] == "country-caps") {
    if (s.size() == 4) {
      return Allow(route, method, {verb::get}, "GET", Route::kCountryCaps);
    }
    if (s.size() != 5 || !DecodeSegment(s[4], route.resource)) {
      return {};
    }
    return Allow(route, method, {verb::put, verb::delete_}, "PUT, DELETE", Route::kCountryCap);
  }
  if (s[3] == "smpp-credentials") {
    if (s.size() == 4) {
      return Allow(route, method, {verb::get, verb::post}, "GET, POST", Route::kSmppCredentials);
    }
    if (s.size() != 5 || !DecodeSegment(s[4], route.resource)) {
      return {};
    }
    return Allow(route, method, {verb::delete_}, "DELETE", Route::kSmppCredential);
  }
  if (s[3] == "opt-outs") {
    return s.size() == 4 ? Allow(route, method, {verb::get, verb::post, verb::delete_},
                                 "GET, POST, DELETE", Route::kOptOuts)
                         : Route{};
  }
  if (s[3] == "callback-profiles" || s[3] == "inbound-numbers" || s[3] == "webhooks" ||
      s[3] == "webhook-secret") {
    return MatchWebhookApi(std::move(route), method, s);
  }
  const bool templates = s[3] == "templates";
  if ((!templates && s[3] != "senders") || s.size() > 5) {
    return {};
  }
  if (s.size() == 4) {
    return templates
               ? Allow(route, method, {verb::get, verb::post}, "GET, POST", Route::kTemplates)
               : (method == verb::post
                      ? Allow(route, method, {verb::post}, "GET, POST", Route::kRegisterSenders)
                      : Allow(route, method, {verb::get}, "GET, POST", Route::kSenders));
  }
  if (!DecodeSegment(s[4], route.resource)) {
    return {};
  }
  return Allow(route, method, {verb::get, verb::put, verb::patch, verb::delete_},
               "GET, PUT, PATCH, DELETE", templates ? Route::kTemplate : Route::kSender);
}

}  // namespace

Route MatchRoute(http::verb method, std::string_view path) {
  const std::vector<std::string_view> s = Segments(path);
  if (s.size() == 1 && s[0] == "openapi.json") {
    return Allow(Route{}, method, {http::verb::get}, "GET", Route::kOpenApi);
  }
  if (!s.empty() && s[0] == "ext") {
    return MatchExtension(method, s);
  }
  if (s.size() < 3 || (s[0] != "v1" && s[0] != "v2") || !ValidSid(s[1]) ||
      (s[2] != "messages" && s[2] != "sms")) {
    return {};
  }
  Route route;
  route.sid = s[1];
  if (s.size() == 3) {
    // v1 sends by POST, and by GET with query parameters; v2 (templates) by POST.
    const bool get_ok = s[0] == "v1";
    if (method == http::verb::post || (get_ok && method == http::verb::get)) {
      route.kind = Route::kSend;
    } else {
      route.kind = Route::kMethodNotAllowed;
      route.allow = get_ok ? "GET, POST" : "POST";
    }
    return route;
  }
  if (s.size() == 4 && s[0] == "v1" && s[3] == "status") {
    route.kind = method == http::verb::get ? Route::kStatus : Route::kMethodNotAllowed;
    route.allow = "GET";
    return route;
  }
  // Kaleyra documents sender registration under both v1 and v2.
  if (s.size() == 4 && s[3] == "sender") {
    return Allow(route, method, {http::verb::post}, "POST", Route::kRegisterSenders);
  }
  return {};
}

std::string_view RouteName(Route::Kind kind) {
  switch (kind) {
    case Route::kSend:
      return "send";
    case Route::kStatus:
      return "status";
    case Route::kRegisterSenders:
      return "register_senders";
    case Route::kTemplates:
      return "ext_templates";
    case Route::kTemplate:
      return "ext_template";
    case Route::kSenders:
      return "ext_senders";
    case Route::kSender:
      return "ext_sender";
    case Route::kMessages:
      return "ext_messages";
    case Route::kMessage:
      return "ext_message";
    case Route::kCancelMessage:
      return "ext_cancel_message";
    case Route::kCallbackProfiles:
      return "ext_callback_profiles";
    case Route::kCallbackProfile:
      return "ext_callback_profile";
    case Route::kCallbackTest:
      return "ext_callback_test";
    case Route::kInboundNumbers:
      return "ext_inbound_numbers";
    case Route::kInboundNumber:
      return "ext_inbound_number";
    case Route::kWebhooks:
      return "ext_webhooks";
    case Route::kReplayWebhook:
      return "ext_replay_webhook";
    case Route::kWebhookSecret:
      return "ext_webhook_secret";
    case Route::kOptOuts:
      return "ext_opt_outs";
    case Route::kCountryCaps:
      return "ext_country_caps";
    case Route::kCountryCap:
      return "ext_country_cap";
    case Route::kRateLimits:
      return "ext_rate_limits";
    case Route::kSmppCredentials:
      return "ext_smpp_credentials";
    case Route::kSmppCredential:
      return "ext_smpp_credential";
    case Route::kOpenApi:
      return "openapi";
    case Route::kNotFound:
      return "not_found";
    case Route::kMethodNotAllowed:
      return "method_not_allowed";
  }
  return "unknown";
}

}  // namespace smsgw::api
