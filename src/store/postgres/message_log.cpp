#include "store/postgres/message_log.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "core/delivery_status.h"
#include "store/page_cursor.h"
#include "store/postgres/messages.h"

namespace smsgw::store::postgres {
namespace {

constexpr const char* kDetail =
    "SELECT " SMSGW_PG_MESSAGE_COLUMNS
    ", attempts, last_error, updated_at FROM messages WHERE id = $1 AND sid = $2";
constexpr int kMessageColumns = 28;
constexpr const char* kParts =
    "SELECT part, connector, smsc_id_raw, state, stat, err, submitted_at, done_at "
    "FROM message_parts WHERE message_id = $1 ORDER BY part";
// Events of one instant in the order of the lifecycle (Sent before the end it came with); byte
// order on ids, as SQLite compares them, whatever the database's collation.
constexpr const char* kHistory =
    "SELECT event_id, state, details, at FROM message_events WHERE message_id = $1 "
    "ORDER BY at, state, event_id COLLATE \"C\"";

// The inner query walks the index newest first from $3 (the cursor or created_to) down to $2,
// after the cursor's key ($4, $5; $4 NULL: no cursor), and stops after $11 rows: the bound of one
// page. Filters no index serves make `matched`; only matches leave the server, and the $11th row
// read (`scanned` = $11), so that a page which ran out of rows to read can continue after it. The
// outer LIMIT ($12 = limit + 1) stops the walk as soon as the page is known to be full: each step
// of the plan (index scan, incremental sort on id, row_number) reads only as far as asked.
#define SMSGW_LIST_SQL(index_terms)                                                              \
  "SELECT " SMSGW_PG_MESSAGE_COLUMNS ", matched, scanned FROM (SELECT " SMSGW_PG_MESSAGE_COLUMNS \
  ", ($6::integer < 0 OR state = $6) AND ($7::text = '' OR sender = $7) AND "                    \
  "($8::integer < 0 OR type = $8) AND ($9::text = '' OR ref = $9) AND "                          \
  "($10::text = '' OR campaign_name = $10) AS matched, "                                         \
  "row_number() OVER (ORDER BY created_at DESC, id COLLATE \"C\" DESC) AS scanned "              \
  "FROM messages WHERE sid = $1 " index_terms                                                    \
  " AND created_at >= $2::bigint AND created_at <= $3::bigint AND "                              \
  "($4::bigint IS NULL OR created_at < $4 OR id COLLATE \"C\" < $5::text) "                      \
  "ORDER BY created_at DESC, id COLLATE \"C\" DESC LIMIT $11::bigint) page "                     \
  "WHERE matched OR scanned = $11 ORDER BY created_at DESC, id COLLATE \"C\" DESC LIMIT "        \
  "$12::bigint"
constexpr const char* kListBySid = SMSGW_LIST_SQL("");
constexpr const char* kListByRecipient = SMSGW_LIST_SQL("AND recipient = $13::text");
#undef SMSGW_LIST_SQL
constexpr int kMatchedColumn = kMessageColumns;
constexpr int kScannedColumn = kMessageColumns + 1;
constexpr int kCreatedAtColumn = 11;  // in SMSGW_PG_MESSAGE_COLUMNS
constexpr int kIdColumn = 0;

// Whether the server takes `text` as a text parameter: UTF-8 as a UTF8 database checks it (no
// overlong forms, surrogates or code points past U+10FFFF), and no NUL, at which libpq would cut
// it. Anything else fails the statement, so what callers pass is checked first.
bool IsServerText(std::string_view text) {
  static constexpr uint32_t kLeast[] = {0, 0, 0x80, 0x800, 0x10000};  // by sequence length
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead == 0) {
      return false;
    }
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    uint32_t code = 0;
    if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code = lead & 0x07;
    } else {
      return false;
    }
    if (text.size() - i < length) {
      return false;
    }
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) {
        return false;
      }
      code = (code << 6) | (next & 0x3F);
    }
    if (code < kLeast[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

// Whether every text of `filter` could match a stored value: one that is not server text
// (IsServerText) matches no message, and would fail the statement.
bool FilterCanMatch(const MessageFilter& filter) {
  for (const std::string* text :
       {&filter.recipient, &filter.sender, &filter.ref, &filter.campaign_name}) {
    if (!IsServerText(*text)) {
      return false;
    }
  }
  return true;
}

// `n` as the server's BIGINT: a count that does not fit is no bound anyway.
int64_t Bigint(uint64_t n) {
  constexpr auto kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  return static_cast<int64_t>(std::min(n, kMax));
}

core::Result<PartRecord> ReadPart(const Rows& rows, int i) {
  auto state = rows.Enum(i, 3, core::PartState::kUndelivered, "part state");
  if (!state) {
    return Fail(std::move(state));
  }
  PartRecord part;
  part.part = static_cast<int>(rows.Int(i, 0));
  part.connector = rows.Text(i, 1);
  part.smsc_id = rows.Text(i, 2);
  part.state = *state;
  part.stat = rows.Text(i, 4);
  part.err = rows.Text(i, 5);
  part.submitted_at = rows.Time(i, 6);
  if (!rows.IsNull(i, 7)) {
    part.done_at = rows.Time(i, 7);
  }
  return part;
}

std::string NoMessage(std::string_view id) { return "no message '" + std::string(id) + "'"; }

}  // namespace

core::Result<MessageDetail> MessageLogReader::GetDetail(std::string_view sid, std::string_view id) {
  if (!IsServerText(id) || !IsServerText(sid)) {
    return core::MakeError(core::Errc::kNotFound, NoMessage(id));
  }
  return pool_.InTransaction([&](Connection& conn) -> core::Result<MessageDetail> {
    // Read only: such a transaction never fails to serialize, and takes no locks writers wait on.
    if (auto set = conn.ExecScript("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        !set) {
      return Fail(std::move(set));
    }
    auto message = conn.Exec(kDetail, Params().Text(id).Text(sid));
    if (!message) {
      return Fail(std::move(message));
    }
    if (message->rows() == 0) {
      return core::MakeError(core::Errc::kNotFound, NoMessage(id));
    }
    MessageDetail detail;
    auto read = ReadMessage(*message, 0);
    if (!read) {
      return Fail(std::move(read));
    }
    detail.message = std::move(*read);
    detail.attempts = static_cast<int>(message->Int(0, kMessageColumns));
    detail.last_error = message->Text(0, kMessageColumns + 1);
    detail.updated_at = message->Time(0, kMessageColumns + 2);

    auto parts = conn.Exec(kParts, Params().Text(id));
    if (!parts) {
      return Fail(std::move(parts));
    }
    for (int i = 0; i < parts->rows(); ++i) {
      auto part = ReadPart(*parts, i);
      if (!part) {
        return Fail(std::move(part));
      }
      detail.parts.push_back(std::move(*part));
    }

    auto history = conn.Exec(kHistory, Params().Text(id));
    if (!history) {
      return Fail(std::move(history));
    }
    for (int i = 0; i < history->rows(); ++i) {
      auto state = history->Enum(i, 1, core::MessageState::kNotSent, "message state");
      if (!state) {
        return Fail(std::move(state));
      }
      detail.history.push_back(StatusEvent{history->Text(i, 0), detail.message.id,
                                           detail.message.sid, *state, history->Text(i, 2),
                                           history->Time(i, 3)});
    }
    return detail;
  });
}

core::Result<MessagePage> MessageLogReader::List(std::string_view sid, const MessageFilter& filter,
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
    if (!IsServerText(decoded->id)) {  // the server would refuse it as text
      return core::MakeError(core::Errc::kInvalidArgument, "malformed cursor");
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
  if (lower > upper || !IsServerText(sid) || !FilterCanMatch(filter)) {
    return page;
  }
  // Rows read at most, and rows sent at most (limit + 1: the one past a full page says there is
  // more); saturating, so that no limit wraps around.
  const int64_t budget =
      std::max(Bigint(kMaxListScan), Bigint(limit) <= kMax / 2 ? 2 * Bigint(limit) : kMax);
  const int64_t sent = Bigint(limit) < kMax ? Bigint(limit) + 1 : kMax;
  Params params;
  params.Text(sid).Int(lower).Int(upper);
  if (after) {
    params.Int(after->created_ms).Text(after->id);
  } else {
    params.Null().Text("");
  }
  params.Int(filter.state ? static_cast<int64_t>(*filter.state) : -1)
      .Text(filter.sender)
      .Int(filter.type ? static_cast<int64_t>(*filter.type) : -1)
      .Text(filter.ref)
      .Text(filter.campaign_name)
      .Int(budget)
      .Int(sent);
  if (!filter.recipient.empty()) {
    params.Text(filter.recipient);
  }
  auto rows = pool_.Read(filter.recipient.empty() ? kListBySid : kListByRecipient, params);
  if (!rows) {
    return Fail(std::move(rows));
  }
  for (int i = 0; i < rows->rows(); ++i) {
    if (rows->Bool(i, kMatchedColumn)) {
      if (page.messages.size() == limit) {
        const core::Message& last = page.messages.back();
        page.next_cursor = EncodePageCursor(core::ToUnixMillis(last.created_at), last.id);
        return page;
      }
      auto message = ReadMessage(*rows, i);
      if (!message) {
        return Fail(std::move(message));
      }
      page.messages.push_back(std::move(*message));
    }
    if (rows->Int(i, kScannedColumn) >= budget) {
      page.next_cursor = EncodePageCursor(rows->Int(i, kCreatedAtColumn), rows->Text(i, kIdColumn));
      return page;
    }
  }
  return page;
}

}  // namespace smsgw::store::postgres
