#pragma once
// Authenticator answers "which account does this api-key belong to, with which settings" for
// every request, from an in-memory cache of key hash -> identity (or "no such key") that is
// dropped whenever the store's KeysVersion changes, so a key created or revoked, or a setting
// changed, by another process takes effect as soon as the store shows it (within 1 s).
// A miss is resolved by the caller on a store thread (ResolveBlocking). Thread-safe.

#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.h"
#include "store/account_store.h"

namespace smsgw::api {

class Authenticator {
 public:
  explicit Authenticator(store::AccountStore& accounts) : accounts_(accounts) {}

  struct Identity {
    std::string sid;
    store::AccountSettings settings;
  };
  struct Lookup {
    bool cached = false;               // false: call ResolveBlocking off the network thread
    std::optional<Identity> identity;  // the owning account when cached and the key is active
  };
  // No I/O: answers from the cache. `key_hash` is core::Sha256Hex of the presented key.
  Lookup Find(const std::string& key_hash) const;

  // Reads the store (blocking) and fills the cache.
  core::Result<std::optional<Identity>> ResolveBlocking(const std::string& key_hash);

 private:
  static constexpr size_t kMaxEntries = 100000;  // bounds memory against random-key floods

  store::AccountStore& accounts_;
  mutable std::shared_mutex mu_;
  mutable uint64_t version_ = 0;
  mutable std::unordered_map<std::string, std::optional<Identity>> cache_;
};

}  // namespace smsgw::api
