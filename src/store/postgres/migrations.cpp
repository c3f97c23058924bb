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
    {6, R"sql(
-- The webhook outbox (store/webhook_store.h), columns as SQLite's (store/sqlite/migrations.cpp,
-- migration 6): one row per webhook, written in the transaction of what it reports
-- (store/postgres/outbox.h). due_at is NULL unless pending; a claimed row's due_at is its
-- lease's end and claim_owner names the claimer ('' while waiting), so claims and the takeover of
-- dead claims are one range of webhooks_due.
CREATE TABLE webhooks (
  event_id            TEXT PRIMARY KEY,      -- the message event's, or the inbound message's id
  kind                INTEGER NOT NULL,      -- store::WebhookKind
  sid                 TEXT NOT NULL,
  subject_id          TEXT NOT NULL,         -- message id or inbound message id
  callback            TEXT NOT NULL,         -- the resolved target: inline callback, else
  callback_profile_id TEXT NOT NULL,         -- a profile id
  state               INTEGER NOT NULL,      -- store::WebhookState
  due_at              BIGINT,
  claim_owner         TEXT NOT NULL DEFAULT '',
  tries               INTEGER NOT NULL DEFAULT 0,  -- in the current run of the retry policy
  run_started_at      BIGINT NOT NULL,
  attempts            INTEGER NOT NULL DEFAULT 0,  -- over its whole life
  last_error          TEXT NOT NULL DEFAULT '',
  created_at          BIGINT NOT NULL,
  finished_at         BIGINT
);
CREATE INDEX webhooks_due ON webhooks(due_at) WHERE due_at IS NOT NULL;
-- A listing is one range: an account's webhooks in one state, newest first, ties by event_id in
-- byte order (as SQLite's).
CREATE INDEX webhooks_by_sid ON webhooks(sid, state, created_at, event_id COLLATE "C");
CREATE INDEX webhooks_by_subject ON webhooks(subject_id);

-- Every attempt, numbered over the webhook's life; the row's attempts is the last n.
CREATE TABLE webhook_attempts (
  event_id    TEXT NOT NULL,
  n           INTEGER NOT NULL,              -- 1-based
  at          BIGINT NOT NULL,
  latency_ms  BIGINT NOT NULL,
  http_status INTEGER NOT NULL,              -- 0: no HTTP answer
  error       TEXT NOT NULL,
  PRIMARY KEY (event_id, n)
);
)sql"},
    {7, R"sql(
-- Inbound (MO) messages and the numbers they arrive on (store/inbound_store.h,
-- store/inbound_number_store.h), columns as SQLite's (store/sqlite/migrations.cpp, migrations 5,
-- 6 and 21). Writers that decide on a number's entries or on a message's waiting parts take a
-- transaction-scoped advisory lock on the number or the concatenation key first
-- (store/postgres/inbound_numbers.h, inbound.h).
CREATE TABLE inbound_numbers (
  id                  TEXT PRIMARY KEY,
  sid                 TEXT NOT NULL REFERENCES accounts(sid),
  number              TEXT NOT NULL,         -- digits only
  keyword             TEXT NOT NULL,         -- upper-case; '' for the number's default entry
  expires_at          BIGINT,                -- NULL: never
  callback            TEXT NOT NULL,
  callback_profile_id TEXT NOT NULL,
  created_at          BIGINT NOT NULL,
  target              INTEGER NOT NULL       -- store::InboundTarget
);
CREATE INDEX inbound_numbers_by_number ON inbound_numbers(number, keyword);
CREATE INDEX inbound_numbers_by_sid ON inbound_numbers(sid, number, keyword);

-- The parts of a concatenated MO waiting for the rest; a message's parts are one range of the key.
CREATE TABLE inbound_parts (
  connector   TEXT NOT NULL,
  source      TEXT NOT NULL,
  destination TEXT NOT NULL,
  reference   INTEGER NOT NULL,              -- UDH (8 or 16 bit) or sar_msg_ref_num
  total       INTEGER NOT NULL,
  seqnum      INTEGER NOT NULL,              -- 1-based
  data_coding INTEGER NOT NULL,
  payload     BYTEA NOT NULL,                -- the octets, UDH included
  udh_length  INTEGER NOT NULL,              -- octets of UDH at the start of payload
  received_at BIGINT NOT NULL,
  PRIMARY KEY (connector, source, destination, reference, total, seqnum)
);
CREATE INDEX inbound_parts_by_received ON inbound_parts(received_at);

