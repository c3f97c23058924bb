#pragma once
// GroupCommitter turns many concurrent Enqueue calls into few transactions: callers hand over
// their messages with a completion callback; one writer thread takes everything waiting, commits
// it in a single MessageStore::Enqueue (one fsync), and then completes every caller. If a batch
// fails, each request in it is retried alone, so one bad request cannot fail its neighbours.
//
// Submit is safe from any thread and never blocks on disk. Completions run on the writer thread:
// they must be short (post back to the caller's executor). Stop() drains what was submitted
// before it, then joins the thread; Submit after Stop completes with kUnavailable.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/message.h"
#include "core/result.h"
#include "store/message_store.h"

namespace smsgw::store {

class GroupCommitter {
 public:
  using Completion = std::function<void(core::Result<void>)>;

  // `max_batch_messages` bounds one transaction (keeps latency predictable under a backlog); a
  // single request larger than that is still committed, alone. Requests are never split.
  explicit GroupCommitter(MessageStore& store, size_t max_batch_messages = 4096);
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // `key`: the request's Idempotency-Key record, committed with its messages (kConflict when the
  // key is taken, and then nothing of the request is written).
  void Submit(std::vector<core::Message> messages, Completion done,
              std::optional<IdempotencyRecord> key = std::nullopt);
  void Stop();

 private:
  struct Pending {
    std::vector<core::Message> messages;
    Completion done;
    std::optional<IdempotencyRecord> key;
  };
  void Run();
  void CommitBatch(std::vector<Pending>& batch);

  MessageStore& store_;
  const size_t max_batch_messages_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  // Writer-thread only: one batch's messages back to back, and where each request's slice starts
  // (plus the end). Kept across batches to reuse their capacity.
  std::vector<core::Message> all_messages_;
  std::vector<size_t> slices_;
  std::vector<IdempotencyRecord> all_keys_;
  std::thread writer_;  // last: starts Run(), which uses every member above
};

}  // namespace smsgw::store
