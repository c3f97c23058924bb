#include "fakes/failing_message_store.h"

#include <algorithm>
#include <utility>

namespace smsgw::fakes {

void FailingMessageStore::FailNthEnqueue(int n, core::Errc code) {
  std::lock_guard lock(mu_);
  fail_call_index_ = sizes_.size() + static_cast<size_t>(n) - 1;
  fail_call_code_ = code;
}

void FailingMessageStore::FailEnqueueContaining(std::string id, core::Errc code) {
  std::lock_guard lock(mu_);
  fail_id_ = std::move(id);
  fail_id_code_ = code;
}

void FailingMessageStore::ClearFailures() {
  std::lock_guard lock(mu_);
  fail_call_index_.reset();
  fail_id_.reset();
}

void FailingMessageStore::CloseGate() {
  std::lock_guard lock(mu_);
  gate_closed_ = true;
}

void FailingMessageStore::OpenGate() {
  {
    std::lock_guard lock(mu_);
    gate_closed_ = false;
  }
  cv_.notify_all();
}

void FailingMessageStore::WaitUntilWaitingAtGate(int n) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return waiting_at_gate_ >= n; });
}

std::vector<size_t> FailingMessageStore::EnqueueSizes() const {
  std::lock_guard lock(mu_);
  return sizes_;
}

int FailingMessageStore::EnqueueCalls() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(sizes_.size());
}

core::Result<void> FailingMessageStore::Enqueue(std::span<const core::Message> messages,
                                                std::span<const store::IdempotencyRecord> keys) {
  {
    std::unique_lock lock(mu_);
    // Counted on arrival, so that a call held at the gate is "the current one" for FailNthEnqueue.
    const size_t index = sizes_.size();
    sizes_.push_back(messages.size());
    if (gate_closed_) {
      ++waiting_at_gate_;
      cv_.notify_all();
      cv_.wait(lock, [this] { return !gate_closed_; });
      --waiting_at_gate_;
    }
    if (fail_call_index_ == index) {
      return core::MakeError(fail_call_code_,
                             "injected failure of Enqueue call " + std::to_string(index + 1));
    }
    if (fail_id_ && std::any_of(messages.begin(), messages.end(),
                                [&](const core::Message& m) { return m.id == *fail_id_; })) {
      return core::MakeError(fail_id_code_, "injected failure for message " + *fail_id_);
    }
  }
  return inner_.Enqueue(messages, keys);
}

core::Result<std::optional<store::IdempotencyRecord>> FailingMessageStore::FindIdempotencyKey(
    std::string_view sid, std::string_view key, core::TimePoint not_before) {
  return inner_.FindIdempotencyKey(sid, key, not_before);
}

core::Result<std::vector<store::StatusRecord>> FailingMessageStore::GetStatuses(
    std::string_view sid, std::span<const std::string> ids) {
  return inner_.GetStatuses(sid, ids);
}

}  // namespace smsgw::fakes
