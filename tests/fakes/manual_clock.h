#pragma once
// ManualClock is a core::Clock that moves only when a test advances it, so retries, leases and
// timeouts measured in hours run in microseconds without sleeping. It starts at the real time
// (stores and logs see plausible times), to the millisecond. Thread-safe.

#include <atomic>
#include <chrono>
#include <cstdint>

#include "core/time.h"

namespace smsgw::fakes {

class ManualClock final : public core::Clock {
 public:
  core::TimePoint Now() const override { return core::FromUnixMillis(ms_.load()); }
  void Advance(std::chrono::milliseconds d) { ms_ += d.count(); }

 private:
  std::atomic<int64_t> ms_{core::ToUnixMillis(std::chrono::system_clock::now())};
};

}  // namespace smsgw::fakes
