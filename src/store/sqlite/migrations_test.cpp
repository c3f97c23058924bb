#include "store/sqlite/migrations.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "fakes/temp_dir.h"
#include "fakes/test_message.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_store.h"

namespace smsgw::store::sqlite {
namespace {

class MigrationsTest : public ::testing::Test {
 protected:
  // A raw connection, as another tool (or the sqlite3 shell) would open the file.
  Db Raw() {
    auto db = Db::Open(path_, std::chrono::milliseconds(1000));
    EXPECT_TRUE(db) << db.error().message;
    return std::move(*db);
  }
  std::string Query(const char* sql) {
    Db db = Raw();
    auto text = db.QueryText(sql);
    EXPECT_TRUE(text) << text.error().message;
    return text ? *text : "";
  }

  fakes::TempDir dir_;
  const std::string path_ = dir_.File("smsgw.db");
};

// Undoes migration 22 (the cluster's beats and bind leases).
#define SMSGW_ROLL_BACK_CLUSTER "DROP TABLE bind_leases; DROP TABLE cluster_nodes; "

// Undoes migration 21 (inbound numbers' target, messages' own expiry, credentials' id format),
// and 22 first.
#define SMSGW_ROLL_BACK_TWENTY_ONE                   \
  SMSGW_ROLL_BACK_CLUSTER                            \
  "ALTER TABLE inbound_numbers DROP COLUMN target; " \
  "ALTER TABLE messages DROP COLUMN expires_at; "    \
  "ALTER TABLE smpp_credentials DROP COLUMN id_format; "

// Undoes migration 20 (the SMPP credentials' allowed sources), and 21 first.
#define SMSGW_ROLL_BACK_SMPP_SOURCES \
  SMSGW_ROLL_BACK_TWENTY_ONE "ALTER TABLE smpp_credentials DROP COLUMN allowed_sources; "

// Undoes migration 19 (SMPP customers' concatenated submits, staged), and 20 first.
#define SMSGW_ROLL_BACK_SMPP_STAGING \
  SMSGW_ROLL_BACK_SMPP_SOURCES "DROP TABLE smpp_staged_parts; DROP TABLE smpp_staged_sets; "

// Undoes migration 18 (the SMPP outbox and the messages' SMPP origin), and 19 first.
#define SMSGW_ROLL_BACK_SMPP_OUTBOX                                           \
  SMSGW_ROLL_BACK_SMPP_STAGING                                                \
  "DROP TABLE smpp_outbox; ALTER TABLE messages DROP COLUMN smpp_system_id; " \
  "ALTER TABLE messages DROP COLUMN registered_delivery; "

// Undoes every migration after 3 on a database at the latest schema, leaving what schema 3
// looked like.
constexpr const char* kRollBackToSchemaThree = SMSGW_ROLL_BACK_SMPP_OUTBOX
    "DROP TABLE delivery_minutes; DROP TABLE console_passwords; "
    "DROP TABLE smpp_credentials; "
    "DROP TABLE country_caps; DROP TABLE country_usage; DROP TABLE opt_outs; DROP INDEX "
    "message_parts_awaiting_receipt; DROP TABLE idempotency_keys; "
    "ALTER TABLE accounts DROP COLUMN sends_per_second; "
    "ALTER TABLE accounts DROP COLUMN recipients_per_second; "
    "DROP TABLE callback_profiles; DROP TABLE inbound_numbers; DROP TABLE webhooks; "
    "DROP TABLE webhook_attempts; ALTER TABLE accounts DROP COLUMN webhook_secret; "
    "DROP TABLE inbound_parts; DROP TABLE inbound_messages; "
    "DROP INDEX messages_due; DROP INDEX messages_by_sid; DROP INDEX messages_by_recipient; "
    "DROP TABLE message_parts; DROP TABLE held_receipts; DROP TABLE message_events; "
    "ALTER TABLE messages DROP COLUMN priority; ALTER TABLE messages DROP COLUMN due_at; "
    "ALTER TABLE messages DROP COLUMN claim_owner; ALTER TABLE messages DROP COLUMN attempts; "
    "ALTER TABLE messages DROP COLUMN last_error; ALTER TABLE messages DROP COLUMN parts_total; "
    "DELETE FROM schema_migrations WHERE version > 3";

TEST_F(MigrationsTest, NewDatabaseGetsTheLatestSchemaInWalMode) {
  ASSERT_TRUE(SqliteStore::Open(path_));
  Db db = Raw();
  auto version = SchemaVersion(db);
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, LatestSchemaVersion());
  EXPECT_EQ(Query("SELECT count(*) FROM schema_migrations"), std::to_string(LatestSchemaVersion()));
  EXPECT_EQ(Query("PRAGMA journal_mode"), "wal");
  for (const char* table :
       {"accounts", "api_keys", "messages", "templates", "senders", "message_parts",
        "held_receipts", "message_events", "inbound_parts", "inbound_messages", "callback_profiles",
        "inbound_numbers", "webhooks", "webhook_attempts", "smpp_credentials"}) {
    EXPECT_EQ(Query(("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '" +
                     std::string(table) + "'")
                        .c_str()),
              "1")
        << table;
  }
  // Every index an Enqueue maintains besides the primary key: each costs every insert.
  EXPECT_EQ(Query("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema WHERE "
                  "type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL ORDER BY name)"),
            "messages_by_recipient,messages_by_sid,messages_due");
}

TEST_F(MigrationsTest, ReopeningIsIdempotentAndKeepsData) {
  {
    auto store = SqliteStore::Open(path_);
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->CreateAccount(Account{"HXIN0000000001IN", "acme", {}, 0}));
  }
  const std::string applied_at = Query("SELECT group_concat(applied_at) FROM schema_migrations");
  for (int i = 0; i < 3; ++i) {
    auto store = SqliteStore::Open(path_);
    ASSERT_TRUE(store) << store.error().message;
    auto kept = (*store)->GetSettings("HXIN0000000001IN");  // kNotFound had the account gone
    EXPECT_TRUE(kept) << kept.error().message;
  }
  EXPECT_EQ(Query("SELECT count(*) FROM schema_migrations"), std::to_string(LatestSchemaVersion()));
  EXPECT_EQ(Query("SELECT group_concat(applied_at) FROM schema_migrations"), applied_at);
}

