// The TemplateStore and SenderStore parts of the store contract (see store_contract.h).

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store_contract/store_contract.h"

namespace smsgw::store_contract {
namespace {

constexpr char kSid[] = "HXIN0000000001IN";
constexpr char kOtherSid[] = "HXSG0000000002SG";
constexpr char kUnknownSid[] = "HXIN9999999999IN";
constexpr char kOtpId[] = "1107160000000000001";
constexpr char kPromoId[] = "1107160000000000002";

// The two accounts the registry cases use.
void CreateAccounts(store::AccountStore& accounts) {
  ASSERT_TRUE(accounts.CreateAccount(store::Account{kSid, "acme", TestTime(), 0}));
  ASSERT_TRUE(accounts.CreateAccount(store::Account{kOtherSid, "beta", TestTime(1), 0}));
}

store::Template OtpTemplate(std::string sid = kSid) {
  store::Template t;
  t.sid = std::move(sid);
  t.template_id = kOtpId;
  t.name = "login OTP";
  t.text = "Your OTP is {#otp#}. Do not share it — नमस्ते";
  t.type = core::RouteType::kOtp;
  t.senders = {"ACMEIN", "Acme Bank", "+14155550100"};
  t.created_at = TestTime(10);
  t.updated_at = TestTime(10);
  return t;
}

void ExpectSameTemplate(const store::Template& got, const store::Template& want) {
  EXPECT_EQ(got.sid, want.sid);
  EXPECT_EQ(got.template_id, want.template_id);
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.text, want.text);
  EXPECT_EQ(got.type, want.type);
  EXPECT_EQ(got.senders, want.senders);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.updated_at, want.updated_at);
}

store::Sender MakeSender(std::string sender, std::string entity_id = "1201159000000000001") {
  store::Sender s;
  s.sid = kSid;
  s.sender = std::move(sender);
  s.description = "main sender";
  s.iso_code = "IN";
  s.entity_id = std::move(entity_id);
  return s;
}

// ---- templates ----

TEST_P(TemplateStoreContract, CreatedTemplateRoundTripsEveryField) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  const store::Template t = OtpTemplate();
  ASSERT_TRUE(templates().CreateTemplate(t));
  auto got = templates().GetTemplate(kSid, kOtpId);
  ASSERT_TRUE(got) << got.error().message;
  ExpectSameTemplate(*got, t);
}

TEST_P(TemplateStoreContract, AbsentTypeAndNoSendersRoundTrip) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  store::Template t = OtpTemplate();
  t.type.reset();
  t.senders.clear();
  t.name.clear();
  ASSERT_TRUE(templates().CreateTemplate(t));
  auto got = templates().GetTemplate(kSid, kOtpId);
  ASSERT_TRUE(got) << got.error().message;
  ExpectSameTemplate(*got, t);
}

TEST_P(TemplateStoreContract, EveryRouteTypeRoundTrips) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  int n = 0;
  for (core::RouteType type : {core::RouteType::kOtp, core::RouteType::kTxn, core::RouteType::kTxnd,
                               core::RouteType::kMkt, core::RouteType::kDefault}) {
    store::Template t = OtpTemplate();
    t.template_id = "11071600000000001" + std::to_string(10 + n++);
    t.type = type;
    ASSERT_TRUE(templates().CreateTemplate(t));
    auto got = templates().GetTemplate(kSid, t.template_id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->type, std::optional<core::RouteType>(type));
  }
}

TEST_P(TemplateStoreContract, TemplatesBelongToTheirAccount) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  ASSERT_TRUE(templates().CreateTemplate(OtpTemplate()));
  auto other = templates().GetTemplate(kOtherSid, kOtpId);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, core::Errc::kNotFound);

  // The same template id may be registered by another account, with its own text.
  store::Template theirs = OtpTemplate(kOtherSid);
  theirs.text = "Code {#otp#}";
  ASSERT_TRUE(templates().CreateTemplate(theirs));
  EXPECT_EQ(templates().GetTemplate(kSid, kOtpId)->text, OtpTemplate().text);
  EXPECT_EQ(templates().GetTemplate(kOtherSid, kOtpId)->text, "Code {#otp#}");

  ASSERT_TRUE(templates().DeleteTemplate(kOtherSid, kOtpId));
  EXPECT_TRUE(templates().GetTemplate(kSid, kOtpId));
}

