#pragma once
// InboundStore on PostgreSQL (inbound_parts and inbound_messages, migration 7), for several nodes
// taking MOs at once. Every call on a concatenated part first takes a transaction-scoped advisory
// lock on its concatenation key, so the repeat checks and the count that decides a message is
// whole see every other node's parts of it: the last two parts arriving on two nodes at once
// store the message once. Expiring locks the keys it gives up on (in one order) and reads their
// parts again under the locks, skipping a message another node stored meanwhile. A stored message
// is matched to an inbound-number entry (store/inbound_decisions.h) and gets its inbound webhook
// (outbox.h) and its opt-out command (opt_outs.h) in the same transaction. Messages are
// listed newest first by `seq`, an identity column, which does not depend on any node's clock.
// An entry that targets the account's SMPP binds (InboundTarget::kSmpp) gets an SMPP outbox row
// (smpp_outbox.h) in place of the webhook; its account's outbox version moves after the commit.

#include <string_view>
#include <vector>

#include "store/inbound_store.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/pool.h"
#include "store/postgres/smpp_outbox.h"

namespace smsgw::store::postgres {

class Inbound final : public InboundStore {
 public:
  Inbound(Pool& pool, SmppOutboxVersions& versions) : pool_(pool), versions_(versions) {}

  core::Result<InboundPartResult> AddInboundPart(
      const InboundPart& part, core::TimePoint repeats_since, const InboundAssembler& assemble,
      const core::OptOutWords* opt_out = nullptr) override;
  core::Result<size_t> ExpireInboundParts(core::TimePoint cutoff, core::TimePoint now,
                                          const InboundAssembler& assemble,
                                          const core::OptOutWords* opt_out = nullptr) override;
  core::Result<std::vector<InboundMessage>> ListInbound(std::string_view before_id, size_t limit,
                                                        InboundFilter filter) override;
  core::Result<InboundMessage> GetInbound(std::string_view id) override;
  core::Result<size_t> CountWaitingInboundParts() override;
  core::Result<size_t> CountUnmatchedInbound() override;

 private:
  Pool& pool_;
  SmppOutboxVersions& versions_;
};

// The inbound_messages columns ReadInboundMessage reads, in its order, each prefixed with `t` (a
// string literal: "" or an alias and a dot, "m.").
#define SMSGW_PG_INBOUND_MESSAGE_COLUMNS(t)                                                       \
  t "id, " t "received_at, " t "stored_at, " t "connector, " t "source, " t "destination, " t     \
    "text, " t "parts_total, " t "parts_received, " t "parts_missing, coalesce(" t "sid, ''), " t \
    "number_id, " t "keyword"

// Row `row` of `rows` as an InboundMessage, its columns (SMSGW_PG_INBOUND_MESSAGE_COLUMNS) from
// `first` on. kInternal for a parts_missing that is not a list of part numbers.
core::Result<InboundMessage> ReadInboundMessage(const Rows& rows, int row, int first = 0);

}  // namespace smsgw::store::postgres
