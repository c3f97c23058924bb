// SqliteStore's read side of delivery: MessageLog (one message's detail; an account's messages
// newest first) and DeliveryStore::Counts, on pooled read connections.

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "core/delivery_status.h"
#include "store/page_cursor.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace smsgw::store::sqlite {
namespace {

constexpr const char* kDetail =
    "SELECT " SMSGW_SQLITE_MESSAGE_COLUMNS
    ", attempts, last_error, updated_at FROM messages WHERE id = ?1 AND sid = ?2";
constexpr const char* kParts =
    "SELECT part, connector, smsc_id_raw, state, stat, err, submitted_at, done_at "
    "FROM message_parts WHERE message_id = ?1 ORDER BY part";
// Events of one instant in the order of the lifecycle (Sent before the end it came with).
constexpr const char* kHistory =
    "SELECT event_id, state, details, at FROM message_events WHERE message_id = ?1 "
    "ORDER BY at, state, event_id";

// A page walks the index newest first from ?3 (the cursor or created_to) down to ?2; (?4, ?5) is
// the cursor's key, which ties on created_at break by id. The filters that no index serves are a
// result column, so that the caller counts the rows it reads and can stop (a bounded page).
#define SMSGW_LIST_SQL(index_terms)                                                        \
  "SELECT " SMSGW_SQLITE_MESSAGE_COLUMNS                                                   \
  ", (?6 < 0 OR state = ?6) AND (?7 = '' OR sender = ?7) AND (?8 < 0 OR type = ?8) AND "   \
  "(?9 = '' OR ref = ?9) AND (?10 = '' OR campaign_name = ?10) FROM messages WHERE sid = " \
  "?1 " index_terms                                                                        \
  " AND created_at >= ?2 AND created_at <= ?3 AND (created_at < ?4 OR id < ?5) "           \
  "ORDER BY created_at DESC, id DESC"
constexpr const char* kListBySid = SMSGW_LIST_SQL("");
constexpr const char* kListByRecipient = SMSGW_LIST_SQL("AND recipient = ?11");
#undef SMSGW_LIST_SQL

// Waiting and claimed messages are exactly the rows of the partial index messages_due.
constexpr const char* kCountWaiting =
    "SELECT count(*), coalesce(sum(state = ?1), 0) FROM messages INDEXED BY messages_due "
    "WHERE due_at IS NOT NULL";
constexpr const char* kCountHeld = "SELECT count(*) FROM held_receipts";
// The ranges ClaimDue scans, read before it takes the writer: the dispatcher polls every few
// milliseconds, and an empty poll should cost no transaction, WAL frame or fsync.
constexpr const char* kAnyDue =
    "SELECT 1 FROM messages WHERE priority IN (0, 1, 2) AND due_at <= ?1 AND "
    "NOT (state = ?3 AND claim_owner = ?2) LIMIT 1";

// A position in the newest-first order: the last message a page read.
core::Result<PartRecord> ReadPart(const Statement& s) {
  auto state = EnumColumn<core::PartState>(
      s, 3, static_cast<int64_t>(core::PartState::kUndelivered), "part state");
  if (!state) {
    return Fail(std::move(state));
  }
  PartRecord part;
  part.part = static_cast<int>(s.ColumnInt64(0));
  part.connector = s.ColumnText(1);
  part.smsc_id = s.ColumnText(2);
  part.state = *state;
  part.stat = s.ColumnText(4);
  part.err = s.ColumnText(5);
  part.submitted_at = core::FromUnixMillis(s.ColumnInt64(6));
  if (!s.ColumnIsNull(7)) {
    part.done_at = core::FromUnixMillis(s.ColumnInt64(7));
  }
  return part;
}

// Every statement with its SQL: prepared together, and listed for the query-plan tests.
constexpr StatementSql<MessageLogStatements> kStatements[] = {
    {"detail", &MessageLogStatements::detail, kDetail},
    {"parts", &MessageLogStatements::parts, kParts},
    {"history", &MessageLogStatements::history, kHistory},
    {"list_by_sid", &MessageLogStatements::list_by_sid, kListBySid},
    {"list_by_recipient", &MessageLogStatements::list_by_recipient, kListByRecipient},
    {"count_waiting", &MessageLogStatements::count_waiting, kCountWaiting},
    {"count_held", &MessageLogStatements::count_held, kCountHeld},
    {"any_message_due", &MessageLogStatements::any_due, kAnyDue},
};

}  // namespace

core::Result<void> MessageLogStatements::Prepare(Db& db) {
  return PrepareEach(db, *this, kStatements);
}

std::vector<NamedSql> MessageLogSqlForTest() { return NamedSqlOf(kStatements); }

