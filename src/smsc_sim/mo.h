#pragma once
// Mobile-originated messages the simulator injects (POST /mo on the control endpoint, or
// Simulator::InjectMo): the JSON request, and the deliver_sm parts of one MO, encoded and split
// with src/text exactly like an outbound message (GSM-7 one septet per octet or UCS-2; several
// parts with an 8- or 16-bit UDH, or with sar_* TLVs). Pure functions; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/message.h"
#include "core/result.h"
#include "smpp/codec/pdu.h"
#include "text/encoding.h"
#include "text/segmenter.h"

namespace smsgw::smsc_sim {

struct MoRequest {
  std::string from;  // the handset, "+14155550100"
  std::string to;    // the number it wrote to, "56767"
  std::string text;  // UTF-8
  text::UnicodeMode encoding = text::UnicodeMode::kAuto;
  std::string system_id{};  // the receiver's system_id; empty = any bound receiver
  // How a text longer than one part is split (kUdh8, kUdh16 or kSar).
  text::ConcatMethod concat = text::ConcatMethod::kUdh8;
};

// {"from": "+14155550100", "to": "56767", "text": "...", "encoding": "auto"|"gsm7"|"ucs2",
//  "system_id": "...", "concat": "udh8"|"udh16"|"sar"}; from, to and text are required, the
// rest optional. Errors (kInvalidArgument) name the offending field; unknown fields are errors.
core::Result<MoRequest> ParseMoRequest(std::string_view json);

struct MoMessage {
  core::Encoding encoding = core::Encoding::kGsm7;
  std::vector<smpp::codec::DeliverSm> parts;  // at least one
};

// The deliver_sm of each part: source `from`, destination `to` (TON/NPI by
// codec::MakeAddress), data_coding 0x00 or 0x08, UDHI set when a part starts with a UDH.
// `reference` numbers the parts' concatenation (below 256 for kUdh8). Errors
// (kInvalidArgument): text that is not valid UTF-8 or that GSM-7 cannot carry when gsm7 was
// asked for, an empty or over-long (above 20 characters) address, more than 255 parts.
core::Result<MoMessage> BuildMo(const MoRequest& request, uint16_t reference);

// What InjectMo sent, and the JSON the control endpoint answers with:
// {"system_id": "smsgw", "connection": 3, "encoding": "UCS2", "parts": 2,
//  "sequence_numbers": [7, 8]}
struct MoSent {
  std::string system_id;
  uint64_t connection = 0;
  core::Encoding encoding = core::Encoding::kGsm7;
  std::vector<uint32_t> sequence_numbers;
};
std::string MoSentJson(const MoSent& sent);

}  // namespace smsgw::smsc_sim
