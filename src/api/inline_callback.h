#pragma once
// The inline `callback` object a send request (api/send_request.h) and an inbound number
// (api/inbound_number_requests.h) may carry instead of naming a callback profile: one set of
// rules for both, so a callback that is good for one is good for the other. Pure; thread-safe.

#include <rapidjson/document.h>

#include <expected>
#include <string>
#include <string_view>

#include "api/errors.h"
#include "core/egress.h"

namespace smsgw::api {

// What a response shows in place of a secret. A PUT that sends it back keeps the stored secret.
inline constexpr std::string_view kMaskedSecret = "****";

// Whether `url` is an absolute http:// or https:// URL with a host and no white space.
bool IsHttpUrl(std::string_view url);

// `url` as a response shows it: the password of its userinfo masked (`https://user:****@host/`),
// or the whole userinfo when it has no password (`https://****@host/`: a token). Other URLs are
// returned as they are.
std::string MaskedUrl(std::string_view url);

// A stored inline callback (ValidateInlineCallback's text) as a response or the CLI shows it:
// every header value kMaskedSecret (static headers carry credentials: Authorization, X-Api-Key)
// and the url through MaskedUrl. Empty when `stored` is not a JSON object.
std::string MaskedInlineCallback(std::string_view stored);

// `callback`: an object, or the same object as a JSON string (form bodies), with `url` (http(s),
// required), `method` (GET or POST), `header` (an object of at most 50 strings, each header as
// core::CallbackHeaderProblem allows) and `retry`
// ({"count": 0-20, "interval": [1-86400 seconds, ...]}). Numbers may be JSON numbers or strings.
// The url must also be a target `egress` allows as far as can be told without DNS (a literal
// address or localhost; core::EgressPolicy::UrlProblem). Returns the object as compact JSON text,
// or the first problem as E418 under `callback`.
std::expected<std::string, FieldError> ValidateInlineCallback(const rapidjson::Value& callback,
                                                              const core::EgressPolicy& egress);

}  // namespace smsgw::api
