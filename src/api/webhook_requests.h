#pragma once
// The webhook outbox as clients see it (docs/api/webhooks-api.md): the query of
// `GET /ext/v1/{sid}/webhooks`, the body of `PUT /ext/v1/{sid}/webhook-secret` (also what
// `smsgw account set-webhook-secret` checks), and the JSON of webhooks, alone or with their
// attempt logs in a message's detail. Pure; thread-compatible.

#include <rapidjson/document.h>

#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "api/errors.h"
#include "api/json_writer.h"
#include "store/webhook_store.h"

namespace smsgw::api {

inline constexpr size_t kDefaultWebhookPage = 100;
inline constexpr size_t kMaxWebhookPage = 1000;
inline constexpr size_t kMinWebhookSecret = 16;
inline constexpr size_t kMaxWebhookSecret = 128;

// "pending", "delivered", "exhausted".
std::string_view WebhookStateName(store::WebhookState state);
// A state name, case-insensitive.
std::optional<store::WebhookState> ParseWebhookState(std::string_view text);

struct WebhookListQuery {
  store::WebhookState state = store::WebhookState::kExhausted;
  std::string cursor;
  size_t limit = kDefaultWebhookPage;
};
// `state` (default exhausted; E471), `cursor` (E428), `limit` (1..1000, default 100; E428).
// Empty values are absent; other parameters are ignored.
std::expected<WebhookListQuery, FieldErrors> ParseWebhookListQuery(std::string_view query);

// `secret`: 16-128 printable ASCII characters (space to '~'). Returns it, or E470.
std::expected<std::string, FieldErrors> ValidateWebhookSecret(const rapidjson::Value& fields);

// {"event_id", "kind": "status"|"inbound", "subject_id", "state", "attempts", "last_error",
//  "created_at", "next_attempt_at", "finished_at"[, "attempt_log": [{"n", "at", "http_status",
//  "error", "latency_ms"}, ...]]}; times null when unset.
void WriteWebhook(JsonWriter& j, const store::WebhookSummary& webhook, bool with_log);
// {"data": [webhook, ...], "next_cursor": "..." | null, "error": {}}
std::string WebhookPageJson(const store::WebhookPage& page);
// {"event_id", "state": "pending"} after a replay.
std::string ReplayedJson(std::string_view event_id);

}  // namespace smsgw::api
