#include "smpp_server/receipt_pdu.h"

#include <algorithm>

#include "smpp/codec/receipt.h"
#include "smpp/codec/tlv.h"

namespace smsgw::smpp_server {

namespace codec = smpp::codec;

namespace {

// §5.2.8-9: source_addr and destination_addr of a deliver_sm are at most 20 characters.
constexpr size_t kMaxAddress = 20;
// §5.3.2.12: receipted_message_id is at most 64 characters.
constexpr size_t kMaxMessageId = 64;

// A number goes as international E.164 (TON 1, NPI 1); an alphanumeric sender as TON 5.
codec::Address AddressOf(std::string_view addr) {
  codec::Address out;
  out.addr = std::string(addr.substr(0, kMaxAddress));
  const bool digits = !out.addr.empty() && std::all_of(out.addr.begin(), out.addr.end(),
                                                       [](char c) { return c >= '0' && c <= '9'; });
  out.ton = digits ? codec::kTonInternational : codec::kTonAlphanumeric;
  out.npi = digits ? codec::kNpiIsdn : codec::kNpiUnknown;
  return out;
}

// Whether the octet `c` reads as the same character in ASCII (IA5) and in the GSM 03.38 default
// alphabet one septet per octet (data_coding 0, §5.2.19): the receipt text then reads the same
// whichever the customer assumes. '$', '@', [\]^_` and {|}~ differ.
bool SameInGsmAndAscii(unsigned char c) {
  return (c >= 0x20 && c <= 0x23) || (c >= 0x25 && c <= 0x3F) || (c >= 0x41 && c <= 0x5A) ||
         (c >= 0x61 && c <= 0x7A);
}

}  // namespace

codec::MessageState SmppStateOf(core::MessageState state, std::string_view details) {
  switch (state) {
    case core::MessageState::kDelivered:
      return codec::MessageState::kDelivered;
    case core::MessageState::kUndelivered:
    case core::MessageState::kNotSent:
      if (details == "EXPIRED") {
        return codec::MessageState::kExpired;
      }
      if (details == "CANCELLED") {
        return codec::MessageState::kDeleted;
      }
      return codec::MessageState::kUndeliverable;
    case core::MessageState::kQueued:
    case core::MessageState::kScheduled:
    case core::MessageState::kSubmitting:
    case core::MessageState::kSubmitted:
      break;
  }
  return codec::MessageState::kEnroute;
}

std::string ReceiptTextExcerpt(std::string_view text, size_t n) {
  std::string out;
  for (size_t i = 0; i < text.size() && out.size() < n; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) == 0x80) {
      continue;  // a continuation byte: its character is already written
    }
    out += SameInGsmAndAscii(c) ? static_cast<char>(c) : '?';
  }
  return out;
}

codec::DeliverSm ReceiptDeliverSm(const store::SmppOutboxJob& job) {
  const codec::MessageState state = SmppStateOf(job.state, job.details);
  const std::string id = job.message_id.substr(0, kMaxMessageId);
  codec::DeliveryReceipt receipt;
  receipt.message_id = id;
  receipt.state = state;
  receipt.stat = std::string(codec::StatWord(state));
  receipt.err = "000";
  receipt.submitted = 1;
  receipt.delivered = state == codec::MessageState::kDelivered ? 1 : 0;
  receipt.submit_date = job.submitted_at;
  receipt.done_date = job.at;
  receipt.text = ReceiptTextExcerpt(job.body);

  codec::DeliverSm pdu;
  // The receipt comes from the handset the message went to, for the sender that sent it.
  pdu.source = AddressOf(job.recipient);
  pdu.dest = AddressOf(job.sender);
  pdu.esm_class = job.state == core::MessageState::kSubmitted
                      ? codec::kEsmClassIntermediateNotification
                      : codec::kEsmClassDeliveryReceipt;
  const std::string text = codec::FormatReceiptText(receipt);
  pdu.short_message.assign(text.begin(), text.end());
  pdu.tlvs.SetCString(codec::tag::kReceiptedMessageId, id);
  pdu.tlvs.SetU8(codec::tag::kMessageState, static_cast<uint8_t>(state));
  return pdu;
}

}  // namespace smsgw::smpp_server
