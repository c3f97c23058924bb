// The CountryCapStore half of the store contract (see store_contract.h): caps set, listed and
// removed, and messages counted against them when they are enqueued, those over a cap stored
// NotSent with an event.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store_contract/store_contract.h"

namespace smsgw::store_contract {
namespace {

using store::CountryCap;

constexpr char kSid[] = "HXIN0000000001IN";
constexpr char kOtherSid[] = "HXSG0000000002SG";
constexpr int64_t kDay = 24 * 3600 * 1000;

core::Message To(std::string id, std::string recipient, std::string sid = kSid,
                 int64_t created_ms = 0) {
  core::Message m = TestMessage(std::move(id), std::move(sid));
  m.recipient = std::move(recipient);
  m.created_at = TestTime(created_ms);
  return m;
}

std::string Status(store::MessageLog& log, const std::string& id, const std::string& sid = kSid) {
  auto got = StoredMessage(log, sid, id);
  EXPECT_TRUE(got) << got.error().message;
  return got ? std::string(core::KaleyraStatus(got->state)) + ":" + got->status_details : "";
}

void CreateAccounts(store::AccountStore& accounts) {
  ASSERT_TRUE(accounts.CreateAccount(store::Account{kSid, "acme", TestTime(), 0}));
  ASSERT_TRUE(accounts.CreateAccount(store::Account{kOtherSid, "beta", TestTime(), 0}));
}

TEST_P(CountryCapStoreContract, CapsAreSetListedAndRemoved) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  ASSERT_TRUE(country_caps().SetCountryCap(CountryCap{kSid, "IN", 100, std::nullopt}));
  ASSERT_TRUE(country_caps().SetCountryCap(CountryCap{kSid, "US", std::nullopt, 1000}));
  ASSERT_TRUE(country_caps().SetCountryCap(CountryCap{kSid, "IN", 5, 50})) << "replaces";
  ASSERT_TRUE(country_caps().SetCountryCap(CountryCap{kOtherSid, "SG", 1, 1}));
  auto listed = country_caps().ListCountryCaps(kSid, TestTime());
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].cap, (CountryCap{kSid, "IN", 5, 50}));
  EXPECT_EQ((*listed)[1].cap, (CountryCap{kSid, "US", std::nullopt, 1000}));
  ASSERT_TRUE(country_caps().SetCountryCap(CountryCap{kSid, "US", std::nullopt, std::nullopt}))
      << "a cap with no limit is removed";
  ASSERT_TRUE(country_caps().RemoveCountryCap(kSid, "IN"));
  EXPECT_TRUE(country_caps().ListCountryCaps(kSid, TestTime())->empty());
  auto again = country_caps().RemoveCountryCap(kSid, "IN");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::Errc::kNotFound);
  EXPECT_EQ(country_caps().SetCountryCap(CountryCap{"HXXX9", "IN", 1, 1}).error().code,
            core::Errc::kNotFound);
}

TEST_P(CountryCapStoreContract, MessagesOverADailyCapEndNotSentWhenEnqueued) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  ASSERT_TRUE(country_caps().SetCountryCap(CountryCap{kSid, "IN", 2, std::nullopt}));
  const std::vector<core::Message> batch = {
      To("a:1", "919876543210"), To("a:2", "919876543211"), To("a:3", "919876543212"),
      To("a:4", "14155550123"),               // another country: not capped
      To("b:1", "919876543213", kOtherSid)};  // another account: not capped
  ASSERT_TRUE(messages().Enqueue(batch));
  EXPECT_EQ(Status(message_log(), "a:1"), "Pending:QUEUED");
  EXPECT_EQ(Status(message_log(), "a:2"), "Pending:QUEUED");
  EXPECT_EQ(Status(message_log(), "a:3"), "NotSent:DAILY-CAP");
  EXPECT_EQ(Status(message_log(), "a:4"), "Pending:QUEUED");
  EXPECT_EQ(Status(message_log(), "b:1", kOtherSid), "Pending:QUEUED");
  auto detail = message_log().GetDetail(kSid, "a:3");
  ASSERT_TRUE(detail);
  ASSERT_EQ(detail->history.size(), 1u) << "the NotSent event";
  EXPECT_EQ(detail->history[0].details, "DAILY-CAP");
  // Never claimed: the capped message is not due.
  auto claims = deliveries().ClaimDue("node", TestTime(60'000), std::chrono::seconds(30), 10);
  ASSERT_TRUE(claims);
  for (const store::Claim& c : *claims) {
    EXPECT_NE(c.message.id, "a:3");
  }
  auto listed = country_caps().ListCountryCaps(kSid, TestTime());
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->at(0).today, 2);
  EXPECT_EQ(listed->at(0).this_month, 2);
  // The next UTC day counts afresh.
  const core::Message tomorrow = To("c:1", "919876543210", kSid, kDay);
  ASSERT_TRUE(messages().Enqueue({&tomorrow, 1}));
  EXPECT_EQ(Status(message_log(), "c:1"), "Pending:QUEUED");
  EXPECT_EQ(country_caps().ListCountryCaps(kSid, TestTime(kDay))->at(0).today, 1);
}

TEST_P(CountryCapStoreContract, AMonthlyCapAndAScheduledMessageCountOnItsDay) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  ASSERT_TRUE(country_caps().SetCountryCap(CountryCap{kSid, "IN", std::nullopt, 2}));
  core::Message later = To("s:1", "919876543210");
  later.send_at = TestTime(40 * kDay);  // next month
  later.state = core::MessageState::kScheduled;
  later.status_details = "SCHEDULED";
  const std::vector<core::Message> batch = {To("m:1", "919876543210"),
                                            To("m:2", "919876543211", kSid, 3 * kDay), later,
                                            To("m:3", "919876543212", kSid, 5 * kDay)};
  ASSERT_TRUE(messages().Enqueue(batch));
  EXPECT_EQ(Status(message_log(), "m:1"), "Pending:QUEUED");
  EXPECT_EQ(Status(message_log(), "m:2"), "Pending:QUEUED");
  EXPECT_EQ(Status(message_log(), "s:1"), "Pending:SCHEDULED") << "counted in its own month";
  EXPECT_EQ(Status(message_log(), "m:3"), "NotSent:MONTHLY-CAP");
}

}  // namespace
}  // namespace smsgw::store_contract
