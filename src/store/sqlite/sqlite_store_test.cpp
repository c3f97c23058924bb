// SqliteStore behaviour beyond the store contract (tests/store_contract/): how it shares the file
// with other connections and processes, and what it does with rows it cannot read.

#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "fakes/temp_dir.h"
#include "fakes/test_message.h"
#include "store/sqlite/sqlite_db.h"

namespace smsgw::store::sqlite {
namespace {

constexpr char kSid[] = "HXIN0000000001IN";

// When this binary is started with SMSGW_STORE_CHILD_DB set, it is the "other process" of
// KeyChangesInAnotherProcessAreSeenAtOnce: before any test runs, it opens its own store on that
// file, adds one key, revokes another, and exits with 0 on success.
const bool kRanAsChild = [] {
  const char* path = std::getenv("SMSGW_STORE_CHILD_DB");
  if (path == nullptr) {
    return false;
  }
  auto store = SqliteStore::Open(path);
  const bool ok = store && (*store)->AddKey(kSid, std::string(64, 'n'), {}) &&
                  (*store)->RevokeKey(kSid, std::string(64, 'o'));
  std::_Exit(ok ? 0 : 1);
}();

using fakes::MakeMessage;

class SqliteStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<SqliteStore> MustOpen(SqliteStore::Options options = {}) {
    auto store = SqliteStore::Open(path_, options);
    EXPECT_TRUE(store) << store.error().message;
    return store ? std::move(*store) : nullptr;
  }
  // Another connection to the file, as another process (or the sqlite3 shell) would have.
  Db Raw() {
    auto db = Db::Open(path_, std::chrono::milliseconds(1000));
    EXPECT_TRUE(db) << db.error().message;
    return std::move(*db);
  }

  fakes::TempDir dir_;
  const std::string path_ = dir_.File("smsgw.db");
};

TEST_F(SqliteStoreTest, WebhookSecretIsReadBackOnlyByItsOwnCall) {
  auto store = MustOpen();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->CreateAccount(Account{kSid, "acme", {}, 0}));
  EXPECT_EQ(store->GetWebhookSecret(kSid).value_or("?"), "");
  ASSERT_TRUE(store->SetWebhookSecret(kSid, "whsec-1"));
  EXPECT_EQ(store->GetWebhookSecret(kSid).value_or("?"), "whsec-1");
  ASSERT_TRUE(store->SetWebhookSecret(kSid, std::nullopt));
  EXPECT_EQ(store->GetWebhookSecret(kSid).value_or("?"), "");
  EXPECT_EQ(store->GetWebhookSecret("HXIN0000000002IN").error().code, core::Errc::kNotFound);
}

TEST_F(SqliteStoreTest, RefusesPathsThatAreNotFiles) {
  for (const char* path : {"", ":memory:"}) {
    auto store = SqliteStore::Open(path);
    ASSERT_FALSE(store) << path;
    EXPECT_EQ(store.error().code, core::Errc::kInvalidArgument);
  }
}

TEST_F(SqliteStoreTest, MissingDirectoryIsUnavailable) {
  auto store = SqliteStore::Open(dir_.File("missing/smsgw.db"));
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, core::Errc::kUnavailable) << store.error().message;
}

TEST_F(SqliteStoreTest, FileThatIsNotADatabaseIsRefused) {
  {
    std::FILE* f = std::fopen(path_.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("this is not an SQLite database, just a text file that is long enough", f);
    std::fclose(f);
  }
  auto store = SqliteStore::Open(path_);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("not a database"), std::string::npos)
      << store.error().message;
}

TEST_F(SqliteStoreTest, CreatesTheKeysVersionFileBesideTheDatabase) {
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(std::filesystem::file_size(path_ + "-keys-version"), 8u);
  EXPECT_EQ(std::filesystem::file_size(path_ + "-registry-version"), 8u);
  EXPECT_EQ(store->path(), path_);
}

// Templates and senders have their own counter: changing them leaves the key cache alone, and key
// changes leave the registry caches alone.
TEST_F(SqliteStoreTest, RegistryAndKeyCountersAreIndependent) {
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateAccount(Account{kSid, "acme", {}, 0}));
  const uint64_t keys = store->KeysVersion();
  const uint64_t registry = store->TemplatesVersion();
  EXPECT_EQ(store->SendersVersion(), registry);
  Template t;
  t.sid = kSid;
  t.template_id = "101234567890";
  t.text = "Hi {#name#}";
  ASSERT_TRUE(store->CreateTemplate(t));
  ASSERT_TRUE(
      store->RegisterSenders(kSid, std::vector{Sender{kSid, "ACMEIN", "", "", "", {}, {}}}, {}));
  EXPECT_EQ(store->KeysVersion(), keys);
  EXPECT_NE(store->TemplatesVersion(), registry);
  const uint64_t after = store->TemplatesVersion();
  ASSERT_TRUE(store->AddKey(kSid, std::string(64, 'k'), {}));
  EXPECT_NE(store->KeysVersion(), keys);
  EXPECT_EQ(store->TemplatesVersion(), after);
}

