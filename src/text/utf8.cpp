#include "text/utf8.h"

#include <cstdio>

namespace smsgw::text {
namespace {

constexpr bool IsContinuation(uint8_t b) { return (b & 0xC0) == 0x80; }

constexpr Utf8Char Fail(const char* why) { return {0, 0, why}; }

// Unicode 15 Table 3-7: the second byte's range depends on the lead byte; that is how
// overlong forms, surrogates and values above U+10FFFF are excluded without arithmetic.
struct LeadInfo {
  uint8_t length;
  uint8_t second_min;
  uint8_t second_max;
  const char* second_error;  // what an out-of-range (but continuation) second byte means
};

constexpr LeadInfo kNoLead{0, 0, 0, nullptr};

LeadInfo ClassifyLead(uint8_t lead) {
  if (lead >= 0xC2 && lead <= 0xDF) {
    return {2, 0x80, 0xBF, nullptr};
  }
  if (lead == 0xE0) {
    return {3, 0xA0, 0xBF, "overlong encoding"};
  }
  if (lead == 0xED) {
    return {3, 0x80, 0x9F, "UTF-16 surrogate encoded in UTF-8"};
  }
  if (lead >= 0xE1 && lead <= 0xEF) {
    return {3, 0x80, 0xBF, nullptr};
  }
  if (lead == 0xF0) {
    return {4, 0x90, 0xBF, "overlong encoding"};
  }
  if (lead == 0xF4) {
    return {4, 0x80, 0x8F, "code point above U+10FFFF"};
  }
  if (lead >= 0xF1 && lead <= 0xF3) {
    return {4, 0x80, 0xBF, nullptr};
  }
  return kNoLead;
}

const char* InvalidLeadReason(uint8_t lead) {
  if (IsContinuation(lead)) {
    return "unexpected continuation byte";
  }
  if (lead == 0xC0 || lead == 0xC1) {
    return "overlong encoding (lead byte 0xC0/0xC1)";
  }
  return "invalid lead byte (0xF5..0xFF never occur in UTF-8)";
}

}  // namespace

Utf8Char DecodeUtf8MultiByte(std::string_view utf8, size_t offset) {
  const auto lead = static_cast<uint8_t>(utf8[offset]);
  const LeadInfo info = ClassifyLead(lead);
  if (info.length == 0) {
    return Fail(InvalidLeadReason(lead));
  }
  if (utf8.size() - offset < info.length) {
    // Report the precise problem when the bytes present already say more than "too short".
    for (size_t i = offset + 1; i < utf8.size(); ++i) {
      if (!IsContinuation(static_cast<uint8_t>(utf8[i]))) {
        return Fail("truncated sequence");
      }
    }
    if (utf8.size() - offset >= 2) {
      const auto second = static_cast<uint8_t>(utf8[offset + 1]);
      if (second < info.second_min || second > info.second_max) {
        return Fail(info.second_error);
      }
    }
    return Fail("truncated sequence");
  }
  const auto second = static_cast<uint8_t>(utf8[offset + 1]);
  if (!IsContinuation(second)) {
    return Fail("truncated sequence");
  }
  if (second < info.second_min || second > info.second_max) {
    return Fail(info.second_error);
  }
  char32_t cp = lead & (0x7F >> info.length);
  cp = (cp << 6) | (second & 0x3F);
  for (size_t i = 2; i < info.length; ++i) {
    const auto b = static_cast<uint8_t>(utf8[offset + i]);
    if (!IsContinuation(b)) {
      return Fail("truncated sequence");
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  return {cp, info.length, nullptr};
}

core::Error Utf8Error(size_t offset, const Utf8Char& failed) {
  std::string message = "invalid UTF-8 at byte offset " + std::to_string(offset);
  if (failed.error != nullptr) {
    message += ": ";
    message += failed.error;
  }
  return core::Error{core::make_error_code(core::Errc::kInvalidArgument), std::move(message)};
}

core::Result<size_t> CountCodePoints(std::string_view utf8) {
  size_t count = 0;
  for (size_t i = 0; i < utf8.size();) {
    const Utf8Char c = DecodeUtf8Char(utf8, i);
    if (c.length == 0) {
      return std::unexpected(Utf8Error(i, c));
    }
    i += c.length;
    ++count;
  }
  return count;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
    cp = kReplacementChar;
  }
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string FormatCodePoint(char32_t cp) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(cp));
  return buffer;
}

std::string DescribeCodePoint(char32_t cp) {
  const bool control = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
  if (control) {
    return FormatCodePoint(cp);
  }
  std::string out = "'";
  AppendUtf8(out, cp);
  out += "' (" + FormatCodePoint(cp) + ")";
  return out;
}

}  // namespace smsgw::text
