#pragma once
// The inline `callback` object a send request (api/send_request.h) and an inbound number
// (api/inbound_number_requests.h) may carry instead of naming a callback profile: one set of
// rules for both, so a callback that is good for one is good for the other. Pure; thread-safe.

#include <rapidjson/document.h>

#include <expected>
#include <string>
#include <string_view>

#include "api/errors.h"

namespace smsgw::api {

// Whether `url` is an absolute http:// or https:// URL with a host and no white space.
bool IsHttpUrl(std::string_view url);

// `callback`: an object, or the same object as a JSON string (form bodies), with `url` (http(s),
// required), `method` (GET or POST), `header` (an object of strings) and `retry`
// ({"count": 0-20, "interval": [1-86400 seconds, ...]}). Numbers may be JSON numbers or strings.
// Returns the object as compact JSON text, or the first problem as E418 under `callback`.
std::expected<std::string, FieldError> ValidateInlineCallback(const rapidjson::Value& callback);

}  // namespace smsgw::api
