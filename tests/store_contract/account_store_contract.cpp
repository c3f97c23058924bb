// The AccountStore half of the store contract (see store_contract.h).

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "store_contract/store_contract.h"

namespace smsgw::store_contract {
namespace {

constexpr char kSid[] = "HXIN0000000001IN";
constexpr char kOtherSid[] = "HXSG0000000002SG";
// Shaped like core::Sha256Hex output; the store treats them as opaque strings.
const std::string kHashA(64, 'a');
const std::string kHashB(64, 'b');
const std::string kHashC(64, 'c');

store::Account MakeAccount(std::string sid, std::string name, int64_t created_offset_ms) {
  return store::Account{std::move(sid), std::move(name), TestTime(created_offset_ms), 0};
}

std::optional<std::string> FindSid(store::AccountStore& accounts, const std::string& hash) {
  auto found = accounts.FindSidByKeyHash(hash);
  EXPECT_TRUE(found) << found.error().message;
  return found ? *found : std::nullopt;
}

TEST_P(AccountStoreContract, CreatedAccountsAreListedAndExist) {
  auto empty = accounts().ListAccounts();
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());

  // Created out of order: the list is ordered by created_at, then sid.
  ASSERT_TRUE(accounts().CreateAccount(MakeAccount(kOtherSid, "Beta Pte", 2000)));
  ASSERT_TRUE(accounts().CreateAccount(MakeAccount(kSid, "Acme India", 1000)));
  ASSERT_TRUE(accounts().CreateAccount(MakeAccount("HXEU0000000003EU", "", 1000)));

  auto listed = accounts().ListAccounts();
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].sid, "HXEU0000000003EU");
  EXPECT_EQ((*listed)[0].name, "");
  EXPECT_EQ((*listed)[1].sid, kSid);
  EXPECT_EQ((*listed)[1].name, "Acme India");
  EXPECT_EQ((*listed)[1].created_at, TestTime(1000));
  EXPECT_EQ((*listed)[1].active_keys, 0);
  EXPECT_EQ((*listed)[2].sid, kOtherSid);
  EXPECT_EQ((*listed)[2].created_at, TestTime(2000));

  // An account exists for the calls that take its sid; an unknown sid is kNotFound.
  auto exists = accounts().GetSettings(kSid);
  EXPECT_TRUE(exists) << exists.error().message;
  auto missing = accounts().GetSettings("HXIN9999999999IN");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::Errc::kNotFound) << missing.error().message;
}

TEST_P(AccountStoreContract, CreatingAnExistingSidIsAConflict) {
  ASSERT_TRUE(accounts().CreateAccount(MakeAccount(kSid, "first", 0)));
  auto again = accounts().CreateAccount(MakeAccount(kSid, "second", 5));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::Errc::kConflict);
  auto listed = accounts().ListAccounts();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().name, "first");
}

TEST_P(AccountStoreContract, AddedKeysAreFoundAndCounted) {
  ASSERT_TRUE(accounts().CreateAccount(MakeAccount(kSid, "acme", 0)));
  ASSERT_TRUE(accounts().CreateAccount(MakeAccount(kOtherSid, "beta", 1)));
  ASSERT_TRUE(accounts().AddKey(kSid, kHashA, TestTime(10)));
  ASSERT_TRUE(accounts().AddKey(kSid, kHashB, TestTime(11)));
  ASSERT_TRUE(accounts().AddKey(kOtherSid, kHashC, TestTime(12)));

  EXPECT_EQ(FindSid(accounts(), kHashA), kSid);
  EXPECT_EQ(FindSid(accounts(), kHashB), kSid);
  EXPECT_EQ(FindSid(accounts(), kHashC), kOtherSid);
  EXPECT_EQ(FindSid(accounts(), std::string(64, 'd')), std::nullopt);

  auto listed = accounts().ListAccounts();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].active_keys, 2);
  EXPECT_EQ((*listed)[1].active_keys, 1);
}

TEST_P(AccountStoreContract, AddingAKeyToAnUnknownAccountIsNotFound) {
  auto added = accounts().AddKey("HXIN9999999999IN", kHashA, TestTime());
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, core::Errc::kNotFound);
  EXPECT_EQ(FindSid(accounts(), kHashA), std::nullopt);
}

