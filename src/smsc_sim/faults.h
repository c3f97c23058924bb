#pragma once
// The simulator's deterministic faults: what it does with a submit_sm, chosen by the last four
// digits of the destination address (the table is in docs/simulator.md; a test checks the doc
// against FaultFor). FaultFor is the pure table; FaultTable adds the per-destination counters
// that make 9991 and 9998 refuse two submits out of every three. Thread-compatible: the
// simulator uses one FaultTable from its one thread.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "smpp/codec/pdu.h"

namespace smsgw::smsc_sim {

enum class Fault : uint8_t {
  kNone,           // accepted, DELIVRD
  kThrottled,      // ...9991: ESME_RTHROTTLED for 2 of every 3 submits, accepted on the 3rd
  kInvalidDest,    // ...9992: ESME_RINVDSTADR
  kNoResponse,     // ...9993: no submit_sm_resp at all
  kUndeliverable,  // ...9994: accepted, UNDELIV err:001
  kExpired,        // ...9995: accepted, EXPIRED
  kSlowResponse,   // ...9996: submit_sm_resp after SimulatorConfig::slow_response
  kRejected,       // ...9997: accepted, REJECTD
  kQueueFull,      // ...9998: ESME_RMSGQFUL for 2 of every 3 submits, accepted on the 3rd
  kReceiptFirst,   // ...9999: the receipt goes out before the submit_sm_resp
  kDropLink,       // ...9990: the connection is closed, nothing answered
  kNoReceipt,      // ...9980: accepted, and no receipt ever (a carrier that loses it)
};

// "none", "throttled", "invalid_dest", ...: the keys of GET /stats "submits_by_fault".
std::string_view FaultName(Fault fault);

// The four-digit suffix that selects `fault` ("9991"); "" for kNone.
std::string_view FaultSuffix(Fault fault);

// The fault the destination address selects by its last four characters.
Fault FaultFor(std::string_view destination);

// When the submit_sm_resp goes out.
enum class ResponseTiming {
  kNow,
  kSlow,          // after SimulatorConfig::slow_response
  kAfterReceipt,  // the receipt first, the response SimulatorConfig::receipt_first_gap later
  kNever,         // no response
  kCloseLink,     // close the connection instead of answering
};

struct SubmitDecision {
  Fault fault = Fault::kNone;
  uint32_t status = 0;  // submit_sm_resp command_status; 0 = accepted
  ResponseTiming timing = ResponseTiming::kNow;
  // For an accepted submit: the final state its receipt reports, and the receipt's err field.
  smpp::codec::MessageState final_state = smpp::codec::MessageState::kDelivered;
  std::string_view err = "000";
  bool receipt = true;  // false: no receipt is ever sent for it
};

// The decision for the `nth` submit_sm (counting from 1) to a destination with `fault`.
SubmitDecision DecideSubmit(Fault fault, uint64_t nth);

class FaultTable {
 public:
  // Destinations remembered for the counting faults; past it the counters start again.
  explicit FaultTable(size_t max_destinations = 100'000) : max_destinations_(max_destinations) {}

  // Decides one submit_sm to `destination`, counting it when its fault counts.
  SubmitDecision Decide(std::string_view destination);

 private:
  const size_t max_destinations_;
  std::unordered_map<std::string, uint64_t> counts_;
};

}  // namespace smsgw::smsc_sim
