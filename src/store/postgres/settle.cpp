#include "store/postgres/settle.h"

#include <utility>

#include "core/ids.h"
#include "store/postgres/outbox.h"
#include "store/postgres/smpp_outbox.h"

namespace smsgw::store::postgres {
namespace {

constexpr const char* kLockMessage =
    "SELECT " SMSGW_PG_MESSAGE_ROW_COLUMNS " FROM messages WHERE id = $1 FOR UPDATE";
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
  MessageRow row;
  row.id = rows.Text(i, 0);
  row.sid = rows.Text(i, 1);
  row.state = *state;
  row.status_details = rows.Text(i, 3);
  row.parts_total = static_cast<int>(rows.Int(i, 4));
  row.type = *type;
  row.request_id = rows.Text(i, 6);
  row.recipient = rows.Text(i, 7);
  row.sender = rows.Text(i, 8);
  row.segments = static_cast<int>(rows.Int(i, 9));
  row.ref = rows.Text(i, 10);
  row.ref1 = rows.Text(i, 11);
  row.ref2 = rows.Text(i, 12);
  row.ref_custom = rows.Text(i, 13);
  row.campaign_name = rows.Text(i, 14);
  row.callback = rows.Text(i, 15);
  row.callback_profile_id = rows.Text(i, 16);
  row.smpp_system_id = rows.Text(i, 17);
  row.registered_delivery = static_cast<uint8_t>(rows.Int(i, 18) & 0xFF);
  return row;
}

core::Message ReportedMessage(const MessageRow& row) {
  core::Message m;
  m.id = row.id;
  m.request_id = row.request_id;
  m.sid = row.sid;
  m.recipient = row.recipient;
  m.sender = row.sender;
  m.segments = row.segments;
  m.ref = row.ref;
  m.ref1 = row.ref1;
  m.ref2 = row.ref2;
  m.ref_custom = row.ref_custom;
  m.campaign_name = row.campaign_name;
  m.state = row.state;
  m.status_details = row.status_details;
  return m;
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
                          int parts_total, core::TimePoint at, TransactionOutbox& webhooks) {
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
  if (core::IsFinal(change.state)) {
    webhooks.Finished(row, change.state, at);
  }
  const StatusEvent event{core::NewUuid(), row.id, row.sid, change.state, change.details, at};
  auto inserted = conn.Exec(kInsertEvent, Params()
                                              .Text(event.message_id)
                                              .Text(event.event_id)
                                              .Text(event.sid)
                                              .Int(static_cast<int64_t>(event.state))
                                              .Text(event.details)
                                              .Time(event.at));
  if (!inserted) {
    return Fail(std::move(inserted));
  }
  row.state = change.state;
  row.status_details = change.details;
  row.parts_total = parts_total;
  if (auto written = WriteStatusWebhook(conn, row, event, webhooks); !written) {
    return written;
  }
  return WriteSmppReceipt(conn, row, event, webhooks.smpp_outbox());
}

core::Result<void> EndNotSent(Connection& conn, std::string_view id, std::string_view details,
                              core::TimePoint at, TransactionOutbox& webhooks) {
  auto row = LockMessage(conn, id);
  if (!row) {
    return Fail(std::move(row));
  }
  if (!*row) {
    return core::MakeError(core::Errc::kInternal, "message " + std::string(id) + " vanished");
  }
  return Settle(conn, **row, {core::MessageState::kNotSent, std::string(details)},
                (*row)->parts_total, at, webhooks);
}

}  // namespace smsgw::store::postgres
