#include "smsc_sim/receipts.h"

#include <charconv>

#include "smpp/codec/receipt.h"
#include "smpp/codec/tlv.h"
#include "text/inbound_decoder.h"

namespace smsgw::smsc_sim {
namespace {

using smpp::codec::MessageState;

constexpr size_t kTextSampleChars = 20;
// TS 29.002 / SMPP 3.4 §5.3.2.31: network type 3 = GSM.
constexpr uint8_t kNetworkTypeGsm = 3;

bool IsFailure(MessageState state) {
  return state == MessageState::kExpired || state == MessageState::kDeleted ||
         state == MessageState::kUndeliverable || state == MessageState::kRejected ||
         state == MessageState::kUnknown;
}

std::span<const uint8_t> TextBytes(const smpp::codec::SubmitSm& submit) {
  if (submit.short_message.empty()) {
    if (auto payload = submit.tlvs.GetBytes(smpp::codec::tag::kMessagePayload)) {
      return *payload;
    }
  }
  return submit.short_message;
}

// The receipt text travels as data_coding 0 and ESMEs read it as ASCII: only characters with
// the same code in ASCII and the GSM 03.38 default alphabet read the same either way (GSM has
// '¤' at 0x24, '¡' at 0x40, letters with diacritics at 0x5B..0x60 and 0x7B..0x7F).
bool SameInGsm7AndAscii(unsigned char c) {
  return (c >= 0x20 && c <= 0x3F && c != 0x24) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

}  // namespace

bool WantsReceipt(uint8_t registered_delivery, MessageState final_state) {
  switch (registered_delivery & 0x03) {
    case 1:
      return true;
    case 2:
      return IsFailure(final_state);
    case 3:
      return !IsFailure(final_state);
    default:
      return false;
  }
}

std::optional<text::ConcatInfo> PartOf(const smpp::codec::SubmitSm& submit) {
  if ((submit.esm_class & text::kEsmClassUdhi) != 0) {
    auto udh = text::ParseUdh(TextBytes(submit));
    if (udh && udh->concat && udh->concat->total > 1) {
      return udh->concat;
    }
    return std::nullopt;
  }
  if (auto sar = smpp::codec::GetSar(submit.tlvs); sar && sar->total_segments > 1) {
    return text::ConcatInfo{sar->msg_ref_num, sar->total_segments, sar->segment_seqnum, true};
  }
  return std::nullopt;
}

bool ReceiptForPart(MultipartReceipts mode, const std::optional<text::ConcatInfo>& part) {
  return !part || mode == MultipartReceipts::kPerPart || part->seqnum == part->total;
}

std::string ReceiptTextSample(const smpp::codec::SubmitSm& submit) {
  text::InboundOptions options;
  options.udhi = (submit.esm_class & text::kEsmClassUdhi) != 0;
  auto decoded = text::DecodeInbound(submit.data_coding, TextBytes(submit), options);
  if (!decoded) {
    return "";
  }
  std::string out;
  size_t chars = 0;
  for (const char c : decoded->utf8) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte & 0xC0) == 0x80) {
      continue;  // a continuation byte: its character was counted at the lead byte
    }
    if (chars == kTextSampleChars) {
      break;
    }
    out.push_back(SameInGsm7AndAscii(byte) ? c : '?');
    ++chars;
  }
  return out;
}

ReceiptInfo MakeReceiptInfo(const smpp::codec::SubmitSm& submit, std::string message_id,
                            MessageState state, std::string err, core::TimePoint submitted) {
  ReceiptInfo info;
  info.message_id = std::move(message_id);
  info.handset = submit.dest;
  info.esme = submit.source;
  info.state = state;
  info.err = std::move(err);
  info.submitted = submitted;
  info.text = ReceiptTextSample(submit);
  return info;
}

smpp::codec::DeliverSm MakeReceipt(const ReceiptInfo& info, core::TimePoint done) {
  smpp::codec::DeliveryReceipt receipt;
  receipt.message_id = info.message_id;
  receipt.state = info.state;
  receipt.err = info.err;
  receipt.submit_date = info.submitted;
  receipt.done_date = done;
  receipt.text = info.text;
  const std::string text = smpp::codec::FormatReceiptText(receipt);

  smpp::codec::DeliverSm sm;
  sm.source = info.handset;
  sm.dest = info.esme;
  sm.esm_class = smpp::codec::kEsmClassDeliveryReceipt;
  sm.short_message.assign(text.begin(), text.end());
  sm.tlvs.SetCString(smpp::codec::tag::kReceiptedMessageId, info.message_id);
  sm.tlvs.SetU8(smpp::codec::tag::kMessageState, static_cast<uint8_t>(info.state));
  if (info.state == MessageState::kUndeliverable) {
    uint16_t code = 0;
    std::from_chars(info.err.data(), info.err.data() + info.err.size(), code);
    smpp::codec::SetNetworkErrorCode(sm.tlvs, {kNetworkTypeGsm, code});
  }
  return sm;
}

}  // namespace smsgw::smsc_sim
