// WriteGroup (the leader/follower grouping) and SqliteStore::Writer::WriteGroupNow (one
// transaction, a savepoint per entry).

#include "store/sqlite/write_group.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "fakes/temp_dir.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace smsgw::store::sqlite {
namespace {

TEST(WriteGroupTest, ConcurrentCallersShareGroupsAndEachGetsItsOwnResult) {
  std::atomic<int> writing{0};
  std::atomic<bool> overlapped{false};
  WriteGroup group([&](std::span<WriteGroup::Entry* const> entries) {
    overlapped = overlapped || writing.fetch_add(1) != 0;
    for (WriteGroup::Entry* e : entries) {
      e->result = e->run(e->body);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // a commit's fsync
    writing.fetch_sub(1);
  });
  constexpr int kThreads = 8, kEach = 50;
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const bool ok = (t + i) % 3 != 0;
        auto result = RunInGroup(group, WriteLane::kCustomer, [&]() -> core::Result<void> {
          if (ok) {
            return {};
          }
          return core::MakeError(core::Errc::kConflict,
                                 std::to_string(t) + "/" + std::to_string(i));
        });
        if (result.has_value() != ok ||
            (!ok && result.error().message != std::to_string(t) + "/" + std::to_string(i))) {
          ++wrong;
        }
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_FALSE(overlapped.load()) << "two groups were written at once";
  EXPECT_EQ(group.entries(), static_cast<size_t>(kThreads * kEach));
  EXPECT_LT(group.groups(), group.entries() / 2) << "callers waiting together were not grouped";
}

TEST(WriteGroupTest, AWriteThatThrowsFailsItsGroupAndTheNextOneIsWritten) {
  bool fail = true;
  WriteGroup group([&](std::span<WriteGroup::Entry* const> entries) {
    if (std::exchange(fail, false)) {
      throw std::runtime_error("disk on fire");
    }
    for (WriteGroup::Entry* e : entries) {
      e->result = e->run(e->body);
    }
  });
  auto ok = []() -> core::Result<void> { return {}; };
  auto first = RunInGroup(group, WriteLane::kCustomer, ok);
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code, core::Errc::kInternal);
  EXPECT_TRUE(RunInGroup(group, WriteLane::kCustomer, ok)) << "the group was left with no leader";
}

// A WriteGroup whose write holds each group until the test releases it, and records which
// entries each group held (each entry's body notes its name).
class SteppedWrites {
 public:
  WriteGroup group{[this](std::span<WriteGroup::Entry* const> entries) {
    std::unique_lock lock(mu_);
    written_.emplace_back();
    lock.unlock();
    for (WriteGroup::Entry* e : entries) {
      e->result = e->run(e->body);
    }
    lock.lock();
    changed_.notify_all();
    changed_.wait(lock, [&] { return released_ >= written_.size(); });
  }};

