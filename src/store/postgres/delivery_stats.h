#pragma once
// DeliveryStats on PostgreSQL (store/delivery_stats.h): the rollups in delivery_minutes
// (migration 10). Each transaction that accepts or settles messages folds its counts in memory
// (store/delivery_rollup.h, in its TransactionOutbox) and adds them with one upsert per key before
// its COMMIT (WriteRollup, from InSettlingTransaction): `x = x + excluded.x`, so two nodes adding
// to one minute at once both count, the second waiting on the first's row lock.

#include <chrono>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "store/delivery_rollup.h"
#include "store/delivery_stats.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/pool.h"
#include "store/postgres/write_stats.h"

namespace smsgw::store::postgres {

// Upserts every key of `rollup` in key order (so writers take the rows' locks in one order), and,
// when `stats` hands this transaction the prune of its newest minute (WriteStats::ClaimPrune),
// deletes the minutes older than kRollupRetention before it. Inside the caller's transaction.
core::Result<void> WriteRollup(Connection& conn, const DeliveryRollup& rollup, WriteStats& stats);

class DeliveryStatsReader : public DeliveryStats {
 public:
  explicit DeliveryStatsReader(Pool& pool) : pool_(pool) {}

  // One range of the primary key (sid, minute), summed per step on the server.
  core::Result<std::vector<DeliveryBucket>> ReadDeliveryStats(std::string_view sid,
                                                              core::TimePoint from,
                                                              core::TimePoint to,
                                                              std::chrono::minutes step) override;

 private:
  Pool& pool_;
};

}  // namespace smsgw::store::postgres
