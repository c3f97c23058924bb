#include "store/postgres/migrations.h"

#include <span>
#include <string>

namespace smsgw::store::postgres {
namespace {

struct Migration {
  int version;
  const char* sql;
};

// Append only once released. Each entry runs inside Migrate()'s transaction. Times are BIGINT Unix
// milliseconds and enums their numeric values in core/, as in the SQLite schema, so the two
// backends read and write the same values. The SQL keeps to what PostgreSQL-wire distributed
// engines accept too (docs/deployment.md says where it does not).
constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE accounts (
  sid                        TEXT PRIMARY KEY,
  name                       TEXT NOT NULL,
  created_at                 BIGINT NOT NULL,
  smart_encoding             BOOLEAN,      -- NULL follows the config's [text] smart_encoding
  require_registered_senders BOOLEAN,      -- NULL follows the region (core/region.h)
  webhook_secret             TEXT,
  sends_per_second           BIGINT,
  recipients_per_second      BIGINT
);

CREATE TABLE api_keys (
  key_hash   TEXT PRIMARY KEY,               -- lower-case hex SHA-256 of the key
  sid        TEXT NOT NULL REFERENCES accounts(sid),
  created_at BIGINT NOT NULL,
  revoked_at BIGINT                          -- NULL while the key is active
);
CREATE INDEX api_keys_by_sid ON api_keys(sid);

CREATE TABLE templates (
  sid         TEXT NOT NULL REFERENCES accounts(sid),
  template_id TEXT NOT NULL,
  name        TEXT NOT NULL,
  text        TEXT NOT NULL,
  type        INTEGER,                       -- core::RouteType; NULL: any type
  senders     TEXT NOT NULL,                 -- approved sender IDs, comma-separated; '': any
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL,
  PRIMARY KEY (sid, template_id)
);

CREATE TABLE senders (
  sid         TEXT NOT NULL REFERENCES accounts(sid),
  sender      TEXT NOT NULL,
  description TEXT NOT NULL,
  iso_code    TEXT NOT NULL,
  entity_id   TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL,
  PRIMARY KEY (sid, sender)
);

-- What nodes cache (API keys and account settings; templates and senders) and the version that
-- tells them to read it again: bumped in the transaction of every change, announced with NOTIFY
-- on channel smsgw_cache_versions, and polled (store/postgres/cache_versions.h).
CREATE TABLE cache_versions (
  name    TEXT PRIMARY KEY,                  -- 'keys', 'registry'
  version BIGINT NOT NULL
);
INSERT INTO cache_versions (name, version) VALUES ('keys', 1), ('registry', 1);
)sql"},
};

}  // namespace

int LatestSchemaVersion() { return std::span(kMigrations).back().version; }

core::Result<void> Migrate(Connection& conn, int64_t now_ms) {
  auto run = [&]() -> core::Result<void> {
    // hashtext() of the schema: nodes on one schema serialise; tests on their own schemas of one
    // database do not wait for each other.
    for (const char* step :
         {"BEGIN", "SELECT pg_advisory_xact_lock(hashtext('smsgw:' || current_schema()))",
          "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
          "applied_at BIGINT NOT NULL)"}) {
      if (auto ran = conn.ExecScript(step); !ran) {
        return Fail(std::move(ran));
      }
    }
    auto current = conn.Exec("SELECT coalesce(max(version), 0) FROM schema_migrations");
    if (!current) {
      return Fail(std::move(current));
    }
    const int64_t version = current->Int(0, 0);
    if (version > LatestSchemaVersion()) {
      return core::MakeError(core::Errc::kInvalidArgument,
                             "database schema version " + std::to_string(version) +
                                 " is newer than this smsgw knows (" +
                                 std::to_string(LatestSchemaVersion()) +
                                 "); run a newer smsgw or restore a matching backup");
    }
    for (const Migration& migration : kMigrations) {
      if (migration.version <= version) {
        continue;
      }
      if (auto applied = conn.ExecScript(migration.sql); !applied) {
        applied.error().message = "schema migration " + std::to_string(migration.version) + ": " +
                                  applied.error().message;
        return Fail(std::move(applied));
      }
      auto recorded =
          conn.Exec("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                    Params().Int(migration.version).Int(now_ms));
      if (!recorded) {
        return Fail(std::move(recorded));
      }
    }
    if (auto committed = conn.ExecScript("COMMIT"); !committed) {
      return Fail(std::move(committed));
    }
    return {};
  };
  auto migrated = run();
  if (!migrated && PQtransactionStatus(conn.raw()) != PQTRANS_IDLE) {
    (void)conn.ExecScript("ROLLBACK");
  }
  return migrated;
}

}  // namespace smsgw::store::postgres
