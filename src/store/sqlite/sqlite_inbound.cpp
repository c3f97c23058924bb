// SqliteStore's InboundStore: parts of MO messages waiting for the rest, and the messages, each
// matched to an inbound number (with its webhook row) in the transaction that stores it. Every
// write is one IMMEDIATE transaction on the writer connection with cached statements; every row is
// reached through an index (migrations 5 and 6; the query plans are pinned by
// sqlite_inbound_test.cpp and sqlite_webhooks_test.cpp).

#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/ids.h"
#include "core/strings.h"
#include "core/time.h"
#include "store/inbound_decisions.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace smsgw::store::sqlite {
namespace {

// The concatenation key is ?1..?5 in every statement that takes it (and the part number ?6), so
// that one binder serves them all.
#define SMSGW_INBOUND_KEY \
  "connector = ?1 AND source = ?2 AND destination = ?3 AND reference = ?4 AND total = ?5"

constexpr const char* kPartExists =
    "SELECT 1 FROM inbound_parts WHERE " SMSGW_INBOUND_KEY " AND seqnum = ?6";
// Messages stored recently from the same parts; which part numbers they had is read in C++.
constexpr const char* kRepeatsOf =
    "SELECT parts_missing FROM inbound_messages WHERE source = ?2 AND destination = ?3 AND "
    "concat_ref = ?4 AND stored_at >= ?6 AND connector = ?1 AND parts_total = ?5";
constexpr const char* kInsertPart =
    "INSERT INTO inbound_parts (connector, source, destination, reference, total, seqnum, "
    "data_coding, payload, udh_length, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
    "?10)";
constexpr const char* kCountParts = "SELECT count(*) FROM inbound_parts WHERE " SMSGW_INBOUND_KEY;
constexpr const char* kGroupParts =
    "SELECT seqnum, data_coding, payload, udh_length, received_at FROM inbound_parts "
    "WHERE " SMSGW_INBOUND_KEY " ORDER BY seqnum";
constexpr const char* kDeleteGroup = "DELETE FROM inbound_parts WHERE " SMSGW_INBOUND_KEY;
constexpr const char* kInsertMessage =
    "INSERT INTO inbound_messages (id, received_at, stored_at, connector, source, destination, "
    "text, parts_total, parts_received, parts_missing, concat_ref, sid, number_id, keyword) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
// The two-way reply rule: when the account last sent to the MO's source from the number the MO
// went to (the sender given with or without '+'); messages_by_recipient walked newest first.
constexpr const char* kLastSentTo =
    "SELECT created_at FROM messages WHERE sid = ?1 AND recipient = ?2 AND "
    "sender IN (?3, '+' || ?3) ORDER BY created_at DESC LIMIT 1";
// A message waits too long when any of its parts, hence its first, arrived before the cutoff.
// INDEXED BY: without statistics the planner would rather walk the whole table in key order (the
// DISTINCT then needs no sort), but only the few overdue parts should be read.
constexpr const char* kExpiredGroups =
    "SELECT DISTINCT connector, source, destination, reference, total FROM inbound_parts "
    "INDEXED BY inbound_parts_by_received WHERE received_at < ?1";

// ?2 (?3): 1 for unmatched messages only.
constexpr const char* kList = "SELECT " SMSGW_INBOUND_MESSAGE_COLUMNS
                              " FROM inbound_messages WHERE (?2 = 0 OR sid IS NULL) "
                              "ORDER BY rowid DESC LIMIT ?1";
constexpr const char* kListBefore =
    "SELECT " SMSGW_INBOUND_MESSAGE_COLUMNS
    " FROM inbound_messages WHERE rowid < (SELECT rowid FROM inbound_messages WHERE id = ?1) "
    "AND (?3 = 0 OR sid IS NULL) ORDER BY rowid DESC LIMIT ?2";
constexpr const char* kGet =
    "SELECT " SMSGW_INBOUND_MESSAGE_COLUMNS " FROM inbound_messages WHERE id = ?1";
constexpr const char* kCountWaiting = "SELECT count(*) FROM inbound_parts";
constexpr const char* kCountUnmatched = "SELECT count(*) FROM inbound_messages WHERE sid IS NULL";

// A waiting part, which SQLite keeps as hex: the Statement wrapper binds text only, and the
// octets are what the SMSC sent (any value, NUL included).
std::string ToHex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xF]);
  }
  return out;
}

