#include "api/opt_out_requests.h"

#include "api/json_fields.h"
#include "api/json_writer.h"
#include "api/request_body.h"
#include "core/phone_number.h"
#include "core/sender_id.h"

namespace smsgw::api {
namespace {

using fields::Errors;
using fields::Find;
using fields::Str;

std::optional<std::string> Recipient(std::string_view raw) {
  auto number = core::NormalizePhoneNumber(raw, "");
  return number ? std::optional<std::string>(std::move(*number)) : std::nullopt;
}

std::optional<std::string> Sender(std::string_view raw) {
  return core::IsValidSenderId(raw) ? std::optional<std::string>(OptOutSender(raw)) : std::nullopt;
}

void WriteOptOut(JsonWriter& j, const store::OptOut& o) {
  j.w().StartObject();
  j.Field("recipient", o.recipient);
  j.FieldOrNull("sender", o.sender);
  j.Field("source", o.source);
  j.Field("created_at", core::FormatCreatedDateTime(o.created_at));
  j.w().EndObject();
}

}  // namespace

std::string OptOutSender(std::string_view sender) {
  const bool numeric = sender.size() > 1 && sender.front() == '+' &&
                       sender.find_first_not_of("0123456789", 1) == std::string_view::npos;
  return std::string(numeric ? sender.substr(1) : sender);
}

std::expected<store::OptOut, FieldErrors> ValidateOptOut(const rapidjson::Value& in,
                                                         std::string_view sid,
                                                         std::string_view source,
                                                         core::TimePoint now) {
  Errors errors;
  store::OptOut out;
  out.sid = sid;
  out.source = source;
  out.created_at = now;
  const rapidjson::Value* recipient = Find(in, "recipient");
  auto number =
      recipient != nullptr && recipient->IsString() ? Recipient(Str(*recipient)) : std::nullopt;
  if (!number) {
    errors.Add(ApiError::kRecipientFilterInvalid, "recipient must be a valid E.164 number.",
               "recipient");
  } else {
    out.recipient = std::move(*number);
  }
  if (const rapidjson::Value* sender = Find(in, "sender"); sender != nullptr) {
    auto s = sender->IsString() ? Sender(Str(*sender)) : std::nullopt;
    if (!s) {
      errors.Add(ApiError::kSenderInvalid);
    } else {
      out.sender = std::move(*s);
    }
  }
  if (!errors.Empty()) {
    return std::unexpected(errors.Take());
  }
  return out;
}

std::expected<OptOutQuery, FieldErrors> ParseOptOutQuery(std::string_view query) {
  Errors errors;
  OptOutQuery q;
  if (const std::string raw = QueryParam(query, "recipient"); !raw.empty()) {
    if (auto number = Recipient(raw)) {
      q.recipient = std::move(*number);
    } else {
      errors.Add(ApiError::kRecipientFilterInvalid, "recipient must be a valid E.164 number.",
                 "recipient");
    }
  }
  if (const std::string raw = QueryParam(query, "sender"); !raw.empty()) {
    if (auto s = Sender(raw)) {
      q.sender = std::move(*s);
    } else {
      errors.Add(ApiError::kSenderInvalid);
    }
  }
  if (const std::string raw = QueryParam(query, "cursor"); !raw.empty()) {
    // "<recipient>,<sender>": digits, then a sender ID (no comma in either).
    const size_t comma = raw.find(',');
    if (comma == std::string::npos || comma == 0 || raw.find_first_not_of("0123456789") != comma) {
      errors.Add(ApiError::kPagingInvalid, "cursor is not a next_cursor of an earlier page.",
                 "cursor");
    } else {
      q.cursor = store::OptOutStore::Cursor{raw.substr(0, comma), raw.substr(comma + 1)};
    }
  }
  if (const std::string raw = QueryParam(query, "limit"); !raw.empty()) {
    const bool digits = raw.size() <= 4 && raw.find_first_not_of("0123456789") == std::string::npos;
    const size_t n = digits ? std::stoul(raw) : 0;
    if (n < 1 || n > kMaxOptOutPage) {
      errors.Add(ApiError::kPagingInvalid, "limit must be 1 to 1000.", "limit");
    } else {
      q.limit = n;
    }
  }
  if (!errors.Empty()) {
    return std::unexpected(errors.Take());
  }
  return q;
}

std::string OptOutJson(const store::OptOut& opt_out) {
  JsonWriter j;
  WriteOptOut(j, opt_out);
  return j.Take();
}

std::string OptOutPageJson(const std::vector<store::OptOut>& page, size_t limit) {
  JsonWriter j;
  j.w().StartObject();
  j.Key("data");
  j.w().StartArray();
  for (const store::OptOut& o : page) {
    WriteOptOut(j, o);
  }
  j.w().EndArray();
  j.Key("next_cursor");
  if (page.size() == limit && !page.empty()) {
    j.Str(page.back().recipient + "," + page.back().sender);
  } else {
    j.w().Null();
  }
  return j.TakeWithNoError();
}

}  // namespace smsgw::api
