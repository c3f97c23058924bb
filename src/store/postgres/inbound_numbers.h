#pragma once
// InboundNumberStore on PostgreSQL (the inbound_numbers table, migration 7). The sharing rules
// (store/inbound_decisions.h SharingConflict) are a read-check-write on a number's entries: a
// creation first takes a transaction-scoped advisory lock on the number, so two nodes creating
// entries on one number take turns and the second sees the first's entry; an entry's removal
// frees the number and needs no lock.

#include <string_view>
#include <vector>

#include "store/inbound_number_store.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/pool.h"

namespace smsgw::store::postgres {

class InboundNumbers final : public InboundNumberStore {
 public:
  explicit InboundNumbers(Pool& pool) : pool_(pool) {}

  core::Result<void> CreateInboundNumber(const InboundNumber& entry) override;
  core::Result<InboundNumber> GetInboundNumber(std::string_view sid, std::string_view id) override;
  core::Result<std::vector<InboundNumber>> ListInboundNumbers(std::string_view sid) override;
  core::Result<void> DeleteInboundNumber(std::string_view sid, std::string_view id) override;

 private:
  Pool& pool_;
};

// The entries of `number` (digits only) in (keyword, id) byte order: what both the sharing rules
// and matching an MO (inbound.h) decide on.
core::Result<std::vector<InboundNumber>> EntriesOfNumber(Connection& conn, std::string_view number);

}  // namespace smsgw::store::postgres
