#pragma once
// SMSC message ids in a form that compares equal across the ways SMSCs write the same id:
// many return a hex id in submit_sm_resp and put the same number in decimal in the receipt
// ("4d2" then "1234"), or pad it with zeros ("0000001234"). Delivery stores the normalised
// id of each part and looks receipts up by the normalised receipt id. Pure; thread-safe.

#include <string>
#include <string_view>

namespace smsgw::smpp::codec {

// How an SMSC writes its ids, per connector and per direction (Kannel's msg-id-type).
enum class IdFormat {
  kAuto,     // digits only → decimal; digits and a-f/A-F (or "0x...") → hex; else opaque
  kHex,      // hex digits, optional "0x"; anything else is opaque
  kDecimal,  // decimal digits; anything else is opaque
};

// Numeric ids become the decimal digits of their value without leading zeros ("4d2",
// "0x4D2", "01234" → "1234"; "000" → "0"). Opaque ids (other characters, or more than 64
// digits) come back as given, minus surrounding whitespace. kAuto reads an all-digit id as
// decimal, so a hex id without letters only matches its decimal twin when the connector
// says kHex; identical strings always normalise identically.
std::string NormalizeMessageId(std::string_view id, IdFormat format = IdFormat::kAuto);

// NormalizeMessageId(a, a_format) == NormalizeMessageId(b, b_format).
bool SameMessageId(std::string_view a, std::string_view b, IdFormat a_format = IdFormat::kAuto,
                   IdFormat b_format = IdFormat::kAuto);

}  // namespace smsgw::smpp::codec
