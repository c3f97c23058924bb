// WalSync: opening the -wal file of a database in WAL mode, and refusing one without.

#include "store/sqlite/wal_sync.h"

#include <gtest/gtest.h>

#include <chrono>

#include "fakes/temp_dir.h"
#include "store/sqlite/sqlite_db.h"

namespace smsgw::store::sqlite {
namespace {

TEST(WalSyncTest, SyncsTheLogOfADatabaseInWalMode) {
  fakes::TempDir dir;
  const std::string path = dir.File("smsgw.db");
  auto db = Db::Open(path, std::chrono::milliseconds(1000));
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE(db->QueryText("PRAGMA journal_mode = WAL"));
  ASSERT_TRUE(
      db->Exec("PRAGMA synchronous = NORMAL; CREATE TABLE t (x); INSERT INTO t VALUES (1)"));
  auto sync = WalSync::Open(path);
  ASSERT_TRUE(sync) << sync.error().message;
  EXPECT_TRUE(sync->Sync());
  ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (2)"));
  WalSync moved = std::move(*sync);
  EXPECT_TRUE(moved.Sync()) << "a moved WalSync keeps the file";
}

TEST(WalSyncTest, ADatabaseWithoutALogIsAnErrorNamingTheFile) {
  fakes::TempDir dir;
  const std::string path = dir.File("plain.db");
  auto db = Db::Open(path, std::chrono::milliseconds(1000));
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE(db->Exec("CREATE TABLE t (x)"));  // rollback journal: no -wal file
  auto sync = WalSync::Open(path);
  ASSERT_FALSE(sync);
  EXPECT_EQ(sync.error().code, core::Errc::kUnavailable);
  EXPECT_NE(sync.error().message.find("plain.db-wal"), std::string::npos) << sync.error().message;
}

}  // namespace
}  // namespace smsgw::store::sqlite