TEST_F(MigrationsTest, NewerSchemaIsRefusedAndLeftUntouched) {
  ASSERT_TRUE(SqliteStore::Open(path_));
  const int newer = LatestSchemaVersion() + 1;
  {
    Db db = Raw();
    ASSERT_TRUE(db.Exec(("INSERT INTO schema_migrations VALUES (" + std::to_string(newer) +
                         ", 0); CREATE TABLE from_the_future (x)")
                            .c_str()));
  }
  auto refused = SqliteStore::Open(path_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::Errc::kInvalidArgument);
  EXPECT_NE(refused.error().message.find("newer"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find(std::to_string(newer)), std::string::npos);

  Db db = Raw();
  auto version = SchemaVersion(db);
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, newer);
  EXPECT_EQ(Query("SELECT count(*) FROM sqlite_schema WHERE name = 'from_the_future'"), "1");
}

TEST_F(MigrationsTest, MigrateOnAnEmptyFileAppliesEverythingOnce) {
  Db db = Raw();
  auto before = SchemaVersion(db);
  ASSERT_TRUE(before);
  EXPECT_EQ(*before, 0);
  ASSERT_TRUE(Migrate(db, 42));
  ASSERT_TRUE(Migrate(db, 43));
  auto after = SchemaVersion(db);
  ASSERT_TRUE(after);
  EXPECT_EQ(*after, LatestSchemaVersion());
  EXPECT_EQ(Query("SELECT min(applied_at) || ',' || max(applied_at) FROM schema_migrations"),
            "42,42");
}

// Undoes migrations 22 (the cluster), 21 (inbound numbers' target, messages' expiry, credentials'
// id format), 20 (SMPP credentials' allowed sources), 19 (SMPP staging), 18 (SMPP outbox),
// 17 (delivery rollups, console passwords), 16 (SMPP credentials' rate and type) and 15 (webhook
// indexes, the first attempt on the webhook's row).
constexpr const char* kRollBackToFourteen = SMSGW_ROLL_BACK_SMPP_OUTBOX
    "DROP TABLE delivery_minutes; DROP TABLE console_passwords; "
    "ALTER TABLE smpp_credentials DROP COLUMN max_rate; "
    "ALTER TABLE smpp_credentials DROP COLUMN type; "
    "DROP INDEX webhooks_exhausted; DROP INDEX webhooks_by_sid; DROP INDEX webhooks_due; "
    "CREATE INDEX webhooks_by_sid ON webhooks(sid, state, created_at); "
    "CREATE INDEX webhooks_due ON webhooks(due_at) WHERE due_at IS NOT NULL; "
    "ALTER TABLE webhooks DROP COLUMN first_at; "
    "ALTER TABLE webhooks DROP COLUMN first_latency_ms; "
    "ALTER TABLE webhooks DROP COLUMN first_http_status; "
    "ALTER TABLE webhooks DROP COLUMN first_error; "
    "DELETE FROM schema_migrations WHERE version > 14; ";

