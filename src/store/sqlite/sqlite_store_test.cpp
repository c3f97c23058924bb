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
  auto got = store->Get(kSid, m.id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->body, m.body);
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
  auto got = store->Get(kSid, m.id);
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
  auto got = store->Get(kSid, "r:1");
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->status_details, "QUEUED");
  const std::vector<std::string> ids = {"r:1", "r:2"};
  auto statuses = store->GetStatuses(kSid, ids);
  ASSERT_TRUE(statuses) << statuses.error().message;
  ASSERT_EQ(statuses->size(), 1u);
  EXPECT_EQ(statuses->front().status_details, "QUEUED");
  auto sid = store->FindSidByKeyHash(std::string(64, 'a'));
  ASSERT_TRUE(sid) << sid.error().message;
  EXPECT_EQ(*sid, kSid);
  EXPECT_TRUE(store->ListAccounts());
  EXPECT_TRUE(store->AccountExists(kSid));

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
  EXPECT_FALSE(store->Get(kSid, "r:2"));
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
  auto message = reader_store->Get(kSid, "w99:8");
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
        if (!store->Get(kSid, "p:1")) {
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

namespace smsgw::store::sqlite {
namespace {

TEST_F(SqliteStoreTest, SmppCredentialsAddFindListRevoke) {
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  const core::TimePoint at = core::FromUnixMillis(1'700'000'000'000);
  EXPECT_EQ(store->AddSmppCredential({"acme1", kSid, at, {}, {}, {}}, "salt", "hash").error().code,
            core::Errc::kNotFound);  // no such account yet
  ASSERT_TRUE(store->CreateAccount(Account{kSid, "acme", {}, 0}));
  const uint64_t before = store->CredentialsVersion();
  ASSERT_TRUE(store->AddSmppCredential({"acme1", kSid, at, {}, {}, {}}, "salt", "hash"));
  EXPECT_EQ(store->CredentialsVersion(), before + 1);
  EXPECT_EQ(store->AddSmppCredential({"acme1", kSid, at, {}, {}, {}}, "s2", "h2").error().code,
            core::Errc::kConflict);

  auto found = store->FindSmppCredential("acme1");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->sid, kSid);
  EXPECT_EQ((*found)->salt, "salt");
  EXPECT_EQ((*found)->password_hash, "hash");
  EXPECT_FALSE(store->FindSmppCredential("ACME1").value().has_value());  // case-sensitive

  EXPECT_EQ(store->RevokeSmppCredential("HXOTHER0000000SG", "acme1").error().code,
            core::Errc::kNotFound);  // another account's credential
  ASSERT_TRUE(store->RevokeSmppCredential(kSid, "acme1"));
  EXPECT_EQ(store->CredentialsVersion(), before + 2);
  EXPECT_FALSE(store->FindSmppCredential("acme1").value().has_value());
  EXPECT_EQ(store->RevokeSmppCredential(kSid, "acme1").error().code, core::Errc::kNotFound);
  // A revoked system_id is never handed out again.
  EXPECT_EQ(store->AddSmppCredential({"acme1", kSid, at, {}, {}, {}}, "s3", "h3").error().code,
            core::Errc::kConflict);

  auto listed = store->ListSmppCredentials(kSid);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].system_id, "acme1");
  EXPECT_EQ((*listed)[0].created_at, at);
  EXPECT_TRUE((*listed)[0].revoked_at.has_value());
  EXPECT_EQ(store->ListSmppCredentials("HXNOBODY000000SG").error().code, core::Errc::kNotFound);
  EXPECT_FALSE((*listed)[0].max_rate.has_value());
}

