#pragma once
// Moving a message to a new status on PostgreSQL, with what goes with the change in the same
// transaction: the message's row, its event (store/message_log.h StatusEvent) and the event's
// webhook (outbox.h). Every writer of a status (DeliveryStore, Enqueue over a country
// cap, cancels) goes through here, so each change writes the same rows. The message row is locked
// first (FOR UPDATE): two nodes applying receipts for two parts of one message, or a receipt racing
// a cancel, take turns on it, and the second reads what the first wrote.

#include <optional>
#include <string>
#include <string_view>

#include "core/delivery_status.h"
#include "core/message.h"
#include "core/result.h"
#include "store/postgres/pg_connection.h"

namespace smsgw::store::postgres {

class TransactionOutbox;  // outbox.h

// What a transaction knows of a message it is moving, and what the status webhook of its change
// reports and where it goes (store/webhook_store.h WebhookJob::message).
struct MessageRow {
  std::string id;
  std::string sid;
  core::MessageState state = core::MessageState::kQueued;
  std::string status_details;
  int parts_total = 0;
  core::RouteType type = core::RouteType::kDefault;
  std::string request_id, recipient, sender;
  int segments = 0;
  std::string ref, ref1, ref2, ref_custom, campaign_name;
  std::string callback, callback_profile_id;
  // The SMPP origin its receipts need (smpp_outbox.h): '' and 0 for an API send.
  std::string smpp_system_id;
  uint8_t registered_delivery = 0;
  // Not read from the row: set by the caller for the delivery rollups (Settle). The connector
  // that handled the message ('' when none did), and the delay of the receipt settling it.
  std::string connector;
  std::optional<double> receipt_delay;
};

// What every statement that locks messages to move them reads, in ReadMessageRow's order.
#define SMSGW_PG_MESSAGE_ROW_COLUMNS                                                      \
  "id, sid, state, status_details, parts_total, type, request_id, recipient, sender, "    \
  "segments, ref, ref1, ref2, ref_custom, campaign_name, callback, callback_profile_id, " \
  "coalesce(smpp_system_id, ''), coalesce(registered_delivery, 0)"

// The columns SMSGW_PG_MESSAGE_ROW_COLUMNS of row `i` of `rows`.
core::Result<MessageRow> ReadMessageRow(const Rows& rows, int i);

// The message as a status webhook reports it (only WebhookJob::message's fields).
core::Message ReportedMessage(const MessageRow& row);

// The message `id`, locked until the transaction ends; nullopt when there is none.
core::Result<std::optional<MessageRow>> LockMessage(Connection& conn, std::string_view id);

// Moves `row` to `change` (when core::CanTransition allows it; else nothing happens) at `at`,
// recording `parts_total`, takes it out of the due index, and writes its event and, when the
// message or its account has a target, the event's status webhook (WriteStatusWebhook,
// outbox.h; `webhooks` is the transaction's, InSettlingTransaction). `row` is updated to
// what was written.
core::Result<void> Settle(Connection& conn, MessageRow& row, const core::StatusChange& change,
                          int parts_total, core::TimePoint at, TransactionOutbox& webhooks);

// Locks the message `id` and ends it kNotSent with `details` (as Settle). kInternal when the
// message does not exist: callers end messages they have just stored or claimed.
core::Result<void> EndNotSent(Connection& conn, std::string_view id, std::string_view details,
                              core::TimePoint at, TransactionOutbox& webhooks);

}  // namespace smsgw::store::postgres
