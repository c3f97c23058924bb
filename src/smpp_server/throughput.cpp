#include "smpp_server/throughput.h"

namespace smsgw::smpp_server {

bool ThroughputLimits::TryTake(std::string_view system_id, int64_t per_second, size_t messages,
                               Clock::time_point now) {
  if (per_second <= 0) {
    return true;
  }
  const auto rate = static_cast<double>(per_second);
  std::lock_guard lock(mu_);
  auto it = buckets_.find(std::string(system_id));
  if (it == buckets_.end() || it->second.per_second != per_second) {
    // One second's worth as the burst: a customer's window of submits is not refused for
    // arriving together.
    it = buckets_
             .insert_or_assign(std::string(system_id),
                               Entry{per_second, core::TokenBucket(rate, rate, now)})
             .first;
  }
  return it->second.bucket.TryTake(now, static_cast<double>(messages));
}

}  // namespace smsgw::smpp_server
