// The ConsolePasswordStore half of the store contract (see store_contract.h): an account's console
// password set, replaced, read back and removed, and set by two nodes at once.

#include <gtest/gtest.h>

#include <latch>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store_contract/store_contract.h"

namespace smsgw::store_contract {
namespace {

constexpr char kSid[] = "HXIN0000000001IN";
constexpr char kOtherSid[] = "HXSG0000000002SG";
constexpr char kNoSid[] = "HXNONE0000000000SG";

void CreateAccounts(store::AccountStore& accounts) {
  ASSERT_TRUE(accounts.CreateAccount(store::Account{kSid, "acme", TestTime(), 0}));
  ASSERT_TRUE(accounts.CreateAccount(store::Account{kOtherSid, "beta", TestTime(), 0}));
}

// "<salt>/<hash>@<ms after TestTime()>", or "none".
std::string Stored(store::ConsolePasswordStore& store, std::string_view sid = kSid) {
  auto found = store.FindConsolePassword(sid);
  EXPECT_TRUE(found) << found.error().message;
  if (!found || !found->has_value()) {
    return "none";
  }
  const store::ConsolePassword& p = **found;
  return p.salt + "/" + p.password_hash + "@" +
         std::to_string(core::ToUnixMillis(p.updated_at) - core::ToUnixMillis(TestTime()));
}

TEST_P(ConsolePasswordStoreContract, SetReplacedAndRemoved) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  EXPECT_EQ(Stored(console_passwords()), "none");
  ASSERT_TRUE(console_passwords().SetConsolePassword(kSid, "salt1", "hash1", TestTime(1000)));
  EXPECT_EQ(Stored(console_passwords()), "salt1/hash1@1000");
  EXPECT_EQ(Stored(console_passwords(), kOtherSid), "none") << "one account's password only";

  ASSERT_TRUE(console_passwords().SetConsolePassword(kSid, "salt2", "hash2", TestTime(2000)));
  EXPECT_EQ(Stored(console_passwords()), "salt2/hash2@2000");
  ASSERT_TRUE(console_passwords().SetConsolePassword(kOtherSid, "salt3", "hash3", TestTime(3000)));

  ASSERT_TRUE(console_passwords().RemoveConsolePassword(kSid));
  EXPECT_EQ(Stored(console_passwords()), "none");
  EXPECT_EQ(Stored(console_passwords(), kOtherSid), "salt3/hash3@3000");
  auto again = console_passwords().RemoveConsolePassword(kSid);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::Errc::kNotFound);
  EXPECT_NE(again.error().message.find("no console password"), std::string::npos)
      << again.error().message;

  // Set again after a removal.
  ASSERT_TRUE(console_passwords().SetConsolePassword(kSid, "salt4", "hash4", TestTime(4000)));
  EXPECT_EQ(Stored(console_passwords()), "salt4/hash4@4000");
}

TEST_P(ConsolePasswordStoreContract, AnUnknownAccountHasNone) {
  auto set = console_passwords().SetConsolePassword(kNoSid, "salt", "hash", TestTime());
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().code, core::Errc::kNotFound);
  auto removed = console_passwords().RemoveConsolePassword(kNoSid);
  ASSERT_FALSE(removed);
  EXPECT_EQ(removed.error().code, core::Errc::kNotFound);
  EXPECT_NE(removed.error().message.find("no account"), std::string::npos)
      << removed.error().message;
  EXPECT_EQ(Stored(console_passwords(), kNoSid), "none");
}

TEST_P(ConsolePasswordStoreContract, SeenByAnotherInstance) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  auto cli = OpenAnother();
  ASSERT_NE(cli, nullptr);
  ASSERT_TRUE(cli->console_passwords().SetConsolePassword(kSid, "salt", "hash", TestTime(5)));
  EXPECT_EQ(Stored(console_passwords()), "salt/hash@5");
  ASSERT_TRUE(cli->console_passwords().RemoveConsolePassword(kSid));
  EXPECT_EQ(Stored(console_passwords()), "none");
}

// Two nodes setting one account's first password at the same moment (an operator retrying the
// CLI on another host): both succeed and one whole password stays, the salt and hash of one call.
// A store that reads whether a row exists and then inserts or updates fails one of them.
TEST_P(ConsolePasswordStoreContract, TwoInstancesSettingOnePasswordAtOnceBothSucceed) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  auto other = OpenAnother();
  ASSERT_NE(other, nullptr);
  store::ConsolePasswordStore* const stores[2] = {&console_passwords(),
                                                  &other->console_passwords()};
  for (int round = 0; round < 20; ++round) {
    if (round > 0) {
      ASSERT_TRUE(console_passwords().RemoveConsolePassword(kSid));
    }
    core::Result<void> results[2];
    std::latch start(2);
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) {
      threads.emplace_back([&, i] {
        const std::string n = std::to_string(i);
        start.arrive_and_wait();
        results[i] = stores[i]->SetConsolePassword(kSid, "salt" + n, "hash" + n, TestTime(i));
      });
    }
    for (std::thread& thread : threads) {
      thread.join();
    }
    for (const core::Result<void>& result : results) {
      EXPECT_TRUE(result) << "round " << round << ": " << result.error().message;
    }
    const std::string stored = Stored(console_passwords());
    EXPECT_TRUE(stored == "salt0/hash0@0" || stored == "salt1/hash1@1")
        << "round " << round << ": " << stored;
  }
}

}  // namespace
}  // namespace smsgw::store_contract
