#include "text/gsm7.h"

#include <array>

#include "text/utf8.h"

namespace smsgw::text {
namespace {

// TS 23.038 §6.2.1: the default alphabet, indexed by septet. 0x1B is the escape (no
// character of its own); it is kept as 0 here and never looked up by the decoder.
constexpr std::array<char32_t, 128> kDefaultTable = {
    U'@', U'£', U'$',  U'¥', U'è', U'é',  U'ù', U'ì',   // 0x00
    U'ò', U'Ç', U'\n', U'Ø', U'ø', U'\r', U'Å', U'å',   // 0x08
    U'Δ', U'_', U'Φ',  U'Γ', U'Λ', U'Ω',  U'Π', U'Ψ',   // 0x10
    U'Σ', U'Θ', U'Ξ',  0,    U'Æ', U'æ',  U'ß', U'É',   // 0x18
    U' ', U'!', U'"',  U'#', U'¤', U'%',  U'&', U'\'',  // 0x20
    U'(', U')', U'*',  U'+', U',', U'-',  U'.', U'/',   // 0x28
    U'0', U'1', U'2',  U'3', U'4', U'5',  U'6', U'7',   // 0x30
    U'8', U'9', U':',  U';', U'<', U'=',  U'>', U'?',   // 0x38
    U'¡', U'A', U'B',  U'C', U'D', U'E',  U'F', U'G',   // 0x40
    U'H', U'I', U'J',  U'K', U'L', U'M',  U'N', U'O',   // 0x48
    U'P', U'Q', U'R',  U'S', U'T', U'U',  U'V', U'W',   // 0x50
    U'X', U'Y', U'Z',  U'Ä', U'Ö', U'Ñ',  U'Ü', U'§',   // 0x58
    U'¿', U'a', U'b',  U'c', U'd', U'e',  U'f', U'g',   // 0x60
    U'h', U'i', U'j',  U'k', U'l', U'm',  U'n', U'o',   // 0x68
    U'p', U'q', U'r',  U's', U't', U'u',  U'v', U'w',   // 0x70
    U'x', U'y', U'z',  U'ä', U'ö', U'ñ',  U'ü', U'à',   // 0x78
};

// TS 23.038 §6.2.1.1: the extension table (after ESC). Unlisted codes are unassigned; 0x0D
// (CR2) and 0x1B (a further escape) are reserved and have no character.
struct Extension {
  uint8_t code;
  char32_t ch;
};
constexpr std::array<Extension, 10> kExtensionTable = {{
    {0x0A, U'\f'},
    {0x14, U'^'},
    {0x28, U'{'},
    {0x29, U'}'},
    {0x2F, U'\\'},
    {0x3C, U'['},
    {0x3D, U'~'},
    {0x3E, U']'},
    {0x40, U'|'},
    {0x65, U'€'},
}};

constexpr std::array<char32_t, 128> BuildExtensionByCode() {
  std::array<char32_t, 128> table{};
  for (const Extension& e : kExtensionTable) {
    table[e.code] = e.ch;
  }
  return table;
}
constexpr std::array<char32_t, 128> kExtensionByCode = BuildExtensionByCode();

// Reverse lookup for code points below 256, derived from the tables above at compile time so
// the two directions cannot disagree. This covers ASCII and Latin-1, i.e. almost all traffic.
constexpr std::array<GsmCode, 256> BuildLatin1Lookup() {
  std::array<GsmCode, 256> table{};
  for (uint8_t code = 0; code < 128; ++code) {
    const char32_t ch = kDefaultTable[code];
    if (code != kGsmEscape && ch < 256) {
      table[ch] = {1, code};
    }
  }
  for (const Extension& e : kExtensionTable) {
    if (e.ch < 256) {
      table[e.ch] = {2, e.code};
    }
  }
  return table;
}
}  // namespace

constexpr std::array<GsmCode, 256> kGsmLatin1Lookup = BuildLatin1Lookup();

GsmCode LookupGsm7Above255(char32_t cp) {
  switch (cp) {
    case U'Δ':
      return {1, 0x10};
    case U'Φ':
      return {1, 0x12};
    case U'Γ':
      return {1, 0x13};
    case U'Λ':
      return {1, 0x14};
    case U'Ω':
      return {1, 0x15};
    case U'Π':
      return {1, 0x16};
    case U'Ψ':
      return {1, 0x17};
    case U'Σ':
      return {1, 0x18};
    case U'Θ':
      return {1, 0x19};
    case U'Ξ':
      return {1, 0x1A};
    case U'€':
      return {2, 0x65};
    default:
      return {};
  }
}

namespace {

// Appends `count` bits of `value` (LSB first) to a little-endian bit stream.
class BitWriter {
 public:
  explicit BitWriter(std::vector<uint8_t>& out) : out_(out) {}
  void Put(uint32_t value, int count) {
    for (int i = 0; i < count; ++i) {
      if (bit_ == 0) {
        out_.push_back(0);
      }
      out_.back() |= static_cast<uint8_t>(((value >> i) & 1) << bit_);
      bit_ = (bit_ + 1) % 8;
    }
  }
  int SpareBits() const { return bit_ == 0 ? 0 : 8 - bit_; }

