#include "store/postgres/inbound.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "core/ids.h"
#include "core/strings.h"
#include "store/inbound_decisions.h"
#include "store/postgres/inbound_numbers.h"
#include "store/postgres/opt_outs.h"
#include "store/postgres/outbox.h"
#include "store/postgres/pool.h"
#include "store/postgres/smpp_outbox.h"

namespace smsgw::store::postgres {
namespace {

// The concatenation key is $1..$5 in every statement that takes it, so that one Params serves.
#define SMSGW_INBOUND_KEY \
  "connector = $1 AND source = $2 AND destination = $3 AND reference = $4 AND total = $5"

// The message's key as one text for its advisory lock.
constexpr const char* kLockKey =
    "SELECT pg_advisory_xact_lock(hashtextextended(concat_ws(chr(31), 'inbound-part', $1::text, "
    "$2::text, $3::text, $4::text, $5::text), 0))";
// Several keys (each as kLockKey makes it), locked in one order, so that nodes expiring at once
// take them in the same order; the sort in the subquery is kept by the outer query.
constexpr const char* kLockKeys =
    "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(concat_ws(chr(31), "
    "'inbound-part', c, s, d, r::text, t::text), 0) AS k FROM unnest($1::text[], $2::text[], "
    "$3::text[], $4::bigint[], $5::bigint[]) AS u(c, s, d, r, t) ORDER BY k) l";
constexpr const char* kPartExists =
    "SELECT 1 FROM inbound_parts WHERE " SMSGW_INBOUND_KEY " AND seqnum = $6";
// Messages stored recently from the same parts; which part numbers they had is decided in C++.
constexpr const char* kRepeatsOf =
    "SELECT parts_missing FROM inbound_messages WHERE source = $2 AND destination = $3 AND "
    "concat_ref = $4 AND stored_at >= $6 AND connector = $1 AND parts_total = $5";
constexpr const char* kInsertPart =
    "INSERT INTO inbound_parts (connector, source, destination, reference, total, seqnum, "
    "data_coding, payload, udh_length, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
    "decode($8, 'hex'), $9, $10)";
constexpr const char* kCountParts = "SELECT count(*) FROM inbound_parts WHERE " SMSGW_INBOUND_KEY;
constexpr const char* kGroupParts =
    "SELECT seqnum, data_coding, encode(payload, 'hex'), udh_length, received_at FROM "
    "inbound_parts WHERE " SMSGW_INBOUND_KEY " ORDER BY seqnum";
constexpr const char* kDeleteGroup = "DELETE FROM inbound_parts WHERE " SMSGW_INBOUND_KEY;
constexpr const char* kInsertMessage =
    "INSERT INTO inbound_messages (id, received_at, stored_at, connector, source, destination, "
    "text, parts_total, parts_received, parts_missing, concat_ref, sid, number_id, keyword) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
// Inserters of inbound messages take turns until their commit (InsertMessage).
constexpr const char* kInsertTurn =
    "SELECT pg_advisory_xact_lock(hashtextextended('inbound-seq', 0))";
// The reply rule: when the account last sent to the MO's source from the number the MO went to
// (the sender written with or without '+'); messages_by_recipient walked newest first.
constexpr const char* kLastSentTo =
    "SELECT created_at FROM messages WHERE sid = $1 AND recipient = $2 AND "
    "sender IN ($3, '+' || $3) ORDER BY created_at DESC LIMIT 1";
// A message waits too long when any of its parts, hence its first, arrived before the cutoff.
// At most $2 of them: each is an advisory lock (kMaxLocksPerTransaction).
constexpr const char* kExpiredGroups =
    "SELECT DISTINCT connector, source, destination, reference, total FROM inbound_parts "
    "WHERE received_at < $1 LIMIT $2";

// $2 ($3): 1 for unmatched messages only.
constexpr const char* kList = "SELECT " SMSGW_PG_INBOUND_MESSAGE_COLUMNS(
    "") " FROM inbound_messages WHERE ($2::int = 0 OR sid IS NULL) ORDER BY seq DESC "
        "LIMIT $1::bigint";
// An unknown `before` id gives no row: the subquery is NULL.
constexpr const char* kListBefore =
    "SELECT " SMSGW_PG_INBOUND_MESSAGE_COLUMNS(
        "") " FROM inbound_messages WHERE seq < (SELECT seq FROM inbound_messages WHERE id = $1) "
            "AND ($3::int = 0 OR sid IS NULL) ORDER BY seq DESC LIMIT $2::bigint";
constexpr const char* kGet =
    "SELECT " SMSGW_PG_INBOUND_MESSAGE_COLUMNS("") " FROM inbound_messages WHERE id = $1";
constexpr const char* kCountWaiting = "SELECT count(*) FROM inbound_parts";
constexpr const char* kCountUnmatched = "SELECT count(*) FROM inbound_messages WHERE sid IS NULL";

// parts_missing as SQLite keeps it: part numbers, comma-separated; '' when complete.
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

core::Result<std::vector<int>> SplitNumbers(std::string_view text) {
  std::vector<int> out;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
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
    text.remove_prefix(comma + 1);
  }
  return out;
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

// What identifies a concatenated part's message among all waiting parts.
struct GroupKey {
  std::string connector, source, destination;
  int64_t reference = 0;
  int64_t total = 0;
};

GroupKey KeyOf(const InboundPart& part) {
  return GroupKey{part.connector, part.source, part.destination, part.concat->reference,
                  part.concat->total};
}

Params KeyParams(const GroupKey& key) {
  Params p;
  p.Text(key.connector).Text(key.source).Text(key.destination).Int(key.reference).Int(key.total);
  return p;
}

core::Result<void> Run(Connection& conn, const char* sql, const Params& params) {
  auto ran = conn.Exec(sql, params);
  if (!ran) {
    return Fail(std::move(ran));
  }
  return {};
}

core::Result<void> LockKeys(Connection& conn, std::span<const GroupKey> keys) {
  ArrayParam c, s, d, r, t;
  for (const GroupKey& key : keys) {
    c.Text(key.connector);
    s.Text(key.source);
    d.Text(key.destination);
    r.Int(key.reference);
    t.Int(key.total);
  }
  return Run(conn, kLockKeys,
             Params()
                 .Text(c.Finish())
                 .Text(s.Finish())
                 .Text(d.Finish())
                 .Text(r.Finish())
                 .Text(t.Finish()));
}

// Whether the part is waiting already, or was in a message stored from its key at or after
// `since` (store::InStoredMessage).
core::Result<bool> IsRepeat(Connection& conn, const InboundPart& part, core::TimePoint since) {
  const GroupKey key = KeyOf(part);
  auto waiting = conn.Exec(kPartExists, KeyParams(key).Int(part.concat->seqnum));
  if (!waiting) {
    return Fail(std::move(waiting));
  }
  if (waiting->rows() > 0) {
    return true;
  }
  auto rows = conn.Exec(kRepeatsOf, KeyParams(key).Time(since));
  if (!rows) {
    return Fail(std::move(rows));
  }
  std::vector<std::vector<int>> stored;
  for (int i = 0; i < rows->rows(); ++i) {
    auto missing = SplitNumbers(rows->Text(i, 0));
    if (!missing) {
      return Fail(std::move(missing));
    }
    stored.push_back(std::move(*missing));
  }
  return InStoredMessage(stored, part.concat->seqnum);
}

// The message to insert: every column but the id and the matched entry.
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
// when each account last sent to `source` (digits only) from that number read here.
core::Result<std::optional<InboundNumber>> ReplyEntry(Connection& conn,
                                                      std::span<const InboundNumber> entries,
                                                      const std::string& number,
                                                      const std::string& source,
                                                      core::TimePoint now) {
  std::vector<LastSent> asked;
  for (const std::string_view sid : ReplyAccountsToAsk(entries, source, now)) {
    auto rows = conn.Exec(kLastSentTo, Params().Text(sid).Text(source).Text(number));
    if (!rows) {
      return Fail(std::move(rows));
    }
    asked.push_back({sid, rows->rows() > 0 ? std::optional(rows->Time(0, 0)) : std::nullopt});
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

// The entry a message sent to `destination` belongs to (MatchKeywordEntry, else the reply rule),
// or nullopt: unmatched.
core::Result<std::optional<InboundNumber>> MatchEntry(Connection& conn,
                                                      const std::string& destination,
                                                      const std::string& source,
                                                      std::string_view text, core::TimePoint now) {
  const std::string number = DigitsOnly(destination);
  if (number.empty()) {
    return std::optional<InboundNumber>();
  }
  auto entries = EntriesOfNumber(conn, number);
  if (!entries) {
    return Fail(std::move(entries));
  }
  if (entries->empty()) {
    return std::optional<InboundNumber>();
  }
  if (const std::optional<size_t> i = MatchKeywordEntry(*entries, text, now)) {
    return std::optional<InboundNumber>(std::move((*entries)[*i]));
  }
  return ReplyEntry(conn, *entries, number, DigitsOnly(source), now);
}

// What a matched message sets off in its transaction: its inbound webhook, or its SMPP outbox row
// when the entry targets the account's SMPP binds, and its opt-out command.
core::Result<void> Forward(Connection& conn, const InboundNumber& entry, const std::string& id,
                           const NewMessage& m, const core::OptOutWords* opt_out,
                           SmppOutboxWrites& smpp) {
  auto written = entry.target == InboundTarget::kSmpp
                     ? WriteSmppMo(conn, entry.sid, id, m.stored_at, smpp)
                     : WriteInboundWebhook(conn, entry.sid, id, entry.callback,
                                           entry.callback_profile_id, m.stored_at);
  if (!written) {
    return written;
  }
  return ApplyMoOptOut(conn, opt_out, entry.sid, DigitsOnly(*m.destination), DigitsOnly(*m.source),
                       m.text, m.stored_at);
}

// Stores the message, matched to its inbound number, and what that sets off (Forward).
core::Result<std::string> InsertMessage(Connection& conn, const NewMessage& m,
                                        const core::OptOutWords* opt_out, SmppOutboxWrites& smpp) {
  const std::string id = core::NewUuid();
  auto entry = MatchEntry(conn, *m.destination, *m.source, m.text, m.stored_at);
  if (!entry) {
    return Fail(std::move(entry));
  }
  Params params;
  params.Text(id)
      .Time(m.received_at)
      .Time(m.stored_at)
      .Text(*m.connector)
      .Text(*m.source)
      .Text(*m.destination)
      .Text(m.text)
      .Int(m.parts_total)
      .Int(m.parts_received)
      .Text(JoinNumbers(m.parts_missing))
      .OptInt(m.concat_ref);
  if (*entry) {
    params.Text((*entry)->sid).Text((*entry)->id).Text((*entry)->keyword);
  } else {
    params.Null().Text("").Text("");
  }
  // seq is taken at the insert but seen at the commit: one inserter at a time to its commit
  // makes the two orders one, so that a page read on one node never misses a message another
  // node commits later with a smaller seq.
  if (auto turn = Run(conn, kInsertTurn, Params()); !turn) {
    return Fail(std::move(turn));
  }
  if (auto inserted = Run(conn, kInsertMessage, params); !inserted) {
    return Fail(std::move(inserted));
  }
  if (*entry) {
    if (auto forwarded = Forward(conn, **entry, id, m, opt_out, smpp); !forwarded) {
      return Fail(std::move(forwarded));
    }
  }
  return id;
}

// Every waiting part of the message `key`, in part order.
core::Result<std::vector<InboundPart>> ReadGroup(Connection& conn, const GroupKey& key) {
  auto rows = conn.Exec(kGroupParts, KeyParams(key));
  if (!rows) {
    return Fail(std::move(rows));
  }
  std::vector<InboundPart> parts;
  for (int i = 0; i < rows->rows(); ++i) {
    auto payload = BytesOfHex(rows->Text(i, 2), "inbound payload");
    if (!payload) {
      return Fail(std::move(payload));
    }
    InboundPart p;
    p.connector = key.connector;
    p.source = key.source;
    p.destination = key.destination;
    p.concat = InboundConcat{static_cast<uint16_t>(key.reference), static_cast<int>(key.total),
                             static_cast<int>(rows->Int(i, 0))};
    p.data_coding = static_cast<uint8_t>(rows->Int(i, 1));
    p.payload = std::move(*payload);
    p.udh_length = static_cast<size_t>(std::max<int64_t>(0, rows->Int(i, 3)));
    p.received_at = rows->Time(i, 4);
    parts.push_back(std::move(p));
  }
  return parts;
}

// Assembles `parts` (every waiting part of `key`, in part order), stores the message (stored_at
// `now`) and deletes them.
core::Result<std::string> StoreGroup(Connection& conn, const GroupKey& key,
                                     std::span<const InboundPart> parts, core::TimePoint now,
                                     const InboundAssembler& assemble,
                                     const core::OptOutWords* opt_out, SmppOutboxWrites& smpp) {
  NewMessage m;
  m.received_at = parts.front().received_at;
  std::vector<int> present;
  for (const InboundPart& p : parts) {
    m.received_at = std::min(m.received_at, p.received_at);
    present.push_back(p.concat->seqnum);
  }
  m.stored_at = now;
  m.connector = &key.connector;
  m.source = &key.source;
  m.destination = &key.destination;
  m.parts_total = static_cast<int>(key.total);
  m.parts_received = static_cast<int>(parts.size());
  m.parts_missing = MissingParts(present, m.parts_total);
  m.concat_ref = key.reference;
  m.text = assemble(parts, m.parts_total);
  auto id = InsertMessage(conn, m, opt_out, smpp);
  if (!id) {
    return id;
  }
  if (auto deleted = Run(conn, kDeleteGroup, KeyParams(key)); !deleted) {
    return Fail(std::move(deleted));
  }
  return id;
}

// A message in one part (no concatenation info, or a total of 1), stored at once.
core::Result<std::string> StoreSingle(Connection& conn, const InboundPart& part,
                                      const InboundAssembler& assemble,
                                      const core::OptOutWords* opt_out, SmppOutboxWrites& smpp) {
  NewMessage m;
  m.received_at = m.stored_at = part.received_at;
  m.connector = &part.connector;
  m.source = &part.source;
  m.destination = &part.destination;
  m.text = assemble(std::span(&part, 1), 1);
  if (part.concat) {
    m.concat_ref = part.concat->reference;
  }
  return InsertMessage(conn, m, opt_out, smpp);
}

// Keeps a part of a longer message; the one that completes it has the message stored.
core::Result<InboundPartResult> AddToGroup(Connection& conn, const InboundPart& part,
                                           const InboundAssembler& assemble,
                                           const core::OptOutWords* opt_out,
                                           SmppOutboxWrites& smpp) {
  const GroupKey key = KeyOf(part);
  if (auto inserted = Run(conn, kInsertPart,
                          KeyParams(key)
                              .Int(part.concat->seqnum)
                              .Int(part.data_coding)
                              .Text(HexOf(part.payload))
                              .Int(static_cast<int64_t>(part.udh_length))
                              .Time(part.received_at));
      !inserted) {
    return Fail(std::move(inserted));
  }
  auto count = conn.Exec(kCountParts, KeyParams(key));
  if (!count) {
    return Fail(std::move(count));
  }
  if (count->Int(0, 0) < part.concat->total) {
    return InboundPartResult{InboundPartOutcome::kWaiting, ""};
  }
  auto parts = ReadGroup(conn, key);
  if (!parts) {
    return Fail(std::move(parts));
  }
  auto id = StoreGroup(conn, key, *parts, part.received_at, assemble, opt_out, smpp);
  if (!id) {
    return Fail(std::move(id));
  }
  return InboundPartResult{InboundPartOutcome::kStored, std::move(*id)};
}

}  // namespace

core::Result<InboundMessage> ReadInboundMessage(const Rows& rows, int row, int first) {
  auto missing = SplitNumbers(rows.Text(row, first + 9));
  if (!missing) {
    return Fail(std::move(missing));
  }
  InboundMessage m;
  m.id = rows.Text(row, first);
  m.received_at = rows.Time(row, first + 1);
  m.stored_at = rows.Time(row, first + 2);
  m.connector = rows.Text(row, first + 3);
  m.source = rows.Text(row, first + 4);
  m.destination = rows.Text(row, first + 5);
  m.text = rows.Text(row, first + 6);
  m.parts_total = static_cast<int>(rows.Int(row, first + 7));
  m.parts_received = static_cast<int>(rows.Int(row, first + 8));
  m.parts_missing = std::move(*missing);
  m.sid = rows.Text(row, first + 10);
  m.number_id = rows.Text(row, first + 11);
  m.keyword = rows.Text(row, first + 12);
  return m;
}

core::Result<InboundPartResult> Inbound::AddInboundPart(const InboundPart& part,
                                                        core::TimePoint repeats_since,
                                                        const InboundAssembler& assemble,
                                                        const core::OptOutWords* opt_out) {
  if (part.concat && (part.concat->total < 1 || part.concat->total > 255 ||
                      part.concat->seqnum < 1 || part.concat->seqnum > part.concat->total)) {
    return core::MakeError(core::Errc::kInvalidArgument,
                           "inbound part " + std::to_string(part.concat->seqnum) + " of " +
                               std::to_string(part.concat->total) + " cannot be placed");
  }
  SmppOutboxWrites smpp;
  auto added = pool_.InTransaction([&](Connection& conn) -> core::Result<InboundPartResult> {
    smpp = {};
    if (part.concat) {
      // Whatever decides below (repeat, whole) must see the other nodes' parts of this message.
      if (auto locked = Run(conn, kLockKey, KeyParams(KeyOf(part))); !locked) {
        return Fail(std::move(locked));
      }
      auto repeat = IsRepeat(conn, part, repeats_since);
      if (!repeat) {
        return Fail(std::move(repeat));
      }
      if (*repeat) {
        return InboundPartResult{InboundPartOutcome::kRepeated, ""};
      }
    }
    if (part.concat && part.concat->total > 1) {
      return AddToGroup(conn, part, assemble, opt_out, smpp);
    }
    auto id = StoreSingle(conn, part, assemble, opt_out, smpp);
    if (!id) {
      return Fail(std::move(id));
    }
    return InboundPartResult{InboundPartOutcome::kStored, std::move(*id)};
  });
  if (added) {
    versions_.Bump(smpp.buckets);
  }
  return added;
}

core::Result<size_t> Inbound::ExpireInboundParts(core::TimePoint cutoff, core::TimePoint now,
                                                 const InboundAssembler& assemble,
                                                 const core::OptOutWords* opt_out) {
  size_t stored = 0;
  for (;;) {
    size_t found = 0;
    SmppOutboxWrites smpp;
    auto expired = pool_.InTransaction([&](Connection& conn) -> core::Result<size_t> {
      smpp = {};
      auto rows = conn.Exec(
          kExpiredGroups, Params().Time(cutoff).Int(static_cast<int64_t>(kMaxLocksPerTransaction)));
      if (!rows) {
        return Fail(std::move(rows));
      }
      std::vector<GroupKey> groups;
      for (int i = 0; i < rows->rows(); ++i) {
        groups.push_back(GroupKey{rows->Text(i, 0), rows->Text(i, 1), rows->Text(i, 2),
                                  rows->Int(i, 3), rows->Int(i, 4)});
      }
      found = groups.size();
      if (groups.empty()) {
        return size_t{0};
      }
      if (auto locked = LockKeys(conn, groups); !locked) {
        return Fail(std::move(locked));
      }
      size_t count = 0;
      for (const GroupKey& key : groups) {
        // Read again under the lock: another node may have stored the message meanwhile (its
        // last part, or its own expiry), and a new message may have begun on the key since.
        auto parts = ReadGroup(conn, key);
        if (!parts) {
          return Fail(std::move(parts));
        }
        const bool overdue = std::any_of(parts->begin(), parts->end(), [&](const InboundPart& p) {
          return p.received_at < cutoff;
        });
        if (!overdue) {
          continue;
        }
        auto id = StoreGroup(conn, key, *parts, now, assemble, opt_out, smpp);
        if (!id) {
          return Fail(std::move(id));
        }
        ++count;
      }
      return count;
    });
    if (!expired) {
      return expired;  // the transactions before it stand: what they stored stays stored
    }
    versions_.Bump(smpp.buckets);
    stored += *expired;
    // Each round leaves none of the groups it read overdue, so the next reads others.
    if (found < kMaxLocksPerTransaction) {
      return stored;
    }
  }
}

core::Result<std::vector<InboundMessage>> Inbound::ListInbound(std::string_view before_id,
                                                               size_t limit, InboundFilter filter) {
  if (limit == 0) {
    return std::vector<InboundMessage>();
  }
  const auto bounded =
      static_cast<int64_t>(std::min<uint64_t>(limit, std::numeric_limits<int64_t>::max()));
  const int64_t unmatched = filter == InboundFilter::kUnmatched ? 1 : 0;
  auto rows = before_id.empty()
                  ? pool_.Read(kList, Params().Int(bounded).Int(unmatched))
                  : pool_.Read(kListBefore, Params().Text(before_id).Int(bounded).Int(unmatched));
  if (!rows) {
    return Fail(std::move(rows));
  }
  std::vector<InboundMessage> out;
  for (int i = 0; i < rows->rows(); ++i) {
    auto m = ReadInboundMessage(*rows, i);
    if (!m) {
      return Fail(std::move(m));
    }
    out.push_back(std::move(*m));
  }
  return out;
}

core::Result<InboundMessage> Inbound::GetInbound(std::string_view id) {
  auto rows = pool_.Read(kGet, Params().Text(id));
  if (!rows) {
    return Fail(std::move(rows));
  }
  if (rows->rows() == 0) {
    return core::MakeError(core::Errc::kNotFound, "no inbound message '" + std::string(id) + "'");
  }
  return ReadInboundMessage(*rows, 0);
}

core::Result<size_t> Inbound::CountWaitingInboundParts() {
  auto rows = pool_.Read(kCountWaiting, Params());
  if (!rows) {
    return Fail(std::move(rows));
  }
  return static_cast<size_t>(rows->Int(0, 0));
}

core::Result<size_t> Inbound::CountUnmatchedInbound() {
  auto rows = pool_.Read(kCountUnmatched, Params());
  if (!rows) {
    return Fail(std::move(rows));
  }
  return static_cast<size_t>(rows->Int(0, 0));
}

}  // namespace smsgw::store::postgres
