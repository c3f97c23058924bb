#include "api/callback_profile_requests.h"

#include <algorithm>
#include <optional>

#include "api/inline_callback.h"
#include "api/json_fields.h"
#include "api/json_writer.h"
#include "core/callback_header.h"
#include "core/ids.h"
#include "core/strings.h"
#include "text/utf8.h"

namespace smsgw::api {
namespace {

using fields::Errors;
using fields::Find;
using fields::Str;
using rapidjson::Value;

constexpr size_t kMaxName = 255;
constexpr size_t kMaxUrl = 2048;
constexpr size_t kMaxCredential = 1024;

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) {
    return false;
  }
  for (size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !IsHex(s[i])) {
      return false;
    }
  }
  return true;
}

bool IsPlaceholderChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

// A non-empty string of valid UTF-8 of at most `max` bytes, or nullopt.
std::optional<std::string> Credential(const Value* v, size_t max) {
  if (v == nullptr || !v->IsString() || v->GetStringLength() == 0 || v->GetStringLength() > max ||
      !text::CountCodePoints(Str(*v))) {
    return std::nullopt;
  }
  return std::string(Str(*v));
}

void NameField(const Value& fields, store::CallbackProfile& p, Errors& errors) {
  const Value* v = Find(fields, "name");
  if (v == nullptr) {
    return;
  }
  if (!v->IsString()) {
    errors.Add(ApiError::kTemplateNameInvalid, "name must be a string.");
    return;
  }
  auto count = text::CountCodePoints(Str(*v));
  if (!count || *count > kMaxName) {
    errors.Add(ApiError::kTemplateNameInvalid,
               count ? std::string() : "name: " + count.error().message + ".");
    return;
  }
  p.name = Str(*v);
}

void UrlField(const Value& fields, const core::EgressPolicy& egress, store::CallbackProfile& p,
              Errors& errors) {
  const Value* v = Find(fields, "url");
  if (v == nullptr) {
    errors.Add(ApiError::kCallbackUrlInvalid, "url is required.");
  } else if (!v->IsString() || v->GetStringLength() > kMaxUrl || !IsHttpUrl(Str(*v))) {
    errors.Add(ApiError::kCallbackUrlInvalid,
               "url must be an http(s) URL of at most 2048 characters.");
  } else if (auto problem = egress.UrlProblem(Str(*v))) {
    errors.Add(ApiError::kCallbackUrlInvalid, "url: " + *problem + ".");
  } else {
    p.url = Str(*v);
  }
}

void MethodField(const Value& fields, store::CallbackProfile& p, Errors& errors) {
  const Value* v = Find(fields, "method");
  if (v == nullptr) {
    p.method = "POST";
    return;
  }
  const std::string method = v->IsString() ? core::ToUpperAscii(Str(*v)) : std::string();
  if (method != "GET" && method != "POST" && method != "PUT") {
    errors.Add(ApiError::kCallbackMethodInvalid);
    return;
  }
  p.method = method;
}

void HeadersField(const Value& fields, store::CallbackProfile& p, Errors& errors) {
  const Value* v = Find(fields, "headers");
  if (v == nullptr) {
    return;
  }
  if (!v->IsObject() || v->MemberCount() > core::kMaxCallbackHeaders) {
    errors.Add(ApiError::kCallbackHeadersInvalid);
    return;
  }
  for (const auto& m : v->GetObject()) {
    const std::string_view name = Str(m.name);
    if (!m.value.IsString()) {
      errors.Add(ApiError::kCallbackHeadersInvalid, "headers: every value must be a string.");
      return;
    }
    if (auto problem = core::CallbackHeaderProblem(name, Str(m.value))) {
      errors.Add(ApiError::kCallbackHeadersInvalid, "headers: " + *problem + ".");
      return;
    }
    p.headers.emplace_back(name, Str(m.value));
  }
}

