// The delivery rollups (delivery_rollup.h, migration 17): what accepting and settling messages
// writes to delivery_minutes, one row per key however many messages, read back per account only;
// retention; and the statements' query plans.

#include "store/sqlite/delivery_rollup.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/message.h"
#include "fakes/temp_dir.h"
#include "fakes/test_message.h"
#include "store/sqlite/query_plan_for_test.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace smsgw::store::sqlite {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const core::TimePoint kT0 = core::FromUnixMillis(1'700'000'000'000);  // 22:13:20 UTC
constexpr std::string_view kOther = "HXIN0000000002IN";

class DeliveryRollupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteStore::Open(path_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }

  core::Message Message(std::string id, core::TimePoint at,
                        std::string sid = std::string(fakes::kTestSid)) {
    core::Message m = fakes::MakeMessage(std::move(id), std::move(sid));
    m.created_at = at;
    return m;
  }

  void Enqueue(std::vector<core::Message> messages) {
    auto done = store_->Enqueue(messages, {});
    ASSERT_TRUE(done) << done.error().message;
  }

  // Claims everything due and records part 1 of each as accepted by `connector` at `at`, with
  // smsc id "s-<id>".
  void Submit(std::string_view connector, core::TimePoint at) {
    auto claims = store_->ClaimDue("node", at, seconds(60), 1000);
    ASSERT_TRUE(claims) << claims.error().message;
    std::vector<PartAccepted> parts;
    for (const Claim& c : *claims) {
      parts.push_back(PartAccepted{c.message.id, 1, 1, std::string(connector), "s-" + c.message.id,
                                   "s-" + c.message.id, at});
    }
    auto recorded = store_->RecordAccepted(parts);
    ASSERT_TRUE(recorded) << recorded.error().message;
  }

  void Receipt(std::string_view connector, std::string_view id, core::PartState state,
               core::TimePoint at) {
    std::vector<ReceiptRecord> r{
        ReceiptRecord{std::string(connector), "s-" + std::string(id), state, "DELIVRD", "", at}};
    auto applied = store_->ApplyReceipts(r);
    ASSERT_TRUE(applied) << applied.error().message;
  }

  std::vector<DeliveryBucket> Read(std::string_view sid, minutes step = minutes(1)) {
    auto read = store_->ReadDeliveryStats(sid, kT0 - std::chrono::hours(1),
                                          kT0 + std::chrono::hours(1), step);
    EXPECT_TRUE(read) << read.error().message;
    return read ? std::move(*read) : std::vector<DeliveryBucket>();
  }

  int64_t Rows() {
    auto db = Db::Open(path_, std::chrono::milliseconds(1000));
    EXPECT_TRUE(db);
    auto n = db->QueryText("SELECT count(*) FROM delivery_minutes");
    EXPECT_TRUE(n);
    return n ? std::stoll(*n) : -1;
  }

  fakes::TempDir dir_;
  const std::string path_ = dir_.File("smsgw.db");
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(DeliveryRollupTest, DelayBucketsFollowTheBounds) {
  EXPECT_EQ(DelayBucket(0), 0u);
  EXPECT_EQ(DelayBucket(1), 0u);
  EXPECT_EQ(DelayBucket(1.5), 1u);
  EXPECT_EQ(DelayBucket(3600), kDelayBuckets - 2);
  EXPECT_EQ(DelayBucket(1e9), kDelayBuckets - 1);
  EXPECT_EQ(UnixMinute(kT0), 1'700'000'000'000 / 60'000);
  EXPECT_EQ(UnixMinute(core::FromUnixMillis(-1)), -1);
}

TEST_F(DeliveryRollupTest, AcceptedAndSettledAreCountedPerMinuteConnectorAndType) {
  std::vector<core::Message> batch;
  for (int i = 0; i < 5; ++i) {
    batch.push_back(Message("r:" + std::to_string(i), kT0));
  }
  batch[4].type = core::RouteType::kOtp;
  Enqueue(batch);
  // One batch of five messages, two keys (DEFAULT and OTP): two rows.
  EXPECT_EQ(Rows(), 2);

  Submit("smsc-a", kT0 + seconds(1));
  Receipt("smsc-a", "r:0", core::PartState::kDelivered, kT0 + seconds(4));      // 3 s
  Receipt("smsc-a", "r:1", core::PartState::kDelivered, kT0 + seconds(21));     // 20 s
  Receipt("smsc-a", "r:2", core::PartState::kUndelivered, kT0 + seconds(121));  // 120 s
  Receipt("smsc-a", "r:2", core::PartState::kDelivered, kT0 + seconds(122));    // duplicate
  EXPECT_FALSE(store_->Cancel(fakes::kTestSid, "r:3", kT0));  // claimed: not cancellable
  Enqueue({Message("r:5", kT0 + minutes(3))});
  ASSERT_TRUE(store_->Cancel(fakes::kTestSid, "r:5", kT0 + minutes(3)));

  const std::vector<DeliveryBucket> buckets = Read(fakes::kTestSid);
  RollupCounts total;
  RollupCounts smsc_a;
  for (const DeliveryBucket& b : buckets) {
    total.accepted += b.counts.accepted;
    total.delivered += b.counts.delivered;
    total.undelivered += b.counts.undelivered;
    total.not_sent += b.counts.not_sent;
    if (b.connector == "smsc-a") {
      for (size_t i = 0; i < kDelayBuckets; ++i) {
        smsc_a.delay[i] += b.counts.delay[i];
      }
      EXPECT_EQ(b.type, core::RouteType::kDefault);
      EXPECT_EQ(b.counts.accepted, 0u);  // accepted before any connector
    }
  }
  EXPECT_EQ(total.accepted, 6u);
  EXPECT_EQ(total.delivered, 2u);
  EXPECT_EQ(total.undelivered, 1u);
  EXPECT_EQ(total.not_sent, 1u);
  EXPECT_EQ(smsc_a.delay[DelayBucket(3)], 1u);
  EXPECT_EQ(smsc_a.delay[DelayBucket(20)], 1u);
  EXPECT_EQ(smsc_a.delay[DelayBucket(120)], 1u);
  // Time order, a bucket per minute.
  for (size_t i = 1; i < buckets.size(); ++i) {
    EXPECT_LE(buckets[i - 1].start, buckets[i].start);
  }
  EXPECT_EQ(buckets.back().start, core::FromUnixMillis(UnixMinute(kT0 + minutes(3)) * 60'000));

  // Summed per hour: the same totals in fewer buckets.
  uint64_t hourly_accepted = 0;
  for (const DeliveryBucket& b : Read(fakes::kTestSid, minutes(60))) {
    hourly_accepted += b.counts.accepted;
    EXPECT_EQ(core::ToUnixMillis(b.start) % 3'600'000, 0);
  }
  EXPECT_EQ(hourly_accepted, 6u);
}

TEST_F(DeliveryRollupTest, AnAccountReadsOnlyItsOwnRollups) {
  Enqueue({Message("a:1", kT0), Message("b:1", kT0, std::string(kOther))});
  const auto mine = Read(fakes::kTestSid);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].counts.accepted, 1u);
  const auto theirs = Read(kOther);
  ASSERT_EQ(theirs.size(), 1u);
  EXPECT_EQ(theirs[0].counts.accepted, 1u);
  EXPECT_TRUE(Read("HXIN0000000003IN").empty());
  EXPECT_FALSE(store_->ReadDeliveryStats(fakes::kTestSid, kT0, kT0, minutes(0)));
}

TEST_F(DeliveryRollupTest, AFailedWriteAddsNothing) {
  Enqueue({Message("d:1", kT0)});
  auto again =
      store_->Enqueue(std::vector<core::Message>{Message("d:2", kT0), Message("d:1", kT0)}, {});
  ASSERT_FALSE(again);  // duplicate id: rolled back
  const auto buckets = Read(fakes::kTestSid);
  ASSERT_EQ(buckets.size(), 1u);
  EXPECT_EQ(buckets[0].counts.accepted, 1u);
}

TEST_F(DeliveryRollupTest, MinutesOlderThanTheRetentionArePruned) {
  const core::TimePoint old = kT0 - kRollupRetention - minutes(5);
  Enqueue({Message("o:1", old)});
  EXPECT_EQ(Rows(), 1);
  Enqueue({Message("o:2", kT0)});  // a newer minute: prunes what fell out of the window
  EXPECT_EQ(Rows(), 1);
  auto kept =
      store_->ReadDeliveryStats(fakes::kTestSid, old - minutes(1), kT0 + minutes(1), minutes(1));
  ASSERT_TRUE(kept);
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_EQ(kept->front().start, core::FromUnixMillis(UnixMinute(kT0) * 60'000));
}

TEST_F(DeliveryRollupTest, TheStatementsUseTheirIndexes) {
  std::vector<NamedSql> all = RollupSqlForTest();
  for (const NamedSql& s : RollupReadSqlForTest()) {
    all.push_back(s);
  }
  for (const NamedSql& s : all) {
    std::string plan;
    for (const std::string& line : QueryPlanLines(path_, s.sql)) {
      plan += line + "\n";
    }
    EXPECT_EQ(plan.find("SCAN delivery_minutes\n"), std::string::npos) << s.name << "\n" << plan;
    if (s.name == "rollup_prune") {
      EXPECT_NE(plan.find("delivery_minutes_by_minute"), std::string::npos) << plan;
    }
    if (s.name == "rollup_read") {
      EXPECT_NE(plan.find("PRIMARY KEY (sid=? AND minute>? AND minute<?)"), std::string::npos)
          << plan;
    }
  }
}

}  // namespace
}  // namespace smsgw::store::sqlite
