// The OptOutStore half of the store contract (see store_contract.h): opt-outs added, listed and
// removed; MO commands (STOP, STOPALL, START) applied to the account the MO matched, in the
// transaction that stores it; and the claim telling the dispatcher that a recipient opted out.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <span>
#include <string>
#include <vector>

#include "store_contract/store_contract.h"

namespace smsgw::store_contract {
namespace {

using store::OptOut;

constexpr char kSid[] = "HXIN0000000001IN";
constexpr char kOtherSid[] = "HXSG0000000002SG";
constexpr char kNumber[] = "14155550000";  // the account's long code
constexpr char kHandset[] = "919876543210";

OptOut Out(std::string recipient, std::string sender, std::string sid = kSid) {
  return OptOut{std::move(sid), std::move(recipient), std::move(sender), "api", TestTime(5)};
}

std::vector<std::string> Listed(store::OptOutStore& store, std::string_view recipient = "") {
  auto listed = store.ListOptOuts(kSid, recipient, std::nullopt, 100);
  EXPECT_TRUE(listed) << listed.error().message;
  std::vector<std::string> out;
  for (const OptOut& o : listed ? *listed : std::vector<OptOut>{}) {
    out.push_back(o.recipient + "/" + (o.sender.empty() ? "*" : o.sender) + "/" + o.source);
  }
  return out;
}

void CreateAccounts(store::AccountStore& accounts) {
  ASSERT_TRUE(accounts.CreateAccount(store::Account{kSid, "acme", TestTime(), 0}));
  ASSERT_TRUE(accounts.CreateAccount(store::Account{kOtherSid, "beta", TestTime(), 0}));
}

// An MO from the handset to the account's number.
void Mo(store::InboundStore& inbound, const std::string& text, const core::OptOutWords* words) {
  store::InboundPart p;
  p.connector = "smsc-a";
  p.source = "+" + std::string(kHandset);
  p.destination = kNumber;
  p.payload.assign(text.begin(), text.end());
  p.received_at = TestTime(1000);
  auto added = inbound.AddInboundPart(
      p, TestTime(-60'000),
      [](std::span<const store::InboundPart> parts, int) {
        return std::string(parts[0].payload.begin(), parts[0].payload.end());
      },
      words);
  ASSERT_TRUE(added) << added.error().message;
}

// The account's number with its default entry, so MOs to it match the account.
void NumberEntry(store::InboundNumberStore& numbers) {
  store::InboundNumber e;
  e.id = "n1";
  e.sid = kSid;
  e.number = kNumber;
  e.callback_profile_id = "IN_p";
  e.created_at = TestTime();
  ASSERT_TRUE(numbers.CreateInboundNumber(e));
}

TEST_P(OptOutStoreContract, AddedListedAndRemoved) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  ASSERT_TRUE(opt_outs().AddOptOut(Out(kHandset, "ACMEIN")));
  ASSERT_TRUE(opt_outs().AddOptOut(Out(kHandset, "")));
  ASSERT_TRUE(opt_outs().AddOptOut(Out("6591234567", "ACMEIN")));
  ASSERT_TRUE(opt_outs().AddOptOut(Out(kHandset, "ACMEIN"))) << "adding again is fine";
  ASSERT_TRUE(opt_outs().AddOptOut(Out(kHandset, "OTHER", kOtherSid)));
  EXPECT_THAT(Listed(opt_outs()),
              ::testing::ElementsAre("6591234567/ACMEIN/api", "919876543210/*/api",
                                     "919876543210/ACMEIN/api"));
  EXPECT_THAT(Listed(opt_outs(), kHandset), ::testing::SizeIs(2));
  // Paging by (recipient, sender).
  auto first = opt_outs().ListOptOuts(kSid, "", std::nullopt, 2);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->size(), 2u);
  auto next = opt_outs().ListOptOuts(
      kSid, "", store::OptOutStore::Cursor{first->back().recipient, first->back().sender}, 2);
  ASSERT_TRUE(next);
  ASSERT_EQ(next->size(), 1u);
  EXPECT_EQ(next->front().sender, "ACMEIN");

