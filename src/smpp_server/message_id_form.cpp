#include "smpp_server/message_id_form.h"

#include <algorithm>

namespace smsgw::smpp_server {
namespace {

// 128 bits: a UUID as one number (GCC's unsigned __int128).
using U128 = unsigned __int128;

constexpr size_t kUuidLength = 36;  // 8-4-4-4-12 hex digits with hyphens
constexpr size_t kMaxPositionDigits = kMaxSmppMessageId - kDecimalUuidDigits;  // 25

bool IsHyphenAt(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  return -1;  // smsgw writes UUIDs in lower case; anything else is not one of its ids
}

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A position: 1 to 25 digits, no leading zero.
bool IsPosition(std::string_view n) {
  return !n.empty() && n.size() <= kMaxPositionDigits && n.front() != '0' && AllDigits(n);
}

std::optional<U128> ParseUuid(std::string_view uuid) {
  if (uuid.size() != kUuidLength) {
    return std::nullopt;
  }
  U128 value = 0;
  for (size_t i = 0; i < uuid.size(); ++i) {
    if (IsHyphenAt(i)) {
      if (uuid[i] != '-') {
        return std::nullopt;
      }
      continue;
    }
    const int digit = HexValue(uuid[i]);
    if (digit < 0) {
      return std::nullopt;
    }
    value = value << 4 | static_cast<U128>(digit);
  }
  return value;
}

std::string FormatUuid(U128 value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(kUuidLength, '-');
  for (size_t i = kUuidLength; i-- > 0;) {
    if (IsHyphenAt(i)) {
      continue;
    }
    out[i] = kDigits[static_cast<unsigned>(value & 0xF)];
    value >>= 4;
  }
  return out;
}

}  // namespace

std::string CustomerMessageId(std::string_view id, store::SmppIdFormat format) {
  if (format != store::SmppIdFormat::kDecimal) {
    return std::string(id);
  }
  const size_t colon = id.find(':');
  const std::optional<U128> uuid =
      colon == std::string_view::npos ? std::nullopt : ParseUuid(id.substr(0, colon));
  const std::string_view position = colon == std::string_view::npos ? "" : id.substr(colon + 1);
  if (!uuid || !IsPosition(position)) {
    return std::string(id);
  }
  std::string out(kDecimalUuidDigits, '0');
  U128 value = *uuid;
  for (size_t i = kDecimalUuidDigits; i-- > 0 && value != 0;) {
    out[i] = static_cast<char>('0' + static_cast<int>(value % 10));
    value /= 10;
  }
  out.append(position);
  return out;
}

std::optional<std::string> SmsgwMessageId(std::string_view customer_id,
                                          store::SmppIdFormat format) {
  if (format != store::SmppIdFormat::kDecimal) {
    return std::string(customer_id);
  }
  if (customer_id.size() <= kDecimalUuidDigits || customer_id.size() > kMaxSmppMessageId ||
      !AllDigits(customer_id)) {
    return std::nullopt;
  }
  const std::string_view position = customer_id.substr(kDecimalUuidDigits);
  if (!IsPosition(position)) {
    return std::nullopt;
  }
  constexpr U128 kMax = ~U128{0};
  U128 value = 0;
  for (const char c : customer_id.substr(0, kDecimalUuidDigits)) {
    const auto digit = static_cast<U128>(c - '0');
    if (value > (kMax - digit) / 10) {
      return std::nullopt;  // 2^128 or more: no UUID
    }
    value = value * 10 + digit;
  }
  return FormatUuid(value) + ":" + std::string(position);
}

}  // namespace smsgw::smpp_server
