#pragma once
// WebhookStore is the webhook outbox: one row per webhook to send, written in the same
// transaction as what it reports, so a webhook is never lost and never invented.
//  - A delivery-status webhook is written with each message_events row (DeliveryStore) of a
//    message that has an inline `callback`, a `callback_profile_id`, or whose account has a
//    default callback profile. Its event_id is the message event's.
//  - An inbound webhook is written with each stored inbound message matched to an account
//    (InboundStore) whose entry has a callback, or whose account has a default profile. Its
//    event_id is the inbound message's id.
// The webhook sender claims due rows with a lease, sends them, and records every attempt with
// what comes next (done, retry at a time, or exhausted). Calls block and are safe from any
// thread; each call is one transaction.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/message.h"
#include "core/result.h"
#include "core/time.h"
#include "store/inbound_store.h"
#include "store/message_log.h"

namespace smsgw::store {

enum class WebhookKind : uint8_t {
  kStatus = 0,   // a message's status changed
  kInbound = 1,  // an inbound message to forward
};

enum class WebhookState : uint8_t {
  kPending = 0,    // waiting for its first or next attempt (or claimed, in flight)
  kDelivered = 1,  // an attempt got a 2xx
  kExhausted = 2,  // the retry policy gave up (or the target no longer exists)
};

// An inbound message as forwarded: the message and the entry it matched.
struct InboundDelivery {
  InboundMessage message;
  std::string number_id;  // store::InboundNumber::id
  std::string number;     // the entry's number, digits only
  std::string keyword;    // the entry's keyword; empty when matched by the number alone
};

// A webhook the caller now owns until its lease ends, with everything needed to send it.
struct WebhookJob {
  std::string event_id;
  WebhookKind kind = WebhookKind::kStatus;
  std::string sid;
  // Attempts made in the current run of the retry policy (0 for the first attempt; a replay
  // starts a new run), and when that run started (exponential policies count their horizon
  // from it).
  int tries = 0;
  core::TimePoint run_started_at;
  std::string secret;  // the account's webhook secret; empty: requests are not signed
  // The target: an inline callback (JSON object text, as a send request's `callback`), else the
  // profile with this id of the account (the message's or entry's, else the account's default,
  // resolved when the row was written).
  std::string callback;
  std::string callback_profile_id;
  // kStatus: the message (as stored now) and the event being reported. Of the message only what
  // a status webhook reports is read: id, request_id, sid, recipient, sender, segments, ref,
  // ref1, ref2, ref_custom, campaign_name, state and status_details; the rest stays empty.
  core::Message message;
  StatusEvent event;
  // kInbound.
  InboundDelivery inbound;
};

// One attempt to send a webhook and what follows from it.
struct WebhookAttempt {
  std::string event_id;
  core::TimePoint at;                    // when the request started
  std::chrono::milliseconds latency{0};  // until the answer or the error
  int http_status = 0;                   // 0 when no HTTP answer came
  std::string error;                     // empty on a 2xx; else e.g. "HTTP 500", "timeout"
  // nullopt with an empty error: delivered. A time: try again then. nullopt with an error:
  // exhausted.
  std::optional<core::TimePoint> retry_at;
};

struct AttemptRecord {
  int n = 1;  // 1-based, over the webhook's whole life (replays continue the count)
  core::TimePoint at;
  std::chrono::milliseconds latency{0};
  int http_status = 0;
  std::string error;
};

struct WebhookSummary {
  std::string event_id;
  WebhookKind kind = WebhookKind::kStatus;
  std::string subject_id;  // the message id (kStatus) or inbound message id (kInbound)
  WebhookState state = WebhookState::kPending;
  int attempts = 0;  // attempts made, over its whole life
  std::string last_error;
  core::TimePoint created_at;
  std::optional<core::TimePoint> next_attempt_at;  // kPending only
  std::optional<core::TimePoint> finished_at;      // kDelivered, kExhausted
  std::vector<AttemptRecord> attempt_log;          // oldest first; filled by the per-subject list
};

struct WebhookPage {
  std::vector<WebhookSummary> webhooks;  // newest first
  std::string next_cursor;               // opaque; empty on the last page
};

struct WebhookCounts {
  uint64_t pending = 0;
  uint64_t delivered = 0;
  uint64_t exhausted = 0;
};

// Takes the status webhooks a store writes already claimed for it (WebhookStore::SetHandoff).
class WebhookHandoff {
 public:
  // Called by the thread that wrote them, after their transaction committed, in the order they
  // were written. Must not block; the jobs are the handoff's until it records their attempts.
  virtual void TakeWebhooks(std::vector<WebhookJob> jobs) = 0;

