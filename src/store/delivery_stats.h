#pragma once
// DeliveryStats is what the console's Delivery page charts: per-minute rollups of an account's
// traffic (accepted, and settled as delivered, undelivered or not sent; receipt delays in fixed
// buckets), kept by connector and route type. The backend writes them as messages settle, in the
// same transaction (store/sqlite: folded per write group, one upsert per key), and keeps
// kRollupRetention of them. Reads are by one account only. Safe from any thread.

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/message.h"
#include "core/result.h"
#include "core/time.h"

namespace smsgw::store {

// How long rollup minutes are kept; older ones are pruned as new minutes are written.
inline constexpr std::chrono::hours kRollupRetention{8 * 24};

// Upper bounds, in seconds, of the receipt-delay buckets (a message's submit to the receipt that
// settled it); one more bucket holds everything above the last. Values are stored per bucket:
// never change them without a migration.
inline constexpr int64_t kDelayBucketBounds[] = {1, 2, 5, 10, 30, 60, 120, 300, 900, 3600};
inline constexpr size_t kDelayBuckets = std::size(kDelayBucketBounds) + 1;

// The bucket a delay of `seconds` falls into.
inline size_t DelayBucket(double seconds) {
  size_t i = 0;
  while (i < std::size(kDelayBucketBounds) &&
         seconds > static_cast<double>(kDelayBucketBounds[i])) {
    ++i;
  }
  return i;
}

struct RollupCounts {
  uint64_t accepted = 0, delivered = 0, undelivered = 0, not_sent = 0;
  std::array<uint64_t, kDelayBuckets> delay{};  // delivered or undelivered by receipt
};

// One step of a series (a minute, or `step` minutes summed) for one connector and type.
// `connector` is empty for what no connector handled (accepted messages, and those that ended
// before a submit: cancelled, expired, rejected).
struct DeliveryBucket {
  core::TimePoint start;
  std::string connector;
  core::RouteType type = core::RouteType::kDefault;
  RollupCounts counts;
};

class DeliveryStats {
 public:
  virtual ~DeliveryStats() = default;
  // `sid`'s rollups from `from` (inclusive) to `to` (exclusive), summed per `step` (a whole
  // number of minutes, aligned to the Unix epoch) and per connector and type, in time order.
  virtual core::Result<std::vector<DeliveryBucket>> ReadDeliveryStats(
      std::string_view sid, core::TimePoint from, core::TimePoint to,
      std::chrono::minutes step) = 0;
};

}  // namespace smsgw::store
