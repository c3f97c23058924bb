#pragma once
// GSM 03.38 (3GPP TS 23.038 §6.2.1) default alphabet and its extension table, both directions,
// and the two wire forms of GSM-7 text: one septet per octet (what SMPP data_coding 0 carries)
// and packed septets (3GPP TS 23.038 §6.1.2.1.1), optionally after a UDH with fill bits
// (3GPP TS 23.040 §9.2.3.24). Pure functions over constant tables; thread-safe.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace smsgw::text {

// TS 23.038 §6.2.1.1: 0x1B in the default table escapes to the extension table.
inline constexpr uint8_t kGsmEscape = 0x1B;
// TS 23.038 §6.1.2.3.1: <CR> pads a packed message whose last octet would otherwise carry
// seven zero bits that a receiver would read as '@'.
inline constexpr uint8_t kGsmCarriageReturn = 0x0D;

// Where a character lives in GSM-7: septets == 0 means "not representable", 1 means the
// default table (code), 2 means ESC followed by `code` from the extension table.
struct GsmCode {
  uint8_t septets = 0;
  uint8_t code = 0;
};

// Reverse table for code points below 256 (ASCII and Latin-1, almost all traffic), derived at
// compile time from the forward tables in gsm7.cpp. Exposed so lookups inline on hot paths.
extern const std::array<GsmCode, 256> kGsmLatin1Lookup;
GsmCode LookupGsm7Above255(char32_t code_point);

// O(1): one table load below 256, a short switch above.
inline GsmCode LookupGsm7(char32_t code_point) {
  return code_point < 256 ? kGsmLatin1Lookup[code_point] : LookupGsm7Above255(code_point);
}

// Septets a code point costs (0 = not GSM-7, 1, or 2 for extension characters).
inline int GsmSeptets(char32_t code_point) { return LookupGsm7(code_point).septets; }

// The character of a default-table septet; 0 for 0x1B, the escape, which has none. Only the
// low seven bits of `septet` are used.
char32_t GsmDefaultChar(uint8_t septet);
// The character of an extension-table septet, or 0 when that code is unassigned.
char32_t GsmExtensionChar(uint8_t septet);

// UTF-8 → septets, one per octet, escapes included. Errors for invalid UTF-8 and for the
// first character GSM-7 cannot carry (the message names it).
core::Result<std::vector<uint8_t>> EncodeGsm7(std::string_view utf8);

// Septets (one per octet) → UTF-8. Never fails: an octet above 0x7F becomes U+FFFD; an escape
// before an unassigned extension code yields the default-table character (TS 23.038 §6.2.1.1
// note), ESC ESC yields a space (reserved for a further table), a trailing lone ESC is dropped.
std::string DecodeGsm7(std::span<const uint8_t> septets);

// Packs septets (each < 128; the high bit is ignored) LSB first into octets, starting
// `fill_bits` (0..6) bits into the first octet, which stay zero: that is how 7-bit user data
// continues after a UDH (TS 23.040 §9.2.3.24). Spare bits at the end are zero; a caller that
// needs the TS 23.038 §6.1.2.3.1 <CR> padding uses PackSeptetsPaddedWithCr.
std::vector<uint8_t> PackSeptets(std::span<const uint8_t> septets, int fill_bits = 0);

// As PackSeptets, for receivers that derive the septet count from the octet count (SMPP
// sm_length is in octets): seven spare bits at the end become a <CR> rather than a phantom '@'
// (TS 23.038 §6.1.2.3.1), and UnpackAllSeptets drops that <CR> again. The spec's second rule,
// doubling a wanted final <CR> that ends on an octet boundary, is not applied because it can
// push a full part past 140 octets; such a receiver loses that final, invisible <CR>.
std::vector<uint8_t> PackSeptetsPaddedWithCr(std::span<const uint8_t> septets, int fill_bits = 0);

// Number of octets PackSeptets produces.
constexpr size_t PackedLength(size_t septet_count, int fill_bits = 0) {
  return (septet_count * 7 + static_cast<size_t>(fill_bits) + 7) / 8;
}

// Unpacks exactly `septet_count` septets (e.g. TP-UDL minus the UDH's septets) that start
// `fill_bits` into `packed`. Error if the octets are too few or fill_bits is outside 0..6.
core::Result<std::vector<uint8_t>> UnpackSeptets(std::span<const uint8_t> packed,
                                                 size_t septet_count, int fill_bits = 0);

// Unpacks as many septets as the octets hold, for transports that carry no septet count
// (SMPP sm_length is in octets). When the bits end exactly on a septet boundary and the last
// septet is <CR>, it is the TS 23.038 §6.1.2.3.1 padding and is dropped. fill_bits outside
// 0..6 yields an empty result.
std::vector<uint8_t> UnpackAllSeptets(std::span<const uint8_t> packed, int fill_bits = 0);

}  // namespace smsgw::text
