// SqliteStore's ConsolePasswordStore: console_passwords (migration 17), one row per account.
// Rare calls (the CLI sets, a console sign-in or request reads): statements are prepared per call.

#include <string>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace smsgw::store::sqlite {
namespace {

constexpr const char* kUpsert =
    "INSERT INTO console_passwords (sid, salt, password_hash, updated_at) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (sid) DO UPDATE SET salt = ?2, password_hash = ?3, updated_at = ?4";
constexpr const char* kDelete = "DELETE FROM console_passwords WHERE sid = ?1";
constexpr const char* kFind =
    "SELECT salt, password_hash, updated_at FROM console_passwords WHERE sid = ?1";

}  // namespace

core::Result<void> SqliteStore::SetConsolePassword(std::string_view sid, std::string_view salt,
                                                   std::string_view password_hash,
                                                   core::TimePoint at) {
  std::lock_guard lock(write_mu_);
  Writer& w = *writer_;
  return w.InTransaction([&]() -> core::Result<void> {
    if (auto account = w.CheckAccount(sid); !account) {
      return account;
    }
    auto upsert = w.db.Prepare(kUpsert);
    if (!upsert) {
      return Fail(std::move(upsert));
    }
    upsert->BindText(1, sid);
    upsert->BindText(2, salt);
    upsert->BindText(3, password_hash);
    upsert->BindInt64(4, Ms(at));
    return upsert->Run();
  });
}

core::Result<void> SqliteStore::RemoveConsolePassword(std::string_view sid) {
  std::lock_guard lock(write_mu_);
  Writer& w = *writer_;
  return w.InTransaction([&]() -> core::Result<void> {
    if (auto account = w.CheckAccount(sid); !account) {
      return account;
    }
    auto remove = w.db.Prepare(kDelete);
    if (!remove) {
      return Fail(std::move(remove));
    }
    remove->BindText(1, sid);
    if (auto removed = remove->Run(); !removed) {
      return removed;
    }
    if (w.db.Changes() == 0) {
      return core::MakeError(core::Errc::kNotFound,
                             "account '" + std::string(sid) + "' has no console password");
    }
    return {};
  });
}

core::Result<std::optional<ConsolePassword>> SqliteStore::FindConsolePassword(
    std::string_view sid) {
  return WithReader([&](ReadConnection& r) -> core::Result<std::optional<ConsolePassword>> {
    auto find = r.db.Prepare(kFind);
    if (!find) {
      return Fail(std::move(find));
    }
    find->BindText(1, sid);
    auto row = find->Step();
    if (!row) {
      return Fail(std::move(row));
    }
    if (!*row) {
      return std::optional<ConsolePassword>();
    }
    return std::optional<ConsolePassword>(ConsolePassword{
        find->ColumnText(0), find->ColumnText(1), core::FromUnixMillis(find->ColumnInt64(2))});
  });
}

}  // namespace smsgw::store::sqlite