  // Joins the group from a thread of its own as `name`.
  void Start(std::string name, WriteLane lane) {
    threads_.emplace_back([this, name = std::move(name), lane] {
      (void)RunInGroup(group, lane, [&]() -> core::Result<void> {
        std::lock_guard lock(mu_);
        written_.back() += (written_.back().empty() ? "" : " ") + name;
        return {};
      });
    });
  }
  void WaitUntilQueued(size_t n) {
    while (group.queued() < n) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  void WaitUntilWriting(size_t groups) {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return written_.size() >= groups; });
  }
  void Release() {
    std::lock_guard lock(mu_);
    ++released_;
    changed_.notify_all();
  }
  std::vector<std::string> Finish() {
    {
      std::lock_guard lock(mu_);
      released_ = SIZE_MAX;
      changed_.notify_all();
    }
    for (std::thread& t : threads_) {
      t.join();
    }
    std::lock_guard lock(mu_);
    return written_;
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<std::string> written_;
  size_t released_ = 0;
  std::vector<std::thread> threads_;
};

TEST(WriteGroupTest, CustomersQueuedWithPipelineWorkAreWrittenFirst) {
  SteppedWrites w;
  w.Start("held", WriteLane::kPipeline);
  w.WaitUntilWriting(1);
  w.Start("pipeline", WriteLane::kPipeline);
  w.WaitUntilQueued(1);
  w.Start("customer", WriteLane::kCustomer);
  w.WaitUntilQueued(2);
  w.Release();
  EXPECT_EQ(w.Finish(), (std::vector<std::string>{"held", "customer", "pipeline"}));
}

TEST(WriteGroupTest, PipelineWorkIsPassedOverAtMostTwiceInARow) {
  static_assert(WriteGroup::kMaxPassedOver == 2);
  SteppedWrites w;
  w.Start("held", WriteLane::kCustomer);
  w.WaitUntilWriting(1);
  w.Start("p", WriteLane::kPipeline);
  w.WaitUntilQueued(1);
  for (int i = 1; i <= 3; ++i) {
    w.Start("c" + std::to_string(i), WriteLane::kCustomer);
    w.WaitUntilQueued(2);
    w.Release();
    w.WaitUntilWriting(static_cast<size_t>(i) + 1);
  }
  EXPECT_EQ(w.Finish(), (std::vector<std::string>{"held", "c1", "c2", "p c3"}));
}

TEST(WriteGroupTest, AQueueOfOneLaneIsWrittenWhole) {
  SteppedWrites w;
  w.Start("held", WriteLane::kCustomer);
  w.WaitUntilWriting(1);
  w.Start("p1", WriteLane::kPipeline);
  w.WaitUntilQueued(1);
  w.Start("p2", WriteLane::kPipeline);
  w.WaitUntilQueued(2);
  w.Release();
  EXPECT_EQ(w.Finish(), (std::vector<std::string>{"held", "p1 p2"}));
}

TEST(WriteGroupTest, TheNextGroupIsWrittenWhileOneSyncsAndEachCallerWaitsForItsSync) {
  std::mutex mu;
  std::condition_variable changed;
  int syncs = 0;
  bool first_sync_released = false;
  std::vector<std::string> written;
  WriteGroup group(
      [&](std::span<WriteGroup::Entry* const> entries) {
        for (WriteGroup::Entry* e : entries) {
          e->result = e->run(e->body);
        }
      },
      [&]() -> core::Result<void> {
        std::unique_lock lock(mu);
        if (++syncs == 1) {
          changed.notify_all();
          changed.wait(lock, [&] { return first_sync_released; });
        }
        return {};
      });
  auto write = [&](std::string name) {
    return RunInGroup(group, WriteLane::kCustomer, [&, name]() -> core::Result<void> {
      std::lock_guard lock(mu);
      written.push_back(name);
      return {};
    });
  };
  std::atomic<bool> a_done{false};
  std::thread a([&] {
    EXPECT_TRUE(write("a"));
    a_done = true;
  });
  {
    std::unique_lock lock(mu);
    changed.wait(lock, [&] { return syncs == 1; });  // a is written, its sync is under way
  }
  EXPECT_TRUE(write("b")) << "b's group was not written while a's synced";
  EXPECT_FALSE(a_done.load()) << "a's caller returned before its sync";
  {
    std::lock_guard lock(mu);
    first_sync_released = true;
    changed.notify_all();
  }
  a.join();
  EXPECT_TRUE(a_done.load());
  EXPECT_EQ(written, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(syncs, 2);
}

TEST(WriteGroupTest, AFailedSyncFailsItsGroup) {
  bool fail = true;
  WriteGroup group(
      [&](std::span<WriteGroup::Entry* const> entries) {
        for (WriteGroup::Entry* e : entries) {
          e->result = e->run(e->body);
        }
      },
      [&]() -> core::Result<void> {
        if (std::exchange(fail, false)) {
          return core::MakeError(core::Errc::kUnavailable, "syncing the write-ahead log: EIO");
        }
        return {};
      });
  auto ok = []() -> core::Result<void> { return {}; };
  auto first = RunInGroup(group, WriteLane::kCustomer, ok);
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code, core::Errc::kUnavailable);
  EXPECT_TRUE(RunInGroup(group, WriteLane::kCustomer, ok));
}

}  // namespace

// The Writer of a second connection to a migrated database, and a table to write in.
class WriteGroupNowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteStore::Open(path_);
    ASSERT_TRUE(store) << store.error().message;
    store->reset();
    auto db = Db::Open(path_, std::chrono::milliseconds(1000));
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE(db->Exec("CREATE TABLE t (k TEXT PRIMARY KEY)"));
    writer_ = std::make_unique<SqliteStore::Writer>(std::move(*db));
    auto prepared = writer_->Prepare();
    ASSERT_TRUE(prepared) << prepared.error().message;
  }

  // An entry that inserts `key` (a repeated key fails with kConflict after its insert of `first`).
  struct Insert {
    Db* db;
    std::string first, key;
    core::Result<void> operator()() const {
      if (!first.empty()) {
        if (auto ran = db->Exec(("INSERT INTO t VALUES ('" + first + "')").c_str()); !ran) {
          return ran;
        }
      }
      return db->Exec(("INSERT INTO t VALUES ('" + key + "')").c_str());
    }
  };

  static WriteGroup::Entry EntryOf(Insert& insert) {
    WriteGroup::Entry e;
    e.run = [](void* b) { return (*static_cast<Insert*>(b))(); };
    e.body = &insert;
    return e;
  }

  std::string Keys() {
    auto keys =
        writer_->db.QueryText("SELECT group_concat(k, ',') FROM (SELECT k FROM t ORDER BY k)");
    return keys ? *keys : keys.error().message;
  }

  fakes::TempDir dir_;
  const std::string path_ = dir_.File("smsgw.db");
  std::unique_ptr<SqliteStore::Writer> writer_;
};

