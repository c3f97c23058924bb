#include "smpp/codec/message_id.h"

#include <algorithm>
#include <vector>

#include "core/strings.h"

namespace smsgw::smpp::codec {
namespace {

// Ids are C-Octet Strings of at most 64 characters (§5.2.23); longer is not a number we
// convert (and would make the base conversion quadratic in untrusted input).
constexpr size_t kMaxDigits = 64;

bool IsDecimal(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDecimal(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int HexValue(char c) {
  if (IsDecimal(c)) {
    return c - '0';
  }
  return (c >= 'a' ? c - 'a' : c - 'A') + 10;
}

bool All(std::string_view s, bool (*pred)(char)) {
  return !s.empty() && s.size() <= kMaxDigits && std::all_of(s.begin(), s.end(), pred);
}

std::string_view StripHexPrefix(std::string_view s) {
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    return s.substr(2);
  }
  return s;
}

std::string DecimalWithoutLeadingZeros(std::string_view digits) {
  const size_t first = digits.find_first_not_of('0');
  return first == std::string_view::npos ? "0" : std::string(digits.substr(first));
}

// Base 16 to base 10 by schoolbook multiplication on little-endian decimal digits.
std::string HexToDecimal(std::string_view hex) {
  std::vector<uint8_t> digits{0};
  for (char c : hex) {
    int carry = HexValue(c);
    for (uint8_t& d : digits) {
      const int v = d * 16 + carry;
      d = static_cast<uint8_t>(v % 10);
      carry = v / 10;
    }
    while (carry > 0) {
      digits.push_back(static_cast<uint8_t>(carry % 10));
      carry /= 10;
    }
  }
  while (digits.size() > 1 && digits.back() == 0) {
    digits.pop_back();
  }
  std::string out;
  out.reserve(digits.size());
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    out.push_back(static_cast<char>('0' + *it));
  }
  return out;
}

}  // namespace

std::string NormalizeMessageId(std::string_view id, IdFormat format) {
  const std::string_view trimmed = core::TrimAscii(id);
  switch (format) {
    case IdFormat::kDecimal:
      if (All(trimmed, IsDecimal)) {
        return DecimalWithoutLeadingZeros(trimmed);
      }
      break;
    case IdFormat::kHex: {
      const std::string_view hex = StripHexPrefix(trimmed);
      if (All(hex, IsHex)) {
        return HexToDecimal(hex);
      }
      break;
    }
    case IdFormat::kAuto: {
      if (All(trimmed, IsDecimal)) {
        return DecimalWithoutLeadingZeros(trimmed);
      }
      const std::string_view hex = StripHexPrefix(trimmed);
      if (All(hex, IsHex)) {
        return HexToDecimal(hex);
      }
      break;
    }
  }
  return std::string(trimmed);
}

bool SameMessageId(std::string_view a, std::string_view b, IdFormat a_format, IdFormat b_format) {
  return NormalizeMessageId(a, a_format) == NormalizeMessageId(b, b_format);
}

}  // namespace smsgw::smpp::codec