core::Result<MessageDetail> SqliteStore::GetDetail(std::string_view sid, std::string_view id) {
  return WithReader([&](ReadConnection& r) -> core::Result<MessageDetail> {
    return r.InSnapshot([&]() -> core::Result<MessageDetail> {
      MessageDetail detail;
      {
        Statement& select = r.log.detail;
        const ScopedReset reset(select);
        select.BindText(1, id);
        select.BindText(2, sid);
        auto message = ReadOne(select, ReadMessage, NoMessage(id));
        if (!message) {
          return Fail(std::move(message));
        }
        detail.message = std::move(*message);
        detail.attempts = static_cast<int>(select.ColumnInt64(kMessageColumnCount));
        detail.last_error = select.ColumnText(kMessageColumnCount + 1);
        detail.updated_at = core::FromUnixMillis(select.ColumnInt64(kMessageColumnCount + 2));
      }
      {
        Statement& select = r.log.parts;
        const ScopedReset reset(select);
        select.BindText(1, id);
        auto parts = ReadAll<PartRecord>(select, ReadPart);
        if (!parts) {
          return Fail(std::move(parts));
        }
        detail.parts = std::move(*parts);
      }
      Statement& select = r.log.history;
      const ScopedReset reset(select);
      select.BindText(1, id);
      auto history =
          ReadAll<StatusEvent>(select, [&](const Statement& s) -> core::Result<StatusEvent> {
            auto state = StateColumn(s, 1);
            if (!state) {
              return Fail(std::move(state));
            }
            return StatusEvent{s.ColumnText(0),    detail.message.id,
                               detail.message.sid, *state,
                               s.ColumnText(2),    core::FromUnixMillis(s.ColumnInt64(3))};
          });
      if (!history) {
        return Fail(std::move(history));
      }
      detail.history = std::move(*history);
      return detail;
    });
  });
}

core::Result<MessagePage> SqliteStore::List(std::string_view sid, const MessageFilter& filter,
                                            std::string_view cursor, size_t limit) {
  if (limit == 0) {
    return core::MakeError(core::Errc::kInvalidArgument, "limit must be at least 1");
  }
  std::optional<PageCursor> after;
  if (!cursor.empty()) {
    auto decoded = DecodePageCursor(cursor);
    if (!decoded) {
      return Fail(std::move(decoded));
    }
    after = std::move(*decoded);
  }
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  const int64_t lower = filter.created_from ? core::ToUnixMillis(*filter.created_from) : kMin;
  int64_t upper = filter.created_to ? core::ToUnixMillis(*filter.created_to) - 1 : kMax;
  if (after) {
    upper = std::min(upper, after->created_ms);
  }
  MessagePage page;
  if (lower > upper) {
    return page;
  }
  const size_t budget = std::max(kMaxListScan, 2 * limit);
  return WithReader([&](ReadConnection& r) -> core::Result<MessagePage> {
    Statement& select = filter.recipient.empty() ? r.log.list_by_sid : r.log.list_by_recipient;
    const ScopedReset reset(select);
    select.BindText(1, sid);
    select.BindInt64(2, lower);
    select.BindInt64(3, upper);
    select.BindInt64(4, after ? after->created_ms : kMax);
    select.BindText(5, after ? std::string_view(after->id) : std::string_view());
    select.BindInt64(6, filter.state ? static_cast<int64_t>(*filter.state) : -1);
    select.BindText(7, filter.sender);
    select.BindInt64(8, filter.type ? static_cast<int64_t>(*filter.type) : -1);
    select.BindText(9, filter.ref);
    select.BindText(10, filter.campaign_name);
    if (!filter.recipient.empty()) {
      select.BindText(11, filter.recipient);
    }
    auto read = ReadBoundedPage<core::Message>(
        select, kMessageColumnCount, limit, budget, ReadMessage,
        [](const core::Message& last) {
          return EncodePageCursor(core::ToUnixMillis(last.created_at), last.id);
        },
        [](const Statement& s) { return EncodePageCursor(s.ColumnInt64(11), s.ColumnText(0)); });
    if (!read) {
      return Fail(std::move(read));
    }
    page.messages = std::move(read->first);
    page.next_cursor = std::move(read->second);
    return page;
  });
}

core::Result<DeliveryCounts> SqliteStore::Counts() {
  return WithReader([&](ReadConnection& r) -> core::Result<DeliveryCounts> {
    return r.InSnapshot([&]() -> core::Result<DeliveryCounts> {
      DeliveryCounts counts;
      {
        Statement& select = r.log.count_waiting;
        const ScopedReset reset(select);
        select.BindInt64(1, static_cast<int64_t>(core::MessageState::kSubmitting));
        auto row = select.Step();
        if (!row) {
          return Fail(std::move(row));
        }
        counts.submitting = static_cast<uint64_t>(select.ColumnInt64(1));
        counts.queued = static_cast<uint64_t>(select.ColumnInt64(0)) - counts.submitting;
      }
      Statement& select = r.log.count_held;
      const ScopedReset reset(select);
      auto row = select.Step();
      if (!row) {
        return Fail(std::move(row));
      }
      counts.held_receipts = static_cast<uint64_t>(select.ColumnInt64(0));
      return counts;
    });
  });
}

}  // namespace smsgw::store::sqlite
