#pragma once
// The shapes of a sender ID and of the ids registered with it, as Kaleyra accepts them. Pure.

#include <optional>
#include <string>
#include <string_view>

namespace smsgw::core {

// An alphanumeric sender ID (1-11 ASCII letters, digits or spaces, not only spaces) or a numeric
// long/short code (up to 15 digits, optionally with a leading '+').
bool IsValidSenderId(std::string_view sender);

// A DLT principal-entity id: 12 to 30 ASCII digits (SMPP TLV 0x1400 in India).
bool IsValidEntityId(std::string_view entity_id);

// An ISO 3166-1 alpha-2 country code, two ASCII letters in any case, returned upper-case;
// nullopt for anything else.
std::optional<std::string> NormalizeIsoCode(std::string_view iso_code);

}  // namespace smsgw::core