void AuthField(const Value& fields, const core::EgressPolicy& egress, store::CallbackProfile& p,
               Errors& errors) {
  const Value* v = Find(fields, "auth");
  if (v == nullptr) {
    return;
  }
  const Value* type = Find(*v, "type");
  if (!v->IsObject() || type == nullptr || !type->IsString()) {
    errors.Add(ApiError::kCallbackAuthInvalid);
    return;
  }
  store::CallbackAuth auth;
  if (core::EqualsIgnoreCase(Str(*type), "none")) {
    p.auth = auth;
    return;
  }
  if (core::EqualsIgnoreCase(Str(*type), "basic")) {
    auto user = Credential(Find(*v, "username"), kMaxName);
    auto password = Credential(Find(*v, "password"), kMaxCredential);
    if (!user || user->find(':') != std::string::npos || !password) {
      errors.Add(ApiError::kCallbackAuthInvalid,
                 "auth: basic needs a username (without ':') and a password.");
      return;
    }
    auth.kind = store::CallbackAuth::Kind::kBasic;
    auth.user = std::move(*user);
    auth.password = std::move(*password);
    p.auth = std::move(auth);
    return;
  }
  if (core::EqualsIgnoreCase(Str(*type), "bearer")) {
    const Value* url = Find(*v, "token_url");
    auto client_id = Credential(Find(*v, "client_id"), kMaxName);
    auto secret = Credential(Find(*v, "client_secret"), kMaxCredential);
    if (url == nullptr || !url->IsString() || url->GetStringLength() > kMaxUrl ||
        !IsHttpUrl(Str(*url)) || !client_id || !secret) {
      errors.Add(ApiError::kCallbackAuthInvalid,
                 "auth: bearer needs an http(s) token_url, a client_id and a client_secret.");
      return;
    }
    if (auto problem = egress.UrlProblem(Str(*url))) {
      errors.Add(ApiError::kCallbackAuthInvalid, "auth.token_url: " + *problem + ".");
      return;
    }
    auth.kind = store::CallbackAuth::Kind::kBearerToken;
    auth.token_url = Str(*url);
    auth.client_id = std::move(*client_id);
    auth.client_secret = std::move(*secret);
    p.auth = std::move(auth);
    return;
  }
  errors.Add(ApiError::kCallbackAuthInvalid, "auth.type must be basic, bearer or none.");
}

void BodyTemplateField(const Value& fields, store::CallbackProfile& p, Errors& errors) {
  const Value* v = Find(fields, "body_template");
  if (v == nullptr) {
    return;
  }
  if (!v->IsString()) {
    errors.Add(ApiError::kBodyTemplateInvalid, "body_template must be a string.");
    return;
  }
  auto count = text::CountCodePoints(Str(*v));
  if (!count) {
    errors.Add(ApiError::kBodyTemplateInvalid, "body_template: " + count.error().message + ".");
    return;
  }
  if (*count > kMaxBodyTemplate) {
    errors.Add(ApiError::kBodyTemplateInvalid, "body_template is longer than 8000 characters.");
    return;
  }
  const std::vector<std::string> unknown = UnknownPlaceholders(Str(*v));
  if (!unknown.empty()) {
    std::string names;
    for (const std::string& name : unknown) {
      names += (names.empty() ? "<" : ", <") + name + ">";
    }
    errors.Add(
        ApiError::kBodyTemplateInvalid,
        "body_template: unknown placeholder(s) " + names +
            "; a placeholder must name a callback field (see docs/api/callback-profiles.md).");
    return;
  }
  p.body_template = Str(*v);
}

// The delay member `name` of an exponential policy, in [lo, hi]; reports and returns nullopt.
std::optional<std::chrono::seconds> Delay(const Value& retry, std::string_view name, int64_t lo,
                                          int64_t hi, std::chrono::seconds fallback) {
  const Value* v = Find(retry, name);
  if (v == nullptr) {
    return fallback;
  }
  auto n = fields::IntegerIn(*v, lo, hi);
  return n ? std::optional<std::chrono::seconds>(*n) : std::nullopt;
}