// A database written by the previous release (schema 2) gains the registries and the messages'
// entity_id column; its rows are kept, old messages reading back an empty entity_id.
TEST_F(MigrationsTest, SchemaTwoDatabaseIsUpgradedKeepingItsRows) {
  {
    Db db = Raw();
    ASSERT_TRUE(Migrate(db, 1));
    // Roll the file back to what schema 2 looked like.
    ASSERT_TRUE(db.Exec(kRollBackToSchemaThree));
    ASSERT_TRUE(db.Exec(
        "DROP TABLE templates; DROP TABLE senders; "
        "ALTER TABLE messages DROP COLUMN entity_id; "
        "ALTER TABLE accounts DROP COLUMN require_registered_senders; "
        "DELETE FROM schema_migrations WHERE version > 2; "
        "INSERT INTO accounts (sid, name, created_at, smart_encoding) "
        "VALUES ('HXIN0000000001IN', 'acme', 0, 1); "
        "INSERT INTO messages VALUES ('r:1', 'r', 'HXIN0000000001IN', '919876543210', 'ACMEIN', "
        "'Hi', 0, 0, 1, 0, 'AUTO', 5, NULL, '', '', '', '', '', '', '', '', '', '', '', 0, "
        "'QUEUED', 5)"));
    auto version = SchemaVersion(db);
    ASSERT_TRUE(version);
    ASSERT_EQ(*version, 2);
  }
  auto store = SqliteStore::Open(path_);
  ASSERT_TRUE(store) << store.error().message;
  auto detail = (*store)->GetDetail("HXIN0000000001IN", "r:1");
  ASSERT_TRUE(detail) << detail.error().message;
  EXPECT_EQ(detail->message.body, "Hi");
  EXPECT_EQ(detail->message.entity_id, "");
  auto settings = (*store)->GetSettings("HXIN0000000001IN");
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->smart_encoding, std::optional<bool>(true));
  EXPECT_EQ(settings->require_registered_senders, std::nullopt);
  auto templates = (*store)->ListTemplates("HXIN0000000001IN");
  ASSERT_TRUE(templates) << templates.error().message;
  EXPECT_TRUE(templates->empty());
  EXPECT_EQ(Query("SELECT max(version) FROM schema_migrations"),
            std::to_string(LatestSchemaVersion()));
}

// A database written by the previous release (schema 3) gains delivery: its waiting messages are
// due at their send time (or creation) with their type's priority, and claimable; others are not.
TEST_F(MigrationsTest, SchemaThreeDatabaseKeepsWaitingMessagesClaimable) {
  {
    Db db = Raw();
    ASSERT_TRUE(Migrate(db, 1));
    ASSERT_TRUE(db.Exec(kRollBackToSchemaThree));
    // id, type, created_at, send_at, state: MKT queued, scheduled TXN, OTP queued, delivered OTP.
    ASSERT_TRUE(db.Exec(
        "INSERT INTO messages VALUES "
        "('m:1', 'm', 'HXIN0000000001IN', '919876543210', 'ACMEIN', 'Hi', 3, 0, 1, 0, 'AUTO', 10, "
        "NULL, '', '', '', '', '', '', '', '', '', '', '', 0, 'QUEUED', 10, ''), "
        "('s:1', 's', 'HXIN0000000001IN', '919876543210', 'ACMEIN', 'Hi', 1, 0, 1, 0, 'AUTO', 11, "
        "5000, '', '', '', '', '', '', '', '', '', '', '', 1, 'SCHEDULED', 11, ''), "
        "('o:1', 'o', 'HXIN0000000001IN', '919876543210', 'ACMEIN', 'Hi', 0, 0, 1, 0, 'AUTO', 12, "
        "NULL, '', '', '', '', '', '', '', '', '', '', '', 0, 'QUEUED', 12, ''), "
        "('d:1', 'd', 'HXIN0000000001IN', '919876543210', 'ACMEIN', 'Hi', 0, 0, 1, 0, 'AUTO', 1, "
        "NULL, '', '', '', '', '', '', '', '', '', '', '', 4, 'DELIVRD', 2, '')"));
    auto version = SchemaVersion(db);
    ASSERT_TRUE(version);
    ASSERT_EQ(*version, 3);
  }
  auto store = SqliteStore::Open(path_);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(Query("SELECT group_concat(id || '=' || priority || '@' || coalesce(due_at, '-'), ' ') "
                  "FROM (SELECT * FROM messages ORDER BY id)"),
            "d:1=0@- m:1=2@10 o:1=0@12 s:1=1@5000");

  auto due = (*store)->ClaimDue("node-a", core::FromUnixMillis(1000), std::chrono::seconds(30), 10);
  ASSERT_TRUE(due) << due.error().message;
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].message.id, "o:1") << "OTP before MKT";
  EXPECT_EQ((*due)[1].message.id, "m:1");
  EXPECT_EQ((*due)[0].attempts, 0);
  EXPECT_TRUE((*due)[0].parts_done.empty());

  auto later =
      (*store)->ClaimDue("node-a", core::FromUnixMillis(5000), std::chrono::seconds(30), 10);
  ASSERT_TRUE(later) << later.error().message;
  ASSERT_EQ(later->size(), 1u);
  EXPECT_EQ((*later)[0].message.id, "s:1");
  EXPECT_EQ((*later)[0].message.state, core::MessageState::kSubmitting);

  auto page = (*store)->List("HXIN0000000001IN", {}, "", 10);
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->messages.size(), 4u);
  EXPECT_EQ(page->messages[0].id, "o:1") << "newest first";
}

