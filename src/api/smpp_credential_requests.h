#pragma once
// SMPP credentials as clients see them (docs/api/smpp-credentials.md): the body of
// `POST /ext/v1/{sid}/smpp-credentials` (also what `smsgw smpp-credential create` builds from its
// flags, so both go through one set of rules), every bad field reported at once; and the JSON
// the endpoints answer. The password is minted by the caller (smpp_credential_api.h), never read
// from a request and never written by the list. Pure; thread-compatible.

#include <rapidjson/document.h>

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/errors.h"
#include "core/ip_network.h"
#include "store/smpp_credential_store.h"

namespace smsgw::api {

inline constexpr size_t kMaxSmppSystemId = 15;  // SMPP 3.4 §5.2.1: 16 octets with the NUL
inline constexpr int64_t kMaxSmppRate = 100'000;

// 1..15 visible ASCII characters (no space: it would not survive most ESMEs' configuration files).
bool IsValidSmppSystemId(std::string_view system_id);

// What a create asks for; system_id empty: a new one is minted.
struct SmppCredentialRequest {
  std::string system_id;
  std::optional<int64_t> max_rate;  // 0..kMaxSmppRate (0: unlimited); nullopt: the server's
  std::string type;                 // "OTP", "TXN", ... (core::ToString); empty: the default
  std::vector<core::IpNetwork> allowed_sources;  // deduplicated, at most kMaxSmppAllowedSources
  store::SmppIdFormat id_format = store::SmppIdFormat::kHex;  // how its message ids read
};

// {"system_id"?, "max_rate"?: 0..100000, "type"?: OTP|TXN|TXND|MKT|DEFAULT (any case),
//  "allowed_sources"?: ["10.0.0.0/8", "2001:db8::/32", ...] or one string of them separated by
//  commas or spaces (a form body's), "id_format"?: "hex" | "decimal"}; absent and null are the
//  same.
std::expected<SmppCredentialRequest, FieldErrors> ValidateSmppCredential(
    const rapidjson::Value& fields);

// The error for the store's kConflict on create (409 E479).
FieldError SmppSystemIdTaken(std::string_view system_id);

// {"system_id", "created_at", "revoked_at": ... | null, "max_rate": n | null, "type": ... | null,
//  "allowed_sources": [...], "id_format": "hex" | "decimal"}
std::string SmppCredentialJson(const store::SmppCredential& credential);
// The same with "password": the answer to a create, the one time the password is shown.
std::string NewSmppCredentialJson(const store::SmppCredential& credential,
                                  std::string_view password);
// {"totalCount": n, "data": [credential, ...], "error": {}}
std::string SmppCredentialListJson(const std::vector<store::SmppCredential>& credentials);

}  // namespace smsgw::api
