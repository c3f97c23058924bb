#pragma once
// DeliveryStore on PostgreSQL, for several nodes on one database. Claims take due messages with
// FOR UPDATE SKIP LOCKED, so nodes claiming at once never wait for or take each other's rows.
// Every other write locks what it decides on before reading it: the messages it moves (in id
// order, one statement, so that two batches lock them in the same order), and, per
// (connector, SMSC id), a transaction-scoped advisory lock that a receipt and the recording of its
// part both take, so a receipt arriving on one node while its part is recorded on another is
// either held and then found by the recorder, or finds the part. The decisions themselves are the
// backend-neutral ones of store/delivery_decisions.h.

#include <utility>

#include "store/delivery_store.h"
#include "store/postgres/outbox.h"
#include "store/postgres/pool.h"

namespace smsgw::store::postgres {

class Delivery final : public DeliveryStore {
 public:
  // Status changes write their webhooks for the store's handoff while one is set.
  Delivery(Pool& pool, OutboxState& outbox_state) : pool_(pool), outbox_state_(outbox_state) {}

  core::Result<std::vector<Claim>> ClaimDue(std::string_view owner, core::TimePoint now,
                                            std::chrono::milliseconds lease, size_t limit) override;
  core::Result<size_t> ReleaseClaims(std::string_view keep_owner, core::TimePoint now) override;
  core::Result<void> RecordAccepted(std::span<const PartAccepted> parts) override;
  core::Result<void> RecordFailures(std::span<const SubmitFailure> failures) override;
  core::Result<std::vector<ReceiptOutcome>> ApplyReceipts(
      std::span<const ReceiptRecord> receipts) override;
  core::Result<void> Cancel(std::string_view sid, std::string_view id,
                            core::TimePoint now) override;
  core::Result<size_t> ExpireReceipts(core::TimePoint submitted_before, core::TimePoint now,
                                      size_t limit) override;
  core::Result<DeliveryCounts> Counts() override;

 private:
  // One transaction each: a batch takes an advisory lock per (connector, SMSC id), and the
  // server's shared lock table (max_locks_per_transaction × connections) must hold every
  // transaction's at once, so a batch is written in transactions of at most
  // kMaxLocksPerTransaction (pool.h) parts or receipts (expired ones too).
  core::Result<void> RecordAcceptedChunk(std::span<const PartAccepted> parts);
  core::Result<std::vector<ReceiptOutcome>> ApplyReceiptsChunk(
      std::span<const ReceiptRecord> receipts);
  core::Result<size_t> ExpireReceiptsChunk(core::TimePoint submitted_before, core::TimePoint now,
                                           size_t limit);

  // pool_.InTransaction for a write that settles statuses (InSettlingTransaction).
  template <class F>
  auto Settling(F&& fn) {
    return InSettlingTransaction(pool_, outbox_state_, std::forward<F>(fn));
  }

  Pool& pool_;
  OutboxState& outbox_state_;
};

}  // namespace smsgw::store::postgres
