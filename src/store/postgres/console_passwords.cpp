#include "store/postgres/console_passwords.h"

#include <string>
#include <utility>

#include "store/postgres/changes.h"

namespace smsgw::store::postgres {
namespace {

constexpr const char* kUpsert =
    "INSERT INTO console_passwords (sid, salt, password_hash, updated_at) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (sid) DO UPDATE "
    "SET salt = EXCLUDED.salt, password_hash = EXCLUDED.password_hash, "
    "updated_at = EXCLUDED.updated_at";
constexpr const char* kDelete = "DELETE FROM console_passwords WHERE sid = $1";
constexpr const char* kFind =
    "SELECT salt, password_hash, updated_at FROM console_passwords WHERE sid = $1";

}  // namespace

core::Result<void> ConsolePasswords::SetConsolePassword(std::string_view sid, std::string_view salt,
                                                        std::string_view password_hash,
                                                        core::TimePoint at) {
  return pool_.InTransaction([&](Connection& conn) -> core::Result<void> {
    if (auto account = LockAccount(conn, sid); !account) {
      return account;
    }
    auto upserted = conn.Exec(kUpsert, Params().Text(sid).Text(salt).Text(password_hash).Time(at));
    if (!upserted) {
      return Fail(std::move(upserted));
    }
    return {};
  });
}

core::Result<void> ConsolePasswords::RemoveConsolePassword(std::string_view sid) {
  // A transaction rather than Pool::Read, which may run a statement again on a new connection: a
  // delete that committed before its connection was lost would then say kNotFound.
  return pool_.InTransaction([&](Connection& conn) -> core::Result<void> {
    if (auto account = LockAccount(conn, sid); !account) {
      return account;
    }
    auto removed = conn.Exec(kDelete, Params().Text(sid));
    if (!removed) {
      return Fail(std::move(removed));
    }
    if (removed->affected() == 0) {
      return core::MakeError(core::Errc::kNotFound,
                             "account '" + std::string(sid) + "' has no console password");
    }
    return {};
  });
}

core::Result<std::optional<ConsolePassword>> ConsolePasswords::FindConsolePassword(
    std::string_view sid) {
  auto rows = pool_.Read(kFind, Params().Text(sid));
  if (!rows) {
    return Fail(std::move(rows));
  }
  if (rows->rows() == 0) {
    return std::optional<ConsolePassword>();
  }
  return std::optional<ConsolePassword>(
      ConsolePassword{rows->Text(0, 0), rows->Text(0, 1), rows->Time(0, 2)});
}

}  // namespace smsgw::store::postgres
