#include "smsc_sim/delivery_queue.h"

namespace smsgw::smsc_sim {

size_t DeliveryQueue::Push(const std::string& system_id, QueuedDeliver item) {
  if (max_per_system_ == 0) {
    return 1;
  }
  std::deque<QueuedDeliver>& queue = queues_[system_id];
  size_t dropped = 0;
  if (queue.size() >= max_per_system_) {
    queue.pop_front();
    --total_;
    dropped = 1;
  }
  queue.push_back(std::move(item));
  ++total_;
  return dropped;
}

std::deque<QueuedDeliver> DeliveryQueue::Take(const std::string& system_id) {
  auto it = queues_.find(system_id);
  if (it == queues_.end()) {
    return {};
  }
  std::deque<QueuedDeliver> out = std::move(it->second);
  queues_.erase(it);
  total_ -= out.size();
  return out;
}

size_t DeliveryQueue::size(const std::string& system_id) const {
  auto it = queues_.find(system_id);
  return it == queues_.end() ? 0 : it->second.size();
}

}  // namespace smsgw::smsc_sim
