#pragma once
// DeliveryQueue holds the deliver_sm (receipts, and MO that a dropped link never acknowledged)
// waiting for a receiver or transceiver of their system_id to bind, as a real SMSC stores
// them. Oldest first; at most `max_per_system` per system_id, beyond which the oldest is
// dropped. Thread-compatible: the simulator owns it on its one thread.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>

#include "smpp/codec/pdu.h"

namespace smsgw::smsc_sim {

struct QueuedDeliver {
  smpp::codec::DeliverSm pdu;
  std::string message_id;  // the receipted id, for the PDU log; empty for MO
};

class DeliveryQueue {
 public:
  explicit DeliveryQueue(size_t max_per_system) : max_per_system_(max_per_system) {}

  // Appends; returns how many old entries were dropped to make room (0 or 1).
  size_t Push(const std::string& system_id, QueuedDeliver item);
  // Removes and returns everything queued for `system_id`, oldest first.
  std::deque<QueuedDeliver> Take(const std::string& system_id);

  size_t size() const { return total_; }
  size_t size(const std::string& system_id) const;

 private:
  const size_t max_per_system_;
  size_t total_ = 0;
  std::map<std::string, std::deque<QueuedDeliver>, std::less<>> queues_;
};

}  // namespace smsgw::smsc_sim
