#pragma once
// Webhook signatures, so a receiver can tell that a webhook came from smsgw and was not replayed
// later: header `X-Smsgw-Signature: t=<unix seconds>,v1=<hex>` where hex is the lower-case
// HMAC-SHA256, keyed by the account's webhook secret, of "<t>.<signed part>". The signed part is
// the request body, or for a GET (no body) the query string after '?'. Pure; thread-safe.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/time.h"

namespace smsgw::webhook {

inline constexpr std::string_view kSignatureHeader = "X-Smsgw-Signature";

// Lower-case hex HMAC-SHA256(key, data).
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// The header's value for a request signed at `unix_seconds`.
std::string SignatureHeaderValue(std::string_view secret, int64_t unix_seconds,
                                 std::string_view signed_part);

// True when `header` (the X-Smsgw-Signature value) carries a v1 signature of `signed_part` by
// `secret`, made no more than `tolerance` away from `now`. Compares in constant time. Several
// v1 entries may be present (a receiver rotating secrets); one matching is enough.
bool VerifySignature(std::string_view header, std::string_view secret, std::string_view signed_part,
                     core::TimePoint now,
                     std::chrono::seconds tolerance = std::chrono::seconds(300));

}  // namespace smsgw::webhook
