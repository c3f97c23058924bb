#include "store/postgres/opt_outs.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "store/postgres/changes.h"

namespace smsgw::store::postgres {
namespace {

constexpr const char* kInsert =
    "INSERT INTO opt_outs (sid, recipient, sender, source, created_at) VALUES ($1, $2, $3, $4, $5) "
    "ON CONFLICT (sid, recipient, sender) DO NOTHING";
constexpr const char* kRemove =
    "DELETE FROM opt_outs WHERE sid = $1 AND recipient = $2 AND sender = $3";
// START: the handset is back in for this sender and for every sender.
constexpr const char* kStart =
    "DELETE FROM opt_outs WHERE sid = $1 AND recipient = $2 AND sender IN ($3, '')";

// The page joined to the account's row: no row at all when the account does not exist, one row
// of NULLs when it has no opt-out (on the page), so one statement answers both from one snapshot.
// Each variant walks the primary key (sid, recipient, sender) from where the page starts.
#define SMSGW_LIST_SQL(terms, order)                                                               \
  "SELECT o.sid, o.recipient, o.sender, o.source, o.created_at FROM accounts a LEFT JOIN "         \
  "LATERAL (SELECT sid, recipient, sender, source, created_at FROM opt_outs WHERE sid = $1 " terms \
  " ORDER BY " order " LIMIT $2::bigint) o ON true WHERE a.sid = $1"
constexpr const char* kList = SMSGW_LIST_SQL("", "recipient, sender");
constexpr const char* kListAfter =
    SMSGW_LIST_SQL("AND (recipient, sender) > ($3::text, $4::text)", "recipient, sender");
constexpr const char* kOfRecipient = SMSGW_LIST_SQL("AND recipient = $3", "sender");
constexpr const char* kOfRecipientAfter =
    SMSGW_LIST_SQL("AND recipient = $3 AND sender > $4::text", "sender");
#undef SMSGW_LIST_SQL

}  // namespace

core::Result<void> ApplyMoOptOut(Connection& conn, const core::OptOutWords* words,
                                 std::string_view sid, std::string_view number,
                                 std::string_view handset, std::string_view text,
                                 core::TimePoint at) {
  if (words == nullptr || sid.empty() || handset.empty()) {
    return {};
  }
  const core::OptOutCommand command = core::OptOutCommandOf(text, *words);
  if (command == core::OptOutCommand::kNone) {
    return {};
  }
  auto applied =
      command == core::OptOutCommand::kStart
          ? conn.Exec(kStart, Params().Text(sid).Text(handset).Text(number))
          : conn.Exec(kInsert, Params()
                                   .Text(sid)
                                   .Text(handset)
                                   .Text(command == core::OptOutCommand::kStopAll ? "" : number)
                                   .Text("mo")
                                   .Time(at));
  if (!applied) {
    return Fail(std::move(applied));
  }
  return {};
}

core::Result<void> OptOuts::AddOptOut(const OptOut& opt_out) {
  return pool_.InTransaction([&](Connection& conn) -> core::Result<void> {
    if (auto account = LockAccount(conn, opt_out.sid); !account) {
      return account;
    }
    auto inserted = conn.Exec(kInsert, Params()
                                           .Text(opt_out.sid)
                                           .Text(opt_out.recipient)
                                           .Text(opt_out.sender)
                                           .Text(opt_out.source)
                                           .Time(opt_out.created_at));
    if (!inserted) {
      return Fail(std::move(inserted));
    }
    return {};
  });
}

core::Result<void> OptOuts::RemoveOptOut(std::string_view sid, std::string_view recipient,
                                         std::string_view sender) {
  // In a transaction rather than through Pool::Read, which runs a statement again on a new
  // connection: a delete that committed before its connection was lost would then say kNotFound.
  return pool_.InTransaction([&](Connection& conn) -> core::Result<void> {
    auto removed = conn.Exec(kRemove, Params().Text(sid).Text(recipient).Text(sender));
    if (!removed) {
      return Fail(std::move(removed));
    }
    if (removed->affected() == 0) {
      return core::MakeError(core::Errc::kNotFound, "no such opt-out");
    }
    return {};
  });
}

core::Result<std::vector<OptOut>> OptOuts::ListOptOuts(std::string_view sid,
                                                       std::string_view recipient,
                                                       const std::optional<Cursor>& after,
                                                       size_t limit) {
  Params params;
  params.Text(sid).Int(
      static_cast<int64_t>(std::min<uint64_t>(limit, std::numeric_limits<int64_t>::max())));
  if (!recipient.empty()) {
    params.Text(recipient);
  } else if (after) {
    params.Text(after->recipient);
  }
  if (after) {
    params.Text(after->sender);
  }
  const char* sql =
      recipient.empty() ? (after ? kListAfter : kList) : (after ? kOfRecipientAfter : kOfRecipient);
  auto rows = pool_.Read(sql, params);
  if (!rows) {
    return Fail(std::move(rows));
  }
  if (rows->rows() == 0) {
    return core::MakeError(core::Errc::kNotFound, NoAccount(sid));
  }
  std::vector<OptOut> out;
  for (int i = 0; i < rows->rows() && !rows->IsNull(i, 0); ++i) {
    out.push_back(OptOut{rows->Text(i, 0), rows->Text(i, 1), rows->Text(i, 2), rows->Text(i, 3),
                         rows->Time(i, 4)});
  }
  return out;
}

}  // namespace smsgw::store::postgres
