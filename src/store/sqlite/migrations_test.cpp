#include "store/sqlite/migrations.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "fakes/temp_dir.h"
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

TEST_F(MigrationsTest, NewDatabaseGetsTheLatestSchemaInWalMode) {
  ASSERT_TRUE(SqliteStore::Open(path_));
  Db db = Raw();
  auto version = SchemaVersion(db);
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, LatestSchemaVersion());
  EXPECT_EQ(Query("SELECT count(*) FROM schema_migrations"), std::to_string(LatestSchemaVersion()));
  EXPECT_EQ(Query("PRAGMA journal_mode"), "wal");
  for (const char* table : {"accounts", "api_keys", "messages"}) {
    EXPECT_EQ(Query(("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '" +
                     std::string(table) + "'")
                        .c_str()),
              "1")
        << table;
  }
  // Inserts into messages maintain only its primary key (see migration 1).
  EXPECT_EQ(Query("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND "
                  "tbl_name = 'messages' AND sql IS NOT NULL"),
            "0");
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
    auto exists = (*store)->AccountExists("HXIN0000000001IN");
    ASSERT_TRUE(exists);
    EXPECT_TRUE(*exists);
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
