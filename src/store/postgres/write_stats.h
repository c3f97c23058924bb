#pragma once
// WriteStats is what one PostgresStore's writes counted once they committed (store/
// operations_store.h StoreCounters: each transaction's time and size, receipt delays, messages
// finished per type and state), and the newest delivery-rollup minute this node pruned through
// (delivery_stats.h). Owned by the Pool every write goes through. Safe from any thread.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>

#include "core/message.h"
#include "metrics/histogram.h"
#include "store/operations_store.h"

namespace smsgw::store::postgres {

class WriteStats {
 public:
  // A write transaction committed after `took` from BEGIN. One caller per transaction: there is
  // no group commit on PostgreSQL, so write_size counts ones.
  void Committed(std::chrono::duration<double> took);
  void Finished(core::RouteType type, core::MessageState state);
  void ReceiptDelay(double seconds);
  StoreCounters Read() const;

  // True for exactly one caller per newest minute past the last one claimed: that caller's
  // transaction prunes the rollups, so pruning costs one DELETE per minute per node, not one per
  // write. A claim whose transaction rolls back leaves the prune to the next minute's.
  bool ClaimPrune(int64_t newest_minute);

 private:
  metrics::Histogram write_seconds_{metrics::kLatencyBuckets};
  metrics::Histogram write_size_{metrics::kBatchSizeBuckets};
  metrics::Histogram receipt_delay_{metrics::kReceiptDelayBuckets};
  std::array<std::array<std::atomic<uint64_t>, kMessageStates>, kRouteTypes> finished_{};
  std::atomic<int64_t> pruned_through_{std::numeric_limits<int64_t>::min()};
};

}  // namespace smsgw::store::postgres
