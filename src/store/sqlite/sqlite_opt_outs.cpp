// SqliteStore's OptOutStore (migration 10), and the opt-out commands of MO messages, applied in
// the transaction that stores the MO (sqlite_inbound.cpp calls ApplyMoOptOut).

#include <string>
#include <utility>
#include <vector>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace smsgw::store::sqlite {
namespace {

constexpr const char* kInsert =
    "INSERT INTO opt_outs (sid, recipient, sender, source, created_at) VALUES (?1, ?2, ?3, ?4, "
    "?5) ON CONFLICT (sid, recipient, sender) DO NOTHING";
constexpr const char* kRemove =
    "DELETE FROM opt_outs WHERE sid = ?1 AND recipient = ?2 AND sender = ?3";
// START: the handset is back in for this sender and for every sender.
constexpr const char* kStart =
    "DELETE FROM opt_outs WHERE sid = ?1 AND recipient = ?2 AND sender IN (?3, '')";
#define SMSGW_OPT_OUT_COLUMNS "sid, recipient, sender, source, created_at"
constexpr const char* kList = "SELECT " SMSGW_OPT_OUT_COLUMNS
                              " FROM opt_outs WHERE sid = ?1 ORDER BY recipient, sender LIMIT ?2";
constexpr const char* kListAfter =
    "SELECT " SMSGW_OPT_OUT_COLUMNS
    " FROM opt_outs WHERE sid = ?1 AND (recipient, sender) > (?3, ?4) ORDER BY recipient, sender "
    "LIMIT ?2";
constexpr const char* kOfRecipient =
    "SELECT " SMSGW_OPT_OUT_COLUMNS
    " FROM opt_outs WHERE sid = ?1 AND recipient = ?3 ORDER BY sender LIMIT ?2";
constexpr const char* kOfRecipientAfter =
    "SELECT " SMSGW_OPT_OUT_COLUMNS
    " FROM opt_outs WHERE sid = ?1 AND recipient = ?3 AND sender > ?4 ORDER BY sender LIMIT ?2";
#undef SMSGW_OPT_OUT_COLUMNS

constexpr StatementSql<OptOutStatements> kWriterStatements[] = {
    {"insert_opt_out", &OptOutStatements::insert, kInsert},
    {"remove_opt_out", &OptOutStatements::remove, kRemove},
    {"start_opt_out", &OptOutStatements::start, kStart},
};
constexpr StatementSql<OptOutReadStatements> kReaderStatements[] = {
    {"list_opt_outs", &OptOutReadStatements::list, kList},
    {"list_opt_outs_after", &OptOutReadStatements::list_after, kListAfter},
    {"opt_outs_of_recipient", &OptOutReadStatements::of_recipient, kOfRecipient},
    {"opt_outs_of_recipient_after", &OptOutReadStatements::of_recipient_after, kOfRecipientAfter},
};

core::Result<void> Insert(OptOutStatements& s, const OptOut& o) {
  const ScopedReset reset(s.insert);
  s.insert.BindText(1, o.sid);
  s.insert.BindText(2, o.recipient);
  s.insert.BindText(3, o.sender);
  s.insert.BindText(4, o.source);
  s.insert.BindInt64(5, Ms(o.created_at));
  return s.insert.Run();
}

core::Result<OptOut> ReadOptOut(const Statement& s) {
  return OptOut{s.ColumnText(0), s.ColumnText(1), s.ColumnText(2), s.ColumnText(3),
                core::FromUnixMillis(s.ColumnInt64(4))};
}

}  // namespace

core::Result<void> OptOutStatements::Prepare(Db& db) {
  return PrepareEach(db, *this, kWriterStatements);
}

core::Result<void> OptOutReadStatements::Prepare(Db& db) {
  return PrepareEach(db, *this, kReaderStatements);
}

std::vector<NamedSql> OptOutSqlForTest() {
  return NamedSqlOf(kWriterStatements, kReaderStatements);
}

core::Result<void> ApplyMoOptOut(const MoOptOut& opt_out, std::string_view sid,
                                 std::string_view destination, std::string_view source,
                                 std::string_view text, core::TimePoint at) {
  if (opt_out.statements == nullptr || opt_out.words == nullptr || sid.empty()) {
    return {};
  }
  const core::OptOutCommand command = core::OptOutCommandOf(text, *opt_out.words);
  if (command == core::OptOutCommand::kNone) {
    return {};
  }
  // Numbers as messages carry them: digits only (a sender written "+1415..." too, see the claim).
  const std::string handset = DigitsOnly(source);
  const std::string number = DigitsOnly(destination);
  if (handset.empty()) {
    return {};
  }
  OptOutStatements& s = *opt_out.statements;
  if (command == core::OptOutCommand::kStart) {
    const ScopedReset reset(s.start);
    s.start.BindText(1, sid);
    s.start.BindText(2, handset);
    s.start.BindText(3, number);
    return s.start.Run();
  }
  return Insert(s, OptOut{std::string(sid), handset,
                          command == core::OptOutCommand::kStopAll ? "" : number, "mo", at});
}

core::Result<void> SqliteStore::AddOptOut(const OptOut& opt_out) {
  std::lock_guard lock(write_mu_);
  Writer& w = *writer_;
  return w.InTransaction([&]() -> core::Result<void> {
    if (auto account = w.CheckAccount(opt_out.sid); !account) {
      return account;
    }
    return Insert(w.opt_outs, opt_out);
  });
}

core::Result<void> SqliteStore::RemoveOptOut(std::string_view sid, std::string_view recipient,
                                             std::string_view sender) {
  std::lock_guard lock(write_mu_);
  return DeleteRows(writer_->opt_outs.remove, {sid, recipient, sender}, "no such opt-out");
}

core::Result<std::vector<OptOut>> SqliteStore::ListOptOuts(std::string_view sid,
                                                           std::string_view recipient,
                                                           const std::optional<Cursor>& after,
                                                           size_t limit) {
  return WithReader([&](ReadConnection& r) -> core::Result<std::vector<OptOut>> {
    return r.InSnapshot([&]() -> core::Result<std::vector<OptOut>> {
      if (auto account = CheckAccount(r, sid); !account) {
        return Fail(std::move(account));
      }
      OptOutReadStatements& o = r.opt_outs;
      Statement& select = recipient.empty() ? (after ? o.list_after : o.list)
                                            : (after ? o.of_recipient_after : o.of_recipient);
      const ScopedReset reset(select);
      select.BindText(1, sid);
      select.BindInt64(2, static_cast<int64_t>(limit));
      if (!recipient.empty()) {
        select.BindText(3, recipient);
      }
      if (after) {
        if (recipient.empty()) {
          select.BindText(3, after->recipient);
        }
        select.BindText(4, after->sender);
      }
      return ReadAll<OptOut>(select, ReadOptOut);
    });
  });
}

}  // namespace smsgw::store::sqlite