core::Result<std::vector<uint8_t>> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) {
    return core::MakeError(core::Errc::kInternal, "stored inbound payload is not hex");
  }
  std::vector<uint8_t> out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = core::HexDigitValue(hex[i]);
    const int lo = core::HexDigitValue(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      return core::MakeError(core::Errc::kInternal, "stored inbound payload is not hex");
    }
    out.push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  return out;
}

std::string JoinNumbers(const std::vector<int>& numbers) {
  std::string out;
  for (int n : numbers) {
    if (!out.empty()) {
      out.push_back(',');
    }
    out += std::to_string(n);
  }
  return out;
}

// The part numbers of a parts_missing column. Anything but numbers and commas is a corrupted row.
core::Result<std::vector<int>> SplitNumbers(std::string_view text) {
  std::vector<int> out;
  for (size_t start = 0; !text.empty();) {
    const size_t comma = text.find(',', start);
    const std::string_view item =
        text.substr(start, comma == std::string_view::npos ? comma : comma - start);
    int value = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size()) {
      return core::MakeError(core::Errc::kInternal, "stored parts_missing '" + std::string(text) +
                                                        "' is not a list of part numbers");
    }
    out.push_back(value);
    if (comma == std::string_view::npos) {
      break;
    }
    start = comma + 1;
  }
  return out;
}

// The key of a concatenated part: what identifies its message among all waiting parts.
struct GroupKey {
  std::string connector, source, destination;
  int64_t reference = 0;
  int64_t total = 0;
};

GroupKey KeyOf(const InboundPart& part) {
  return GroupKey{part.connector, part.source, part.destination, part.concat->reference,
                  part.concat->total};
}

void BindKey(Statement& s, const GroupKey& key) {
  s.BindText(1, key.connector);
  s.BindText(2, key.source);
  s.BindText(3, key.destination);
  s.BindInt64(4, key.reference);
  s.BindInt64(5, key.total);
}

// Whether a message stored at or after `since` from the same concatenation key held this part
// (store::InStoredMessage on their missing parts).
core::Result<bool> RepeatOfStored(InboundStatements& in, const InboundPart& part,
                                  core::TimePoint since) {
  const GroupKey key = KeyOf(part);
  Statement& select = in.repeats_of;
  const ScopedReset reset(select);
  BindKey(select, key);
  select.BindInt64(6, Ms(since));
  auto stored = ReadAll<std::vector<int>>(
      select, [](const Statement& s) { return SplitNumbers(s.ColumnText(0)); });
  if (!stored) {
    return Fail(std::move(stored));
  }
  return InStoredMessage(*stored, part.concat->seqnum);
}

// The message to insert: every column but the id.
struct NewMessage {
  core::TimePoint received_at, stored_at;
  const std::string* connector;
  const std::string* source;
  const std::string* destination;
  std::string text;
  int parts_total = 1;
  int parts_received = 1;
  std::vector<int> parts_missing;
  std::optional<int64_t> concat_ref;
};

// The reply rule (ReplyAccountsToAsk, ReplyAccount, ReplyEntryOf) on `number`'s `entries`, with
// when each account last sent to `source` from that number read here. nullopt: unmatched.
core::Result<std::optional<InboundNumber>> ReplyEntry(InboundStatements& in,
                                                      std::span<const InboundNumber> entries,
                                                      const std::string& number,
                                                      const std::string& source,
                                                      core::TimePoint now) {
  std::vector<LastSent> asked;
  for (const std::string_view sid : ReplyAccountsToAsk(entries, source, now)) {
    Statement& select = in.last_sent_to;
    const ScopedReset reset(select);
    select.BindText(1, sid);
    select.BindText(2, source);
    select.BindText(3, number);
    auto row = HasRow(select);
    if (!row) {
      return Fail(std::move(row));
    }
    asked.push_back(
        {sid, *row ? std::optional(core::FromUnixMillis(select.ColumnInt64(0))) : std::nullopt});
  }
  const std::optional<std::string_view> sid = ReplyAccount(asked);
  if (!sid) {
    return std::optional<InboundNumber>();
  }
  const std::optional<size_t> i = ReplyEntryOf(entries, *sid, now);
  if (!i) {
    return std::optional<InboundNumber>();
  }
  return std::optional<InboundNumber>(entries[*i]);
}

