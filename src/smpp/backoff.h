#pragma once
// Reconnect delays: exponential backoff with "full jitter" (each delay drawn uniformly between
// half the exponential step and the step), so that many gateways losing one SMSC at once do not
// reconnect in lockstep. Pure; thread-compatible.

#include <chrono>
#include <cstdint>
#include <random>

namespace smsgw::smpp {

struct BackoffPolicy {
  std::chrono::milliseconds initial{1000};
  std::chrono::milliseconds max{60'000};
  double multiplier = 2.0;
};

class Backoff {
 public:
  explicit Backoff(BackoffPolicy policy, uint64_t seed = std::random_device{}());

  // The delay before the next attempt; each call without Reset() grows the step.
  std::chrono::milliseconds Next();
  // After a success: the next failure starts again from `initial`.
  void Reset() { attempt_ = 0; }
  int attempts() const { return attempt_; }

 private:
  BackoffPolicy policy_;
  std::mt19937_64 rng_;
  int attempt_ = 0;
};

}  // namespace smsgw::smpp