TEST_P(AccountStoreContract, AddingAnExistingKeyHashIsAConflict) {
  ASSERT_TRUE(accounts().CreateAccount(MakeAccount(kSid, "acme", 0)));
  ASSERT_TRUE(accounts().CreateAccount(MakeAccount(kOtherSid, "beta", 1)));
  ASSERT_TRUE(accounts().AddKey(kSid, kHashA, TestTime()));
  auto again = accounts().AddKey(kOtherSid, kHashA, TestTime());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::Errc::kConflict);
  EXPECT_EQ(FindSid(accounts(), kHashA), kSid);
}

TEST_P(AccountStoreContract, RevokedKeysAreNotFound) {
  ASSERT_TRUE(accounts().CreateAccount(MakeAccount(kSid, "acme", 0)));
  ASSERT_TRUE(accounts().AddKey(kSid, kHashA, TestTime()));
  ASSERT_TRUE(accounts().AddKey(kSid, kHashB, TestTime()));

  auto revoked = accounts().RevokeKey(kSid, kHashA);
  ASSERT_TRUE(revoked) << revoked.error().message;
  EXPECT_EQ(FindSid(accounts(), kHashA), std::nullopt);
  EXPECT_EQ(FindSid(accounts(), kHashB), kSid);

  auto listed = accounts().ListAccounts();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().active_keys, 1);

  // A revoked key stays revoked: it cannot be revoked again, nor added back.
  auto twice = accounts().RevokeKey(kSid, kHashA);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, core::Errc::kNotFound);
  auto re_added = accounts().AddKey(kSid, kHashA, TestTime());
  ASSERT_FALSE(re_added);
  EXPECT_EQ(re_added.error().code, core::Errc::kConflict);
  EXPECT_EQ(FindSid(accounts(), kHashA), std::nullopt);
}

TEST_P(AccountStoreContract, ListKeysShowsOnlyTheAccountsActiveKeysOldestFirst) {
  ASSERT_TRUE(accounts().CreateAccount(MakeAccount(kSid, "acme", 0)));
  ASSERT_TRUE(accounts().CreateAccount(MakeAccount(kOtherSid, "beta", 1)));
  ASSERT_TRUE(accounts().AddKey(kSid, kHashB, TestTime(20)));
  ASSERT_TRUE(accounts().AddKey(kSid, kHashA, TestTime(10)));
  ASSERT_TRUE(accounts().AddKey(kOtherSid, kHashC, TestTime(5)));
  auto listed = accounts().ListKeys(kSid);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].key_hash, kHashA);
  EXPECT_EQ((*listed)[0].created_at, TestTime(10));
  EXPECT_EQ((*listed)[1].key_hash, kHashB);

  ASSERT_TRUE(accounts().RevokeKey(kSid, kHashA));
  listed = accounts().ListKeys(kSid);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().key_hash, kHashB);
  auto unknown = accounts().ListKeys("HXIN9999999999IN");
  ASSERT_TRUE(unknown);
  EXPECT_TRUE(unknown->empty());
}

TEST_P(AccountStoreContract, RevokingAnUnknownKeyIsNotFound) {
  ASSERT_TRUE(accounts().CreateAccount(MakeAccount(kSid, "acme", 0)));
  ASSERT_TRUE(accounts().CreateAccount(MakeAccount(kOtherSid, "beta", 1)));
  ASSERT_TRUE(accounts().AddKey(kSid, kHashA, TestTime()));

  auto unknown = accounts().RevokeKey(kSid, kHashB);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, core::Errc::kNotFound);

  // Another account cannot revoke this account's key.
  auto wrong_account = accounts().RevokeKey(kOtherSid, kHashA);
  ASSERT_FALSE(wrong_account);
  EXPECT_EQ(wrong_account.error().code, core::Errc::kNotFound);
  EXPECT_EQ(FindSid(accounts(), kHashA), kSid);

  auto unknown_account = accounts().RevokeKey("HXIN9999999999IN", kHashA);
  ASSERT_FALSE(unknown_account);
  EXPECT_EQ(unknown_account.error().code, core::Errc::kNotFound);
}

