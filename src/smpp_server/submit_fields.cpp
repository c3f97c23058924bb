#include "smpp_server/submit_fields.h"

#include <span>
#include <string>
#include <string_view>

#include "smpp/codec/tlv.h"
#include "smpp_server/smpp_time.h"
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

// A DLT id TLV (0x1400 / 0x1401) as text: "" when absent, nullopt when too long. Customers send
// it as an Octet String or a C-Octet String: a trailing NUL is not part of it.
std::optional<std::string> DltId(const codec::TlvList& tlvs, uint16_t tag) {
  const codec::Tlv* tlv = tlvs.Find(tag);
  if (tlv == nullptr) {
    return std::string();
  }
  std::string_view id(reinterpret_cast<const char*>(tlv->value.data()), tlv->value.size());
  while (!id.empty() && id.back() == '\0') {
    id.remove_suffix(1);
  }
  if (id.size() > kMaxDltId) {
    return std::nullopt;
  }
  return std::string(id);
}

}  // namespace

std::expected<SubmitExtras, CommandStatus> SubmitFields(const codec::SubmitSm& submit,
                                                        core::TimePoint now,
                                                        rapidjson::Document& fields) {
  // A part of a concatenated message is reassembled before it gets here (reassembly.h, with the
  // whole text in short_message); one that still does (a submit_multi's) is refused rather than
  // stored as a message of its own with its UDH as text.
  if ((submit.esm_class & text::kEsmClassUdhi) != 0 || submit.tlvs.Has(codec::tag::kSarMsgRefNum)) {
    return std::unexpected(CommandStatus::kInvalidEsmClass);
  }
  auto schedule = ParseSmppTime(submit.schedule_delivery_time, now);
  if (!schedule) {
    return std::unexpected(CommandStatus::kInvalidScheduleTime);
  }
  auto validity = ParseSmppTime(submit.validity_period, now);
  if (!validity) {
    return std::unexpected(CommandStatus::kInvalidExpiryTime);
  }
  const std::optional<std::string> template_id = DltId(submit.tlvs, codec::tag::kDltTemplateId);
  const std::optional<std::string> entity_id = DltId(submit.tlvs, codec::tag::kDltEntityId);
  if (!template_id || !entity_id) {
    return std::unexpected(CommandStatus::kInvalidOptionalParamValue);
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
  // U+0000 (a NUL in UCS-2 or Latin-1) is no character of a message, and a PostgreSQL store
  // cannot hold it in text: refused, as the API refuses it.
  if (!text || text->utf8.find('\0') != std::string::npos) {
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
  if (*schedule) {
    // The API's own window (at least 15 minutes, at most 92 days ahead) applies to it.
    Set(fields, "time", core::FormatIso8601(**schedule));
  }
  if (!template_id->empty()) {
    Set(fields, "template_id", *template_id);
  }
  return SubmitExtras{.valid_until = *validity, .entity_id = *entity_id};
}

codec::SubmitSm AsSubmitSm(const codec::DataSm& data) {
  codec::SubmitSm s;
  s.service_type = data.service_type;
  s.source = data.source;
  s.dest = data.dest;
  s.esm_class = data.esm_class;
  s.registered_delivery = data.registered_delivery;
  s.data_coding = data.data_coding;
  s.tlvs = data.tlvs;
  return s;
}

codec::SubmitSm AsSubmitSm(const codec::SubmitMulti& multi, const codec::Address& dest) {
  codec::SubmitSm s;
  s.service_type = multi.service_type;
  s.source = multi.source;
  s.dest = dest;
  s.esm_class = multi.esm_class;
  s.protocol_id = multi.protocol_id;
  s.priority_flag = multi.priority_flag;
  s.schedule_delivery_time = multi.schedule_delivery_time;
  s.validity_period = multi.validity_period;
  s.registered_delivery = multi.registered_delivery;
  s.replace_if_present_flag = multi.replace_if_present_flag;
  s.data_coding = multi.data_coding;
  s.sm_default_msg_id = multi.sm_default_msg_id;
  s.short_message = multi.short_message;
  s.tlvs = multi.tlvs;
  return s;
}

std::expected<void, CommandStatus> Accept(const SubmitExtras& extras, core::TimePoint now,
                                          api::SendRequest& request) {
  if (extras.valid_until && *extras.valid_until <= request.send_at.value_or(now)) {
    return std::unexpected(CommandStatus::kInvalidExpiryTime);
  }
  if (!extras.entity_id.empty()) {
    if (!request.entity_id.empty() && request.entity_id != extras.entity_id) {
      return std::unexpected(CommandStatus::kInvalidSourceAddress);
    }
    if (request.entity_id.empty() && !request.template_id.empty()) {
      request.entity_id = extras.entity_id;
    }
  }
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
    case api::ApiError::kTimeInvalid:
      return CommandStatus::kInvalidScheduleTime;
    case api::ApiError::kStoreUnavailable:
    case api::ApiError::kInternal:
      return CommandStatus::kSystemError;
    default:
      return CommandStatus::kSubmitFailed;
  }
}

}  // namespace smsgw::smpp_server