// The entry a message sent to `destination` belongs to (MatchKeywordEntry, else the reply
// rule), or nullopt: unmatched. The entries carry what matching and forwarding need: id, sid,
// keyword, expires_at, callback, callback_profile_id and target (kEntriesOfNumberSql).
core::Result<std::optional<InboundNumber>> MatchEntry(InboundStatements& in,
                                                      const std::string& destination,
                                                      const std::string& source,
                                                      std::string_view text, core::TimePoint now) {
  const std::string number = DigitsOnly(destination);
  if (number.empty()) {
    return std::optional<InboundNumber>();
  }
  std::vector<InboundNumber> entries;
  {
    Statement& select = in.entries_of_number;
    const ScopedReset reset(select);
    select.BindText(1, number);
    auto read =
        ReadAll<InboundNumber>(select, [](const Statement& s) -> core::Result<InboundNumber> {
          InboundNumber e;
          e.id = s.ColumnText(0);
          e.sid = s.ColumnText(1);
          e.keyword = s.ColumnText(2);
          if (!s.ColumnIsNull(3)) {
            e.expires_at = core::FromUnixMillis(s.ColumnInt64(3));
          }
          e.callback = s.ColumnText(4);
          e.callback_profile_id = s.ColumnText(5);
          auto target = EnumColumn<InboundTarget>(s, 6, static_cast<int64_t>(InboundTarget::kSmpp),
                                                  "inbound target");
          if (!target) {
            return Fail(std::move(target));
          }
          e.target = *target;
          return e;
        });
    if (!read) {
      return Fail(std::move(read));
    }
    entries = std::move(*read);
  }
  if (entries.empty()) {
    return std::optional<InboundNumber>();
  }
  if (const std::optional<size_t> i = MatchKeywordEntry(entries, text, now)) {
    return std::optional<InboundNumber>(std::move(entries[*i]));
  }
  return ReplyEntry(in, entries, number, DigitsOnly(source), now);
}

// Stores the message, matched to its inbound number, with its webhook when the entry has a
// target, or its SMPP outbox row when the entry targets the account's SMPP binds.
core::Result<std::string> InsertMessage(InboundStatements& in, OutboxWriter& outbox,
                                        const MoOptOut& opt_out, const NewMessage& m) {
  const std::string id = core::NewUuid();
  const std::string missing = JoinNumbers(m.parts_missing);
  auto entry = MatchEntry(in, *m.destination, *m.source, m.text, m.stored_at);
  if (!entry) {
    return Fail(std::move(entry));
  }
  Statement& insert = in.insert_message;
  const ScopedReset reset(insert);
  insert.BindText(1, id);
  insert.BindInt64(2, Ms(m.received_at));
  insert.BindInt64(3, Ms(m.stored_at));
  insert.BindText(4, *m.connector);
  insert.BindText(5, *m.source);
  insert.BindText(6, *m.destination);
  insert.BindText(7, m.text);
  insert.BindInt64(8, m.parts_total);
  insert.BindInt64(9, m.parts_received);
  insert.BindText(10, missing);
  if (m.concat_ref) {
    insert.BindInt64(11, *m.concat_ref);
  } else {
    insert.BindNull(11);
  }
  if (*entry) {
    insert.BindText(12, (*entry)->sid);
    insert.BindText(13, (*entry)->id);
    insert.BindText(14, (*entry)->keyword);
  } else {
    insert.BindNull(12);
    insert.BindText(13, "");
    insert.BindText(14, "");
  }
  if (auto ran = insert.Run(); !ran) {
    return Fail(std::move(ran));
  }
  if (*entry) {
    auto added = (*entry)->target == InboundTarget::kSmpp
                     ? outbox.AddSmppMo((*entry)->sid, id, m.stored_at)
                     : outbox.Add(WebhookKind::kInbound, id, (*entry)->sid, id, (*entry)->callback,
                                  (*entry)->callback_profile_id, m.stored_at);
    if (!added) {
      return Fail(std::move(added));
    }
    auto applied =
        ApplyMoOptOut(opt_out, (*entry)->sid, *m.destination, *m.source, m.text, m.stored_at);
    if (!applied) {
      return Fail(std::move(applied));
    }
  }
  return id;
}

