#pragma once
// OperationsStore on PostgreSQL (store/operations_store.h). The gauges are one statement (one
// snapshot), each part bounded by an index: the backlog in messages_due and webhooks_due, the
// unmatched MOs in inbound_messages_unmatched, held_receipts (only receipts waiting for their
// part), and pg_database_size of the current database (every relation of it, as SQLite's file
// size is). The counters are the pool's WriteStats, counted as transactions commit. ProbeWrite
// rewrites one row of schema_migrations in a transaction of its own.

#include "core/result.h"
#include "core/time.h"
#include "store/operations_store.h"
#include "store/postgres/pool.h"

namespace smsgw::store::postgres {

class Operations : public OperationsStore {
 public:
  explicit Operations(Pool& pool) : pool_(pool) {}

  core::Result<StoreGauges> ReadGauges(core::TimePoint now) override;
  StoreCounters ReadCounters() const override;
  // A real row write, so it fails wherever a write would: a read-only server or transaction
  // (a standby, default_transaction_read_only), a full disk, a lost server.
  core::Result<void> ProbeWrite() override;

 private:
  Pool& pool_;
};

}  // namespace smsgw::store::postgres
