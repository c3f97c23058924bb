#include "app/accounts.h"

#include <chrono>

#include "core/ids.h"

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

}  // namespace smsgw::app
