#include "text/smart_encoding.h"

#include <algorithm>
#include <array>

#include "text/utf8.h"

namespace smsgw::text {
namespace {

// Sorted by code point (checked below at compile time). Keep README.md in step.
constexpr std::array<SmartReplacement, 45> kSmartReplacements = {{
    {0x0060, "'", "GRAVE ACCENT"},  // ASCII, but GSM 0x60 is '¿'
    {0x00A0, " ", "NO-BREAK SPACE"},
    {0x00AB, "\"", "LEFT-POINTING DOUBLE ANGLE QUOTATION MARK"},
    {0x00AD, "", "SOFT HYPHEN"},
    {0x00B4, "'", "ACUTE ACCENT"},
    {0x00BB, "\"", "RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK"},
    {0x00D7, "x", "MULTIPLICATION SIGN"},
    {0x02BC, "'", "MODIFIER LETTER APOSTROPHE"},
    {0x02C6, "^", "MODIFIER LETTER CIRCUMFLEX ACCENT"},
    {0x02DC, "~", "SMALL TILDE"},
    {0x2000, " ", "EN QUAD"},
    {0x2001, " ", "EM QUAD"},
    {0x2002, " ", "EN SPACE"},
    {0x2003, " ", "EM SPACE"},
    {0x2004, " ", "THREE-PER-EM SPACE"},
    {0x2005, " ", "FOUR-PER-EM SPACE"},
    {0x2006, " ", "SIX-PER-EM SPACE"},
    {0x2007, " ", "FIGURE SPACE"},
    {0x2008, " ", "PUNCTUATION SPACE"},
    {0x2009, " ", "THIN SPACE"},
    {0x200A, " ", "HAIR SPACE"},
    {0x200B, "", "ZERO WIDTH SPACE"},
    {0x2010, "-", "HYPHEN"},
    {0x2011, "-", "NON-BREAKING HYPHEN"},
    {0x2012, "-", "FIGURE DASH"},
    {0x2013, "-", "EN DASH"},
    {0x2014, "-", "EM DASH"},
    {0x2015, "-", "HORIZONTAL BAR"},
    {0x2018, "'", "LEFT SINGLE QUOTATION MARK"},
    {0x2019, "'", "RIGHT SINGLE QUOTATION MARK"},
    {0x201A, "'", "SINGLE LOW-9 QUOTATION MARK"},
    {0x201B, "'", "SINGLE HIGH-REVERSED-9 QUOTATION MARK"},
    {0x201C, "\"", "LEFT DOUBLE QUOTATION MARK"},
    {0x201D, "\"", "RIGHT DOUBLE QUOTATION MARK"},
    {0x201E, "\"", "DOUBLE LOW-9 QUOTATION MARK"},
    {0x201F, "\"", "DOUBLE HIGH-REVERSED-9 QUOTATION MARK"},
    {0x2022, "-", "BULLET"},
    {0x2026, "...", "HORIZONTAL ELLIPSIS"},
    {0x202F, " ", "NARROW NO-BREAK SPACE"},
    {0x2032, "'", "PRIME"},
    {0x2033, "\"", "DOUBLE PRIME"},
    {0x2039, "<", "SINGLE LEFT-POINTING ANGLE QUOTATION MARK"},
    {0x203A, ">", "SINGLE RIGHT-POINTING ANGLE QUOTATION MARK"},
    {0x2212, "-", "MINUS SIGN"},
    {0xFEFF, "", "ZERO WIDTH NO-BREAK SPACE"},
}};

constexpr bool IsSorted() {
  for (size_t i = 1; i < kSmartReplacements.size(); ++i) {
    if (kSmartReplacements[i - 1].from >= kSmartReplacements[i].from) {
      return false;
    }
  }
  return true;
}
static_assert(IsSorted(), "kSmartReplacements must be sorted by code point for binary search");

const SmartReplacement* Find(char32_t cp) {
  const auto it =
      std::lower_bound(kSmartReplacements.begin(), kSmartReplacements.end(), cp,
                       [](const SmartReplacement& r, char32_t value) { return r.from < value; });
  return it != kSmartReplacements.end() && it->from == cp ? &*it : nullptr;
}

bool MayNeedReplacing(std::string_view utf8) {
  return std::any_of(utf8.begin(), utf8.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x80 || c == '`'; });
}

}  // namespace

std::span<const SmartReplacement> SmartReplacements() { return kSmartReplacements; }

std::string SmartReplace(std::string_view utf8) {
  // Invalid input stays as it is: removing an invisible character between stray bytes could
  // otherwise join them into valid UTF-8 that the caller never sent (found by fuzz_text_analyze).
  if (!MayNeedReplacing(utf8) || !CountCodePoints(utf8).has_value()) {
    return std::string(utf8);
  }
  std::string out;
  out.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size();) {
    const Utf8Char c = DecodeUtf8Char(utf8, i);
    const SmartReplacement* r = Find(c.code_point);
    if (r != nullptr) {
      out += r->to;
    } else {
      out.append(utf8.substr(i, c.length));
    }
    i += c.length;
  }
  return out;
}

}  // namespace smsgw::text