  ASSERT_TRUE(opt_outs().RemoveOptOut(kSid, kHandset, "ACMEIN"));
  auto again = opt_outs().RemoveOptOut(kSid, kHandset, "ACMEIN");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::Errc::kNotFound);
  EXPECT_THAT(Listed(opt_outs()), ::testing::SizeIs(2));

  auto unknown = opt_outs().AddOptOut(Out(kHandset, "", "HXXX0000000009XX"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, core::Errc::kNotFound);
}

TEST_P(OptOutStoreContract, MoCommandsChangeTheMatchedAccountsOptOuts) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  ASSERT_NO_FATAL_FAILURE(NumberEntry(inbound_numbers()));
  const core::OptOutWords words;
  Mo(inbound(), "Stop", &words);
  EXPECT_THAT(Listed(opt_outs()), ::testing::ElementsAre("919876543210/14155550000/mo"));
  Mo(inbound(), "STOPALL", &words);
  EXPECT_THAT(Listed(opt_outs()),
              ::testing::ElementsAre("919876543210/*/mo", "919876543210/14155550000/mo"));
  Mo(inbound(), "START", &words);
  EXPECT_THAT(Listed(opt_outs()), ::testing::IsEmpty()) << "START lifts both";
  Mo(inbound(), "stop by tomorrow", &words);
  Mo(inbound(), "STOP", nullptr);  // a store told no words: MOs are never commands
  EXPECT_THAT(Listed(opt_outs()), ::testing::IsEmpty());
}

TEST_P(OptOutStoreContract, AnMoMatchingNoAccountChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  const core::OptOutWords words;
  Mo(inbound(), "STOP", &words);  // no inbound number entry: unmatched
  EXPECT_THAT(Listed(opt_outs()), ::testing::IsEmpty());
}

TEST_P(OptOutStoreContract, AClaimSaysWhenTheRecipientOptedOutOfTheSender) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  const auto message = [](std::string id, std::string sender) {
    core::Message m = TestMessage(std::move(id), kSid);
    m.recipient = kHandset;
    m.sender = std::move(sender);
    return m;
  };
  std::vector<core::Message> batch = {message("a:1", "ACMEIN"), message("b:1", "+14155550000"),
                                      message("c:1", "OTHER")};
  batch.push_back(TestMessage("d:1", kOtherSid));
  batch.back().recipient = kHandset;
  batch.back().sender = "ACMEIN";
  ASSERT_TRUE(messages().Enqueue(batch));
  ASSERT_TRUE(opt_outs().AddOptOut(Out(kHandset, "ACMEIN")));
  ASSERT_TRUE(opt_outs().AddOptOut(Out(kHandset, kNumber)));
  auto claims = deliveries().ClaimDue("node", TestTime(60'000), std::chrono::seconds(30), 10);
  ASSERT_TRUE(claims) << claims.error().message;
  std::map<std::string, bool> opted;
  for (const store::Claim& c : *claims) {
    opted[c.message.id] = c.opted_out;
  }
  EXPECT_EQ(opted, (std::map<std::string, bool>{
                       {"a:1", true}, {"b:1", true}, {"c:1", false}, {"d:1", false}}));
  // Out of every sender: the other sender's message too, once claimed again.
  ASSERT_TRUE(opt_outs().AddOptOut(Out(kHandset, "")));
  for (const store::Claim& c : *claims) {
    store::SubmitFailure f{c.message.id, TestTime(60'001), "NO-BIND", TestTime(60'001)};
    ASSERT_TRUE(deliveries().RecordFailures({&f, 1}));
  }
  auto again = deliveries().ClaimDue("node", TestTime(120'000), std::chrono::seconds(30), 10);
  ASSERT_TRUE(again);
  for (const store::Claim& c : *again) {
    EXPECT_EQ(c.opted_out, c.message.sid == kSid) << c.message.id;
  }
}

}  // namespace
}  // namespace smsgw::store_contract
