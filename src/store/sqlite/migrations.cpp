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
    {4, R"sql(
-- Delivery (issue 5). A waiting message (kQueued, kScheduled) is due at due_at; a claimed one
-- (kSubmitting) has due_at = its lease's end, so one partial index serves claiming new work and
-- taking over the claims of dead nodes. due_at is NULL once the message no longer waits.
ALTER TABLE messages ADD COLUMN priority INTEGER NOT NULL DEFAULT 2;  -- core::ClaimPriority
ALTER TABLE messages ADD COLUMN due_at INTEGER;                        -- Unix ms
ALTER TABLE messages ADD COLUMN claim_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN parts_total INTEGER NOT NULL DEFAULT 0;  -- 0 until the first part is accepted
UPDATE messages SET
  priority = CASE type WHEN 0 THEN 0 WHEN 1 THEN 1 WHEN 2 THEN 1 ELSE 2 END,
  due_at = CASE WHEN state IN (0, 1, 2) THEN coalesce(send_at, created_at) END;
CREATE INDEX messages_due ON messages(priority, due_at) WHERE due_at IS NOT NULL;
-- The message log (store/message_log.h): an account's messages newest first, and by recipient.
CREATE INDEX messages_by_sid ON messages(sid, created_at);
CREATE INDEX messages_by_recipient ON messages(sid, recipient, created_at);

-- One row per part accepted by an SMSC. Receipts find their part by (connector, smsc_id).
CREATE TABLE message_parts (
  message_id   TEXT NOT NULL,
  part         INTEGER NOT NULL,             -- 1-based
  connector    TEXT NOT NULL,
  smsc_id      TEXT NOT NULL,                -- normalised (smpp/codec/message_id.h)
  smsc_id_raw  TEXT NOT NULL,                -- as the SMSC sent it
  state        INTEGER NOT NULL,             -- core::PartState
  stat         TEXT NOT NULL DEFAULT '',
  err          TEXT NOT NULL DEFAULT '',
  submitted_at INTEGER NOT NULL,
  done_at      INTEGER,
  PRIMARY KEY (message_id, part)
) WITHOUT ROWID;
CREATE INDEX message_parts_by_smsc_id ON message_parts(connector, smsc_id);

-- Receipts that arrived before their part was recorded (or never matched one): applied when the
-- part is recorded; the rest stay visible and counted.
CREATE TABLE held_receipts (
  id          INTEGER PRIMARY KEY,
  connector   TEXT NOT NULL,
  smsc_id     TEXT NOT NULL,
  state       INTEGER NOT NULL,              -- core::PartState
  stat        TEXT NOT NULL,
  err         TEXT NOT NULL,
  received_at INTEGER NOT NULL
);
CREATE INDEX held_receipts_by_smsc_id ON held_receipts(connector, smsc_id);

-- Every status change of a message: its history, and the webhook outbox (issue 6 adds the
-- delivery columns). event_id is a UUIDv7, so inserts append.
CREATE TABLE message_events (
  event_id   TEXT PRIMARY KEY,
  message_id TEXT NOT NULL,
  sid        TEXT NOT NULL,
  state      INTEGER NOT NULL,               -- core::MessageState
  details    TEXT NOT NULL,
  at         INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX message_events_by_message ON message_events(message_id);
)sql"},
    {5, R"sql(
-- Inbound (MO) messages (store/inbound_store.h). The parts of a concatenated MO wait here until
-- the last one arrives or the reassembly timeout passes. The key is the concatenation key, so a
-- part sent again finds itself, and a message's parts are one range of the key, in part order.
CREATE TABLE inbound_parts (
  connector   TEXT NOT NULL,
  source      TEXT NOT NULL,
  destination TEXT NOT NULL,
  reference   INTEGER NOT NULL,              -- UDH (8 or 16 bit) or sar_msg_ref_num
  total       INTEGER NOT NULL,
  seqnum      INTEGER NOT NULL,              -- 1-based
  data_coding INTEGER NOT NULL,
  payload     TEXT NOT NULL,                 -- lower-case hex of the octets, UDH included
  udh_length  INTEGER NOT NULL,              -- octets of UDH at the start of payload
  received_at INTEGER NOT NULL,              -- Unix ms
  PRIMARY KEY (connector, source, destination, reference, total, seqnum)
) WITHOUT ROWID;
-- The reassembly timeout finds the messages waiting too long.
CREATE INDEX inbound_parts_by_received ON inbound_parts(received_at);

-- Every inbound message, complete or stored with parts missing: the inbound outbox (the webhooks
-- issue adds its forwarding columns). A rowid table, whose rowid order is the order of storing
-- (newest first walks it backwards); id is a UUIDv7, so its index grows at the right edge too.
CREATE TABLE inbound_messages (
  id             TEXT PRIMARY KEY,
  received_at    INTEGER NOT NULL,           -- Unix ms, the first part
  stored_at      INTEGER NOT NULL,           -- Unix ms
  connector      TEXT NOT NULL,
  source         TEXT NOT NULL,
  destination    TEXT NOT NULL,
  text           TEXT NOT NULL,              -- UTF-8
  parts_total    INTEGER NOT NULL,
  parts_received INTEGER NOT NULL,
  parts_missing  TEXT NOT NULL,              -- part numbers, comma-separated; '' when complete
  concat_ref     INTEGER                     -- the parts' reference; NULL for an unconcatenated MO
);
-- A part sent again after its message was stored finds that message (recent ones only).
CREATE INDEX inbound_messages_by_concat ON inbound_messages(source, destination, concat_ref,
  stored_at) WHERE concat_ref IS NOT NULL;
)sql"},
    {6, R"sql(
-- Webhooks and two-way SMS (issue 6). The secret each account's webhooks are signed with; NULL:
-- not signed.
ALTER TABLE accounts ADD COLUMN webhook_secret TEXT;

-- Each account's callback profiles (store/callback_profile_store.h). At most one per account is
-- its default (a partial unique index), found by the outbox writes with one probe.
CREATE TABLE callback_profiles (
  id              TEXT PRIMARY KEY,
  sid             TEXT NOT NULL REFERENCES accounts(sid),
  name            TEXT NOT NULL,
  url             TEXT NOT NULL,
  method          TEXT NOT NULL,
  headers         TEXT NOT NULL,           -- "name<TAB>value" lines, '\' escapes (sqlite_callback_profiles.cpp)
  auth_kind       INTEGER NOT NULL,        -- store::CallbackAuth::Kind
  auth_user       TEXT NOT NULL,
  auth_password   TEXT NOT NULL,
  token_url       TEXT NOT NULL,
  client_id       TEXT NOT NULL,
  client_secret   TEXT NOT NULL,
  body_template   TEXT NOT NULL,
  retry_kind      INTEGER NOT NULL,        -- store::RetryPolicy::Kind
  retry_intervals TEXT NOT NULL,           -- kFixed: seconds, comma-separated
  retry_initial   INTEGER NOT NULL,        -- seconds
  retry_max_delay INTEGER NOT NULL,        -- seconds
  retry_horizon   INTEGER NOT NULL,        -- seconds
  is_default      INTEGER NOT NULL,        -- 0 or 1
  created_at      INTEGER NOT NULL,        -- Unix ms
  updated_at      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX callback_profiles_by_sid ON callback_profiles(sid);
CREATE UNIQUE INDEX callback_profiles_default ON callback_profiles(sid) WHERE is_default = 1;

-- The numbers and keywords accounts receive MOs on (store/inbound_number_store.h). Matching reads
-- a number's entries; an account lists its own.
CREATE TABLE inbound_numbers (
  id                  TEXT PRIMARY KEY,
  sid                 TEXT NOT NULL REFERENCES accounts(sid),
  number              TEXT NOT NULL,       -- digits only
  keyword             TEXT NOT NULL,       -- upper-case; '' for the number's default entry
  expires_at          INTEGER,             -- Unix ms; NULL: never
  callback            TEXT NOT NULL,
  callback_profile_id TEXT NOT NULL,
  created_at          INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX inbound_numbers_by_number ON inbound_numbers(number, keyword);
CREATE INDEX inbound_numbers_by_sid ON inbound_numbers(sid, number, keyword);

-- The webhook outbox (store/webhook_store.h): one row per webhook, written in the transaction of
-- what it reports. event_id is a UUIDv7 (the message event's, or the inbound message's id), so
-- inserts append. due_at is NULL unless pending; a claimed row's due_at is its lease's end and
-- claim_owner names the claimer ('' while waiting).
CREATE TABLE webhooks (
  event_id            TEXT PRIMARY KEY,
  kind                INTEGER NOT NULL,    -- store::WebhookKind
  sid                 TEXT NOT NULL,
  subject_id          TEXT NOT NULL,       -- message id or inbound message id
  callback            TEXT NOT NULL,       -- the resolved target: inline callback, else
  callback_profile_id TEXT NOT NULL,       -- a profile id
  state               INTEGER NOT NULL,    -- store::WebhookState
  due_at              INTEGER,             -- Unix ms
  claim_owner         TEXT NOT NULL DEFAULT '',
  tries               INTEGER NOT NULL DEFAULT 0,  -- in the current run of the retry policy
  run_started_at      INTEGER NOT NULL,
  attempts            INTEGER NOT NULL DEFAULT 0,  -- over its whole life
  last_error          TEXT NOT NULL DEFAULT '',
  created_at          INTEGER NOT NULL,
  finished_at         INTEGER
) WITHOUT ROWID;
CREATE INDEX webhooks_due ON webhooks(due_at) WHERE due_at IS NOT NULL;
CREATE INDEX webhooks_by_sid ON webhooks(sid, state, created_at);
CREATE INDEX webhooks_by_subject ON webhooks(subject_id);

CREATE TABLE webhook_attempts (
  event_id    TEXT NOT NULL,
  n           INTEGER NOT NULL,            -- 1-based over the webhook's life
  at          INTEGER NOT NULL,
  latency_ms  INTEGER NOT NULL,
  http_status INTEGER NOT NULL,            -- 0: no HTTP answer
  error       TEXT NOT NULL,
  PRIMARY KEY (event_id, n)
) WITHOUT ROWID;

-- The entry an inbound message matched when stored; sid NULL: none (counted by a partial index).
ALTER TABLE inbound_messages ADD COLUMN sid TEXT;
ALTER TABLE inbound_messages ADD COLUMN number_id TEXT NOT NULL DEFAULT '';
ALTER TABLE inbound_messages ADD COLUMN keyword TEXT NOT NULL DEFAULT '';
CREATE INDEX inbound_messages_unmatched ON inbound_messages(stored_at) WHERE sid IS NULL;
)sql"},
    {7, R"sql(
-- Per-account overrides of [limits] sends_per_second and recipients_per_second; NULL follows the
-- config, 0 means unlimited.
ALTER TABLE accounts ADD COLUMN sends_per_second INTEGER;
ALTER TABLE accounts ADD COLUMN recipients_per_second INTEGER;
)sql"},
    {8, R"sql(
-- Idempotency-Key of send requests (store/message_store.h IdempotencyRecord), written with the
-- request's messages; rows older than a day are purged as new keys are stored.
CREATE TABLE idempotency_keys (
  sid         TEXT NOT NULL,
  key         TEXT NOT NULL,
  fingerprint TEXT NOT NULL,               -- hex SHA-256 of the request
  response    TEXT NOT NULL,               -- the 200 body
  created_at  INTEGER NOT NULL,            -- Unix ms
  PRIMARY KEY (sid, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys(created_at);
)sql"},
    {9, R"sql(
-- Parts still waiting for a final receipt, oldest first: what [delivery] receipt_timeout ends.
-- Partial, so it holds only the parts in flight.
CREATE INDEX message_parts_awaiting_receipt ON message_parts(submitted_at) WHERE state = 0;
)sql"},
    {10, R"sql(
-- Handsets opted out of an account's sender (store/opt_out_store.h); sender '' is every sender.
-- Keyed for the claim's probe: (sid, recipient) and then the message's sender or ''.
CREATE TABLE opt_outs (
  sid        TEXT NOT NULL,
  recipient  TEXT NOT NULL,
  sender     TEXT NOT NULL,
  source     TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (sid, recipient, sender)
) WITHOUT ROWID;
)sql"},
    {11, R"sql(
-- Per-country caps of accounts (store/country_cap_store.h) and what is counted against them per
-- UTC day ('2026-12-05') and month ('2026-12').
CREATE TABLE country_caps (
  sid     TEXT NOT NULL,
  country TEXT NOT NULL,                   -- ISO 3166-1 alpha-2
  daily   INTEGER,                         -- NULL: no daily cap
  monthly INTEGER,                         -- NULL: no monthly cap
  PRIMARY KEY (sid, country)
) WITHOUT ROWID;
CREATE TABLE country_usage (
  sid     TEXT NOT NULL,
  country TEXT NOT NULL,
  period  TEXT NOT NULL,
  count   INTEGER NOT NULL,
  PRIMARY KEY (sid, country, period)
) WITHOUT ROWID;
)sql"},
    {12, R"sql(
-- A message's webhooks are found through its events (their event_id is the webhook's): an index
-- on subject_id cost every webhook written an insert into a third B-tree (issue 14).
DROP INDEX webhooks_by_subject;
)sql"},
    {13, R"sql(
-- A message's events keyed by the message (issue 14): the history and the webhooks of a message
-- are one range of the key, and message_events_by_message, an index every status change paid an
-- insert into, goes. event_id is a UUIDv7, so a message's events are in time order within it.
CREATE TABLE message_events_by_message_key (
  message_id TEXT NOT NULL,
  event_id   TEXT NOT NULL,
  sid        TEXT NOT NULL,
  state      INTEGER NOT NULL,               -- core::MessageState
  details    TEXT NOT NULL,
  at         INTEGER NOT NULL,
  PRIMARY KEY (message_id, event_id)
) WITHOUT ROWID;
INSERT INTO message_events_by_message_key (message_id, event_id, sid, state, details, at)
  SELECT message_id, event_id, sid, state, details, at FROM message_events;
DROP TABLE message_events;
ALTER TABLE message_events_by_message_key RENAME TO message_events;
)sql"},
    {14, R"sql(
-- Customers' SMPP credentials (store/smpp_credential_store.h). A system_id is never reused, so a
-- revoked row stays; the password is stored only as PBKDF2-HMAC-SHA256 with a per-row salt.
CREATE TABLE smpp_credentials (
  system_id     TEXT PRIMARY KEY,
  sid           TEXT NOT NULL REFERENCES accounts(sid),
  salt          TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at    INTEGER NOT NULL,          -- Unix ms
  revoked_at    INTEGER                    -- Unix ms; NULL while active
) WITHOUT ROWID;
CREATE INDEX smpp_credentials_by_sid ON smpp_credentials(sid);
)sql"},
    {15, R"sql(
-- Webhook indexes that a webhook's state change does not move (issue 14). webhooks_by_sid held
-- (sid, state, created_at), so every delivered webhook deleted and re-inserted its entry; listing
-- by state is now a bounded scan of the account's webhooks, and the exhausted ones, the list an
-- operator replays from, keep a partial index of their own that the success path never touches
-- (state in it too, so that counting them reads the index alone).
-- Pending rows are exactly those with a due_at: webhooks_due carries created_at so that the
-- gauges read the oldest pending webhook from the index alone.
DROP INDEX webhooks_by_sid;
CREATE INDEX webhooks_by_sid ON webhooks(sid, created_at);
CREATE INDEX webhooks_exhausted ON webhooks(sid, created_at, event_id, state) WHERE state = 2;
DROP INDEX webhooks_due;
CREATE INDEX webhooks_due ON webhooks(due_at, created_at) WHERE due_at IS NOT NULL;
-- A webhook's first attempt is kept on its row (most webhooks have only that one); later ones
-- are rows of webhook_attempts. first_at NULL: no attempt on the row (none yet, or a row from
-- before this migration, whose attempts are all in webhook_attempts).
ALTER TABLE webhooks ADD COLUMN first_at INTEGER;
ALTER TABLE webhooks ADD COLUMN first_latency_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE webhooks ADD COLUMN first_http_status INTEGER NOT NULL DEFAULT 0;
ALTER TABLE webhooks ADD COLUMN first_error TEXT NOT NULL DEFAULT '';
)sql"},
    {16, R"sql(
-- A credential's own throughput limit (smsgw smpp-credential create --max-rate), messages a
-- second; NULL: [smpp_server] max_rate. Its message type (--type, "OTP", "TXN", ...); NULL: the
-- template's or the region's default, as an API send without `type`.
ALTER TABLE smpp_credentials ADD COLUMN max_rate INTEGER;
ALTER TABLE smpp_credentials ADD COLUMN type TEXT;
)sql"},
    {17, R"sql(
-- Per-minute delivery rollups for the console's charts (store/delivery_stats.h), written as
-- messages are accepted and settle: one upsert per key per write group (delivery_rollup.h).
-- connector '' is what no connector handled; type is core::RouteType; d0..d10 count receipt
-- delays by store::kDelayBucketBounds. minute is Unix minutes. Kept kRollupRetention (8 days),
-- pruned through delivery_minutes_by_minute.
CREATE TABLE delivery_minutes (
  sid         TEXT NOT NULL,
  minute      INTEGER NOT NULL,
  connector   TEXT NOT NULL,
  type        INTEGER NOT NULL,
  accepted    INTEGER NOT NULL DEFAULT 0,
  delivered   INTEGER NOT NULL DEFAULT 0,
  undelivered INTEGER NOT NULL DEFAULT 0,
  not_sent    INTEGER NOT NULL DEFAULT 0,
  d0 INTEGER NOT NULL DEFAULT 0, d1 INTEGER NOT NULL DEFAULT 0, d2 INTEGER NOT NULL DEFAULT 0,
  d3 INTEGER NOT NULL DEFAULT 0, d4 INTEGER NOT NULL DEFAULT 0, d5 INTEGER NOT NULL DEFAULT 0,
  d6 INTEGER NOT NULL DEFAULT 0, d7 INTEGER NOT NULL DEFAULT 0, d8 INTEGER NOT NULL DEFAULT 0,
  d9 INTEGER NOT NULL DEFAULT 0, d10 INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (sid, minute, connector, type)
) WITHOUT ROWID;
CREATE INDEX delivery_minutes_by_minute ON delivery_minutes(minute);

-- Console passwords (store/console_password_store.h): PBKDF2-HMAC-SHA256 with a per-account salt.
CREATE TABLE console_passwords (
  sid           TEXT PRIMARY KEY REFERENCES accounts(sid),
  salt          TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  updated_at    INTEGER NOT NULL           -- Unix ms
) WITHOUT ROWID;
)sql"},
    {18, R"sql(
-- Receipts and MO back to customers' SMPP binds (issue 17; store/smpp_outbox_store.h). A message
-- submitted over SMPP keeps its credential and registered_delivery; an API send leaves both NULL,
-- so it costs no more than before. The outbox is per account, in id order (AUTOINCREMENT: an id
-- is never reused, so a late deliver_sm_resp cannot finish a newer row); a row is deleted when
-- the customer acknowledges it. due_at is the next attempt (a claimed row's: its lease's end).
ALTER TABLE messages ADD COLUMN smpp_system_id TEXT;
ALTER TABLE messages ADD COLUMN registered_delivery INTEGER;
CREATE TABLE smpp_outbox (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  sid         TEXT NOT NULL,
  kind        INTEGER NOT NULL,              -- store::SmppOutboxKind
  subject_id  TEXT NOT NULL,                 -- the message (receipt) or inbound message (MO)
  system_id   TEXT NOT NULL,                 -- receipt: the credential it was submitted through
  registered_delivery INTEGER NOT NULL,      -- receipt: as submitted
  state       INTEGER NOT NULL,              -- receipt: core::MessageState reported
  details     TEXT NOT NULL,                 -- receipt: status_details at that change
  at          INTEGER NOT NULL,              -- Unix ms of the change (MO: stored)
  due_at      INTEGER NOT NULL,              -- Unix ms
  claim_owner TEXT NOT NULL DEFAULT '',
  attempts    INTEGER NOT NULL DEFAULT 0,    -- answers other than ESME_ROK
  created_at  INTEGER NOT NULL
);
CREATE INDEX smpp_outbox_by_sid ON smpp_outbox(sid, id);
)sql"},
    {19, R"sql(
-- Concatenated submits from SMPP customers, staged until their last part arrives (issue 17;
-- store/smpp_staging_store.h). A set is one row, unique by its key; its id is never reused
-- (AUTOINCREMENT), so a set that expired cannot be completed under a newer set's id. Its parts
-- are one range of smpp_staged_parts, in part order.
CREATE TABLE smpp_staged_sets (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
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
  octets      INTEGER NOT NULL,              -- their user data together
  first_at    INTEGER NOT NULL,              -- Unix ms, the first part
  UNIQUE (system_id, source, destination, reference)
);
-- The reassembly timeout finds the sets waiting too long.
CREATE INDEX smpp_staged_sets_by_first ON smpp_staged_sets(first_at);
CREATE TABLE smpp_staged_parts (
  set_id      INTEGER NOT NULL,
  seqnum      INTEGER NOT NULL,              -- 1-based
  user_data   TEXT NOT NULL,                 -- lower-case hex of the octets, UDH removed
  PRIMARY KEY (set_id, seqnum)
) WITHOUT ROWID;
)sql"},
    {20, R"sql(
-- The source networks a credential's binds may come from (issue 17): canonical CIDRs
-- (core::FormatIpNetwork) separated by one space; NULL: anywhere.
ALTER TABLE smpp_credentials ADD COLUMN allowed_sources TEXT;
)sql"},
    {21, R"sql(
-- SMPP for customers (issue 17). MO to customers' SMPP binds: an inbound-number entry's
-- target, store::InboundTarget
-- (0 webhooks, 1 the account's SMPP binds through smpp_outbox, whose MO rows' subject_id is the
-- inbound message).
ALTER TABLE inbound_numbers ADD COLUMN target INTEGER NOT NULL DEFAULT 0;
-- A message's own validity end (core::Message::expires_at; an SMPP submit's validity_period),
-- Unix ms; NULL: only [delivery] validity applies, as for every API send.
ALTER TABLE messages ADD COLUMN expires_at INTEGER;
-- How a credential's message ids read on the wire (store::SmppIdFormat: 0 hex, 1 decimal).
ALTER TABLE smpp_credentials ADD COLUMN id_format INTEGER NOT NULL DEFAULT 0;
)sql"},
    {22, R"sql(
-- The cluster (issue 15; store/cluster_store.h): each process life's beat, and the leases on the
-- SMSC bind slots a connector's `binds` allow. Times are Unix ms; a beat or lease whose
-- expires_at has passed is lapsed, free for another owner to take over.
CREATE TABLE cluster_nodes (
  owner      TEXT PRIMARY KEY,               -- app/owner_name.h: "<node id>/<pid>:<uuid>"
  started_at INTEGER NOT NULL,
  beat_at    INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE bind_leases (
  connector  TEXT NOT NULL,
  slot       INTEGER NOT NULL,               -- 0 .. binds-1
  owner      TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (connector, slot)
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
