#include "app/accounts.h"

#include <algorithm>
#include <chrono>

#include "core/ids.h"
#include "core/message.h"

namespace smsgw::app {

core::Result<NewCredentials> CreateAccountWithKey(store::AccountStore& accounts,
                                                  std::string_view name, core::Region region) {
  const auto now = std::chrono::system_clock::now();
  // A fresh SID colliding is a 1-in-10^10 event; retry rather than fail.
  for (int attempt = 0; attempt < 5; ++attempt) {
    store::Account account{core::NewAccountSid(region), std::string(name), now, 0};
    auto created = accounts.CreateAccount(account);
    if (!created && created.error().code == core::Errc::kConflict) {
      continue;
    }
    if (!created) {
      return std::unexpected(created.error());
    }
    return CreateKey(accounts, account.sid);
  }
  return core::MakeError(core::Errc::kConflict, "could not mint a unique account SID");
}

core::Result<NewCredentials> CreateKey(store::AccountStore& accounts, std::string_view sid) {
  NewCredentials out{std::string(sid), core::NewApiKey()};
  auto added = accounts.AddKey(sid, core::Sha256Hex(out.api_key), std::chrono::system_clock::now());
  if (!added) {
    return std::unexpected(added.error());
  }
  return out;
}

core::Result<void> RevokeKey(store::AccountStore& accounts, std::string_view sid,
                             std::string_view api_key) {
  if (!core::LooksLikeApiKey(api_key)) {
    return core::MakeError(core::Errc::kInvalidArgument,
                           "not an API key (expected 'A' and 32 hex characters)");
  }
  return accounts.RevokeKey(sid, core::Sha256Hex(api_key));
}

bool IsValidSmppSystemId(std::string_view system_id) {
  return !system_id.empty() && system_id.size() <= 15 &&
         std::all_of(system_id.begin(), system_id.end(),
                     [](char c) { return c > ' ' && c < 0x7f; });
}

core::Result<NewSmppCredential> CreateSmppCredential(store::SmppCredentialStore& credentials,
                                                     std::string_view sid,
                                                     std::string_view system_id,
                                                     std::optional<int64_t> max_rate,
                                                     std::string_view type) {
  if (!system_id.empty() && !IsValidSmppSystemId(system_id)) {
    return core::MakeError(core::Errc::kInvalidArgument,
                           "system_id must be 1 to 15 visible ASCII characters, no spaces");
  }
  if (max_rate && (*max_rate < 0 || *max_rate > 100'000)) {
    return core::MakeError(core::Errc::kInvalidArgument,
                           "max-rate must be between 0 (unlimited) and 100000 messages a second");
  }
  std::string type_name;
  if (!type.empty()) {
    const std::optional<core::RouteType> parsed = core::ParseRouteType(type);
    if (!parsed) {
      return core::MakeError(core::Errc::kInvalidArgument,
                             "type must be one of OTP, TXN, TXND, MKT, DEFAULT");
    }
    type_name = core::ToString(*parsed);
  }
  // A minted system_id colliding is a 1-in-4-billion event; retry rather than fail.
  for (int attempt = 0; attempt < 5; ++attempt) {
    NewSmppCredential out{system_id.empty() ? core::NewSmppSystemId() : std::string(system_id),
                          core::NewSmppPassword()};
    const std::string salt = core::NewSalt();
    auto added = credentials.AddSmppCredential(
        {out.system_id, std::string(sid), std::chrono::system_clock::now(), std::nullopt, max_rate,
         type_name},
        salt, core::PasswordHashHex(salt, out.password));
    if (!added && added.error().code == core::Errc::kConflict && system_id.empty()) {
      continue;
    }
    if (!added) {
      return std::unexpected(added.error());
    }
    return out;
  }
  return core::MakeError(core::Errc::kConflict, "could not mint a unique system_id");
}

}  // namespace smsgw::app
