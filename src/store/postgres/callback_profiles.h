#pragma once
// CallbackProfileStore on PostgreSQL. Headers and fixed retry intervals are kept in SQLite's
// encodings (one text column each), so a row reads the same from either backend. At most one
// default per account holds across nodes: the partial unique index callback_profiles_default is
// the guarantee, and a write that makes a profile the default first locks the account's row, so
// concurrent writers of one account's default take turns instead of failing on that index.
// Changes bump the registry cache version, as in SQLite.

#include "store/callback_profile_store.h"
#include "store/postgres/cache_versions.h"
#include "store/postgres/pool.h"

namespace smsgw::store::postgres {

class CallbackProfiles final : public CallbackProfileStore {
 public:
  CallbackProfiles(Pool& pool, CacheVersions& versions) : pool_(pool), versions_(versions) {}

  core::Result<void> CreateCallbackProfile(const CallbackProfile& profile) override;
  core::Result<CallbackProfile> GetCallbackProfile(std::string_view sid,
                                                   std::string_view id) override;
  core::Result<std::vector<CallbackProfile>> ListCallbackProfiles(std::string_view sid) override;
  core::Result<void> UpdateCallbackProfile(const CallbackProfile& profile) override;
  core::Result<void> DeleteCallbackProfile(std::string_view sid, std::string_view id) override;
  uint64_t CallbackProfilesVersion() const override {
    return versions_.Load(CacheVersions::kRegistry);
  }

 private:
  Pool& pool_;
  CacheVersions& versions_;
};

}  // namespace smsgw::store::postgres
