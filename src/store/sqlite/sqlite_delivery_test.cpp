// SqliteStore's delivery and message-log SQL beyond the store contract (tests/store_contract/):
// every statement reaches rows through an index, never by scanning a table, and a filtered List
// page reads a bounded number of rows.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "core/message.h"
#include "fakes/temp_dir.h"
#include "fakes/test_message.h"
#include "store/sqlite/query_plan_for_test.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace smsgw::store::sqlite {
namespace {

class SqliteDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteStore::Open(path_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }

  std::vector<std::string> Plan(std::string_view sql) { return QueryPlanLines(path_, sql); }

  static std::string Joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& line : lines) {
      out += line + "\n";
    }
    return out;
  }

  fakes::TempDir dir_;
  const std::string path_ = dir_.File("smsgw.db");
  std::unique_ptr<SqliteStore> store_;
};

// A table scan is "SCAN <table>" without an index; "SCAN t USING [COVERING] INDEX i" walks an
// index (the partial message_state_due or a covering one), which is what the statements intend.
TEST_F(SqliteDeliveryTest, NoStatementScansATable) {
  std::vector<NamedSql> all = DeliverySqlForTest();
  for (const NamedSql& sql : MessageLogSqlForTest()) {
    all.push_back(sql);
  }
  ASSERT_GT(all.size(), 20u);
  for (const NamedSql& sql : all) {
    const std::vector<std::string> plan = Plan(sql.sql);
    for (const std::string& line : plan) {
      if (line.starts_with("SCAN ")) {
        EXPECT_NE(line.find(" USING "), std::string::npos) << sql.name << ":\n" << Joined(plan);
      }
    }
  }
}

TEST_F(SqliteDeliveryTest, TheHotStatementsUseTheirIndexes) {
  auto plan_of = [&](std::string_view name) {
    std::vector<NamedSql> all = DeliverySqlForTest();
    for (const NamedSql& sql : MessageLogSqlForTest()) {
      all.push_back(sql);
    }
    for (const NamedSql& sql : all) {
      if (sql.name == name) {
        return Joined(Plan(sql.sql));
      }
    }
    ADD_FAILURE() << "no statement " << name;
    return std::string();
  };
  // A range scan per priority, already in due order: no sort, cost follows the limit. Each due
  // state row's message is then one lookup by id.
  const std::string claim = plan_of("claim_due");
  EXPECT_NE(claim.find("SEARCH s USING INDEX message_state_due (priority=? AND due_at<?)\n"
                       "SEARCH m USING INDEX sqlite_autoindex_messages_1 (id=?)"),
            std::string::npos)
      << claim;
  EXPECT_EQ(claim.find("TEMP B-TREE"), std::string::npos) << claim;
  // The opt-out check walks the handset's opt-outs (not an IN list built per message).
  EXPECT_NE(claim.find("SEARCH o USING PRIMARY KEY (sid=? AND recipient=?)"), std::string::npos)
      << claim;
  const std::string probe = plan_of("any_message_due");
  EXPECT_NE(probe.find("SEARCH message_state USING INDEX message_state_due (priority=? AND "
                       "due_at<?)"),
            std::string::npos)
      << probe;
  const std::string by_sid = plan_of("list_by_sid");
  EXPECT_NE(by_sid.find("USING INDEX messages_by_sid (sid=? AND created_at>? AND created_at<?)"),
            std::string::npos)
      << by_sid;
  const std::string by_recipient = plan_of("list_by_recipient");
  EXPECT_NE(by_recipient.find("USING INDEX messages_by_recipient (sid=? AND recipient=?"),
            std::string::npos)
      << by_recipient;
  EXPECT_NE(plan_of("find_part").find("USING INDEX message_parts_by_smsc_id"), std::string::npos);
  EXPECT_NE(plan_of("held_for_part").find("USING INDEX held_receipts_by_smsc_id"),
            std::string::npos);
  EXPECT_NE(plan_of("release_claims").find("message_state_due"), std::string::npos);
  // A settle reads the message and its state row by their keys, and rewrites only the state row.
  const std::string row = plan_of("message_row");
  EXPECT_NE(row.find("SEARCH m USING INDEX sqlite_autoindex_messages_1 (id=?)\n"
                     "SEARCH s USING PRIMARY KEY (message_id=?)"),
            std::string::npos)
      << row;
  for (const char* name : {"claim", "settle", "set_parts_total", "requeue"}) {
    EXPECT_EQ(plan_of(name), "SEARCH message_state USING PRIMARY KEY (message_id=?)\n") << name;
  }
  EXPECT_NE(plan_of("history").find("SEARCH message_events USING PRIMARY KEY (message_id=?)"),
            std::string::npos)
      << plan_of("history");
}

