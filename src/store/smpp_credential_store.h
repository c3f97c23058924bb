#pragma once
// SmppCredentialStore holds the SMPP credentials customers bind with (docs/smpp-server.md): a
// system_id, unique across accounts, belonging to one account, and its password stored only as a
// salted PBKDF2-HMAC-SHA256 (core::PasswordHashHex); the plain password is shown once, by whoever
// created it. Calls block and are safe from any thread. Several processes share one store (the CLI
// revokes while `serve` runs): CredentialsVersion() lets the SMPP server notice a change at once
// and close the binds of a revoked credential. A credential may name the source addresses its binds
// must come from (allowed_sources); none means anywhere.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ip_network.h"
#include "core/result.h"
#include "core/time.h"

namespace smsgw::store {

// The most source ranges one credential may name: a bind compares its address with each.
inline constexpr size_t kMaxSmppAllowedSources = 32;

// How a credential's message ids read on the wire: in submit_sm_resp, data_sm_resp and
// submit_multi_resp, as query_sm and cancel_sm take them, and in its receipts
// (smpp_server/message_id_form.h). Values are stored; never renumber.
enum class SmppIdFormat : uint8_t {
  kHex = 0,      // smsgw's own id, "<uuid>:<n>", as the REST API shows it (the default)
  kDecimal = 1,  // the same id in digits only
};

struct SmppCredential {
  std::string system_id;
  std::string sid;
  core::TimePoint created_at;
  std::optional<core::TimePoint> revoked_at;  // nullopt while the credential is active
  // Messages a second its binds may submit together; nullopt: `[smpp_server] max_rate`.
  std::optional<int64_t> max_rate{};
  // The message type of its submits ("OTP", "TXN", ...: core::ParseRouteType); empty: what an API
  // send without `type` gets (the template's approved type, else the region's default).
  std::string type{};
  // The networks its binds may come from (at most kMaxSmppAllowedSources); empty: anywhere.
  std::vector<core::IpNetwork> allowed_sources{};
  SmppIdFormat id_format = SmppIdFormat::kHex;
};

// What a bind is checked against: never leaves the store's callers in a log line.
struct SmppSecret {
  std::string sid;
  std::string salt;
  std::string password_hash;                       // PasswordHashHex(salt, password)
  std::optional<int64_t> max_rate{};               // as SmppCredential::max_rate
  std::string type{};                              // as SmppCredential::type
  std::vector<core::IpNetwork> allowed_sources{};  // as SmppCredential::allowed_sources
  SmppIdFormat id_format = SmppIdFormat::kHex;     // as SmppCredential::id_format
};

class SmppCredentialStore {
 public:
  virtual ~SmppCredentialStore() = default;

  // kNotFound when the account does not exist; kConflict when the system_id is taken, active or
  // revoked, by any account (a revoked system_id is never handed to someone else).
  virtual core::Result<void> AddSmppCredential(const SmppCredential& credential,
                                               std::string_view salt,
                                               std::string_view password_hash) = 0;
  // The account's credentials, revoked ones included, by creation; kNotFound for an unknown sid.
  virtual core::Result<std::vector<SmppCredential>> ListSmppCredentials(std::string_view sid) = 0;
  // kNotFound when the account has no active credential with this system_id.
  virtual core::Result<void> RevokeSmppCredential(std::string_view sid,
                                                  std::string_view system_id) = 0;
  // The active credential with this system_id, or nullopt.
  virtual core::Result<std::optional<SmppSecret>> FindSmppCredential(
      std::string_view system_id) = 0;
  // A counter that changes (in every process sharing the store) whenever a credential is added
  // or revoked. No I/O.
  virtual uint64_t CredentialsVersion() const = 0;
};

}  // namespace smsgw::store
