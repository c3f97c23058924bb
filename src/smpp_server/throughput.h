#pragma once
// ThroughputLimits holds one token bucket per SMPP credential (core/token_bucket.h): the messages
// a second its binds may submit together (`smsgw smpp-credential create --max-rate N`, or
// `[smpp_server] max_rate`), with one second's worth as the burst. A submit over it is answered
// ESME_RTHROTTLED and stored nowhere: the customer sends it again, nothing is dropped. Buckets
// live in this process's memory, a few dozen bytes per credential that has submitted; a rate that
// changes starts a fresh bucket. Thread-safe: one short lock per check, shared by every session.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/token_bucket.h"

namespace smsgw::smpp_server {

class ThroughputLimits {
 public:
  using Clock = core::TokenBucket::Clock;

  // Takes `messages` of `system_id`'s bucket at `per_second` (0 or less: unlimited); false when
  // they are not there. A submit_multi larger than the burst passes once the bucket is full and
  // is owed (TokenBucket::TryTake), so the rate holds over time.
  bool TryTake(std::string_view system_id, int64_t per_second, size_t messages,
               Clock::time_point now);

 private:
  struct Entry {
    int64_t per_second;
    core::TokenBucket bucket;
  };
  std::mutex mu_;
  std::unordered_map<std::string, Entry> buckets_;
};

}  // namespace smsgw::smpp_server
