#include "smsc_sim/delay_queue.h"

namespace smsgw::smsc_sim {

void DelayQueue::At(Clock::time_point when, std::function<void()> action) {
  if (stopped_) {
    return;
  }
  const bool earliest = items_.empty() || when < items_.begin()->first;
  items_.emplace(when, std::move(action));
  if (earliest) {
    Arm();
  }
}

void DelayQueue::Stop() {
  stopped_ = true;
  items_.clear();
  timer_.cancel();
}

void DelayQueue::Arm() {
  if (stopped_ || items_.empty()) {
    return;
  }
  // Re-arming cancels the previous wait; its completion may already be queued, so each wait
  // carries its generation and only the newest one fires.
  timer_.expires_at(items_.begin()->first);
  const uint64_t generation = ++generation_;
  timer_.async_wait([this, generation](const boost::system::error_code&) {
    if (generation == generation_ && !stopped_) {
      Fire();
    }
  });
}

void DelayQueue::Fire() {
  const Clock::time_point now = Clock::now();
  while (!stopped_ && !items_.empty() && items_.begin()->first <= now) {
    auto node = items_.extract(items_.begin());
    node.mapped()();
  }
  Arm();
}

}  // namespace smsgw::smsc_sim