void RetryField(const Value& fields, store::CallbackProfile& p, Errors& errors) {
  const Value* v = Find(fields, "retry");
  store::RetryPolicy policy;
  if (v == nullptr) {
    policy.intervals = {std::chrono::seconds(10), std::chrono::seconds(10),
                        std::chrono::seconds(10)};
    p.retry = std::move(policy);
    return;
  }
  const Value* type = Find(*v, "type");
  if (!v->IsObject() || type == nullptr || !type->IsString()) {
    errors.Add(ApiError::kRetryPolicyInvalid);
    return;
  }
  if (core::EqualsIgnoreCase(Str(*type), "fixed")) {
    const Value* intervals = Find(*v, "intervals");
    if (intervals == nullptr || !intervals->IsArray() || intervals->Size() > kMaxFixedRetries) {
      errors.Add(ApiError::kRetryPolicyInvalid,
                 "retry.intervals must be a list of at most 20 delays in seconds.");
      return;
    }
    for (const Value& item : intervals->GetArray()) {
      auto seconds = fields::IntegerIn(item, 1, kMaxRetryDelaySeconds);
      if (!seconds) {
        errors.Add(ApiError::kRetryPolicyInvalid,
                   "retry.intervals: each delay must be 1-86400 seconds.");
        return;
      }
      policy.intervals.emplace_back(*seconds);
    }
    p.retry = std::move(policy);
    return;
  }
  if (core::EqualsIgnoreCase(Str(*type), "exponential")) {
    policy.kind = store::RetryPolicy::Kind::kExponential;
    auto initial = Delay(*v, "initial", 1, 3600, std::chrono::seconds(10));
    auto max_delay = Delay(*v, "max_delay", 1, kMaxRetryDelaySeconds, std::chrono::seconds(3600));
    auto horizon = Delay(*v, "horizon", 60, kMaxRetryHorizonSeconds, std::chrono::seconds(86400));
    if (!initial || !max_delay || !horizon || *max_delay < *initial || *horizon < *initial) {
      errors.Add(ApiError::kRetryPolicyInvalid,
                 "retry: exponential needs initial 1-3600 s, max_delay initial-86400 s and "
                 "horizon 60-604800 s (at least initial).");
      return;
    }
    policy.initial = *initial;
    policy.max_delay = *max_delay;
    policy.horizon = *horizon;
    p.retry = std::move(policy);
    return;
  }
  errors.Add(ApiError::kRetryPolicyInvalid, "retry.type must be fixed or exponential.");
}

void DefaultField(const Value& fields, store::CallbackProfile& p, Errors& errors) {
  const Value* v = Find(fields, "default");
  if (v == nullptr) {
    return;
  }
  auto on = fields::Boolean(*v);
  if (!on) {
    errors.Add(ApiError::kDefaultFlagInvalid);
    return;
  }
  p.is_default = *on;
}

void WriteRetry(JsonWriter& j, const store::RetryPolicy& r) {
  j.Key("retry");
  j.w().StartObject();
  if (r.kind == store::RetryPolicy::Kind::kFixed) {
    j.Field("type", "fixed");
    j.Key("intervals");
    j.w().StartArray();
    for (std::chrono::seconds s : r.intervals) {
      j.w().Int64(s.count());
    }
    j.w().EndArray();
  } else {
    j.Field("type", "exponential");
    j.Key("initial");
    j.w().Int64(r.initial.count());
    j.Key("max_delay");
    j.w().Int64(r.max_delay.count());
    j.Key("horizon");
    j.w().Int64(r.horizon.count());
  }
  j.w().EndObject();
}

// The fields a request takes; secrets shown as they are or masked.
void WriteRequestFields(JsonWriter& j, const store::CallbackProfile& p, bool mask) {
  j.Field("name", p.name);
  j.Field("url", mask ? MaskedUrl(p.url) : p.url);
  j.Field("method", p.method);
  j.Key("headers");
  j.w().StartObject();
  for (const auto& [name, value] : p.headers) {
    j.Field(name, mask ? kMaskedSecret : std::string_view(value));
  }
  j.w().EndObject();
  j.Key("auth");
  switch (p.auth.kind) {
    case store::CallbackAuth::Kind::kNone:
      j.w().Null();
      break;
    case store::CallbackAuth::Kind::kBasic:
      j.w().StartObject();
      j.Field("type", "basic");
      j.Field("username", p.auth.user);
      j.Field("password", mask ? kMaskedSecret : std::string_view(p.auth.password));
      j.w().EndObject();
      break;
    case store::CallbackAuth::Kind::kBearerToken:
      j.w().StartObject();
      j.Field("type", "bearer");
      j.Field("token_url", mask ? MaskedUrl(p.auth.token_url) : p.auth.token_url);
      j.Field("client_id", p.auth.client_id);
      j.Field("client_secret", mask ? kMaskedSecret : std::string_view(p.auth.client_secret));
      j.w().EndObject();
      break;
  }
  j.Field("body_template", p.body_template);
  WriteRetry(j, p.retry);
  j.Key("default");
  j.w().Bool(p.is_default);
}

void WriteProfile(JsonWriter& j, const store::CallbackProfile& p) {
  j.w().StartObject();
  j.Field("id", p.id);
  WriteRequestFields(j, p, true);
  j.Field("created_at", core::FormatCreatedDateTime(p.created_at));
  j.Field("updated_at", core::FormatCreatedDateTime(p.updated_at));
  j.w().EndObject();
}

}  // namespace

