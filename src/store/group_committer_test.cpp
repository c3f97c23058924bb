#include "store/group_committer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "fakes/failing_message_store.h"
#include "fakes/temp_dir.h"
#include "fakes/test_message.h"
#include "store/sqlite/sqlite_store.h"

namespace smsgw::store {
namespace {

using ::testing::ElementsAre;

constexpr char kSid[] = "HXIN0000000001IN";

using fakes::MakeMessage;

// `count` messages "<request>:1" .. "<request>:<count>".
std::vector<core::Message> Request(const std::string& request, int count = 1) {
  std::vector<core::Message> messages;
  for (int i = 1; i <= count; ++i) {
    messages.push_back(MakeMessage(request + ":" + std::to_string(i)));
  }
  return messages;
}

// Collects completions by request name and lets the test wait for them.
class Outcomes {
 public:
  GroupCommitter::Completion For(std::string name) {
    return [this, name = std::move(name)](core::Result<void> result) {
      std::lock_guard lock(mu_);
      const bool first = results_.emplace(name, std::move(result)).second;
      EXPECT_TRUE(first) << name << " completed twice";
      completion_thread_ids_.push_back(std::this_thread::get_id());
      cv_.notify_all();
    };
  }
  void WaitFor(size_t count) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return results_.size() >= count; });
  }
  // True when every completion so far ran on one thread, and not on `caller`.
  bool AllOnOneThreadOtherThan(std::thread::id caller) {
    std::lock_guard lock(mu_);
    for (std::thread::id id : completion_thread_ids_) {
      if (id == caller || id != completion_thread_ids_.front()) {
        return false;
      }
    }
    return true;
  }
  size_t Count() {
    std::lock_guard lock(mu_);
    return results_.size();
  }
  // The result of `name`; the test fails if it has not completed.
  core::Result<void> Of(const std::string& name) {
    std::lock_guard lock(mu_);
    auto it = results_.find(name);
    if (it == results_.end()) {
      ADD_FAILURE() << name << " has not completed";
      return core::MakeError(core::Errc::kInternal, "not completed");
    }
    return it->second;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, core::Result<void>> results_;
  std::vector<std::thread::id> completion_thread_ids_;
};

class GroupCommitterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = sqlite::SqliteStore::Open(dir_.File("smsgw.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    sqlite_ = std::move(*opened);
    store_.emplace(*sqlite_);
  }

  bool Stored(const std::string& id) { return sqlite_->GetDetail(kSid, id).has_value(); }

  // Closes the store's gate and submits a one-message request that the writer thread takes and
  // then holds at the gate: whatever the test submits next queues up behind a commit in progress.
  void HoldTheWriter(GroupCommitter& committer, Outcomes& outcomes) {
    store_->CloseGate();
    committer.Submit(Request("held"), outcomes.For("held"));
    store_->WaitUntilWaitingAtGate(1);
  }

  fakes::TempDir dir_;
  std::unique_ptr<sqlite::SqliteStore> sqlite_;
  std::optional<fakes::FailingMessageStore> store_;
};

TEST_F(GroupCommitterTest, ConcurrentSubmissionsAllCompleteAndAreStored) {
  GroupCommitter committer(*store_);
  constexpr int kThreads = 8;
  constexpr int kRequestsPerThread = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Like an API handler: submit one request, wait for its commit, then the next one.
      for (int r = 0; r < kRequestsPerThread; ++r) {
        std::promise<core::Result<void>> done;
        auto future = done.get_future();
        committer.Submit(Request("t" + std::to_string(t) + "r" + std::to_string(r), 1 + r % 3),
                         [&done](core::Result<void> result) { done.set_value(std::move(result)); });
        if (!future.get()) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(failures.load(), 0);
  size_t messages = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (int r = 0; r < kRequestsPerThread; ++r) {
      for (int i = 1; i <= 1 + r % 3; ++i) {
        const std::string id =
            "t" + std::to_string(t) + "r" + std::to_string(r) + ":" + std::to_string(i);
        EXPECT_TRUE(Stored(id)) << id;
        ++messages;
      }
    }
  }
  size_t enqueued = 0;
  for (size_t size : store_->EnqueueSizes()) {
    enqueued += size;
  }
  EXPECT_EQ(enqueued, messages);
  // Eight threads waiting on commits of about a millisecond each: requests share transactions.
  EXPECT_LT(store_->EnqueueCalls(), kThreads * kRequestsPerThread);
}

