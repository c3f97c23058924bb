#pragma once
// The message log as clients see it (docs/api/messages.md): the query of
// `GET /ext/v1/{sid}/messages`, checked with every bad parameter reported at once, and the JSON
// of one message, a page of messages and a cancellation. Field names and time forms follow the
// send and status responses of the contract where a field appears there. Pure; thread-compatible.

#include <cstddef>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/errors.h"
#include "core/message.h"
#include "core/region.h"
#include "store/message_log.h"
#include "store/webhook_store.h"

namespace smsgw::api {

inline constexpr size_t kDefaultMessagePage = 100;
inline constexpr size_t kMaxMessagePage = 1000;

// smsgw's own name of an internal state, as the `state` field shows it and `status` accepts:
// "queued", "scheduled", "submitting", "submitted", "delivered", "undelivered", "not_sent".
std::string_view StateName(core::MessageState s);

// A `status` filter: a comma-separated list of Kaleyra words (Pending, Sent, Delivered,
// UnDelivered, NotSent) and internal state names, case-insensitive. Pending stands for queued,
// scheduled and submitting. The states in enum order without repeats; nullopt when any item is
// neither (an empty item included).
std::optional<std::vector<core::MessageState>> ParseStatusFilter(std::string_view text);

// `from` / `to`: ISO-8601 with an offset (a '+' that the query string turned into a space is
// read as '+'), or `YYYY-MM-DD HH:MM:SS` taken as UTC (so a createdDateTime value works too).
core::Result<core::TimePoint> ParseFilterTime(std::string_view text);

struct MessageListQuery {
  // Every state the caller asked for; empty = any. The store filters one state itself
  // (`filter.state`); for several (Pending), `filter.state` is unset and the caller keeps only
  // the messages in `states` (MatchesStates).
  std::vector<core::MessageState> states;
  store::MessageFilter filter;
  std::string cursor;
  size_t limit = kDefaultMessagePage;
};

// The query string of GET /ext/v1/{sid}/messages: status, recipient (with or without '+'),
// sender, type (one of the region's), ref, campaign_name, from (inclusive), to (exclusive),
// cursor, limit (1..1000, default 100). Empty values are absent; other parameters are ignored.
std::expected<MessageListQuery, FieldErrors> ParseMessageListQuery(std::string_view query,
                                                                   core::Region region);

// Whether `message` is in one of `states` (empty: any).
bool MatchesStates(const core::Message& message, std::span<const core::MessageState> states);

// One message with its attempts, parts, history and webhooks (store::WebhookStore::WebhooksOf,
// each with its attempt log).
std::string MessageDetailJson(const store::MessageDetail& detail,
                              std::span<const store::WebhookSummary> webhooks = {});
// {"data": [message, ...], "next_cursor": "..." or null, "error": {}}
std::string MessageListJson(std::span<const core::Message> messages, std::string_view next_cursor);
// {"message_id", "status", "status_details", "state"} after a cancellation.
std::string CancelledJson(std::string_view message_id);

}  // namespace smsgw::api
