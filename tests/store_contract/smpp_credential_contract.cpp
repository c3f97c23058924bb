// The SmppCredentialStore half of the store contract (see store_contract.h): credentials added,
// found, listed and revoked; a system_id never handed out twice, even to two nodes adding it at
// once; and CredentialsVersion() moving with every change, in every instance.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <latch>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "store_contract/store_contract.h"

namespace smsgw::store_contract {
namespace {

using store::SmppCredential;
using store::SmppIdFormat;
using ::testing::ElementsAre;

constexpr char kSid[] = "HXIN0000000001IN";
constexpr char kOtherSid[] = "HXSG0000000002SG";

SmppCredential Credential(std::string system_id, std::string sid = kSid, int64_t at_ms = 0) {
  return SmppCredential{std::move(system_id), std::move(sid), TestTime(at_ms), {}, {}, {}};
}

void CreateAccounts(store::AccountStore& accounts) {
  ASSERT_TRUE(accounts.CreateAccount(store::Account{kSid, "acme", TestTime(), 0}));
  ASSERT_TRUE(accounts.CreateAccount(store::Account{kOtherSid, "beta", TestTime(), 0}));
}

// "<system_id>[ revoked]" of each of the account's credentials, in the store's order.
std::vector<std::string> Listed(store::SmppCredentialStore& store, std::string_view sid = kSid) {
  auto listed = store.ListSmppCredentials(sid);
  EXPECT_TRUE(listed) << listed.error().message;
  std::vector<std::string> out;
  for (const SmppCredential& c : listed ? *listed : std::vector<SmppCredential>{}) {
    out.push_back(c.system_id + (c.revoked_at ? " revoked" : ""));
  }
  return out;
}

std::optional<store::SmppSecret> Find(store::SmppCredentialStore& store,
                                      std::string_view system_id) {
  auto found = store.FindSmppCredential(system_id);
  EXPECT_TRUE(found) << found.error().message;
  return found ? *found : std::nullopt;
}

TEST_P(SmppCredentialStoreContract, AddedFoundListedAndRevoked) {
  EXPECT_EQ(smpp_credentials().AddSmppCredential(Credential("acme1"), "salt", "hash").error().code,
            core::Errc::kNotFound)
      << "no such account yet";
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  const uint64_t before = smpp_credentials().CredentialsVersion();
  ASSERT_TRUE(smpp_credentials().AddSmppCredential(Credential("acme1"), "salt", "hash"));
  const uint64_t added = smpp_credentials().CredentialsVersion();
  EXPECT_NE(added, before);
  auto again = smpp_credentials().AddSmppCredential(Credential("acme1"), "s2", "h2");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::Errc::kConflict) << again.error().message;

  auto found = Find(smpp_credentials(), "acme1");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->sid, kSid);
  EXPECT_EQ(found->salt, "salt");
  EXPECT_EQ(found->password_hash, "hash");
  EXPECT_FALSE(found->max_rate.has_value());
  EXPECT_EQ(found->type, "");
  EXPECT_TRUE(found->allowed_sources.empty());
  EXPECT_EQ(found->id_format, SmppIdFormat::kHex);
  EXPECT_FALSE(Find(smpp_credentials(), "ACME1").has_value()) << "system_ids are case-sensitive";
  EXPECT_FALSE(Find(smpp_credentials(), "nobody").has_value());

  EXPECT_EQ(smpp_credentials().RevokeSmppCredential(kOtherSid, "acme1").error().code,
            core::Errc::kNotFound)
      << "another account's credential";
  ASSERT_TRUE(smpp_credentials().RevokeSmppCredential(kSid, "acme1"));
  EXPECT_NE(smpp_credentials().CredentialsVersion(), added);
  EXPECT_FALSE(Find(smpp_credentials(), "acme1").has_value());
  EXPECT_EQ(smpp_credentials().RevokeSmppCredential(kSid, "acme1").error().code,
            core::Errc::kNotFound);
  EXPECT_EQ(smpp_credentials().RevokeSmppCredential(kSid, "never").error().code,
            core::Errc::kNotFound);

