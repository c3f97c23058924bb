#include "api/inbound_number_requests.h"

#include <optional>

#include "api/callback_profile_requests.h"
#include "api/inline_callback.h"
#include "api/json_fields.h"
#include "api/json_writer.h"
#include "api/message_requests.h"
#include "core/phone_number.h"
#include "text/utf8.h"

namespace smsgw::api {
namespace {

using fields::Errors;
using fields::Find;
using fields::Str;
using rapidjson::Value;

constexpr size_t kMinShortCode = 3;
constexpr size_t kMaxShortCode = 8;

// Unicode White_Space (the property's whole list).
bool IsWhiteSpace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

// ASCII and Latin-1 lower-case letters to upper case, as core::FirstWord compares keywords.
char32_t ToUpper(char32_t c) {
  if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7)) {
    return c - 0x20;
  }
  return c == 0xFF ? 0x178 : c;
}

void WriteEntry(JsonWriter& j, const store::InboundNumber& e) {
  j.w().StartObject();
  j.Field("id", e.id);
  j.Field("number", e.number);
  j.FieldOrNull("keyword", e.keyword);
  j.FieldOrNull("expires", e.expires_at ? core::FormatCreatedDateTime(*e.expires_at) : "");
  j.Key("callback");
  if (const std::string shown = MaskedInlineCallback(e.callback); shown.empty()) {
    j.w().Null();
  } else {
    j.w().RawValue(shown.data(), shown.size(), rapidjson::kObjectType);
  }
  j.FieldOrNull("callback_profile_id", e.callback_profile_id);
  j.Field("target", e.target == store::InboundTarget::kSmpp ? "smpp" : "webhook");
  j.Field("created_at", core::FormatCreatedDateTime(e.created_at));
  j.w().EndObject();
}

}  // namespace

std::optional<std::string> NormalizeInboundNumber(std::string_view number) {
  const bool plus = number.starts_with('+');
  const std::string_view digits = plus ? number.substr(1) : number;
  if (!fields::AllDigits(digits)) {
    return std::nullopt;
  }
  if (!plus && digits.size() >= kMinShortCode && digits.size() <= kMaxShortCode) {
    return std::string(digits);
  }
  // Built by append, not "+" + std::string(...): GCC 12 at -O2 reports a false
  // -Wstringop-overflow inside operator+ here.
  std::string international = "+";
  international.append(digits);
  auto e164 = core::NormalizePhoneNumber(international, "");
  if (!e164) {
    return std::nullopt;
  }
  return std::move(*e164);
}

std::optional<std::string> NormalizeKeyword(std::string_view keyword) {
  std::string out;
  size_t count = 0;
  for (size_t i = 0; i < keyword.size();) {
    const text::Utf8Char c = text::DecodeUtf8Char(keyword, i);
    if (c.length == 0 || IsWhiteSpace(c.code_point) || c.code_point < 0x20) {
      return std::nullopt;
    }
    text::AppendUtf8(out, ToUpper(c.code_point));
    i += c.length;
    ++count;
  }
  if (count == 0 || count > kMaxKeyword) {
    return std::nullopt;
  }
  return out;
}

std::expected<store::InboundNumber, FieldErrors> ValidateInboundNumber(
    const Value& fields, std::string_view sid, std::string_view id, core::Region region,
    core::TimePoint now, const core::EgressPolicy& egress) {
  Errors errors;
  store::InboundNumber e;
  e.id = id;
  e.sid = sid;
  e.created_at = now;

  const Value* number = Find(fields, "number");
  if (number == nullptr) {
    errors.Add(ApiError::kInboundNumberInvalid, "number is required.");
  } else if (auto digits =
                 number->IsString() ? NormalizeInboundNumber(Str(*number)) : std::nullopt) {
    e.number = std::move(*digits);
  } else {
    errors.Add(ApiError::kInboundNumberInvalid);
  }

  if (const Value* keyword = Find(fields, "keyword");
      keyword != nullptr && !(keyword->IsString() && keyword->GetStringLength() == 0)) {
    if (auto upper = keyword->IsString() ? NormalizeKeyword(Str(*keyword)) : std::nullopt) {
      e.keyword = std::move(*upper);
    } else {
      errors.Add(ApiError::kKeywordInvalid);
    }
  }

  if (const Value* expires = Find(fields, "expires");
      expires != nullptr && !(expires->IsString() && expires->GetStringLength() == 0)) {
    auto at = expires->IsString() ? ParseFilterTime(Str(*expires))
                                  : core::MakeError(core::Errc::kInvalidArgument, "not a string");
    if (!at) {
      errors.Add(ApiError::kExpiresInvalid);
    } else if (*at <= now) {
      errors.Add(ApiError::kExpiresInvalid, "expires must be in the future.");
    } else {
      e.expires_at = *at;
    }
  }

  const Value* callback = Find(fields, "callback");
  const Value* profile = Find(fields, "callback_profile_id");
  if (callback != nullptr && profile != nullptr) {
    errors.Add(ApiError::kCallbackInvalid, "give callback or callback_profile_id, not both.");
  } else if (callback != nullptr) {
    auto text = ValidateInlineCallback(*callback, egress);
    if (text) {
      e.callback = std::move(*text);
    } else {
      errors.Add(text.error().error, std::move(text.error().reason));
    }
  } else if (profile != nullptr) {
    if (profile->IsString() && IsCallbackProfileId(Str(*profile), region)) {
      e.callback_profile_id = Str(*profile);
    } else {
      errors.Add(ApiError::kCallbackProfileInvalid,
                 "callback_profile_id must look like " +
                     std::string(core::RulesFor(region).profile_prefix) + "_<uuid>.");
    }
  }

  if (const Value* target = Find(fields, "target"); target != nullptr) {
    const std::string_view name = target->IsString() ? Str(*target) : "";
    if (name == "smpp") {
      e.target = store::InboundTarget::kSmpp;
      if (callback != nullptr || profile != nullptr) {
        // The MO goes to the account's SMPP binds instead of a webhook: a URL would be unused.
        errors.Add(ApiError::kInboundTargetInvalid,
                   "target smpp sends the messages to the account's SMPP binds: give no callback "
                   "or callback_profile_id.");
      }
    } else if (name != "webhook") {
      errors.Add(ApiError::kInboundTargetInvalid);
    }
  }

  if (!errors.Empty()) {
    return std::unexpected(errors.Take());
  }
  return e;
}

FieldError UnknownCallbackProfile(std::string_view id) {
  return MakeFieldError(
      ApiError::kCallbackProfileInvalid,
      "callback_profile_id " + std::string(id) + " is not a callback profile of this account.");
}

FieldError InboundNumberTaken(const store::InboundNumber& entry) {
  const std::string what =
      entry.keyword.empty()
          ? "Number " + entry.number + " is taken without a keyword"
          : "Keyword " + entry.keyword + " on number " + entry.number + " is taken";
  return MakeFieldError(
      ApiError::kInboundNumberTaken,
      what +
          ": a number shared by several accounts needs a keyword on every entry, one account "
          "may have one entry without keyword per number, and a keyword is used once per "
          "number.");
}

std::string InboundNumberJson(const store::InboundNumber& entry) {
  JsonWriter j;
  WriteEntry(j, entry);
  return j.Take();
}

std::string InboundNumberListJson(const std::vector<store::InboundNumber>& entries) {
  return ListJson(entries, WriteEntry);
}

}  // namespace smsgw::api
