// The SmppOutboxStore half of the store contract (see store_contract.h): receipt rows written
// with the status events of messages submitted over SMPP that asked for them (and for no other
// message), and MO rows written with inbound messages matched to an entry that targets SMPP (in
// place of their webhook), waiting per account until claimed, in order, with a lease (one row to
// one of two nodes claiming at once); finished, deferred, and kept across a restart.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "store_contract/store_contract.h"

namespace smsgw::store_contract {
namespace {

using core::MessageState;
using store::SmppOutboxJob;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr char kSid[] = "HXIN0000000001IN";
constexpr char kOtherSid[] = "HXSG0000000002SG";
constexpr std::chrono::milliseconds kLease = std::chrono::seconds(30);

void CreateAccounts(store::AccountStore& accounts) {
  for (const char* sid : {kSid, kOtherSid}) {
    ASSERT_TRUE(accounts.CreateAccount(store::Account{sid, "acme", TestTime(), 0}));
  }
}

core::Message OverSmpp(std::string id, uint8_t registered_delivery, std::string sid = kSid) {
  core::Message m = TestMessage(std::move(id), std::move(sid));
  m.channel = "smpp";
  m.smpp_system_id = "acme1";
  m.registered_delivery = registered_delivery;
  return m;
}

std::vector<std::string> MessageIds(const std::vector<SmppOutboxJob>& jobs) {
  std::vector<std::string> ids;
  for (const SmppOutboxJob& job : jobs) {
    ids.push_back(job.message_id);
  }
  return ids;
}

std::vector<int64_t> RowIds(const std::vector<SmppOutboxJob>& jobs) {
  std::vector<int64_t> ids;
  for (const SmppOutboxJob& job : jobs) {
    ids.push_back(job.id);
  }
  return ids;
}

class SmppOutboxFixture {
 public:
  SmppOutboxFixture(store::MessageStore& messages, store::DeliveryStore& deliveries,
                    store::SmppOutboxStore& outbox)
      : messages_(messages), deliveries_(deliveries), outbox_(outbox) {}

  // Enqueues `batch`, submits every message (one part each) at 200 and applies a receipt with
  // `stat` and `err` at 300.
  void SubmitAndReceipt(std::vector<core::Message> batch, core::PartState state, std::string stat,
                        std::string err = "000") {
    ASSERT_TRUE(messages_.Enqueue(batch));
    auto claims = deliveries_.ClaimDue("node", TestTime(100), kLease, 100);
    ASSERT_TRUE(claims) << claims.error().message;
    std::vector<store::PartAccepted> parts;
    std::vector<store::ReceiptRecord> receipts;
    for (const store::Claim& c : *claims) {
      const std::string smsc_id = "smsc-" + c.message.id;
      parts.push_back({c.message.id, 1, 1, "smsc-a", smsc_id, smsc_id, TestTime(200)});
      receipts.push_back({"smsc-a", smsc_id, state, stat, err, TestTime(300)});
    }
    ASSERT_TRUE(deliveries_.RecordAccepted(parts));
    ASSERT_TRUE(deliveries_.ApplyReceipts(receipts));
  }

  std::vector<SmppOutboxJob> Claim(std::string_view sid, int64_t now_ms, size_t limit = 100,
                                   std::string_view owner = "session-1") {
    auto claimed = outbox_.ClaimSmppOutbox(sid, owner, TestTime(now_ms), kLease, limit);
    EXPECT_TRUE(claimed) << claimed.error().message;
    return claimed ? std::move(*claimed) : std::vector<SmppOutboxJob>();
  }

  size_t Count(std::string_view sid = kSid) {
    auto count = outbox_.CountSmppOutbox(sid);
    EXPECT_TRUE(count) << count.error().message;
    return count ? *count : 0;
  }

