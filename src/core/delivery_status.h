#pragma once
// How a message's status moves once it has left the queue: the one transition function the
// delivery pipeline, the store and the status API share. A message is split into parts; each
// part is submitted and later receipted on its own; the message's status follows from its parts.
// Pure functions; thread-safe.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/message.h"

namespace smsgw::core {

// One part's life after its submit_sm was accepted. Values are stored; never renumber.
enum class PartState : uint8_t {
  kSubmitted = 0,    // the SMSC accepted it; no final receipt yet
  kDelivered = 1,    // final: DELIVRD
  kUndelivered = 2,  // final: UNDELIV, EXPIRED, DELETED, REJECTD, UNKNOWN
};
std::string_view ToString(PartState s);  // "SUBMITTED", "DELIVERED", "UNDELIVERED"
constexpr bool IsFinal(PartState s) { return s != PartState::kSubmitted; }

// A receipt's stat word (any case, as codec::StateFromStat reads it) → the part's state:
// DELIVRD/DELIVERED → kDelivered; UNDELIV/UNDELIVERABLE/UNDELIVERED, EXPIRED, DELETED,
// REJECTD/REJECTED, UNKNOWN → kUndelivered; ENROUTE, ACCEPTD/ACCEPTED and anything unrecognised
// → kSubmitted (not final: a later receipt may still come).
PartState PartStateFromStat(std::string_view stat);

// The final-states rule: kDelivered, kUndelivered and kNotSent never change again.
constexpr bool IsFinal(MessageState s) {
  return s == MessageState::kDelivered || s == MessageState::kUndelivered ||
         s == MessageState::kNotSent;
}

struct PartStatus {
  PartState state = PartState::kSubmitted;
  std::string stat;  // the receipt's stat word, upper-case ("DELIVRD"); empty before a receipt
};

struct StatusChange {
  MessageState state;
  std::string details;  // status_details: "SUBMITTED", "DELIVRD", "UNDELIV", ...
};

// The message's status once `parts` (all `total` of them, in part order; fewer while some are
// not yet submitted) stand as given, starting from `current`. nullopt when nothing changes.
//   - a final `current` never changes;
//   - any part kUndelivered → kUndelivered, details = the first such part's stat;
//   - all `total` parts kDelivered → kDelivered, details "DELIVRD";
//   - all `total` parts submitted and none final-failed → kSubmitted, details "SUBMITTED"
//     (only from kQueued, kScheduled or kSubmitting).
std::optional<StatusChange> AfterParts(MessageState current, std::span<const PartStatus> parts,
                                       int total);

// Whether `to` may follow `from` at all (the store refuses other transitions):
//   kQueued/kScheduled → kSubmitting (claimed), kNotSent (no route, cancelled, expired,
//   permanent error), and kSubmitted/kDelivered/kUndelivered when parts accepted in an earlier
//   attempt settle the message after it went back to the queue (a late submit_sm_resp, a
//   receipt, or an UNDELIV part that makes sending the rest pointless: AfterParts' results from
//   these states); kSubmitting → kQueued (temporary failure, retried later), kSubmitted,
//   kNotSent, kUndelivered/kDelivered (receipt before the last resp was recorded);
//   kSubmitted → kDelivered, kUndelivered; kScheduled → kQueued is not used (a due scheduled
//   message is claimed directly). Final states go nowhere.
bool CanTransition(MessageState from, MessageState to);

// SMPP 3.4 §5.2.17 registered_delivery, as a customer's submit_sm asks for receipts:
// bits 1..0 the SMSC delivery receipt (01 on the final outcome, 10 on failure only, 11 reserved),
// bit 4 intermediate notifications. Stored on the message (Message::registered_delivery).
inline constexpr uint8_t kRegisteredDeliveryReceiptMask = 0x03;
inline constexpr uint8_t kRegisteredDeliveryOnFinal = 0x01;
inline constexpr uint8_t kRegisteredDeliveryOnFailure = 0x02;
inline constexpr uint8_t kRegisteredDeliveryIntermediate = 0x10;

// Whether a message submitted over SMPP with `registered_delivery` gets a deliver_sm back when it
// moves to `state`: a final state when bits 1..0 ask for it (01: any; 10: any but kDelivered);
// kSubmitted (accepted by the carrier) as an intermediate notification when bit 4 is set. Never
// for the states before the carrier (queued, scheduled, submitting).
bool WantsSmppReceipt(uint8_t registered_delivery, MessageState state);

// Claim priority: 0 for OTP, 1 for TXN and TXND, 2 for MKT and DEFAULT. Lower goes first.
int ClaimPriority(RouteType type);

}  // namespace smsgw::core
