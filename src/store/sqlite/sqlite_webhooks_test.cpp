// SqliteStore's webhook, callback-profile and inbound-number SQL beyond the store contract
// (tests/store_contract/): every statement reaches rows through an index, and the hot ones
// (claiming, listing, matching an MO, the outbox writes) through the index meant for them.

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
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

class SqliteWebhooksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteStore::Open(path_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }

  static std::vector<NamedSql> All() {
    std::vector<NamedSql> all = WebhookSqlForTest();
    for (auto more :
         {CallbackProfileSqlForTest(), InboundNumberSqlForTest(), InboundSqlForTest(),
          IdempotencySqlForTest(), OptOutSqlForTest(), CountryCapSqlForTest(),
          SmppCredentialSqlForTest(), SmppOutboxSqlForTest(), SmppStagingSqlForTest()}) {
      all.insert(all.end(), more.begin(), more.end());
    }
    return all;
  }

  std::string Plan(std::string_view name) { return NamedQueryPlan(path_, All(), name); }

  fakes::TempDir dir_;
  const std::string path_ = dir_.File("smsgw.db");
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(SqliteWebhooksTest, NoStatementScansATable) {
  ASSERT_GT(WebhookSqlForTest().size(), 15u);
  for (const NamedSql& sql : All()) {
    if (sql.name == "list_inbound" || sql.name == "list_inbound_before") {
      continue;  // bounded walks of the rowid (sqlite_inbound_test.cpp)
    }
    if (sql.name == "any_country_cap") {
      continue;  // EXISTS: stops at the first row of a table that is empty or tiny
    }
    const std::string plan = Plan(sql.name);
    size_t at = 0;
    while ((at = plan.find("SCAN ", at)) != std::string::npos) {
      const size_t end = plan.find('\n', at);
      const std::string line = plan.substr(at, end - at);
      // A constant row (the `SELECT ?1` of a compound) reads no table.
      EXPECT_TRUE(line.find(" USING ") != std::string::npos || line == "SCAN CONSTANT ROW")
          << sql.name << ":\n"
          << plan;
      at = end;
    }
  }
}

TEST_F(SqliteWebhooksTest, SmppOutboxClaimWalksOneAccountInOrder) {
  // The account's rows in id order (no sort), each message (or inbound message) by its primary
  // key.
  for (const char* name : {"claim_smpp_outbox_due", "any_smpp_outbox_due"}) {
    const std::string plan = Plan(name);
    EXPECT_NE(plan.find("SEARCH o USING INDEX smpp_outbox_by_sid (sid=?)"), std::string::npos)
        << name << ": " << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << name << ": " << plan;
  }
  EXPECT_NE(Plan("claim_smpp_outbox_due").find("SEARCH m USING INDEX"), std::string::npos)
      << Plan("claim_smpp_outbox_due");
  EXPECT_NE(Plan("claim_smpp_outbox_due").find("SEARCH i USING INDEX"), std::string::npos)
      << Plan("claim_smpp_outbox_due");
}

TEST_F(SqliteWebhooksTest, ClaimingAndListingUseTheirIndexes) {
  // One range scan of the partial index, already in due order: cost follows the limit.
  const std::string claim = Plan("claim_webhooks_due");
  EXPECT_NE(claim.find("SEARCH webhooks USING INDEX webhooks_due (due_at<?)"), std::string::npos)
      << claim;
  EXPECT_EQ(claim.find("TEMP B-TREE"), std::string::npos) << claim;
  EXPECT_NE(Plan("any_webhook_due").find("SEARCH webhooks USING INDEX webhooks_due (due_at<?)"),
            std::string::npos)
      << Plan("any_webhook_due");
  EXPECT_NE(Plan("release_webhooks").find("webhooks_due"), std::string::npos);
  const std::string list = Plan("list_webhooks");
  EXPECT_NE(list.find("USING INDEX webhooks_by_sid (sid=? AND created_at<?)"), std::string::npos)
      << list;
  EXPECT_EQ(list.find("TEMP B-TREE"), std::string::npos) << list;
  const std::string exhausted = Plan("list_exhausted_webhooks");
  EXPECT_NE(exhausted.find("USING INDEX webhooks_exhausted (sid=? AND created_at<?)"),
            std::string::npos)
      << exhausted;
  EXPECT_EQ(exhausted.find("TEMP B-TREE"), std::string::npos) << exhausted;
  // A message's webhooks: its events by message, then each webhook by primary key.
  const std::string of = Plan("webhooks_of");
  EXPECT_NE(of.find("SEARCH message_events USING PRIMARY KEY (message_id=?)"), std::string::npos)
      << of;
  EXPECT_NE(of.find("SEARCH webhooks USING PRIMARY KEY (event_id=?)"), std::string::npos) << of;
  EXPECT_EQ(of.find("SCAN webhooks"), std::string::npos) << of;
  EXPECT_NE(Plan("webhook_attempts").find("USING PRIMARY KEY (event_id=?)"), std::string::npos)
      << Plan("webhook_attempts");
  // Each count from an index alone, never the rows.
  const std::string counts = Plan("count_webhooks");
  for (const char* index : {"COVERING INDEX webhooks_due", "COVERING INDEX webhooks_exhausted",
                            "COVERING INDEX webhooks_by_sid"}) {
    EXPECT_NE(counts.find(index), std::string::npos) << counts;
  }
}