TEST_P(AccountStoreContract, KeysVersionChangesWhenKeysChange) {
  ASSERT_TRUE(accounts().CreateAccount(MakeAccount(kSid, "acme", 0)));
  const uint64_t initial = accounts().KeysVersion();
  EXPECT_EQ(accounts().KeysVersion(), initial) << "changed with no key change";

  ASSERT_TRUE(accounts().AddKey(kSid, kHashA, TestTime()));
  const uint64_t after_add = accounts().KeysVersion();
  EXPECT_NE(after_add, initial);
  EXPECT_EQ(accounts().KeysVersion(), after_add);

  ASSERT_TRUE(accounts().RevokeKey(kSid, kHashA));
  EXPECT_NE(accounts().KeysVersion(), after_add);
  EXPECT_NE(accounts().KeysVersion(), initial);
}

TEST_P(AccountStoreContract, AnotherInstanceSeesKeyChangesAndTheirVersion) {
  // The second instance stands for another process: `smsgw account key add` while `serve` runs.
  auto cli = OpenAnother();
  ASSERT_NE(cli, nullptr);
  ASSERT_TRUE(cli->accounts().CreateAccount(MakeAccount(kSid, "acme", 0)));
  auto exists = accounts().GetSettings(kSid);
  ASSERT_TRUE(exists) << exists.error().message;

  // The instance that made a change sees its new version at once; the other within 1 s.
  const uint64_t initial = accounts().KeysVersion();
  ASSERT_TRUE(cli->accounts().AddKey(kSid, kHashA, TestTime()));
  const uint64_t after_add = cli->accounts().KeysVersion();
  EXPECT_NE(after_add, initial);
  EXPECT_TRUE(Eventually([&] { return accounts().KeysVersion() == after_add; }));
  EXPECT_EQ(FindSid(accounts(), kHashA), kSid);

  ASSERT_TRUE(cli->accounts().RevokeKey(kSid, kHashA));
  EXPECT_NE(cli->accounts().KeysVersion(), after_add);
  EXPECT_TRUE(Eventually([&] { return accounts().KeysVersion() != after_add; }));
  EXPECT_EQ(FindSid(accounts(), kHashA), std::nullopt);

  // And the other way round.
  const uint64_t before = accounts().KeysVersion();
  ASSERT_TRUE(accounts().AddKey(kSid, kHashB, TestTime()));
  EXPECT_NE(accounts().KeysVersion(), before);
  EXPECT_TRUE(Eventually([&] { return cli->accounts().KeysVersion() != before; }));
  EXPECT_EQ(FindSid(cli->accounts(), kHashB), kSid);
}

TEST_P(AccountStoreContract, AccountsAndKeysSurviveReopen) {
  ASSERT_TRUE(accounts().CreateAccount(MakeAccount(kSid, "acme", 7)));
  ASSERT_TRUE(accounts().AddKey(kSid, kHashA, TestTime()));
  ASSERT_TRUE(accounts().AddKey(kSid, kHashB, TestTime()));
  ASSERT_TRUE(accounts().RevokeKey(kSid, kHashB));
  ASSERT_NO_FATAL_FAILURE(Reopen());

  auto listed = accounts().ListAccounts();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().sid, kSid);
  EXPECT_EQ(listed->front().name, "acme");
  EXPECT_EQ(listed->front().created_at, TestTime(7));
  EXPECT_EQ(listed->front().active_keys, 1);
  EXPECT_EQ(FindSid(accounts(), kHashA), kSid);
  EXPECT_EQ(FindSid(accounts(), kHashB), std::nullopt);
}

TEST_P(AccountStoreContract, SettingsDefaultToUnsetAndCanBeSetAndCleared) {
  ASSERT_TRUE(accounts().CreateAccount(MakeAccount(kSid, "acme", 0)));
  auto initial = accounts().GetSettings(kSid);
  ASSERT_TRUE(initial) << initial.error().message;
  EXPECT_EQ(initial->smart_encoding, std::nullopt);

  const uint64_t before = accounts().KeysVersion();
  ASSERT_TRUE(accounts().SetSmartEncoding(kSid, true));
  EXPECT_NE(accounts().KeysVersion(), before) << "a settings change must invalidate caches";
  EXPECT_EQ(accounts().GetSettings(kSid)->smart_encoding, std::optional<bool>(true));
  ASSERT_TRUE(accounts().SetSmartEncoding(kSid, false));
  EXPECT_EQ(accounts().GetSettings(kSid)->smart_encoding, std::optional<bool>(false));
  ASSERT_TRUE(accounts().SetSmartEncoding(kSid, std::nullopt));
  EXPECT_EQ(accounts().GetSettings(kSid)->smart_encoding, std::nullopt);
}

