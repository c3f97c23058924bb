#include "webhook/target.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>

#include "core/json.h"
#include "core/strings.h"
#include "core/url.h"

namespace smsgw::webhook {
namespace {

using rapidjson::Value;

constexpr std::chrono::seconds kDefaultInterval{10};
constexpr int kDefaultRetries = 3;

const Value* Find(const Value& object, std::string_view name) {
  auto it = object.FindMember(
      Value(rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size()))));
  return it == object.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
}

std::string_view Str(const Value& v) { return {v.GetString(), v.GetStringLength()}; }

// A non-negative integer from a JSON number or a string of digits.
std::optional<int64_t> Integer(const Value& v) {
  if (v.IsInt64()) {
    return v.GetInt64() >= 0 ? std::optional<int64_t>(v.GetInt64()) : std::nullopt;
  }
  if (!v.IsString()) {
    return std::nullopt;
  }
  const std::string_view text = core::TrimAscii(Str(v));
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 0) {
    return std::nullopt;
  }
  return n;
}

core::Result<store::RetryPolicy> ReadRetry(const Value& retry) {
  if (!retry.IsObject()) {
    return core::MakeError(core::Errc::kInvalidArgument, "callback.retry is not an object");
  }
  std::vector<std::chrono::seconds> intervals;
  if (const Value* list = Find(retry, "interval"); list != nullptr) {
    if (!list->IsArray()) {
      return core::MakeError(core::Errc::kInvalidArgument, "callback.retry.interval is no list");
    }
    for (const Value& item : list->GetArray()) {
      const std::optional<int64_t> seconds = Integer(item);
      if (!seconds) {
        return core::MakeError(core::Errc::kInvalidArgument, "callback.retry.interval: bad value");
      }
      intervals.emplace_back(*seconds);
    }
  }
  int64_t count = static_cast<int64_t>(intervals.size());
  if (const Value* c = Find(retry, "count"); c != nullptr) {
    const std::optional<int64_t> n = Integer(*c);
    if (!n || *n > 1000) {
      return core::MakeError(core::Errc::kInvalidArgument, "callback.retry.count: bad value");
    }
    count = *n;
  } else if (intervals.empty()) {
    count = kDefaultRetries;
  }
  store::RetryPolicy policy;
  policy.kind = store::RetryPolicy::Kind::kFixed;
  for (int64_t i = 0; i < count; ++i) {
    if (intervals.empty()) {
      policy.intervals.push_back(kDefaultInterval);
    } else {
      policy.intervals.push_back(intervals[std::min<size_t>(i, intervals.size() - 1)]);
    }
  }
  return policy;
}

}  // namespace

store::RetryPolicy DefaultInlineRetry() {
  store::RetryPolicy policy;
  policy.kind = store::RetryPolicy::Kind::kFixed;
  policy.intervals.assign(kDefaultRetries, kDefaultInterval);
  return policy;
}

core::Result<Target> TargetFromCallback(std::string_view callback_json) {
  rapidjson::Document doc;
  if (!core::ParseJson(callback_json, doc, core::kJsonNumbersAsStrings) || !doc.IsObject()) {
    return core::MakeError(core::Errc::kInvalidArgument, "callback is not a JSON object");
  }
  Target target;
  const Value* url = Find(doc, "url");
  if (url == nullptr || !url->IsString() || HostKey(Str(*url)).empty()) {
    return core::MakeError(core::Errc::kInvalidArgument, "callback.url is not an http(s) URL");
  }
  target.url = std::string(Str(*url));
  if (const Value* method = Find(doc, "method"); method != nullptr) {
    const std::string m = method->IsString() ? core::ToUpperAscii(Str(*method)) : "";
    if (m != "GET" && m != "POST" && m != "PUT") {
      return core::MakeError(core::Errc::kInvalidArgument, "callback.method is not GET or POST");
    }
    target.method = m;
  }
  if (const Value* header = Find(doc, "header"); header != nullptr && header->IsObject()) {
    for (const auto& member : header->GetObject()) {
      if (member.value.IsString()) {
        target.headers.emplace_back(std::string(Str(member.name)), std::string(Str(member.value)));
      }
    }
  }
  if (const Value* retry = Find(doc, "retry"); retry != nullptr) {
    auto policy = ReadRetry(*retry);
    if (!policy) {
      return std::unexpected(policy.error());
    }
    target.retry = std::move(*policy);
  } else {
    target.retry = DefaultInlineRetry();
  }
  return target;
}

Target TargetFromProfile(const store::CallbackProfile& profile) {
  Target target;
  target.url = profile.url;
  target.method = core::ToUpperAscii(profile.method);
  if (target.method.empty()) {
    target.method = "POST";
  }
  target.headers = profile.headers;
  target.auth = profile.auth;
  target.body_template = profile.body_template;
  target.retry = profile.retry;
  return target;
}

std::string HostKey(std::string_view url) {
  const std::optional<core::HttpUrl> parts = core::SplitHttpUrl(url);
  if (!parts) {
    return "";
  }
  std::string key = parts->https ? "https://" : "http://";
  key += parts->ipv6_literal ? "[" : "";
  for (char c : parts->host) {
    key += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  key += parts->ipv6_literal ? "]:" : ":";
  key += std::to_string(parts->port);
  return key;
}

}  // namespace smsgw::webhook
