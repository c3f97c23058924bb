#pragma once
// MessageStore on PostgreSQL. Enqueue writes a whole batch with one INSERT over unnest() of one
// array per column, so a group commit of a thousand messages is one statement and one round trip,
// in one transaction with the request's idempotency keys.

#include <algorithm>
#include <string_view>
#include <utility>

#include "store/message_store.h"
#include "store/postgres/outbox.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/pool.h"

namespace smsgw::store::postgres {

// Every column a core::Message has, in the order ReadMessage reads them.
#define SMSGW_PG_MESSAGE_COLUMNS                                                             \
  "id, request_id, sid, recipient, sender, body, type, encoding, segments, flash, unicode, " \
  "created_at, send_at, template_id, template_data, ref, ref1, ref2, ref_custom, "           \
  "campaign_name, callback_profile_id, callback, channel, source, state, status_details, "   \
  "entity_id, expires_at"

// How many columns SMSGW_PG_MESSAGE_COLUMNS names: a statement's own columns follow them.
inline constexpr int kMessageColumnCount = 28;
static_assert([](std::string_view columns) {
  return 1 + std::count(columns.begin(), columns.end(), ',');
}(SMSGW_PG_MESSAGE_COLUMNS) == kMessageColumnCount);

// Row `row` of `rows`, from column `first` on in SMSGW_PG_MESSAGE_COLUMNS order, as a Message.
core::Result<core::Message> ReadMessage(const Rows& rows, int row, int first = 0);

// Enqueue's insert, for the writes that store messages in their own transaction (CompleteSmppSet,
// smpp_staging.h): counts `messages` against their country caps, inserts them and ends those over
// a cap NotSent. `insert` is InsertMessagesParams(messages), built once outside the transaction.
Params InsertMessagesParams(std::span<const core::Message> messages);
core::Result<void> InsertMessages(Connection& conn, std::span<const core::Message> messages,
                                  const Params& insert, TransactionOutbox& webhooks);

class Messages final : public MessageStore {
 public:
  // Messages ended over a cap write their status webhooks for the store's handoff while one is set.
  Messages(Pool& pool, OutboxState& outbox_state) : pool_(pool), outbox_state_(outbox_state) {}

  using MessageStore::Enqueue;
  // Stored messages start with updated_at = created_at, and kQueued/kScheduled ones are due at
  // their send time (or at once) with core::ClaimPriority of their type. A duplicate id (stored,
  // or twice in the batch) is kConflict. Storing a key also deletes up to 64 keys older than
  // kIdempotencyWindow, so the table holds about a day of keys. The batch is counted against its
  // accounts' country caps in the same transaction (CountAgainstCaps, country_caps.h), and each
  // message over a cap is stored and then ended NotSent with its event (EndNotSent, settle.h).
  core::Result<void> Enqueue(std::span<const core::Message> messages,
                             std::span<const IdempotencyRecord> keys) override;
  core::Result<std::optional<IdempotencyRecord>> FindIdempotencyKey(
      std::string_view sid, std::string_view key, core::TimePoint not_before) override;
  // One statement: every id from one snapshot.
  core::Result<std::vector<StatusRecord>> GetStatuses(std::string_view sid,
                                                      std::span<const std::string> ids) override;

 private:
  // pool_.InTransaction for a write that settles statuses (InSettlingTransaction).
  template <class F>
  auto Settling(F&& fn) {
    return InSettlingTransaction(pool_, outbox_state_, std::forward<F>(fn));
  }

  Pool& pool_;
  OutboxState& outbox_state_;
};

}  // namespace smsgw::store::postgres
