#pragma once
// Which account an API key belongs to, answered from the Authenticator's cache or, on a miss, by
// reading the store on `store_pool` (never on the network thread). Shared by the API's api-key
// header and the console's sign-in, so that both accept exactly the same keys.

#include <optional>
#include <string_view>

#include "api/asio.h"
#include "api/async_bridge.h"
#include "api/authenticator.h"
#include "core/ids.h"

namespace smsgw::api {

// nullopt: not a key's shape, or no account's active key. An error: the store could not be read.
inline asio::awaitable<core::Result<std::optional<Authenticator::Identity>>> IdentifyKey(
    Authenticator& auth, asio::thread_pool& store_pool, std::string_view key) {
  if (!core::LooksLikeApiKey(key)) {
    co_return std::nullopt;
  }
  const std::string key_hash = core::Sha256Hex(key);
  Authenticator::Lookup lookup = auth.Find(key_hash);
  if (lookup.cached) {
    co_return std::move(lookup.identity);
  }
  co_return co_await RunBlocking(store_pool,
                                 [&auth, &key_hash] { return auth.ResolveBlocking(key_hash); });
}

}  // namespace smsgw::api
