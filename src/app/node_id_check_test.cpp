#include "app/node_id_check.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "fakes/temp_dir.h"
#include "store/sqlite/sqlite_store.h"

namespace smsgw::app {
namespace {

using namespace std::chrono_literals;

constexpr auto kLease = 600ms;  // a live life beats every 120 ms
constexpr auto kPoll = 20ms;

class NodeIdCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::SqliteStore::Open(dir_.File("smsgw.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }
  void Beat(const std::string& owner) { ASSERT_TRUE(store_->Beat(owner, kLease)); }

  fakes::TempDir dir_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
};

TEST_F(NodeIdCheckTest, AnIdNobodyBeatsAsIsFreeAtOnce) {
  Beat("gw-10/1:a");  // another node, though its id starts alike
  Beat("gw-2/1:b");
  const auto started = std::chrono::steady_clock::now();
  auto free = CheckNodeIdIsFree(*store_, "gw-1", kPoll);
  EXPECT_TRUE(free) << free.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - started, kLease / 4) << "nothing to watch";
}

TEST_F(NodeIdCheckTest, ACrashedEarlierLifeIsToldApartByItsStillBeat) {
  Beat("gw-1/41:old");  // beat once, then killed
  const auto started = std::chrono::steady_clock::now();
  auto free = CheckNodeIdIsFree(*store_, "gw-1", kPoll);
  EXPECT_TRUE(free) << free.error().message;
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_GE(waited, kLease / 2 - 50ms) << "watched for half its lease";
  EXPECT_LT(waited, kLease) << "not for its whole lease";
}

TEST_F(NodeIdCheckTest, ALiveProcessWithTheSameIdRefusesTheStart) {
  Beat("gw-1/41:live");
  std::atomic<bool> stop{false};
  std::thread beating([&] {
    while (!stop) {
      std::this_thread::sleep_for(kLease / 5);
      EXPECT_TRUE(store_->Beat("gw-1/41:live", kLease));
    }
  });
  auto free = CheckNodeIdIsFree(*store_, "gw-1", kPoll);
  stop = true;
  beating.join();
  ASSERT_FALSE(free);
  EXPECT_EQ(free.error().code, core::Errc::kConflict);
  EXPECT_NE(free.error().message.find("gw-1/41:live"), std::string::npos) << free.error().message;
  EXPECT_NE(free.error().message.find("[node] id"), std::string::npos) << free.error().message;
}

}  // namespace
}  // namespace smsgw::app