// Every waiting part of the message `key`, in part order.
core::Result<std::vector<InboundPart>> ReadGroup(InboundStatements& in, const GroupKey& key) {
  Statement& select = in.group_parts;
  const ScopedReset reset(select);
  BindKey(select, key);
  return ReadAll<InboundPart>(select, [&key](const Statement& s) -> core::Result<InboundPart> {
    auto payload = FromHex(s.ColumnText(2));
    if (!payload) {
      return Fail(std::move(payload));
    }
    InboundPart p;
    p.connector = key.connector;
    p.source = key.source;
    p.destination = key.destination;
    p.concat = InboundConcat{static_cast<uint16_t>(key.reference), static_cast<int>(key.total),
                             static_cast<int>(s.ColumnInt64(0))};
    p.data_coding = static_cast<uint8_t>(s.ColumnInt64(1));
    p.payload = std::move(*payload);
    p.udh_length = static_cast<size_t>(std::max<int64_t>(0, s.ColumnInt64(3)));
    p.received_at = core::FromUnixMillis(s.ColumnInt64(4));
    return p;
  });
}

// Assembles the waiting parts of `key`, stores the message (stored_at `now`) and deletes them.
core::Result<std::string> StoreGroup(InboundStatements& in, OutboxWriter& outbox,
                                     const MoOptOut& opt_out, const GroupKey& key,
                                     core::TimePoint now, const InboundAssembler& assemble) {
  auto parts = ReadGroup(in, key);
  if (!parts) {
    return Fail(std::move(parts));
  }
  if (parts->empty()) {
    return core::MakeError(core::Errc::kInternal, "no waiting parts for an inbound message");
  }
  NewMessage m;
  m.received_at = parts->front().received_at;
  for (const InboundPart& p : *parts) {
    m.received_at = std::min(m.received_at, p.received_at);
  }
  m.stored_at = now;
  m.connector = &key.connector;
  m.source = &key.source;
  m.destination = &key.destination;
  m.parts_total = static_cast<int>(key.total);
  m.parts_received = static_cast<int>(parts->size());
  m.concat_ref = key.reference;
  std::vector<int> present;
  for (const InboundPart& p : *parts) {
    present.push_back(p.concat->seqnum);
  }
  m.parts_missing = MissingParts(present, m.parts_total);
  m.text = assemble(*parts, m.parts_total);
  auto id = InsertMessage(in, outbox, opt_out, m);
  if (!id) {
    return id;
  }
  Statement& del = in.delete_group;
  const ScopedReset reset(del);
  BindKey(del, key);
  if (auto ran = del.Run(); !ran) {
    return Fail(std::move(ran));
  }
  return id;
}

}  // namespace

core::Result<InboundMessage> ReadInbound(const Statement& s) {
  auto missing = SplitNumbers(s.ColumnText(9));
  if (!missing) {
    return Fail(std::move(missing));
  }
  InboundMessage m;
  m.id = s.ColumnText(0);
  m.received_at = core::FromUnixMillis(s.ColumnInt64(1));
  m.stored_at = core::FromUnixMillis(s.ColumnInt64(2));
  m.connector = s.ColumnText(3);
  m.source = s.ColumnText(4);
  m.destination = s.ColumnText(5);
  m.text = s.ColumnText(6);
  m.parts_total = static_cast<int>(s.ColumnInt64(7));
  m.parts_received = static_cast<int>(s.ColumnInt64(8));
  m.parts_missing = std::move(*missing);
  m.sid = s.ColumnText(10);
  m.number_id = s.ColumnText(11);
  m.keyword = s.ColumnText(12);
  return m;
}

std::string DigitsOnly(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      out.push_back(c);
    }
  }
  return out;
}

