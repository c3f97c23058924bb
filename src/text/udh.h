#pragma once
// The User Data Header of TS 23.040 §9.2.3.24: building the concatenation header of an
// outbound part, and parsing an inbound header with any number of information elements.
// Parsing is for untrusted bytes from an SMSC: it never reads out of bounds and reports an
// inconsistent header as an error value. Pure functions; thread-safe.
//
// Layout (octets):  UDHL | IEI IEDL data... | IEI IEDL data... | user data
//   8-bit concatenation  (IEI 0x00, §9.2.3.24.1): 05 00 03 ref  total seq
//   16-bit concatenation (IEI 0x08, §9.2.3.24.8): 06 08 04 refH refL total seq

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/result.h"

namespace smsgw::text {

// SMPP 3.4 §5.2.12: esm_class bit 6 (UDHI) says short_message starts with a UDH.
inline constexpr uint8_t kEsmClassUdhi = 0x40;
inline constexpr uint8_t kIeiConcat8 = 0x00;
inline constexpr uint8_t kIeiConcat16 = 0x08;

// Which part of which long message this is. `reference` is 0..255 unless sixteen_bit.
struct ConcatInfo {
  uint16_t reference = 0;
  uint8_t total = 0;   // parts in the message, 1..255
  uint8_t seqnum = 0;  // this part, 1..total
  bool sixteen_bit = false;

  friend bool operator==(const ConcatInfo&, const ConcatInfo&) = default;
};

// The whole UDH (UDHL included) for one concatenated part.
std::vector<uint8_t> BuildConcatUdh(const ConcatInfo& concat);

// TS 23.040 §9.2.3.24: 7-bit user data after a UDH of `udh_octets` (UDHL included) starts on
// the next septet boundary; these zero bits pad up to it (0..6).
constexpr int SeptetFillBits(size_t udh_octets) {
  return static_cast<int>((7 - (udh_octets * 8) % 7) % 7);
}
// Septets of the 160 the UDH and its fill bits take.
constexpr size_t UdhSeptets(size_t udh_octets) { return (udh_octets * 8 + 6) / 7; }

struct InformationElement {
  uint8_t iei = 0;
  std::vector<uint8_t> data;
};

struct Udh {
  size_t length = 0;  // octets of the UDH including UDHL: user data starts here
  std::vector<InformationElement> elements;  // every IE in order, unknown ones included
  // From the last valid concatenation IE (TS 23.040 §9.2.3.24: a repeated IE's last
  // occurrence wins). An IE with total 0, seqnum 0 or seqnum > total is ignored as the spec
  // requires (§9.2.3.24.1), so it leaves this empty.
  std::optional<ConcatInfo> concat;
};

// Parses the UDH at the start of `user_data`. Errors (kInvalidArgument): no bytes, UDHL
// longer than the data, an IE whose length runs past UDHL, and a concatenation IE whose IEDL
// is not 3 (8-bit) or 4 (16-bit).
core::Result<Udh> ParseUdh(std::span<const uint8_t> user_data);

}  // namespace smsgw::text
