#pragma once
// DeliveryStore is the delivery pipeline's view of the store: claiming due messages, recording
// what the SMSC said about each part, applying receipts, and the outbox of status events. Every
// status change goes through core::AfterParts / core::CanTransition and writes, in the same
// transaction, one row of the message's event log and, when the message or its account has a
// callback target, its webhook row (the outbox, store/webhook_store.h).
//
// Calls block and are safe from any thread; each call is atomic (writers may share one
// transaction, each call in a savepoint of its own), so callers batch.
// Ids of SMSC messages are passed normalised (smpp::codec::NormalizeMessageId with the
// connector's dlr_id_format); the store compares them as plain strings per connector.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/delivery_status.h"
#include "core/message.h"
#include "core/result.h"
#include "core/time.h"

namespace smsgw::store {

// A message the caller now owns until `lease` passes.
struct Claim {
  core::Message message;  // state is kSubmitting
  int attempts = 0;       // earlier claims of this message that ended in a temporary failure
  // Parts already accepted by an SMSC in an earlier attempt (1-based part numbers), and the
  // connector they went to: a retry sends only the missing parts, through the same connector.
  std::vector<int> parts_done;
  std::string connector;  // empty when no part was accepted yet
  // The recipient has opted out of the message's sender, or of every sender of the account
  // (store/opt_out_store.h): the dispatcher decides what that means (NotSent / OPTOUT, or an
  // exempt OTP).
  bool opted_out = false;
};

// One part accepted by an SMSC (submit_sm_resp with ESME_ROK).
struct PartAccepted {
  std::string message_id;
  int part = 1;         // 1-based
  int total_parts = 1;  // the message's part count with the connector's concatenation
  std::string connector;
  std::string smsc_id;      // normalised
  std::string smsc_id_raw;  // as the SMSC sent it, for display
  core::TimePoint at;
};

// A message that could not be submitted.
struct SubmitFailure {
  std::string message_id;
  // nullopt: permanent, the message ends kNotSent with `reason` as status_details (e.g.
  // "NO-ROUTE", "EXPIRED", "CANCELLED", "ESME_RINVDSTADR"). A time: temporary, the message
  // goes back to kQueued, due again at that time, attempts + 1, `reason` kept as last_error.
  std::optional<core::TimePoint> retry_at;
  std::string reason;
  core::TimePoint at;
};

struct ReceiptRecord {
  std::string connector;
  std::string smsc_id;  // normalised
  core::PartState state = core::PartState::kSubmitted;
  std::string stat;    // upper-case stat word as received ("DELIVRD")
  std::string err;     // err field as received; empty when absent
  core::TimePoint at;  // when the receipt arrived
};

// The stat (and so the status_details) of a part whose receipt never came ([delivery]
// receipt_timeout).
inline constexpr std::string_view kNoReceiptStat = "NO-RECEIPT";

enum class ReceiptOutcome : uint8_t {
  kApplied = 0,    // matched a part and changed it (and perhaps the message)
  kHeld = 1,       // no part with that id yet: kept, applied when RecordAccepted records it
  kDuplicate = 2,  // matched a part already final (or a non-final receipt after a final one)
};

// Counters for operators (GET /ext/v1/stats and the log).
struct DeliveryCounts {
  uint64_t queued = 0;         // kQueued and kScheduled
  uint64_t submitting = 0;     // claimed
  uint64_t held_receipts = 0;  // receipts waiting for their part
};

class DeliveryStore {
 public:
  virtual ~DeliveryStore() = default;

  // Claims up to `limit` messages that are due at `now`: kQueued and kScheduled ones whose due
  // time (send time, or retry time) has come, and kSubmitting ones whose earlier claim's lease
  // has run out (their owner died). Highest priority first (core::ClaimPriority), then oldest
  // due time. Claimed messages become kSubmitting, owned by `owner` until now + lease. Uses an
  // index on (priority, due time): cost grows with `limit`, not with the number waiting. A
  // message whose claim by `owner` itself ran out is not re-claimed by `owner` (it is still in
  // flight here); other owners may take it.
  virtual core::Result<std::vector<Claim>> ClaimDue(std::string_view owner, core::TimePoint now,
                                                    std::chrono::milliseconds lease,
                                                    size_t limit) = 0;

  // Makes every kSubmitting message claimed by an earlier life of `keep_owner`'s node due now: an
  // owner is named "<node>/<life>" (OwnerNode, store/delivery_decisions.h), a node runs one life
  // at a time, so those owners are dead. Claims of `keep_owner` itself and of other nodes are left
  // alone (another node's are taken over when their lease ends). Returns how many were released.
  virtual core::Result<size_t> ReleaseClaims(std::string_view keep_owner, core::TimePoint now) = 0;

  // Records accepted parts, all in one transaction. A part recorded again (same message and part
  // number: a batch retried after a failed commit, or a part sent twice across a lease take-over)
  // keeps its first record. When all total_parts of a message are recorded it becomes
  // kSubmitted ("SUBMITTED", event written); held receipts for a recorded part are applied at
  // once (ReceiptOutcome kApplied is then reported nowhere, the message simply moves on).
  virtual core::Result<void> RecordAccepted(std::span<const PartAccepted> parts) = 0;

  // Records failures, all in one transaction. A message that is no longer kSubmitting (it was
  // cancelled, or another node finished it) is left alone.
  virtual core::Result<void> RecordFailures(std::span<const SubmitFailure> failures) = 0;

  // Applies receipts in one transaction; outcomes in input order.
  virtual core::Result<std::vector<ReceiptOutcome>> ApplyReceipts(
      std::span<const ReceiptRecord> receipts) = 0;

  // Cancels a kQueued or kScheduled message of `sid`: it ends kNotSent / "CANCELLED" with an
  // event. kNotFound when the account has no such message; kConflict (message: the current
  // Kaleyra status) when it is claimed, submitted or final.
  virtual core::Result<void> Cancel(std::string_view sid, std::string_view id,
                                    core::TimePoint now) = 0;

  // Ends the parts that have waited for a final receipt since before `submitted_before` (an SMSC
  // that lost the receipt): up to `limit` of them, oldest first, become kUndelivered with stat
  // kNoReceiptStat, and their messages move as a receipt would move them (event and webhook
  // written, at `now`). Returns how many parts it ended. Uses an index of the parts waiting.
  virtual core::Result<size_t> ExpireReceipts(core::TimePoint submitted_before, core::TimePoint now,
                                              size_t limit) = 0;

  virtual core::Result<DeliveryCounts> Counts() = 0;
};

}  // namespace smsgw::store
