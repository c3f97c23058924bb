#include "smpp_server/submit_fields.h"

#include <span>
#include <string>
#include <string_view>

#include "smpp/codec/tlv.h"
#include "text/data_coding.h"
#include "text/inbound_decoder.h"
#include "text/udh.h"

namespace smsgw::smpp_server {
namespace {

namespace codec = smpp::codec;
using codec::CommandStatus;

void Set(rapidjson::Document& doc, const char* key, std::string_view value) {
  auto& a = doc.GetAllocator();
  doc.AddMember(rapidjson::StringRef(key),
                rapidjson::Value(value.data(), static_cast<rapidjson::SizeType>(value.size()), a),
                a);
}

}  // namespace

std::expected<void, CommandStatus> SubmitFields(const codec::SubmitSm& submit,
                                                rapidjson::Document& fields) {
  // Concatenated input is reassembled in a later step of issue 17; until then a part is refused
  // rather than stored as a message of its own with its UDH as text.
  if ((submit.esm_class & text::kEsmClassUdhi) != 0 || submit.tlvs.Has(codec::tag::kSarMsgRefNum)) {
    return std::unexpected(CommandStatus::kInvalidEsmClass);
  }
  // Scheduling and expiry from the PDU are a later step too: refused, not silently ignored.
  if (!submit.schedule_delivery_time.empty()) {
    return std::unexpected(CommandStatus::kInvalidScheduleTime);
  }
  if (!submit.validity_period.empty()) {
    return std::unexpected(CommandStatus::kInvalidExpiryTime);
  }
  std::span<const uint8_t> bytes = submit.short_message;
  if (bytes.empty()) {
    if (const codec::Tlv* payload = submit.tlvs.Find(codec::tag::kMessagePayload)) {
      bytes = payload->value;  // at most the codec's max_command_length
    }
  }
  if (bytes.empty()) {
    return std::unexpected(CommandStatus::kInvalidMessageLength);
  }
  auto text = text::DecodeInbound(submit.data_coding, bytes);
  if (!text) {
    return std::unexpected(CommandStatus::kSubmitFailed);
  }
  fields.SetObject();
  // The address as digits, read as the API reads a `to` without `prefix`: country code and
  // national number, whatever the TON says (an international number travels without its '+').
  Set(fields, "to", submit.dest.addr);
  Set(fields, "sender", submit.source.addr);
  Set(fields, "body", text->utf8);
  Set(fields, "flash", text::IsFlash(submit.data_coding) ? "1" : "0");
  Set(fields, "channel", "smpp");
  return {};
}

CommandStatus StatusFor(const api::FieldErrors& errors) {
  if (errors.empty()) {
    return CommandStatus::kSubmitFailed;
  }
  switch (errors.front().error) {
    case api::ApiError::kToMissing:
    case api::ApiError::kToInvalid:
    case api::ApiError::kTooManyRecipients:
      return CommandStatus::kInvalidDestAddress;
    case api::ApiError::kSenderInvalid:
    case api::ApiError::kSenderNotRegistered:
    case api::ApiError::kSenderNotInTemplate:
      return CommandStatus::kInvalidSourceAddress;
    case api::ApiError::kBodyMissing:
    case api::ApiError::kBodyTooLong:
      return CommandStatus::kInvalidMessageLength;
    case api::ApiError::kStoreUnavailable:
    case api::ApiError::kInternal:
      return CommandStatus::kSystemError;
    default:
      return CommandStatus::kSubmitFailed;
  }
}

}  // namespace smsgw::smpp_server
