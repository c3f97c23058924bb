#pragma once
// FailingMessageStore wraps a real MessageStore and makes chosen Enqueue calls fail, after
// leveldb's fault-injecting SpecialEnv: the Nth call, or every call whose batch contains a given
// message id. A failed call never reaches the wrapped store, so nothing from it is written. It also
// records every Enqueue call's size, and can hold calls at a gate so that a test controls exactly
// what queues up behind a commit in progress (GroupCommitter tests). Reads pass straight through.
//
// Thread-safe.

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/message_store.h"

namespace smsgw::fakes {

class FailingMessageStore final : public store::MessageStore {
 public:
  explicit FailingMessageStore(store::MessageStore& inner) : inner_(inner) {}

  // The `n`th Enqueue call to arrive from now on (1 = the next one) fails with `code`.
  void FailNthEnqueue(int n, core::Errc code = core::Errc::kUnavailable);
  // Every Enqueue whose messages include `id` fails with `code`, until cleared.
  void FailEnqueueContaining(std::string id, core::Errc code = core::Errc::kUnavailable);
  void ClearFailures();

  // While closed, Enqueue waits (before anything else) until the gate opens again.
  void CloseGate();
  void OpenGate();
  // Blocks until `n` Enqueue calls in total are waiting at the closed gate.
  void WaitUntilWaitingAtGate(int n);

  // Sizes of every Enqueue call so far (failed ones, and ones waiting at the gate, included), in
  // order of arrival.
  std::vector<size_t> EnqueueSizes() const;
  int EnqueueCalls() const;

  using store::MessageStore::Enqueue;
  core::Result<void> Enqueue(std::span<const core::Message> messages,
                             std::span<const store::IdempotencyRecord> keys) override;
  core::Result<std::optional<store::IdempotencyRecord>> FindIdempotencyKey(
      std::string_view sid, std::string_view key, core::TimePoint not_before) override;
  core::Result<std::vector<store::StatusRecord>> GetStatuses(
      std::string_view sid, std::span<const std::string> ids) override;

 private:
  store::MessageStore& inner_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool gate_closed_ = false;
  int waiting_at_gate_ = 0;
  std::vector<size_t> sizes_;
  std::optional<size_t> fail_call_index_;  // 0-based index into sizes_
  core::Errc fail_call_code_ = core::Errc::kUnavailable;
  std::optional<std::string> fail_id_;
  core::Errc fail_id_code_ = core::Errc::kUnavailable;
};

}  // namespace smsgw::fakes