TEST_F(SqliteStoreTest, SmppCredentialMaxRate) {
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateAccount(Account{kSid, "acme", {}, 0}));
  const core::TimePoint at = core::FromUnixMillis(1'700'000'000'000);
  ASSERT_TRUE(store->AddSmppCredential({"fast", kSid, at, {}, 250, "OTP"}, "salt", "hash"));
  ASSERT_TRUE(store->AddSmppCredential({"default", kSid, at, {}, {}, {}}, "salt", "hash"));
  auto fast = store->FindSmppCredential("fast");
  ASSERT_TRUE(fast && fast->has_value());
  EXPECT_EQ((*fast)->max_rate, 250);
  EXPECT_EQ((*fast)->type, "OTP");
  auto other = store->FindSmppCredential("default");
  ASSERT_TRUE(other && other->has_value());
  EXPECT_FALSE((*other)->max_rate.has_value());
  EXPECT_EQ((*other)->type, "");
  auto listed = store->ListSmppCredentials(kSid);
  ASSERT_TRUE(listed && listed->size() == 2u);
  EXPECT_EQ((*listed)[0].system_id, "default");
  EXPECT_EQ((*listed)[1].max_rate, 250);
  EXPECT_EQ((*listed)[1].type, "OTP");
  EXPECT_TRUE((*listed)[1].allowed_sources.empty());
}

TEST_F(SqliteStoreTest, SmppCredentialAllowedSourcesReadBack) {
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateAccount(Account{kSid, "acme", {}, 0}));
  const core::TimePoint at = core::FromUnixMillis(1'700'000'000'000);
  const std::vector<core::IpNetwork> sources = {*core::ParseIpNetwork("10.0.0.0/8"),
                                                *core::ParseIpNetwork("192.0.2.7"),
                                                *core::ParseIpNetwork("2001:db8::/32")};
  ASSERT_TRUE(store->AddSmppCredential({"fenced", kSid, at, {}, {}, {}, sources}, "salt", "hash"));
  auto found = store->FindSmppCredential("fenced");
  ASSERT_TRUE(found && found->has_value()) << (found ? "" : found.error().message);
  EXPECT_EQ((*found)->allowed_sources, sources);
  auto listed = store->ListSmppCredentials(kSid);
  ASSERT_TRUE(listed && listed->size() == 1u);
  EXPECT_EQ((*listed)[0].allowed_sources, sources);
}

// A credential's id format is kept, and a receipt of a message submitted through it carries it
// (the id its submit_sm_resp gave is the one the receipt must show).
TEST_F(SqliteStoreTest, SmppCredentialIdFormatReachesItsReceipts) {
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateAccount(Account{kSid, "acme", {}, 0}));
  const core::TimePoint at = core::FromUnixMillis(1'700'000'000'000);
  SmppCredential decimal{"dec", kSid, at, {}, {}, {}};
  decimal.id_format = SmppIdFormat::kDecimal;
  ASSERT_TRUE(store->AddSmppCredential(decimal, "salt", "hash"));
  ASSERT_TRUE(store->AddSmppCredential({"hex", kSid, at, {}, {}, {}}, "salt", "hash"));
  auto found = store->FindSmppCredential("dec");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->id_format, SmppIdFormat::kDecimal);
  auto listed = store->ListSmppCredentials(kSid);
  ASSERT_TRUE(listed && listed->size() == 2u);
  EXPECT_EQ((*listed)[0].id_format, SmppIdFormat::kDecimal);
  EXPECT_EQ((*listed)[1].id_format, SmppIdFormat::kHex);

  std::vector<core::Message> batch;
  for (const char* system_id : {"dec", "hex"}) {
    core::Message m = MakeMessage(std::string(system_id) + ":1", kSid);
    m.smpp_system_id = system_id;
    m.registered_delivery = 0x01;
    batch.push_back(std::move(m));
  }
  ASSERT_TRUE(store->Enqueue(batch));
  for (const core::Message& m : batch) {
    ASSERT_TRUE(store->Cancel(kSid, m.id, at));
  }
  auto jobs = store->ClaimSmppOutbox(kSid, "s", at, std::chrono::seconds(30), 10);
  ASSERT_TRUE(jobs) << jobs.error().message;
  ASSERT_EQ(jobs->size(), 2u);
  EXPECT_EQ((*jobs)[0].message_id, "dec:1");
  EXPECT_EQ((*jobs)[0].id_format, SmppIdFormat::kDecimal);
  EXPECT_EQ((*jobs)[1].id_format, SmppIdFormat::kHex);
}

}  // namespace
}  // namespace smsgw::store::sqlite
