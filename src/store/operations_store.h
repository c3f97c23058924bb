#pragma once
// What operators watch in the store (admin/): how much waits and for how long, what the writer
// costs, and whether it can write at all. The gauges are read by query at scrape time (bounded
// by indexes: their cost grows with the backlog, never with the whole history); the counters are
// kept in memory by the backend, counted once a write commits. Safe from any thread.

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/message.h"
#include "core/result.h"
#include "core/time.h"
#include "metrics/histogram.h"

namespace smsgw::store {

struct StoreGauges {
  struct Queue {
    int priority = 0;    // core::ClaimPriority: 0 OTP, 1 TXN/TXND, 2 the rest
    uint64_t due = 0;    // waiting messages due now (queued, retries due, lapsed claims)
    uint64_t later = 0;  // scheduled, backing off, or claimed by a live dispatcher
    std::optional<core::TimePoint> oldest_due;  // the earliest due time of the due ones
  };
  std::vector<Queue> queue;     // one per priority with messages waiting
  uint64_t webhooks_due = 0;    // pending webhooks due now
  uint64_t webhooks_later = 0;  // pending webhooks retrying later or in flight
  std::optional<core::TimePoint> oldest_pending_webhook;  // created_at of the oldest pending
  uint64_t held_receipts = 0;      // receipts waiting for (or never matching) their part
  uint64_t unmatched_inbound = 0;  // MO messages stored that matched no account's number
  uint64_t database_bytes = 0;     // the database's files on disk
};

inline constexpr size_t kRouteTypes = 5;     // core::RouteType values
inline constexpr size_t kMessageStates = 7;  // core::MessageState values

struct StoreCounters {
  metrics::HistogramSnapshot write_seconds;  // one write (group commit), begin to commit
  metrics::HistogramSnapshot write_size;     // callers sharing that write
  metrics::HistogramSnapshot receipt_delay;  // a part's submit to its final receipt
  // Messages that reached a final state, by core::RouteType and core::MessageState.
  std::array<std::array<uint64_t, kMessageStates>, kRouteTypes> finished{};
};

class OperationsStore {
 public:
  virtual ~OperationsStore() = default;

  virtual core::Result<StoreGauges> ReadGauges(core::TimePoint now) = 0;
  virtual StoreCounters ReadCounters() const = 0;
  // Takes the write lock through the same path as every write and lets it go: fails when the
  // store cannot be written to (locked out, read-only, I/O errors on begin).
  virtual core::Result<void> ProbeWrite() = 0;
};

}  // namespace smsgw::store
