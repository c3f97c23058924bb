#pragma once
// Account and key administration shared by the CLI and `serve`'s first start: mint a SID and a
// key, store the secret's hash, hand the plain secret back once.
// Blocking; any thread.

#include <string>
#include <string_view>

#include "core/region.h"
#include "core/result.h"
#include "store/account_store.h"

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

}  // namespace smsgw::app
