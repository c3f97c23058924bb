#pragma once
// Account and key administration shared by the CLI and `serve`'s first start: mint a SID and a
// key (or an SMPP credential), store the secret's hash, hand the plain secret back once.
// Blocking; any thread.

#include <optional>
#include <string>
#include <string_view>

#include "core/region.h"
#include "core/result.h"
#include "store/account_store.h"
#include "store/smpp_credential_store.h"

namespace smsgw::app {

struct NewCredentials {
  std::string sid;
  std::string api_key;  // shown once; only its SHA-256 is stored
};

core::Result<NewCredentials> CreateAccountWithKey(store::AccountStore& accounts,
                                                  std::string_view name, core::Region region);
core::Result<NewCredentials> CreateKey(store::AccountStore& accounts, std::string_view sid);
core::Result<void> RevokeKey(store::AccountStore& accounts, std::string_view sid,
                             std::string_view api_key);

struct NewSmppCredential {
  std::string system_id;
  std::string password;  // shown once; only its salted PBKDF2 hash is stored
};

// Whether `system_id` can be an SMPP system_id: 1..15 visible ASCII characters (SMPP 3.4 §5.2.1
// allows 16 octets with the NUL; a space would not survive most ESMEs' configuration files).
bool IsValidSmppSystemId(std::string_view system_id);

// Adds an SMPP credential to the account: `system_id`, or a new one when empty, with a new
// 8-character password. kInvalidArgument for a bad system_id, kNotFound for an unknown account,
// kConflict when the system_id is taken. `max_rate`: its messages a second (0..100000), nullopt
// for [smpp_server] max_rate. `type`: its submits' message type (OTP, TXN, TXND, MKT, DEFAULT;
// any case, stored upper case), empty for the API's default.
core::Result<NewSmppCredential> CreateSmppCredential(store::SmppCredentialStore& credentials,
                                                     std::string_view sid,
                                                     std::string_view system_id,
                                                     std::optional<int64_t> max_rate = {},
                                                     std::string_view type = {});

}  // namespace smsgw::app
