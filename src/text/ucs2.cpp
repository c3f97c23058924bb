#include "text/ucs2.h"

#include "text/utf8.h"

namespace smsgw::text {
namespace {

constexpr bool IsHighSurrogate(char32_t u) { return u >= 0xD800 && u <= 0xDBFF; }
constexpr bool IsLowSurrogate(char32_t u) { return u >= 0xDC00 && u <= 0xDFFF; }

void PutUnit(std::vector<uint8_t>& out, char32_t unit) {
  out.push_back(static_cast<uint8_t>(unit >> 8));
  out.push_back(static_cast<uint8_t>(unit & 0xFF));
}

char32_t UnitAt(std::span<const uint8_t> bytes, size_t index) {
  return (static_cast<char32_t>(bytes[2 * index]) << 8) | bytes[2 * index + 1];
}

}  // namespace

void AppendUtf16Be(std::vector<uint8_t>& out, char32_t cp) {
  if (cp <= 0xFFFF) {
    PutUnit(out, cp);
    return;
  }
  const char32_t v = cp - 0x10000;
  PutUnit(out, 0xD800 + (v >> 10));
  PutUnit(out, 0xDC00 + (v & 0x3FF));
}

core::Result<std::vector<uint8_t>> EncodeUcs2(std::string_view utf8) {
  std::vector<uint8_t> out;
  out.reserve(utf8.size() * 2);
  for (size_t i = 0; i < utf8.size();) {
    const Utf8Char c = DecodeUtf8Char(utf8, i);
    if (c.length == 0) {
      return std::unexpected(Utf8Error(i, c));
    }
    AppendUtf16Be(out, c.code_point);
    i += c.length;
  }
  return out;
}

std::string DecodeUcs2(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve(bytes.size() * 3 / 2);
  const size_t units = bytes.size() / 2;
  for (size_t i = 0; i < units; ++i) {
    const char32_t unit = UnitAt(bytes, i);
    if (IsHighSurrogate(unit) && i + 1 < units && IsLowSurrogate(UnitAt(bytes, i + 1))) {
      const char32_t low = UnitAt(bytes, ++i);
      AppendUtf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
    } else {
      // AppendUtf8 turns a lone surrogate into U+FFFD.
      AppendUtf8(out, unit);
    }
  }
  if (bytes.size() % 2 != 0) {
    AppendUtf8(out, kReplacementChar);
  }
  return out;
}

}  // namespace smsgw::text
