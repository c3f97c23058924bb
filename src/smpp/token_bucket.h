#pragma once
// A token bucket for a session's messages-per-second limit: `rate` tokens a second, at most
// `burst` saved up. Carriers count submit_sm per second, so the default burst is a tenth of a
// second's worth (at least one), which keeps any one second close to the rate. Pure; the clock
// is passed in. Thread-compatible.

#include <chrono>

namespace smsgw::smpp {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  // rate <= 0: unlimited. burst <= 0: max(1, rate / 10).
  explicit TokenBucket(double rate, double burst = 0, Clock::time_point now = Clock::now());

  // Takes one token if one is there.
  bool TryTake(Clock::time_point now);
  // When the next token will be there (now if one is); for the pump's timer.
  Clock::time_point NextToken(Clock::time_point now);

  bool unlimited() const { return rate_ <= 0; }

 private:
  void Refill(Clock::time_point now);

  double rate_;
  double burst_;
  double tokens_;
  Clock::time_point last_;
};

}  // namespace smsgw::smpp