-- Every inbound message, complete or stored with parts missing, and the entry it matched. seq is
-- the order of storing, which listings page on newest first: ids are UUIDv7, whose order across
-- nodes is only as good as their clocks.
CREATE TABLE inbound_messages (
  id             TEXT PRIMARY KEY,
  seq            BIGINT GENERATED BY DEFAULT AS IDENTITY,
  received_at    BIGINT NOT NULL,            -- the first part
  stored_at      BIGINT NOT NULL,
  connector      TEXT NOT NULL,
  source         TEXT NOT NULL,
  destination    TEXT NOT NULL,
  text           TEXT NOT NULL,              -- UTF-8
  parts_total    INTEGER NOT NULL,
  parts_received INTEGER NOT NULL,
  parts_missing  TEXT NOT NULL,              -- part numbers, comma-separated; '' when complete
  concat_ref     INTEGER,                    -- the parts' reference; NULL for an unconcatenated MO
  sid            TEXT,                       -- the matched entry's account; NULL: none
  number_id      TEXT NOT NULL,
  keyword        TEXT NOT NULL
);
CREATE UNIQUE INDEX inbound_messages_by_seq ON inbound_messages(seq);
-- A part sent again after its message was stored finds that message (recent ones only).
CREATE INDEX inbound_messages_by_concat ON inbound_messages(source, destination, concat_ref,
  stored_at) WHERE concat_ref IS NOT NULL;