namespace {

constexpr StatementSql<InboundStatements> kWriterStatements[] = {
    {"part_exists", &InboundStatements::part_exists, kPartExists},
    {"repeats_of", &InboundStatements::repeats_of, kRepeatsOf},
    {"insert_part", &InboundStatements::insert_part, kInsertPart},
    {"count_parts", &InboundStatements::count_parts, kCountParts},
    {"group_parts", &InboundStatements::group_parts, kGroupParts},
    {"delete_group", &InboundStatements::delete_group, kDeleteGroup},
    {"insert_message", &InboundStatements::insert_message, kInsertMessage},
    {"expired_groups", &InboundStatements::expired_groups, kExpiredGroups},
    {"entries_of_number", &InboundStatements::entries_of_number, kEntriesOfNumberSql},
    {"last_sent_to", &InboundStatements::last_sent_to, kLastSentTo},
};
constexpr StatementSql<InboundReadStatements> kReaderStatements[] = {
    {"list_inbound", &InboundReadStatements::list, kList},
    {"list_inbound_before", &InboundReadStatements::list_before, kListBefore},
    {"get_inbound", &InboundReadStatements::get, kGet},
    {"count_waiting_inbound", &InboundReadStatements::count_waiting, kCountWaiting},
    {"count_unmatched_inbound", &InboundReadStatements::count_unmatched, kCountUnmatched},
};

}  // namespace

core::Result<void> InboundStatements::Prepare(Db& db) {
  return PrepareEach(db, *this, kWriterStatements);
}

core::Result<void> InboundReadStatements::Prepare(Db& db) {
  return PrepareEach(db, *this, kReaderStatements);
}

std::vector<NamedSql> InboundSqlForTest() {
  return NamedSqlOf(kWriterStatements, kReaderStatements);
}

core::Result<InboundPartResult> SqliteStore::AddInboundPart(const InboundPart& part,
                                                            core::TimePoint repeats_since,
                                                            const InboundAssembler& assemble,
                                                            const core::OptOutWords* words) {
  if (part.concat && (part.concat->total < 1 || part.concat->total > 255 ||
                      part.concat->seqnum < 1 || part.concat->seqnum > part.concat->total)) {
    return core::MakeError(core::Errc::kInvalidArgument,
                           "inbound part " + std::to_string(part.concat->seqnum) + " of " +
                               std::to_string(part.concat->total) + " cannot be placed");
  }
  InboundStatements& in = writer_->inbound;
  const MoOptOut opt_out{&writer_->opt_outs, words};
  InboundPartResult result;
  auto done =
      InWriteGroupWithOutbox(WriteLane::kPipeline, [&](OutboxWriter& outbox) -> core::Result<void> {
        if (part.concat) {
          const GroupKey key = KeyOf(part);
          Statement& exists = in.part_exists;
          const ScopedReset reset(exists);
          BindKey(exists, key);
          exists.BindInt64(6, part.concat->seqnum);
          auto waiting = HasRow(exists);
          if (!waiting) {
            return Fail(std::move(waiting));
          }
          auto stored =
              *waiting ? core::Result<bool>(true) : RepeatOfStored(in, part, repeats_since);
          if (!stored) {
            return Fail(std::move(stored));
          }
          if (*stored) {
            result.outcome = InboundPartOutcome::kRepeated;
            return {};
          }
        }
        if (!part.concat || part.concat->total == 1) {
          NewMessage m;
          m.received_at = m.stored_at = part.received_at;
          m.connector = &part.connector;
          m.source = &part.source;
          m.destination = &part.destination;
          m.text = assemble(std::span(&part, 1), 1);
          if (part.concat) {
            m.concat_ref = part.concat->reference;
          }
          auto id = InsertMessage(in, outbox, opt_out, m);
          if (!id) {
            return Fail(std::move(id));
          }
          result = {InboundPartOutcome::kStored, std::move(*id)};
          return {};
        }
        const GroupKey key = KeyOf(part);
        {
          const std::string payload = ToHex(part.payload);
          Statement& insert = in.insert_part;
          const ScopedReset reset(insert);
          BindKey(insert, key);
          insert.BindInt64(6, part.concat->seqnum);
          insert.BindInt64(7, part.data_coding);
          insert.BindText(8, payload);
          insert.BindInt64(9, static_cast<int64_t>(part.udh_length));
          insert.BindInt64(10, Ms(part.received_at));
          if (auto ran = insert.Run(); !ran) {
            return ran;
          }
        }
        int64_t count = 0;
        {
          Statement& select = in.count_parts;
          const ScopedReset reset(select);
          BindKey(select, key);
          auto row = HasRow(select);
          if (!row) {
            return Fail(std::move(row));
          }
          count = select.ColumnInt64(0);
        }
        if (count < part.concat->total) {
          result.outcome = InboundPartOutcome::kWaiting;
          return {};
        }
        auto id = StoreGroup(in, outbox, opt_out, key, part.received_at, assemble);
        if (!id) {
          return Fail(std::move(id));
        }
        result = {InboundPartOutcome::kStored, std::move(*id)};
        return {};
      });
  if (!done) {
    return Fail(std::move(done));
  }
  return result;
}

