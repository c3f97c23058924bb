#include "console/send_endpoints.h"

#include <rapidjson/document.h>

#include <string>

#include "api/errors.h"
#include "api/json_writer.h"
#include "api/responses.h"
#include "api/send_request.h"
#include "console/errors.h"
#include "core/json.h"
#include "text/encoding.h"
#include "text/smart_encoding.h"

namespace smsgw::console {
namespace {

namespace http = api::http;

std::string_view EncodingName(core::Encoding encoding) {
  switch (encoding) {
    case core::Encoding::kGsm7:
      return "GSM-7";
    case core::Encoding::kUcs2:
      return "UCS-2";
    default:
      return "binary";
  }
}

}  // namespace

api::asio::awaitable<api::Response> SendEndpoints::Handle(
    const api::Request& request, std::string_view rest,
    const api::Authenticator::Identity& identity) {
  if (request.method() != http::verb::post) {
    co_return MethodNotAllowed("POST");
  }
  if (rest == "text-info") {
    co_return TextInfo(request, identity);
  }
  co_return co_await api_.SendAs(request, identity);
}

api::Response SendEndpoints::TextInfo(const api::Request& request,
                                      const api::Authenticator::Identity& identity) const {
  rapidjson::Document fields;
  if (!core::ParseJson(request.body(), fields, core::kJsonValidateUtf8) || !fields.IsObject()) {
    return api::ErrorResponse(api::MakeFieldError(api::ApiError::kMalformedBody));
  }
  auto member = [&](const char* name) -> std::string_view {
    auto it = fields.FindMember(name);
    return it != fields.MemberEnd() && it->value.IsString()
               ? std::string_view(it->value.GetString(), it->value.GetStringLength())
               : std::string_view();
  };
  const std::string_view unicode = member("unicode");
  const std::optional<text::UnicodeMode> mode =
      unicode.empty() ? text::UnicodeMode::kAuto : api::ParseUnicodeMode(unicode);
  if (!mode) {
    return api::ErrorResponse(api::MakeFieldError(api::ApiError::kUnicodeInvalid));
  }
  // As the send path: the account's smart encoding first (api/send_request.cpp), then the count.
  const bool smart = identity.settings.smart_encoding.value_or(smart_);
  const std::string body = smart ? text::SmartReplace(member("body")) : std::string(member("body"));
  auto info = text::Analyze(body, *mode);
  if (!info) {
    return api::ErrorResponse(
        api::MakeFieldError(api::ApiError::kUnicodeInvalid, info.error().message));
  }
  api::JsonWriter j;
  j.w().StartObject();
  j.Field("encoding", EncodingName(info->encoding));
  j.Key("segments");
  j.w().Int(info->segments);
  j.Key("characters");
  j.w().Uint64(info->code_points);
  j.Key("units");
  j.w().Uint64(info->units);
  j.Key("smart_encoding");
  j.w().Bool(smart);
  j.w().EndObject();
  return api::JsonResponse(200, j.Take());
}

}  // namespace smsgw::console