// Schema 12 keyed a message's events by event_id with an index on message_id; 13 keys them by
// (message_id, event_id). The history and a webhook's event survive the move.
TEST_F(MigrationsTest, EventsKeyedByMessageKeepTheirHistory) {
  {
    Db db = Raw();
    ASSERT_TRUE(Migrate(db, 1));
    ASSERT_TRUE(db.Exec(kRollBackToFourteen));
    ASSERT_TRUE(db.Exec(
        "DROP TABLE message_events; "
        "CREATE TABLE message_events (event_id TEXT PRIMARY KEY, message_id TEXT NOT NULL, "
        "sid TEXT NOT NULL, state INTEGER NOT NULL, details TEXT NOT NULL, at INTEGER NOT NULL) "
        "WITHOUT ROWID; "
        "CREATE INDEX message_events_by_message ON message_events(message_id); "
        "DROP TABLE smpp_credentials; "
        "DELETE FROM schema_migrations WHERE version > 12; "
        "INSERT INTO messages (id, request_id, sid, recipient, sender, body, type, encoding, "
        "segments, flash, unicode, created_at, template_id, template_data, ref, ref1, ref2, "
        "ref_custom, campaign_name, callback_profile_id, callback, channel, source, state, "
        "status_details, updated_at) VALUES ('m:1', 'm', 'HXIN0000000001IN', '919876543210', "
        "'ACMEIN', 'Hi', 3, 0, 1, 0, 'AUTO', 10, '', '', '', '', '', '', '', '', '', '', '', 4, "
        "'DELIVRD', 30); "
        "INSERT INTO message_events VALUES "
        "('01a00000-0000-7000-8000-000000000002', 'm:1', 'HXIN0000000001IN', 4, 'DELIVRD', 30), "
        "('01a00000-0000-7000-8000-000000000001', 'm:1', 'HXIN0000000001IN', 3, 'SUBMITTED', 20), "
        "('01a00000-0000-7000-8000-000000000003', 'x:1', 'HXIN0000000001IN', 3, 'SUBMITTED', 25)"));
    auto version = SchemaVersion(db);
    ASSERT_TRUE(version);
    ASSERT_EQ(*version, 12);
  }
  auto store = SqliteStore::Open(path_);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(Query("SELECT count(*) FROM sqlite_schema WHERE name = 'message_events_by_message'"),
            "0");
  auto detail = (*store)->GetDetail("HXIN0000000001IN", "m:1");
  ASSERT_TRUE(detail) << detail.error().message;
  ASSERT_EQ(detail->history.size(), 2u);
  EXPECT_EQ(detail->history[0].details, "SUBMITTED");
  EXPECT_EQ(detail->history[0].event_id, "01a00000-0000-7000-8000-000000000001");
  EXPECT_EQ(detail->history[1].details, "DELIVRD");
  EXPECT_EQ(Query("SELECT count(*) FROM message_events"), "3");
}

