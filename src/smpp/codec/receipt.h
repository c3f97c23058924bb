#pragma once
// SMSC delivery receipts: recognising one (esm_class) and reading it from the text form that
// SMPP 3.4 Appendix B suggests, from the receipt TLVs (§5.3.2.12 receipted_message_id,
// §5.3.2.35 message_state, §5.3.2.31 network_error_code), or from both. The text comes from
// carriers who each bend Appendix B a little, so the parser is tolerant: fields in any order,
// keys in any case, missing fields, extra spaces, 10- or 12-digit dates, stat words spelt out.
// Untrusted input: never crashes, returns an error value only when no id or state is found.
// Pure functions; thread-safe.
//
// Appendix B text form:
//   id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD
//   err:E text:...

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/time.h"
#include "smpp/codec/pdu.h"
#include "smpp/codec/tlv.h"

namespace smsgw::smpp::codec {

// §5.2.12 esm_class bits 5..2, the message type of a deliver_sm / data_sm.
inline constexpr uint8_t kEsmClassTypeMask = 0x3C;
inline constexpr uint8_t kEsmClassDeliveryReceipt = 0x04;  // SMSC delivery receipt
inline constexpr uint8_t kEsmClassIntermediateNotification = 0x20;

// True for an SMSC delivery receipt and for an intermediate delivery notification (which
// reports a non-final state, typically ENROUTE, in the same format); false for an MO message
// and for SME acknowledgements.
bool IsDeliveryReceipt(uint8_t esm_class);

struct DeliveryReceipt {
  std::string message_id{};  // the SMSC's id as sent; compare through NormalizeMessageId
  std::string stat{};        // the stat word as sent ("DELIVRD"), or StatWord of the TLV state
  MessageState state = MessageState::kUnknown;  // unknown stat words map to kUnknown
  std::string err{};                            // the err field as sent ("000"); empty when absent
  std::optional<NetworkErrorCode> network_error{};
  std::optional<int> submitted{};                // sub: messages originally submitted
  std::optional<int> delivered{};                // dlvrd: messages delivered
  std::optional<core::TimePoint> submit_date{};  // read as UTC; absent or invalid → nullopt
  std::optional<core::TimePoint> done_date{};
  std::string text{};  // the first characters of the original message, when sent

  friend bool operator==(const DeliveryReceipt&, const DeliveryReceipt&) = default;
};

// The stat word → state: DELIVRD, EXPIRED, DELETED, UNDELIV, ACCEPTD, UNKNOWN, REJECTD,
// ENROUTE, and the spelt-out DELIVERED, UNDELIVERABLE, UNDELIVERED, ACCEPTED, REJECTED, in any
// case. Anything else is kUnknown.
MessageState StateFromStat(std::string_view stat);

// The text form alone. Error (core::Errc::kInvalidArgument) when neither an id nor a stat
// field is present: then it is not a receipt.
core::Result<DeliveryReceipt> ParseReceiptText(std::string_view text);

// A receipt from a deliver_sm: the text from short_message (or message_payload when
// short_message is empty) combined with the TLVs, where receipted_message_id and a valid
// message_state (1..8) win over the text's id and stat. Error (kInvalidArgument) when the
// result has no message id.
core::Result<DeliveryReceipt> ParseReceipt(const DeliverSm& deliver_sm);
// The same for a receipt sent as data_sm (text, if any, in message_payload).
core::Result<DeliveryReceipt> ParseReceipt(const DataSm& data_sm);

// The text form of `receipt` (Appendix B order, 10-digit dates, missing fields written as
// the spec's defaults), as the simulator sends it.
std::string FormatReceiptText(const DeliveryReceipt& receipt);

}  // namespace smsgw::smpp::codec