TEST_P(TemplateStoreContract, CreatingAnExistingTemplateIsAConflict) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  ASSERT_TRUE(templates().CreateTemplate(OtpTemplate()));
  store::Template again = OtpTemplate();
  again.text = "different";
  auto created = templates().CreateTemplate(again);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, core::Errc::kConflict);
  EXPECT_EQ(templates().GetTemplate(kSid, kOtpId)->text, OtpTemplate().text);
}

TEST_P(TemplateStoreContract, TemplatesOfAnUnknownAccountAreNotFound) {
  auto created = templates().CreateTemplate(OtpTemplate(kUnknownSid));
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, core::Errc::kNotFound);
  auto listed = templates().ListTemplates(kUnknownSid);
  ASSERT_FALSE(listed);
  EXPECT_EQ(listed.error().code, core::Errc::kNotFound);
  auto got = templates().GetTemplate(kUnknownSid, kOtpId);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, core::Errc::kNotFound);
}

TEST_P(TemplateStoreContract, ListIsOrderedByTemplateIdAndScopedToTheAccount) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  auto empty = templates().ListTemplates(kSid);
  ASSERT_TRUE(empty) << empty.error().message;
  EXPECT_TRUE(empty->empty());

  store::Template promo = OtpTemplate();
  promo.template_id = kPromoId;
  promo.type = core::RouteType::kMkt;
  ASSERT_TRUE(templates().CreateTemplate(promo));
  ASSERT_TRUE(templates().CreateTemplate(OtpTemplate()));
  store::Template theirs = OtpTemplate(kOtherSid);
  theirs.template_id = "1107160000000000000";
  ASSERT_TRUE(templates().CreateTemplate(theirs));

  auto listed = templates().ListTemplates(kSid);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 2u);
  ExpectSameTemplate((*listed)[0], OtpTemplate());
  ExpectSameTemplate((*listed)[1], promo);
}

TEST_P(TemplateStoreContract, UpdateChangesOnlyTheGivenFields) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  ASSERT_TRUE(templates().CreateTemplate(OtpTemplate()));

  store::TemplateChange text_only;
  text_only.text = "Your code is {#otp#}";
  auto updated = templates().UpdateTemplate(kSid, kOtpId, text_only, TestTime(500));
  ASSERT_TRUE(updated) << updated.error().message;
  store::Template want = OtpTemplate();
  want.text = "Your code is {#otp#}";
  want.updated_at = TestTime(500);
  ExpectSameTemplate(*updated, want);
  ExpectSameTemplate(*templates().GetTemplate(kSid, kOtpId), want);

  store::TemplateChange rest;
  rest.name = "";
  rest.type = std::optional<core::RouteType>(core::RouteType::kTxn);
  rest.senders = std::vector<std::string>{"NEWSND"};
  updated = templates().UpdateTemplate(kSid, kOtpId, rest, TestTime(600));
  ASSERT_TRUE(updated);
  want.name = "";
  want.type = core::RouteType::kTxn;
  want.senders = {"NEWSND"};
  want.updated_at = TestTime(600);
  ExpectSameTemplate(*updated, want);

  // Clearing the type and the senders.
  store::TemplateChange clear;
  clear.type = std::optional<core::RouteType>();
  clear.senders = std::vector<std::string>{};
  updated = templates().UpdateTemplate(kSid, kOtpId, clear, TestTime(700));
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->type, std::nullopt);
  EXPECT_TRUE(updated->senders.empty());
  EXPECT_EQ(updated->text, want.text);

  // An empty change only touches updated_at.
  updated = templates().UpdateTemplate(kSid, kOtpId, {}, TestTime(800));
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->updated_at, TestTime(800));
  EXPECT_EQ(updated->created_at, TestTime(10));
}

