#include "api/registry_cache.h"

namespace smsgw::api {
namespace {

// SIDs are alphanumeric, so a newline cannot occur in one and the key is unambiguous.
std::string Key(std::string_view sid, std::string_view id) {
  std::string key;
  key.reserve(sid.size() + 1 + id.size());
  key.append(sid).push_back('\n');
  key.append(id);
  return key;
}

// Caches what the store answered under `version`: the value `make` builds from the stored
// record, or null for kNotFound. Other errors, the store's or make's, pass through uncached.
template <class Value, class Stored, class Make>
core::Result<std::shared_ptr<const Value>> CacheAnswer(VersionedCache<Value>& cache,
                                                       const std::string& key, uint64_t version,
                                                       core::Result<Stored> stored, Make make) {
  std::shared_ptr<const Value> entry;
  if (stored) {
    core::Result<Value> value = make(std::move(*stored));
    if (!value) {
      return std::unexpected(std::move(value.error()));
    }
    entry = std::make_shared<const Value>(std::move(*value));
  } else if (stored.error().code != core::Errc::kNotFound) {
    return std::unexpected(std::move(stored.error()));
  }
  cache.Put(key, entry, version);
  return entry;
}

}  // namespace

RegistryCache::TemplateLookup RegistryCache::FindTemplate(std::string_view sid,
                                                          std::string_view template_id) const {
  return template_cache_.Find(Key(sid, template_id), templates_.TemplatesVersion());
}

RegistryCache::SenderLookup RegistryCache::FindSender(std::string_view sid,
                                                      std::string_view sender) const {
  return sender_cache_.Find(Key(sid, sender), senders_.SendersVersion());
}

RegistryCache::ProfileLookup RegistryCache::FindCallbackProfile(std::string_view sid,
                                                                std::string_view profile_id) const {
  return profile_cache_.Find(Key(sid, profile_id), profiles_.CallbackProfilesVersion());
}

// Each Resolve*Blocking reads the store's version before the store: a change racing with the
// read then keeps the answer out of the cache.

core::Result<std::shared_ptr<const RegisteredTemplate>> RegistryCache::ResolveTemplateBlocking(
    std::string_view sid, std::string_view template_id) {
  const uint64_t version = templates_.TemplatesVersion();
  return CacheAnswer(template_cache_, Key(sid, template_id), version,
                     templates_.GetTemplate(sid, template_id), MakeRegisteredTemplate);
}

core::Result<std::shared_ptr<const store::Sender>> RegistryCache::ResolveSenderBlocking(
    std::string_view sid, std::string_view sender) {
  const uint64_t version = senders_.SendersVersion();
  return CacheAnswer(sender_cache_, Key(sid, sender), version, senders_.GetSender(sid, sender),
                     [](store::Sender s) -> core::Result<store::Sender> { return s; });
}

core::Result<std::shared_ptr<const std::string>> RegistryCache::ResolveCallbackProfileBlocking(
    std::string_view sid, std::string_view profile_id) {
  const uint64_t version = profiles_.CallbackProfilesVersion();
  return CacheAnswer(
      profile_cache_, Key(sid, profile_id), version, profiles_.GetCallbackProfile(sid, profile_id),
      [](store::CallbackProfile p) -> core::Result<std::string> { return std::move(p.id); });
}

}  // namespace smsgw::api
