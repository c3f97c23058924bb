#include "store/postgres/changes.h"

namespace smsgw::store::postgres {

core::Result<void> ChangeOne(Pool& pool, CacheVersions& versions, CacheVersions::Kind kind,
                             const char* sql, const Params& params, std::string not_found) {
  return Changing(pool, versions, kind, [&](Connection& conn) -> core::Result<void> {
    auto changed = conn.Exec(sql, params);
    if (!changed) {
      return Fail(std::move(changed));
    }
    if (changed->affected() == 0) {
      return core::MakeError(core::Errc::kNotFound, not_found);
    }
    return {};
  });
}

core::Result<void> LockAccount(Connection& conn, std::string_view sid) {
  auto locked = conn.Exec("SELECT 1 FROM accounts WHERE sid = $1 FOR SHARE", Params().Text(sid));
  if (!locked) {
    return Fail(std::move(locked));
  }
  if (locked->rows() == 0) {
    return core::MakeError(core::Errc::kNotFound, NoAccount(sid));
  }
  return {};
}

core::Result<void> CheckAccount(Pool& pool, std::string_view sid) {
  auto rows = pool.Read("SELECT 1 FROM accounts WHERE sid = $1", Params().Text(sid));
  if (!rows) {
    return Fail(std::move(rows));
  }
  if (rows->rows() == 0) {
    return core::MakeError(core::Errc::kNotFound, NoAccount(sid));
  }
  return {};
}

std::string NoAccount(std::string_view sid) { return "no account '" + std::string(sid) + "'"; }

}  // namespace smsgw::store::postgres
