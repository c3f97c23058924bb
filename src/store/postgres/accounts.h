#pragma once
// AccountStore on PostgreSQL: accounts, API keys (hashes only) and per-account settings. Every key
// or settings change bumps the keys cache version (cache_versions.h) in its own transaction.

#include "store/account_store.h"
#include "store/postgres/cache_versions.h"
#include "store/postgres/pool.h"

namespace smsgw::store::postgres {

class Accounts final : public AccountStore {
 public:
  Accounts(Pool& pool, CacheVersions& versions) : pool_(pool), versions_(versions) {}

  // ListAccounts is ordered by created_at, then sid. Adding a key hash that already exists (for
  // any account) is kConflict. RevokeKey records the revocation time from the system clock; it is
  // kept for audit only.
  core::Result<void> CreateAccount(const Account& account) override;
  core::Result<std::vector<Account>> ListAccounts() override;
  core::Result<void> AddKey(std::string_view sid, std::string_view key_hash,
                            core::TimePoint created_at) override;
  core::Result<void> RevokeKey(std::string_view sid, std::string_view key_hash) override;
  core::Result<std::vector<ApiKeyRecord>> ListKeys(std::string_view sid) override;
  core::Result<std::optional<std::string>> FindSidByKeyHash(std::string_view key_hash) override;
  core::Result<AccountSettings> GetSettings(std::string_view sid) override;
  core::Result<void> SetSmartEncoding(std::string_view sid, std::optional<bool> on) override;
  core::Result<void> SetRequireRegisteredSenders(std::string_view sid,
                                                 std::optional<bool> on) override;
  core::Result<void> SetRateLimit(std::string_view sid, RateLimit limit,
                                  std::optional<int64_t> per_second) override;
  core::Result<void> SetWebhookSecret(std::string_view sid,
                                      std::optional<std::string_view> secret) override;
  core::Result<std::string> GetWebhookSecret(std::string_view sid) override;
  uint64_t KeysVersion() const override { return versions_.Load(CacheVersions::kKeys); }

 private:
  // One UPDATE of an account's row or key that bumps the keys version; kNotFound with
  // `not_found` when it touched no row.
  core::Result<void> ChangeKeys(const char* sql, const Params& params, std::string not_found);

  Pool& pool_;
  CacheVersions& versions_;
};

}  // namespace smsgw::store::postgres