 private:
  store::MessageStore& messages_;
  store::DeliveryStore& deliveries_;
  store::SmppOutboxStore& outbox_;
};

TEST_P(SmppOutboxStoreContract, AnApiSendWritesNoRow) {
  CreateAccounts(accounts());
  SmppOutboxFixture f(messages(), deliveries(), smpp_outbox());
  const uint64_t version = smpp_outbox().SmppOutboxVersion(kSid);
  f.SubmitAndReceipt({TestMessage("api:1", kSid)}, core::PartState::kDelivered, "DELIVRD");
  ASSERT_TRUE(messages().Enqueue(std::vector<core::Message>{TestMessage("api:2", kSid)}));
  ASSERT_TRUE(deliveries().Cancel(kSid, "api:2", TestTime(400)));
  EXPECT_EQ(f.Count(), 0u);
  EXPECT_THAT(f.Claim(kSid, 1000), IsEmpty());
  EXPECT_EQ(smpp_outbox().SmppOutboxVersion(kSid), version);
}

TEST_P(SmppOutboxStoreContract, RegisteredDeliveryDecidesWhichStatusesAreWritten) {
  CreateAccounts(accounts());
  SmppOutboxFixture f(messages(), deliveries(), smpp_outbox());
  const uint64_t version = smpp_outbox().SmppOutboxVersion(kSid);
  f.SubmitAndReceipt({OverSmpp("none:1", 0x00), OverSmpp("final:1", 0x01),
                      OverSmpp("failure:1", 0x02), OverSmpp("all:1", 0x11)},
                     core::PartState::kDelivered, "DELIVRD");
  EXPECT_NE(smpp_outbox().SmppOutboxVersion(kSid), version) << "moves when a row is committed";

  const std::vector<SmppOutboxJob> jobs = f.Claim(kSid, 1000);
  // all:1's intermediate (Sent) came with the submit, before any final receipt.
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[0].message_id, "all:1");
  EXPECT_EQ(jobs[0].state, MessageState::kSubmitted);
  EXPECT_EQ(jobs[0].at, TestTime(200));
  EXPECT_THAT(MessageIds({jobs[1], jobs[2]}), UnorderedElementsAre("final:1", "all:1"));
  EXPECT_LT(jobs[0].id, jobs[1].id);
  EXPECT_LT(jobs[1].id, jobs[2].id);
  const SmppOutboxJob& final_job = jobs[1].message_id == "final:1" ? jobs[1] : jobs[2];
  const core::Message expected = OverSmpp("final:1", 0x01);
  EXPECT_EQ(final_job.kind, store::SmppOutboxKind::kReceipt);
  EXPECT_EQ(final_job.sid, kSid);
  EXPECT_EQ(final_job.system_id, "acme1");
  EXPECT_EQ(final_job.registered_delivery, 0x01);
  EXPECT_EQ(final_job.state, MessageState::kDelivered);
  EXPECT_EQ(final_job.details, "DELIVRD");
  EXPECT_EQ(final_job.at, TestTime(300));
  EXPECT_EQ(final_job.recipient, expected.recipient);
  EXPECT_EQ(final_job.sender, expected.sender);
  EXPECT_EQ(final_job.body, expected.body);
  EXPECT_EQ(final_job.submitted_at, expected.created_at);
  EXPECT_EQ(final_job.attempts, 0);