TEST_P(AccountStoreContract, RequireRegisteredSendersIsSetAndClearedApartFromSmartEncoding) {
  ASSERT_TRUE(accounts().CreateAccount(MakeAccount(kSid, "acme", 0)));
  ASSERT_TRUE(accounts().CreateAccount(MakeAccount(kOtherSid, "beta", 1)));
  EXPECT_EQ(accounts().GetSettings(kSid)->require_registered_senders, std::nullopt);

  const uint64_t before = accounts().KeysVersion();
  ASSERT_TRUE(accounts().SetRequireRegisteredSenders(kSid, false));
  EXPECT_NE(accounts().KeysVersion(), before) << "a settings change must invalidate caches";
  ASSERT_TRUE(accounts().SetSmartEncoding(kSid, true));
  auto both = accounts().GetSettings(kSid);
  ASSERT_TRUE(both);
  EXPECT_EQ(both->require_registered_senders, std::optional<bool>(false));
  EXPECT_EQ(both->smart_encoding, std::optional<bool>(true));
  // The other account is untouched.
  EXPECT_EQ(accounts().GetSettings(kOtherSid)->require_registered_senders, std::nullopt);

  ASSERT_TRUE(accounts().SetRequireRegisteredSenders(kSid, true));
  EXPECT_EQ(accounts().GetSettings(kSid)->require_registered_senders, std::optional<bool>(true));
  ASSERT_TRUE(accounts().SetRequireRegisteredSenders(kSid, std::nullopt));
  auto cleared = accounts().GetSettings(kSid);
  EXPECT_EQ(cleared->require_registered_senders, std::nullopt);
  EXPECT_EQ(cleared->smart_encoding, std::optional<bool>(true));

  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(accounts().GetSettings(kSid)->smart_encoding, std::optional<bool>(true));
}

TEST_P(AccountStoreContract, RateLimitsAreSetAndClearedEachOnItsOwn) {
  using Limit = store::AccountStore::RateLimit;
  ASSERT_TRUE(accounts().CreateAccount(MakeAccount(kSid, "acme", 0)));
  auto initial = accounts().GetSettings(kSid);
  ASSERT_TRUE(initial);
  EXPECT_EQ(initial->sends_per_second, std::nullopt);
  EXPECT_EQ(initial->recipients_per_second, std::nullopt);

  const uint64_t before = accounts().KeysVersion();
  ASSERT_TRUE(accounts().SetRateLimit(kSid, Limit::kSendsPerSecond, 20));
  EXPECT_NE(accounts().KeysVersion(), before) << "a settings change must invalidate caches";
  ASSERT_TRUE(accounts().SetRateLimit(kSid, Limit::kRecipientsPerSecond, 0));
  auto set = accounts().GetSettings(kSid);
  ASSERT_TRUE(set);
  EXPECT_EQ(set->sends_per_second, std::optional<int64_t>(20));
  EXPECT_EQ(set->recipients_per_second, std::optional<int64_t>(0)) << "0 is unlimited, not unset";

  ASSERT_TRUE(accounts().SetRateLimit(kSid, Limit::kSendsPerSecond, std::nullopt));
  ASSERT_NO_FATAL_FAILURE(Reopen());
  auto cleared = accounts().GetSettings(kSid);
  ASSERT_TRUE(cleared);
  EXPECT_EQ(cleared->sends_per_second, std::nullopt);
  EXPECT_EQ(cleared->recipients_per_second, std::optional<int64_t>(0));

  auto unknown = accounts().SetRateLimit(kOtherSid, Limit::kSendsPerSecond, 1);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, core::Errc::kNotFound);
}

TEST_P(AccountStoreContract, SettingsOfAnUnknownAccountAreNotFound) {
  auto got = accounts().GetSettings(kSid);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, core::Errc::kNotFound);
  auto set = accounts().SetSmartEncoding(kSid, true);
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().code, core::Errc::kNotFound);
  auto senders = accounts().SetRequireRegisteredSenders(kSid, true);
  ASSERT_FALSE(senders);
  EXPECT_EQ(senders.error().code, core::Errc::kNotFound);
}

}  // namespace
}  // namespace smsgw::store_contract
