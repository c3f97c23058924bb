#pragma once
// One part of a customer's concatenated submit (issue 17): where it belongs, read from its UDH
// (esm_class UDHI with an 8-bit IEI 0x00 or 16-bit IEI 0x08 concatenation element, TS 23.040
// §9.2.3.24.1/.8) or from its SAR TLVs (SMPP 3.4 §5.3.2.22-24), and its text octets without the
// UDH; and the submit_sm the whole message amounts to once every part is there. The PDU is
// untrusted: every length is bounded, and a part smsgw cannot place is refused with a
// command_status, never guessed at. Pure; thread-safe.

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <vector>

#include "smpp/codec/command_status.h"
#include "smpp/codec/pdu.h"

namespace smsgw::smpp_server {

// The most user data a concatenated message may have, all parts together: 4000 characters (the
// API's longest body) of up to 4 octets each in UCS-2 (a surrogate pair), so no text the API
// takes is refused for its octets, and a customer cannot stage more than this per message.
inline constexpr size_t kMaxReassembledOctets = 16'000;

struct SubmitPart {
  uint16_t reference = 0;          // 0..255 for an 8-bit UDH
  int total = 1;                   // 1..255
  int seqnum = 1;                  // 1..total
  bool from_sar = false;           // placed by the SAR TLVs (else by the UDH)
  std::vector<uint8_t> user_data;  // short_message (or message_payload) after the UDH
};

// Whether `submit` asks to be read as a part: esm_class UDHI, or any sar_* TLV.
bool IsConcatenated(const smpp::codec::SubmitSm& submit);

// `submit` as a part, when IsConcatenated. Its text is short_message, or message_payload when
// short_message is empty. A valid UDH concatenation element wins over SAR TLVs. Refused:
//   a UDH that does not parse, or one with no valid concatenation element   ESME_RINVESMCLASS
//   sar_* TLVs not all three present with 1 <= seqnum <= total              ESME_RINVOPTPARAMVAL
//   no user data, or more than kMaxReassembledOctets                        ESME_RINVMSGLEN
// Other information elements of a UDH are dropped with it (smsgw sends text, not ports).
std::expected<SubmitPart, smpp::codec::CommandStatus> ReadSubmitPart(
    const smpp::codec::SubmitSm& submit);

// The submit_sm of the whole message: `last` (the part that completed it, whose addresses,
// times, data_coding and other TLVs apply) with short_message the parts' user data joined in part
// order, without UDHI, the sar_* TLVs or message_payload, and with `registered_delivery`. The
// text is decoded from the joined octets (submit_fields.h), so a character split between parts
// (a UTF-16 surrogate pair, a GSM-7 escape and its character) is read whole.
smpp::codec::SubmitSm WholeSubmit(const smpp::codec::SubmitSm& last,
                                  std::span<const std::vector<uint8_t>> parts,
                                  uint8_t registered_delivery);

}  // namespace smsgw::smpp_server