  auto listed = smpp_credentials().ListSmppCredentials(kSid);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].system_id, "acme1");
  EXPECT_EQ((*listed)[0].sid, kSid);
  EXPECT_EQ((*listed)[0].created_at, TestTime());
  EXPECT_TRUE((*listed)[0].revoked_at.has_value());
  EXPECT_FALSE((*listed)[0].max_rate.has_value());
  EXPECT_THAT(Listed(smpp_credentials(), kOtherSid), ElementsAre());
  EXPECT_EQ(smpp_credentials().ListSmppCredentials("HXNOBODY000000SG").error().code,
            core::Errc::kNotFound);
}

// A revoked system_id is never handed to anyone again, its account or another: a bind with it
// could otherwise reach another customer's account.
TEST_P(SmppCredentialStoreContract, ASystemIdIsNeverReused) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  ASSERT_TRUE(smpp_credentials().AddSmppCredential(Credential("acme1"), "salt", "hash"));
  EXPECT_EQ(
      smpp_credentials().AddSmppCredential(Credential("acme1", kOtherSid), "s", "h").error().code,
      core::Errc::kConflict)
      << "taken by another account";
  ASSERT_TRUE(smpp_credentials().RevokeSmppCredential(kSid, "acme1"));
  const uint64_t revoked = smpp_credentials().CredentialsVersion();
  for (const char* sid : {kSid, kOtherSid}) {
    auto added = smpp_credentials().AddSmppCredential(Credential("acme1", sid), "s3", "h3");
    ASSERT_FALSE(added) << sid;
    EXPECT_EQ(added.error().code, core::Errc::kConflict) << added.error().message;
  }
  EXPECT_EQ(smpp_credentials().CredentialsVersion(), revoked) << "moved with no change";
  EXPECT_FALSE(Find(smpp_credentials(), "acme1").has_value());
  EXPECT_THAT(Listed(smpp_credentials()), ElementsAre("acme1 revoked"));
  EXPECT_THAT(Listed(smpp_credentials(), kOtherSid), ElementsAre());
}

TEST_P(SmppCredentialStoreContract, ListedByCreationThenSystemId) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  for (const auto& [system_id, at_ms] : std::vector<std::pair<std::string, int64_t>>{
           {"b", 2000}, {"c", 1000}, {"a", 2000}, {"B", 2000}, {"z", 0}}) {
    ASSERT_TRUE(smpp_credentials().AddSmppCredential(Credential(system_id, kSid, at_ms), "s", "h"))
        << system_id;
  }
  ASSERT_TRUE(smpp_credentials().AddSmppCredential(Credential("other", kOtherSid), "s", "h"));
  ASSERT_TRUE(smpp_credentials().RevokeSmppCredential(kSid, "c"));
  // Ties in creation time in byte order ("B" before "a").
  EXPECT_THAT(Listed(smpp_credentials()), ElementsAre("z", "c revoked", "B", "a", "b"));
  EXPECT_THAT(Listed(smpp_credentials(), kOtherSid), ElementsAre("other"));
}

TEST_P(SmppCredentialStoreContract, MaxRateAndTypeReadBack) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  ASSERT_TRUE(smpp_credentials().AddSmppCredential({"fast", kSid, TestTime(), {}, 250, "OTP"},
                                                   "salt", "hash"));
  ASSERT_TRUE(smpp_credentials().AddSmppCredential(Credential("default"), "salt", "hash"));
  auto fast = Find(smpp_credentials(), "fast");
  ASSERT_TRUE(fast.has_value());
  EXPECT_EQ(fast->max_rate, 250);
  EXPECT_EQ(fast->type, "OTP");
  auto other = Find(smpp_credentials(), "default");
  ASSERT_TRUE(other.has_value());
  EXPECT_FALSE(other->max_rate.has_value());
  EXPECT_EQ(other->type, "");
  auto listed = smpp_credentials().ListSmppCredentials(kSid);
  ASSERT_TRUE(listed && listed->size() == 2u);
  EXPECT_EQ((*listed)[0].system_id, "default");
  EXPECT_FALSE((*listed)[0].max_rate.has_value());
  EXPECT_EQ((*listed)[0].type, "");
  EXPECT_EQ((*listed)[1].max_rate, 250);
  EXPECT_EQ((*listed)[1].type, "OTP");
  EXPECT_TRUE((*listed)[1].allowed_sources.empty());
}