TEST_P(TemplateStoreContract, UpdatingOrDeletingAMissingTemplateIsNotFound) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  ASSERT_TRUE(templates().CreateTemplate(OtpTemplate()));
  store::TemplateChange change;
  change.text = "x";
  auto updated = templates().UpdateTemplate(kSid, kPromoId, change, TestTime());
  ASSERT_FALSE(updated);
  EXPECT_EQ(updated.error().code, core::Errc::kNotFound);
  // Another account cannot change or delete this account's template.
  auto cross = templates().UpdateTemplate(kOtherSid, kOtpId, change, TestTime());
  ASSERT_FALSE(cross);
  EXPECT_EQ(cross.error().code, core::Errc::kNotFound);
  auto deleted = templates().DeleteTemplate(kOtherSid, kOtpId);
  ASSERT_FALSE(deleted);
  EXPECT_EQ(deleted.error().code, core::Errc::kNotFound);
  EXPECT_EQ(templates().GetTemplate(kSid, kOtpId)->text, OtpTemplate().text);
}

TEST_P(TemplateStoreContract, DeletedTemplateIsGoneAndCanBeCreatedAgain) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  ASSERT_TRUE(templates().CreateTemplate(OtpTemplate()));
  ASSERT_TRUE(templates().DeleteTemplate(kSid, kOtpId));
  auto got = templates().GetTemplate(kSid, kOtpId);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, core::Errc::kNotFound);
  auto twice = templates().DeleteTemplate(kSid, kOtpId);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, core::Errc::kNotFound);
  EXPECT_TRUE(templates().ListTemplates(kSid)->empty());
  ASSERT_TRUE(templates().CreateTemplate(OtpTemplate()));
  EXPECT_TRUE(templates().GetTemplate(kSid, kOtpId));
}

TEST_P(TemplateStoreContract, VersionChangesWithEveryChangeSeenByAnotherInstance) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  auto cli = OpenAnother();  // another process, e.g. `smsgw template add` while serve runs
  ASSERT_NE(cli, nullptr);
  uint64_t version = templates().TemplatesVersion();
  EXPECT_EQ(templates().TemplatesVersion(), version) << "changed with no template change";
  // The instance that made a change sees its new version at once; the other within 1 s.
  auto expect_changed = [&](const char* what) {
    const uint64_t now = cli->templates().TemplatesVersion();
    EXPECT_NE(now, version) << what;
    EXPECT_TRUE(Eventually([&] { return templates().TemplatesVersion() == now; })) << what;
    version = now;
  };
  ASSERT_TRUE(cli->templates().CreateTemplate(OtpTemplate()));
  expect_changed("create");
  EXPECT_TRUE(templates().GetTemplate(kSid, kOtpId));
  store::TemplateChange change;
  change.text = "new {#otp#}";
  ASSERT_TRUE(cli->templates().UpdateTemplate(kSid, kOtpId, change, TestTime()));
  expect_changed("update");
  EXPECT_EQ(templates().GetTemplate(kSid, kOtpId)->text, "new {#otp#}");
  ASSERT_TRUE(cli->templates().DeleteTemplate(kSid, kOtpId));
  expect_changed("delete");
  EXPECT_FALSE(templates().GetTemplate(kSid, kOtpId));

  // Failed changes need not move it, but must not break it: a later change still does.
  (void)cli->templates().DeleteTemplate(kSid, kOtpId);
  version = cli->templates().TemplatesVersion();
  ASSERT_TRUE(cli->templates().CreateTemplate(OtpTemplate()));
  expect_changed("create after a failed delete");
}

TEST_P(TemplateStoreContract, TemplatesSurviveReopen) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  ASSERT_TRUE(templates().CreateTemplate(OtpTemplate()));
  ASSERT_NO_FATAL_FAILURE(Reopen());
  auto got = templates().GetTemplate(kSid, kOtpId);
  ASSERT_TRUE(got) << got.error().message;
  ExpectSameTemplate(*got, OtpTemplate());
}

// ---- senders ----

