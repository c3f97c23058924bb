#include "smpp/codec/tlv.h"

#include <algorithm>

namespace smsgw::smpp::codec {
namespace {

struct TagInfo {
  uint16_t tag;
  std::string_view name;
};

constexpr TagInfo kTags[] = {
    {tag::kDestAddrSubunit, "dest_addr_subunit"},
    {tag::kDestNetworkType, "dest_network_type"},
    {tag::kDestBearerType, "dest_bearer_type"},
    {tag::kDestTelematicsId, "dest_telematics_id"},
    {tag::kSourceAddrSubunit, "source_addr_subunit"},
    {tag::kSourceNetworkType, "source_network_type"},
    {tag::kSourceBearerType, "source_bearer_type"},
    {tag::kSourceTelematicsId, "source_telematics_id"},
    {tag::kQosTimeToLive, "qos_time_to_live"},
    {tag::kPayloadType, "payload_type"},
    {tag::kAdditionalStatusInfoText, "additional_status_info_text"},
    {tag::kReceiptedMessageId, "receipted_message_id"},
    {tag::kMsMsgWaitFacilities, "ms_msg_wait_facilities"},
    {tag::kPrivacyIndicator, "privacy_indicator"},
    {tag::kSourceSubaddress, "source_subaddress"},
    {tag::kDestSubaddress, "dest_subaddress"},
    {tag::kUserMessageReference, "user_message_reference"},
    {tag::kUserResponseCode, "user_response_code"},
    {tag::kSourcePort, "source_port"},
    {tag::kDestinationPort, "destination_port"},
    {tag::kSarMsgRefNum, "sar_msg_ref_num"},
    {tag::kLanguageIndicator, "language_indicator"},
    {tag::kSarTotalSegments, "sar_total_segments"},
    {tag::kSarSegmentSeqnum, "sar_segment_seqnum"},
    {tag::kScInterfaceVersion, "sc_interface_version"},
    {tag::kCallbackNumPresInd, "callback_num_pres_ind"},
    {tag::kCallbackNumAtag, "callback_num_atag"},
    {tag::kNumberOfMessages, "number_of_messages"},
    {tag::kCallbackNum, "callback_num"},
    {tag::kDpfResult, "dpf_result"},
    {tag::kSetDpf, "set_dpf"},
    {tag::kMsAvailabilityStatus, "ms_availability_status"},
    {tag::kNetworkErrorCode, "network_error_code"},
    {tag::kMessagePayload, "message_payload"},
    {tag::kDeliveryFailureReason, "delivery_failure_reason"},
    {tag::kMoreMessagesToSend, "more_messages_to_send"},
    {tag::kMessageState, "message_state"},
    {tag::kUssdServiceOp, "ussd_service_op"},
    {tag::kDisplayTime, "display_time"},
    {tag::kSmsSignal, "sms_signal"},
    {tag::kMsValidity, "ms_validity"},
    {tag::kAlertOnMessageDelivery, "alert_on_message_delivery"},
    {tag::kItsReplyType, "its_reply_type"},
    {tag::kItsSessionInfo, "its_session_info"},
};

std::vector<uint8_t> BigEndian(uint32_t v, int octets) {
  std::vector<uint8_t> out(static_cast<size_t>(octets));
  for (int i = octets - 1; i >= 0; --i) {
    out[static_cast<size_t>(i)] = static_cast<uint8_t>(v & 0xFF);
    v >>= 8;
  }
  return out;
}

std::optional<uint32_t> ReadBigEndian(const Tlv* tlv, size_t octets) {
  if (tlv == nullptr || tlv->value.size() != octets) {
    return std::nullopt;
  }
  uint32_t v = 0;
  for (uint8_t b : tlv->value) {
    v = (v << 8) | b;
  }
  return v;
}

}  // namespace

std::string_view TagName(uint16_t t) {
  for (const TagInfo& info : kTags) {
    if (info.tag == t) {
      return info.name;
    }
  }
  return t >= tag::kVendorFirst && t <= tag::kVendorLast ? "vendor_specific" : "unknown";
}

const Tlv* TlvList::Find(uint16_t t) const {
  for (const Tlv& tlv : items_) {
    if (tlv.tag == t) {
      return &tlv;
    }
  }
  return nullptr;
}

void TlvList::Add(uint16_t t, std::vector<uint8_t> value) {
  items_.push_back(Tlv{t, std::move(value)});
}

void TlvList::Set(uint16_t t, std::vector<uint8_t> value) {
  for (Tlv& tlv : items_) {
    if (tlv.tag == t) {
      tlv.value = std::move(value);
      return;
    }
  }
  Add(t, std::move(value));
}

void TlvList::Remove(uint16_t t) {
  std::erase_if(items_, [t](const Tlv& tlv) { return tlv.tag == t; });
}

void TlvList::SetU8(uint16_t t, uint8_t v) { Set(t, BigEndian(v, 1)); }
void TlvList::SetU16(uint16_t t, uint16_t v) { Set(t, BigEndian(v, 2)); }
void TlvList::SetU32(uint16_t t, uint32_t v) { Set(t, BigEndian(v, 4)); }

void TlvList::SetCString(uint16_t t, std::string_view s) {
  std::vector<uint8_t> value(s.begin(), s.end());
  value.push_back(0);
  Set(t, std::move(value));
}

void TlvList::SetOctets(uint16_t t, std::string_view s) {
  Set(t, std::vector<uint8_t>(s.begin(), s.end()));
}

std::optional<uint8_t> TlvList::GetU8(uint16_t t) const {
  const std::optional<uint32_t> v = ReadBigEndian(Find(t), 1);
  return v ? std::optional<uint8_t>(static_cast<uint8_t>(*v)) : std::nullopt;
}

std::optional<uint16_t> TlvList::GetU16(uint16_t t) const {
  const std::optional<uint32_t> v = ReadBigEndian(Find(t), 2);
  return v ? std::optional<uint16_t>(static_cast<uint16_t>(*v)) : std::nullopt;
}

std::optional<uint32_t> TlvList::GetU32(uint16_t t) const { return ReadBigEndian(Find(t), 4); }

std::optional<std::string> TlvList::GetString(uint16_t t) const {
  const Tlv* tlv = Find(t);
  if (tlv == nullptr) {
    return std::nullopt;
  }
  const auto end = std::find(tlv->value.begin(), tlv->value.end(), uint8_t{0});
  return std::string(tlv->value.begin(), end);
}

std::optional<std::span<const uint8_t>> TlvList::GetBytes(uint16_t t) const {
  const Tlv* tlv = Find(t);
  if (tlv == nullptr) {
    return std::nullopt;
  }
  return std::span<const uint8_t>(tlv->value);
}

std::optional<text::SarInfo> GetSar(const TlvList& tlvs) {
  const std::optional<uint16_t> ref = tlvs.GetU16(tag::kSarMsgRefNum);
  const std::optional<uint8_t> total = tlvs.GetU8(tag::kSarTotalSegments);
  const std::optional<uint8_t> seqnum = tlvs.GetU8(tag::kSarSegmentSeqnum);
  if (!ref || !total || !seqnum || *total == 0 || *seqnum == 0 || *seqnum > *total) {
    return std::nullopt;
  }
  return text::SarInfo{*ref, *total, *seqnum};
}

void SetSar(TlvList& tlvs, const text::SarInfo& sar) {
  tlvs.SetU16(tag::kSarMsgRefNum, sar.msg_ref_num);
  tlvs.SetU8(tag::kSarTotalSegments, sar.total_segments);
  tlvs.SetU8(tag::kSarSegmentSeqnum, sar.segment_seqnum);
}

std::optional<NetworkErrorCode> GetNetworkErrorCode(const TlvList& tlvs) {
  const Tlv* tlv = tlvs.Find(tag::kNetworkErrorCode);
  if (tlv == nullptr || tlv->value.size() != 3) {
    return std::nullopt;
  }
  return NetworkErrorCode{tlv->value[0],
                          static_cast<uint16_t>((tlv->value[1] << 8) | tlv->value[2])};
}

void SetNetworkErrorCode(TlvList& tlvs, const NetworkErrorCode& code) {
  tlvs.Set(tag::kNetworkErrorCode, {code.network_type, static_cast<uint8_t>(code.error_code >> 8),
                                    static_cast<uint8_t>(code.error_code & 0xFF)});
}

void SetDlt(TlvList& tlvs, std::string_view entity_id, std::string_view template_id,
            DltStringForm form) {
  const auto set = [&](uint16_t t, std::string_view id) {
    if (id.empty()) {
      return;
    }
    if (form == DltStringForm::kCOctet) {
      tlvs.SetCString(t, id);
    } else {
      tlvs.SetOctets(t, id);
    }
  };
  set(tag::kDltEntityId, entity_id);
  set(tag::kDltTemplateId, template_id);
}

}  // namespace smsgw::smpp::codec
