#include "store/sqlite/migrations.h"

#include <span>
#include <string>

namespace smsgw::store::sqlite {
namespace {

struct Migration {
  int version;
  const char* sql;
};

// Append only. Each entry runs inside Migrate()'s transaction.
constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE accounts (
  sid        TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  created_at INTEGER NOT NULL              -- Unix ms
) WITHOUT ROWID;

CREATE TABLE api_keys (
  key_hash   TEXT PRIMARY KEY,             -- lower-case hex SHA-256 of the key
  sid        TEXT NOT NULL REFERENCES accounts(sid),
  created_at INTEGER NOT NULL,             -- Unix ms
  revoked_at INTEGER                       -- Unix ms; NULL while the key is active
) WITHOUT ROWID;
-- Counts a listed account's keys; api_keys is small and rarely written.
CREATE INDEX api_keys_by_sid ON api_keys(sid);

-- One row per core::Message. Only the primary key is indexed, so that Enqueue stays fast: the
-- delivery pipeline adds its due-time index in its own migration. A rowid table, not WITHOUT
-- ROWID: rows are large (bodies of up to a few KB) and appends in rowid order stay sequential. Enums are stored as their
-- numeric values in core/message.h (fixed there for this reason); times are Unix ms.
-- No foreign key on sid: the API only enqueues for an authenticated account, and the check would
-- cost every insert a lookup.
CREATE TABLE messages (
  id                  TEXT PRIMARY KEY,
  request_id          TEXT NOT NULL,
  sid                 TEXT NOT NULL,
  recipient           TEXT NOT NULL,
  sender              TEXT NOT NULL,
  body                TEXT NOT NULL,
  type                INTEGER NOT NULL,   -- core::RouteType
  encoding            INTEGER NOT NULL,   -- core::Encoding
  segments            INTEGER NOT NULL,
  flash               INTEGER NOT NULL,   -- 0 or 1
  unicode             TEXT NOT NULL,
  created_at          INTEGER NOT NULL,
  send_at             INTEGER,            -- NULL unless scheduled
  template_id         TEXT NOT NULL,
  template_data       TEXT NOT NULL,
  ref                 TEXT NOT NULL,
  ref1                TEXT NOT NULL,
  ref2                TEXT NOT NULL,
  ref_custom          TEXT NOT NULL,
  campaign_name       TEXT NOT NULL,
  callback_profile_id TEXT NOT NULL,
  callback            TEXT NOT NULL,
  channel             TEXT NOT NULL,
  source              TEXT NOT NULL,
  state               INTEGER NOT NULL,   -- core::MessageState
  status_details      TEXT NOT NULL,
  updated_at          INTEGER NOT NULL    -- last change of state
);
)sql"},
    {2, R"sql(
-- Per-account override of the config's [text] smart_encoding; NULL follows the config.
ALTER TABLE accounts ADD COLUMN smart_encoding INTEGER;
)sql"},
    {3, R"sql(
-- Per-account override of the region's rule whether sends must use registered sender IDs;
-- NULL follows the region (core/region.h).
ALTER TABLE accounts ADD COLUMN require_registered_senders INTEGER;

-- The sender's DLT entity id, attached to messages in region IN (SMPP TLV 0x1400).
ALTER TABLE messages ADD COLUMN entity_id TEXT NOT NULL DEFAULT '';

-- Each account's message templates (store/template_store.h). Read by primary key on the send path
-- (cached in memory); listed per account in template_id order, which the key gives for free.
CREATE TABLE templates (
  sid         TEXT NOT NULL REFERENCES accounts(sid),
  template_id TEXT NOT NULL,
  name        TEXT NOT NULL,
  text        TEXT NOT NULL,
  type        INTEGER,                     -- core::RouteType; NULL: any type
  senders     TEXT NOT NULL,               -- approved sender IDs, comma-separated; '': any
  created_at  INTEGER NOT NULL,            -- Unix ms
  updated_at  INTEGER NOT NULL,            -- Unix ms
  PRIMARY KEY (sid, template_id)
) WITHOUT ROWID;

-- Each account's registered sender IDs (store/sender_store.h), keyed like templates.
CREATE TABLE senders (
  sid         TEXT NOT NULL REFERENCES accounts(sid),
  sender      TEXT NOT NULL,
  description TEXT NOT NULL,
  iso_code    TEXT NOT NULL,               -- ISO 3166-1 alpha-2, upper-case; '' when not given
  entity_id   TEXT NOT NULL,               -- DLT principal-entity id; '' when not given
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (sid, sender)
) WITHOUT ROWID;
)sql"},
};

core::Result<int> ReadVersion(Db& db) {
  auto statement = db.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!statement) {
    return std::unexpected(std::move(statement.error()));
  }
  auto row = statement->Step();
  if (!row) {
    return std::unexpected(std::move(row.error()));
  }
  return static_cast<int>(statement->ColumnInt64(0));
}

core::Result<void> ApplyPending(Db& db, int64_t now_ms) {
  auto created = db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
  if (!created) {
    return created;
  }
  auto version = ReadVersion(db);
  if (!version) {
    return std::unexpected(std::move(version.error()));
  }
  if (*version > LatestSchemaVersion()) {
    return core::MakeError(core::Errc::kInvalidArgument,
                           "database schema version " + std::to_string(*version) +
                               " is newer than this smsgw knows (" +
                               std::to_string(LatestSchemaVersion()) +
                               "); run a newer smsgw or restore a matching backup");
  }
  auto record = db.Prepare("INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)");
  if (!record) {
    return std::unexpected(std::move(record.error()));
  }
  for (const Migration& migration : kMigrations) {
    if (migration.version <= *version) {
      continue;
    }
    if (auto applied = db.Exec(migration.sql); !applied) {
      applied.error().message =
          "schema migration " + std::to_string(migration.version) + ": " + applied.error().message;
      return applied;
    }
    const ScopedReset reset(*record);
    record->BindInt64(1, migration.version);
    record->BindInt64(2, now_ms);
    if (auto recorded = record->Run(); !recorded) {
      return recorded;
    }
  }
  return {};
}

}  // namespace

int LatestSchemaVersion() { return std::span(kMigrations).back().version; }

core::Result<void> Migrate(Db& db, int64_t now_ms) {
  if (auto begun = db.Exec("BEGIN IMMEDIATE"); !begun) {
    return begun;
  }
  auto applied = ApplyPending(db, now_ms);
  if (applied) {
    applied = db.Exec("COMMIT");
  }
  if (!applied && !db.AutoCommit()) {
    (void)db.Exec("ROLLBACK");
  }
  return applied;
}

core::Result<int> SchemaVersion(Db& db) {
  auto exists = db.QueryText(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'");
  if (!exists) {
    return std::unexpected(std::move(exists.error()));
  }
  if (*exists == "0") {
    return 0;
  }
  return ReadVersion(db);
}

}  // namespace smsgw::store::sqlite
