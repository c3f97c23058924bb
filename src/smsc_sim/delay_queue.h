#pragma once
// DelayQueue runs callbacks at given times on one executor with a single timer: the
// simulator's delayed receipts and late submit_sm_resp (faults 9996, 9999) share it instead of
// arming a timer each. Callbacks due at the same time run in the order they were added.
// Threads: every member is called on the executor's (single) thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>

#include "smpp/asio.h"

namespace smsgw::smsc_sim {

class DelayQueue {
 public:
  using Clock = std::chrono::steady_clock;

  explicit DelayQueue(smpp::asio::any_io_executor executor) : timer_(std::move(executor)) {}
  DelayQueue(const DelayQueue&) = delete;
  DelayQueue& operator=(const DelayQueue&) = delete;

  // Runs `action` once `when` has come (at once, from the executor, if it has passed). Ignored
  // after Stop.
  void At(Clock::time_point when, std::function<void()> action);
  void After(Clock::duration delay, std::function<void()> action) {
    At(Clock::now() + delay, std::move(action));
  }

  // Drops every pending callback, for good.
  void Stop();

  size_t size() const { return items_.size(); }

 private:
  void Arm();
  void Fire();

  smpp::asio::steady_timer timer_;
  std::multimap<Clock::time_point, std::function<void()>> items_;
  uint64_t generation_ = 0;  // identifies the current wait; older completions are stale
  bool stopped_ = false;
};

}  // namespace smsgw::smsc_sim
