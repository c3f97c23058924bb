#pragma once
// SmppCredentialStore on PostgreSQL (the smpp_credentials table, migration 8). Adding and revoking
// bump the keys cache version (CacheVersions::kKeys, as SQLite's CredentialsVersion shares the keys
// counter) in their own transaction, so every node's SMPP server sees a revocation within the
// version poll. A system_id is taken by INSERT ... ON CONFLICT DO NOTHING on the primary key: two
// nodes adding one at once add it once, and the other is kConflict.

#include "store/postgres/cache_versions.h"
#include "store/postgres/pool.h"
#include "store/smpp_credential_store.h"

namespace smsgw::store::postgres {

class SmppCredentials final : public SmppCredentialStore {
 public:
  SmppCredentials(Pool& pool, CacheVersions& versions) : pool_(pool), versions_(versions) {}

  core::Result<void> AddSmppCredential(const SmppCredential& credential, std::string_view salt,
                                       std::string_view password_hash) override;
  core::Result<std::vector<SmppCredential>> ListSmppCredentials(std::string_view sid) override;
  core::Result<void> RevokeSmppCredential(std::string_view sid,
                                          std::string_view system_id) override;
  core::Result<std::optional<SmppSecret>> FindSmppCredential(std::string_view system_id) override;
  uint64_t CredentialsVersion() const override { return versions_.Load(CacheVersions::kKeys); }

 private:
  Pool& pool_;
  CacheVersions& versions_;
};

}  // namespace smsgw::store::postgres
