#pragma once
// Choosing the type of number and numbering plan (SMPP 3.4 §5.2.5, §5.2.6) for an address
// smsgw sends from or to, the way most SMSCs expect them; a connector can override either.
// Pure functions; thread-safe.

#include <cstdint>
#include <optional>
#include <string_view>

#include "smpp/codec/pdu.h"

namespace smsgw::smpp::codec {

// Per-connector overrides; an unset field keeps the guessed value.
struct AddressOverride {
  std::optional<uint8_t> ton{};
  std::optional<uint8_t> npi{};

  friend bool operator==(const AddressOverride&, const AddressOverride&) = default;
};

// Digits at or below this length are a short code.
inline constexpr size_t kMaxShortCodeDigits = 8;

// The address as submit_sm carries it:
//   "+919876543210"  → TON 1 (international), NPI 1 (E.164), "919876543210" (no '+')
//   "919876543210"   → TON 1, NPI 1: more than 8 digits is a full international number
//   "56767"          → TON 3 (network specific), NPI 0: a short code of up to 8 digits
//   "ACMEIN"         → TON 5 (alphanumeric), NPI 0, as given: anything that is not digits
//   ""               → TON 0, NPI 0
// Then `override` replaces the TON and/or NPI; the address text is not changed by it.
Address MakeAddress(std::string_view address, const AddressOverride& override = {});

}  // namespace smsgw::smpp::codec
