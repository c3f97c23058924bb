#pragma once
// WebhookStore on PostgreSQL (the webhooks and webhook_attempts tables, migration 6), for several
// nodes on one database. The rows are written by the status and inbound writes
// (outbox.h). Claims take due rows through the partial index webhooks_due with FOR UPDATE
// SKIP LOCKED, so nodes claiming at once never wait for or take each other's rows. Recording an
// attempt counts it on the webhook's row first (UPDATE ... RETURNING, which locks the row), so
// attempts recorded by two nodes for one webhook are numbered one after the other; a batch locks
// its webhooks in event_id order. What an attempt does is store/webhook_decisions.h's.

#include <chrono>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/postgres/outbox.h"
#include "store/postgres/pool.h"
#include "store/webhook_store.h"

namespace smsgw::store::postgres {

class Webhooks final : public WebhookStore {
 public:
  // `outbox_state`: the store's, shared with the writes that settle statuses.
  Webhooks(Pool& pool, OutboxState& outbox_state) : pool_(pool), outbox_state_(outbox_state) {}

  void SetWebhookHandoff(WebhookHandoff* handoff, std::string_view owner,
                         std::chrono::milliseconds lease) override;
  void ClearWebhookHandoff(WebhookHandoff* handoff) override;
  // One transaction: the due rows taken and leased in one statement, then what they report read
  // in one statement per kind of subject. A webhook whose subject is no longer stored is ended
  // kExhausted with the reason, and not returned.
  core::Result<std::vector<WebhookJob>> ClaimWebhooks(std::string_view owner, core::TimePoint now,
                                                      std::chrono::milliseconds lease,
                                                      size_t limit) override;
  core::Result<size_t> ReleaseWebhookClaims(std::string_view keep_owner,
                                            core::TimePoint now) override;
  core::Result<void> DeferWebhooks(std::span<const std::string> event_ids,
                                   core::TimePoint due_at) override;
  core::Result<void> RecordWebhookAttempts(std::span<const WebhookAttempt> attempts) override;
  core::Result<void> ReplayWebhook(std::string_view sid, std::string_view event_id,
                                   core::TimePoint now) override;
  // One range of webhooks_by_sid (sid, state, created_at, event_id): only the rows of the page
  // are read, and one more to know whether another page follows.
  core::Result<WebhookPage> ListWebhooks(std::string_view sid, WebhookState state,
                                         std::string_view cursor, size_t limit) override;
  // The webhooks and their attempts from one snapshot (REPEATABLE READ, READ ONLY).
  core::Result<std::vector<WebhookSummary>> WebhooksOf(std::string_view sid,
                                                       std::string_view subject_id) override;
  core::Result<WebhookCounts> CountWebhooks() override;

 private:
  Pool& pool_;
  OutboxState& outbox_state_;
};

}  // namespace smsgw::store::postgres