TEST_F(GroupCommitterTest, RequestsWaitingBehindACommitShareTheNextOne) {
  GroupCommitter committer(*store_);
  Outcomes outcomes;
  HoldTheWriter(committer, outcomes);
  for (int r = 0; r < 10; ++r) {
    committer.Submit(Request("r" + std::to_string(r), 2), outcomes.For("r" + std::to_string(r)));
  }
  store_->OpenGate();
  outcomes.WaitFor(11);
  EXPECT_THAT(store_->EnqueueSizes(), ElementsAre(1, 20));
  EXPECT_TRUE(outcomes.AllOnOneThreadOtherThan(std::this_thread::get_id()))
      << "completions run on the writer thread";
  for (int r = 0; r < 10; ++r) {
    EXPECT_TRUE(outcomes.Of("r" + std::to_string(r))) << r;
    EXPECT_TRUE(Stored("r" + std::to_string(r) + ":2")) << r;
  }
}

TEST_F(GroupCommitterTest, BatchesStayWithinMaxBatchMessagesWithoutSplittingRequests) {
  GroupCommitter committer(*store_, /*max_batch_messages=*/10);
  Outcomes outcomes;
  HoldTheWriter(committer, outcomes);
  for (int r = 0; r < 5; ++r) {
    committer.Submit(Request("r" + std::to_string(r), 4), outcomes.For("r" + std::to_string(r)));
  }
  committer.Submit(Request("big", 25), outcomes.For("big"));
  committer.Submit(Request("last", 1), outcomes.For("last"));
  store_->OpenGate();
  outcomes.WaitFor(8);
  // 4+4 (a third would make 12), 4+4, 4 (the 25 does not fit), 25 alone, then 1.
  EXPECT_THAT(store_->EnqueueSizes(), ElementsAre(1, 8, 8, 4, 25, 1));
  EXPECT_TRUE(outcomes.Of("big"));
  EXPECT_TRUE(Stored("big:25"));
}

TEST_F(GroupCommitterTest, ABadRequestFailsAloneAndItsNeighboursSucceed) {
  GroupCommitter committer(*store_);
  Outcomes outcomes;
  HoldTheWriter(committer, outcomes);
  store_->FailEnqueueContaining("b:1", core::Errc::kRejected);
  committer.Submit(Request("a", 2), outcomes.For("a"));
  committer.Submit(Request("b", 1), outcomes.For("b"));
  committer.Submit(Request("c", 1), outcomes.For("c"));
  store_->OpenGate();
  outcomes.WaitFor(4);

  // The batch of 4 fails, then each request is retried alone.
  EXPECT_THAT(store_->EnqueueSizes(), ElementsAre(1, 4, 2, 1, 1));
  EXPECT_TRUE(outcomes.Of("a"));
  EXPECT_TRUE(outcomes.Of("c"));
  auto b = outcomes.Of("b");
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code, core::Errc::kRejected);
  EXPECT_TRUE(Stored("a:1"));
  EXPECT_TRUE(Stored("a:2"));
  EXPECT_TRUE(Stored("c:1"));
  EXPECT_FALSE(Stored("b:1"));
}

TEST_F(GroupCommitterTest, ADuplicateIdConflictsAloneInTheRealStore) {
  const std::vector<core::Message> existing = Request("dup");
  ASSERT_TRUE(sqlite_->Enqueue(existing));
  GroupCommitter committer(*store_);
  Outcomes outcomes;
  HoldTheWriter(committer, outcomes);
  committer.Submit(Request("x"), outcomes.For("x"));
  committer.Submit(Request("dup"), outcomes.For("dup"));
  committer.Submit(Request("y"), outcomes.For("y"));
  store_->OpenGate();
  outcomes.WaitFor(4);
  EXPECT_TRUE(outcomes.Of("x"));
  EXPECT_TRUE(outcomes.Of("y"));
  auto dup = outcomes.Of("dup");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, core::Errc::kConflict);
  EXPECT_TRUE(Stored("x:1"));
  EXPECT_TRUE(Stored("y:1"));
}

// Two requests with one Idempotency-Key in one batch (a client retrying while its first request
// waits): the first is stored with its key, the retry conflicts alone and writes nothing.
TEST_F(GroupCommitterTest, ARepeatedIdempotencyKeyConflictsAloneAndWritesNothing) {
  GroupCommitter committer(*store_);
  Outcomes outcomes;
  HoldTheWriter(committer, outcomes);
  const auto key = [](std::string fingerprint) {
    return IdempotencyRecord{kSid, "order-1", std::move(fingerprint), "{}",
                             core::FromUnixMillis(1'000'000)};
  };
  committer.Submit(Request("first"), outcomes.For("first"), key("f1"));
  committer.Submit(Request("other"), outcomes.For("other"));
  committer.Submit(Request("retry"), outcomes.For("retry"), key("f1"));
  store_->OpenGate();
  outcomes.WaitFor(4);
  EXPECT_TRUE(outcomes.Of("first"));
  EXPECT_TRUE(outcomes.Of("other"));
  auto retry = outcomes.Of("retry");
  ASSERT_FALSE(retry);
  EXPECT_EQ(retry.error().code, core::Errc::kConflict);
  EXPECT_TRUE(Stored("first:1"));
  EXPECT_TRUE(Stored("other:1"));
  EXPECT_FALSE(Stored("retry:1"));
  auto found = sqlite_->FindIdempotencyKey(kSid, "order-1", core::FromUnixMillis(0));
  ASSERT_TRUE(found && found->has_value());
}