  // On failure only: a cancel is a failure.
  ASSERT_TRUE(messages().Enqueue(std::vector<core::Message>{OverSmpp("failure:2", 0x02)}));
  ASSERT_TRUE(deliveries().Cancel(kSid, "failure:2", TestTime(2000)));
  const std::vector<SmppOutboxJob> more = f.Claim(kSid, 2000);
  ASSERT_THAT(MessageIds(more), ElementsAre("failure:2"));
  EXPECT_EQ(more[0].state, MessageState::kNotSent);
  EXPECT_EQ(more[0].details, "CANCELLED");
}

TEST_P(SmppOutboxStoreContract, AReceiptCarriesTheCarriersErr) {
  CreateAccounts(accounts());
  SmppOutboxFixture f(messages(), deliveries(), smpp_outbox());
  f.SubmitAndReceipt({OverSmpp("e:1", 0x01)}, core::PartState::kUndelivered, "UNDELIV", "034");
  f.SubmitAndReceipt({OverSmpp("d:1", 0x01)}, core::PartState::kDelivered, "DELIVRD", "000");
  const std::vector<SmppOutboxJob> jobs = f.Claim(kSid, 1000);
  ASSERT_THAT(MessageIds(jobs), ElementsAre("e:1", "d:1"));
  EXPECT_EQ(jobs[0].state, MessageState::kUndelivered);
  EXPECT_EQ(jobs[0].err, "034");
  EXPECT_EQ(jobs[1].err, "") << "000 is no error";
}

TEST_P(SmppOutboxStoreContract, RowsWaitUntilClaimedThenGoInOrderPerAccount) {
  CreateAccounts(accounts());
  SmppOutboxFixture f(messages(), deliveries(), smpp_outbox());
  ASSERT_TRUE(messages().Enqueue(
      std::vector<core::Message>{OverSmpp("a:1", 0x01), OverSmpp("a:2", 0x01),
                                 OverSmpp("b:1", 0x01, kOtherSid), OverSmpp("a:3", 0x01)}));
  for (const char* id : {"a:3", "a:1", "b:1", "a:2"}) {
    const std::string sid = id[0] == 'b' ? kOtherSid : kSid;
    ASSERT_TRUE(deliveries().Cancel(sid, id, TestTime(1000)));
  }
  // Nobody bound: the rows wait, however long.
  EXPECT_EQ(f.Count(), 3u);
  EXPECT_EQ(f.Count(kOtherSid), 1u);

  // A bind, much later: the account's rows in the order they were written, a window at a time.
  const std::vector<SmppOutboxJob> first = f.Claim(kSid, 86'400'000, 2);
  EXPECT_THAT(MessageIds(first), ElementsAre("a:3", "a:1"));
  const std::vector<SmppOutboxJob> second = f.Claim(kSid, 86'400'001, 2);
  EXPECT_THAT(MessageIds(second), ElementsAre("a:2")) << "the claimed ones are in flight";
  ASSERT_TRUE(smpp_outbox().FinishSmppOutbox(RowIds(first)));
  ASSERT_TRUE(smpp_outbox().FinishSmppOutbox(RowIds(second)));
  EXPECT_EQ(f.Count(), 0u);
  EXPECT_THAT(f.Claim(kSid, 86'500'000), IsEmpty()) << "finished rows are gone";
  EXPECT_THAT(MessageIds(f.Claim(kOtherSid, 86'500'000)), ElementsAre("b:1"));
}

TEST_P(SmppOutboxStoreContract, AnUnansweredRowIsDueAgainAfterItsLease) {
  CreateAccounts(accounts());
  SmppOutboxFixture f(messages(), deliveries(), smpp_outbox());
  ASSERT_TRUE(messages().Enqueue(std::vector<core::Message>{OverSmpp("a:1", 0x01)}));
  ASSERT_TRUE(deliveries().Cancel(kSid, "a:1", TestTime(1000)));
  const std::vector<SmppOutboxJob> sent = f.Claim(kSid, 2000);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_THAT(f.Claim(kSid, 2000 + kLease.count() - 1), IsEmpty()) << "still in flight";
  // No deliver_sm_resp: the lease ends and any session (of any node) sends it again.
  const std::vector<SmppOutboxJob> again = f.Claim(kSid, 2000 + kLease.count(), 10, "session-2");
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, sent[0].id);
  EXPECT_EQ(again[0].attempts, 0) << "no answer is not a refusal";