core::Result<size_t> SqliteStore::ExpireInboundParts(core::TimePoint cutoff, core::TimePoint now,
                                                     const InboundAssembler& assemble,
                                                     const core::OptOutWords* words) {
  InboundStatements& in = writer_->inbound;
  const MoOptOut opt_out{&writer_->opt_outs, words};
  size_t stored = 0;
  auto done =
      InWriteGroupWithOutbox(WriteLane::kPipeline, [&](OutboxWriter& outbox) -> core::Result<void> {
        stored = 0;
        // Read first: the groups' rows are deleted below, under the cursor otherwise.
        std::vector<GroupKey> groups;
        {
          Statement& select = in.expired_groups;
          const ScopedReset reset(select);
          select.BindInt64(1, Ms(cutoff));
          auto read = ReadAll<GroupKey>(select, [](const Statement& s) -> core::Result<GroupKey> {
            return GroupKey{s.ColumnText(0), s.ColumnText(1), s.ColumnText(2), s.ColumnInt64(3),
                            s.ColumnInt64(4)};
          });
          if (!read) {
            return Fail(std::move(read));
          }
          groups = std::move(*read);
        }
        for (const GroupKey& key : groups) {
          auto id = StoreGroup(in, outbox, opt_out, key, now, assemble);
          if (!id) {
            return Fail(std::move(id));
          }
          ++stored;
        }
        return {};
      });
  if (!done) {
    return Fail(std::move(done));
  }
  return stored;
}

core::Result<std::vector<InboundMessage>> SqliteStore::ListInbound(std::string_view before_id,
                                                                   size_t limit,
                                                                   InboundFilter filter) {
  if (limit == 0) {
    return std::vector<InboundMessage>();
  }
  return WithReader([&](ReadConnection& r) -> core::Result<std::vector<InboundMessage>> {
    Statement& select = before_id.empty() ? r.inbound.list : r.inbound.list_before;
    const ScopedReset reset(select);
    const auto bounded =
        static_cast<int64_t>(std::min<size_t>(limit, std::numeric_limits<int64_t>::max()));
    const int64_t unmatched = filter == InboundFilter::kUnmatched ? 1 : 0;
    if (before_id.empty()) {
      select.BindInt64(1, bounded);
      select.BindInt64(2, unmatched);
    } else {
      select.BindText(1, before_id);
      select.BindInt64(2, bounded);
      select.BindInt64(3, unmatched);
    }
    return ReadAll<InboundMessage>(select, ReadInbound);
  });
}

core::Result<InboundMessage> SqliteStore::GetInbound(std::string_view id) {
  return WithReader([&](ReadConnection& r) -> core::Result<InboundMessage> {
    Statement& select = r.inbound.get;
    const ScopedReset reset(select);
    select.BindText(1, id);
    auto row = HasRow(select);
    if (!row) {
      return Fail(std::move(row));
    }
    if (!*row) {
      return core::MakeError(core::Errc::kNotFound, "no inbound message '" + std::string(id) + "'");
    }
    return ReadInbound(select);
  });
}

core::Result<size_t> SqliteStore::CountWaitingInboundParts() {
  return WithReader([&](ReadConnection& r) -> core::Result<size_t> {
    Statement& select = r.inbound.count_waiting;
    const ScopedReset reset(select);
    auto row = HasRow(select);
    if (!row) {
      return Fail(std::move(row));
    }
    return static_cast<size_t>(select.ColumnInt64(0));
  });
}

core::Result<size_t> SqliteStore::CountUnmatchedInbound() {
  return WithReader([&](ReadConnection& r) -> core::Result<size_t> {
    Statement& select = r.inbound.count_unmatched;
    const ScopedReset reset(select);
    auto row = select.Step();
    if (!row) {
      return Fail(std::move(row));
    }
    return static_cast<size_t>(select.ColumnInt64(0));
  });
}

}  // namespace smsgw::store::sqlite
