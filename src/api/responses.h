#pragma once
// Building HTTP responses: every body smsgw sends is JSON, errors in Kaleyra's shape. Pure.

#include <span>
#include <string>
#include <string_view>

#include "api/asio.h"
#include "api/errors.h"

namespace smsgw::api {

Response JsonResponse(int status, std::string body, unsigned http_version = 11);
Response ErrorResponse(std::span<const FieldError> errors, unsigned http_version = 11);
Response ErrorResponse(const FieldError& error, unsigned http_version = 11);
// 204 No Content: no body, no Content-Type.
Response NoContentResponse(unsigned http_version = 11);

// The value of request header `name` (case-insensitive), or empty.
std::string_view HeaderValue(const Request& request, std::string_view name);

}  // namespace smsgw::api
