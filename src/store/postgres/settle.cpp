#include "store/postgres/settle.h"

#include <utility>

#include "core/ids.h"

namespace smsgw::store::postgres {
namespace {

constexpr const char* kLockMessage =
    "SELECT id, sid, state, status_details, parts_total, type FROM messages WHERE id = $1 "
    "FOR UPDATE";
// Every state a settle moves to no longer waits: out of messages_due.
constexpr const char* kSettle =
    "UPDATE messages SET state = $2, status_details = $3, updated_at = $4, parts_total = $5, "
    "due_at = NULL, claim_owner = '' WHERE id = $1";
constexpr const char* kInsertEvent =
    "INSERT INTO message_events (message_id, event_id, sid, state, details, at) "
    "VALUES ($1, $2, $3, $4, $5, $6)";

}  // namespace

core::Result<MessageRow> ReadMessageRow(const Rows& rows, int i) {
  auto state = rows.Enum(i, 2, core::MessageState::kNotSent, "message state");
  if (!state) {
    return Fail(std::move(state));
  }
  auto type = rows.Enum(i, 5, core::RouteType::kDefault, "route type");
  if (!type) {
    return Fail(std::move(type));
  }
  return MessageRow{rows.Text(i, 0),
                    rows.Text(i, 1),
                    *state,
                    rows.Text(i, 3),
                    static_cast<int>(rows.Int(i, 4)),
                    *type};
}

core::Result<std::optional<MessageRow>> LockMessage(Connection& conn, std::string_view id) {
  auto rows = conn.Exec(kLockMessage, Params().Text(id));
  if (!rows) {
    return Fail(std::move(rows));
  }
  if (rows->rows() == 0) {
    return std::nullopt;
  }
  auto row = ReadMessageRow(*rows, 0);
  if (!row) {
    return Fail(std::move(row));
  }
  return std::optional<MessageRow>(std::move(*row));
}

core::Result<void> Settle(Connection& conn, MessageRow& row, const core::StatusChange& change,
                          int parts_total, core::TimePoint at) {
  if (!core::CanTransition(row.state, change.state)) {
    return {};
  }
  auto settled = conn.Exec(kSettle, Params()
                                        .Text(row.id)
                                        .Int(static_cast<int64_t>(change.state))
                                        .Text(change.details)
                                        .Time(at)
                                        .Int(parts_total));
  if (!settled) {
    return Fail(std::move(settled));
  }
  auto event = conn.Exec(kInsertEvent, Params()
                                           .Text(row.id)
                                           .Text(core::NewUuid())
                                           .Text(row.sid)
                                           .Int(static_cast<int64_t>(change.state))
                                           .Text(change.details)
                                           .Time(at));
  if (!event) {
    return Fail(std::move(event));
  }
  row.state = change.state;
  row.status_details = change.details;
  row.parts_total = parts_total;
  return {};
}

core::Result<void> EndNotSent(Connection& conn, std::string_view id, std::string_view details,
                              core::TimePoint at) {
  auto row = LockMessage(conn, id);
  if (!row) {
    return Fail(std::move(row));
  }
  if (!*row) {
    return core::MakeError(core::Errc::kInternal, "message " + std::string(id) + " vanished");
  }
  return Settle(conn, **row, {core::MessageState::kNotSent, std::string(details)},
                (*row)->parts_total, at);
}

}  // namespace smsgw::store::postgres
