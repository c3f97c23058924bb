#pragma once
// MessageLog is the read side behind the extension endpoints: one message with its parts and
// status history, and the account's messages newest first with filters and cursor paging. Reads
// never wait for writes. Calls block and are safe from any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/delivery_status.h"
#include "core/message.h"
#include "core/result.h"
#include "core/time.h"

namespace smsgw::store {

struct PartRecord {
  int part = 1;
  std::string connector;
  std::string smsc_id;  // as the SMSC sent it
  core::PartState state = core::PartState::kSubmitted;
  std::string stat, err;  // from the last receipt; empty before one
  core::TimePoint submitted_at;
  std::optional<core::TimePoint> done_at;  // when the final receipt arrived
};

// One row of a message's event log (= the webhook outbox): one per status change.
struct StatusEvent {
  std::string event_id;  // UUIDv7, stable: webhooks send it as event_id
  std::string message_id;
  std::string sid;
  core::MessageState state;
  std::string details;  // status_details at that change
  core::TimePoint at;
};

struct MessageDetail {
  core::Message message;
  int attempts = 0;
  std::string last_error;  // the reason of the last temporary failure; empty when none
  core::TimePoint updated_at;
  std::vector<PartRecord> parts;     // in part order
  std::vector<StatusEvent> history;  // oldest first
};

struct MessageFilter {
  std::optional<core::MessageState> state;  // exact internal state
  std::string recipient;                    // E.164 without '+'; empty = any
  std::string sender;
  std::optional<core::RouteType> type;
  std::string ref;
  std::string campaign_name;
  std::optional<core::TimePoint> created_from;  // inclusive
  std::optional<core::TimePoint> created_to;    // exclusive
};

struct MessagePage {
  std::vector<core::Message> messages;  // newest first (created_at, then id, descending)
  // Opaque; pass back to get the next page. Empty on the last page.
  std::string next_cursor;
};

class MessageLog {
 public:
  virtual ~MessageLog() = default;

  // kNotFound for an unknown id or another account's message.
  virtual core::Result<MessageDetail> GetDetail(std::string_view sid, std::string_view id) = 0;

  // Up to `limit` messages of `sid` matching `filter`, after `cursor` (empty: from the newest).
  // A malformed cursor, or a `limit` of 0, is kInvalidArgument. Served by an index on (sid,
  // created_at): a page costs about `limit` rows read when no filter is set, and stays bounded
  // with filters, so a page may hold fewer than `limit` messages (even none) while next_cursor is
  // not empty: keep paging until it is.
  virtual core::Result<MessagePage> List(std::string_view sid, const MessageFilter& filter,
                                         std::string_view cursor, size_t limit) = 0;
};

}  // namespace smsgw::store
