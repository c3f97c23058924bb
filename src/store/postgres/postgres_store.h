#pragma once
// PostgresStore is the shared store for several nodes (issue 15): the store interfaces over one
// PostgreSQL database through libpq, so that any number of `smsgw` processes on any hosts share
// it. Each instance keeps a pool of connections (every method is safe from any thread, and blocks
// on one connection at a time) and one more that listens for cache invalidations
// (cache_versions.h).
//
// Built so far: AccountStore, TemplateStore and SenderStore. The message, delivery, inbound,
// webhook and SMPP stores follow (docs/performance.md and the issue list say where it stands);
// until they exist `serve` cannot run on PostgreSQL and app/ does not name this class. Only tests
// name it.

#include <chrono>
#include <memory>
#include <string>

#include "core/result.h"
#include "store/account_store.h"
#include "store/postgres/cache_versions.h"
#include "store/postgres/pool.h"
#include "store/sender_store.h"
#include "store/template_store.h"

namespace smsgw::store::postgres {

class PostgresStore final : public AccountStore, public TemplateStore, public SenderStore {
 public:
  struct Options {
    std::string conninfo;  // a libpq connection string or postgresql:// URI
    size_t pool_size = 8;
    std::chrono::milliseconds statement_timeout{30'000};
    // How often the cache versions are read when no notification arrives: the longest another
    // node's key or registry change stays unseen (AccountStore::KeysVersion()).
    std::chrono::milliseconds version_poll{500};
  };

  // Connects, applies pending schema migrations (migrations.h) and starts the version listener.
  // kUnavailable when the server cannot be reached; kInvalidArgument for a schema written by a
  // newer smsgw.
  static core::Result<std::unique_ptr<PostgresStore>> Open(const Options& options);

  // AccountStore. ListAccounts is ordered by created_at, then sid. Adding a key hash that already
  // exists (for any account) is kConflict. RevokeKey records the revocation time from the system
  // clock; it is kept for audit only. Every key or settings change bumps the keys version.
  core::Result<void> CreateAccount(const Account& account) override;
  core::Result<std::vector<Account>> ListAccounts() override;
  core::Result<bool> AccountExists(std::string_view sid) override;
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
  uint64_t KeysVersion() const override { return versions_->Load(CacheVersions::kKeys); }

  // TemplateStore and SenderStore (postgres_registry.cpp). A template's senders are kept as one
  // comma-separated column (store/sender_list.h). Both registries share the registry version.
  core::Result<void> CreateTemplate(const Template& t) override;
  core::Result<Template> GetTemplate(std::string_view sid, std::string_view template_id) override;
  core::Result<std::vector<Template>> ListTemplates(std::string_view sid) override;
  core::Result<Template> UpdateTemplate(std::string_view sid, std::string_view template_id,
                                        const TemplateChange& change, core::TimePoint now) override;
  core::Result<void> DeleteTemplate(std::string_view sid, std::string_view template_id) override;
  uint64_t TemplatesVersion() const override { return versions_->Load(CacheVersions::kRegistry); }

  core::Result<std::vector<RegisterOutcome>> RegisterSenders(std::string_view sid,
                                                             std::span<const Sender> senders,
                                                             core::TimePoint now) override;
  core::Result<Sender> GetSender(std::string_view sid, std::string_view sender) override;
  core::Result<std::vector<Sender>> ListSenders(std::string_view sid) override;
  core::Result<Sender> UpdateSender(std::string_view sid, std::string_view sender,
                                    const SenderChange& change, core::TimePoint now) override;
  core::Result<void> DeleteSender(std::string_view sid, std::string_view sender) override;
  uint64_t SendersVersion() const override { return versions_->Load(CacheVersions::kRegistry); }

 private:
  PostgresStore(const Options& options, std::unique_ptr<CacheVersions> versions);

  // fn(Connection&) -> core::Result<T> in a transaction that also bumps `kind`'s cache version;
  // the new version is seen by this instance once the transaction has committed.
  template <class F>
  auto Changing(CacheVersions::Kind kind, F&& fn) -> decltype(fn(std::declval<Connection&>()));
  // Runs an UPDATE or DELETE of one row that bumps `kind`; kNotFound with `not_found` when it
  // touched none.
  core::Result<void> ChangeOne(CacheVersions::Kind kind, const char* sql, const Params& params,
                               std::string not_found);
  // kNotFound when the account does not exist, on `conn` (inside a caller's transaction).
  static core::Result<void> CheckAccount(Connection& conn, std::string_view sid);

  Pool pool_;
  std::unique_ptr<CacheVersions> versions_;
};

template <class F>
auto PostgresStore::Changing(CacheVersions::Kind kind, F&& fn)
    -> decltype(fn(std::declval<Connection&>())) {
  uint64_t version = 0;
  auto result = pool_.InTransaction([&](Connection& conn) -> decltype(fn(conn)) {
    auto done = fn(conn);
    if (!done) {
      return done;
    }
    auto bumped = CacheVersions::Bump(conn, kind);
    if (!bumped) {
      return std::unexpected(std::move(bumped.error()));
    }
    version = *bumped;
    return done;
  });
  if (result) {
    versions_->Saw(kind, version);
  }
  return result;
}

}  // namespace smsgw::store::postgres