TEST_F(SqliteDeliveryTest, AClaimWithNothingDueWritesNothing) {
  // Scheduled for later: in message_state_due, not yet due.
  core::Message m = fakes::MakeMessage("later:1");
  m.created_at = core::FromUnixMillis(1'700'000'000'000);
  m.send_at = core::FromUnixMillis(1'700'000'060'000);
  m.state = core::MessageState::kScheduled;
  ASSERT_TRUE(store_->Enqueue(std::vector{m}));
  const uint64_t writes = store_->ReadCounters().write_seconds.count;

  auto none = store_->ClaimDue("node-a", core::FromUnixMillis(1'700'000'030'000),
                               std::chrono::seconds(30), 10);
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(store_->ReadCounters().write_seconds.count, writes) << "an empty poll wrote";

  auto due = store_->ClaimDue("node-a", core::FromUnixMillis(1'700'000'060'000),
                              std::chrono::seconds(30), 10);
  ASSERT_TRUE(due) << due.error().message;
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ(store_->ReadCounters().write_seconds.count, writes + 1);
  // Its own claim, in flight, is not due again for the same owner even after the lease.
  auto again = store_->ClaimDue("node-a", core::FromUnixMillis(1'700'000'100'000),
                                std::chrono::seconds(30), 10);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->empty());
  EXPECT_EQ(store_->ReadCounters().write_seconds.count, writes + 1);
}

TEST_F(SqliteDeliveryTest, AFilteredPageStopsAfterABoundedScan) {
  // The only match is the oldest message, behind more rows than one page may read.
  const size_t total = SqliteStore::kMaxListScan + 50;
  std::vector<core::Message> batch;
  for (size_t n = 0; n < total; ++n) {
    core::Message m = fakes::MakeMessage("req-" + std::to_string(n) + ":1");
    m.created_at = core::FromUnixMillis(1'700'000'000'000 + static_cast<int64_t>(n));
    m.campaign_name = n == 0 ? "rare" : "common";
    batch.push_back(std::move(m));
  }
  ASSERT_TRUE(store_->Enqueue(batch));
  MessageFilter filter;
  filter.campaign_name = "rare";
  auto first = store_->List(batch[0].sid, filter, "", 10);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->messages.empty());
  ASSERT_FALSE(first->next_cursor.empty()) << "more rows remain to be read";
  auto second = store_->List(batch[0].sid, filter, first->next_cursor, 10);
  ASSERT_TRUE(second) << second.error().message;
  ASSERT_EQ(second->messages.size(), 1u);
  EXPECT_EQ(second->messages[0].id, "req-0:1");
  EXPECT_EQ(second->next_cursor, "");
}

// Collects the status webhooks the store hands over, as the webhook sender does in serve.
class CollectingHandoff final : public WebhookHandoff {
 public:
  void TakeWebhooks(std::vector<WebhookJob> jobs) override {
    for (WebhookJob& job : jobs) {
      taken.push_back(std::move(job));
    }
  }
  std::vector<WebhookJob> taken;
};

// The message a settle's status webhook reports, with the writer's cached row (the claim put it
// there) or, in a store opened afresh after the claim, with the row read from the tables.
core::Message ReportedAfterSubmit(const std::string& path, bool reopen) {
  core::Message m = fakes::MakeMessage("cached:1");
  m.created_at = core::FromUnixMillis(1'700'000'000'000);
  m.ref = "order-7";
  m.ref1 = "a";
  m.ref2 = "b";
  m.ref_custom = R"(["x"])";
  m.campaign_name = "spring";
  m.callback_profile_id = "p-1";
  m.segments = 2;
  auto store = SqliteStore::Open(path);
  EXPECT_TRUE(store) << store.error().message;
  EXPECT_TRUE((*store)->Enqueue(std::vector{m}));
  const core::TimePoint at = core::FromUnixMillis(1'700'000'001'000);
  auto claimed = (*store)->ClaimDue("node-a", at, std::chrono::seconds(30), 10);
  EXPECT_TRUE(claimed && claimed->size() == 1u);
  if (reopen) {
    store->reset();
    store = SqliteStore::Open(path);
    EXPECT_TRUE(store) << store.error().message;
  }
  CollectingHandoff handoff;
  (*store)->SetWebhookHandoff(&handoff, "node-a", std::chrono::seconds(60));
  EXPECT_TRUE(
      (*store)->RecordAccepted(std::vector{PartAccepted{m.id, 1, 2, "smsc-a", "1", "1", at},
                                           PartAccepted{m.id, 2, 2, "smsc-a", "2", "2", at}}));
  (*store)->ClearWebhookHandoff(&handoff);
  EXPECT_EQ(handoff.taken.size(), 1u);
  return handoff.taken.empty() ? core::Message() : handoff.taken[0].message;
}

