#include "store/postgres/write_stats.h"

namespace smsgw::store::postgres {

void WriteStats::Committed(std::chrono::duration<double> took) {
  write_seconds_.Observe(took.count());
  write_size_.Observe(1);
}

void WriteStats::Finished(core::RouteType type, core::MessageState state) {
  const auto t = static_cast<size_t>(type);
  const auto s = static_cast<size_t>(state);
  if (t < kRouteTypes && s < kMessageStates) {
    finished_[t][s].fetch_add(1, std::memory_order_relaxed);
  }
}

void WriteStats::ReceiptDelay(double seconds) { receipt_delay_.Observe(seconds); }

StoreCounters WriteStats::Read() const {
  StoreCounters out;
  out.write_seconds = write_seconds_.Read();
  out.write_size = write_size_.Read();
  out.receipt_delay = receipt_delay_.Read();
  for (size_t type = 0; type < kRouteTypes; ++type) {
    for (size_t state = 0; state < kMessageStates; ++state) {
      out.finished[type][state] = finished_[type][state].load(std::memory_order_relaxed);
    }
  }
  return out;
}

bool WriteStats::ClaimPrune(int64_t newest_minute) {
  int64_t through = pruned_through_.load(std::memory_order_relaxed);
  while (newest_minute > through) {
    if (pruned_through_.compare_exchange_weak(through, newest_minute, std::memory_order_relaxed)) {
      return true;
    }
  }
  return false;
}

}  // namespace smsgw::store::postgres
