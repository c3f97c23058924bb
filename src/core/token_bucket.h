#pragma once
// A token bucket: `rate` tokens a second, at most `burst` saved up. Used for a connector session's
// messages per second (carriers count submit_sm per second, so the default burst is a tenth of a
// second's worth, at least one, which keeps any one second close to the rate) and for an
// account's sends and recipients per second at the API. Pure; the clock is passed in.
// Thread-compatible.

#include <chrono>

namespace smsgw::core {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  // rate <= 0: unlimited. burst <= 0: max(1, rate / 10).
  explicit TokenBucket(double rate, double burst = 0, Clock::time_point now = Clock::now());

  // Takes `n` tokens when min(n, burst) are there: a request larger than the burst is let through
  // once the bucket is full, and its excess is owed (the bucket goes below zero), so the rate
  // holds over time.
  bool TryTake(Clock::time_point now, double n = 1);
  // When TryTake(n) will succeed (now if it would); for a timer or a Retry-After.
  Clock::time_point NextToken(Clock::time_point now, double n = 1);

  bool unlimited() const { return rate_ <= 0; }
  double rate() const { return rate_; }
  double burst() const { return burst_; }

 private:
  void Refill(Clock::time_point now);

  double rate_;
  double burst_;
  double tokens_;
  Clock::time_point last_;
};

}  // namespace smsgw::core