bool IsCallbackProfileId(std::string_view id, core::Region region) {
  const std::string_view prefix = core::RulesFor(region).profile_prefix;
  return id.size() == prefix.size() + 1 + 36 && id.starts_with(prefix) &&
         id[prefix.size()] == '_' && IsUuid(id.substr(prefix.size() + 1));
}

std::string NewCallbackProfileId(core::Region region) {
  return std::string(core::RulesFor(region).profile_prefix) + "_" + core::NewUuid();
}

std::vector<std::string> UnknownPlaceholders(std::string_view body_template) {
  std::vector<std::string> unknown;
  for (size_t open = body_template.find('<'); open != std::string_view::npos;
       open = body_template.find('<', open + 1)) {
    size_t end = open + 1;
    while (end < body_template.size() && end - open <= 64 &&
           IsPlaceholderChar(body_template[end])) {
      ++end;
    }
    if (end == open + 1 || end - open > 65 || end >= body_template.size() ||
        body_template[end] != '>') {
      continue;  // not <name>: text
    }
    const std::string_view name = body_template.substr(open + 1, end - open - 1);
    const bool known = std::find(kCallbackFieldNames.begin(), kCallbackFieldNames.end(), name) !=
                       kCallbackFieldNames.end();
    if (!known && std::find(unknown.begin(), unknown.end(), name) == unknown.end()) {
      unknown.emplace_back(name);
    }
  }
  return unknown;
}

std::expected<store::CallbackProfile, FieldErrors> ValidateCallbackProfile(
    const Value& fields, std::string_view sid, std::string_view id, core::TimePoint now,
    const core::EgressPolicy& egress) {
  Errors errors;
  store::CallbackProfile p;
  p.id = id;
  p.sid = sid;
  p.created_at = now;
  p.updated_at = now;
  NameField(fields, p, errors);
  UrlField(fields, egress, p, errors);
  MethodField(fields, p, errors);
  HeadersField(fields, p, errors);
  AuthField(fields, egress, p, errors);
  BodyTemplateField(fields, p, errors);
  RetryField(fields, p, errors);
  DefaultField(fields, p, errors);
  if (!errors.Empty()) {
    return std::unexpected(errors.Take());
  }
  return p;
}

void KeepStoredSecrets(store::CallbackProfile& updated, const store::CallbackProfile& stored) {
  updated.created_at = stored.created_at;
  const auto keep_url = [](std::string& sent, const std::string& kept) {
    if (sent != kept && sent == MaskedUrl(kept)) {
      sent = kept;
    }
  };
  keep_url(updated.url, stored.url);
  for (auto& [name, value] : updated.headers) {
    if (value != kMaskedSecret) {
      continue;
    }
    for (const auto& [stored_name, stored_value] : stored.headers) {
      if (core::EqualsIgnoreCase(name, stored_name)) {
        value = stored_value;
        break;
      }
    }
  }
  if (updated.auth.kind != stored.auth.kind) {
    return;
  }
  keep_url(updated.auth.token_url, stored.auth.token_url);
  if (updated.auth.password == kMaskedSecret) {
    updated.auth.password = stored.auth.password;
  }
  if (updated.auth.client_secret == kMaskedSecret) {
    updated.auth.client_secret = stored.auth.client_secret;
  }
}

std::string CallbackProfileJson(const store::CallbackProfile& profile) {
  JsonWriter j;
  WriteProfile(j, profile);
  return j.Take();
}

std::string CallbackProfileListJson(const std::vector<store::CallbackProfile>& profiles) {
  return ListJson(profiles, WriteProfile);
}

std::string CallbackTestJson(const store::CallbackProfile& profile,
                             const CallbackTestResult& result) {
  JsonWriter j;
  j.w().StartObject();
  j.Field("event_id", result.event_id);
  j.Field("url", MaskedUrl(profile.url));
  j.Field("method", profile.method);
  j.Key("delivered");
  j.w().Bool(result.error.empty() && result.http_status >= 200 && result.http_status < 300);
  j.Key("http_status");
  if (result.http_status == 0) {
    j.w().Null();
  } else {
    j.w().Int(result.http_status);
  }
  j.Key("latency_ms");
  j.w().Int64(result.latency.count());
  j.FieldOrNull("error", result.error);
  j.Key("signed");
  j.w().Bool(result.is_signed);
  j.w().EndObject();
  return j.Take();
}

std::string CallbackProfileRequestJson(const store::CallbackProfile& profile) {
  JsonWriter j;
  j.w().StartObject();
  WriteRequestFields(j, profile, false);
  j.w().EndObject();
  return j.Take();
}

}  // namespace smsgw::api
