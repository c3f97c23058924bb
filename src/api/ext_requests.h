#pragma once
// What every /ext/ endpoint handler shares: reading the request's fields and turning a failed
// store call into its response.

#include <rapidjson/document.h>

#include <expected>
#include <optional>
#include <string_view>

#include "api/errors.h"
#include "api/responses.h"
#include "core/result.h"

namespace smsgw::api {

// The response for a failed store call: kNotFound is `not_found` (404), kConflict is `conflict`
// when given; anything else means the store could not do it now (503, logged with `what`).
Response StoreFailure(const core::Error& error, ApiError not_found, std::string_view what,
                      std::optional<ApiError> conflict = std::nullopt);

// The request's fields (JSON or form body, and the query), or the error response.
std::expected<void, Response> ParseBody(const Request& request, std::string_view query,
                                        rapidjson::Document& fields);

}  // namespace smsgw::api