TEST_F(SqliteDeliveryTest, AWebhookReportsTheSameMessageFromTheCacheAsFromTheTables) {
  const core::Message cached = ReportedAfterSubmit(dir_.File("cached.db"), false);
  const core::Message read = ReportedAfterSubmit(dir_.File("read.db"), true);
  EXPECT_EQ(cached.id, "cached:1");
  EXPECT_EQ(cached.state, core::MessageState::kSubmitted);
  EXPECT_EQ(cached.status_details, read.status_details);
  for (const auto& [name, field] :
       std::vector<std::pair<const char*, std::string core::Message::*>>{
           {"id", &core::Message::id},
           {"request_id", &core::Message::request_id},
           {"sid", &core::Message::sid},
           {"recipient", &core::Message::recipient},
           {"sender", &core::Message::sender},
           {"ref", &core::Message::ref},
           {"ref1", &core::Message::ref1},
           {"ref2", &core::Message::ref2},
           {"ref_custom", &core::Message::ref_custom},
           {"campaign_name", &core::Message::campaign_name},
           {"body", &core::Message::body},
           {"callback", &core::Message::callback}}) {
    EXPECT_EQ(cached.*field, read.*field) << name;
  }
  EXPECT_EQ(cached.state, read.state);
  EXPECT_EQ(cached.segments, read.segments);
  EXPECT_EQ(cached.segments, 2);
}

// A final message leaves the writer's cache; one that was never cached is read and moves alike.
TEST_F(SqliteDeliveryTest, ReceiptsSettleMessagesWhetherCachedOrNot) {
  std::vector<core::Message> batch = {fakes::MakeMessage("r-1:1"), fakes::MakeMessage("r-2:1")};
  ASSERT_TRUE(store_->Enqueue(batch));
  const core::TimePoint at = std::chrono::system_clock::now();
  auto claimed = store_->ClaimDue("node-a", at, std::chrono::seconds(30), 10);
  ASSERT_TRUE(claimed) << claimed.error().message;
  ASSERT_EQ(claimed->size(), 2u);
  store_.reset();  // the new store has not cached the first two
  auto reopened = SqliteStore::Open(path_);
  ASSERT_TRUE(reopened) << reopened.error().message;
  store_ = std::move(*reopened);
  ASSERT_TRUE(store_->Enqueue(std::vector{fakes::MakeMessage("r-3:1")}));
  auto late = store_->ClaimDue("node-b", at, std::chrono::seconds(30), 10);
  ASSERT_TRUE(late) << late.error().message;
  ASSERT_EQ(late->size(), 1u);  // cached by its claim
  claimed->push_back(std::move((*late)[0]));
  std::vector<PartAccepted> parts;
  std::vector<ReceiptRecord> receipts;
  for (size_t i = 0; i < claimed->size(); ++i) {
    const std::string smsc_id = std::to_string(i + 1);
    parts.push_back(PartAccepted{(*claimed)[i].message.id, 1, 1, "smsc-a", smsc_id, smsc_id, at});
    receipts.push_back(
        ReceiptRecord{"smsc-a", smsc_id, core::PartState::kDelivered, "DELIVRD", "000", at});
  }
  ASSERT_TRUE(store_->RecordAccepted(parts));
  ASSERT_TRUE(store_->ApplyReceipts(receipts));
  for (const char* id : {"r-1:1", "r-2:1", "r-3:1"}) {
    auto got = store_->Get(fakes::kTestSid, id);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(got->state, core::MessageState::kDelivered) << id;
  }
  // A receipt again for a final message changes nothing.
  auto again = store_->ApplyReceipts(std::vector{receipts[2]});
  ASSERT_TRUE(again) << again.error().message;
  auto got = store_->Get(fakes::kTestSid, "r-3:1");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status_details, "DELIVRD");
}

}  // namespace
}  // namespace smsgw::store::sqlite
