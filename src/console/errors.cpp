#include "console/errors.h"

#include "api/json_writer.h"
#include "api/responses.h"

namespace smsgw::console {

api::Response ErrorJson(int status, std::string_view code, std::string_view message) {
  api::JsonWriter j;
  j.w().StartObject();
  j.Field("code", code);
  j.Field("message", message);
  j.w().EndObject();
  return api::JsonResponse(status, j.Take());
}

api::Response MethodNotAllowed(std::string_view allow) {
  api::Response res = ErrorJson(405, "E405", "Method not allowed.");
  res.set(api::http::field::allow, api::beast::string_view(allow.data(), allow.size()));
  return res;
}

}  // namespace smsgw::console
