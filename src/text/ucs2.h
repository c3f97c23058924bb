#pragma once
// UCS-2 as SMS carries it today: UTF-16 big-endian (SMPP data_coding 8, TS 23.038 §6.2.3).
// Characters outside the BMP travel as surrogate pairs, which cost two UTF-16 code units of the
// 70/67 budget. Pure functions; thread-safe.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace smsgw::text {

// UTF-16 code units a code point needs (2 outside the BMP).
constexpr int Utf16Units(char32_t code_point) { return code_point > 0xFFFF ? 2 : 1; }

// Appends the UTF-16BE bytes of one code point (2 or 4 bytes).
void AppendUtf16Be(std::vector<uint8_t>& out, char32_t code_point);

// UTF-8 → UTF-16BE bytes. Error only for invalid UTF-8 (naming the byte offset).
core::Result<std::vector<uint8_t>> EncodeUcs2(std::string_view utf8);

// UTF-16BE bytes → UTF-8. Never fails: an unpaired surrogate and a trailing odd byte each
// become U+FFFD.
std::string DecodeUcs2(std::span<const uint8_t> utf16be);

}  // namespace smsgw::text