TEST_F(SqliteStoreTest, TemplateRowWithAnUnknownTypeIsAnInternalError) {
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateAccount(Account{kSid, "acme", {}, 0}));
  Template t;
  t.sid = kSid;
  t.template_id = "101234567890";
  t.text = "Hi";
  ASSERT_TRUE(store->CreateTemplate(t));
  Db raw = Raw();
  ASSERT_TRUE(raw.Exec("UPDATE templates SET type = 77"));
  auto got = store->GetTemplate(kSid, t.template_id);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, core::Errc::kInternal);
  EXPECT_FALSE(store->ListTemplates(kSid));
}

TEST_F(SqliteStoreTest, BinaryBodyBytesRoundTrip) {
  // An Encoding::kBinary body may hold any byte, NUL and invalid UTF-8 included.
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  core::Message m = MakeMessage("bin:1");
  m.encoding = core::Encoding::kBinary;
  m.body = std::string("\x00\x01\xff\xfe\x80 tail\x00", 12);
  ASSERT_TRUE(store->Enqueue({&m, 1}));
  auto got = store->GetDetail(kSid, m.id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->message.body, m.body);
}

TEST_F(SqliteStoreTest, RowWithAnUnknownStateIsAnInternalErrorNotAGuess) {
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  const core::Message m = MakeMessage("bad:1");
  ASSERT_TRUE(store->Enqueue({&m, 1}));
  {
    Db raw = Raw();
    ASSERT_TRUE(raw.Exec("UPDATE messages SET state = 99 WHERE id = 'bad:1'"));
  }
  auto got = store->GetDetail(kSid, m.id);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, core::Errc::kInternal);
  const std::vector<std::string> ids = {m.id};
  auto statuses = store->GetStatuses(kSid, ids);
  ASSERT_FALSE(statuses);
  EXPECT_EQ(statuses.error().code, core::Errc::kInternal);
}

TEST_F(SqliteStoreTest, ReadsDoNotWaitForAnotherProcessesWriteTransaction) {
  auto store = MustOpen(SqliteStore::Options{.busy_timeout = std::chrono::milliseconds(50)});
  ASSERT_NE(store, nullptr);
  const core::Message committed = MakeMessage("r:1");
  ASSERT_TRUE(store->Enqueue({&committed, 1}));
  ASSERT_TRUE(store->CreateAccount(Account{kSid, "acme", {}, 0}));
  ASSERT_TRUE(store->AddKey(kSid, std::string(64, 'a'), {}));

  // Another connection holds the write lock, with an uncommitted row, for the rest of the test.
  Db writer = Raw();
  ASSERT_TRUE(writer.Exec(
      "BEGIN IMMEDIATE; UPDATE messages SET status_details = 'UNCOMMITTED' WHERE id = 'r:1'"));

  // Reads succeed (waiting would end in kUnavailable after the 50 ms busy timeout) and see only
  // committed data.
  auto got = store->GetDetail(kSid, "r:1");
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->message.status_details, "QUEUED");
  const std::vector<std::string> ids = {"r:1", "r:2"};
  auto statuses = store->GetStatuses(kSid, ids);
  ASSERT_TRUE(statuses) << statuses.error().message;
  ASSERT_EQ(statuses->size(), 1u);
  EXPECT_EQ(statuses->front().status_details, "QUEUED");
  auto sid = store->FindSidByKeyHash(std::string(64, 'a'));
  ASSERT_TRUE(sid) << sid.error().message;
  EXPECT_EQ(*sid, kSid);
  EXPECT_TRUE(store->ListAccounts());
  EXPECT_TRUE(store->GetSettings(kSid));

  // Writes, in contrast, wait for the lock, and report kUnavailable when it is not released.
  const core::Message blocked = MakeMessage("r:2");
  auto enqueued = store->Enqueue({&blocked, 1});
  ASSERT_FALSE(enqueued);
  EXPECT_EQ(enqueued.error().code, core::Errc::kUnavailable) << enqueued.error().message;
  auto added = store->AddKey(kSid, std::string(64, 'b'), {});
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, core::Errc::kUnavailable);

  // Once the other transaction ends, the store writes again; nothing of the failures remains.
  ASSERT_TRUE(writer.Exec("ROLLBACK"));
  EXPECT_FALSE(store->GetDetail(kSid, "r:2"));
  EXPECT_TRUE(store->Enqueue({&blocked, 1}));
  EXPECT_TRUE(store->AddKey(kSid, std::string(64, 'b'), {}));
}

