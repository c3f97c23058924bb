#include "store/postgres/postgres_store.h"

#include <chrono>
#include <utility>

#include "store/postgres/migrations.h"

namespace smsgw::store::postgres {

core::Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const Options& options) {
  auto conn = Connection::Open(options.conninfo);
  if (!conn) {
    return std::unexpected(std::move(conn.error()));
  }
  const int64_t now = core::ToUnixMillis(std::chrono::system_clock::now());
  if (auto migrated = Migrate(**conn, now); !migrated) {
    return std::unexpected(std::move(migrated.error()));
  }
  auto versions = CacheVersions::Start(options.conninfo, options.version_poll);
  if (!versions) {
    return std::unexpected(std::move(versions.error()));
  }
  return std::unique_ptr<PostgresStore>(new PostgresStore(options, std::move(*versions)));
}

PostgresStore::PostgresStore(const Options& options, std::unique_ptr<CacheVersions> versions)
    : pool_(Pool::Options{options.conninfo, options.pool_size, options.statement_timeout}),
      versions_(std::move(versions)),
      accounts_(pool_, *versions_),
      registry_(pool_, *versions_),
      callback_profiles_(pool_, *versions_),
      messages_(pool_, outbox_state_),
      country_caps_(pool_),
      delivery_(pool_, outbox_state_),
      message_log_(pool_),
      opt_outs_(pool_),
      inbound_(pool_, outbox_state_.smpp_outbox_versions()),
      inbound_numbers_(pool_),
      smpp_credentials_(pool_, *versions_),
      smpp_outbox_(pool_, outbox_state_.smpp_outbox_versions(), options.version_poll),
      smpp_staging_(pool_, outbox_state_),
      console_passwords_(pool_),
      webhooks_(pool_, outbox_state_),
      delivery_stats_(pool_),
      operations_(pool_),
      cluster_(pool_) {}

}  // namespace smsgw::store::postgres
