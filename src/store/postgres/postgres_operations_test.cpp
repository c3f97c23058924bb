// PostgresStore as an OperationsStore and as DeliveryStats (operations.h, delivery_stats.h): the
// gauges count what waits, the counters move only with committed writes, a probe proves the
// server takes writes, and the delivery rollups that accepting and settling keep add up exactly
// when two nodes write them at once. Each test has a schema of its own (tests/postgres).

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/message.h"
#include "fakes/test_message.h"
#include "postgres/test_schema.h"
#include "store/delivery_rollup.h"
#include "store/postgres/operations.h"
#include "store/postgres/pool.h"
#include "store/postgres/postgres_store.h"

namespace smsgw::store::postgres {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const core::TimePoint kT0 = core::FromUnixMillis(1'700'000'000'000);  // 22:13:20 UTC

class PostgresOperationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SMSGW_TEST_SCHEMA_OR_SKIP(schema_);
    store_ = Open();
    ASSERT_TRUE(store_);
  }

  std::unique_ptr<PostgresStore> Open() {
    PostgresStore::Options options;
    options.conninfo = schema_->uri();
    options.pool_size = 2;
    auto store = PostgresStore::Open(options);
    EXPECT_TRUE(store) << store.error().message;
    return store ? std::move(*store) : nullptr;
  }

  // A message of `type` created (and due) at `created`, or scheduled for `send_at`.
  static core::Message Message(const std::string& id, core::RouteType type, core::TimePoint created,
                               std::optional<core::TimePoint> send_at = std::nullopt) {
    core::Message m = fakes::MakeMessage(id);
    m.type = type;
    m.created_at = created;
    if (send_at) {
      m.send_at = *send_at;
      m.state = core::MessageState::kScheduled;
    }
    return m;
  }

  std::unique_ptr<test_postgres::TestSchema> schema_;
  std::unique_ptr<PostgresStore> store_;
};

const StoreGauges::Queue* Priority(const StoreGauges& g, int priority) {
  for (const StoreGauges::Queue& q : g.queue) {
    if (q.priority == priority) {
      return &q;
    }
  }
  return nullptr;
}

size_t Index(auto e) { return static_cast<size_t>(e); }