TEST_F(SqliteStoreTest, SecondInstanceWritesWhileTheFirstIsReading) {
  // Two stores on one file stand for `serve` and the CLI: one keeps reading from several threads
  // (with a long-lived snapshot held by yet another connection) while the other writes.
  auto reader_store = MustOpen();
  auto writer_store = MustOpen();
  ASSERT_NE(reader_store, nullptr);
  ASSERT_NE(writer_store, nullptr);
  ASSERT_TRUE(writer_store->CreateAccount(Account{kSid, "acme", {}, 0}));

  Db snapshot = Raw();
  ASSERT_TRUE(snapshot.Exec("BEGIN; SELECT count(*) FROM messages"));

  std::atomic<bool> done{false};
  std::atomic<int> read_failures{0};
  std::atomic<int> reads{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&, t] {
      const std::vector<std::string> ids = {"w0:1", "w10:1", "w99:1"};
      while (!done.load()) {
        const bool ok = t == 0   ? reader_store->GetStatuses(kSid, ids).has_value()
                        : t == 1 ? reader_store->FindSidByKeyHash(std::string(64, 'k')).has_value()
                                 : reader_store->ListAccounts().has_value();
        if (!ok) {
          ++read_failures;
        }
        ++reads;
      }
    });
  }
  constexpr int kBatches = 100;
  int write_failures = 0;
  for (int b = 0; b < kBatches; ++b) {
    std::vector<core::Message> batch;
    for (int i = 1; i <= 8; ++i) {
      batch.push_back(MakeMessage("w" + std::to_string(b) + ":" + std::to_string(i)));
    }
    if (!writer_store->Enqueue(batch)) {
      ++write_failures;
    }
  }
  ASSERT_TRUE(writer_store->AddKey(kSid, std::string(64, 'k'), {}));
  done = true;
  for (std::thread& thread : readers) {
    thread.join();
  }
  EXPECT_EQ(write_failures, 0);
  EXPECT_EQ(read_failures.load(), 0);
  EXPECT_GT(reads.load(), 0);

  // The held snapshot still sees the database as it was; the reading store sees every write.
  EXPECT_EQ(*snapshot.QueryText("SELECT count(*) FROM messages"), "0");
  ASSERT_TRUE(snapshot.Exec("COMMIT"));
  auto message = reader_store->GetDetail(kSid, "w99:8");
  EXPECT_TRUE(message) << message.error().message;
  auto sid = reader_store->FindSidByKeyHash(std::string(64, 'k'));
  ASSERT_TRUE(sid);
  EXPECT_EQ(*sid, kSid);
  EXPECT_EQ(*Raw().QueryText("SELECT count(*) FROM messages"), std::to_string(kBatches * 8));
}

TEST_F(SqliteStoreTest, KeyChangesInAnotherProcessAreSeenAtOnce) {
  // `smsgw account key add/revoke` while `serve` runs: a real second process (this binary again).
  ASSERT_FALSE(kRanAsChild);
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateAccount(Account{kSid, "acme", {}, 0}));
  ASSERT_TRUE(store->AddKey(kSid, std::string(64, 'o'), {}));
  // Warm the read path, as a running server has.
  ASSERT_EQ(store->FindSidByKeyHash(std::string(64, 'o')).value(), kSid);
  const uint64_t before = store->KeysVersion();

  const std::string env = "SMSGW_STORE_CHILD_DB=" + path_;
  char* const child_env[] = {const_cast<char*>(env.c_str()), nullptr};
  char* const child_argv[] = {const_cast<char*>("child"), nullptr};
  pid_t child = 0;
  ASSERT_EQ(::posix_spawn(&child, "/proc/self/exe", nullptr, nullptr, child_argv, child_env), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "child did not exit normally";
  ASSERT_EQ(WEXITSTATUS(status), 0) << "the child process failed to change the keys";

  EXPECT_EQ(store->KeysVersion(), before + 2);
  auto added = store->FindSidByKeyHash(std::string(64, 'n'));
  ASSERT_TRUE(added);
  EXPECT_EQ(*added, kSid);
  auto revoked = store->FindSidByKeyHash(std::string(64, 'o'));
  ASSERT_TRUE(revoked);
  EXPECT_EQ(*revoked, std::nullopt);
}

TEST_F(SqliteStoreTest, ManyConcurrentReadersBeyondThePoolSize) {
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  const core::Message m = MakeMessage("p:1");
  ASSERT_TRUE(store->Enqueue({&m, 1}));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (!store->GetDetail(kSid, "p:1")) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace smsgw::store::sqlite
