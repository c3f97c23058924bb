#include "core/sender_id.h"

#include <algorithm>

#include "core/strings.h"

namespace smsgw::core {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsLetter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

}  // namespace

bool IsValidSenderId(std::string_view s) {
  const std::string_view digits = s.starts_with('+') ? s.substr(1) : s;
  if (AllDigits(digits)) {
    return digits.size() <= 15;
  }
  if (s.empty() || s.size() > 11 || TrimAscii(s).empty()) {
    return false;
  }
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return IsLetter(c) || (c >= '0' && c <= '9') || c == ' '; });
}

bool IsValidEntityId(std::string_view entity_id) {
  return entity_id.size() >= 12 && entity_id.size() <= 30 && AllDigits(entity_id);
}

std::optional<std::string> NormalizeIsoCode(std::string_view iso_code) {
  if (iso_code.size() != 2 || !IsLetter(iso_code[0]) || !IsLetter(iso_code[1])) {
    return std::nullopt;
  }
  return ToUpperAscii(iso_code);
}

}  // namespace smsgw::core
