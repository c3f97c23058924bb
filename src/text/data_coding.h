#pragma once
// The SMPP data_coding octet (SMPP 3.4 §5.2.19), which for values from 0x10 up follows the
// GSM Data Coding Scheme (TS 23.038 §4). Outbound we send 0x00 / 0x08, or 0x10 / 0x18 for
// flash (class 0, shown and not stored); inbound we map any value to the alphabet it carries.
// Pure functions; thread-safe.

#include <cstdint>

#include "core/message.h"

namespace smsgw::text {

inline constexpr uint8_t kDataCodingDefault = 0x00;  // SMSC default alphabet: GSM 03.38
inline constexpr uint8_t kDataCodingIa5 = 0x01;      // IA5 (CCITT T.50) / ASCII
inline constexpr uint8_t kDataCodingBinary = 0x04;   // octet unspecified (8-bit binary)
inline constexpr uint8_t kDataCodingLatin1 = 0x03;   // ISO-8859-1
inline constexpr uint8_t kDataCodingUcs2 = 0x08;     // ISO/IEC-10646 UCS-2 (UTF-16BE)
// TS 23.038 §4 general data coding group 00x1: bits 1..0 give the class; class 0 = flash.
inline constexpr uint8_t kDataCodingClassFlag = 0x10;

// data_coding for an outbound message: kGsm7 → 0x00 / 0x10 (flash), kUcs2 → 0x08 / 0x18,
// kBinary → 0x04 / 0x14.
uint8_t DataCodingFor(core::Encoding encoding, bool flash);

// What the octets of a message with this data_coding mean.
enum class Alphabet {
  kGsm7,         // GSM 03.38 septets
  kAscii,        // IA5
  kLatin1,       // ISO-8859-1
  kUcs2,         // UTF-16BE
  kBinary,       // 8-bit data, not text
  kUnsupported,  // a text alphabet we do not decode (JIS, Cyrillic, Hebrew, compressed, ...)
};
Alphabet AlphabetOf(uint8_t data_coding);

// True when data_coding marks a class 0 (flash) message.
bool IsFlash(uint8_t data_coding);

}  // namespace smsgw::text