TEST_P(SenderStoreContract, RegisteredSendersRoundTripWithTimes) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  const std::vector<store::Sender> batch = {MakeSender("ACMEIN"), MakeSender("Acme Bank", ""),
                                            MakeSender("+14155550100")};
  auto outcomes = senders().RegisterSenders(kSid, batch, TestTime(42));
  ASSERT_TRUE(outcomes) << outcomes.error().message;
  EXPECT_EQ(*outcomes, std::vector<store::RegisterOutcome>(3, store::RegisterOutcome::kCreated));

  auto got = senders().GetSender(kSid, "Acme Bank");
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->sid, kSid);
  EXPECT_EQ(got->sender, "Acme Bank");
  EXPECT_EQ(got->description, "main sender");
  EXPECT_EQ(got->iso_code, "IN");
  EXPECT_EQ(got->entity_id, "");
  EXPECT_EQ(got->created_at, TestTime(42));
  EXPECT_EQ(got->updated_at, TestTime(42));

  auto listed = senders().ListSenders(kSid);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 3u);
  // Ordered by sender (byte order).
  EXPECT_EQ((*listed)[0].sender, "+14155550100");
  EXPECT_EQ((*listed)[1].sender, "ACMEIN");
  EXPECT_EQ((*listed)[1].entity_id, "1201159000000000001");
  EXPECT_EQ((*listed)[2].sender, "Acme Bank");
}

TEST_P(SenderStoreContract, RegisteringAgainUpdatesAndKeepsCreatedAt) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  ASSERT_TRUE(senders().RegisterSenders(kSid, std::vector{MakeSender("ACMEIN")}, TestTime(1)));
  store::Sender changed = MakeSender("ACMEIN", "1201159000000000099");
  changed.description = "";
  changed.iso_code = "";
  auto outcomes =
      senders().RegisterSenders(kSid, std::vector{changed, MakeSender("OTHER")}, TestTime(2));
  ASSERT_TRUE(outcomes) << outcomes.error().message;
  EXPECT_EQ(*outcomes,
            (std::vector{store::RegisterOutcome::kUpdated, store::RegisterOutcome::kCreated}));
  auto got = senders().GetSender(kSid, "ACMEIN");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->entity_id, "1201159000000000099");
  EXPECT_EQ(got->description, "");
  EXPECT_EQ(got->iso_code, "");
  EXPECT_EQ(got->created_at, TestTime(1));
  EXPECT_EQ(got->updated_at, TestTime(2));
}

TEST_P(SenderStoreContract, SenderIdsAreCaseSensitiveAndPerAccount) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  ASSERT_TRUE(senders().RegisterSenders(kSid, std::vector{MakeSender("ACMEIN")}, TestTime()));
  auto lower = senders().GetSender(kSid, "acmein");
  ASSERT_FALSE(lower);
  EXPECT_EQ(lower.error().code, core::Errc::kNotFound);
  auto other = senders().GetSender(kOtherSid, "ACMEIN");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, core::Errc::kNotFound);
  EXPECT_TRUE(senders().ListSenders(kOtherSid)->empty());
}

TEST_P(SenderStoreContract, ALargeBatchIsRegisteredAtOnce) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  std::vector<store::Sender> batch;
  for (int i = 0; i < 5000; ++i) {
    batch.push_back(MakeSender("S" + std::to_string(100000 + i)));
  }
  auto outcomes = senders().RegisterSenders(kSid, batch, TestTime());
  ASSERT_TRUE(outcomes) << outcomes.error().message;
  EXPECT_EQ(outcomes->size(), 5000u);
  EXPECT_EQ(senders().ListSenders(kSid)->size(), 5000u);
}

TEST_P(SenderStoreContract, SendersOfAnUnknownAccountAreNotFoundAndNothingIsWritten) {
  auto registered =
      senders().RegisterSenders(kUnknownSid, std::vector{MakeSender("ACMEIN")}, TestTime());
  ASSERT_FALSE(registered);
  EXPECT_EQ(registered.error().code, core::Errc::kNotFound);
  auto listed = senders().ListSenders(kUnknownSid);
  ASSERT_FALSE(listed);
  EXPECT_EQ(listed.error().code, core::Errc::kNotFound);
  ASSERT_TRUE(accounts().CreateAccount(store::Account{kUnknownSid, "late", TestTime(), 0}));
  EXPECT_TRUE(senders().ListSenders(kUnknownSid)->empty());
}

