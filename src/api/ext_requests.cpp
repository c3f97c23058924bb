#include "api/ext_requests.h"

#include <spdlog/spdlog.h>

#include "api/request_body.h"

namespace smsgw::api {

Response StoreFailure(const core::Error& error, ApiError not_found, std::string_view what,
                      std::optional<ApiError> conflict) {
  if (error.code == core::Errc::kNotFound) {
    return ErrorResponse(MakeFieldError(not_found));
  }
  if (conflict && error.code == core::Errc::kConflict) {
    return ErrorResponse(MakeFieldError(*conflict));
  }
  SPDLOG_ERROR("{} failed: {}", what, error.message);
  return ErrorResponse(MakeFieldError(ApiError::kStoreUnavailable));
}

std::expected<void, Response> ParseBody(const Request& request, std::string_view query,
                                        rapidjson::Document& fields) {
  auto parsed = ParseRequestFields(HeaderValue(request, "content-encoding"), false, query,
                                   request.body(), fields);
  if (!parsed) {
    return std::unexpected(ErrorResponse(parsed.error()));
  }
  return {};
}

}  // namespace smsgw::api
