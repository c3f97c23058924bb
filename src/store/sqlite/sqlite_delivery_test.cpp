// SqliteStore's delivery and message-log SQL beyond the store contract (tests/store_contract/):
// every statement reaches rows through an index, never by scanning a table, and a filtered List
// page reads a bounded number of rows.

#include <gtest/gtest.h>

#include <string>
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
// index (the partial messages_due or a covering one), which is what the statements intend.
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
  // A range scan per priority, already in due order: no sort, cost follows the limit.
  const std::string claim = plan_of("claim_due");
  EXPECT_NE(claim.find("SEARCH messages USING INDEX messages_due (priority=? AND due_at<?)"),
            std::string::npos)
      << claim;
  EXPECT_EQ(claim.find("TEMP B-TREE"), std::string::npos) << claim;
  // The opt-out check walks the handset's opt-outs (not an IN list built per message).
  EXPECT_NE(claim.find("SEARCH o USING PRIMARY KEY (sid=? AND recipient=?)"), std::string::npos)
      << claim;
  const std::string probe = plan_of("any_message_due");
  EXPECT_NE(probe.find("SEARCH messages USING INDEX messages_due (priority=? AND due_at<?)"),
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
  EXPECT_NE(plan_of("release_claims").find("messages_due"), std::string::npos);
  EXPECT_NE(plan_of("history").find("SEARCH message_events USING PRIMARY KEY (message_id=?)"),
            std::string::npos)
      << plan_of("history");
}

TEST_F(SqliteDeliveryTest, AClaimWithNothingDueWritesNothing) {
  // Scheduled for later: in messages_due, not yet due.
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

}  // namespace
}  // namespace smsgw::store::sqlite
