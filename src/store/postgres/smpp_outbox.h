#pragma once
// SmppOutboxStore on PostgreSQL (smpp_outbox, migration 9): deliver_sm owed to customers' SMPP
// binds. Rows are written inside other writers' transactions: a receipt by Settle (settle.h) when
// the message was submitted over SMPP and its registered_delivery wants the new state
// (core::WantsSmppReceipt), an MO by InboundStore for an entry that targets SMPP. A claim takes an
// account's due rows in id order with FOR UPDATE SKIP LOCKED, so sessions of two nodes claiming
// one account's outbox at once never take the same row.
//
// SmppOutboxVersion: each transaction that wrote rows notes their accounts (SmppOutboxWrites) and
// bumps their buckets after its commit, so this node's sessions learn at once. Other nodes' rows
// are found by a thread that reads the accounts of the rows added since its last look, every
// `poll` (one range of the primary key; the first look reads only max(id)): within about `poll`.
// Not a NOTIFY per row, which would serialise the commits of every status change that writes a
// receipt across the cluster (PostgreSQL queues notifications under one database-wide lock), and
// not a per-account counter row, which every receipt of a busy account would queue on. A row whose
// id was taken before the last look but committed after it is missed by the thread; the session's
// own poll (kOutboxPoll, smpp_server/customer_session.cpp) finds it, as it finds ended leases.

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string_view>
#include <thread>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "store/message_log.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/pool.h"
#include "store/postgres/settle.h"
#include "store/smpp_outbox_store.h"

namespace smsgw::store::postgres {

// Every account's outbox version, in 64 buckets by a hash of its sid (accounts sharing a bucket
// share a version: their sessions ask the store once more than needed).
class SmppOutboxVersions {
 public:
  static constexpr size_t kBuckets = 64;
  static uint64_t BitOf(std::string_view sid);

  uint64_t Load(std::string_view sid) const;
  // After the commit of a transaction that wrote rows for the buckets in `bits`.
  void Bump(uint64_t bits);

 private:
  std::array<std::atomic<uint64_t>, kBuckets> versions_{};
};

// What one transaction wrote to the outbox: the buckets to bump once it commits. Cleared at the
// start of each run of the transaction's function.
struct SmppOutboxWrites {
  uint64_t buckets = 0;
};

// Writes the receipt row of `event`, just written for `row`, when the message was submitted over
// SMPP and its registered_delivery asks for that state; nothing otherwise.
core::Result<void> WriteSmppReceipt(Connection& conn, const MessageRow& row,
                                    const StatusEvent& event, SmppOutboxWrites& writes);

// Writes the MO row of the inbound message `inbound_id` of account `sid`, stored at `at`.
core::Result<void> WriteSmppMo(Connection& conn, std::string_view sid, std::string_view inbound_id,
                               core::TimePoint at, SmppOutboxWrites& writes);

class SmppOutbox final : public SmppOutboxStore {
 public:
  // Starts the thread that looks for other nodes' rows every `poll`.
  SmppOutbox(Pool& pool, SmppOutboxVersions& versions, std::chrono::milliseconds poll);
  ~SmppOutbox() override;
  SmppOutbox(const SmppOutbox&) = delete;
  SmppOutbox& operator=(const SmppOutbox&) = delete;

  // An idle account costs one indexed probe outside a transaction; otherwise one transaction
  // locks the due rows (SKIP LOCKED), reads what they report, claims them and drops those whose
  // subject is gone.
  core::Result<std::vector<SmppOutboxJob>> ClaimSmppOutbox(std::string_view sid,
                                                           std::string_view owner,
                                                           core::TimePoint now,
                                                           std::chrono::milliseconds lease,
                                                           size_t limit) override;
  core::Result<void> FinishSmppOutbox(std::span<const int64_t> ids) override;
  core::Result<void> DeferSmppOutbox(std::span<const int64_t> ids, core::TimePoint due_at,
                                     bool refused) override;
  core::Result<size_t> CountSmppOutbox(std::string_view sid) override;
  uint64_t SmppOutboxVersion(std::string_view sid) const override { return versions_.Load(sid); }

 private:
  void Watch();
  // Bumps the buckets of the accounts with rows after `seen` (the largest id read so far); returns
  // the new largest id. The first look (nullopt) reads only that. A failed look changes nothing.
  std::optional<int64_t> Look(std::optional<int64_t> seen);
  core::Result<Rows> Read(const char* sql, const Params& params);

  Pool& pool_;
  SmppOutboxVersions& versions_;
  const std::chrono::milliseconds poll_;
  std::mutex mu_;
  std::condition_variable stopping_;
  bool stop_ = false;  // guarded by mu_
  // The watcher's own connection (not the pool's, whose callers it would queue behind), opened
  // again after it is lost.
  std::unique_ptr<Connection> conn_;
  std::thread watcher_;
};

}  // namespace smsgw::store::postgres
