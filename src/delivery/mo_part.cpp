#include "delivery/mo_part.h"

#include <cstdio>
#include <span>
#include <string>

#include "smpp/codec/receipt.h"
#include "smpp/codec/tlv.h"
#include "text/data_coding.h"
#include "text/udh.h"

namespace smsgw::delivery {
namespace {

namespace codec = smpp::codec;

core::Result<store::InboundPart> NotAnMo(std::string why) {
  return core::MakeError(core::Errc::kInvalidArgument, std::move(why));
}

// The fields deliver_sm and data_sm share, whichever arrived.
struct MoFields {
  const codec::Address& source;
  const codec::Address& dest;
  uint8_t esm_class;
  uint8_t data_coding;
  std::span<const uint8_t> short_message;
  const codec::TlvList& tlvs;
};

core::Result<store::InboundPart> Read(const MoFields& f, std::string_view connector,
                                      core::TimePoint now) {
  if (codec::IsDeliveryReceipt(f.esm_class)) {
    return NotAnMo("a delivery receipt, not an MO");
  }
  if (f.dest.addr.empty()) {
    return NotAnMo("no destination_addr");
  }
  const text::Alphabet alphabet = text::AlphabetOf(f.data_coding);
  if (alphabet == text::Alphabet::kBinary || alphabet == text::Alphabet::kUnsupported) {
    char why[80];
    std::snprintf(why, sizeof why, "data_coding 0x%02X carries no text smsgw decodes",
                  f.data_coding);
    return NotAnMo(why);
  }
  store::InboundPart part;
  part.connector = std::string(connector);
  part.source = f.source.addr;
  part.destination = f.dest.addr;
  part.data_coding = f.data_coding;
  part.received_at = now;
  // SMPP 3.4 §5.3.2.32: message_payload carries the data when short_message is empty.
  if (!f.short_message.empty()) {
    part.payload.assign(f.short_message.begin(), f.short_message.end());
  } else if (auto payload = f.tlvs.GetBytes(codec::tag::kMessagePayload)) {
    part.payload.assign(payload->begin(), payload->end());
  }
  // SMPP 3.4 §5.2.12: esm_class bit 6 (UDHI) says the data starts with a UDH.
  if ((f.esm_class & text::kEsmClassUdhi) != 0) {
    core::Result<text::Udh> udh = text::ParseUdh(part.payload);
    if (!udh) {
      return std::unexpected(std::move(udh.error()));
    }
    part.udh_length = udh->length;
    if (udh->concat) {
      part.concat =
          store::InboundConcat{udh->concat->reference, udh->concat->total, udh->concat->seqnum};
    }
  }
  if (!part.concat) {
    if (std::optional<text::SarInfo> sar = codec::GetSar(f.tlvs)) {
      part.concat =
          store::InboundConcat{sar->msg_ref_num, sar->total_segments, sar->segment_seqnum};
    }
  }
  return part;
}

}  // namespace

core::Result<store::InboundPart> ReadMoPart(const codec::Pdu& pdu, std::string_view connector,
                                            core::TimePoint now) {
  if (const auto* sm = std::get_if<codec::DeliverSm>(&pdu.body)) {
    return Read({sm->source, sm->dest, sm->esm_class, sm->data_coding, sm->short_message, sm->tlvs},
                connector, now);
  }
  if (const auto* data = std::get_if<codec::DataSm>(&pdu.body)) {
    return Read({data->source, data->dest, data->esm_class, data->data_coding, {}, data->tlvs},
                connector, now);
  }
  return NotAnMo("not a deliver_sm or data_sm");
}

}  // namespace smsgw::delivery
