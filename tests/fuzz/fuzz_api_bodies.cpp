// Fuzzes what a tenant's request body goes through before anything is stored: the body parser
// (api/request_body.h: JSON of any nesting, or form fields whose values may hold JSON), the inline
// callback validator (api/inline_callback.h) and the callback profile validator
// (api/callback_profile_requests.h). Nothing may crash or overflow the stack, and whatever the
// validators accept must hold to the rules the webhook sender relies on: every header passes
// core::CallbackHeaderProblem, every URL is http(s) and not refused by the egress policy.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/callback_profile_requests.h"
#include "api/inline_callback.h"
#include "api/request_body.h"
#include "core/callback_header.h"
#include "core/egress.h"
#include "core/json.h"

namespace {

using namespace smsgw;  // NOLINT: a fuzz driver, not library code

void Check(bool ok) {
  if (!ok) {
    __builtin_trap();
  }
}

const core::EgressPolicy& Policy() {
  static const core::EgressPolicy policy;
  return policy;
}

void CheckInlineCallback(const rapidjson::Value& callback) {
  auto text = api::ValidateInlineCallback(callback, Policy());
  if (!text) {
    return;
  }
  rapidjson::Document stored;
  Check(core::ParseJson(*text, stored).has_value() && stored.IsObject());
  const std::string_view url(stored["url"].GetString(), stored["url"].GetStringLength());
  Check(api::IsHttpUrl(url) && !Policy().UrlProblem(url));
  if (stored.HasMember("header")) {
    for (const auto& m : stored["header"].GetObject()) {
      Check(!core::CallbackHeaderProblem({m.name.GetString(), m.name.GetStringLength()},
                                         {m.value.GetString(), m.value.GetStringLength()}));
    }
  }
  Check(!api::MaskedInlineCallback(*text).empty());
}

void CheckProfile(const rapidjson::Value& fields) {
  auto profile = api::ValidateCallbackProfile(fields, "HXSG1", "SG_x", {}, Policy());
  if (!profile) {
    return;
  }
  Check(api::IsHttpUrl(profile->url) && !Policy().UrlProblem(profile->url));
  for (const auto& [name, value] : profile->headers) {
    Check(!core::CallbackHeaderProblem(name, value));
  }
  // What the API answers and what the CLI edits must read back.
  rapidjson::Document shown;
  Check(core::ParseJson(api::CallbackProfileJson(*profile), shown).has_value());
  rapidjson::Document request;
  Check(core::ParseJson(api::CallbackProfileRequestJson(*profile), request,
                        core::kJsonNumbersAsStrings)
            .has_value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  rapidjson::Document fields;
  if (!api::ParseRequestFields("", false, "", body, fields)) {
    return 0;
  }
  Check(fields.IsObject());
  if (auto it = fields.FindMember("callback"); it != fields.MemberEnd()) {
    CheckInlineCallback(it->value);
  }
  CheckInlineCallback(fields);
  CheckProfile(fields);
  return 0;
}
