#include "api/webhook_requests.h"

#include <algorithm>

#include "api/json_fields.h"
#include "api/request_body.h"
#include "core/strings.h"
#include "core/time.h"

namespace smsgw::api {
namespace {

constexpr size_t kMaxCursor = 1024;  // far above any cursor the store hands out

void WriteTime(JsonWriter& j, std::string_view key, const std::optional<core::TimePoint>& t) {
  j.FieldOrNull(key, t ? core::FormatCreatedDateTime(*t) : std::string());
}

}  // namespace

std::string_view WebhookStateName(store::WebhookState state) {
  switch (state) {
    case store::WebhookState::kPending:
      return "pending";
    case store::WebhookState::kDelivered:
      return "delivered";
    case store::WebhookState::kExhausted:
      return "exhausted";
  }
  return "unknown";
}

std::optional<store::WebhookState> ParseWebhookState(std::string_view text) {
  for (store::WebhookState s : {store::WebhookState::kPending, store::WebhookState::kDelivered,
                                store::WebhookState::kExhausted}) {
    if (core::EqualsIgnoreCase(text, WebhookStateName(s))) {
      return s;
    }
  }
  return std::nullopt;
}

std::expected<WebhookListQuery, FieldErrors> ParseWebhookListQuery(std::string_view query) {
  fields::Errors errors;
  WebhookListQuery out;
  if (const std::string state = QueryParam(query, "state"); !state.empty()) {
    if (auto parsed = ParseWebhookState(state)) {
      out.state = *parsed;
    } else {
      errors.Add(ApiError::kWebhookStateInvalid);
    }
  }
  if (std::string cursor = QueryParam(query, "cursor"); !cursor.empty()) {
    if (cursor.size() <= kMaxCursor) {
      out.cursor = std::move(cursor);
    } else {
      errors.Add(ApiError::kPagingInvalid, "cursor is not a next_cursor of an earlier page.",
                 "cursor");
    }
  }
  if (const std::string limit = QueryParam(query, "limit"); !limit.empty()) {
    // At most 4 digits: anything longer is out of range, and cannot overflow.
    if (fields::AllDigits(limit) && limit.size() <= 4 && std::stoul(limit) >= 1 &&
        std::stoul(limit) <= kMaxWebhookPage) {
      out.limit = std::stoul(limit);
    } else {
      errors.Add(ApiError::kPagingInvalid, "limit must be an integer from 1 to 1000.");
    }
  }
  if (!errors.Empty()) {
    return std::unexpected(errors.Take());
  }
  return out;
}

std::expected<std::string, FieldErrors> ValidateWebhookSecret(const rapidjson::Value& body) {
  const rapidjson::Value* v = fields::Find(body, "secret");
  if (v == nullptr || !v->IsString()) {
    return std::unexpected(FieldErrors{MakeFieldError(
        ApiError::kWebhookSecretInvalid, v == nullptr ? "secret is required." : std::string())});
  }
  const std::string_view secret = fields::Str(*v);
  const bool printable =
      std::all_of(secret.begin(), secret.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
  if (!printable || secret.size() < kMinWebhookSecret || secret.size() > kMaxWebhookSecret) {
    return std::unexpected(FieldErrors{MakeFieldError(
        ApiError::kWebhookSecretInvalid,
        printable ? "secret must be 16-128 characters; got " + std::to_string(secret.size()) + "."
                  : std::string())});
  }
  return std::string(secret);
}

void WriteWebhook(JsonWriter& j, const store::WebhookSummary& w, bool with_log) {
  j.w().StartObject();
  j.Field("event_id", w.event_id);
  j.Field("kind", w.kind == store::WebhookKind::kStatus ? "status" : "inbound");
  j.Field("subject_id", w.subject_id);
  j.Field("state", WebhookStateName(w.state));
  j.Key("attempts");
  j.w().Int(w.attempts);
  j.Field("last_error", w.last_error);
  j.Field("created_at", core::FormatCreatedDateTime(w.created_at));
  WriteTime(j, "next_attempt_at", w.next_attempt_at);
  WriteTime(j, "finished_at", w.finished_at);
  if (with_log) {
    j.Key("attempt_log");
    j.w().StartArray();
    for (const store::AttemptRecord& a : w.attempt_log) {
      j.w().StartObject();
      j.Key("n");
      j.w().Int(a.n);
      j.Field("at", core::FormatCreatedDateTime(a.at));
      j.Key("http_status");
      j.w().Int(a.http_status);
      j.Field("error", a.error);
      j.Key("latency_ms");
      j.w().Int64(a.latency.count());
      j.w().EndObject();
    }
    j.w().EndArray();
  }
  j.w().EndObject();
}

std::string WebhookPageJson(const store::WebhookPage& page) {
  JsonWriter j;
  j.w().StartObject();
  j.Key("data");
  j.w().StartArray();
  for (const store::WebhookSummary& w : page.webhooks) {
    WriteWebhook(j, w, false);
  }
  j.w().EndArray();
  j.FieldOrNull("next_cursor", page.next_cursor);
  return j.TakeWithNoError();
}

std::string ReplayedJson(std::string_view event_id) {
  JsonWriter j;
  j.w().StartObject();
  j.Field("event_id", event_id);
  j.Field("state", WebhookStateName(store::WebhookState::kPending));
  j.w().EndObject();
  return j.Take();
}

}  // namespace smsgw::api
