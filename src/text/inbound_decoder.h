#pragma once
// Decodes the text of an inbound (MO) deliver_sm: short_message (or message_payload) bytes plus
// data_coding and the esm_class UDHI flag → UTF-8 and, for a concatenated part, what
// reassembly needs (reference, part count, part number). The bytes come from an SMSC and are
// untrusted: decoding never crashes; an undecodable character becomes U+FFFD and a malformed
// UDH or a non-text data_coding is an error value. Pure functions; thread-safe.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "text/data_coding.h"
#include "text/udh.h"

namespace smsgw::text {

struct InboundOptions {
  bool udhi = false;  // esm_class & kEsmClassUdhi: the bytes start with a UDH
  // GSM-7 arrives as packed septets rather than one septet per octet (some SMSCs, and any
  // TP-UD copied from the air interface). After a UDH the septets start after fill bits.
  bool gsm7_packed = false;
};

struct InboundText {
  std::string utf8;
  Alphabet alphabet = Alphabet::kGsm7;
  std::optional<ConcatInfo> concat;              // set for a part of a concatenated message
  std::vector<InformationElement> udh_elements;  // all IEs, for callers that need others
};

// Errors (kInvalidArgument): a malformed UDH, and data_coding values that carry binary data
// or an alphabet not decoded here (see AlphabetOf). Decoded: GSM-7 (data_coding 0, the GSM
// DCS groups), IA5/ASCII (1; octets above 0x7F → U+FFFD), Latin-1 (3), UCS-2 (8; unpaired
// surrogates → U+FFFD).
core::Result<InboundText> DecodeInbound(uint8_t data_coding, std::span<const uint8_t> bytes,
                                        const InboundOptions& options = {});

// The decoders by alphabet, for callers that already know it. Never fail.
std::string DecodeAscii(std::span<const uint8_t> bytes);
std::string DecodeLatin1(std::span<const uint8_t> bytes);

}  // namespace smsgw::text
