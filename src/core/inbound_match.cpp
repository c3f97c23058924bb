#include "core/inbound_match.h"

#include <cstdint>

namespace smsgw::core {
namespace {

// One UTF-8 sequence decoded: its code point and length. A byte that starts no valid sequence
// is taken alone, as a code point no rule below touches.
struct CodePoint {
  uint32_t value = 0;
  size_t length = 1;
};

CodePoint Decode(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t b0 = byte(i);
  size_t length = 0;
  uint32_t value = 0;
  if (b0 < 0x80) {
    return {b0, 1};
  } else if ((b0 & 0xE0) == 0xC0) {
    length = 2;
    value = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3;
    value = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4;
    value = b0 & 0x07;
  } else {
    return {0xFFFFFFFF, 1};
  }
  if (i + length > s.size()) {
    return {0xFFFFFFFF, 1};
  }
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      return {0xFFFFFFFF, 1};
    }
    value = value << 6 | (byte(i + k) & 0x3F);
  }
  return {value, length};
}

void Encode(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | cp >> 6));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | cp >> 12));
    out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Unicode White_Space (all of it: the GSM and UCS-2 repertoires hold only part).
bool IsSpace(uint32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

// ASCII and Latin-1 letters upper-cased; ß has no one-letter capital and stays.
uint32_t ToUpper(uint32_t cp) {
  if (cp >= 'a' && cp <= 'z') {
    return cp - 0x20;
  }
  if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7) {
    return cp - 0x20;
  }
  if (cp == 0xFF) {
    return 0x178;  // ÿ -> Ÿ
  }
  return cp;
}

}  // namespace

std::string FirstWord(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const CodePoint c = Decode(text, i);
    if (!IsSpace(c.value)) {
      break;
    }
    i += c.length;
  }
  std::string word;
  while (i < text.size()) {
    const CodePoint c = Decode(text, i);
    if (IsSpace(c.value)) {
      break;
    }
    const uint32_t upper = ToUpper(c.value);
    if (upper == c.value) {
      word.append(text.substr(i, c.length));  // as it was, invalid bytes included
    } else {
      Encode(upper, word);
    }
    i += c.length;
  }
  return word;
}

std::optional<size_t> MatchInbound(std::span<const InboundCandidate> candidates,
                                   std::string_view text, TimePoint now) {
  const std::string word = FirstWord(text);
  std::optional<size_t> fallback;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const InboundCandidate& c = candidates[i];
    if (c.expires_at && *c.expires_at <= now) {
      continue;
    }
    if (c.keyword.empty()) {
      if (!fallback) {
        fallback = i;
      }
      continue;
    }
    if (!word.empty() && FirstWord(c.keyword) == word) {
      return i;
    }
  }
  return fallback;
}

}  // namespace smsgw::core
