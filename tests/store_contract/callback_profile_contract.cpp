// The CallbackProfileStore half of the store contract (see store_contract.h): profiles created,
// read, listed, replaced and deleted, and at most one default per account.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "store_contract/store_contract.h"

namespace smsgw::store_contract {
namespace {

using store::CallbackProfile;
using ::testing::ElementsAre;

constexpr char kSid[] = "HXIN0000000001IN";
constexpr char kOtherSid[] = "HXSG0000000002SG";

CallbackProfile Profile(std::string id, std::string sid = kSid, bool is_default = false) {
  CallbackProfile p;
  p.id = std::move(id);
  p.sid = std::move(sid);
  p.name = "orders";
  p.url = "https://hooks.example.com/sms";
  p.method = "POST";
  p.headers = {{"X-Team", "sms"}, {"X-Odd", "tab\there\nline \\ end"}, {"X-Empty", ""}};
  p.auth.kind = store::CallbackAuth::Kind::kBearerToken;
  p.auth.token_url = "https://auth.example.com/token";
  p.auth.client_id = "client";
  p.auth.client_secret = "s3cret";
  p.body_template = R"({"id":"<id>","status":"<status>"})";
  p.retry.kind = store::RetryPolicy::Kind::kFixed;
  p.retry.intervals = {std::chrono::seconds(10), std::chrono::seconds(60),
                       std::chrono::seconds(600)};
  p.is_default = is_default;
  p.created_at = TestTime(1000);
  p.updated_at = TestTime(1000);
  return p;
}

std::vector<std::string> DefaultIds(store::CallbackProfileStore& profiles, std::string_view sid) {
  auto all = profiles.ListCallbackProfiles(sid);
  EXPECT_TRUE(all) << all.error().message;
  std::vector<std::string> ids;
  for (const CallbackProfile& p : all ? *all : std::vector<CallbackProfile>()) {
    if (p.is_default) {
      ids.push_back(p.id);
    }
  }
  return ids;
}

void CreateAccounts(store::AccountStore& accounts) {
  for (const char* sid : {kSid, kOtherSid}) {
    ASSERT_TRUE(accounts.CreateAccount(store::Account{sid, "acme", TestTime(), 0}));
  }
}

TEST_P(CallbackProfileStoreContract, EveryFieldRoundTrips) {
  CreateAccounts(accounts());
  const CallbackProfile p = Profile("IN_b");
  ASSERT_TRUE(callback_profiles().CreateCallbackProfile(p));
  auto read = callback_profiles().GetCallbackProfile(kSid, "IN_b");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(*read, p);

  CallbackProfile exponential = Profile("IN_a");
  exponential.headers.clear();
  exponential.auth = store::CallbackAuth{store::CallbackAuth::Kind::kBasic, "u", "p:w", "", "", ""};
  exponential.retry = store::RetryPolicy{store::RetryPolicy::Kind::kExponential,
                                         {},
                                         std::chrono::seconds(5),
                                         std::chrono::seconds(900),
                                         std::chrono::seconds(7200)};
  exponential.body_template = "";
  ASSERT_TRUE(callback_profiles().CreateCallbackProfile(exponential));
  Reopen();
  auto all = callback_profiles().ListCallbackProfiles(kSid);
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_THAT(*all, ElementsAre(exponential, p)) << "ordered by id";
}

TEST_P(CallbackProfileStoreContract, MissingAccountsProfilesAndDuplicates) {
  CreateAccounts(accounts());
  EXPECT_EQ(
      callback_profiles().CreateCallbackProfile(Profile("IN_x", "HXXX0000000009XX")).error().code,
      core::Errc::kNotFound);
  EXPECT_EQ(callback_profiles().ListCallbackProfiles("HXXX0000000009XX").error().code,
            core::Errc::kNotFound);
  auto none = callback_profiles().ListCallbackProfiles(kSid);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  ASSERT_TRUE(callback_profiles().CreateCallbackProfile(Profile("IN_a")));
  EXPECT_EQ(callback_profiles().CreateCallbackProfile(Profile("IN_a")).error().code,
            core::Errc::kConflict);
  // Another account's profile is not found through this one.
  EXPECT_EQ(callback_profiles().GetCallbackProfile(kOtherSid, "IN_a").error().code,
            core::Errc::kNotFound);
  EXPECT_EQ(callback_profiles().UpdateCallbackProfile(Profile("IN_a", kOtherSid)).error().code,
            core::Errc::kNotFound);
  EXPECT_EQ(callback_profiles().DeleteCallbackProfile(kOtherSid, "IN_a").error().code,
            core::Errc::kNotFound);
  EXPECT_EQ(callback_profiles().UpdateCallbackProfile(Profile("IN_zz")).error().code,
            core::Errc::kNotFound);
}

TEST_P(CallbackProfileStoreContract, UpdateReplacesAllButIdSidAndCreatedAt) {
  CreateAccounts(accounts());
  ASSERT_TRUE(callback_profiles().CreateCallbackProfile(Profile("IN_a")));
  CallbackProfile changed = Profile("IN_a");
  changed.url = "http://other.example.com/";
  changed.method = "PUT";
  changed.headers = {{"A", "1"}};
  changed.retry.intervals = {std::chrono::seconds(1)};
  changed.created_at = TestTime(999'999);
  changed.updated_at = TestTime(5000);
  ASSERT_TRUE(callback_profiles().UpdateCallbackProfile(changed));
  auto read = callback_profiles().GetCallbackProfile(kSid, "IN_a");
  ASSERT_TRUE(read) << read.error().message;
  changed.created_at = TestTime(1000);
  EXPECT_EQ(*read, changed);
}

TEST_P(CallbackProfileStoreContract, OneDefaultPerAccount) {
  CreateAccounts(accounts());
  ASSERT_TRUE(callback_profiles().CreateCallbackProfile(Profile("IN_a", kSid, true)));
  ASSERT_TRUE(callback_profiles().CreateCallbackProfile(Profile("SG_a", kOtherSid, true)));
  EXPECT_THAT(DefaultIds(callback_profiles(), kSid), ElementsAre("IN_a"));
  // A new default takes the role over.
  ASSERT_TRUE(callback_profiles().CreateCallbackProfile(Profile("IN_b", kSid, true)));
  EXPECT_THAT(DefaultIds(callback_profiles(), kSid), ElementsAre("IN_b"));
  // So does an update; updating the default itself keeps it.
  ASSERT_TRUE(callback_profiles().UpdateCallbackProfile(Profile("IN_a", kSid, true)));
  EXPECT_THAT(DefaultIds(callback_profiles(), kSid), ElementsAre("IN_a"));
  ASSERT_TRUE(callback_profiles().UpdateCallbackProfile(Profile("IN_a", kSid, true)));
  EXPECT_THAT(DefaultIds(callback_profiles(), kSid), ElementsAre("IN_a"));
  // A failed update (no such profile) changes nothing.
  EXPECT_FALSE(callback_profiles().UpdateCallbackProfile(Profile("IN_zz", kSid, true)));
  EXPECT_THAT(DefaultIds(callback_profiles(), kSid), ElementsAre("IN_a"));
  // Clearing it leaves the account without one; the other account's is untouched.
  ASSERT_TRUE(callback_profiles().UpdateCallbackProfile(Profile("IN_a", kSid, false)));
  EXPECT_TRUE(DefaultIds(callback_profiles(), kSid).empty());
  EXPECT_THAT(DefaultIds(callback_profiles(), kOtherSid), ElementsAre("SG_a"));
}

TEST_P(CallbackProfileStoreContract, DeleteRemovesIt) {
  CreateAccounts(accounts());
  ASSERT_TRUE(callback_profiles().CreateCallbackProfile(Profile("IN_a", kSid, true)));
  ASSERT_TRUE(callback_profiles().DeleteCallbackProfile(kSid, "IN_a"));
  EXPECT_EQ(callback_profiles().GetCallbackProfile(kSid, "IN_a").error().code,
            core::Errc::kNotFound);
  EXPECT_EQ(callback_profiles().DeleteCallbackProfile(kSid, "IN_a").error().code,
            core::Errc::kNotFound);
  // The id may be used again, as a default again.
  ASSERT_TRUE(callback_profiles().CreateCallbackProfile(Profile("IN_a", kSid, true)));
}

}  // namespace
}  // namespace smsgw::store_contract
