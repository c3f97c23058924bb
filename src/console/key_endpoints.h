#pragma once
// KeyEndpoints serves the console's API keys page for the signed-in account:
//   GET    /console/api/keys               {"data": [{"id", "created_at", "current"}]}: the
//                                          active keys by their SHA-256 (never a key)
//   POST   /console/api/keys               201 {"id", "api_key", "created_at"}: a new key, shown
//                                          in this answer only
//   DELETE /console/api/keys/{id}          204: the key is revoked (404 when no active key of
//                                          the account has that id)
// There is no REST API for keys (the CLI's `smsgw key create|revoke` is the other way), so these
// are the console's own, over store::AccountStore as the CLI uses it: the store keeps only the
// hash, and bumps KeysVersion, so the API's Authenticator stops accepting a revoked key at once.
// The caller has checked the session and its CSRF token. Handle may be called concurrently from
// any io_context thread; store calls run on `store_pool`.

#include <string>
#include <string_view>

#include "api/asio.h"
#include "api/http_server.h"
#include "core/time.h"
#include "store/account_store.h"

namespace smsgw::console {

class KeyEndpoints {
 public:
  KeyEndpoints(store::AccountStore& accounts, api::asio::thread_pool& store_pool,
               const core::Clock& clock)
      : accounts_(accounts), store_pool_(store_pool), clock_(clock) {}

  // `rest`: "keys" or "keys/{id}". `session_key_hash`: the hash of the key the session signed in
  // with, marked "current" in the list.
  api::asio::awaitable<api::Response> Handle(const api::Request& request, std::string_view rest,
                                             const std::string& sid,
                                             const std::string& session_key_hash);

 private:
  api::asio::awaitable<api::Response> List(const std::string& sid,
                                           const std::string& session_key_hash);
  api::asio::awaitable<api::Response> Create(const std::string& sid);
  api::asio::awaitable<api::Response> Revoke(const std::string& sid, std::string_view id);

  store::AccountStore& accounts_;
  api::asio::thread_pool& store_pool_;
  const core::Clock& clock_;
};

}  // namespace smsgw::console
