#include "smpp_server/receipt_pdu.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "smpp/codec/command_status.h"
#include "smpp/codec/receipt.h"
#include "smpp/codec/tlv.h"
#include "smpp_server/message_id_form.h"

namespace smsgw::smpp_server {

namespace codec = smpp::codec;

namespace {

// §5.2.8-9: source_addr and destination_addr of a deliver_sm are at most 20 characters.
constexpr size_t kMaxAddress = 20;
// §5.3.2.12: receipted_message_id is at most 64 characters.
constexpr size_t kMaxMessageId = 64;

// Whether the octet `c` reads as the same character in ASCII (IA5) and in the GSM 03.38 default
// alphabet one septet per octet (data_coding 0, §5.2.19): the receipt text then reads the same
// whichever the customer assumes. '$', '@', [\]^_` and {|}~ differ.
bool SameInGsmAndAscii(unsigned char c) {
  return (c >= 0x20 && c <= 0x23) || (c >= 0x25 && c <= 0x3F) || (c >= 0x41 && c <= 0x5A) ||
         (c >= 0x61 && c <= 0x7A);
}

}  // namespace

ReceiptError ReceiptErrorOf(const store::SmppOutboxJob& job) {
  ReceiptError out;
  if (job.state != core::MessageState::kUndelivered && job.state != core::MessageState::kNotSent) {
    return out;
  }
  if (!job.err.empty()) {
    std::string kept;
    for (const char c : job.err) {
      if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
        kept.push_back(c);
      } else if (c >= 'a' && c <= 'z') {
        kept.push_back(static_cast<char>(c - 'a' + 'A'));
      }
    }
    if (!kept.empty()) {
      out.err = kept.size() >= 3 ? kept.substr(kept.size() - 3)
                                 : std::string(3 - kept.size(), '0') + kept;
      uint32_t value = 0;
      const char* end = job.err.data() + job.err.size();
      const auto [at, ec] = std::from_chars(job.err.data(), end, value);
      if (ec == std::errc() && at == end && value > 0 && value <= 0xFFFF) {
        out.network =
            codec::NetworkErrorCode{kNetworkTypeMessageCenter, static_cast<uint16_t>(value)};
      }
      return out;
    }
  }
  if (const std::optional<uint32_t> status = codec::EsmeStatusOf(job.details);
      status && *status != 0 && *status <= 0xFFF) {
    char hex[4];
    std::snprintf(hex, sizeof hex, "%03X", static_cast<unsigned>(*status));
    out.err = hex;
    out.network = codec::NetworkErrorCode{kNetworkTypeSmppError, static_cast<uint16_t>(*status)};
  }
  return out;
}

codec::Address DeliverAddress(std::string_view addr) {
  if (addr.size() > 1 && addr.front() == '+') {
    addr.remove_prefix(1);  // "+E.164" as an SMSC may have sent it: TON 1 says international
  }
  codec::Address out;
  out.addr = std::string(addr.substr(0, kMaxAddress));
  const bool digits = !out.addr.empty() && std::all_of(out.addr.begin(), out.addr.end(),
                                                       [](char c) { return c >= '0' && c <= '9'; });
  out.ton = digits ? codec::kTonInternational : codec::kTonAlphanumeric;
  out.npi = digits ? codec::kNpiIsdn : codec::kNpiUnknown;
  return out;
}

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
  // In the form the customer's submit_sm_resp gave it.
  const std::string id = CustomerMessageId(job.message_id, job.id_format).substr(0, kMaxMessageId);
  codec::DeliveryReceipt receipt;
  receipt.message_id = id;
  receipt.state = state;
  receipt.stat = std::string(codec::StatWord(state));
  const ReceiptError error = ReceiptErrorOf(job);
  receipt.err = error.err;
  receipt.submitted = 1;
  receipt.delivered = state == codec::MessageState::kDelivered ? 1 : 0;
  receipt.submit_date = job.submitted_at;
  receipt.done_date = job.at;
  receipt.text = ReceiptTextExcerpt(job.body);

  codec::DeliverSm pdu;
  // The receipt comes from the handset the message went to, for the sender that sent it.
  pdu.source = DeliverAddress(job.recipient);
  pdu.dest = DeliverAddress(job.sender);
  pdu.esm_class = job.state == core::MessageState::kSubmitted
                      ? codec::kEsmClassIntermediateNotification
                      : codec::kEsmClassDeliveryReceipt;
  const std::string text = codec::FormatReceiptText(receipt);
  pdu.short_message.assign(text.begin(), text.end());
  pdu.tlvs.SetCString(codec::tag::kReceiptedMessageId, id);
  pdu.tlvs.SetU8(codec::tag::kMessageState, static_cast<uint8_t>(state));
  if (error.network) {
    codec::SetNetworkErrorCode(pdu.tlvs, *error.network);
  }
  return pdu;
}

}  // namespace smsgw::smpp_server
