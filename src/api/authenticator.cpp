#include "api/authenticator.h"

#include <mutex>

namespace smsgw::api {

Authenticator::Lookup Authenticator::Find(const std::string& key_hash) const {
  const uint64_t version = accounts_.KeysVersion();
  {
    std::shared_lock lock(mu_);
    if (version == version_) {
      auto it = cache_.find(key_hash);
      if (it == cache_.end()) {
        return {};
      }
      return {true, it->second};
    }
  }
  std::unique_lock lock(mu_);
  if (version != version_) {
    cache_.clear();
    version_ = version;
  }
  return {};
}

core::Result<std::optional<Authenticator::Identity>> Authenticator::ResolveBlocking(
    const std::string& key_hash) {
  // Read the version before the store: a change racing with this read then clears the entry.
  const uint64_t version = accounts_.KeysVersion();
  auto sid = accounts_.FindSidByKeyHash(key_hash);
  if (!sid) {
    return std::unexpected(std::move(sid.error()));
  }
  std::optional<Identity> identity;
  if (*sid) {
    auto settings = accounts_.GetSettings(**sid);
    if (!settings) {
      return std::unexpected(std::move(settings.error()));
    }
    identity = Identity{std::move(**sid), *settings};
  }
  std::unique_lock lock(mu_);
  if (version == version_) {
    if (cache_.size() >= kMaxEntries) {
      cache_.clear();
    }
    cache_[key_hash] = identity;
  }
  return identity;
}

}  // namespace smsgw::api