  // A link drop gives it back at once; a refusal counts an attempt.
  ASSERT_TRUE(smpp_outbox().DeferSmppOutbox(RowIds(again), TestTime(40'000), false));
  const std::vector<SmppOutboxJob> after_drop = f.Claim(kSid, 40'000);
  ASSERT_EQ(after_drop.size(), 1u);
  EXPECT_EQ(after_drop[0].attempts, 0);
  ASSERT_TRUE(smpp_outbox().DeferSmppOutbox(RowIds(after_drop), TestTime(50'000), true));
  EXPECT_THAT(f.Claim(kSid, 49'999), IsEmpty()) << "deferred until 50'000";
  const std::vector<SmppOutboxJob> after_refusal = f.Claim(kSid, 50'000);
  ASSERT_EQ(after_refusal.size(), 1u);
  EXPECT_EQ(after_refusal[0].attempts, 1);
}

// An MO to `destination` from a handset, in one part, text as it came (the assembler joins the
// payload as UTF-8).
store::InboundPart Mo(std::string destination, std::string text, int64_t at_ms) {
  store::InboundPart p;
  p.connector = "smsc-a";
  p.source = "14155550100";
  p.destination = std::move(destination);
  p.data_coding = 0;
  p.payload.assign(text.begin(), text.end());
  p.received_at = TestTime(at_ms);
  return p;
}

std::string AsText(std::span<const store::InboundPart> parts, int) {
  std::string out;
  for (const store::InboundPart& p : parts) {
    out.append(p.payload.begin(), p.payload.end());
  }
  return out;
}

store::InboundNumber Entry(std::string id, std::string number, std::string keyword,
                           store::InboundTarget target) {
  store::InboundNumber e;
  e.id = std::move(id);
  e.sid = kSid;
  e.number = std::move(number);
  e.keyword = std::move(keyword);
  e.target = target;
  e.created_at = TestTime();
  return e;
}

TEST_P(SmppOutboxStoreContract, AnMoToAnEntryTargetingSmppIsARowNotAWebhook) {
  CreateAccounts(accounts());
  SmppOutboxFixture f(messages(), deliveries(), smpp_outbox());
  ASSERT_TRUE(inbound_numbers().CreateInboundNumber(
      Entry("n-1", "56767", "", store::InboundTarget::kSmpp)));
  store::InboundNumber hooked = Entry("n-2", "56768", "", store::InboundTarget::kWebhook);
  hooked.callback = R"({"url":"https://h/mo"})";
  ASSERT_TRUE(inbound_numbers().CreateInboundNumber(hooked));
  auto listed = inbound_numbers().GetInboundNumber(kSid, "n-1");
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(listed->target, store::InboundTarget::kSmpp) << "the target is kept";

  // A receipt first, then an MO, then another receipt: one order for both kinds.
  ASSERT_TRUE(
      messages().Enqueue(std::vector<core::Message>{OverSmpp("a:1", 0x01), OverSmpp("a:2", 0x01)}));
  ASSERT_TRUE(deliveries().Cancel(kSid, "a:1", TestTime(1000)));
  const uint64_t version = smpp_outbox().SmppOutboxVersion(kSid);
  auto mo = inbound().AddInboundPart(Mo("56767", "JOIN now", 1100), TestTime(), AsText);
  ASSERT_TRUE(mo) << mo.error().message;
  ASSERT_EQ(mo->outcome, store::InboundPartOutcome::kStored);
  EXPECT_NE(smpp_outbox().SmppOutboxVersion(kSid), version) << "wakes the account's sessions";
  ASSERT_TRUE(deliveries().Cancel(kSid, "a:2", TestTime(1200)));
  // To the webhook entry: a webhook, no row.
  auto hooked_mo = inbound().AddInboundPart(Mo("56768", "Hi", 1300), TestTime(), AsText);
  ASSERT_TRUE(hooked_mo) << hooked_mo.error().message;

  const std::vector<SmppOutboxJob> jobs = f.Claim(kSid, 2000);
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[0].kind, store::SmppOutboxKind::kReceipt);
  EXPECT_EQ(jobs[0].message_id, "a:1");
  const SmppOutboxJob& job = jobs[1];
  EXPECT_EQ(job.kind, store::SmppOutboxKind::kMo);
  EXPECT_EQ(job.sid, kSid);
  EXPECT_EQ(job.message_id, mo->message_id);
  EXPECT_EQ(job.sender, "14155550100") << "the handset";
  EXPECT_EQ(job.recipient, "56767") << "the number";
  EXPECT_EQ(job.body, "JOIN now");
  EXPECT_EQ(job.at, TestTime(1100));
  EXPECT_EQ(job.attempts, 0);
  EXPECT_EQ(jobs[2].message_id, "a:2");

  auto of_mo = webhooks().WebhooksOf(kSid, mo->message_id);
  ASSERT_TRUE(of_mo) << of_mo.error().message;
  EXPECT_THAT(*of_mo, IsEmpty()) << "SMPP instead of a webhook";
  auto of_hooked = webhooks().WebhooksOf(kSid, hooked_mo->message_id);
  ASSERT_TRUE(of_hooked) << of_hooked.error().message;
  EXPECT_EQ(of_hooked->size(), 1u);
  EXPECT_EQ(f.Count(), 3u);
  ASSERT_TRUE(smpp_outbox().FinishSmppOutbox(RowIds(jobs)));
  EXPECT_EQ(f.Count(), 0u);
}

TEST_P(SmppOutboxStoreContract, AnMoWithoutAMatchingSmppEntryWritesNoRow) {
  CreateAccounts(accounts());
  SmppOutboxFixture f(messages(), deliveries(), smpp_outbox());
  ASSERT_TRUE(inbound_numbers().CreateInboundNumber(
      Entry("n-1", "56767", "JOIN", store::InboundTarget::kSmpp)));
  // Another keyword on the number, and a number nobody has: no entry matches.
  auto other = inbound().AddInboundPart(Mo("56767", "STOP", 1000), TestTime(), AsText);
  ASSERT_TRUE(other) << other.error().message;
  auto unknown = inbound().AddInboundPart(Mo("99999", "JOIN", 1000), TestTime(), AsText);
  ASSERT_TRUE(unknown) << unknown.error().message;
  EXPECT_EQ(f.Count(), 0u);
  auto joined = inbound().AddInboundPart(Mo("56767", "join us", 1100), TestTime(), AsText);
  ASSERT_TRUE(joined) << joined.error().message;
  EXPECT_THAT(MessageIds(f.Claim(kSid, 2000)), ElementsAre(joined->message_id));
  EXPECT_EQ(f.Count(kOtherSid), 0u);
}

TEST_P(SmppOutboxStoreContract, RowsOutliveARestart) {
  CreateAccounts(accounts());
  ASSERT_TRUE(messages().Enqueue(std::vector<core::Message>{OverSmpp("a:1", 0x01)}));
  ASSERT_TRUE(deliveries().Cancel(kSid, "a:1", TestTime(1000)));
  {
    SmppOutboxFixture f(messages(), deliveries(), smpp_outbox());
    ASSERT_EQ(f.Claim(kSid, 2000).size(), 1u);  // in flight when the process dies
  }
  Reopen();
  SmppOutboxFixture f(messages(), deliveries(), smpp_outbox());
  EXPECT_EQ(f.Count(), 1u);
  EXPECT_THAT(MessageIds(f.Claim(kSid, 2000 + kLease.count())), ElementsAre("a:1"));
}

// A receipt of a message submitted through a credential carries the credential's id format (the
// id its submit_sm_resp gave is the one the receipt must show). The format's read-back is in
// smpp_credential_contract.cpp.
TEST_P(SmppOutboxStoreContract, SmppCredentialIdFormatReachesItsReceipts) {
  CreateAccounts(accounts());
  store::SmppCredential decimal{"dec", kSid, TestTime(), {}, {}, {}};
  decimal.id_format = store::SmppIdFormat::kDecimal;
  ASSERT_TRUE(smpp_credentials().AddSmppCredential(decimal, "salt", "hash"));
  ASSERT_TRUE(
      smpp_credentials().AddSmppCredential({"hex", kSid, TestTime(), {}, {}, {}}, "salt", "hash"));
  std::vector<core::Message> batch;
  for (const char* system_id : {"dec", "hex"}) {
    core::Message m = OverSmpp(std::string(system_id) + ":1", 0x01);
    m.smpp_system_id = system_id;
    batch.push_back(std::move(m));
  }
  ASSERT_TRUE(messages().Enqueue(batch));
  for (const core::Message& m : batch) {
    ASSERT_TRUE(deliveries().Cancel(kSid, m.id, TestTime(1000)));
  }
  SmppOutboxFixture f(messages(), deliveries(), smpp_outbox());
  const std::vector<SmppOutboxJob> jobs = f.Claim(kSid, 2000);
  ASSERT_THAT(MessageIds(jobs), ElementsAre("dec:1", "hex:1"));
  EXPECT_EQ(jobs[0].id_format, store::SmppIdFormat::kDecimal);
  EXPECT_EQ(jobs[1].id_format, store::SmppIdFormat::kHex);
}

// Sessions of two nodes bound for one account claim its outbox at the same moment: each row goes
// to one of them. A store that reads the due rows without locking them gives both the same rows.
TEST_P(SmppOutboxStoreContract, TwoInstancesClaimingOneAccountTakeEachRowOnce) {
  auto other = OpenAnother();
  ASSERT_NE(other, nullptr);
  CreateAccounts(accounts());
  SmppOutboxFixture here(messages(), deliveries(), smpp_outbox());
  SmppOutboxFixture there(other->messages(), other->deliveries(), other->smpp_outbox());
  for (int round = 0; round < 10; ++round) {
    std::vector<core::Message> batch;
    for (int i = 0; i < 20; ++i) {
      batch.push_back(OverSmpp("r" + std::to_string(round) + "-" + std::to_string(i) + ":1", 0x01));
    }
    ASSERT_TRUE(messages().Enqueue(batch));
    for (const core::Message& m : batch) {
      ASSERT_TRUE(deliveries().Cancel(kSid, m.id, TestTime(1000)));
    }
    std::vector<SmppOutboxJob> a, b;
    const int64_t now = 2000 + round;
    AtOnce([&] { a = here.Claim(kSid, now, 100, "node-a"); },
           [&] { b = there.Claim(kSid, now, 100, "node-b"); });
    std::vector<int64_t> ids = RowIds(a);
    const std::vector<int64_t> theirs = RowIds(b);
    ids.insert(ids.end(), theirs.begin(), theirs.end());
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(ids.size(), batch.size()) << "round " << round;
    EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end()) << "round " << round;
    EXPECT_TRUE(std::is_sorted(a.begin(), a.end(), [](const auto& x, const auto& y) {
      return x.id < y.id;
    })) << "each claim in id order";
    ASSERT_TRUE(smpp_outbox().FinishSmppOutbox(ids));
  }
}

}  // namespace
}  // namespace smsgw::store_contract
