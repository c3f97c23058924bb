#pragma once
// The outbound (MT) message as every layer sees it, with the enums it is built from. A Message is
// one recipient's SMS; a send request with n recipients becomes n Messages sharing `request_id`.
// Plain values, no behaviour beyond naming; thread-compatible.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"

namespace smsgw::core {

// How the text travels: SMPP data_coding 0 (GSM 03.38) or 8 (UCS-2).
enum class Encoding : uint8_t { kGsm7 = 0, kUcs2 = 1, kBinary = 2 };
std::string_view ToString(Encoding e);  // "GSM7", "UCS2", "BINARY"

// Kaleyra's route type ("type"). Which ones a region allows is in core/region.h.
enum class RouteType : uint8_t { kOtp = 0, kTxn = 1, kTxnd = 2, kMkt = 3, kDefault = 4 };
std::string_view ToString(RouteType t);  // "OTP", "TXN", "TXND", "MKT", "DEFAULT"
// Case-insensitive; nullopt for anything else.
std::optional<RouteType> ParseRouteType(std::string_view text);

// The internal life-cycle of a message. The mapping onto Kaleyra's status words is
// KaleyraStatus(); transitions (delivery issue) go through one function in core.
enum class MessageState : uint8_t {
  kQueued = 0,       // accepted, waiting for dispatch
  kScheduled = 1,    // accepted with a future `time`
  kSubmitting = 2,   // claimed by a dispatcher, submit_sm in flight
  kSubmitted = 3,    // SMSC accepted it
  kDelivered = 4,    // final
  kUndelivered = 5,  // final: UNDELIV, EXPIRED, REJECTD from the network
  kNotSent = 6,      // final: never reached a carrier; status_details holds the reason
};
std::string_view KaleyraStatus(MessageState s);  // "Pending", "Sent", "Delivered", ...

struct Message {
  std::string id;          // "<request_id>:<n>", n from 1 in request order
  std::string request_id;  // the request's UUID
  std::string sid;         // owning account
  std::string recipient;   // E.164 without '+'
  std::string sender;
  std::string body;  // the text to send (after template rendering)
  RouteType type = RouteType::kDefault;
  Encoding encoding = Encoding::kGsm7;
  int segments = 1;
  bool flash = false;
  std::string unicode;  // as requested and echoed: "AUTO", "0" or "1"
  TimePoint created_at;
  std::optional<TimePoint> send_at;  // `time`, when scheduled
  // A validity of its own (an SMPP submit's validity_period): not submitted by then, it ends
  // NotSent / EXPIRED, as at the end of [delivery] validity, whichever comes first. nullopt: only
  // the gateway's validity applies (every API send).
  std::optional<TimePoint> expires_at;
  std::string template_id;    // DLT template id (SMPP TLV 0x1401 in India); empty when absent
  std::string template_data;  // JSON object text; empty when absent
  std::string entity_id;      // the sender's DLT entity id (TLV 0x1400); set in region IN only
  std::string ref, ref1, ref2;
  std::string ref_custom;  // JSON array text; empty when absent
  std::string campaign_name;
  std::string callback_profile_id;
  std::string callback;  // inline callback as a JSON object text; empty when absent
  std::string channel, source;
  // Submitted over SMPP (smpp_server): the credential's system_id, and the submit_sm's
  // registered_delivery (§5.2.17; WantsSmppReceipt in core/delivery_status.h), which decides the
  // receipts written to the account's SMPP outbox. Empty and 0 for an API send.
  std::string smpp_system_id;
  uint8_t registered_delivery = 0;
  MessageState state = MessageState::kQueued;
  std::string status_details;  // "QUEUED", "SCHEDULED", "DELIVRD", a NotSent reason, ...
};

}  // namespace smsgw::core