TEST_F(GroupCommitterTest, AFailedBatchWhoseRetriesSucceedCompletesEveryoneWithSuccess) {
  // A transient failure of the batch commit (say, a busy database) costs a retry, not an error.
  GroupCommitter committer(*store_);
  Outcomes outcomes;
  HoldTheWriter(committer, outcomes);
  store_->FailNthEnqueue(1);  // the next call after "held": the batch
  committer.Submit(Request("p"), outcomes.For("p"));
  committer.Submit(Request("q"), outcomes.For("q"));
  store_->OpenGate();
  outcomes.WaitFor(3);
  EXPECT_THAT(store_->EnqueueSizes(), ElementsAre(1, 2, 1, 1));
  EXPECT_TRUE(outcomes.Of("p"));
  EXPECT_TRUE(outcomes.Of("q"));
}

TEST_F(GroupCommitterTest, AFailingSingleRequestGetsItsError) {
  GroupCommitter committer(*store_);
  Outcomes outcomes;
  store_->FailNthEnqueue(1, core::Errc::kUnavailable);
  committer.Submit(Request("only"), outcomes.For("only"));
  outcomes.WaitFor(1);
  auto only = outcomes.Of("only");
  ASSERT_FALSE(only);
  EXPECT_EQ(only.error().code, core::Errc::kUnavailable);
  EXPECT_EQ(store_->EnqueueCalls(), 1);  // a request alone is not retried
}

TEST_F(GroupCommitterTest, StopDrainsEverythingSubmittedBeforeIt) {
  GroupCommitter committer(*store_);
  Outcomes outcomes;
  HoldTheWriter(committer, outcomes);
  for (int r = 0; r < 20; ++r) {
    committer.Submit(Request("r" + std::to_string(r)), outcomes.For("r" + std::to_string(r)));
  }
  std::thread stopper([&] { committer.Stop(); });
  // Submit probes until one is refused: from then on Stop() is under way, and the 20 requests
  // are still queued behind the held commit.
  int accepted_probes = 0;
  for (;;) {
    bool completed_inline = false;
    const std::string name = "probe" + std::to_string(accepted_probes);
    committer.Submit(Request(name), [&, name](core::Result<void> result) {
      if (!result && result.error().code == core::Errc::kUnavailable) {
        completed_inline = true;
      } else {
        outcomes.For(name)(std::move(result));
      }
    });
    if (completed_inline) {
      break;
    }
    ++accepted_probes;
    std::this_thread::yield();
  }
  EXPECT_EQ(outcomes.Count(), 0u);
  store_->OpenGate();
  stopper.join();
  // Stop() returned only after every request accepted before it was committed and completed.
  EXPECT_EQ(outcomes.Count(), 21u + accepted_probes);
  for (int r = 0; r < 20; ++r) {
    EXPECT_TRUE(outcomes.Of("r" + std::to_string(r))) << r;
    EXPECT_TRUE(Stored("r" + std::to_string(r) + ":1")) << r;
  }
}

TEST_F(GroupCommitterTest, SubmitAfterStopIsUnavailableAtOnce) {
  GroupCommitter committer(*store_);
  committer.Stop();
  committer.Stop();  // idempotent
  bool called = false;
  committer.Submit(Request("late"), [&](core::Result<void> result) {
    called = true;
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, core::Errc::kUnavailable);
  });
  EXPECT_TRUE(called) << "the completion must run before Submit returns";
  EXPECT_FALSE(Stored("late:1"));
  EXPECT_EQ(store_->EnqueueCalls(), 0);
}

TEST_F(GroupCommitterTest, DestructionDrainsLikeStop) {
  Outcomes outcomes;
  {
    GroupCommitter committer(*store_);
    for (int r = 0; r < 30; ++r) {
      committer.Submit(Request("r" + std::to_string(r)), outcomes.For("r" + std::to_string(r)));
    }
  }
  EXPECT_EQ(outcomes.Count(), 30u);
  EXPECT_TRUE(Stored("r29:1"));
}

TEST_F(GroupCommitterTest, AnEmptyRequestCompletesWithSuccess) {
  GroupCommitter committer(*store_);
  Outcomes outcomes;
  committer.Submit({}, outcomes.For("empty"));
  outcomes.WaitFor(1);
  EXPECT_TRUE(outcomes.Of("empty"));
}

}  // namespace
}  // namespace smsgw::store
