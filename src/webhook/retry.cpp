#include "webhook/retry.h"

#include <algorithm>
#include <chrono>

namespace smsgw::webhook {

std::optional<core::TimePoint> NextAttemptAt(const store::RetryPolicy& policy, int tries_done,
                                             core::TimePoint run_started_at, core::TimePoint now,
                                             double random) {
  if (tries_done < 1) {
    tries_done = 1;
  }
  if (policy.kind == store::RetryPolicy::Kind::kFixed) {
    if (static_cast<size_t>(tries_done) > policy.intervals.size()) {
      return std::nullopt;
    }
    return now + policy.intervals[tries_done - 1];
  }
  using Ms = std::chrono::milliseconds;
  const Ms cap = std::max<Ms>(policy.max_delay, Ms(0));
  Ms delay = std::max<Ms>(policy.initial, Ms(0));
  for (int i = 1; i < tries_done && delay < cap; ++i) {
    delay *= 2;
  }
  delay = std::min(delay, cap);
  const double factor = 0.8 + 0.4 * std::clamp(random, 0.0, 1.0);
  const Ms jittered(static_cast<Ms::rep>(static_cast<double>(delay.count()) * factor));
  const core::TimePoint at = now + jittered;
  if (at > run_started_at + policy.horizon) {
    return std::nullopt;
  }
  return at;
}

}  // namespace smsgw::webhook
