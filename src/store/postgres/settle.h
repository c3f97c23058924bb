#pragma once
// Moving a message to a new status on PostgreSQL, with what goes with the change in the same
// transaction: the message's row and its event (store/message_log.h StatusEvent). Every writer of
// a status (DeliveryStore, Enqueue over a country cap, cancels) goes through here, so each change
// writes the same rows. The message row is locked first (FOR UPDATE): two nodes applying receipts
// for two parts of one message, or a receipt racing a cancel, take turns on it, and the second
// reads what the first wrote.

#include <optional>
#include <string>
#include <string_view>

#include "core/delivery_status.h"
#include "core/message.h"
#include "core/result.h"
#include "store/postgres/pg_connection.h"

namespace smsgw::store::postgres {

// What a transaction knows of a message it is moving.
struct MessageRow {
  std::string id;
  std::string sid;
  core::MessageState state = core::MessageState::kQueued;
  std::string status_details;
  int parts_total = 0;
  core::RouteType type = core::RouteType::kDefault;
};

// The columns "id, sid, state, status_details, parts_total, type" of row `i` of `rows`.
core::Result<MessageRow> ReadMessageRow(const Rows& rows, int i);

// The message `id`, locked until the transaction ends; nullopt when there is none.
core::Result<std::optional<MessageRow>> LockMessage(Connection& conn, std::string_view id);

// Moves `row` to `change` (when core::CanTransition allows it; else nothing happens) at `at`,
// recording `parts_total`, takes it out of the due index, and writes its event. `row` is updated
// to what was written.
core::Result<void> Settle(Connection& conn, MessageRow& row, const core::StatusChange& change,
                          int parts_total, core::TimePoint at);

// Locks the message `id` and ends it kNotSent with `details` (as Settle). kInternal when the
// message does not exist: callers end messages they have just stored or claimed.
core::Result<void> EndNotSent(Connection& conn, std::string_view id, std::string_view details,
                              core::TimePoint at);

}  // namespace smsgw::store::postgres
