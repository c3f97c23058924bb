#pragma once
// Identifiers smsgw mints: request UUIDs, account SIDs and API keys (Kaleyra's shapes), SMPP
// credentials, and the SHA-256 under which keys and passwords are stored. Thread-safe.

#include <string>
#include <string_view>

#include "core/region.h"

namespace smsgw::core {

// Time-ordered (version 7, RFC 9562) UUID, lower-case canonical form. Ids minted close in time
// sort close together, so inserting them touches the right edge of a B-tree index instead of a
// random page per message (4x fewer WAL pages per commit). Not a secret: fast per-thread PRNG.
std::string NewUuid();

// Kaleyra-shaped account SID: "HX" + region + 10 digits + region, e.g. HXIN0123456789IN.
std::string NewAccountSid(Region region);

// Kaleyra-shaped API key: "A" + 32 lower-case hex characters from a cryptographic source.
std::string NewApiKey();

// True when `key` has the API-key shape (cheap reject before hashing).
bool LooksLikeApiKey(std::string_view key);

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// An SMPP password: 8 characters (SMPP 3.4 §5.2.2 allows 9 octets with the NUL) from [A-Za-z0-9],
// from a cryptographic source.
std::string NewSmppPassword();
// A default SMPP system_id: "smsgw" + 8 lower-case hex characters from a cryptographic source.
std::string NewSmppSystemId();
// A salt: 32 lower-case hex characters from a cryptographic source.
std::string NewSalt();
// How an SMPP password is stored: PBKDF2-HMAC-SHA256 with a per-credential salt and
// kPasswordHashIterations, as lower-case hex. An 8-character password (unlike a 128-bit API key,
// stored as one SHA-256) is short enough that a leaked database would otherwise give it up to a
// GPU in hours; the iterations make that years, for a few milliseconds per bind.
inline constexpr int kPasswordHashIterations = 10'000;
std::string PasswordHashHex(std::string_view salt, std::string_view secret);
// Compares two hashes in time independent of where they differ.
bool HashesEqual(std::string_view a, std::string_view b);

}  // namespace smsgw::core
