#include "smpp/backoff.h"

#include <algorithm>
#include <cmath>

namespace smsgw::smpp {

Backoff::Backoff(BackoffPolicy policy, uint64_t seed) : policy_(policy), rng_(seed) {}

std::chrono::milliseconds Backoff::Next() {
  const double initial = static_cast<double>(policy_.initial.count());
  const double cap = static_cast<double>(std::max(policy_.max, policy_.initial).count());
  const double step =
      std::min(cap, initial * std::pow(std::max(policy_.multiplier, 1.0), attempt_));
  ++attempt_;
  std::uniform_real_distribution<double> jitter(step / 2, step);
  return std::chrono::milliseconds(static_cast<int64_t>(jitter(rng_)));
}

}  // namespace smsgw::smpp
