#include "smpp_server/mo_pdu.h"

#include <cstdint>
#include <vector>

#include "smpp/codec/tlv.h"
#include "smpp_server/receipt_pdu.h"
#include "text/gsm7.h"
#include "text/ucs2.h"
#include "text/utf8.h"

namespace smsgw::smpp_server {

namespace codec = smpp::codec;

namespace {

// §5.2.19 data_coding.
constexpr uint8_t kDataCodingDefault = 0x00;  // the SMSC default alphabet: GSM 03.38 here
constexpr uint8_t kDataCodingUcs2 = 0x08;

// `utf8` as septets (one per octet), whole characters up to `max` octets; false when a
// character has no GSM-7 code (or the text is not UTF-8).
bool ToGsm7(std::string_view utf8, size_t max, std::vector<uint8_t>& out) {
  for (size_t i = 0; i < utf8.size();) {
    const text::Utf8Char c = text::DecodeUtf8Char(utf8, i);
    if (c.length == 0) {
      return false;
    }
    const text::GsmCode code = text::LookupGsm7(c.code_point);
    if (code.septets == 0) {
      return false;
    }
    if (out.size() + code.septets <= max) {
      if (code.septets == 2) {
        out.push_back(text::kGsmEscape);
      }
      out.push_back(code.code);
    } else {
      max = out.size();  // full: the rest is only checked
    }
    i += c.length;
  }
  return true;
}

// `utf8` as UTF-16BE, whole characters up to `max` octets; a byte that is not UTF-8 becomes
// U+FFFD (the stored text is UTF-8, so that is only a safeguard).
std::vector<uint8_t> ToUcs2(std::string_view utf8, size_t max) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i < utf8.size();) {
    const text::Utf8Char c = text::DecodeUtf8Char(utf8, i);
    const char32_t code_point = c.length == 0 ? U'\uFFFD' : c.code_point;
    if (out.size() + 2 * static_cast<size_t>(text::Utf16Units(code_point)) > max) {
      break;
    }
    text::AppendUtf16Be(out, code_point);
    i += c.length == 0 ? 1 : c.length;
  }
  return out;
}

}  // namespace

codec::DeliverSm MoDeliverSm(const store::SmppOutboxJob& job) {
  codec::DeliverSm pdu;
  pdu.source = DeliverAddress(job.sender);   // the handset
  pdu.dest = DeliverAddress(job.recipient);  // the inbound number
  pdu.esm_class = 0;                         // §5.2.12: default mode, a short message
  std::vector<uint8_t> user_data;
  size_t one_sms = kMoShortGsmSeptets;
  if (ToGsm7(job.body, kMoMaxPayloadOctets, user_data)) {
    pdu.data_coding = kDataCodingDefault;
  } else {
    user_data = ToUcs2(job.body, kMoMaxPayloadOctets);
    pdu.data_coding = kDataCodingUcs2;
    one_sms = kMoShortUcs2Octets;
  }
  if (user_data.size() <= one_sms) {
    pdu.short_message = std::move(user_data);
  } else {
    // §5.2.21 / §5.3.2.32: sm_length 0 and the whole text in message_payload.
    pdu.tlvs.Set(codec::tag::kMessagePayload, std::move(user_data));
  }
  return pdu;
}

}  // namespace smsgw::smpp_server
