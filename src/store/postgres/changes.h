#pragma once
// What the PostgreSQL stores share to write: a change that moves a cache version in its own
// transaction, a one-row change that must find its row, and the account check of a registry write.

#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"
#include "store/postgres/cache_versions.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/pool.h"

namespace smsgw::store::postgres {

// fn(Connection&) -> core::Result<T> in a transaction that also bumps `kind`'s cache version; the
// new version is seen by `versions` once the transaction has committed.
template <class F>
auto Changing(Pool& pool, CacheVersions& versions, CacheVersions::Kind kind, F&& fn)
    -> decltype(fn(std::declval<Connection&>())) {
  uint64_t version = 0;
  auto result = pool.InTransaction([&](Connection& conn) -> decltype(fn(conn)) {
    auto done = fn(conn);
    if (!done) {
      return done;
    }
    auto bumped = CacheVersions::Bump(conn, kind);
    if (!bumped) {
      return std::unexpected(std::move(bumped.error()));
    }
    version = *bumped;
    return done;
  });
  if (result) {
    versions.Saw(kind, version);
  }
  return result;
}

// Runs an UPDATE or DELETE of one row that bumps `kind`; kNotFound with `not_found` when it
// touched none.
core::Result<void> ChangeOne(Pool& pool, CacheVersions& versions, CacheVersions::Kind kind,
                             const char* sql, const Params& params, std::string not_found);

// kNotFound when the account does not exist; else the account row is share-locked until the
// caller's transaction ends, so it cannot go while something is added to it.
core::Result<void> LockAccount(Connection& conn, std::string_view sid);

// kNotFound when the account does not exist (a read outside any transaction).
core::Result<void> CheckAccount(Pool& pool, std::string_view sid);

std::string NoAccount(std::string_view sid);

}  // namespace smsgw::store::postgres
