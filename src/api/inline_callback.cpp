#include "api/inline_callback.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "core/callback_header.h"
#include "core/json.h"
#include "core/strings.h"
#include "core/url.h"

namespace smsgw::api {
namespace {

using rapidjson::Value;

// A present, non-null member, or nullptr.
const Value* Find(const Value& obj, std::string_view name) {
  auto it = obj.FindMember(Value(rapidjson::StringRef(name.data(), name.size())));
  if (it == obj.MemberEnd() || it->value.IsNull()) {
    return nullptr;
  }
  return &it->value;
}

std::string_view Str(const Value& v) { return {v.GetString(), v.GetStringLength()}; }

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Numbers arrive as strings from the API's parsers (kParseNumbersAsStringsFlag); a document
// built in code (the CLI) may hold real numbers.
bool IsIntegerIn(const Value& v, long lo, long hi) {
  if (v.IsInt64()) {
    return v.GetInt64() >= lo && v.GetInt64() <= hi;
  }
  if (!v.IsString() || !AllDigits(Str(v)) || v.GetStringLength() > 9) {
    return false;
  }
  const long n = std::stol(std::string(Str(v)));
  return n >= lo && n <= hi;
}

std::string ToJson(const Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

std::unexpected<FieldError> Bad(std::string reason) {
  return std::unexpected(MakeFieldError(ApiError::kCallbackInvalid, std::move(reason)));
}

}  // namespace

bool IsHttpUrl(std::string_view url) {
  std::string lower = core::ToUpperAscii(url.substr(0, 8));
  size_t scheme = lower.starts_with("HTTPS://") ? 8 : lower.starts_with("HTTP://") ? 7 : 0;
  if (scheme == 0 || url.size() <= scheme) {
    return false;
  }
  const char host_start = url[scheme];
  return host_start != '/' && host_start != '?' && host_start != '#' &&
         url.find_first_of(" \t\r\n") == std::string_view::npos;
}

std::string MaskedUrl(std::string_view url) {
  const std::optional<core::HttpUrl> parts = core::SplitHttpUrl(url);
  if (!parts || !parts->has_userinfo) {
    return std::string(url);
  }
  const std::string_view userinfo = parts->userinfo;
  const size_t colon = userinfo.find(':');
  std::string masked(url.substr(0, parts->authority_begin));
  if (colon != std::string_view::npos) {
    masked.append(userinfo.substr(0, colon + 1));
  }
  masked.append(kMaskedSecret);
  masked.append(url.substr(parts->authority_begin + userinfo.size()));
  return masked;
}

std::string MaskedInlineCallback(std::string_view stored) {
  rapidjson::Document callback;
  if (!core::ParseJson(stored, callback) || !callback.IsObject()) {
    return {};
  }
  if (auto url = callback.FindMember("url"); url != callback.MemberEnd() && url->value.IsString()) {
    const std::string masked = MaskedUrl(Str(url->value));
    url->value.SetString(masked.data(), static_cast<rapidjson::SizeType>(masked.size()),
                         callback.GetAllocator());
  }
  if (auto header = callback.FindMember("header");
      header != callback.MemberEnd() && header->value.IsObject()) {
    for (auto& m : header->value.GetObject()) {
      m.value.SetString(rapidjson::StringRef(kMaskedSecret.data(), kMaskedSecret.size()));
    }
  }
  return ToJson(callback);
}

std::expected<std::string, FieldError> ValidateInlineCallback(const Value& callback,
                                                              const core::EgressPolicy& egress) {
  const Value* v = &callback;
  rapidjson::Document parsed;
  if (v->IsString()) {
    if (!core::ParseJson(Str(*v), parsed, core::kJsonNumbersAsStrings)) {
      return Bad("callback is not valid JSON.");
    }
    v = &parsed;
  }
  if (!v->IsObject()) {
    return Bad("callback must be an object.");
  }
  const Value* url = Find(*v, "url");
  if (url == nullptr || !url->IsString() || !IsHttpUrl(Str(*url))) {
    return Bad("callback.url must be an http(s) URL.");
  }
  if (auto problem = egress.UrlProblem(Str(*url))) {
    return Bad("callback.url: " + *problem + ".");
  }
  if (const Value* method = Find(*v, "method"); method != nullptr) {
    if (!method->IsString() || !(core::EqualsIgnoreCase(Str(*method), "GET") ||
                                 core::EqualsIgnoreCase(Str(*method), "POST"))) {
      return Bad("callback.method must be GET or POST.");
    }
  }
  if (const Value* header = Find(*v, "header"); header != nullptr) {
    if (!header->IsObject() || header->MemberCount() > core::kMaxCallbackHeaders) {
      return Bad("callback.header must be an object of at most 50 strings.");
    }
    for (const auto& m : header->GetObject()) {
      if (!m.value.IsString()) {
        return Bad("callback.header must be an object of at most 50 strings.");
      }
      if (auto problem = core::CallbackHeaderProblem(Str(m.name), Str(m.value))) {
        return Bad("callback.header: " + *problem + ".");
      }
    }
  }
  if (const Value* retry = Find(*v, "retry"); retry != nullptr) {
    const Value* count = retry->IsObject() ? Find(*retry, "count") : nullptr;
    const Value* interval = retry->IsObject() ? Find(*retry, "interval") : nullptr;
    bool ok = retry->IsObject() && (count == nullptr || IsIntegerIn(*count, 0, 20)) &&
              (interval == nullptr || interval->IsArray());
    if (ok && interval != nullptr) {
      for (const Value& seconds : interval->GetArray()) {
        ok = ok && IsIntegerIn(seconds, 1, 86400);
      }
    }
    if (!ok) {
      return Bad("callback.retry must be {\"count\": 0-20, \"interval\": [seconds, ...]}.");
    }
  }
  return ToJson(*v);
}

}  // namespace smsgw::api
