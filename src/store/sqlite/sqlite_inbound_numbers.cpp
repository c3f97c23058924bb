// SqliteStore's InboundNumberStore (migration 6): the numbers and keywords accounts receive MOs
// on. The sharing rules (SharingConflict, store/inbound_decisions.h) are checked in the inserting
// transaction against the number's entries (inbound_numbers_by_number), so two concurrent
// creations cannot both break them.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/inbound_decisions.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace smsgw::store::sqlite {
namespace {

#define SMSGW_NUMBER_COLUMNS \
  "id, sid, number, keyword, expires_at, callback, callback_profile_id, created_at, target"
constexpr const char* kInsert = "INSERT INTO inbound_numbers (" SMSGW_NUMBER_COLUMNS
                                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
constexpr const char* kDelete = "DELETE FROM inbound_numbers WHERE id = ?2 AND sid = ?1";
constexpr const char* kGet =
    "SELECT " SMSGW_NUMBER_COLUMNS " FROM inbound_numbers WHERE id = ?2 AND sid = ?1";
constexpr const char* kList = "SELECT " SMSGW_NUMBER_COLUMNS
                              " FROM inbound_numbers WHERE sid = ?1 ORDER BY number, keyword, id";

constexpr StatementSql<InboundNumberStatements> kWriterStatements[] = {
    {"entries_of_number", &InboundNumberStatements::entries_of_number, kEntriesOfNumberSql},
    {"insert_number", &InboundNumberStatements::insert, kInsert},
    {"delete_number", &InboundNumberStatements::remove, kDelete},
};
constexpr StatementSql<InboundNumberReadStatements> kReaderStatements[] = {
    {"get_number", &InboundNumberReadStatements::get, kGet},
    {"list_numbers", &InboundNumberReadStatements::list, kList},
};

core::Result<InboundNumber> ReadNumber(const Statement& s) {
  InboundNumber n;
  n.id = s.ColumnText(0);
  n.sid = s.ColumnText(1);
  n.number = s.ColumnText(2);
  n.keyword = s.ColumnText(3);
  if (!s.ColumnIsNull(4)) {
    n.expires_at = core::FromUnixMillis(s.ColumnInt64(4));
  }
  n.callback = s.ColumnText(5);
  n.callback_profile_id = s.ColumnText(6);
  n.created_at = core::FromUnixMillis(s.ColumnInt64(7));
  auto target =
      EnumColumn<InboundTarget>(s, 8, static_cast<int64_t>(InboundTarget::kSmpp), "inbound target");
  if (!target) {
    return Fail(std::move(target));
  }
  n.target = *target;
  return n;
}

std::string NoEntry(std::string_view id) { return "no inbound number '" + std::string(id) + "'"; }

}  // namespace

core::Result<void> InboundNumberStatements::Prepare(Db& db) {
  return PrepareEach(db, *this, kWriterStatements);
}

core::Result<void> InboundNumberReadStatements::Prepare(Db& db) {
  return PrepareEach(db, *this, kReaderStatements);
}

std::vector<NamedSql> InboundNumberSqlForTest() {
  return NamedSqlOf(kWriterStatements, kReaderStatements);
}

core::Result<void> SqliteStore::CreateInboundNumber(const InboundNumber& entry) {
  std::lock_guard lock(write_mu_);
  Writer& w = *writer_;
  return w.InTransaction([&]() -> core::Result<void> {
    if (auto account = w.CheckAccount(entry.sid); !account) {
      return account;
    }
    std::vector<InboundNumber> others;
    {
      Statement& select = w.numbers.entries_of_number;
      const ScopedReset reset(select);
      select.BindText(1, entry.number);
      auto read =
          ReadAll<InboundNumber>(select, [](const Statement& s) -> core::Result<InboundNumber> {
            InboundNumber n;
            n.id = s.ColumnText(0);
            n.sid = s.ColumnText(1);
            n.keyword = s.ColumnText(2);
            if (!s.ColumnIsNull(3)) {
              n.expires_at = core::FromUnixMillis(s.ColumnInt64(3));
            }
            return n;
          });
      if (!read) {
        return Fail(std::move(read));
      }
      others = std::move(*read);
    }
    if (auto conflict = SharingConflict(entry, others)) {
      return core::MakeError(core::Errc::kConflict, std::move(*conflict));
    }
    Statement& insert = w.numbers.insert;
    const ScopedReset reset(insert);
    insert.BindText(1, entry.id);
    insert.BindText(2, entry.sid);
    insert.BindText(3, entry.number);
    insert.BindText(4, entry.keyword);
    if (entry.expires_at) {
      insert.BindInt64(5, Ms(*entry.expires_at));
    } else {
      insert.BindNull(5);
    }
    insert.BindText(6, entry.callback);
    insert.BindText(7, entry.callback_profile_id);
    insert.BindInt64(8, Ms(entry.created_at));
    insert.BindInt64(9, static_cast<int64_t>(entry.target));
    return insert.Run();
  });
}

core::Result<InboundNumber> SqliteStore::GetInboundNumber(std::string_view sid,
                                                          std::string_view id) {
  return WithReader([&](ReadConnection& r) -> core::Result<InboundNumber> {
    Statement& select = r.numbers.get;
    const ScopedReset reset(select);
    select.BindText(1, sid);
    select.BindText(2, id);
    return ReadOne(select, ReadNumber, NoEntry(id));
  });
}

core::Result<std::vector<InboundNumber>> SqliteStore::ListInboundNumbers(std::string_view sid) {
  return WithReader([&](ReadConnection& r) -> core::Result<std::vector<InboundNumber>> {
    return r.InSnapshot([&]() -> core::Result<std::vector<InboundNumber>> {
      if (auto account = CheckAccount(r, sid); !account) {
        return Fail(std::move(account));
      }
      Statement& select = r.numbers.list;
      const ScopedReset reset(select);
      select.BindText(1, sid);
      return ReadAll<InboundNumber>(select, ReadNumber);
    });
  });
}

core::Result<void> SqliteStore::DeleteInboundNumber(std::string_view sid, std::string_view id) {
  std::lock_guard lock(write_mu_);
  Statement& del = writer_->numbers.remove;
  const ScopedReset reset(del);
  del.BindText(1, sid);
  del.BindText(2, id);
  if (auto ran = del.Run(); !ran) {
    return ran;
  }
  if (writer_->db.Changes() == 0) {
    return core::MakeError(core::Errc::kNotFound, NoEntry(id));
  }
  return {};
}

}  // namespace smsgw::store::sqlite
