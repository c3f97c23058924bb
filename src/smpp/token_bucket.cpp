#include "smpp/token_bucket.h"

#include <algorithm>

namespace smsgw::smpp {

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

bool TokenBucket::TryTake(Clock::time_point now) {
  if (unlimited()) {
    return true;
  }
  Refill(now);
  if (tokens_ < 1) {
    return false;
  }
  tokens_ -= 1;
  return true;
}

TokenBucket::Clock::time_point TokenBucket::NextToken(Clock::time_point now) {
  if (unlimited()) {
    return now;
  }
  Refill(now);
  if (tokens_ >= 1) {
    return now;
  }
  const auto wait = std::chrono::duration<double>((1 - tokens_) / rate_);
  return now + std::chrono::ceil<Clock::duration>(wait);
}

}  // namespace smsgw::smpp
