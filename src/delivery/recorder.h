#pragma once
// Recorder writes what the SMSCs say back to the store in batches: accepted parts, failures and
// receipts arrive from the delivery thread one by one, and one writer thread takes everything
// waiting and records it in three transactions (accepted parts first, so that receipts racing
// their submit_sm_resp find them). A batch the store cannot write now (busy, I/O error) is kept
// and tried again with backoff: losing an accepted part would resend the message after a
// restart, losing a receipt would leave it Sent forever.
//
// Accepted and Failed are fire-and-forget; a receipt's completion runs on the writer thread once
// it is durable (or failed), so the SMSC is acknowledged only then. Any thread. Stop() drains.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/result.h"
#include "store/delivery_store.h"

namespace smsgw::delivery {

struct RecorderStats {
  uint64_t accepted = 0;  // parts recorded
  uint64_t failures = 0;
  uint64_t receipts_applied = 0;
  uint64_t receipts_held = 0;
  uint64_t receipts_duplicate = 0;
  uint64_t store_errors = 0;  // batches that had to be tried again
};

class Recorder {
 public:
  using ReceiptDone = std::function<void(core::Result<store::ReceiptOutcome>)>;

  explicit Recorder(store::DeliveryStore& store);
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  void Accepted(store::PartAccepted part);
  void Failed(store::SubmitFailure failure);
  void Receipt(store::ReceiptRecord receipt, ReceiptDone done);

  // Writes everything submitted before it, then joins the writer. Receipts that arrive later
  // complete with kUnavailable; accepted parts and failures after Stop are not recorded (the
  // messages stay claimed and are retaken after their lease or the next start).
  void Stop();

  RecorderStats stats() const;

 private:
  struct PendingReceipt {
    store::ReceiptRecord receipt;
    ReceiptDone done;
  };
  void Run();
  // Each returns when its batch is written or the recorder is stopping without a store.
  void WriteAccepted(std::vector<store::PartAccepted>& batch);
  void WriteFailures(std::vector<store::SubmitFailure>& batch);
  void WriteReceipts(std::vector<PendingReceipt>& batch);
  // Sleeps before trying a failed batch again; false once stopping has waited long enough.
  bool BackOff(int& tries);

  store::DeliveryStore& store_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<store::PartAccepted> accepted_;
  std::vector<store::SubmitFailure> failures_;
  std::vector<PendingReceipt> receipts_;
  bool stopping_ = false;

  std::atomic<uint64_t> n_accepted_{0}, n_failures_{0}, n_applied_{0}, n_held_{0}, n_duplicate_{0},
      n_store_errors_{0};
  std::thread writer_;  // last: starts Run()
};

}  // namespace smsgw::delivery
