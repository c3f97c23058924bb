// SqliteStore as an OperationsStore: the gauges count what waits, by the indexes that bound them,
// and the counters move only with committed writes.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/message.h"
#include "fakes/temp_dir.h"
#include "fakes/test_message.h"
#include "store/sqlite/query_plan_for_test.h"
#include "store/sqlite/sqlite_store.h"

namespace smsgw::store::sqlite {
namespace {

using std::chrono::milliseconds;

class SqliteOperationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteStore::Open(path_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }

  // A message of `type` created (and due) at `created_ms`, or scheduled for `send_ms`.
  core::Message Message(const std::string& id, core::RouteType type, int64_t created_ms,
                        std::optional<int64_t> send_ms = std::nullopt) {
    core::Message m = fakes::MakeMessage(id);
    m.type = type;
    m.created_at = core::FromUnixMillis(created_ms);
    if (send_ms) {
      m.send_at = core::FromUnixMillis(*send_ms);
      m.state = core::MessageState::kScheduled;
    }
    return m;
  }

  fakes::TempDir dir_;
  const std::string path_ = dir_.File("smsgw.db");
  std::unique_ptr<SqliteStore> store_;
};

const StoreGauges::Queue* Priority(const StoreGauges& g, int priority) {
  for (const StoreGauges::Queue& q : g.queue) {
    if (q.priority == priority) {
      return &q;
    }
  }
  return nullptr;
}

TEST_F(SqliteOperationsTest, CountsWhatWaitsByPriorityAndWhen) {
  const int64_t now = 1'700'000'100'000;
  const std::vector<core::Message> messages = {
      Message("r1:1", core::RouteType::kOtp, now - 30'000),
      Message("r1:2", core::RouteType::kOtp, now - 5'000),
      Message("r2:1", core::RouteType::kMkt, now - 1'000),
      Message("r3:1", core::RouteType::kMkt, now - 1'000, now + 3'600'000),  // scheduled
  };
  ASSERT_TRUE(store_->Enqueue(messages));
  auto g = store_->ReadGauges(core::FromUnixMillis(now));
  ASSERT_TRUE(g) << g.error().message;
  const StoreGauges::Queue* otp = Priority(*g, 0);
  ASSERT_NE(otp, nullptr);
  EXPECT_EQ(otp->due, 2u);
  EXPECT_EQ(otp->later, 0u);
  EXPECT_EQ(otp->oldest_due, core::FromUnixMillis(now - 30'000));
  const StoreGauges::Queue* mkt = Priority(*g, 2);
  ASSERT_NE(mkt, nullptr);
  EXPECT_EQ(mkt->due, 1u);
  EXPECT_EQ(mkt->later, 1u);
  EXPECT_EQ(Priority(*g, 1), nullptr);
  EXPECT_EQ(g->webhooks_due + g->webhooks_later, 0u);
  EXPECT_FALSE(g->oldest_pending_webhook);
  EXPECT_EQ(g->held_receipts, 0u);
  EXPECT_GT(g->database_bytes, 0u);

  // Claimed: no longer due, waiting "later" (until the lease ends) while in flight.
  auto claimed = store_->ClaimDue("node-a", core::FromUnixMillis(now), milliseconds(60'000), 10);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->size(), 3u);
  g = store_->ReadGauges(core::FromUnixMillis(now));
  ASSERT_TRUE(g);
  EXPECT_EQ(Priority(*g, 0)->due, 0u);
  EXPECT_EQ(Priority(*g, 0)->later, 2u);
  EXPECT_FALSE(Priority(*g, 0)->oldest_due);
}

TEST_F(SqliteOperationsTest, CountsHeldReceiptsAndFinishedMessagesOnceCommitted) {
  const int64_t now = 1'700'000'100'000;
  ASSERT_TRUE(store_->Enqueue(std::vector{Message("r1:1", core::RouteType::kTxn, now)}));
  ASSERT_TRUE(store_->ClaimDue("node-a", core::FromUnixMillis(now), milliseconds(60'000), 10));
  ReceiptRecord early{"smsc",    "unknown-id", core::PartState::kDelivered,
                      "DELIVRD", "000",        core::FromUnixMillis(now)};
  ASSERT_TRUE(store_->ApplyReceipts(std::vector{early}));
  PartAccepted part{"r1:1", 1, 1, "smsc", "id-1", "id-1", core::FromUnixMillis(now + 100)};
  ASSERT_TRUE(store_->RecordAccepted(std::vector{part}));
  ReceiptRecord final{"smsc",    "id-1", core::PartState::kDelivered,
                      "DELIVRD", "000",  core::FromUnixMillis(now + 2'100)};
  auto applied = store_->ApplyReceipts(std::vector{final});
  ASSERT_TRUE(applied);

  auto g = store_->ReadGauges(core::FromUnixMillis(now + 3'000));
  ASSERT_TRUE(g);
  EXPECT_EQ(g->held_receipts, 1u);
  const StoreCounters c = store_->ReadCounters();
  EXPECT_EQ(c.finished[static_cast<size_t>(core::RouteType::kTxn)]
                      [static_cast<size_t>(core::MessageState::kDelivered)],
            1u);
  EXPECT_EQ(c.receipt_delay.count, 1u);
  EXPECT_DOUBLE_EQ(c.receipt_delay.sum, 2.0);
  EXPECT_GT(c.write_seconds.count, 0u);
  EXPECT_EQ(c.write_seconds.count, c.write_size.count);
  EXPECT_TRUE(store_->ProbeWrite());
}

TEST_F(SqliteOperationsTest, GaugeQueriesWalkTheirIndexes) {
  for (const NamedSql& sql : OperationsSqlForTest()) {
    const std::vector<std::string> plan = QueryPlanLines(path_, sql.sql);
    std::string text;
    for (const std::string& line : plan) {
      text += line + "\n";
      if (line.starts_with("SCAN ")) {
        EXPECT_NE(line.find(" USING "), std::string::npos) << sql.name << ":\n" << text;
      }
    }
    if (sql.name == "oldest_pending_webhook") {
      EXPECT_NE(text.find("COVERING INDEX webhooks_due"), std::string::npos) << text;
    }
  }
}

}  // namespace
}  // namespace smsgw::store::sqlite
