#include "api/responses.h"

namespace smsgw::api {

Response JsonResponse(int status, std::string body, unsigned http_version) {
  Response res{static_cast<http::status>(status), http_version};
  res.set(http::field::server, "smsgw");
  res.set(http::field::content_type, "application/json");
  res.body() = std::move(body);
  return res;
}

Response ErrorResponse(std::span<const FieldError> errors, unsigned http_version) {
  return JsonResponse(HttpStatus(errors), ErrorBody(errors), http_version);
}

Response ErrorResponse(const FieldError& error, unsigned http_version) {
  return ErrorResponse(std::span<const FieldError>(&error, 1), http_version);
}

Response NoContentResponse(unsigned http_version) {
  Response res{http::status::no_content, http_version};
  res.set(http::field::server, "smsgw");
  return res;
}

std::string_view HeaderValue(const Request& request, std::string_view name) {
  auto it = request.find(beast::string_view(name.data(), name.size()));
  if (it == request.end()) {
    return {};
  }
  return {it->value().data(), it->value().size()};
}

}  // namespace smsgw::api
