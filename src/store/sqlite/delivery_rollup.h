#pragma once
// Writing the delivery rollups (store/delivery_rollup.h) into delivery_minutes (migration 17):
// one upsert per key per write group. Each write of a group fills a rollup of its own; the
// leader merges it into the group's once the write succeeded (a write rolled back to its
// savepoint adds nothing), and writes the group's before COMMIT
// (SqliteStore::Writer::WriteGroupNow). Included only by store/sqlite sources and tests.
//
// Thread-compatible: a write's rollup belongs to its write; the group's is the writer's, used
// under its mutex.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/message.h"
#include "core/result.h"
#include "core/time.h"
#include "store/delivery_rollup.h"
#include "store/sqlite/sqlite_db.h"

namespace smsgw::store::sqlite {

// The writer's statements for delivery_minutes; a reader's read in SqliteStore::ReadDeliveryStats.
struct RollupStatements {
  Statement upsert, prune;

  core::Result<void> Prepare(Db& db);
};

using store::DeliveryRollup;
using store::UnixMinute;

// Upserts every key of `rollup`, then, when the newest minute written is past the last one
// pruned, deletes the minutes older than kRollupRetention before it. Inside the caller's
// transaction; the rollup is left as it was (the caller clears it, committed or not).
core::Result<void> WriteRollup(const DeliveryRollup& rollup, RollupStatements& s,
                               int64_t& pruned_through_minute);

}  // namespace smsgw::store::sqlite