TEST_F(MigrationsTest, WebhooksFromBeforeFifteenKeepTheirAttemptLog) {
  {
    Db db = Raw();
    ASSERT_TRUE(Migrate(db, 1));
    ASSERT_TRUE(db.Exec(kRollBackToFourteen));
    // A webhook retried once, its first attempt in webhook_attempts as every attempt was then.
    ASSERT_TRUE(db.Exec(
        "INSERT INTO accounts (sid, name, created_at, smart_encoding) "
        "VALUES ('HXIN0000000001IN', 'acme', 0, 1); "
        "INSERT INTO webhooks (event_id, kind, sid, subject_id, callback, callback_profile_id, "
        "state, due_at, run_started_at, attempts, last_error, created_at) VALUES "
        "('01a00000-0000-7000-8000-000000000001', 1, 'HXIN0000000001IN', "
        "'01a00000-0000-7000-8000-000000000001', "
        "'http://127.0.0.1:9/', '', 0, 50, 10, 1, 'HTTP 500', 10); "
        "INSERT INTO webhook_attempts VALUES "
        "('01a00000-0000-7000-8000-000000000001', 1, 20, 7, 500, 'HTTP 500')"));
    auto version = SchemaVersion(db);
    ASSERT_TRUE(version);
    ASSERT_EQ(*version, 14);
  }
  auto store = SqliteStore::Open(path_);
  ASSERT_TRUE(store) << store.error().message;
  const std::string id = "01a00000-0000-7000-8000-000000000001";
  ASSERT_TRUE((*store)->RecordWebhookAttempts(std::vector{store::WebhookAttempt{
      id, core::FromUnixMillis(60), std::chrono::milliseconds(3), 200, "", std::nullopt}}));
  auto of = (*store)->WebhooksOf("HXIN0000000001IN", id);
  ASSERT_TRUE(of) << of.error().message;
  ASSERT_EQ(of->size(), 1u);
  const store::WebhookSummary& w = (*of)[0];
  EXPECT_EQ(w.state, store::WebhookState::kDelivered);
  ASSERT_EQ(w.attempt_log.size(), 2u);
  EXPECT_EQ(w.attempt_log[0].n, 1);
  EXPECT_EQ(w.attempt_log[0].http_status, 500);
  EXPECT_EQ(w.attempt_log[1].n, 2);
  EXPECT_EQ(w.attempt_log[1].http_status, 200);
  EXPECT_EQ(w.attempt_log[1].latency, std::chrono::milliseconds(3));
  auto counts = (*store)->CountWebhooks();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->delivered, 1u);
  EXPECT_EQ(counts->pending, 0u);
}

// A database at schema 18 gains the SMPP staging tables (19); its messages are kept, and a
// concatenated submit can be staged and completed at once.
TEST_F(MigrationsTest, SchemaEighteenGainsSmppStaging) {
  {
    Db db = Raw();
    ASSERT_TRUE(Migrate(db, 1));
    ASSERT_TRUE(
        db.Exec(SMSGW_ROLL_BACK_SMPP_STAGING "DELETE FROM schema_migrations WHERE version > 18"));
    auto version = SchemaVersion(db);
    ASSERT_TRUE(version);
    ASSERT_EQ(*version, 18);
    EXPECT_EQ(Query("SELECT count(*) FROM sqlite_schema WHERE name = 'smpp_staged_sets'"), "0");
  }
  auto store = SqliteStore::Open(path_);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(Query("SELECT count(*) FROM sqlite_schema WHERE name IN ('smpp_staged_sets', "
                  "'smpp_staged_parts', 'smpp_staged_sets_by_first')"),
            "3");
  SmppStagedPart part;
  part.sid = "HXIN0000000001IN";
  part.system_id = "acme1";
  part.source = "ACMEIN";
  part.destination = "919876543210";
  part.reference = 7;
  part.total = 2;
  part.seqnum = 2;
  part.user_data = {0x41};
  part.message_id = "m";
  part.received_at = core::FromUnixMillis(1000);
  auto staged = (*store)->StageSmppPart(part, SmppStagingLimits{});
  ASSERT_TRUE(staged) << staged.error().message;
  EXPECT_EQ(staged->outcome, SmppStageOutcome::kStaged);
  auto counted = (*store)->CountSmppStagedSets("acme1");
  ASSERT_TRUE(counted);
  EXPECT_EQ(*counted, 1u);
}

