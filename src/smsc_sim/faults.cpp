#include "smsc_sim/faults.h"

#include <array>

#include "smpp/codec/command_status.h"

namespace smsgw::smsc_sim {
namespace {

using smpp::codec::CommandStatus;
using smpp::codec::MessageState;

struct Row {
  std::string_view suffix;
  Fault fault;
  std::string_view name;
};

constexpr std::array<Row, 12> kTable = {{
    {"", Fault::kNone, "none"},
    {"9991", Fault::kThrottled, "throttled"},
    {"9992", Fault::kInvalidDest, "invalid_dest"},
    {"9993", Fault::kNoResponse, "no_response"},
    {"9994", Fault::kUndeliverable, "undeliverable"},
    {"9995", Fault::kExpired, "expired"},
    {"9996", Fault::kSlowResponse, "slow_response"},
    {"9997", Fault::kRejected, "rejected"},
    {"9998", Fault::kQueueFull, "queue_full"},
    {"9999", Fault::kReceiptFirst, "receipt_first"},
    {"9990", Fault::kDropLink, "drop_link"},
    {"9980", Fault::kNoReceipt, "no_receipt"},
}};

const Row& RowOf(Fault fault) {
  for (const Row& row : kTable) {
    if (row.fault == fault) {
      return row;
    }
  }
  return kTable[0];
}

// Refused twice, accepted the third time: a carrier's throttle that a well-behaved ESME gets
// through by backing off and retrying.
bool RefusedThisTime(uint64_t nth) { return nth % 3 != 0; }

constexpr uint32_t Raw(CommandStatus s) { return static_cast<uint32_t>(s); }

}  // namespace

std::string_view FaultName(Fault fault) { return RowOf(fault).name; }

std::string_view FaultSuffix(Fault fault) { return RowOf(fault).suffix; }

Fault FaultFor(std::string_view destination) {
  for (const Row& row : kTable) {
    if (!row.suffix.empty() && destination.ends_with(row.suffix)) {
      return row.fault;
    }
  }
  return Fault::kNone;
}

SubmitDecision DecideSubmit(Fault fault, uint64_t nth) {
  SubmitDecision d;
  d.fault = fault;
  switch (fault) {
    case Fault::kNone:
      break;
    case Fault::kThrottled:
      if (RefusedThisTime(nth)) {
        d.status = Raw(CommandStatus::kThrottled);
      }
      break;
    case Fault::kQueueFull:
      if (RefusedThisTime(nth)) {
        d.status = Raw(CommandStatus::kMessageQueueFull);
      }
      break;
    case Fault::kInvalidDest:
      d.status = Raw(CommandStatus::kInvalidDestAddress);
      break;
    case Fault::kNoResponse:
      d.timing = ResponseTiming::kNever;
      break;
    case Fault::kUndeliverable:
      d.final_state = MessageState::kUndeliverable;
      d.err = "001";
      break;
    case Fault::kExpired:
      d.final_state = MessageState::kExpired;
      break;
    case Fault::kSlowResponse:
      d.timing = ResponseTiming::kSlow;
      break;
    case Fault::kRejected:
      d.final_state = MessageState::kRejected;
      break;
    case Fault::kReceiptFirst:
      d.timing = ResponseTiming::kAfterReceipt;
      break;
    case Fault::kDropLink:
      d.timing = ResponseTiming::kCloseLink;
      break;
    case Fault::kNoReceipt:
      d.receipt = false;
      break;
  }
  return d;
}

SubmitDecision FaultTable::Decide(std::string_view destination) {
  const Fault fault = FaultFor(destination);
  uint64_t nth = 1;
  if (fault == Fault::kThrottled || fault == Fault::kQueueFull) {
    if (counts_.size() >= max_destinations_ && !counts_.contains(std::string(destination))) {
      counts_.clear();
    }
    nth = ++counts_[std::string(destination)];
  }
  return DecideSubmit(fault, nth);
}

}  // namespace smsgw::smsc_sim
