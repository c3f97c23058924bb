// SqliteStore's idempotency keys (migration 8): a send's Idempotency-Key and its answer, written
// in the transaction that enqueues its messages (SqliteStore::Enqueue) and read on a read
// connection before a keyed send is validated (FindIdempotencyKey).

#include <chrono>
#include <string>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace smsgw::store::sqlite {
namespace {

// A key stored within the window of ?5 (created_at) stays: the DO UPDATE's WHERE fails and
// nothing changes, which Changes() reports as 0.
constexpr const char* kUpsert =
    "INSERT INTO idempotency_keys (sid, key, fingerprint, response, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (sid, key) DO UPDATE SET "
    "fingerprint = excluded.fingerprint, response = excluded.response, "
    "created_at = excluded.created_at WHERE idempotency_keys.created_at < ?6";
// A few at a time, oldest first, through the age index: cleaning never makes a commit slow.
constexpr const char* kPurge =
    "DELETE FROM idempotency_keys WHERE (sid, key) IN (SELECT sid, key FROM idempotency_keys "
    "WHERE created_at < ?1 ORDER BY created_at LIMIT 64)";
constexpr const char* kFind =
    "SELECT fingerprint, response, created_at FROM idempotency_keys "
    "WHERE sid = ?1 AND key = ?2 AND created_at >= ?3";

constexpr StatementSql<IdempotencyStatements> kWriterStatements[] = {
    {"upsert_idempotency_key", &IdempotencyStatements::upsert, kUpsert},
    {"purge_idempotency_keys", &IdempotencyStatements::purge, kPurge},
};
constexpr StatementSql<IdempotencyReadStatements> kReaderStatements[] = {
    {"find_idempotency_key", &IdempotencyReadStatements::find, kFind},
};

}  // namespace

core::Result<void> IdempotencyStatements::Prepare(Db& db) {
  return PrepareEach(db, *this, kWriterStatements);
}

core::Result<void> IdempotencyReadStatements::Prepare(Db& db) {
  return PrepareEach(db, *this, kReaderStatements);
}

std::vector<NamedSql> IdempotencySqlForTest() {
  return NamedSqlOf(kWriterStatements, kReaderStatements);
}

core::Result<void> StoreIdempotencyKeys(Db& db, IdempotencyStatements& s,
                                        std::span<const IdempotencyRecord> keys) {
  for (const IdempotencyRecord& k : keys) {
    const int64_t expired_before = Ms(k.created_at - kIdempotencyWindow);
    const ScopedReset reset(s.upsert);
    s.upsert.BindText(1, k.sid);
    s.upsert.BindText(2, k.key);
    s.upsert.BindText(3, k.fingerprint);
    s.upsert.BindText(4, k.response);
    s.upsert.BindInt64(5, Ms(k.created_at));
    s.upsert.BindInt64(6, expired_before);
    if (auto ran = s.upsert.Run(); !ran) {
      return ran;
    }
    if (db.Changes() == 0) {
      return core::MakeError(core::Errc::kConflict,
                             "idempotency key '" + k.key + "' of " + k.sid + " is taken");
    }
  }
  if (!keys.empty()) {
    const ScopedReset reset(s.purge);
    s.purge.BindInt64(1, Ms(keys.front().created_at - kIdempotencyWindow));
    if (auto ran = s.purge.Run(); !ran) {
      return ran;
    }
  }
  return {};
}

core::Result<std::optional<IdempotencyRecord>> SqliteStore::FindIdempotencyKey(
    std::string_view sid, std::string_view key, core::TimePoint not_before) {
  return WithReader([&](ReadConnection& r) -> core::Result<std::optional<IdempotencyRecord>> {
    Statement& find = r.idempotency.find;
    const ScopedReset reset(find);
    find.BindText(1, sid);
    find.BindText(2, key);
    find.BindInt64(3, Ms(not_before));
    auto row = find.Step();
    if (!row) {
      return Fail(std::move(row));
    }
    if (!*row) {
      return std::nullopt;
    }
    IdempotencyRecord record;
    record.sid = sid;
    record.key = key;
    record.fingerprint = find.ColumnText(0);
    record.response = find.ColumnText(1);
    record.created_at = core::FromUnixMillis(find.ColumnInt64(2));
    return record;
  });
}

}  // namespace smsgw::store::sqlite
