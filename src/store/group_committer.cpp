#include "store/group_committer.h"

#include <iterator>
#include <span>
#include <utility>

#include "core/thread_name.h"

namespace smsgw::store {

GroupCommitter::GroupCommitter(MessageStore& store, size_t max_batch_messages)
    : store_(store), max_batch_messages_(max_batch_messages), writer_([this] {
        core::NameThisThread("api-commit");
        Run();
      }) {}

GroupCommitter::~GroupCommitter() { Stop(); }

void GroupCommitter::Submit(std::vector<core::Message> messages, Completion done,
                            std::optional<IdempotencyRecord> key) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      queue_.push_back(Pending{std::move(messages), std::move(done), std::move(key)});
      cv_.notify_one();
      return;
    }
  }
  done(core::MakeError(core::Errc::kUnavailable, "the message store is shutting down"));
}

void GroupCommitter::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (writer_.joinable()) {
    writer_.join();
  }
}

void GroupCommitter::Run() {
  std::vector<Pending> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        return;  // stopping, and everything submitted before Stop() is done
      }
      // Always take at least one request, however large; then whole requests while they fit.
      size_t messages = 0;
      do {
        messages += queue_.front().messages.size();
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      } while (!queue_.empty() && messages + queue_.front().messages.size() <= max_batch_messages_);
    }
    CommitBatch(batch);
    batch.clear();
  }
}

void GroupCommitter::CommitBatch(std::vector<Pending>& batch) {
  const auto keys_of = [](const Pending& pending) {
    return pending.key ? std::span<const IdempotencyRecord>(&*pending.key, 1)
                       : std::span<const IdempotencyRecord>();
  };
  if (batch.size() == 1) {
    batch.front().done(store_.Enqueue(batch.front().messages, keys_of(batch.front())));
    return;
  }
  // One transaction for the whole batch. The messages move into one contiguous vector (kept
  // across batches so its capacity is reused); each request remembers its slice, so that after a
  // failed batch it can be retried alone without moving anything back.
  all_messages_.clear();
  slices_.clear();
  all_keys_.clear();
  for (Pending& pending : batch) {
    slices_.push_back(all_messages_.size());
    std::move(pending.messages.begin(), pending.messages.end(), std::back_inserter(all_messages_));
    if (pending.key) {
      all_keys_.push_back(*pending.key);  // copied: a retry alone needs it again
    }
  }
  slices_.push_back(all_messages_.size());

  if (store_.Enqueue(all_messages_, all_keys_)) {
    for (Pending& pending : batch) {
      pending.done({});
    }
  } else {
    const std::span<const core::Message> all(all_messages_);
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i].done(
          store_.Enqueue(all.subspan(slices_[i], slices_[i + 1] - slices_[i]), keys_of(batch[i])));
    }
  }
  // Drop the message contents now (keeping capacity) rather than holding them until the next batch.
  all_messages_.clear();
  all_keys_.clear();
}

}  // namespace smsgw::store