TEST_F(SqliteWebhooksTest, TheOutboxWritesAndMatchingUseTheirIndexes) {
  EXPECT_NE(Plan("default_profile").find("USING INDEX callback_profiles_default (sid=?)"),
            std::string::npos)
      << Plan("default_profile");
  const std::string entries = Plan("entries_of_number");
  EXPECT_NE(entries.find("USING INDEX inbound_numbers_by_number (number=?)"), std::string::npos)
      << entries;
  EXPECT_EQ(entries.find("TEMP B-TREE"), std::string::npos) << entries;
  const std::string reply = Plan("last_sent_to");
  EXPECT_NE(reply.find("USING INDEX messages_by_recipient (sid=? AND recipient=?)"),
            std::string::npos)
      << reply;
  EXPECT_EQ(reply.find("TEMP B-TREE"), std::string::npos) << reply;
  EXPECT_NE(Plan("count_unmatched_inbound").find("inbound_messages_unmatched"), std::string::npos)
      << Plan("count_unmatched_inbound");
  for (const char* name : {"list_numbers", "list_profiles"}) {
    EXPECT_EQ(Plan(name).find("TEMP B-TREE"), std::string::npos) << name << ":\n" << Plan(name);
  }
  EXPECT_NE(Plan("list_numbers").find("inbound_numbers_by_sid (sid=?)"), std::string::npos)
      << Plan("list_numbers");
}

// A webhook whose subject is gone (a message removed behind the store's back, later a retention
// purge) ends exhausted at its claim instead of failing every claim.
TEST_F(SqliteWebhooksTest, AWebhookWhoseSubjectIsGoneEndsAtItsClaim) {
  core::Message m = fakes::MakeMessage("req-1:1");
  m.callback_profile_id = "IN_p";
  const core::Message kept = [&] {
    core::Message k = fakes::MakeMessage("req-2:1");
    k.callback_profile_id = "IN_p";
    return k;
  }();
  ASSERT_TRUE(store_->Enqueue(std::vector{m, kept}));
  const core::TimePoint now = core::FromUnixMillis(1'767'225'600'000);
  ASSERT_TRUE(store_->Cancel(m.sid, m.id, now));
  ASSERT_TRUE(store_->Cancel(kept.sid, kept.id, now));
  {
    auto db = Db::Open(path_, std::chrono::milliseconds(1000));
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->Exec("DELETE FROM messages WHERE id = 'req-1:1'"));
  }
  auto jobs = store_->ClaimWebhooks("node", now, std::chrono::seconds(30), 10);
  ASSERT_TRUE(jobs) << jobs.error().message;
  ASSERT_EQ(jobs->size(), 1u);
  EXPECT_EQ((*jobs)[0].message.id, "req-2:1");
  auto gone = store_->WebhooksOf(m.sid, m.id);
  ASSERT_TRUE(gone);
  ASSERT_EQ(gone->size(), 1u);
  EXPECT_EQ((*gone)[0].state, WebhookState::kExhausted);
  EXPECT_NE((*gone)[0].last_error.find("no message"), std::string::npos);
}