TEST_P(SenderStoreContract, UpdateChangesOnlyTheGivenFields) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  ASSERT_TRUE(senders().RegisterSenders(kSid, std::vector{MakeSender("ACMEIN")}, TestTime(1)));
  store::SenderChange change;
  change.entity_id = "1201159000000000777";
  auto updated = senders().UpdateSender(kSid, "ACMEIN", change, TestTime(9));
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->entity_id, "1201159000000000777");
  EXPECT_EQ(updated->description, "main sender");
  EXPECT_EQ(updated->iso_code, "IN");
  EXPECT_EQ(updated->created_at, TestTime(1));
  EXPECT_EQ(updated->updated_at, TestTime(9));

  store::SenderChange rest;
  rest.description = "renamed";
  rest.iso_code = "";
  updated = senders().UpdateSender(kSid, "ACMEIN", rest, TestTime(10));
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->description, "renamed");
  EXPECT_EQ(updated->iso_code, "");
  EXPECT_EQ(updated->entity_id, "1201159000000000777");
  EXPECT_EQ(senders().GetSender(kSid, "ACMEIN")->description, "renamed");

  auto missing = senders().UpdateSender(kSid, "NOPE", rest, TestTime());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::Errc::kNotFound);
  auto cross = senders().UpdateSender(kOtherSid, "ACMEIN", rest, TestTime());
  ASSERT_FALSE(cross);
  EXPECT_EQ(cross.error().code, core::Errc::kNotFound);
}

TEST_P(SenderStoreContract, DeletedSenderIsGone) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  ASSERT_TRUE(senders().RegisterSenders(kSid, std::vector{MakeSender("ACMEIN"), MakeSender("B")},
                                        TestTime()));
  auto cross = senders().DeleteSender(kOtherSid, "ACMEIN");
  ASSERT_FALSE(cross);
  EXPECT_EQ(cross.error().code, core::Errc::kNotFound);
  ASSERT_TRUE(senders().DeleteSender(kSid, "ACMEIN"));
  EXPECT_FALSE(senders().GetSender(kSid, "ACMEIN"));
  EXPECT_TRUE(senders().GetSender(kSid, "B"));
  auto twice = senders().DeleteSender(kSid, "ACMEIN");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, core::Errc::kNotFound);
}

TEST_P(SenderStoreContract, VersionChangesWithEveryChangeSeenByAnotherInstance) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  auto cli = OpenAnother();
  ASSERT_NE(cli, nullptr);
  uint64_t version = senders().SendersVersion();
  auto expect_changed = [&](const char* what) {
    const uint64_t now = cli->senders().SendersVersion();
    EXPECT_NE(now, version) << what;
    EXPECT_TRUE(Eventually([&] { return senders().SendersVersion() == now; })) << what;
    version = now;
  };
  ASSERT_TRUE(cli->senders().RegisterSenders(kSid, std::vector{MakeSender("ACMEIN")}, TestTime()));
  expect_changed("register");
  EXPECT_TRUE(senders().GetSender(kSid, "ACMEIN"));
  store::SenderChange change;
  change.entity_id = "1201159000000000005";
  ASSERT_TRUE(cli->senders().UpdateSender(kSid, "ACMEIN", change, TestTime()));
  expect_changed("update");
  EXPECT_EQ(senders().GetSender(kSid, "ACMEIN")->entity_id, "1201159000000000005");
  ASSERT_TRUE(cli->senders().DeleteSender(kSid, "ACMEIN"));
  expect_changed("delete");
}

TEST_P(SenderStoreContract, ConcurrentRegistrationsAreAllStored) {
  ASSERT_NO_FATAL_FAILURE(CreateAccounts(accounts()));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < 25; ++i) {
        auto done = senders().RegisterSenders(
            kSid, std::vector{MakeSender("T" + std::to_string(t) + "S" + std::to_string(i))},
            TestTime());
        EXPECT_TRUE(done) << done.error().message;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(senders().ListSenders(kSid)->size(), 100u);
}

}  // namespace
}  // namespace smsgw::store_contract