 private:
  std::vector<uint8_t>& out_;
  int bit_ = 0;
};

uint8_t SeptetAt(std::span<const uint8_t> packed, size_t bit_offset) {
  const size_t byte = bit_offset / 8;
  const unsigned shift = bit_offset % 8;
  unsigned value = packed[byte] >> shift;
  if (shift > 1) {
    value |= static_cast<unsigned>(packed[byte + 1]) << (8 - shift);
  }
  return static_cast<uint8_t>(value & 0x7F);
}

std::vector<uint8_t> UnpackUnchecked(std::span<const uint8_t> packed, size_t count, int fill) {
  std::vector<uint8_t> septets;
  septets.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    septets.push_back(SeptetAt(packed, static_cast<size_t>(fill) + 7 * i));
  }
  return septets;
}

}  // namespace

char32_t GsmDefaultChar(uint8_t septet) { return kDefaultTable[septet & 0x7F]; }

char32_t GsmExtensionChar(uint8_t septet) { return kExtensionByCode[septet & 0x7F]; }

core::Result<std::vector<uint8_t>> EncodeGsm7(std::string_view utf8) {
  std::vector<uint8_t> septets;
  septets.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size();) {
    const Utf8Char c = DecodeUtf8Char(utf8, i);
    if (c.length == 0) {
      return std::unexpected(Utf8Error(i, c));
    }
    const GsmCode g = LookupGsm7(c.code_point);
    if (g.septets == 0) {
      return core::MakeError(core::Errc::kInvalidArgument,
                             "GSM-7 cannot carry " + DescribeCodePoint(c.code_point));
    }
    if (g.septets == 2) {
      septets.push_back(kGsmEscape);
    }
    septets.push_back(g.code);
    i += c.length;
  }
  return septets;
}

std::string DecodeGsm7(std::span<const uint8_t> septets) {
  std::string out;
  out.reserve(septets.size());
  for (size_t i = 0; i < septets.size(); ++i) {
    const uint8_t s = septets[i];
    if (s > 0x7F) {
      AppendUtf8(out, kReplacementChar);
    } else if (s != kGsmEscape) {
      AppendUtf8(out, kDefaultTable[s]);
    } else if (i + 1 < septets.size()) {
      const uint8_t next = septets[++i];
      if (next > 0x7F) {
        AppendUtf8(out, kReplacementChar);
      } else if (next == kGsmEscape) {
        out.push_back(' ');
      } else if (const char32_t ext = kExtensionByCode[next]; ext != 0) {
        AppendUtf8(out, ext);
      } else {
        AppendUtf8(out, kDefaultTable[next]);
      }
    }
  }
  return out;
}

std::vector<uint8_t> PackSeptets(std::span<const uint8_t> septets, int fill_bits) {
  std::vector<uint8_t> out;
  out.reserve(PackedLength(septets.size(), fill_bits));
  BitWriter writer(out);
  writer.Put(0, fill_bits);
  for (uint8_t s : septets) {
    writer.Put(s & 0x7F, 7);
  }
  return out;
}

std::vector<uint8_t> PackSeptetsPaddedWithCr(std::span<const uint8_t> septets, int fill_bits) {
  std::vector<uint8_t> out = PackSeptets(septets, fill_bits);
  if ((septets.size() * 7 + static_cast<size_t>(fill_bits)) % 8 == 1) {
    out.back() |= static_cast<uint8_t>(kGsmCarriageReturn << 1);
  }
  return out;
}

core::Result<std::vector<uint8_t>> UnpackSeptets(std::span<const uint8_t> packed,
                                                 size_t septet_count, int fill_bits) {
  if (fill_bits < 0 || fill_bits > 6) {
    return core::MakeError(core::Errc::kInvalidArgument, "fill bits must be 0..6");
  }
  const size_t bits = packed.size() * 8;
  const size_t available =
      bits < static_cast<size_t>(fill_bits) ? 0 : (bits - static_cast<size_t>(fill_bits)) / 7;
  if (septet_count > available) {
    return core::MakeError(
        core::Errc::kInvalidArgument,
        "packed GSM-7 data holds fewer than " + std::to_string(septet_count) + " septets");
  }
  return UnpackUnchecked(packed, septet_count, fill_bits);
}

std::vector<uint8_t> UnpackAllSeptets(std::span<const uint8_t> packed, int fill_bits) {
  if (fill_bits < 0 || fill_bits > 6 || packed.empty()) {
    return {};
  }
  const size_t bits = packed.size() * 8 - static_cast<size_t>(fill_bits);
  std::vector<uint8_t> septets = UnpackUnchecked(packed, bits / 7, fill_bits);
  if (bits % 7 == 0 && !septets.empty() && septets.back() == kGsmCarriageReturn) {
    septets.pop_back();
  }
  return septets;
}

}  // namespace smsgw::text