// Most webhooks are answered at their first attempt: it is kept on the webhook's row, and
// webhook_attempts holds only the attempts after it.
TEST_F(SqliteWebhooksTest, AFirstAttemptIsKeptOnTheRowAndLaterOnesInTheirTable) {
  core::Message once = fakes::MakeMessage("once:1");
  core::Message twice = fakes::MakeMessage("twice:1");
  once.callback_profile_id = twice.callback_profile_id = "IN_p";
  ASSERT_TRUE(store_->Enqueue(std::vector{once, twice}));
  const core::TimePoint now = core::FromUnixMillis(1'767'225'600'000);
  ASSERT_TRUE(store_->Cancel(once.sid, once.id, now));
  ASSERT_TRUE(store_->Cancel(twice.sid, twice.id, now));
  auto jobs = store_->ClaimWebhooks("node", now, std::chrono::seconds(30), 10);
  ASSERT_TRUE(jobs) << jobs.error().message;
  ASSERT_EQ(jobs->size(), 2u);
  const std::string& once_id =
      (*jobs)[0].message.id == "once:1" ? (*jobs)[0].event_id : (*jobs)[1].event_id;
  const std::string& twice_id =
      (*jobs)[0].message.id == "once:1" ? (*jobs)[1].event_id : (*jobs)[0].event_id;
  const auto ms = [](int n) { return std::chrono::milliseconds(n); };
  ASSERT_TRUE(store_->RecordWebhookAttempts(std::vector{
      WebhookAttempt{once_id, now, ms(4), 204, "", std::nullopt},
      WebhookAttempt{twice_id, now, ms(9), 503, "HTTP 503", now + std::chrono::seconds(1)}}));
  ASSERT_TRUE(store_->RecordWebhookAttempts(
      std::vector{WebhookAttempt{twice_id, now + ms(1000), ms(5), 200, "", std::nullopt}}));
  {
    auto db = Db::Open(path_, std::chrono::milliseconds(1000));
    ASSERT_TRUE(db);
    auto rows = db->QueryText("SELECT group_concat(n) FROM webhook_attempts");
    ASSERT_TRUE(rows) << rows.error().message;
    EXPECT_EQ(*rows, "2");
  }
  auto first = store_->WebhooksOf(once.sid, once.id);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->size(), 1u);
  ASSERT_EQ((*first)[0].attempt_log.size(), 1u);
  const AttemptRecord& only = (*first)[0].attempt_log[0];
  EXPECT_EQ(only.n, 1);
  EXPECT_EQ(only.at, now);
  EXPECT_EQ(only.latency, ms(4));
  EXPECT_EQ(only.http_status, 204);
  EXPECT_EQ(only.error, "");
  auto second = store_->WebhooksOf(twice.sid, twice.id);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->size(), 1u);
  const std::vector<AttemptRecord>& log = (*second)[0].attempt_log;
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].n, 1);
  EXPECT_EQ(log[0].http_status, 503);
  EXPECT_EQ(log[0].error, "HTTP 503");
  EXPECT_EQ(log[1].n, 2);
  EXPECT_EQ(log[1].http_status, 200);
  EXPECT_EQ((*second)[0].state, WebhookState::kDelivered);
}

// Listing by state walks the account's webhooks: a page reads a bounded number of rows, so a
// state none of them is in answers with short pages rather than one walk of the whole account.
TEST_F(SqliteWebhooksTest, ListingAStateReadsABoundedNumberOfRowsAPage) {
  const std::string sid = fakes::MakeMessage("m:1").sid;
  {
    // Pending inbound webhooks, written straight into the table: one transaction.
    auto db = Db::Open(path_, std::chrono::milliseconds(1000));
    ASSERT_TRUE(db);
    const std::string insert =
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
        std::to_string(SqliteStore::kMaxListScan + 50) +
        ") INSERT INTO webhooks (event_id, kind, sid, subject_id, callback, callback_profile_id, "
        "state, due_at, run_started_at, created_at) SELECT printf('ev-%06d', i), 1, '" +
        sid + "', printf('ev-%06d', i), 'http://127.0.0.1:9/', '', 0, i, i, i FROM n";
    ASSERT_TRUE(db->Exec(insert.c_str()));
  }
  auto first = store_->ListWebhooks(sid, WebhookState::kDelivered, "", 10);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->webhooks.empty());
  ASSERT_FALSE(first->next_cursor.empty());
  auto rest = store_->ListWebhooks(sid, WebhookState::kDelivered, first->next_cursor, 10);
  ASSERT_TRUE(rest) << rest.error().message;
  EXPECT_TRUE(rest->webhooks.empty());
  EXPECT_EQ(rest->next_cursor, "");
  // The pending ones page on, limit by limit, through the same walk.
  auto pending = store_->ListWebhooks(sid, WebhookState::kPending, "", 1000);
  ASSERT_TRUE(pending);
  EXPECT_EQ(pending->webhooks.size(), 1000u);
  EXPECT_FALSE(pending->next_cursor.empty());
}

}  // namespace
}  // namespace smsgw::store::sqlite