TEST_F(PostgresOperationsTest, GaugesCountWhatWaitsByPriorityAndWhen) {
  const core::TimePoint now = kT0 + seconds(100);
  core::Message with_callback = Message("r4:1", core::RouteType::kMkt, now - seconds(2));
  with_callback.callback = "https://example.com/cb";
  const std::vector<core::Message> messages = {
      Message("r1:1", core::RouteType::kOtp, now - seconds(30)),
      Message("r1:2", core::RouteType::kOtp, now - seconds(5)),
      Message("r2:1", core::RouteType::kMkt, now - seconds(1)),
      Message("r3:1", core::RouteType::kMkt, now - seconds(1), now + std::chrono::hours(1)),
      with_callback,
  };
  ASSERT_TRUE(store_->messages().Enqueue(messages));
  ASSERT_TRUE(store_->deliveries().Cancel(fakes::kTestSid, "r4:1", now - seconds(2)));
  auto g = store_->operations().ReadGauges(now);
  ASSERT_TRUE(g) << g.error().message;
  const StoreGauges::Queue* otp = Priority(*g, 0);
  ASSERT_NE(otp, nullptr);
  EXPECT_EQ(otp->due, 2u);
  EXPECT_EQ(otp->later, 0u);
  EXPECT_EQ(otp->oldest_due, now - seconds(30));
  const StoreGauges::Queue* mkt = Priority(*g, 2);
  ASSERT_NE(mkt, nullptr);
  EXPECT_EQ(mkt->due, 1u);
  EXPECT_EQ(mkt->later, 1u);
  EXPECT_EQ(Priority(*g, 1), nullptr);
  EXPECT_EQ(g->webhooks_due, 1u) << "the cancel's status webhook";
  EXPECT_EQ(g->webhooks_later, 0u);
  EXPECT_EQ(g->oldest_pending_webhook, now - seconds(2));
  EXPECT_EQ(g->held_receipts, 0u);
  EXPECT_EQ(g->unmatched_inbound, 0u);
  EXPECT_GT(g->database_bytes, 0u);

  // Claimed: no longer due, waiting "later" (until the lease ends) while in flight.
  auto claimed = store_->deliveries().ClaimDue("node-a", now, milliseconds(60'000), 10);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->size(), 3u);
  g = store_->operations().ReadGauges(now);
  ASSERT_TRUE(g);
  ASSERT_NE(Priority(*g, 0), nullptr);
  EXPECT_EQ(Priority(*g, 0)->due, 0u);
  EXPECT_EQ(Priority(*g, 0)->later, 2u);
  EXPECT_FALSE(Priority(*g, 0)->oldest_due);

  // Nothing waiting at all: no queue rows, the scalars still read.
  auto empty_schema = test_postgres::TestSchema::Create(*test_postgres::TestSchema::ServerUri());
  ASSERT_TRUE(empty_schema);
  PostgresStore::Options options;
  options.conninfo = (*empty_schema)->uri();
  auto empty = PostgresStore::Open(options);
  ASSERT_TRUE(empty) << empty.error().message;
  g = (*empty)->operations().ReadGauges(now);
  ASSERT_TRUE(g) << g.error().message;
  EXPECT_TRUE(g->queue.empty());
  EXPECT_FALSE(g->oldest_pending_webhook);
  EXPECT_GT(g->database_bytes, 0u);
}

TEST_F(PostgresOperationsTest, CountsHeldReceiptsAndFinishedMessagesOnceCommitted) {
  ASSERT_TRUE(store_->messages().Enqueue(std::vector{Message("r1:1", core::RouteType::kTxn, kT0)}));
  ASSERT_TRUE(store_->deliveries().ClaimDue("node-a", kT0, milliseconds(60'000), 10));
  ReceiptRecord early{"smsc", "unknown-id", core::PartState::kDelivered, "DELIVRD", "000", kT0};
  ASSERT_TRUE(store_->deliveries().ApplyReceipts(std::vector{early}));
  PartAccepted part{"r1:1", 1, 1, "smsc", "id-1", "id-1", kT0 + milliseconds(100)};
  ASSERT_TRUE(store_->deliveries().RecordAccepted(std::vector{part}));
  ReceiptRecord final{"smsc",    "id-1", core::PartState::kDelivered,
                      "DELIVRD", "000",  kT0 + milliseconds(2'100)};
  ASSERT_TRUE(store_->deliveries().ApplyReceipts(std::vector{final}));
  // Fails (a message id exists): counts nothing.
  EXPECT_FALSE(
      store_->messages().Enqueue(std::vector{Message("r1:1", core::RouteType::kTxn, kT0)}));

  auto g = store_->operations().ReadGauges(kT0 + seconds(3));
  ASSERT_TRUE(g);
  EXPECT_EQ(g->held_receipts, 1u);
  const StoreCounters c = store_->operations().ReadCounters();
  for (size_t type = 0; type < kRouteTypes; ++type) {
    for (size_t state = 0; state < kMessageStates; ++state) {
      const bool delivered_txn =
          type == Index(core::RouteType::kTxn) && state == Index(core::MessageState::kDelivered);
      EXPECT_EQ(c.finished[type][state], delivered_txn ? 1u : 0u) << type << " " << state;
    }
  }
  EXPECT_EQ(c.receipt_delay.count, 1u);
  EXPECT_DOUBLE_EQ(c.receipt_delay.sum, 2.0);
  EXPECT_GE(c.write_seconds.count, 5u);
  EXPECT_EQ(c.write_seconds.count, c.write_size.count);
  EXPECT_DOUBLE_EQ(c.write_size.sum, static_cast<double>(c.write_size.count));

  ASSERT_TRUE(store_->operations().ProbeWrite());
  EXPECT_EQ(store_->operations().ReadCounters().write_seconds.count, c.write_seconds.count + 1);
}

TEST_F(PostgresOperationsTest, AProbeFailsWhereWritesWould) {
  // Connections that may only read: as on a standby, or a server set read-only.
  std::string read_only = schema_->uri();
  const size_t app = read_only.find("&application_name=");
  ASSERT_NE(app, std::string::npos);
  read_only.insert(app, "%20-cdefault_transaction_read_only%3Don");
  Pool pool(Pool::Options{read_only, 1, milliseconds(5'000)});
  Operations operations(pool);
  auto gauges = operations.ReadGauges(kT0);
  EXPECT_TRUE(gauges) << gauges.error().message;
  auto probed = operations.ProbeWrite();
  ASSERT_FALSE(probed);
  EXPECT_NE(probed.error().message.find("read-only"), std::string::npos) << probed.error().message;

  Pool lost(Pool::Options{"postgresql:///nothing?host=/nonexistent", 1, milliseconds(1'000)});
  auto unreachable = Operations(lost).ProbeWrite();
  ASSERT_FALSE(unreachable);
  EXPECT_EQ(unreachable.error().code, core::Errc::kUnavailable);
}

// Rollups summed over every connector and type of `sid` around kT0, per hour.
RollupCounts Total(PostgresStore& store, std::string_view sid, std::string_view connector) {
  auto read = store.delivery_stats().ReadDeliveryStats(
      sid, kT0 - std::chrono::hours(1), kT0 + std::chrono::hours(1), std::chrono::minutes(60));
  EXPECT_TRUE(read) << read.error().message;
  RollupCounts total;
  for (const DeliveryBucket& b : read ? *read : std::vector<DeliveryBucket>()) {
    if (b.connector != connector) {
      continue;
    }
    total.accepted += b.counts.accepted;
    total.delivered += b.counts.delivered;
    total.undelivered += b.counts.undelivered;
    total.not_sent += b.counts.not_sent;
    for (size_t i = 0; i < kDelayBuckets; ++i) {
      total.delay[i] += b.counts.delay[i];
    }
  }
  return total;
}

TEST_F(PostgresOperationsTest, RollupsFollowAMessageThroughItsLifeByMinuteConnectorAndType) {
  ASSERT_TRUE(store_->messages().Enqueue(std::vector{
      Message("a:1", core::RouteType::kOtp, kT0), Message("b:1", core::RouteType::kOtp, kT0),
      Message("c:1", core::RouteType::kMkt, kT0 + seconds(60))}));
  ASSERT_TRUE(store_->deliveries().Cancel(fakes::kTestSid, "c:1", kT0 + seconds(61)));
  ASSERT_TRUE(store_->deliveries().ClaimDue("node-a", kT0 + seconds(1), seconds(60), 10));
  ASSERT_TRUE(store_->deliveries().RecordAccepted(
      std::vector{PartAccepted{"a:1", 1, 1, "c1", "s-a", "s-a", kT0 + seconds(1)},
                  PartAccepted{"b:1", 1, 1, "c1", "s-b", "s-b", kT0 + seconds(1)}}));
  ASSERT_TRUE(store_->deliveries().ApplyReceipts(std::vector{
      ReceiptRecord{"c1", "s-a", core::PartState::kDelivered, "DELIVRD", "", kT0 + seconds(4)},
      ReceiptRecord{"c1", "s-b", core::PartState::kUndelivered, "UNDELIV", "",
                    kT0 + seconds(30)}}));

  auto read = store_->delivery_stats().ReadDeliveryStats(
      fakes::kTestSid, kT0 - std::chrono::hours(1), kT0 + std::chrono::hours(1),
      std::chrono::minutes(1));
  ASSERT_TRUE(read) << read.error().message;
  const int64_t m0 = UnixMinute(kT0);
  ASSERT_EQ(read->size(), 3u);
  const DeliveryBucket& accepted_otp = (*read)[0];
  EXPECT_EQ(accepted_otp.start, core::FromUnixMillis(m0 * 60'000));
  EXPECT_EQ(accepted_otp.connector, "");
  EXPECT_EQ(accepted_otp.type, core::RouteType::kOtp);
  EXPECT_EQ(accepted_otp.counts.accepted, 2u);
  const DeliveryBucket& settled = (*read)[1];
  EXPECT_EQ(settled.connector, "c1");
  EXPECT_EQ(settled.type, core::RouteType::kOtp);
  EXPECT_EQ(settled.counts.delivered, 1u);
  EXPECT_EQ(settled.counts.undelivered, 1u);
  EXPECT_EQ(settled.counts.delay[DelayBucket(3.0)], 1u);
  EXPECT_EQ(settled.counts.delay[DelayBucket(29.0)], 1u);
  // Accepted, then cancelled (not sent) with no connector, in the next minute.
  const DeliveryBucket& next = (*read)[2];
  EXPECT_EQ(next.start, core::FromUnixMillis((m0 + 1) * 60'000));
  EXPECT_EQ(next.connector, "");
  EXPECT_EQ(next.type, core::RouteType::kMkt);
  EXPECT_EQ(next.counts.accepted, 1u);
  EXPECT_EQ(next.counts.not_sent, 1u);

  auto other = store_->delivery_stats().ReadDeliveryStats(
      "HXIN0000000002IN", kT0 - std::chrono::hours(1), kT0 + std::chrono::hours(1),
      std::chrono::minutes(1));
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->empty()) << "an account reads only its own";
  EXPECT_FALSE(store_->delivery_stats().ReadDeliveryStats(fakes::kTestSid, kT0, kT0,
                                                          std::chrono::minutes(0)));

  // Minutes past the retention go once a newer minute is written.
  ASSERT_TRUE(store_->messages().Enqueue(
      std::vector{Message("late:1", core::RouteType::kOtp, kT0 + std::chrono::hours(9 * 24))}));
  EXPECT_EQ(Total(*store_, fakes::kTestSid, "").accepted, 0u);
}

// Two nodes accept, claim, record and receipt messages of one account in the same minute, each
// in many small transactions at once: every count adds up exactly.
TEST_F(PostgresOperationsTest, TwoInstancesAddingToOneMinuteLoseNoCount) {
  auto b = Open();
  ASSERT_TRUE(b);
  constexpr int kPerNode = 40;
  auto run = [&](PostgresStore& store, const std::string& node) {
    for (int i = 0; i < kPerNode; ++i) {
      const std::string id = node + "-" + std::to_string(i) + ":1";
      auto enqueued =
          store.messages().Enqueue(std::vector{Message(id, core::RouteType::kTxn, kT0)});
      ASSERT_TRUE(enqueued) << enqueued.error().message;
      auto claims = store.deliveries().ClaimDue(node, kT0 + seconds(1), seconds(60), 5);
      ASSERT_TRUE(claims) << claims.error().message;
      std::vector<PartAccepted> parts;
      std::vector<ReceiptRecord> receipts;
      for (const Claim& c : *claims) {
        const std::string smsc_id = "s-" + c.message.id;
        parts.push_back(PartAccepted{c.message.id, 1, 1, "c1", smsc_id, smsc_id, kT0 + seconds(1)});
        const bool delivered = std::hash<std::string>{}(c.message.id) % 2 == 0;
        receipts.push_back(ReceiptRecord{
            "c1", smsc_id, delivered ? core::PartState::kDelivered : core::PartState::kUndelivered,
            "DELIVRD", "", kT0 + seconds(3)});
      }
      auto recorded = store.deliveries().RecordAccepted(parts);
      ASSERT_TRUE(recorded) << recorded.error().message;
      auto applied = store.deliveries().ApplyReceipts(receipts);
      ASSERT_TRUE(applied) << applied.error().message;
    }
  };
  std::thread other([&] { run(*b, "b"); });
  run(*store_, "a");
  other.join();
  // What is left due (claimed by neither loop's last claim) goes through now.
  for (PostgresStore* s : {store_.get(), b.get()}) {
    auto claims = s->deliveries().ClaimDue("rest", kT0 + seconds(1), seconds(60), 1000);
    ASSERT_TRUE(claims);
    std::vector<PartAccepted> parts;
    std::vector<ReceiptRecord> receipts;
    for (const Claim& c : *claims) {
      parts.push_back(PartAccepted{c.message.id, 1, 1, "c1", "s-" + c.message.id,
                                   "s-" + c.message.id, kT0 + seconds(1)});
      receipts.push_back(ReceiptRecord{"c1", "s-" + c.message.id, core::PartState::kDelivered,
                                       "DELIVRD", "", kT0 + seconds(3)});
    }
    ASSERT_TRUE(s->deliveries().RecordAccepted(parts));
    ASSERT_TRUE(s->deliveries().ApplyReceipts(receipts));
  }

  const RollupCounts accepted = Total(*store_, fakes::kTestSid, "");
  EXPECT_EQ(accepted.accepted, 2u * kPerNode);
  const RollupCounts settled = Total(*b, fakes::kTestSid, "c1");
  EXPECT_EQ(settled.delivered + settled.undelivered, 2u * kPerNode);
  EXPECT_EQ(settled.delay[DelayBucket(2.0)], 2u * kPerNode);
  const StoreCounters ca = store_->operations().ReadCounters();
  const StoreCounters cb = b->operations().ReadCounters();
  const size_t txn = Index(core::RouteType::kTxn);
  EXPECT_EQ(ca.finished[txn][Index(core::MessageState::kDelivered)] +
                ca.finished[txn][Index(core::MessageState::kUndelivered)] +
                cb.finished[txn][Index(core::MessageState::kDelivered)] +
                cb.finished[txn][Index(core::MessageState::kUndelivered)],
            2u * kPerNode);
  EXPECT_EQ(settled.delivered, ca.finished[txn][Index(core::MessageState::kDelivered)] +
                                   cb.finished[txn][Index(core::MessageState::kDelivered)]);
  EXPECT_EQ(ca.receipt_delay.count + cb.receipt_delay.count, 2u * kPerNode);
}

}  // namespace
}  // namespace smsgw::store::postgres
