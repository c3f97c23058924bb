#pragma once
// What a write owes beyond its own rows on PostgreSQL, in the writer's own transaction, and what
// follows once it has committed:
//  - webhook rows (store/webhook_store.h): a status webhook with each message event (Settle,
//    settle.h), an inbound webhook with each stored inbound message matched to an entry. The
//    target is resolved when the row is written (store/webhook_decisions.h): the subject's inline
//    callback, else its callback profile, else the account's default profile; no row without one.
//    While a WebhookHandoff is set (Webhooks::SetWebhookHandoff), status webhooks are written
//    already claimed by its owner for its lease and their jobs handed over after the commit;
//  - the delivery rollups (store/delivery_rollup.h), one upsert per key before the COMMIT;
//  - the store's counters (WriteStats) and the SMPP outbox versions (smpp_outbox.h), moved after
//    the commit.
// A TransactionOutbox collects one transaction's share; InSettlingTransaction runs a write with
// one.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/message.h"
#include "core/result.h"
#include "core/time.h"
#include "store/delivery_rollup.h"
#include "store/message_log.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/pool.h"
#include "store/postgres/settle.h"
#include "store/postgres/smpp_outbox.h"
#include "store/webhook_store.h"

namespace smsgw::store::postgres {

// Writes the inbound webhook of the inbound message `inbound_id` of account `sid`, stored at `at`
// (event_id and subject_id are both `inbound_id`), when it has a target: `callback` and
// `callback_profile_id` are those of the inbound entry it matched. Pending, due at `at`. Call it
// inside the transaction that stores the inbound message.
core::Result<void> WriteInboundWebhook(Connection& conn, std::string_view sid,
                                       std::string_view inbound_id, std::string_view callback,
                                       std::string_view callback_profile_id, core::TimePoint at);

// Where status webhooks go while a handoff is set, and the generation of that setting: jobs
// written under one generation are handed over only if it is still the one set at the commit.
struct HandoffSetting {
  WebhookHandoff* to = nullptr;
  std::string owner;
  std::chrono::milliseconds lease{0};
  uint64_t generation = 0;
};

// One transaction's outbox: the handoff setting it runs under and the status webhook jobs it wrote
// claimed for it (in write order), each account's default profile and secret (read once per run),
// what it accepted and settled for the delivery rollups (written before its COMMIT) and for the
// store's counters (counted once it committed), and the SMPP outbox rows it wrote. Start() begins
// every run of the transaction's function again: a run that rolled back hands over and counts
// nothing.
class TransactionOutbox {
 public:
  explicit TransactionOutbox(HandoffSetting setting) : setting_(std::move(setting)) {}

  const HandoffSetting& setting() const { return setting_; }
  bool claiming() const { return setting_.to != nullptr; }
  void Start();
  std::vector<WebhookJob>& jobs() { return jobs_; }

  // The account's default callback profile id, or its webhook secret; '' when it has none.
  core::Result<std::string> DefaultProfile(Connection& conn, std::string_view sid);
  core::Result<std::string> Secret(Connection& conn, std::string_view sid);

  // A message stored at `at` (Enqueue).
  void Accepted(std::string_view sid, core::RouteType type, core::TimePoint at);
  // `row` moved to final `state` at `at` (Settle), by row.connector with row.receipt_delay.
  void Finished(const MessageRow& row, core::MessageState state, core::TimePoint at);
  // A receipt ended a part `seconds` after its submit.
  void ReceiptDelay(double seconds) { receipt_delays_.push_back(seconds); }
  // Before COMMIT: the run's rollups (delivery_stats.h WriteRollup).
  core::Result<void> WriteRollup(Connection& conn, WriteStats& stats);
  // After COMMIT: the run's finished messages and receipt delays.
  void Count(WriteStats& stats) const;
  // The SMPP receipt rows the run wrote (WriteSmppReceipt): their versions move after COMMIT.
  SmppOutboxWrites& smpp_outbox() { return smpp_outbox_; }

 private:
  using Cache = std::map<std::string, std::string, std::less<>>;
  core::Result<std::string> Cached(Connection& conn, const char* sql, Cache& cache,
                                   std::string_view sid);

  HandoffSetting setting_;
  std::vector<WebhookJob> jobs_;
  Cache defaults_, secrets_;
  DeliveryRollup rollup_;
  std::vector<std::pair<core::RouteType, core::MessageState>> finished_;
  std::vector<double> receipt_delays_;
  SmppOutboxWrites smpp_outbox_;
};

// The outbox state one store's writers share: the WebhookHandoff set on it, and its SMPP outbox
// versions.
class OutboxState {
 public:
  void Set(WebhookHandoff* handoff, std::string_view owner, std::chrono::milliseconds lease);
  // Once it returns, `handoff` is not called again (HandOver runs under the same mutex).
  void Clear(WebhookHandoff* handoff);
  HandoffSetting Now();
  // Gives the jobs `writes` collected to its handoff if that is still the one set (a handoff set
  // since is not given another's claims: they wait out their lease). Only after the commit.
  void HandOver(TransactionOutbox& writes);
  // The store's SMPP outbox versions, which settling writes move after their commit.
  SmppOutboxVersions& smpp_outbox_versions() { return smpp_outbox_versions_; }

 private:
  std::mutex mu_;
  HandoffSetting setting_;  // guarded by mu_
  SmppOutboxVersions smpp_outbox_versions_;
};

// pool.InTransaction for a write that may accept or settle messages: fn(Connection&,
// TransactionOutbox&) -> core::Result<T>, whose rollups are written before the COMMIT, and whose
// status webhooks are handed over and counters counted once the transaction has committed.
template <class F>
auto InSettlingTransaction(Pool& pool, OutboxState& state, F&& fn)
    -> decltype(fn(std::declval<Connection&>(), std::declval<TransactionOutbox&>())) {
  TransactionOutbox writes(state.Now());
  auto result = pool.InTransaction([&](Connection& conn) {
    writes.Start();
    auto done = fn(conn, writes);
    if (done) {
      if (auto rolled = writes.WriteRollup(conn, pool.stats()); !rolled) {
        return decltype(done)(std::unexpected(std::move(rolled.error())));
      }
    }
    return done;
  });
  if (result) {
    state.HandOver(writes);
    writes.Count(pool.stats());
    state.smpp_outbox_versions().Bump(writes.smpp_outbox().buckets);
  }
  return result;
}

// Writes the status webhook of `event`, just written for `row` (as its change left it), when it
// has a target: pending and due at the event's time, or, while `writes` is claiming, claimed by
// the handoff's owner for its lease, with its job added to `writes`.
core::Result<void> WriteStatusWebhook(Connection& conn, const MessageRow& row,
                                      const StatusEvent& event, TransactionOutbox& writes);

}  // namespace smsgw::store::postgres
