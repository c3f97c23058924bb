#pragma once
// RegistryCache answers the send path's questions "is template T registered for account A, and
// what is it" and "is sender S registered for A, with which entity id" from memory, so that a send
// naming a template or a sender costs no database read once it has been seen. Entries (including
// "not registered") are dropped whenever the store's registry version moves, so a template or a
// sender that the CLI or the API adds, changes or deletes takes effect at once when changed
// through this process, and within the store's 1 s otherwise. The keys cache (authenticator.h)
// works the same way. Callback profiles are cached only as "exists for account A", which is what a
// send naming one needs. A miss is resolved by the caller on a store thread (Resolve*Blocking).
// Thread-safe.

#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "api/registry_requests.h"
#include "core/result.h"
#include "store/callback_profile_store.h"
#include "store/sender_store.h"
#include "store/template_store.h"

namespace smsgw::api {

// A bounded map from key to a shared entry or "absent", cleared when `version()` changes.
template <class Value>
class VersionedCache {
 public:
  struct Lookup {
    bool cached = false;                 // false: resolve from the store, then Put
    std::shared_ptr<const Value> value;  // when cached: the entry, or null for "absent"
  };

  Lookup Find(const std::string& key, uint64_t version) const {
    {
      std::shared_lock lock(mu_);
      if (version == version_) {
        auto it = map_.find(key);
        return it == map_.end() ? Lookup{} : Lookup{true, it->second};
      }
    }
    std::unique_lock lock(mu_);
    if (version != version_) {
      map_.clear();
      version_ = version;
    }
    return {};
  }

  // Remembers `value` for `key` if the version is still the one read before the store was read
  // (`version_before_read`); otherwise a change raced with the read and the value may be stale.
  void Put(const std::string& key, std::shared_ptr<const Value> value,
           uint64_t version_before_read) {
    std::unique_lock lock(mu_);
    if (version_before_read != version_) {
      return;
    }
    if (map_.size() >= kMaxEntries) {
      map_.clear();  // bounds memory against floods of made-up ids
    }
    map_[key] = std::move(value);
  }

 private:
  static constexpr size_t kMaxEntries = 100000;

  mutable std::shared_mutex mu_;
  mutable uint64_t version_ = 0;
  mutable std::unordered_map<std::string, std::shared_ptr<const Value>> map_;
};

class RegistryCache {
 public:
  RegistryCache(store::TemplateStore& templates, store::SenderStore& senders,
                store::CallbackProfileStore& profiles)
      : templates_(templates), senders_(senders), profiles_(profiles) {}

  using TemplateLookup = VersionedCache<RegisteredTemplate>::Lookup;
  using SenderLookup = VersionedCache<store::Sender>::Lookup;
  using ProfileLookup = VersionedCache<std::string>::Lookup;  // the profile's id when it exists

  // No I/O: answers from memory.
  TemplateLookup FindTemplate(std::string_view sid, std::string_view template_id) const;
  SenderLookup FindSender(std::string_view sid, std::string_view sender) const;
  ProfileLookup FindCallbackProfile(std::string_view sid, std::string_view profile_id) const;

  // Read the store (blocking) and fill the cache. Null when not registered. A store failure is
  // returned as is; a stored template whose text no longer parses is kInternal.
  core::Result<std::shared_ptr<const RegisteredTemplate>> ResolveTemplateBlocking(
      std::string_view sid, std::string_view template_id);
  core::Result<std::shared_ptr<const store::Sender>> ResolveSenderBlocking(std::string_view sid,
                                                                           std::string_view sender);
  core::Result<std::shared_ptr<const std::string>> ResolveCallbackProfileBlocking(
      std::string_view sid, std::string_view profile_id);

 private:
  store::TemplateStore& templates_;
  store::SenderStore& senders_;
  store::CallbackProfileStore& profiles_;
  VersionedCache<RegisteredTemplate> template_cache_;
  VersionedCache<store::Sender> sender_cache_;
  VersionedCache<std::string> profile_cache_;
};

}  // namespace smsgw::api