namespace {

TEST_F(WriteGroupNowTest, AFailingEntryIsRolledBackAloneAndTheOthersCommit) {
  Insert a{&writer_->db, "", "a"};
  Insert dup{&writer_->db, "b", "a"};  // inserts b, then fails on a: b must not stay
  Insert c{&writer_->db, "", "c"};
  WriteGroup::Entry ea = EntryOf(a), edup = EntryOf(dup), ec = EntryOf(c);
  WriteGroup::Entry* group[] = {&ea, &edup, &ec};
  writer_->WriteGroupNow(group, std::chrono::milliseconds(1000));
  EXPECT_TRUE(ea.result);
  ASSERT_FALSE(edup.result);
  EXPECT_TRUE(ec.result);
  EXPECT_TRUE(writer_->db.AutoCommit());
  EXPECT_EQ(Keys(), "a,c");
}

TEST_F(WriteGroupNowTest, AnEntryThatThrowsFailsAloneAndIsRolledBack) {
  Insert a{&writer_->db, "", "a"};
  struct Throws {
    Db* db;
    core::Result<void> operator()() const {
      if (auto ran = db->Exec("INSERT INTO t VALUES ('t')"); !ran) {
        return ran;
      }
      throw std::bad_alloc();
    }
  } throws{&writer_->db};
  WriteGroup::Entry ea = EntryOf(a), et;
  et.run = [](void* b) { return (*static_cast<Throws*>(b))(); };
  et.body = &throws;
  WriteGroup::Entry* group[] = {&ea, &et};
  writer_->WriteGroupNow(group, std::chrono::milliseconds(1000));
  EXPECT_TRUE(ea.result);
  ASSERT_FALSE(et.result);
  EXPECT_EQ(et.result.error().code, core::Errc::kInternal);
  EXPECT_EQ(Keys(), "a");
}

TEST_F(WriteGroupNowTest, ASingleFailingEntryIsRolledBack) {
  Insert dup{&writer_->db, "x", "x"};
  WriteGroup::Entry e = EntryOf(dup);
  WriteGroup::Entry* group[] = {&e};
  writer_->WriteGroupNow(group, std::chrono::milliseconds(1000));
  EXPECT_FALSE(e.result);
  EXPECT_TRUE(writer_->db.AutoCommit());
  EXPECT_EQ(Keys(), "");
}

TEST_F(WriteGroupNowTest, AFailedBeginFailsEveryEntry) {
  auto other = Db::Open(path_, std::chrono::milliseconds(1000));
  ASSERT_TRUE(other);
  ASSERT_TRUE(other->Exec("BEGIN IMMEDIATE"));  // another process holds the write lock
  Insert a{&writer_->db, "", "a"}, b{&writer_->db, "", "b"};
  WriteGroup::Entry ea = EntryOf(a), eb = EntryOf(b);
  ea.lane = eb.lane = WriteLane::kPipeline;
  WriteGroup::Entry* group[] = {&ea, &eb};
  writer_->WriteGroupNow(group, std::chrono::milliseconds(1000));
  EXPECT_FALSE(ea.result);
  EXPECT_FALSE(eb.result);
  ASSERT_TRUE(other->Exec("ROLLBACK"));
  EXPECT_EQ(Keys(), "");
}

// A group whose durability comes from WalSync commits without its own fsync (synchronous =
// NORMAL), and leaves the connection at FULL for the writes that commit alone.
TEST_F(WriteGroupNowTest, ADeferredSyncGroupCommitsAtNormalAndLeavesFull) {
  writer_->defer_sync = true;
  std::string during;
  auto read_level = [&]() -> core::Result<void> {
    auto level = writer_->db.QueryText("PRAGMA synchronous");
    if (!level) {
      return std::unexpected(level.error());
    }
    during = *level;
    return writer_->db.Exec("INSERT INTO t VALUES ('x')");
  };
  WriteGroup::Entry e;
  e.run = [](void* b) { return (*static_cast<decltype(read_level)*>(b))(); };
  e.body = &read_level;
  WriteGroup::Entry* group[] = {&e};
  writer_->WriteGroupNow(group, std::chrono::milliseconds(1000));
  ASSERT_TRUE(e.result) << e.result.error().message;
  EXPECT_EQ(during, "1");                                                     // NORMAL
  EXPECT_EQ(writer_->db.QueryText("PRAGMA synchronous").value_or("?"), "2");  // FULL
  EXPECT_EQ(Keys(), "x");
}

}  // namespace
}  // namespace smsgw::store::sqlite