 protected:
  ~WebhookHandoff() = default;
};

class WebhookStore {
 public:
  virtual ~WebhookStore() = default;

  // From now on, status webhooks are written claimed by `owner` for `lease` and given to
  // `handoff` once committed, instead of waiting pending for ClaimWebhooks: a webhook that is
  // going to be sent at once costs no claim (no second write of its row, no reading back what was
  // just written). Replaces an earlier handoff. Inbound webhooks are unchanged. What `handoff`
  // never sends stays claimed until its lease ends or ReleaseWebhookClaims, like a claim's.
  virtual void SetWebhookHandoff(WebhookHandoff* handoff, std::string_view owner,
                                 std::chrono::milliseconds lease) = 0;
  // Back to pending rows, if `handoff` is still the one set. Once it returns, `handoff` is not
  // called again.
  virtual void ClearWebhookHandoff(WebhookHandoff* handoff) = 0;

  // Claims up to `limit` pending webhooks due at `now`, oldest due first, through an index on
  // the due time (cost grows with `limit`, not with the number waiting). A claimed row's due time
  // becomes now + lease; `owner` does not re-claim its own rows whose lease ran out (still in
  // flight here), other owners may.
  virtual core::Result<std::vector<WebhookJob>> ClaimWebhooks(std::string_view owner,
                                                              core::TimePoint now,
                                                              std::chrono::milliseconds lease,
                                                              size_t limit) = 0;
  // Makes every webhook claimed by an earlier life of `keep_owner`'s node due at `now` (owners are
  // "<node>/<life>", as DeliveryStore::ReleaseClaims says), at a node's start. Another node's
  // claims are left to their lease. Returns how many.
  virtual core::Result<size_t> ReleaseWebhookClaims(std::string_view keep_owner,
                                                    core::TimePoint now) = 0;
  // Gives claimed webhooks back without an attempt: pending, due at `due_at`, unclaimed (the
  // sender holds too many for their host already, or is stopping). Unknown or no longer pending
  // ones are left alone.
  virtual core::Result<void> DeferWebhooks(std::span<const std::string> event_ids,
                                           core::TimePoint due_at) = 0;
  // Records attempts (see WebhookAttempt for what follows each), in one transaction. An attempt
  // for a webhook that is no longer pending is still logged, and changes nothing else.
  virtual core::Result<void> RecordWebhookAttempts(std::span<const WebhookAttempt> attempts) = 0;

  // Sends a webhook of `sid` again: it becomes pending, due at `now`, with a new run of its
  // policy (tries 0). kNotFound when the account has no webhook with this event_id.
  virtual core::Result<void> ReplayWebhook(std::string_view sid, std::string_view event_id,
                                           core::TimePoint now) = 0;
  // The account's webhooks in `state`, newest first, after `cursor` (empty: from the newest).
  // A page may hold fewer than `limit`, even none, while next_cursor is set: a backend may bound
  // the rows one page reads. kInvalidArgument for a malformed cursor or a limit of 0.
  virtual core::Result<WebhookPage> ListWebhooks(std::string_view sid, WebhookState state,
                                                 std::string_view cursor, size_t limit) = 0;
  // Every webhook about one message or inbound message of `sid`, with its attempt log, oldest
  // first; empty when there is none.
  virtual core::Result<std::vector<WebhookSummary>> WebhooksOf(std::string_view sid,
                                                               std::string_view subject_id) = 0;
  virtual core::Result<WebhookCounts> CountWebhooks() = 0;
};

}  // namespace smsgw::store
