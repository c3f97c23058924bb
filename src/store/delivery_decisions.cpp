#include "store/delivery_decisions.h"

#include <iterator>
#include <string>
#include <utility>

namespace smsgw::store {

using core::MessageState;
using core::PartState;

std::string OwnerNode(std::string_view owner) {
  const size_t slash = owner.find('/');
  return slash == std::string_view::npos ? std::string(owner) + "/"
                                         : std::string(owner.substr(0, slash + 1));
}

bool Claimable(MessageState state) {
  // A claimed message is due again only once its lease ran out; it stays kSubmitting.
  return state == MessageState::kSubmitting ||
         core::CanTransition(state, MessageState::kSubmitting);
}

bool PrefersForReceipt(const ReceiptPartCandidate& a, const ReceiptPartCandidate& b) {
  // A reused id's older part has usually had its receipt already: the receipt is for the part
  // still waiting, and among several waiting, for the latest submit.
  const auto rank = [](const ReceiptPartCandidate& p) {
    return std::pair(p.state == PartState::kSubmitted, p.submitted_at);
  };
  return rank(a) > rank(b);
}

std::optional<size_t> PickReceiptPart(std::span<const ReceiptPartCandidate> parts) {
  std::optional<size_t> best;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (!best || PrefersForReceipt(parts[i], parts[*best])) {
      best = i;
    }
  }
  return best;
}

ReceiptOutcome ReceiptOutcomeOn(PartState current) {
  return core::IsFinal(current) ? ReceiptOutcome::kDuplicate : ReceiptOutcome::kApplied;
}

std::optional<core::TimePoint> PartDoneAt(const PartReceipt& receipt) {
  if (!core::IsFinal(receipt.state)) {
    return std::nullopt;
  }
  return receipt.at;
}

bool ReceiptMovesMessage(ReceiptOutcome outcome, PartState receipt_state) {
  return outcome == ReceiptOutcome::kApplied && core::IsFinal(receipt_state);
}

std::optional<size_t> LastAppliedHeldReceipt(std::span<const PartReceipt> held) {
  // A part is recorded kSubmitted, so the first held receipt always applies.
  PartState state = PartState::kSubmitted;
  std::optional<size_t> last;
  for (size_t i = 0; i < held.size(); ++i) {
    if (ReceiptOutcomeOn(state) == ReceiptOutcome::kApplied) {
      state = held[i].state;
      last = i;
    }
  }
  return last;
}

PartReceipt NoReceipt(core::TimePoint now) {
  return PartReceipt{PartState::kUndelivered, kNoReceiptStat, "", now};
}

MessageMove MoveAfterParts(MessageState current, int stored_parts_total,
                           std::span<const core::PartStatus> parts, int parts_total) {
  MessageMove move;
  std::optional<core::StatusChange> change = core::AfterParts(current, parts, parts_total);
  if (change && core::CanTransition(current, change->state)) {
    const bool all_taken = !parts.empty() && std::ssize(parts) >= parts_total;
    if (core::IsFinal(change->state) && all_taken && current != MessageState::kSubmitted &&
        core::CanTransition(current, MessageState::kSubmitted)) {
      move.sent_first = core::StatusChange{MessageState::kSubmitted, "SUBMITTED"};
    }
    move.settle = std::move(change);
    return move;
  }
  move.record_parts_total = parts_total != stored_parts_total;
  return move;
}

FailureAction AfterSubmitFailure(MessageState current, const SubmitFailure& failure) {
  // Only the claim that failed may act on it: a message no longer kSubmitting was cancelled or
  // settled by someone else meanwhile.
  if (current != MessageState::kSubmitting) {
    return FailureAction::kLeave;
  }
  if (!failure.retry_at) {
    return FailureAction::kEndNotSent;
  }
  return core::CanTransition(current, MessageState::kQueued) ? FailureAction::kRequeue
                                                             : FailureAction::kLeave;
}

core::Result<core::StatusChange> CancelChange(MessageState current) {
  // Once claimed, the message may already be at the SMSC: too late to cancel.
  if (current != MessageState::kQueued && current != MessageState::kScheduled) {
    return core::MakeError(core::Errc::kConflict, std::string(core::KaleyraStatus(current)));
  }
  return core::StatusChange{MessageState::kNotSent, "CANCELLED"};
}

}  // namespace smsgw::store
