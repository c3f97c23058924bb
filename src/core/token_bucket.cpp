#include "core/token_bucket.h"

#include <algorithm>

namespace smsgw::core {

TokenBucket::TokenBucket(double rate, double burst, Clock::time_point now)
    : rate_(rate),
      burst_(burst > 0 ? burst : std::max(1.0, rate / 10)),
      tokens_(burst_),
      last_(now) {}

void TokenBucket::Refill(Clock::time_point now) {
  if (now <= last_) {
    return;
  }
  const double elapsed = std::chrono::duration<double>(now - last_).count();
  tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
  last_ = now;
}

bool TokenBucket::TryTake(Clock::time_point now, double n) {
  if (unlimited()) {
    return true;
  }
  Refill(now);
  if (tokens_ < std::min(n, burst_)) {
    return false;
  }
  tokens_ -= n;
  return true;
}

TokenBucket::Clock::time_point TokenBucket::NextToken(Clock::time_point now, double n) {
  if (unlimited()) {
    return now;
  }
  Refill(now);
  const double need = std::min(n, burst_);
  if (tokens_ >= need) {
    return now;
  }
  const auto wait = std::chrono::duration<double>((need - tokens_) / rate_);
  return now + std::chrono::ceil<Clock::duration>(wait);
}

}  // namespace smsgw::core
