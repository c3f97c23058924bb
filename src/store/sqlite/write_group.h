#pragma once
// WriteGroup lets the threads that write at the same time share one transaction (a group commit
// across callers): each caller queues its work and either becomes the group's leader, when no
// group is being written, or sleeps until a leader has written its work. The leader takes
// everything queued so far, hands it to `write` in one call (one transaction, one fsync) and
// completes every caller; whoever is still waiting then leads the next group, which meanwhile
// gathered behind the commit.
//
// Why: the delivery pipeline has several writer threads (accepts, claims, submit results,
// receipts, webhook claims and attempts). Each of them committing alone meant one fsync per
// transaction, all in a row behind one mutex, so an accept waited behind every other stage's
// fsync. Grouped, they cost one fsync per group, and a caller waits at most for the commit in
// progress and its own.
//
// Customers' writes go first. An accept's latency is what its HTTP client (or SMPP customer)
// sees, and a group of pipeline work (a recorder's batch of submit results, a batch of receipts
// with their status events and webhooks) takes several times as long to write as a batch of
// accepts. So a leader that finds customer entries queued with pipeline ones writes the
// customers' alone, and leaves the pipeline's to the next group; at most kMaxPassedOver groups in
// a row pass pipeline work over, so it is delayed, never starved.
//
// With a `sync` (wal_sync.h), `write` commits without waiting for the disk and the leader makes
// the group durable afterwards, no longer leading: the next group is written while this one's
// fsync runs, and the callers are completed only once it returned.
//
// Work runs on the leader's thread while its caller sleeps (the caller's stack stays valid).
// Safe from any thread; not reentrant (work must not Join the same group).

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <span>
#include <vector>

#include "core/result.h"

namespace smsgw::store::sqlite {

// Who waits for a write. kCustomer: someone outside with a connection open (an API request, an
// SMPP customer's submit); written before pipeline work, and patient with another process's lock.
// kPipeline: the delivery pipeline's stages, which prefer failing fast and retrying.
enum class WriteLane { kPipeline, kCustomer };

class WriteGroup {
 public:
  // Groups in a row that may leave queued pipeline entries for later.
  static constexpr int kMaxPassedOver = 2;

  // One caller's work: `run(body)` is called by the leader inside the group's transaction.
  struct Entry {
    core::Result<void> (*run)(void* body) = nullptr;
    void* body = nullptr;
    WriteLane lane = WriteLane::kCustomer;
    core::Result<void> result;  // set by `write`
    bool taken = false;         // in a group being written or synced; guarded by the mutex
    bool done = false;          // guarded by the group's mutex
  };
  // Writes a group: runs every entry's work and sets every entry's result.
  using Write = std::function<void(std::span<Entry* const> group)>;
  // Makes every group written so far durable.
  using Sync = std::function<core::Result<void>()>;

  explicit WriteGroup(Write write, Sync sync = {})
      : write_(std::move(write)), sync_(std::move(sync)) {}

  // Queues `entry` and returns once a leader (maybe this thread) has written it.
  void Join(Entry& entry);

  // Groups written and entries written, for tests and counters; entries waiting for a group.
  size_t groups() const;
  size_t entries() const;
  size_t queued() const;

 private:
  // What the next group writes: the whole queue, or its customer entries (see the top).
  std::vector<Entry*> TakeGroup();

  const Write write_;
  const Sync sync_;
  mutable std::mutex mu_;
  std::condition_variable written_;
  std::vector<Entry*> queue_;
  bool leading_ = false;
  int passed_over_ = 0;  // groups in a row that left pipeline entries queued
  size_t groups_ = 0, entries_ = 0;
};

// Joins `group` with `body` (a callable returning core::Result<void>) and returns its result.
template <class Body>
core::Result<void> RunInGroup(WriteGroup& group, WriteLane lane, Body&& body) {
  using B = std::remove_reference_t<Body>;
  WriteGroup::Entry entry;
  entry.run = [](void* b) -> core::Result<void> { return (*static_cast<B*>(b))(); };
  entry.body = const_cast<void*>(static_cast<const void*>(&body));
  entry.lane = lane;
  group.Join(entry);
  return std::move(entry.result);
}

}  // namespace smsgw::store::sqlite
