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
// engines (CockroachDB, YugabyteDB) accept too where that costs nothing.
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
    {2, R"sql(
-- Each account's callback profiles (store/callback_profile_store.h), columns as SQLite's
-- (store/sqlite/migrations.cpp, migration 6). callback_profiles_default keeps one default per
-- account; writers that switch it lock the account row first (store/postgres/callback_profiles.h).
CREATE TABLE callback_profiles (
  id              TEXT PRIMARY KEY,
  sid             TEXT NOT NULL REFERENCES accounts(sid),
  name            TEXT NOT NULL,
  url             TEXT NOT NULL,
  method          TEXT NOT NULL,
  headers         TEXT NOT NULL,             -- "name<TAB>value" lines, '\' escapes
  auth_kind       INTEGER NOT NULL,          -- store::CallbackAuth::Kind
  auth_user       TEXT NOT NULL,
  auth_password   TEXT NOT NULL,
  token_url       TEXT NOT NULL,
  client_id       TEXT NOT NULL,
  client_secret   TEXT NOT NULL,
  body_template   TEXT NOT NULL,
  retry_kind      INTEGER NOT NULL,          -- store::RetryPolicy::Kind
  retry_intervals TEXT NOT NULL,             -- kFixed: seconds, comma-separated
  retry_initial   BIGINT NOT NULL,           -- seconds
  retry_max_delay BIGINT NOT NULL,           -- seconds
  retry_horizon   BIGINT NOT NULL,           -- seconds
  is_default      BOOLEAN NOT NULL,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL
);
CREATE INDEX callback_profiles_by_sid ON callback_profiles(sid);
CREATE UNIQUE INDEX callback_profiles_default ON callback_profiles(sid) WHERE is_default;
)sql"},
    {3, R"sql(
-- One row per core::Message (store/message_store.h), with what the delivery pipeline keeps of it.
-- A waiting message (kQueued, kScheduled) is due at due_at; a claimed one (kSubmitting) has
-- due_at = its lease's end, so one partial index serves claiming new work and taking over the
-- claims of dead nodes; due_at is NULL once the message no longer waits. No foreign key on sid:
-- the API only enqueues for an authenticated account, and the check would cost every insert.
CREATE TABLE messages (
  id                  TEXT PRIMARY KEY,
  request_id          TEXT NOT NULL,
  sid                 TEXT NOT NULL,
  recipient           TEXT NOT NULL,
  sender              TEXT NOT NULL,
  body                TEXT NOT NULL,
  type                INTEGER NOT NULL,      -- core::RouteType
  encoding            INTEGER NOT NULL,      -- core::Encoding
  segments            INTEGER NOT NULL,
  flash               BOOLEAN NOT NULL,
  unicode             TEXT NOT NULL,
  created_at          BIGINT NOT NULL,
  send_at             BIGINT,                -- NULL unless scheduled
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
  state               INTEGER NOT NULL,      -- core::MessageState
  status_details      TEXT NOT NULL,
  updated_at          BIGINT NOT NULL,       -- last change of state
  entity_id           TEXT NOT NULL,
  expires_at          BIGINT,                -- a validity of its own (SMPP validity_period)
  priority            INTEGER NOT NULL,      -- core::ClaimPriority
  due_at              BIGINT,
  claim_owner         TEXT NOT NULL DEFAULT '',
  attempts            INTEGER NOT NULL DEFAULT 0,
  last_error          TEXT NOT NULL DEFAULT '',
  parts_total         INTEGER NOT NULL DEFAULT 0,  -- 0 until the first part is accepted
  smpp_system_id      TEXT,                  -- NULL for an API send
  registered_delivery INTEGER                -- NULL for an API send
);
CREATE INDEX messages_due ON messages(priority, due_at) WHERE due_at IS NOT NULL;
-- The message log (store/message_log.h): an account's messages newest first, and by recipient.
CREATE INDEX messages_by_sid ON messages(sid, created_at);
CREATE INDEX messages_by_recipient ON messages(sid, recipient, created_at);

-- Idempotency-Key of send requests (store/message_store.h IdempotencyRecord), written with the
-- request's messages; rows older than a day are purged as new keys are stored.
CREATE TABLE idempotency_keys (
  sid         TEXT NOT NULL,
  key         TEXT NOT NULL,
  fingerprint TEXT NOT NULL,                 -- hex SHA-256 of the request
  response    TEXT NOT NULL,                 -- the 200 body
  created_at  BIGINT NOT NULL,
  PRIMARY KEY (sid, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys(created_at);
)sql"},
    {4, R"sql(
-- Delivery (store/delivery_store.h). One row per part accepted by an SMSC; receipts find their part
-- by (connector, smsc_id).
CREATE TABLE message_parts (
  message_id   TEXT NOT NULL,
  part         INTEGER NOT NULL,             -- 1-based
  connector    TEXT NOT NULL,
  smsc_id      TEXT NOT NULL,                -- normalised (smpp/codec/message_id.h)
  smsc_id_raw  TEXT NOT NULL,                -- as the SMSC sent it
  state        INTEGER NOT NULL,             -- core::PartState
  stat         TEXT NOT NULL DEFAULT '',
  err          TEXT NOT NULL DEFAULT '',
  submitted_at BIGINT NOT NULL,
  done_at      BIGINT,
  PRIMARY KEY (message_id, part)
);
CREATE INDEX message_parts_by_smsc_id ON message_parts(connector, smsc_id);
-- Parts still waiting for a final receipt, oldest first: what [delivery] receipt_timeout ends.
CREATE INDEX message_parts_awaiting_receipt ON message_parts(submitted_at) WHERE state = 0;

-- Receipts that arrived before their part was recorded (or never matched one): applied when the
-- part is recorded; the rest stay visible and counted.
CREATE TABLE held_receipts (
  id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  connector   TEXT NOT NULL,
  smsc_id     TEXT NOT NULL,
  state       INTEGER NOT NULL,              -- core::PartState
  stat        TEXT NOT NULL,
  err         TEXT NOT NULL,
  received_at BIGINT NOT NULL
);
CREATE INDEX held_receipts_by_smsc_id ON held_receipts(connector, smsc_id);

-- Every status change of a message (store/message_log.h StatusEvent): its history, and what its
-- webhooks report. Keyed by the message, so a message's events are one range of the key;
-- event_id is a UUIDv7, so they are in time order within it.
CREATE TABLE message_events (
  message_id TEXT NOT NULL,
  event_id   TEXT NOT NULL,
  sid        TEXT NOT NULL,
  state      INTEGER NOT NULL,               -- core::MessageState
  details    TEXT NOT NULL,
  at         BIGINT NOT NULL,
  PRIMARY KEY (message_id, event_id)
);

-- Handsets opted out of an account's sender (store/opt_out_store.h); sender '' is every sender.
-- Keyed for the claim's probe: (sid, recipient) and then the message's sender or ''.
CREATE TABLE opt_outs (
  sid        TEXT NOT NULL,
  recipient  TEXT NOT NULL,
  sender     TEXT NOT NULL,
  source     TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (sid, recipient, sender)
);
)sql"},
    {5, R"sql(
-- Per-country caps of accounts (store/country_cap_store.h) and what is counted against them per
-- UTC day ('2026-12-05') and month ('2026-12'), as SQLite's (store/sqlite/migrations.cpp,
-- migration 11). Enqueue locks the usage rows it counts in (store/postgres/country_caps.h); no
-- foreign key on them, which would cost each new day's first message a check.
CREATE TABLE country_caps (
  sid     TEXT NOT NULL REFERENCES accounts(sid),
  country TEXT NOT NULL,                     -- ISO 3166-1 alpha-2
  daily   BIGINT,                            -- NULL: no daily cap
  monthly BIGINT,                            -- NULL: no monthly cap
  PRIMARY KEY (sid, country)
);
CREATE TABLE country_usage (
  sid     TEXT NOT NULL,
  country TEXT NOT NULL,
  period  TEXT NOT NULL,
  count   BIGINT NOT NULL,
  PRIMARY KEY (sid, country, period)
);
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
