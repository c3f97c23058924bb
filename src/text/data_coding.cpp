#include "text/data_coding.h"

namespace smsgw::text {
namespace {

// TS 23.038 §4, groups 00xx and 01xx: bit 5 = compressed, bits 3..2 = alphabet.
Alphabet GeneralGroupAlphabet(uint8_t dcs) {
  if ((dcs & 0x20) != 0) {
    return Alphabet::kUnsupported;
  }
  switch ((dcs >> 2) & 0x03) {
    case 0:
      return Alphabet::kGsm7;
    case 1:
      return Alphabet::kBinary;
    case 2:
      return Alphabet::kUcs2;
    default:
      return Alphabet::kUnsupported;
  }
}

// SMPP 3.4 §5.2.19, values 0x00..0x0F.
Alphabet SmppAlphabet(uint8_t data_coding) {
  switch (data_coding) {
    case 0x00:
      return Alphabet::kGsm7;
    case 0x01:
      return Alphabet::kAscii;
    case 0x02:
    case 0x04:
      return Alphabet::kBinary;
    case 0x03:
      return Alphabet::kLatin1;
    case 0x08:
      return Alphabet::kUcs2;
    default:
      return Alphabet::kUnsupported;
  }
}

}  // namespace

uint8_t DataCodingFor(core::Encoding encoding, bool flash) {
  uint8_t base = kDataCodingDefault;
  switch (encoding) {
    case core::Encoding::kGsm7:
      base = kDataCodingDefault;
      break;
    case core::Encoding::kUcs2:
      base = kDataCodingUcs2;
      break;
    case core::Encoding::kBinary:
      base = kDataCodingBinary;
      break;
  }
  return flash ? static_cast<uint8_t>(base | kDataCodingClassFlag) : base;
}

Alphabet AlphabetOf(uint8_t dcs) {
  if (dcs < 0x10) {
    return SmppAlphabet(dcs);
  }
  if (dcs < 0x80) {
    return GeneralGroupAlphabet(dcs);  // groups 00xx and 01xx (marked for deletion)
  }
  if (dcs < 0xC0) {
    return Alphabet::kUnsupported;  // reserved groups 1000..1011
  }
  if (dcs < 0xE0) {
    return Alphabet::kGsm7;  // message waiting indication, discard / store, GSM-7
  }
  if (dcs < 0xF0) {
    return Alphabet::kUcs2;  // message waiting indication, store, UCS-2
  }
  // Group 1111: bit 2 = 8-bit data, bits 1..0 = class.
  return (dcs & 0x04) != 0 ? Alphabet::kBinary : Alphabet::kGsm7;
}

bool IsFlash(uint8_t dcs) {
  const bool general_with_class = dcs >= 0x10 && dcs < 0x80 && (dcs & 0x10) != 0;
  const bool class_group = dcs >= 0xF0;
  return (general_with_class || class_group) && (dcs & 0x03) == 0;
}

}  // namespace smsgw::text