TEST_P(SmppCredentialStoreContract, AllowedSourcesReadBack) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  const std::vector<core::IpNetwork> sources = {*core::ParseIpNetwork("10.0.0.0/8"),
                                                *core::ParseIpNetwork("192.0.2.7"),
                                                *core::ParseIpNetwork("2001:db8::/32")};
  ASSERT_TRUE(smpp_credentials().AddSmppCredential(
      {"fenced", kSid, TestTime(), {}, {}, {}, sources}, "salt", "hash"));
  auto found = Find(smpp_credentials(), "fenced");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->allowed_sources, sources);
  auto listed = smpp_credentials().ListSmppCredentials(kSid);
  ASSERT_TRUE(listed && listed->size() == 1u);
  EXPECT_EQ((*listed)[0].allowed_sources, sources);
}

TEST_P(SmppCredentialStoreContract, IdFormatReadBack) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  SmppCredential decimal = Credential("dec");
  decimal.id_format = SmppIdFormat::kDecimal;
  ASSERT_TRUE(smpp_credentials().AddSmppCredential(decimal, "salt", "hash"));
  ASSERT_TRUE(smpp_credentials().AddSmppCredential(Credential("hex"), "salt", "hash"));
  auto found = Find(smpp_credentials(), "dec");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id_format, SmppIdFormat::kDecimal);
  EXPECT_EQ(Find(smpp_credentials(), "hex").value().id_format, SmppIdFormat::kHex);
  auto listed = smpp_credentials().ListSmppCredentials(kSid);
  ASSERT_TRUE(listed && listed->size() == 2u);
  EXPECT_EQ((*listed)[0].id_format, SmppIdFormat::kDecimal);
  EXPECT_EQ((*listed)[1].id_format, SmppIdFormat::kHex);
}

// The CLI adds and revokes while `serve` runs: the server's instance sees each change in its
// CredentialsVersion() (within 1 s, store/account_store.h) and reads the new state.
TEST_P(SmppCredentialStoreContract, AnotherInstancesChangesMoveTheVersion) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  auto cli = OpenAnother();
  ASSERT_NE(cli, nullptr);
  const uint64_t initial = smpp_credentials().CredentialsVersion();
  ASSERT_TRUE(cli->smpp_credentials().AddSmppCredential(Credential("acme1"), "salt", "hash"));
  EXPECT_TRUE(Eventually([&] { return smpp_credentials().CredentialsVersion() != initial; }));
  EXPECT_TRUE(Find(smpp_credentials(), "acme1").has_value());
  const uint64_t added = smpp_credentials().CredentialsVersion();
  ASSERT_TRUE(cli->smpp_credentials().RevokeSmppCredential(kSid, "acme1"));
  EXPECT_TRUE(Eventually([&] { return smpp_credentials().CredentialsVersion() != added; }));
  EXPECT_FALSE(Find(smpp_credentials(), "acme1").has_value());
}

// Two nodes adding one system_id at the same moment (for two accounts): exactly one adds it and
// the other is kConflict. A store that checks for the system_id and then writes it, without the
// two being one step, lets both succeed and the later overwrite the earlier.
TEST_P(SmppCredentialStoreContract, TwoInstancesAddingOneSystemIdAtOnceAddItOnce) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  auto other = OpenAnother();
  ASSERT_NE(other, nullptr);
  store::SmppCredentialStore* const stores[2] = {&smpp_credentials(), &other->smpp_credentials()};
  const char* const sids[2] = {kSid, kOtherSid};
  for (int round = 0; round < 20; ++round) {
    const std::string system_id = "race" + std::to_string(round);
    core::Result<void> results[2];
    std::latch start(2);
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        results[i] = stores[i]->AddSmppCredential(Credential(system_id, sids[i], round),
                                                  "salt" + std::to_string(i), "hash");
      });
    }
    for (std::thread& thread : threads) {
      thread.join();
    }
    ASSERT_NE(results[0].has_value(), results[1].has_value()) << "round " << round;
    const int winner = results[0] ? 0 : 1;
    EXPECT_EQ(results[1 - winner].error().code, core::Errc::kConflict)
        << results[1 - winner].error().message;
    auto found = Find(smpp_credentials(), system_id);
    ASSERT_TRUE(found.has_value()) << "round " << round;
    EXPECT_EQ(found->sid, sids[winner]);
    EXPECT_EQ(found->salt, "salt" + std::to_string(winner));
  }
  EXPECT_EQ(Listed(smpp_credentials()).size() + Listed(smpp_credentials(), kOtherSid).size(), 20u);
}

}  // namespace
}  // namespace smsgw::store_contract
