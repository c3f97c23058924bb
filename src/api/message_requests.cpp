#include "api/message_requests.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <array>
#include <utility>

#include "api/json_writer.h"
#include "api/request_body.h"
#include "api/webhook_requests.h"
#include "core/delivery_status.h"
#include "core/json.h"
#include "core/sender_id.h"
#include "core/strings.h"
#include "text/utf8.h"

namespace smsgw::api {
namespace {

using core::MessageState;

constexpr size_t kMaxFilterText = 255;  // ref, campaign_name: as long as a send allows
constexpr size_t kMaxCursor = 1024;     // far above any cursor the store hands out

constexpr std::array<MessageState, 7> kAllStates = {
    MessageState::kQueued,    MessageState::kScheduled, MessageState::kSubmitting,
    MessageState::kSubmitted, MessageState::kDelivered, MessageState::kUndelivered,
    MessageState::kNotSent};

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

using Json = JsonWriter;

// ref_custom is stored as the JSON array text the send validated; anything else (a row changed
// behind smsgw's back) is shown as null rather than breaking the response.
void WriteRefCustom(Json& j, const std::string& stored) {
  j.Key("ref_custom");
  rapidjson::Document doc;
  if (stored.empty() || !core::ParseJson(stored, doc) || !doc.IsArray()) {
    j.w().Null();
    return;
  }
  doc.Accept(j.w());
}

// The fields of a message, in the order of the send response, then its status.
void WriteMessageFields(Json& j, const core::Message& m) {
  j.Field("message_id", m.id);
  j.Field("id", m.request_id);
  j.Field("recipient", m.recipient);
  j.Field("sender", m.sender);
  j.Field("body", m.body);
  j.Field("type", core::ToString(m.type));
  j.Field("unicode", m.unicode);
  j.Field("encoding", core::ToString(m.encoding));
  j.Key("segments");
  j.w().Int(m.segments);
  j.Field("flash", m.flash ? "1" : "0");
  j.FieldOrNull("template_id", m.template_id);
  j.Field("ref", m.ref);
  j.Field("ref1", m.ref1);
  j.Field("ref2", m.ref2);
  WriteRefCustom(j, m.ref_custom);
  j.Field("campaign_name", m.campaign_name);
  j.FieldOrNull("callback_profile_id", m.callback_profile_id);
  j.Field("createdDateTime", core::FormatCreatedDateTime(m.created_at));
  j.FieldOrNull("time", m.send_at ? core::FormatIso8601(*m.send_at) : std::string());
  j.Field("status", core::KaleyraStatus(m.state));
  j.Field("status_details", m.status_details);
  j.Field("state", StateName(m.state));
}

void WriteMessage(Json& j, const core::Message& m) {
  j.w().StartObject();
  WriteMessageFields(j, m);
  j.w().EndObject();
}

void Add(FieldErrors& errors, ApiError e, std::string reason = {}, std::string field = {}) {
  errors.push_back(MakeFieldError(e, std::move(reason), std::move(field)));
}

std::optional<std::string> FilterText(const std::string& value, std::string_view name,
                                      ApiError error, FieldErrors& errors) {
  auto count = text::CountCodePoints(value);
  if (!count) {
    Add(errors, error, std::string(name) + ": " + count.error().message + ".", std::string(name));
    return std::nullopt;
  }
  if (*count > kMaxFilterText) {
    Add(errors, error, std::string(name) + " is longer than 255 characters.", std::string(name));
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::string_view StateName(core::MessageState s) {
  switch (s) {
    case MessageState::kQueued:
      return "queued";
    case MessageState::kScheduled:
      return "scheduled";
    case MessageState::kSubmitting:
      return "submitting";
    case MessageState::kSubmitted:
      return "submitted";
    case MessageState::kDelivered:
      return "delivered";
    case MessageState::kUndelivered:
      return "undelivered";
    case MessageState::kNotSent:
      return "not_sent";
  }
  return "unknown";
}

std::optional<std::vector<core::MessageState>> ParseStatusFilter(std::string_view text) {
  std::array<bool, kAllStates.size()> wanted{};
  for (;;) {
    const size_t comma = text.find(',');
    const std::string_view item = core::TrimAscii(text.substr(0, comma));
    bool known = false;
    for (MessageState s : kAllStates) {
      // Kaleyra's word groups states (Pending); the internal name picks one.
      if (core::EqualsIgnoreCase(item, core::KaleyraStatus(s)) ||
          core::EqualsIgnoreCase(item, StateName(s))) {
        wanted[static_cast<size_t>(s)] = true;
        known = true;
      }
    }
    if (!known) {
      return std::nullopt;
    }
    if (comma == std::string_view::npos) {
      break;
    }
    text = text.substr(comma + 1);
  }
  std::vector<core::MessageState> out;
  for (MessageState s : kAllStates) {
    if (wanted[static_cast<size_t>(s)]) {
      out.push_back(s);
    }
  }
  return out;
}

core::Result<core::TimePoint> ParseFilterTime(std::string_view text) {
  std::string t(text);
  if (t.size() == 19 && t[10] == ' ') {
    t += 'Z';
  } else if (t.size() > 19 && t[19] == ' ') {
    t[19] = '+';
  }
  auto parsed = core::ParseIso8601(t);
  if (!parsed) {
    return core::MakeError(core::Errc::kInvalidArgument,
                           "'" + std::string(text) +
                               "' is not YYYY-MM-DDTHH:MM:SS+HH:MM (or Z) or YYYY-MM-DD HH:MM:SS");
  }
  return parsed;
}

std::expected<MessageListQuery, FieldErrors> ParseMessageListQuery(std::string_view query,
                                                                   core::Region region) {
  auto param = [query](std::string_view name) { return QueryParam(query, name); };
  FieldErrors errors;
  MessageListQuery out;

  if (const std::string status = param("status"); !status.empty()) {
    if (auto states = ParseStatusFilter(status)) {
      out.states = std::move(*states);
      if (out.states.size() == 1) {
        out.filter.state = out.states.front();
      }
    } else {
      Add(errors, ApiError::kStatusFilterInvalid);
    }
  }

  if (const std::string recipient = param("recipient"); !recipient.empty()) {
    // An unencoded '+' arrives as a space (form decoding); either way it is not stored.
    std::string_view digits = recipient;
    if (digits.front() == '+' || digits.front() == ' ') {
      digits.remove_prefix(1);
    }
    if (IsDigits(digits) && digits.size() <= 15) {
      out.filter.recipient = digits;
    } else {
      Add(errors, ApiError::kRecipientFilterInvalid);
    }
  }

  if (const std::string sender = param("sender"); !sender.empty()) {
    if (core::IsValidSenderId(sender)) {
      out.filter.sender = sender;
    } else {
      Add(errors, ApiError::kSenderInvalid);
    }
  }

  if (const std::string type = param("type"); !type.empty()) {
    const auto parsed = core::ParseRouteType(type);
    if (parsed && core::AllowsType(region, *parsed)) {
      out.filter.type = *parsed;
    } else {
      Add(errors, ApiError::kTypeInvalid,
          "type must be one of " + core::AllowedTypesText(region) + " in region " +
              std::string(core::ToString(region)) + ".");
    }
  }

  if (const std::string ref = param("ref"); !ref.empty()) {
    if (auto value = FilterText(ref, "ref", ApiError::kRefInvalid, errors)) {
      out.filter.ref = std::move(*value);
    }
  }

  if (const std::string name = param("campaign_name"); !name.empty()) {
    const bool ok =
        name.size() <= kMaxFilterText && std::all_of(name.begin(), name.end(), [](char c) {
          return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-';
        });
    if (ok) {
      out.filter.campaign_name = name;
    } else {
      Add(errors, ApiError::kCampaignNameInvalid);
    }
  }

  bool times_ok = true;
  for (auto [name, target] :
       {std::pair{"from", &out.filter.created_from}, std::pair{"to", &out.filter.created_to}}) {
    if (const std::string value = param(name); !value.empty()) {
      if (auto t = ParseFilterTime(value)) {
        *target = *t;
      } else {
        Add(errors, ApiError::kTimeRangeInvalid, std::string(name) + ": " + t.error().message + ".",
            name);
        times_ok = false;
      }
    }
  }
  if (times_ok && out.filter.created_from && out.filter.created_to &&
      *out.filter.created_to <= *out.filter.created_from) {
    Add(errors, ApiError::kTimeRangeInvalid, "to must be later than from.", "to");
  }

  if (std::string cursor = param("cursor"); !cursor.empty()) {
    if (cursor.size() <= kMaxCursor) {
      out.cursor = std::move(cursor);
    } else {
      Add(errors, ApiError::kPagingInvalid, "cursor is not a next_cursor of an earlier page.",
          "cursor");
    }
  }

  if (const std::string limit = param("limit"); !limit.empty()) {
    // At most 4 digits: anything longer is out of range, and cannot overflow.
    if (IsDigits(limit) && limit.size() <= 4 && std::stoul(limit) >= 1 &&
        std::stoul(limit) <= kMaxMessagePage) {
      out.limit = std::stoul(limit);
    } else {
      Add(errors, ApiError::kPagingInvalid, "limit must be an integer from 1 to 1000.");
    }
  }

  if (!errors.empty()) {
    return std::unexpected(std::move(errors));
  }
  return out;
}

bool MatchesStates(const core::Message& message, std::span<const core::MessageState> states) {
  return states.empty() || std::find(states.begin(), states.end(), message.state) != states.end();
}

std::string MessageDetailJson(const store::MessageDetail& detail,
                              std::span<const store::WebhookSummary> webhooks) {
  Json j;
  j.w().StartObject();
  WriteMessageFields(j, detail.message);
  j.Key("attempts");
  j.w().Int(detail.attempts);
  j.Field("last_error", detail.last_error);
  j.Field("updated_at", core::FormatCreatedDateTime(detail.updated_at));
  j.Key("parts");
  j.w().StartArray();
  for (const store::PartRecord& p : detail.parts) {
    j.w().StartObject();
    j.Key("part");
    j.w().Int(p.part);
    j.Field("connector", p.connector);
    j.Field("smsc_id", p.smsc_id);
    j.Field("state", core::ToString(p.state));
    j.Field("stat", p.stat);
    j.Field("err", p.err);
    j.Field("submitted_at", core::FormatCreatedDateTime(p.submitted_at));
    j.FieldOrNull("done_at", p.done_at ? core::FormatCreatedDateTime(*p.done_at) : std::string());
    j.w().EndObject();
  }
  j.w().EndArray();
  j.Key("history");
  j.w().StartArray();
  for (const store::StatusEvent& e : detail.history) {
    j.w().StartObject();
    j.Field("event_id", e.event_id);
    j.Field("status", core::KaleyraStatus(e.state));
    j.Field("status_details", e.details);
    j.Field("state", StateName(e.state));
    j.Field("at", core::FormatCreatedDateTime(e.at));
    j.w().EndObject();
  }
  j.w().EndArray();
  j.Key("webhooks");
  j.w().StartArray();
  for (const store::WebhookSummary& w : webhooks) {
    WriteWebhook(j, w, true);
  }
  j.w().EndArray();
  j.w().EndObject();
  return j.Take();
}

std::string MessageListJson(std::span<const core::Message> messages, std::string_view next_cursor) {
  Json j;
  j.w().StartObject();
  j.Key("data");
  j.w().StartArray();
  for (const core::Message& m : messages) {
    WriteMessage(j, m);
  }
  j.w().EndArray();
  j.FieldOrNull("next_cursor", next_cursor);
  return j.TakeWithNoError();
}

std::string CancelledJson(std::string_view message_id) {
  // DeliveryStore::Cancel ends a message kNotSent / CANCELLED, nothing else.
  Json j;
  j.w().StartObject();
  j.Field("message_id", message_id);
  j.Field("status", core::KaleyraStatus(MessageState::kNotSent));
  j.Field("status_details", "CANCELLED");
  j.Field("state", StateName(MessageState::kNotSent));
  j.w().EndObject();
  return j.Take();
}

}  // namespace smsgw::api
