#pragma once
// Strict UTF-8 decoding and encoding for SMS text. Every other file in text/ reads its input
// through DecodeUtf8Char, so "what counts as valid UTF-8" is decided here once: the
// well-formed byte sequences of Unicode 15 §3.9 Table 3-7. Rejected: stray continuation bytes,
// the never-valid lead bytes 0xC0, 0xC1 and 0xF5..0xFF, overlong forms, UTF-16 surrogates
// (ED A0..BF), code points above U+10FFFF and truncated sequences. Pure functions; thread-safe.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace smsgw::text {

// The replacement character decoders emit for input they cannot map (never a crash).
inline constexpr char32_t kReplacementChar = 0xFFFD;

// One decoded character, or (length == 0) the reason the bytes at that offset are not UTF-8.
struct Utf8Char {
  char32_t code_point = 0;
  uint8_t length = 0;           // bytes consumed; 0 on error
  const char* error = nullptr;  // static text, set when length == 0
};

// Decodes the character starting at utf8[offset]; offset must be < utf8.size(). Inline for
// the ASCII fast path; multi-byte sequences go to DecodeUtf8MultiByte.
Utf8Char DecodeUtf8MultiByte(std::string_view utf8, size_t offset);
inline Utf8Char DecodeUtf8Char(std::string_view utf8, size_t offset) {
  const auto lead = static_cast<uint8_t>(utf8[offset]);
  if (lead < 0x80) {
    return {lead, 1, nullptr};
  }
  return DecodeUtf8MultiByte(utf8, offset);
}

// The kInvalidArgument error for a failed decode at `offset`, worded for API clients:
// "invalid UTF-8 at byte offset 7: truncated sequence".
core::Error Utf8Error(size_t offset, const Utf8Char& failed);

// Number of Unicode code points, or an error naming the first invalid byte offset.
core::Result<size_t> CountCodePoints(std::string_view utf8);

// Appends the UTF-8 form of `code_point` (surrogates and values above U+10FFFF become
// U+FFFD, so the output is always valid UTF-8).
void AppendUtf8(std::string& out, char32_t code_point);

// "U+0939" (at least four hex digits), as used in error messages.
std::string FormatCodePoint(char32_t code_point);

// `'ह' (U+0939)`: the character itself when printable, then its code point. Control
// characters are shown by code point only so that error messages stay one readable line.
std::string DescribeCodePoint(char32_t code_point);

}  // namespace smsgw::text
