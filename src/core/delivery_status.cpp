#include "core/delivery_status.h"

#include <algorithm>

#include "core/strings.h"

namespace smsgw::core {

std::string_view ToString(PartState s) {
  switch (s) {
    case PartState::kSubmitted:
      return "SUBMITTED";
    case PartState::kDelivered:
      return "DELIVERED";
    case PartState::kUndelivered:
      return "UNDELIVERED";
  }
  return "SUBMITTED";
}

PartState PartStateFromStat(std::string_view stat) {
  struct Word {
    std::string_view word;
    PartState state;
  };
  // The SMPP 3.4 Appendix B stat words and the long forms some SMSCs send instead.
  static constexpr Word kWords[] = {
      {"DELIVRD", PartState::kDelivered},       {"DELIVERED", PartState::kDelivered},
      {"UNDELIV", PartState::kUndelivered},     {"UNDELIVERABLE", PartState::kUndelivered},
      {"UNDELIVERED", PartState::kUndelivered}, {"EXPIRED", PartState::kUndelivered},
      {"DELETED", PartState::kUndelivered},     {"REJECTD", PartState::kUndelivered},
      {"REJECTED", PartState::kUndelivered},    {"UNKNOWN", PartState::kUndelivered},
  };
  for (const Word& w : kWords) {
    if (EqualsIgnoreCase(stat, w.word)) {
      return w.state;
    }
  }
  return PartState::kSubmitted;
}

std::optional<StatusChange> AfterParts(MessageState current, std::span<const PartStatus> parts,
                                       int total) {
  if (IsFinal(current)) {
    return std::nullopt;
  }
  for (const PartStatus& part : parts) {
    if (part.state == PartState::kUndelivered) {
      return StatusChange{MessageState::kUndelivered, part.stat.empty() ? "UNDELIV" : part.stat};
    }
  }
  // A message has at least one part, so no parts (or an unknown total) is never complete.
  const bool complete = !parts.empty() && static_cast<int64_t>(parts.size()) >= total;
  if (!complete) {
    return std::nullopt;
  }
  const bool all_delivered = std::all_of(parts.begin(), parts.end(), [](const PartStatus& p) {
    return p.state == PartState::kDelivered;
  });
  if (all_delivered) {
    return StatusChange{MessageState::kDelivered, "DELIVRD"};
  }
  if (current == MessageState::kSubmitted) {
    return std::nullopt;
  }
  return StatusChange{MessageState::kSubmitted, "SUBMITTED"};
}

bool CanTransition(MessageState from, MessageState to) {
  using S = MessageState;
  switch (from) {
    case S::kQueued:
    case S::kScheduled:
      return to == S::kSubmitting || to == S::kNotSent || to == S::kSubmitted ||
             to == S::kDelivered || to == S::kUndelivered;
    case S::kSubmitting:
      return to == S::kQueued || to == S::kSubmitted || to == S::kNotSent || to == S::kDelivered ||
             to == S::kUndelivered;
    case S::kSubmitted:
      return to == S::kDelivered || to == S::kUndelivered;
    case S::kDelivered:
    case S::kUndelivered:
    case S::kNotSent:
      return false;
  }
  return false;
}

bool WantsSmppReceipt(uint8_t registered_delivery, MessageState state) {
  if (state == MessageState::kSubmitted) {
    return (registered_delivery & kRegisteredDeliveryIntermediate) != 0;
  }
  if (!IsFinal(state)) {
    return false;
  }
  switch (registered_delivery & kRegisteredDeliveryReceiptMask) {
    case kRegisteredDeliveryOnFinal:
      return true;
    case kRegisteredDeliveryOnFailure:
      return state != MessageState::kDelivered;
    default:
      return false;  // none, or the reserved 11
  }
}

int ClaimPriority(RouteType type) {
  switch (type) {
    case RouteType::kOtp:
      return 0;
    case RouteType::kTxn:
    case RouteType::kTxnd:
      return 1;
    case RouteType::kMkt:
    case RouteType::kDefault:
      return 2;
  }
  return 2;
}

}  // namespace smsgw::core
