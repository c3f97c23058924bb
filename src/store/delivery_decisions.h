#pragma once
// The delivery store's domain decisions, taken on rows a backend has already read: which part a
// receipt belongs to, what a receipt (or the receipts held for a part) does to it, how a message
// moves once its parts stand, and what a failure or a cancel does to a message. Every backend's
// DeliveryStore calls these, so that each only reads and writes rows. Status rules themselves are
// core::AfterParts / core::CanTransition (core/delivery_status.h); these say how a store applies
// them. Pure functions; no I/O; thread-safe.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/delivery_status.h"
#include "core/message.h"
#include "core/result.h"
#include "core/time.h"
#include "store/delivery_store.h"

namespace smsgw::store {

// --- Claims ---

// The node part of a claim owner's name "<node>/<life>", with the '/' ("gw-1/" of
// "gw-1/4242:0190..."): the prefix of every owner of that node. An owner without '/' is a node of
// its own.
std::string OwnerNode(std::string_view owner);

// Whether a message in `state` may be claimed when it is due: waiting ones (kQueued, kScheduled)
// and claimed ones whose lease ran out (kSubmitting). A row in any other state is skipped.
bool Claimable(core::MessageState state);

// --- Receipts ---

// A part that a receipt's (connector, SMSC id) names, as read from the store.
struct ReceiptPartCandidate {
  core::PartState state = core::PartState::kSubmitted;
  core::TimePoint submitted_at;
};

// Whether a receipt belongs to `a` rather than to `b` when both carry its SMSC id (an SMSC may
// reuse an id long after): a part still waiting for its receipt beats a final one; then the
// newest submitted. Equal ranks are not preferred, so the first of equals keeps it.
bool PrefersForReceipt(const ReceiptPartCandidate& a, const ReceiptPartCandidate& b);

// The index of the part a receipt belongs to among `parts` (PrefersForReceipt; the first of
// equals), nullopt when there is none (the receipt is then held).
std::optional<size_t> PickReceiptPart(std::span<const ReceiptPartCandidate> parts);

// A receipt as applied to one part: a ReceiptRecord, a held receipt, or the expiry's NO-RECEIPT.
struct PartReceipt {
  core::PartState state = core::PartState::kSubmitted;
  std::string_view stat, err;
  core::TimePoint at;
};

// What a receipt does to a part now in `current`: kDuplicate when the part is final (a final part
// takes no more receipts), else kApplied (the part takes the receipt's state, stat and err).
ReceiptOutcome ReceiptOutcomeOn(core::PartState current);

// The part's done_at once `receipt` is applied: the receipt's time when it is final, else none
// (an intermediate receipt such as ENROUTE leaves the part waiting).
std::optional<core::TimePoint> PartDoneAt(const PartReceipt& receipt);

// Whether an applied receipt moves its message: only a final part state can (an intermediate
// receipt leaves the parts' states as they were).
bool ReceiptMovesMessage(ReceiptOutcome outcome, core::PartState receipt_state);

// The index of the receipt, among those held for a part just recorded (in arrival order), that
// the part ends with: each is applied in turn as ReceiptOutcomeOn allows, so the first final one
// ends the run and later ones are duplicates. nullopt when none is held.
std::optional<size_t> LastAppliedHeldReceipt(std::span<const PartReceipt> held);

// The receipt a part gets when its own never came in time (DeliveryStore::ExpireReceipts).
PartReceipt NoReceipt(core::TimePoint now);

// --- Messages ---

// How a message moves once its parts stand as given.
struct MessageMove {
  // Before `settle`, when it ends a message that never reported Sent although all its parts
  // reached an SMSC (their receipts came before the submit_sm_resp was recorded: held, or applied
  // through another node's bind first): Sent, so that every message an SMSC took reports it.
  std::optional<core::StatusChange> sent_first;
  // Settle the message to this (recording the part count with it).
  std::optional<core::StatusChange> settle;
  // Without a settle: only the stored part count is stale and is to be written.
  bool record_parts_total = false;
};

// A message in `current` with `stored_parts_total` recorded, whose parts (all known ones, in part
// order) stand as `parts` out of `parts_total`: settled where core::AfterParts says when
// core::CanTransition allows it, else its part count recorded when it changed, else untouched.
MessageMove MoveAfterParts(core::MessageState current, int stored_parts_total,
                           std::span<const core::PartStatus> parts, int parts_total);

// What a submit failure does to a message.
enum class FailureAction : uint8_t {
  kLeave = 0,       // no longer kSubmitting: cancelled, finished elsewhere; left alone
  kEndNotSent = 1,  // permanent: ends kNotSent with the failure's reason
  kRequeue = 2,     // temporary: back to kQueued, due at retry_at, attempts + 1
};
FailureAction AfterSubmitFailure(core::MessageState current, const SubmitFailure& failure);

// The change cancelling a message in `current` makes: kNotSent / "CANCELLED" from kQueued or
// kScheduled; kConflict (message: the current Kaleyra status) once claimed, submitted or final.
core::Result<core::StatusChange> CancelChange(core::MessageState current);

}  // namespace smsgw::store