// A credential from before 20 reads back with no allowed sources: its binds may come from anywhere,
// as before the upgrade.
TEST_F(MigrationsTest, SmppCredentialsFromBeforeTwentyBindFromAnywhere) {
  {
    Db db = Raw();
    ASSERT_TRUE(Migrate(db, 1));
    ASSERT_TRUE(db.Exec(SMSGW_ROLL_BACK_SMPP_SOURCES
                        "DELETE FROM schema_migrations WHERE version > 19; "
                        "INSERT INTO accounts (sid, name, created_at, smart_encoding) "
                        "VALUES ('HXIN0000000001IN', 'acme', 0, 1); "
                        "INSERT INTO smpp_credentials (system_id, sid, salt, password_hash, "
                        "created_at, max_rate, type) "
                        "VALUES ('old', 'HXIN0000000001IN', 's', 'h', 5, 10, 'OTP')"));
    auto version = SchemaVersion(db);
    ASSERT_TRUE(version);
    ASSERT_EQ(*version, 19);
  }
  auto store = SqliteStore::Open(path_);
  ASSERT_TRUE(store) << store.error().message;
  auto found = (*store)->FindSmppCredential("old");
  ASSERT_TRUE(found && found->has_value()) << (found ? "" : found.error().message);
  EXPECT_TRUE((*found)->allowed_sources.empty());
  EXPECT_EQ((*found)->max_rate, 10);
  auto listed = (*store)->ListSmppCredentials("HXIN0000000001IN");
  ASSERT_TRUE(listed && listed->size() == 1u);
  EXPECT_TRUE((*listed)[0].allowed_sources.empty());
}

// An inbound number added before 21 keeps forwarding to webhooks.
TEST_F(MigrationsTest, InboundNumbersFromBeforeTwentyOneTargetWebhooks) {
  {
    Db db = Raw();
    ASSERT_TRUE(Migrate(db, 1));
    ASSERT_TRUE(db.Exec(SMSGW_ROLL_BACK_TWENTY_ONE
                        "DELETE FROM schema_migrations WHERE version > 20; "
                        "INSERT INTO accounts (sid, name, created_at, smart_encoding) "
                        "VALUES ('HXIN0000000001IN', 'acme', 0, 1); "
                        "INSERT INTO inbound_numbers VALUES ('n-1', 'HXIN0000000001IN', '56767', "
                        "'', NULL, '{\"url\":\"https://h/mo\"}', '', 10)"));
    auto version = SchemaVersion(db);
    ASSERT_TRUE(version);
    ASSERT_EQ(*version, 20);
  }
  auto store = SqliteStore::Open(path_);
  ASSERT_TRUE(store) << store.error().message;
  auto entry = (*store)->GetInboundNumber("HXIN0000000001IN", "n-1");
  ASSERT_TRUE(entry) << entry.error().message;
  EXPECT_EQ(entry->target, store::InboundTarget::kWebhook);
  EXPECT_EQ(entry->callback, R"({"url":"https://h/mo"})");
}

// A message stored before 21 has no expiry of its own: only [delivery] validity applies to it.
TEST_F(MigrationsTest, MessagesFromBeforeTwentyOneHaveNoExpiryOfTheirOwn) {
  core::Message m = fakes::MakeMessage("m:1");
  m.expires_at = core::FromUnixMillis(5000);
  {
    auto store = SqliteStore::Open(path_);
    ASSERT_TRUE(store) << store.error().message;
    ASSERT_TRUE((*store)->Enqueue(std::span(&m, 1)));
  }
  {
    Db db = Raw();
    ASSERT_TRUE(
        db.Exec(SMSGW_ROLL_BACK_TWENTY_ONE "DELETE FROM schema_migrations WHERE version > 20"));
  }
  auto store = SqliteStore::Open(path_);
  ASSERT_TRUE(store) << store.error().message;
  auto got = (*store)->GetDetail(m.sid, m.id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->message.body, m.body);
  EXPECT_EQ(got->message.expires_at, std::nullopt);
}

TEST_F(MigrationsTest, AFailedMigrationLeavesNothingBehind) {
  // A table named like one migration 1 creates makes migration 1 fail part-way.
  Db db = Raw();
  ASSERT_TRUE(db.Exec("CREATE TABLE messages (x)"));
  auto failed = Migrate(db, 1);
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("schema migration 1"), std::string::npos)
      << failed.error().message;
  EXPECT_TRUE(db.AutoCommit()) << "the transaction was left open";
  EXPECT_EQ(Query("SELECT count(*) FROM sqlite_schema WHERE name IN "
                  "('accounts', 'api_keys', 'schema_migrations')"),
            "0");
}

}  // namespace
}  // namespace smsgw::store::sqlite
