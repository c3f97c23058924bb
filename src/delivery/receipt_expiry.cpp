#include "delivery/receipt_expiry.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/thread_name.h"

namespace smsgw::delivery {
namespace {

std::chrono::milliseconds IntervalFor(const ReceiptExpiryOptions& options) {
  if (options.interval > std::chrono::milliseconds::zero()) {
    return options.interval;
  }
  return std::clamp<std::chrono::milliseconds>(options.timeout / 100, std::chrono::seconds(1),
                                               std::chrono::minutes(1));
}

}  // namespace

ReceiptExpiry::ReceiptExpiry(store::DeliveryStore& store, const core::Clock& clock,
                             ReceiptExpiryOptions options)
    : store_(store), clock_(clock), options_(options) {}

ReceiptExpiry::~ReceiptExpiry() { Stop(); }

void ReceiptExpiry::Start() {
  thread_ = std::thread([this] {
    core::NameThisThread("receipt-expiry");
    Loop();
  });
}

void ReceiptExpiry::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

core::Result<size_t> ReceiptExpiry::RunOnce() {
  size_t total = 0;
  for (;;) {
    const core::TimePoint now = clock_.Now();
    auto ended = store_.ExpireReceipts(now - options_.timeout, now, options_.batch);
    if (!ended) {
      return std::unexpected(std::move(ended.error()));
    }
    total += *ended;
    {
      std::lock_guard lock(mu_);
      expired_ += *ended;
      if (stopping_ || *ended < options_.batch) {
        break;
      }
    }
  }
  if (total > 0) {
    SPDLOG_WARN("delivery: {} parts had no receipt within {} s: UnDelivered / {}", total,
                std::chrono::duration_cast<std::chrono::seconds>(options_.timeout).count(),
                store::kNoReceiptStat);
  }
  return total;
}

uint64_t ReceiptExpiry::expired() const {
  std::lock_guard lock(mu_);
  return expired_;
}

void ReceiptExpiry::Loop() {
  const std::chrono::milliseconds interval = IntervalFor(options_);
  for (;;) {
    {
      std::unique_lock lock(mu_);
      if (cv_.wait_for(lock, interval, [this] { return stopping_; })) {
        return;
      }
    }
    if (auto done = RunOnce(); !done) {
      SPDLOG_WARN("delivery: ending parts without a receipt failed (tried again in {} ms): {}",
                  interval.count(), done.error().message);
    }
  }
}

}  // namespace smsgw::delivery
