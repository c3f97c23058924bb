// The WAL write VFS: a commit's frames reach the file in a few writes, and what a commit wrote is
// in the file, complete and readable by other connections and by a recovery from a copy, as soon
// as the commit returns (also for transactions that spill pages, rewrite them, roll back, or
// outgrow the gathered run).

#include "store/sqlite/wal_write_vfs.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "fakes/temp_dir.h"
#include "store/sqlite/sqlite_db.h"

namespace smsgw::store::sqlite {
namespace {

constexpr std::chrono::milliseconds kBusy{1000};

Db OpenWal(const std::string& path) {
  auto db = Db::Open(path, kBusy);
  EXPECT_TRUE(db) << db.error().message;
  EXPECT_EQ(db->QueryText("PRAGMA journal_mode = WAL").value_or(""), "wal");
  // No checkpoint on commit: the frames stay in the -wal file for the copies below to recover.
  EXPECT_TRUE(db->Exec("PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0"));
  return std::move(*db);
}

// Inserts `rows` rows of ~`bytes` bytes in one transaction.
void InsertRows(Db& db, int first, int rows, int bytes) {
  ASSERT_TRUE(db.Exec("BEGIN"));
  auto insert = db.Prepare("INSERT INTO t (id, v) VALUES (?, ?)");
  ASSERT_TRUE(insert) << insert.error().message;
  for (int i = first; i < first + rows; ++i) {
    const std::string value(static_cast<size_t>(bytes), static_cast<char>('a' + i % 26));
    insert->BindInt64(1, i);
    insert->BindText(2, value);  // bound without a copy: alive until the statement ran
    ASSERT_TRUE(insert->Run());
    insert->Reset();
  }
  ASSERT_TRUE(db.Exec("COMMIT"));
}

std::string Query(Db& db, const char* sql) { return db.QueryText(sql).value_or("error"); }

// Copies the database and its -wal as they are on disk now (the writer still open), and opens
// the copy: SQLite recovers the copy's commits from the copied log alone.
Db OpenCopy(const std::string& path, const std::string& copy) {
  namespace fs = std::filesystem;
  fs::copy_file(path, copy, fs::copy_options::overwrite_existing);
  fs::copy_file(path + "-wal", copy + "-wal", fs::copy_options::overwrite_existing);
  auto db = Db::Open(copy, kBusy);
  EXPECT_TRUE(db) << db.error().message;
  return std::move(*db);
}

// What `check` answers on the writing connection, on a new one, and on a copy recovered from the
// files as they are now (which must also pass integrity_check).
void ExpectEverywhere(Db& db, const std::string& path, const std::string& copy_path,
                      const char* check, const std::string& expected) {
  EXPECT_EQ(Query(db, check), expected) << "the writer";
  Db other = OpenWal(path);
  EXPECT_EQ(Query(other, check), expected) << "another connection";
  Db copy = OpenCopy(path, copy_path);
  EXPECT_EQ(Query(copy, check), expected) << "a copy of the files";
  EXPECT_EQ(Query(copy, "PRAGMA integrity_check"), "ok");
}

TEST(WalWriteVfsTest, ACommitsFramesReachTheLogInOneWrite) {
  fakes::TempDir dir;
  const std::string path = dir.File("smsgw.db");
  Db db = OpenWal(path);
  ASSERT_TRUE(db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"));
  Db other = OpenWal(path);
  ASSERT_EQ(Query(other, "SELECT count(*) FROM t"), "0");

  const WalWriteCounts before = WalWriteCountsNow();
  InsertRows(db, 0, 150, 400);  // ~20 pages (less than kMaxGathered): ~40 appends
  const WalWriteCounts after = WalWriteCountsNow();
  EXPECT_GE(after.appends - before.appends, 30u);
  EXPECT_EQ(after.writes_out - before.writes_out, 1u);

  EXPECT_EQ(Query(other, "SELECT count(*) FROM t"), "150") << "visible once COMMIT returned";
  ExpectEverywhere(db, path, dir.File("copy.db"), "SELECT count(*) FROM t", "150");
}

TEST(WalWriteVfsTest, PagesSpilledBeforeTheCommitAreReadBackAsWritten) {
  fakes::TempDir dir;
  const std::string path = dir.File("smsgw.db");
  Db db = OpenWal(path);
  ASSERT_TRUE(db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"));
  InsertRows(db, 0, 240, 200);  // ~14 pages
  // A cache of 10 pages: the first UPDATE spills pages to the log before the commit, the
  // second reads them back while they are still in the gathered run (~20 frames in all).
  ASSERT_TRUE(
      db.Exec("PRAGMA cache_size = 10; BEGIN; UPDATE t SET v = upper(v); "
              "UPDATE t SET v = v || 'x'; COMMIT"));
  ExpectEverywhere(db, path, dir.File("copy.db"),
                   "SELECT count(*) || ' ' || sum(v GLOB '[A-Z]*x') FROM t", "240 240");
}

TEST(WalWriteVfsTest, LargeTransactionsAndRollbacksLeaveAConsistentLog) {
  fakes::TempDir dir;
  const std::string path = dir.File("smsgw.db");
  Db db = OpenWal(path);
  // A cache of 8 pages: a big transaction writes frames before its commit, reads them back and
  // overwrites frames of pages it changes again.
  ASSERT_TRUE(db.Exec("PRAGMA cache_size = 8; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"));
  InsertRows(db, 0, 2000, 300);
  ASSERT_TRUE(
      db.Exec("BEGIN; UPDATE t SET v = upper(v); UPDATE t SET v = v || 'x' "
              "WHERE id % 2 = 0; COMMIT"));
  ASSERT_TRUE(db.Exec("BEGIN; DELETE FROM t WHERE id < 1000; UPDATE t SET v = 'gone'"));
  ASSERT_TRUE(db.Exec("ROLLBACK"));
  InsertRows(db, 2000, 10, 50);

  ExpectEverywhere(db, path, dir.File("copy.db"),
                   "SELECT count(*) || ' ' || sum(v GLOB '*x') || ' ' || sum(v = upper(v)) FROM t",
                   "2010 1000 1000");
}

TEST(WalWriteVfsTest, ACommitLargerThanTheGatheredRunIsWrittenInParts) {
  fakes::TempDir dir;
  const std::string path = dir.File("smsgw.db");
  Db db = OpenWal(path);
  ASSERT_TRUE(db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"));
  const WalWriteCounts before = WalWriteCountsNow();
  InsertRows(db, 0, 3000, 1000);  // ~3 MB: ~25 runs
  const WalWriteCounts after = WalWriteCountsNow();
  EXPECT_GE(after.writes_out - before.writes_out, 20u);
  EXPECT_LE(after.writes_out - before.writes_out, 40u);
  ExpectEverywhere(db, path, dir.File("copy.db"), "SELECT count(*) || ' ' || sum(length(v)) FROM t",
                   "3000 3000000");
}

}  // namespace
}  // namespace smsgw::store::sqlite
