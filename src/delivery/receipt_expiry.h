#pragma once
// ReceiptExpiry ends the parts whose receipt never comes: an SMSC that loses receipts, or the
// embedded simulator's pending receipts lost to a kill -9, would leave messages Sent forever. On
// a thread of its own, every `interval` (a hundredth of the timeout, 1 s to 1 min), it asks the
// store to end the parts submitted more than `timeout` ago ([delivery] receipt_timeout), a batch
// at a time: they become UnDelivered / "NO-RECEIPT" with their event and webhook
// (store::DeliveryStore::ExpireReceipts). A store that fails is tried again at the next interval.
// Start and Stop from one thread.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "core/time.h"
#include "store/delivery_store.h"

namespace smsgw::delivery {

struct ReceiptExpiryOptions {
  std::chrono::milliseconds timeout{std::chrono::hours(72)};
  std::chrono::milliseconds interval{0};  // 0: timeout / 100, within 1 s .. 1 min
  size_t batch = 500;
};

class ReceiptExpiry {
 public:
  ReceiptExpiry(store::DeliveryStore& store, const core::Clock& clock,
                ReceiptExpiryOptions options);
  ~ReceiptExpiry();
  ReceiptExpiry(const ReceiptExpiry&) = delete;
  ReceiptExpiry& operator=(const ReceiptExpiry&) = delete;

  void Start();
  void Stop();
  // Ends what is due now, on the caller's thread (the loop's step; tests call it directly).
  // Returns how many parts it ended.
  core::Result<size_t> RunOnce();

  uint64_t expired() const;

 private:
  void Loop();

  store::DeliveryStore& store_;
  const core::Clock& clock_;
  const ReceiptExpiryOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  uint64_t expired_ = 0;
  std::thread thread_;
};

}  // namespace smsgw::delivery
