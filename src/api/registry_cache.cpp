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

core::Result<std::shared_ptr<const RegisteredTemplate>> RegistryCache::ResolveTemplateBlocking(
    std::string_view sid, std::string_view template_id) {
  // Read the version before the store: a change racing with this read keeps it out of the cache.
  const uint64_t version = templates_.TemplatesVersion();
  auto stored = templates_.GetTemplate(sid, template_id);
  std::shared_ptr<const RegisteredTemplate> entry;
  if (stored) {
    auto registered = MakeRegisteredTemplate(std::move(*stored));
    if (!registered) {
      return std::unexpected(std::move(registered.error()));
    }
    entry = std::make_shared<const RegisteredTemplate>(std::move(*registered));
  } else if (stored.error().code != core::Errc::kNotFound) {
    return std::unexpected(std::move(stored.error()));
  }
  template_cache_.Put(Key(sid, template_id), entry, version);
  return entry;
}

core::Result<std::shared_ptr<const store::Sender>> RegistryCache::ResolveSenderBlocking(
    std::string_view sid, std::string_view sender) {
  const uint64_t version = senders_.SendersVersion();
  auto stored = senders_.GetSender(sid, sender);
  std::shared_ptr<const store::Sender> entry;
  if (stored) {
    entry = std::make_shared<const store::Sender>(std::move(*stored));
  } else if (stored.error().code != core::Errc::kNotFound) {
    return std::unexpected(std::move(stored.error()));
  }
  sender_cache_.Put(Key(sid, sender), entry, version);
  return entry;
}

core::Result<std::shared_ptr<const std::string>> RegistryCache::ResolveCallbackProfileBlocking(
    std::string_view sid, std::string_view profile_id) {
  const uint64_t version = profiles_.CallbackProfilesVersion();
  auto stored = profiles_.GetCallbackProfile(sid, profile_id);
  std::shared_ptr<const std::string> entry;
  if (stored) {
    entry = std::make_shared<const std::string>(std::move(stored->id));
  } else if (stored.error().code != core::Errc::kNotFound) {
    return std::unexpected(std::move(stored.error()));
  }
  profile_cache_.Put(Key(sid, profile_id), entry, version);
  return entry;
}

}  // namespace smsgw::api
