#include "delivery/recorder.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "core/thread_name.h"

namespace smsgw::delivery {
namespace {

// A store that keeps failing while we stop: give up after this many tries so that shutdown
// ends. What was not written is safe: the messages are still claimed and get retaken.
constexpr int kTriesWhenStopping = 5;

constexpr std::chrono::milliseconds kLinger{3};
constexpr size_t kFullBatch = 1024;

}  // namespace

Recorder::Recorder(store::DeliveryStore& store)
    : store_(store), writer_([this] {
        core::NameThisThread("delivery-record");
        Run();
      }) {}

Recorder::~Recorder() { Stop(); }

void Recorder::Accepted(store::PartAccepted part) {
  {
    std::lock_guard lock(mu_);
    accepted_.push_back(std::move(part));
  }
  cv_.notify_one();
}

void Recorder::Failed(store::SubmitFailure failure) {
  {
    std::lock_guard lock(mu_);
    failures_.push_back(std::move(failure));
  }
  cv_.notify_one();
}

void Recorder::Receipt(store::ReceiptRecord receipt, ReceiptDone done) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      receipts_.push_back({std::move(receipt), std::move(done)});
      cv_.notify_one();
      return;
    }
  }
  done(core::MakeError(core::Errc::kUnavailable, "stopping"));
}

void Recorder::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (writer_.joinable()) {
    writer_.join();
  }
}

RecorderStats Recorder::stats() const {
  return {n_accepted_.load(), n_failures_.load(),  n_applied_.load(),
          n_held_.load(),     n_duplicate_.load(), n_store_errors_.load()};
}

void Recorder::Run() {
  std::vector<store::PartAccepted> accepted;
  std::vector<store::SubmitFailure> failures;
  std::vector<PendingReceipt> receipts;
  for (;;) {
    bool stopping = false;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] {
        return stopping_ || !accepted_.empty() || !failures_.empty() || !receipts_.empty();
      });
      // Each transaction costs a commit and a pass over its indexes whatever its size, so under
      // load a short wait for company pays for itself many times over; at rest it delays a
      // receipt's acknowledgement by at most kLinger.
      cv_.wait_for(lock, kLinger, [this] {
        return stopping_ || accepted_.size() + failures_.size() + receipts_.size() >= kFullBatch;
      });
      accepted.swap(accepted_);
      failures.swap(failures_);
      receipts.swap(receipts_);
      stopping = stopping_ && accepted.empty() && failures.empty() && receipts.empty();
    }
    if (stopping) {
      return;
    }
    WriteAccepted(accepted);
    WriteFailures(failures);
    WriteReceipts(receipts);
    accepted.clear();
    failures.clear();
    receipts.clear();
  }
}

bool Recorder::BackOff(int& tries) {
  ++tries;
  n_store_errors_.fetch_add(1, std::memory_order_relaxed);
  {
    std::lock_guard lock(mu_);
    if (stopping_ && tries >= kTriesWhenStopping) {
      return false;
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(std::min(1000, 10 << std::min(tries, 7))));
  return true;
}

void Recorder::WriteAccepted(std::vector<store::PartAccepted>& batch) {
  if (batch.empty()) {
    return;
  }
  for (int tries = 0;;) {
    auto written = store_.RecordAccepted(batch);
    if (written) {
      n_accepted_.fetch_add(batch.size(), std::memory_order_relaxed);
      return;
    }
    SPDLOG_WARN("delivery: cannot record {} accepted parts: {}", batch.size(),
                written.error().message);
    if (!BackOff(tries)) {
      return;
    }
  }
}

void Recorder::WriteFailures(std::vector<store::SubmitFailure>& batch) {
  if (batch.empty()) {
    return;
  }
  for (int tries = 0;;) {
    auto written = store_.RecordFailures(batch);
    if (written) {
      n_failures_.fetch_add(batch.size(), std::memory_order_relaxed);
      return;
    }
    SPDLOG_WARN("delivery: cannot record {} failures: {}", batch.size(), written.error().message);
    if (!BackOff(tries)) {
      return;
    }
  }
}

void Recorder::WriteReceipts(std::vector<PendingReceipt>& batch) {
  if (batch.empty()) {
    return;
  }
  std::vector<store::ReceiptRecord> records;
  records.reserve(batch.size());
  for (PendingReceipt& p : batch) {
    records.push_back(p.receipt);
  }
  auto outcomes = store_.ApplyReceipts(records);
  if (!outcomes) {
    // Not retried here: the SMSC is told to send the receipt again (a temporary status), which
    // also slows it down while the store is in trouble.
    n_store_errors_.fetch_add(1, std::memory_order_relaxed);
    SPDLOG_WARN("delivery: cannot apply {} receipts: {}", batch.size(), outcomes.error().message);
    for (PendingReceipt& p : batch) {
      p.done(std::unexpected(outcomes.error()));
    }
    return;
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    const store::ReceiptOutcome outcome = (*outcomes)[i];
    switch (outcome) {
      case store::ReceiptOutcome::kApplied:
        n_applied_.fetch_add(1, std::memory_order_relaxed);
        break;
      case store::ReceiptOutcome::kHeld:
        n_held_.fetch_add(1, std::memory_order_relaxed);
        break;
      case store::ReceiptOutcome::kDuplicate:
        n_duplicate_.fetch_add(1, std::memory_order_relaxed);
        break;
    }
    batch[i].done(outcome);
  }
}

}  // namespace smsgw::delivery