CREATE INDEX inbound_messages_unmatched ON inbound_messages(stored_at) WHERE sid IS NULL;
)sql"},
    {8, R"sql(
-- Customers' SMPP credentials (store/smpp_credential_store.h), columns as SQLite's
-- (store/sqlite/migrations.cpp, migrations 14, 16, 20, 21). A system_id is never reused: a revoked
-- row stays, and the primary key makes two nodes adding one system_id at once add it once.
CREATE TABLE smpp_credentials (
  system_id       TEXT PRIMARY KEY,
  sid             TEXT NOT NULL REFERENCES accounts(sid),
  salt            TEXT NOT NULL,
  password_hash   TEXT NOT NULL,             -- core::PasswordHashHex(salt, password)
  created_at      BIGINT NOT NULL,
  revoked_at      BIGINT,                    -- NULL while active
  max_rate        BIGINT,                    -- messages a second; NULL: [smpp_server] max_rate
  type            TEXT,                      -- "OTP", "TXN", ...; NULL: as an API send
  allowed_sources TEXT,                      -- canonical CIDRs, one space apart; NULL: anywhere
  id_format       INTEGER NOT NULL DEFAULT 0 -- store::SmppIdFormat
);
CREATE INDEX smpp_credentials_by_sid ON smpp_credentials(sid);

-- Console passwords (store/console_password_store.h): PBKDF2-HMAC-SHA256 with a per-account salt.
CREATE TABLE console_passwords (
  sid           TEXT PRIMARY KEY REFERENCES accounts(sid),
  salt          TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  updated_at    BIGINT NOT NULL
);
)sql"},
    {9, R"sql(
-- Receipts and MO back to customers' SMPP binds (store/smpp_outbox_store.h), columns as SQLite's
-- (store/sqlite/migrations.cpp, migration 18): per account in id order, an identity that is
-- never reused (a late deliver_sm_resp cannot finish a newer row); deleted when acknowledged.
-- due_at is the next attempt (a claimed row's: its lease's end). messages already has
-- smpp_system_id and registered_delivery (migration 3).
CREATE TABLE smpp_outbox (
  id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  sid         TEXT NOT NULL,
  kind        INTEGER NOT NULL,              -- store::SmppOutboxKind
  subject_id  TEXT NOT NULL,                 -- the message (receipt) or inbound message (MO)
  system_id   TEXT NOT NULL,                 -- receipt: the credential it was submitted through
  registered_delivery INTEGER NOT NULL,      -- receipt: as submitted
  state       INTEGER NOT NULL,              -- receipt: core::MessageState reported
  details     TEXT NOT NULL,                 -- receipt: status_details at that change
  at          BIGINT NOT NULL,               -- the change (MO: stored)
  due_at      BIGINT NOT NULL,
  claim_owner TEXT NOT NULL DEFAULT '',
  attempts    INTEGER NOT NULL DEFAULT 0,    -- answers other than ESME_ROK
  created_at  BIGINT NOT NULL
);
CREATE INDEX smpp_outbox_by_sid ON smpp_outbox(sid, id);

-- Concatenated submits from SMPP customers, staged until their last part arrives
-- (store/smpp_staging_store.h), as SQLite's migration 19. A set is one row, unique by its key,
-- its id never reused; its parts are one range of smpp_staged_parts, in part order.
CREATE TABLE smpp_staged_sets (
  id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  system_id   TEXT NOT NULL,                 -- the credential
  source      TEXT NOT NULL,
  destination TEXT NOT NULL,
  reference   INTEGER NOT NULL,              -- UDH (8 or 16 bit) or sar_msg_ref_num
  sid         TEXT NOT NULL,
  total       INTEGER NOT NULL,
  data_coding INTEGER NOT NULL,
  registered_delivery INTEGER NOT NULL,      -- the first non-zero of its parts'
  message_id  TEXT NOT NULL,                 -- the id every part was answered with
  parts       INTEGER NOT NULL,              -- parts staged
  octets      BIGINT NOT NULL,               -- their user data together
  first_at    BIGINT NOT NULL,               -- the first part
  UNIQUE (system_id, source, destination, reference)
);
CREATE INDEX smpp_staged_sets_by_first ON smpp_staged_sets(first_at);
CREATE TABLE smpp_staged_parts (
  set_id      BIGINT NOT NULL,
  seqnum      INTEGER NOT NULL,              -- 1-based
  user_data   BYTEA NOT NULL,                -- the octets, UDH removed
  PRIMARY KEY (set_id, seqnum)
);
)sql"},
    {10, R"sql(
-- Per-minute delivery rollups for the console's charts (store/delivery_stats.h), as SQLite's
-- migration 17: each transaction that accepts or settles messages adds its counts with one upsert
-- per key before its COMMIT (delivery_stats.h), so nodes adding to one minute never lose a count.
-- connector '' is what no connector handled; type is core::RouteType; d0..d10 count receipt
-- delays by store::kDelayBucketBounds. minute is Unix minutes. Kept kRollupRetention (8 days),
-- pruned through delivery_minutes_by_minute.
CREATE TABLE delivery_minutes (
  sid         TEXT NOT NULL,
  minute      BIGINT NOT NULL,
  connector   TEXT NOT NULL,
  type        INTEGER NOT NULL,
  accepted    BIGINT NOT NULL DEFAULT 0,
  delivered   BIGINT NOT NULL DEFAULT 0,
  undelivered BIGINT NOT NULL DEFAULT 0,
  not_sent    BIGINT NOT NULL DEFAULT 0,
  d0 BIGINT NOT NULL DEFAULT 0, d1 BIGINT NOT NULL DEFAULT 0, d2 BIGINT NOT NULL DEFAULT 0,
  d3 BIGINT NOT NULL DEFAULT 0, d4 BIGINT NOT NULL DEFAULT 0, d5 BIGINT NOT NULL DEFAULT 0,
  d6 BIGINT NOT NULL DEFAULT 0, d7 BIGINT NOT NULL DEFAULT 0, d8 BIGINT NOT NULL DEFAULT 0,
  d9 BIGINT NOT NULL DEFAULT 0, d10 BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (sid, minute, connector, type)
);
CREATE INDEX delivery_minutes_by_minute ON delivery_minutes(minute);
)sql"},
    {11, R"sql(
-- The cluster (store/cluster_store.h), as SQLite's migration 22: each process life's beat, and the
-- leases on the SMSC bind slots a connector's `binds` allow. Times are the server's clock, Unix ms
-- (cluster.h); a beat or lease whose expires_at has passed is lapsed, free to take over.
CREATE TABLE cluster_nodes (
  owner      TEXT PRIMARY KEY,               -- app/owner_name.h: "<node id>/<pid>:<uuid>"
  started_at BIGINT NOT NULL,
  beat_at    BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE TABLE bind_leases (
  connector  TEXT NOT NULL,
  slot       INTEGER NOT NULL,               -- 0 .. binds-1
  owner      TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (connector, slot)
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
