#include "store/postgres/messages.h"

#include <array>
#include <utility>

#include "core/delivery_status.h"
#include "store/postgres/country_caps.h"
#include "store/postgres/outbox.h"
#include "store/postgres/settle.h"

namespace smsgw::store::postgres {
namespace {

// One array per column, in this order; unnest() zips them into rows. priority and due_at place a
// waiting message in messages_due, where claims find it.
constexpr const char* kInsertMessages =
    "INSERT INTO messages (id, request_id, sid, recipient, sender, body, type, encoding, segments, "
    "flash, unicode, created_at, send_at, template_id, template_data, ref, ref1, ref2, ref_custom, "
    "campaign_name, callback_profile_id, callback, channel, source, state, status_details, "
    "updated_at, entity_id, expires_at, priority, due_at, smpp_system_id, registered_delivery) "
    "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], "
    "$7::int[], $8::int[], $9::int[], $10::boolean[], $11::text[], $12::bigint[], $13::bigint[], "
    "$14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], "
    "$21::text[], $22::text[], $23::text[], $24::text[], $25::int[], $26::text[], $27::bigint[], "
    "$28::text[], $29::bigint[], $30::int[], $31::bigint[], $32::text[], $33::int[])";
constexpr int kInsertColumns = 33;

// A key stored within the window ($6) stays: the DO UPDATE's WHERE fails, and no row comes back.
constexpr const char* kUpsertKey =
    "INSERT INTO idempotency_keys (sid, key, fingerprint, response, created_at) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sid, key) DO UPDATE SET "
    "fingerprint = excluded.fingerprint, response = excluded.response, "
    "created_at = excluded.created_at WHERE idempotency_keys.created_at < $6 RETURNING 1";
// A few at a time, oldest first; SKIP LOCKED: nodes purging at once do not wait for each other.
constexpr const char* kPurgeKeys =
    "DELETE FROM idempotency_keys WHERE (sid, key) IN (SELECT sid, key FROM idempotency_keys "
    "WHERE created_at < $1 ORDER BY created_at LIMIT 64 FOR UPDATE SKIP LOCKED)";
constexpr const char* kFindKey =
    "SELECT fingerprint, response, created_at FROM idempotency_keys "
    "WHERE sid = $1 AND key = $2 AND created_at >= $3";
constexpr const char* kSelectStatuses =
    "SELECT id, state, status_details FROM messages WHERE sid = $1 AND id = ANY($2::text[])";

// The arrays of kInsertMessages for `messages`.
Params InsertParams(std::span<const core::Message> messages) {
  std::array<ArrayParam, kInsertColumns> a;
  for (const core::Message& m : messages) {
    int c = 0;
    for (const std::string* text :
         {&m.id, &m.request_id, &m.sid, &m.recipient, &m.sender, &m.body}) {
      a[c++].Text(*text);
    }
    a[c++].Int(static_cast<int64_t>(m.type));
    a[c++].Int(static_cast<int64_t>(m.encoding));
    a[c++].Int(m.segments);
    a[c++].Text(m.flash ? "t" : "f");
    a[c++].Text(m.unicode);
    const int64_t created_at = core::ToUnixMillis(m.created_at);
    a[c++].Int(created_at);
    a[c++].OptInt(m.send_at ? std::optional(core::ToUnixMillis(*m.send_at)) : std::nullopt);
    for (const std::string* text :
         {&m.template_id, &m.template_data, &m.ref, &m.ref1, &m.ref2, &m.ref_custom,
          &m.campaign_name, &m.callback_profile_id, &m.callback, &m.channel, &m.source}) {
      a[c++].Text(*text);
    }
    a[c++].Int(static_cast<int64_t>(m.state));
    a[c++].Text(m.status_details);
    a[c++].Int(created_at);  // updated_at
    a[c++].Text(m.entity_id);
    a[c++].OptInt(m.expires_at ? std::optional(core::ToUnixMillis(*m.expires_at)) : std::nullopt);
    a[c++].Int(core::ClaimPriority(m.type));
    // Only waiting messages belong in messages_due; a scheduled one is due at its send time.
    const bool waiting =
        m.state == core::MessageState::kQueued || m.state == core::MessageState::kScheduled;
    a[c++].OptInt(waiting ? std::optional(m.send_at ? core::ToUnixMillis(*m.send_at) : created_at)
                          : std::nullopt);
    // NULL for an API send: nothing stored, nothing to read when its status changes.
    if (m.smpp_system_id.empty()) {
      a[c++].Null();
      a[c++].Null();
    } else {
      a[c++].Text(m.smpp_system_id);
      a[c++].Int(m.registered_delivery);
    }
  }
  Params params;
  for (const ArrayParam& column : a) {
    params.Text(column.Finish());
  }
  return params;
}

core::Result<void> StoreKeys(Connection& conn, std::span<const IdempotencyRecord> keys) {
  for (const IdempotencyRecord& k : keys) {
    auto stored = conn.Exec(kUpsertKey, Params()
                                            .Text(k.sid)
                                            .Text(k.key)
                                            .Text(k.fingerprint)
                                            .Text(k.response)
                                            .Time(k.created_at)
                                            .Time(k.created_at - kIdempotencyWindow));
    if (!stored) {
      return Fail(std::move(stored));
    }
    if (stored->rows() == 0) {
      return core::MakeError(core::Errc::kConflict,
                             "idempotency key '" + k.key + "' of " + k.sid + " is taken");
    }
  }
  if (!keys.empty()) {
    auto purged =
        conn.Exec(kPurgeKeys, Params().Time(keys.front().created_at - kIdempotencyWindow));
    if (!purged) {
      return Fail(std::move(purged));
    }
  }
  return {};
}

}  // namespace

core::Result<core::Message> ReadMessage(const Rows& rows, int row, int first) {
  auto type = rows.Enum(row, first + 6, core::RouteType::kDefault, "route type");
  auto encoding = rows.Enum(row, first + 7, core::Encoding::kBinary, "encoding");
  auto state = rows.Enum(row, first + 24, core::MessageState::kNotSent, "message state");
  if (!type) {
    return Fail(std::move(type));
  }
  if (!encoding) {
    return Fail(std::move(encoding));
  }
  if (!state) {
    return Fail(std::move(state));
  }
  core::Message m;
  auto text = [&](int column) { return rows.Text(row, first + column); };
  auto time = [&](int column) -> std::optional<core::TimePoint> {
    if (rows.IsNull(row, first + column)) {
      return std::nullopt;
    }
    return rows.Time(row, first + column);
  };
  m.id = text(0);
  m.request_id = text(1);
  m.sid = text(2);
  m.recipient = text(3);
  m.sender = text(4);
  m.body = text(5);
  m.type = *type;
  m.encoding = *encoding;
  m.segments = static_cast<int>(rows.Int(row, first + 8));
  m.flash = rows.Bool(row, first + 9);
  m.unicode = text(10);
  m.created_at = rows.Time(row, first + 11);
  m.send_at = time(12);
  m.template_id = text(13);
  m.template_data = text(14);
  m.ref = text(15);
  m.ref1 = text(16);
  m.ref2 = text(17);
  m.ref_custom = text(18);
  m.campaign_name = text(19);
  m.callback_profile_id = text(20);
  m.callback = text(21);
  m.channel = text(22);
  m.source = text(23);
  m.state = *state;
  m.status_details = text(25);
  m.entity_id = text(26);
  m.expires_at = time(27);
  return m;
}

Params InsertMessagesParams(std::span<const core::Message> messages) {
  return InsertParams(messages);
}

core::Result<void> InsertMessages(Connection& conn, std::span<const core::Message> messages,
                                  const Params& insert, TransactionOutbox& webhooks) {
  // Counted before the insert, as in SQLite; the usage rows stay locked until the commit.
  auto over = CountAgainstCaps(conn, messages);
  if (!over) {
    return Fail(std::move(over));
  }
  auto inserted = conn.Exec(kInsertMessages, insert);
  if (!inserted) {
    if (inserted.error().code == core::Errc::kConflict) {
      inserted.error().message = "a message id already exists: " + inserted.error().message;
    }
    return Fail(std::move(inserted));
  }
  for (const core::Message& m : messages) {
    webhooks.Accepted(m.sid, m.type, m.created_at);
  }
  // Stored as they came, then ended with their event like any other status change.
  for (const OverCap& o : *over) {
    const core::Message& m = messages[o.index];
    if (auto ended = EndNotSent(conn, m.id, o.details, m.created_at, webhooks); !ended) {
      return ended;
    }
  }
  return {};
}

core::Result<void> Messages::Enqueue(std::span<const core::Message> messages,
                                     std::span<const IdempotencyRecord> keys) {
  if (messages.empty() && keys.empty()) {
    return {};
  }
  const Params insert = InsertParams(messages);
  return Settling([&](Connection& conn, TransactionOutbox& webhooks) -> core::Result<void> {
    if (auto stored = StoreKeys(conn, keys); !stored) {
      return stored;
    }
    if (messages.empty()) {
      return {};
    }
    return InsertMessages(conn, messages, insert, webhooks);
  });
}

core::Result<std::optional<IdempotencyRecord>> Messages::FindIdempotencyKey(
    std::string_view sid, std::string_view key, core::TimePoint not_before) {
  auto rows = pool_.Read(kFindKey, Params().Text(sid).Text(key).Time(not_before));
  if (!rows) {
    return Fail(std::move(rows));
  }
  if (rows->rows() == 0) {
    return std::nullopt;
  }
  IdempotencyRecord record;
  record.sid = sid;
  record.key = key;
  record.fingerprint = rows->Text(0, 0);
  record.response = rows->Text(0, 1);
  record.created_at = rows->Time(0, 2);
  return record;
}

core::Result<std::vector<StatusRecord>> Messages::GetStatuses(std::string_view sid,
                                                              std::span<const std::string> ids) {
  std::vector<StatusRecord> records;
  if (ids.empty()) {
    return records;
  }
  auto rows = pool_.Read(kSelectStatuses, Params().Text(sid).Text(TextArray(ids)));
  if (!rows) {
    return Fail(std::move(rows));
  }
  for (int i = 0; i < rows->rows(); ++i) {
    auto state = rows->Enum(i, 1, core::MessageState::kNotSent, "message state");
    if (!state) {
      return Fail(std::move(state));
    }
    records.push_back(StatusRecord{rows->Text(i, 0), *state, rows->Text(i, 2)});
  }
  return records;
}

}  // namespace smsgw::store::postgres
