#pragma once
// SmppStagingStore on PostgreSQL (smpp_staged_sets and smpp_staged_parts, migration 9), for
// several nodes taking one customer's parts at once. Staging a part first takes a
// transaction-scoped advisory lock on the set's key and then locks the set's row, so the part
// checks and the count that makes a set complete see every other node's parts: the first parts of
// one set arriving on two nodes start one set. Starting a set also takes an advisory lock on the
// credential, so that its bound on sets holds across nodes. CompleteSmppSet locks the set row
// before deciding: the last part answered on two nodes stores the message once, the later call
// finding it stored. Expiry skips the sets being staged or completed (SKIP LOCKED).

#include <cstdint>
#include <string_view>
#include <vector>

#include "store/postgres/outbox.h"
#include "store/postgres/pool.h"
#include "store/smpp_staging_store.h"

namespace smsgw::store::postgres {

class SmppStaging final : public SmppStagingStore {
 public:
  // A completed set's message is stored with Enqueue's insert (InsertMessages, messages.h), whose
  // NotSent ends over a country cap write status webhooks for the store's handoff.
  SmppStaging(Pool& pool, OutboxState& outbox_state) : pool_(pool), outbox_state_(outbox_state) {}

  core::Result<SmppStageResult> StageSmppPart(const SmppStagedPart& part,
                                              const SmppStagingLimits& limits) override;
  core::Result<void> CompleteSmppSet(int64_t set_id, const core::Message& message) override;
  core::Result<void> DropSmppSet(int64_t set_id) override;
  // An idle server's tick is one probe outside a transaction.
  core::Result<std::vector<SmppExpiredSet>> ExpireSmppSets(core::TimePoint cutoff,
                                                           size_t limit) override;
  core::Result<size_t> CountSmppStagedSets(std::string_view system_id) override;

 private:
  Pool& pool_;
  OutboxState& outbox_state_;
};

}  // namespace smsgw::store::postgres
