#include "store/postgres/inbound_numbers.h"

#include <string>
#include <utility>

#include "store/inbound_decisions.h"
#include "store/postgres/changes.h"

namespace smsgw::store::postgres {
namespace {

#define SMSGW_NUMBER_COLUMNS(t)                                                   \
  t "id, " t "sid, " t "number, " t "keyword, " t "expires_at, " t "callback, " t \
    "callback_profile_id, " t "created_at, " t "target"
constexpr const char* kInsert = "INSERT INTO inbound_numbers (" SMSGW_NUMBER_COLUMNS(
    "") ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
constexpr const char* kDelete = "DELETE FROM inbound_numbers WHERE id = $2 AND sid = $1";
constexpr const char* kGet =
    "SELECT " SMSGW_NUMBER_COLUMNS("") " FROM inbound_numbers WHERE id = $2 AND sid = $1";
// Keys and keywords compare as bytes (COLLATE "C"), as SQLite orders them.
constexpr const char* kOfNumber =
    "SELECT " SMSGW_NUMBER_COLUMNS("") " FROM inbound_numbers WHERE number = $1 "
    "ORDER BY keyword COLLATE \"C\", id COLLATE \"C\"";
// The account's row joined to its entries, so that the account check and the list are one
// statement: no row when the account does not exist, one of NULLs when it has no entry.
constexpr const char* kList =
    "SELECT " SMSGW_NUMBER_COLUMNS("n.") " FROM accounts a LEFT JOIN inbound_numbers n ON "
    "n.sid = a.sid WHERE a.sid = $1 "
    "ORDER BY n.number COLLATE \"C\", n.keyword COLLATE \"C\", n.id COLLATE \"C\"";
#undef SMSGW_NUMBER_COLUMNS
// Creations on one number take turns (the key space is shared with the other advisory locks of
// the store; a collision only makes unrelated writers wait).
constexpr const char* kLockNumber =
    "SELECT pg_advisory_xact_lock(hashtextextended('inbound-number' || chr(31) || $1::text, 0))";

core::Result<InboundNumber> ReadNumber(const Rows& rows, int i) {
  InboundNumber n;
  n.id = rows.Text(i, 0);
  n.sid = rows.Text(i, 1);
  n.number = rows.Text(i, 2);
  n.keyword = rows.Text(i, 3);
  if (!rows.IsNull(i, 4)) {
    n.expires_at = rows.Time(i, 4);
  }
  n.callback = rows.Text(i, 5);
  n.callback_profile_id = rows.Text(i, 6);
  n.created_at = rows.Time(i, 7);
  auto target = rows.Enum(i, 8, InboundTarget::kSmpp, "inbound target");
  if (!target) {
    return Fail(std::move(target));
  }
  n.target = *target;
  return n;
}

// The entries of `rows`, up to the first row without one (column 0 NULL).
core::Result<std::vector<InboundNumber>> ReadNumbers(const Rows& rows) {
  std::vector<InboundNumber> out;
  for (int i = 0; i < rows.rows() && !rows.IsNull(i, 0); ++i) {
    auto n = ReadNumber(rows, i);
    if (!n) {
      return Fail(std::move(n));
    }
    out.push_back(std::move(*n));
  }
  return out;
}

std::string NoEntry(std::string_view id) { return "no inbound number '" + std::string(id) + "'"; }

}  // namespace

core::Result<std::vector<InboundNumber>> EntriesOfNumber(Connection& conn,
                                                         std::string_view number) {
  auto rows = conn.Exec(kOfNumber, Params().Text(number));
  if (!rows) {
    return Fail(std::move(rows));
  }
  return ReadNumbers(*rows);
}

core::Result<void> InboundNumbers::CreateInboundNumber(const InboundNumber& entry) {
  return pool_.InTransaction([&](Connection& conn) -> core::Result<void> {
    if (auto account = LockAccount(conn, entry.sid); !account) {
      return account;
    }
    if (auto locked = conn.Exec(kLockNumber, Params().Text(entry.number)); !locked) {
      return Fail(std::move(locked));
    }
    auto others = EntriesOfNumber(conn, entry.number);
    if (!others) {
      return Fail(std::move(others));
    }
    if (auto conflict = SharingConflict(entry, *others)) {
      return core::MakeError(core::Errc::kConflict, std::move(*conflict));
    }
    auto inserted = conn.Exec(
        kInsert, Params()
                     .Text(entry.id)
                     .Text(entry.sid)
                     .Text(entry.number)
                     .Text(entry.keyword)
                     .OptInt(entry.expires_at ? std::optional(core::ToUnixMillis(*entry.expires_at))
                                              : std::nullopt)
                     .Text(entry.callback)
                     .Text(entry.callback_profile_id)
                     .Time(entry.created_at)
                     .Int(static_cast<int64_t>(entry.target)));
    if (!inserted) {
      return Fail(std::move(inserted));
    }
    return {};
  });
}

core::Result<InboundNumber> InboundNumbers::GetInboundNumber(std::string_view sid,
                                                             std::string_view id) {
  auto rows = pool_.Read(kGet, Params().Text(sid).Text(id));
  if (!rows) {
    return Fail(std::move(rows));
  }
  if (rows->rows() == 0) {
    return core::MakeError(core::Errc::kNotFound, NoEntry(id));
  }
  return ReadNumber(*rows, 0);
}

core::Result<std::vector<InboundNumber>> InboundNumbers::ListInboundNumbers(std::string_view sid) {
  auto rows = pool_.Read(kList, Params().Text(sid));
  if (!rows) {
    return Fail(std::move(rows));
  }
  if (rows->rows() == 0) {
    return core::MakeError(core::Errc::kNotFound, NoAccount(sid));
  }
  return ReadNumbers(*rows);
}

core::Result<void> InboundNumbers::DeleteInboundNumber(std::string_view sid, std::string_view id) {
  // In a transaction rather than through Pool::Read, which runs a statement again on a new
  // connection: a delete that committed before its connection was lost would then say kNotFound.
  return pool_.InTransaction([&](Connection& conn) -> core::Result<void> {
    auto removed = conn.Exec(kDelete, Params().Text(sid).Text(id));
    if (!removed) {
      return Fail(std::move(removed));
    }
    if (removed->affected() == 0) {
      return core::MakeError(core::Errc::kNotFound, NoEntry(id));
    }
    return {};
  });
}

}  // namespace smsgw::store::postgres
