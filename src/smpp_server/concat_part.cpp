#include "smpp_server/concat_part.h"

#include "smpp/codec/tlv.h"
#include "text/udh.h"

namespace smsgw::smpp_server {
namespace {

namespace codec = smpp::codec;
using codec::CommandStatus;

bool HasAnySar(const codec::TlvList& tlvs) {
  return tlvs.Has(codec::tag::kSarMsgRefNum) || tlvs.Has(codec::tag::kSarTotalSegments) ||
         tlvs.Has(codec::tag::kSarSegmentSeqnum);
}

}  // namespace

bool IsConcatenated(const codec::SubmitSm& submit) {
  return (submit.esm_class & text::kEsmClassUdhi) != 0 || HasAnySar(submit.tlvs);
}

std::expected<SubmitPart, CommandStatus> ReadSubmitPart(const codec::SubmitSm& submit) {
  // SMPP 3.4 §5.3.2.32: message_payload carries the text when short_message is empty.
  std::span<const uint8_t> bytes = submit.short_message;
  if (bytes.empty()) {
    if (const codec::Tlv* payload = submit.tlvs.Find(codec::tag::kMessagePayload)) {
      bytes = payload->value;  // at most the codec's max_command_length
    }
  }
  SubmitPart part;
  bool placed = false;
  // SMPP 3.4 §5.2.12: esm_class bit 6 (UDHI) says the text starts with a UDH.
  if ((submit.esm_class & text::kEsmClassUdhi) != 0) {
    core::Result<text::Udh> udh = text::ParseUdh(bytes);
    if (!udh || !udh->concat) {
      return std::unexpected(CommandStatus::kInvalidEsmClass);
    }
    part.reference = udh->concat->reference;
    part.total = udh->concat->total;
    part.seqnum = udh->concat->seqnum;
    bytes = bytes.subspan(udh->length);
    placed = true;
  }
  if (!placed && HasAnySar(submit.tlvs)) {
    const std::optional<text::SarInfo> sar = codec::GetSar(submit.tlvs);
    if (!sar) {
      return std::unexpected(CommandStatus::kInvalidOptionalParamValue);
    }
    part.reference = sar->msg_ref_num;
    part.total = sar->total_segments;
    part.seqnum = sar->segment_seqnum;
    part.from_sar = true;
    placed = true;
  }
  if (!placed) {
    return std::unexpected(CommandStatus::kInvalidEsmClass);  // not a part at all
  }
  if (bytes.empty() || bytes.size() > kMaxReassembledOctets) {
    return std::unexpected(CommandStatus::kInvalidMessageLength);
  }
  part.user_data.assign(bytes.begin(), bytes.end());
  return part;
}

codec::SubmitSm WholeSubmit(const codec::SubmitSm& last,
                            std::span<const std::vector<uint8_t>> parts,
                            uint8_t registered_delivery) {
  codec::SubmitSm whole = last;
  whole.esm_class = static_cast<uint8_t>(last.esm_class & ~text::kEsmClassUdhi);
  whole.registered_delivery = registered_delivery;
  whole.short_message.clear();
  for (const std::vector<uint8_t>& part : parts) {
    whole.short_message.insert(whole.short_message.end(), part.begin(), part.end());
  }
  for (const uint16_t tag : {codec::tag::kSarMsgRefNum, codec::tag::kSarTotalSegments,
                             codec::tag::kSarSegmentSeqnum, codec::tag::kMessagePayload}) {
    whole.tlvs.Remove(tag);
  }
  return whole;
}

}  // namespace smsgw::smpp_server
