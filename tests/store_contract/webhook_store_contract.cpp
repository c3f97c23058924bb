// The WebhookStore half of the store contract (see store_contract.h): status webhooks written with
// the events of messages that have somewhere to report to, claimed with a lease, attempts and what
// follows them, replays, listing and counts.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "fakes/collecting_handoff.h"
#include "store_contract/store_contract.h"

namespace smsgw::store_contract {
namespace {

using core::MessageState;
using store::WebhookJob;
using store::WebhookKind;
using store::WebhookState;
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

store::CallbackProfile Profile(std::string id, std::string sid, bool is_default) {
  store::CallbackProfile p;
  p.id = std::move(id);
  p.sid = std::move(sid);
  p.url = "https://hooks.example.com/";
  p.method = "POST";
  p.is_default = is_default;
  p.created_at = p.updated_at = TestTime();
  return p;
}

core::Message WithTarget(std::string id, std::string callback, std::string profile_id,
                         std::string sid = kSid) {
  core::Message m = TestMessage(std::move(id), std::move(sid));
  m.callback = std::move(callback);
  m.callback_profile_id = std::move(profile_id);
  return m;
}

class Webhooks {
 public:
  explicit Webhooks(store::WebhookStore& store) : store_(store) {}

  std::vector<WebhookJob> Claim(std::string_view owner, int64_t now_ms, size_t limit = 100) {
    auto claimed = store_.ClaimWebhooks(owner, TestTime(now_ms), kLease, limit);
    EXPECT_TRUE(claimed) << claimed.error().message;
    return claimed ? std::move(*claimed) : std::vector<WebhookJob>();
  }

  std::vector<store::WebhookSummary> Of(std::string_view subject, std::string_view sid = kSid) {
    auto of = store_.WebhooksOf(sid, subject);
    EXPECT_TRUE(of) << of.error().message;
    return of ? std::move(*of) : std::vector<store::WebhookSummary>();
  }

  store::WebhookCounts Counts() {
    auto counts = store_.CountWebhooks();
    EXPECT_TRUE(counts) << counts.error().message;
    return counts ? *counts : store::WebhookCounts{};
  }

 private:
  store::WebhookStore& store_;
};

// Enqueues `messages` and cancels each at `at_ms`: one NotSent event (and webhook, with a target)
// per message.
void EnqueueAndCancel(store::MessageStore& messages, store::DeliveryStore& deliveries,
                      std::vector<core::Message> batch, int64_t at_ms = 1000) {
  ASSERT_TRUE(messages.Enqueue(batch));
  for (const core::Message& m : batch) {
    ASSERT_TRUE(deliveries.Cancel(m.sid, m.id, TestTime(at_ms)));
  }
}

std::vector<std::string> SubjectIds(const std::vector<WebhookJob>& jobs) {
  std::vector<std::string> ids;
  for (const WebhookJob& job : jobs) {
    ids.push_back(job.kind == WebhookKind::kStatus ? job.message.id : job.inbound.message.id);
  }
  return ids;
}

store::WebhookAttempt Attempt(std::string event_id, int64_t at_ms, int http_status,
                              std::string error, std::optional<int64_t> retry_ms = std::nullopt) {
  store::WebhookAttempt a;
  a.event_id = std::move(event_id);
  a.at = TestTime(at_ms);
  a.latency = std::chrono::milliseconds(25);
  a.http_status = http_status;
  a.error = std::move(error);
  if (retry_ms) {
    a.retry_at = TestTime(*retry_ms);
  }
  return a;
}

TEST_P(WebhookStoreContract, EachStatusEventGetsAWebhookOnlyWhenItHasATarget) {
  CreateAccounts(accounts());
  Webhooks w(webhooks());
  // Delivered through parts and a receipt: Sent, then Delivered.
  ASSERT_TRUE(messages().Enqueue(std::vector<core::Message>{
      WithTarget("inline:1", R"({"url":"https://a.example.com/"})", ""),
      WithTarget("profile:1", "", "IN_p"), TestMessage("none:1", kSid)}));
  auto claims = deliveries().ClaimDue("node", TestTime(100), kLease, 10);
  ASSERT_TRUE(claims);
  ASSERT_EQ(claims->size(), 3u);
  std::vector<store::PartAccepted> parts;
  std::vector<store::ReceiptRecord> receipts;
  for (const store::Claim& c : *claims) {
    const std::string smsc_id = "smsc-" + c.message.id;
    parts.push_back({c.message.id, 1, 1, "smsc-a", smsc_id, smsc_id, TestTime(200)});
    receipts.push_back(
        {"smsc-a", smsc_id, core::PartState::kDelivered, "DELIVRD", "000", TestTime(300)});
  }
  ASSERT_TRUE(deliveries().RecordAccepted(parts));
  ASSERT_TRUE(deliveries().ApplyReceipts(receipts));

  for (const char* id : {"inline:1", "profile:1"}) {
    auto detail = message_log().GetDetail(kSid, id);
    ASSERT_TRUE(detail);
    ASSERT_EQ(detail->history.size(), 2u);
    const auto hooks = w.Of(id);
    ASSERT_EQ(hooks.size(), 2u) << id;
    for (size_t i = 0; i < 2; ++i) {
      EXPECT_EQ(hooks[i].event_id, detail->history[i].event_id) << "the event's id";
      EXPECT_EQ(hooks[i].kind, WebhookKind::kStatus);
      EXPECT_EQ(hooks[i].subject_id, id);
      EXPECT_EQ(hooks[i].state, WebhookState::kPending);
      EXPECT_EQ(hooks[i].attempts, 0);
      EXPECT_EQ(hooks[i].next_attempt_at, detail->history[i].at);
    }
  }
  EXPECT_THAT(w.Of("none:1"), IsEmpty()) << "no callback and no default profile";
  EXPECT_EQ(w.Counts().pending, 4u);

  // A default profile gives every later event of the account a target.
  ASSERT_TRUE(callback_profiles().CreateCallbackProfile(Profile("IN_default", kSid, true)));
  EnqueueAndCancel(messages(), deliveries(),
                   {TestMessage("default:1", kSid), TestMessage("other:1", kOtherSid)});
  EXPECT_EQ(w.Of("default:1").size(), 1u);
  EXPECT_THAT(w.Of("other:1", kOtherSid), IsEmpty()) << "the other account has no default";
  EXPECT_THAT(w.Of("default:1", kOtherSid), IsEmpty()) << "another account's subject";
}

TEST_P(WebhookStoreContract, TheTargetIsResolvedWhenTheRowIsWritten) {
  CreateAccounts(accounts());
  ASSERT_TRUE(callback_profiles().CreateCallbackProfile(Profile("IN_default", kSid, true)));
  EnqueueAndCancel(messages(), deliveries(),
                   {WithTarget("inline:1", R"({"url":"https://a.example.com/"})", "IN_p"),
                    WithTarget("profile:1", "", "IN_p"), TestMessage("default:1", kSid)});
  // Another default later changes nothing already written.
  ASSERT_TRUE(callback_profiles().CreateCallbackProfile(Profile("IN_later", kSid, true)));
  Webhooks w(webhooks());
  std::map<std::string, WebhookJob> jobs;
  for (WebhookJob& job : w.Claim("node", 2000)) {
    jobs.emplace(job.message.id, std::move(job));
  }
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs["inline:1"].callback, R"({"url":"https://a.example.com/"})");
  EXPECT_EQ(jobs["inline:1"].callback_profile_id, "");
  EXPECT_EQ(jobs["profile:1"].callback, "");
  EXPECT_EQ(jobs["profile:1"].callback_profile_id, "IN_p");
  EXPECT_EQ(jobs["default:1"].callback, "");
  EXPECT_EQ(jobs["default:1"].callback_profile_id, "IN_default");
}

// A job for the status webhook of "a:1" (profile IN_p, account secret "whsec_1") cancelled at
// 1500: what a claim and a handoff both carry.
void ExpectTheCancelOfA1(store::MessageLog& log, const WebhookJob& job) {
  auto detail = log.GetDetail(kSid, "a:1");
  ASSERT_TRUE(detail);
  ASSERT_EQ(detail->history.size(), 1u);
  EXPECT_EQ(job.event_id, detail->history[0].event_id);
  EXPECT_EQ(job.kind, WebhookKind::kStatus);
  EXPECT_EQ(job.sid, kSid);
  EXPECT_EQ(job.tries, 0);
  EXPECT_EQ(job.run_started_at, TestTime(1500));
  EXPECT_EQ(job.secret, "whsec_1");
  EXPECT_EQ(job.message.id, "a:1");
  EXPECT_EQ(job.message.sid, kSid);
  EXPECT_EQ(job.message.request_id, detail->message.request_id);
  EXPECT_EQ(job.message.recipient, detail->message.recipient);
  EXPECT_EQ(job.message.sender, detail->message.sender);
  EXPECT_EQ(job.message.segments, detail->message.segments);
  EXPECT_EQ(job.message.ref_custom, detail->message.ref_custom);
  EXPECT_EQ(job.message.status_details, "CANCELLED") << "the message as its change left it";
  EXPECT_EQ(job.message.state, MessageState::kNotSent);
  EXPECT_EQ(job.event.event_id, job.event_id);
  EXPECT_EQ(job.event.message_id, "a:1");
  EXPECT_EQ(job.event.sid, kSid);
  EXPECT_EQ(job.event.state, MessageState::kNotSent);
  EXPECT_EQ(job.event.details, "CANCELLED");
  EXPECT_EQ(job.event.at, TestTime(1500));
}

TEST_P(WebhookStoreContract, AClaimCarriesTheMessageItsEventAndTheSecret) {
  CreateAccounts(accounts());
  ASSERT_TRUE(accounts().SetWebhookSecret(kSid, "whsec_1"));
  EnqueueAndCancel(messages(), deliveries(), {WithTarget("a:1", "", "IN_p")}, 1500);
  auto jobs = Webhooks(webhooks()).Claim("node", 2000);
  ASSERT_EQ(jobs.size(), 1u);
  const WebhookJob& job = jobs[0];
  ExpectTheCancelOfA1(message_log(), job);

  // The secret is read with each claim; removing it leaves the next claims unsigned.
  auto settings = accounts().GetSettings(kSid);
  ASSERT_TRUE(settings);
  EXPECT_TRUE(settings->has_webhook_secret);
  ASSERT_TRUE(accounts().SetWebhookSecret(kSid, std::nullopt));
  settings = accounts().GetSettings(kSid);
  ASSERT_TRUE(settings);
  EXPECT_FALSE(settings->has_webhook_secret);
  EXPECT_EQ(accounts().SetWebhookSecret("HXXX0000000009XX", "x").error().code,
            core::Errc::kNotFound);
  ASSERT_TRUE(webhooks().ReplayWebhook(kSid, job.event_id, TestTime(3000)));
  auto again = Webhooks(webhooks()).Claim("node", 3000);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].secret, "");
}

using fakes::CollectingHandoff;

TEST_P(WebhookStoreContract, AHandoffGetsStatusWebhooksClaimedWithoutAClaim) {
  CreateAccounts(accounts());
  ASSERT_TRUE(accounts().SetWebhookSecret(kSid, "whsec_1"));
  CollectingHandoff handoff;
  webhooks().SetWebhookHandoff(&handoff, "node", kLease);
  EnqueueAndCancel(messages(), deliveries(),
                   {WithTarget("a:1", "", "IN_p"), WithTarget("b:1", "", "")}, 1500);
  ASSERT_EQ(handoff.taken.size(), 1u) << "b has nowhere to report to";
  ExpectTheCancelOfA1(message_log(), handoff.taken[0]);
  EXPECT_EQ(handoff.taken[0].callback_profile_id, "IN_p");

  // Written claimed by the handoff's owner: nobody claims it during the lease, its owner not
  // even after (it is in flight there), another owner after the lease.
  Webhooks w(webhooks());
  EXPECT_THAT(w.Claim("other", 2000), IsEmpty());
  EXPECT_THAT(w.Claim("node", 1500 + kLease.count() + 1), IsEmpty());
  EXPECT_THAT(SubjectIds(w.Claim("other", 1500 + kLease.count() + 1)), ElementsAre("a:1"));
  EXPECT_EQ(w.Counts().pending, 1u);

  // Cleared: status webhooks are pending rows again, and nothing more is handed over.
  webhooks().ClearWebhookHandoff(&handoff);
  EnqueueAndCancel(messages(), deliveries(), {WithTarget("c:1", "", "IN_p")}, 5000);
  EXPECT_EQ(handoff.taken.size(), 1u);
  EXPECT_THAT(SubjectIds(w.Claim("node", 5000)), ElementsAre("c:1"));
}

TEST_P(WebhookStoreContract, ClaimsAreLeasedAndAnOwnerDoesNotTakeItsOwnBack) {
  CreateAccounts(accounts());
  std::vector<core::Message> batch;
  for (int i = 1; i <= 5; ++i) {
    batch.push_back(WithTarget("m" + std::to_string(i) + ":1", "", "IN_p"));
  }
  ASSERT_TRUE(messages().Enqueue(batch));
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(deliveries().Cancel(kSid, batch[i - 1].id, TestTime(1000 + i)));
  }
  // Owners are "<node>/<life>" (store::OwnerNode): a, b and c are three lives of node n.
  Webhooks w(webhooks());
  EXPECT_THAT(w.Claim("n/a", 1000), IsEmpty()) << "none due yet";
  EXPECT_THAT(SubjectIds(w.Claim("n/a", 5000, 2)), ElementsAre("m1:1", "m2:1")) << "oldest first";
  EXPECT_THAT(SubjectIds(w.Claim("n/b", 5000)), ElementsAre("m3:1", "m4:1", "m5:1"));
  EXPECT_THAT(w.Claim("n/a", 5000), IsEmpty()) << "all leased";
  const int64_t expired = 5000 + kLease.count() + 1;
  // Rows claimed together share their lease's end, so their order among themselves is open.
  EXPECT_THAT(SubjectIds(w.Claim("n/a", expired)), UnorderedElementsAre("m3:1", "m4:1", "m5:1"))
      << "b's lease ran out; a's own expired claims stay with a";
  EXPECT_THAT(SubjectIds(w.Claim("n/b", expired)), UnorderedElementsAre("m1:1", "m2:1"));
  EXPECT_EQ(w.Counts().pending, 5u) << "claimed rows are still pending";

  // Release hands back the claims of the keeper's node's other lives, due at once; never another
  // node's.
  auto foreign = webhooks().ReleaseWebhookClaims("m/x", TestTime(expired + 1));
  ASSERT_TRUE(foreign);
  EXPECT_EQ(*foreign, 0u) << "node m holds none";
  auto released = webhooks().ReleaseWebhookClaims("n/a", TestTime(expired + 1));
  ASSERT_TRUE(released);
  EXPECT_EQ(*released, 2u);
  EXPECT_THAT(SubjectIds(w.Claim("n/c", expired + 1)), UnorderedElementsAre("m1:1", "m2:1"));
  auto none = webhooks().ReleaseWebhookClaims("n/c", TestTime(expired + 2));
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, 3u) << "a's three";
}

TEST_P(WebhookStoreContract, DeferGivesClaimsBackWithoutAnAttempt) {
  CreateAccounts(accounts());
  EnqueueAndCancel(messages(), deliveries(),
                   {WithTarget("a:1", "", "IN_p"), WithTarget("b:1", "", "IN_p")});
  Webhooks w(webhooks());
  auto jobs = w.Claim("a", 2000);
  ASSERT_EQ(jobs.size(), 2u);
  const std::vector<std::string> ids = {jobs[0].event_id, "no-such-event"};
  ASSERT_TRUE(webhooks().DeferWebhooks(ids, TestTime(9000)));
  EXPECT_THAT(w.Claim("a", 8999), IsEmpty());
  const std::string deferred = jobs[0].message.id;
  EXPECT_THAT(SubjectIds(w.Claim("a", 9000)), ElementsAre(deferred)) << "unclaimed: a takes it";
  const auto hooks = w.Of(deferred);
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(hooks[0].attempts, 0);
  EXPECT_THAT(hooks[0].attempt_log, IsEmpty());
}

TEST_P(WebhookStoreContract, AttemptsDecideWhatFollowsAndAreNumberedForLife) {
  CreateAccounts(accounts());
  EnqueueAndCancel(messages(), deliveries(),
                   {WithTarget("ok:1", "", "IN_p"), WithTarget("retry:1", "", "IN_p"),
                    WithTarget("gone:1", "", "IN_p")});
  Webhooks w(webhooks());
  std::map<std::string, std::string> event_of;
  for (const WebhookJob& job : w.Claim("node", 2000)) {
    event_of[job.message.id] = job.event_id;
  }
  ASSERT_EQ(event_of.size(), 3u);
  const std::vector<store::WebhookAttempt> first = {
      Attempt(event_of["ok:1"], 2000, 200, ""),
      Attempt(event_of["retry:1"], 2000, 500, "HTTP 500", 12'000),
      Attempt(event_of["gone:1"], 2000, 0, "callback profile deleted"),
      Attempt("no-such-event", 2000, 200, "")};
  ASSERT_TRUE(webhooks().RecordWebhookAttempts(first));

  auto ok = w.Of("ok:1");
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_EQ(ok[0].state, WebhookState::kDelivered);
  EXPECT_EQ(ok[0].attempts, 1);
  EXPECT_EQ(ok[0].next_attempt_at, std::nullopt);
  EXPECT_TRUE(ok[0].finished_at);
  ASSERT_EQ(ok[0].attempt_log.size(), 1u);
  EXPECT_EQ(ok[0].attempt_log[0].n, 1);
  EXPECT_EQ(ok[0].attempt_log[0].at, TestTime(2000));
  EXPECT_EQ(ok[0].attempt_log[0].latency, std::chrono::milliseconds(25));
  EXPECT_EQ(ok[0].attempt_log[0].http_status, 200);
  EXPECT_EQ(ok[0].attempt_log[0].error, "");

  auto gone = w.Of("gone:1");
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0].state, WebhookState::kExhausted);
  EXPECT_EQ(gone[0].last_error, "callback profile deleted");
  EXPECT_TRUE(gone[0].finished_at);

  auto retry = w.Of("retry:1");
  ASSERT_EQ(retry.size(), 1u);
  EXPECT_EQ(retry[0].state, WebhookState::kPending);
  EXPECT_EQ(retry[0].last_error, "HTTP 500");
  EXPECT_EQ(retry[0].next_attempt_at, TestTime(12'000));
  EXPECT_EQ(w.Counts().pending, 1u);
  EXPECT_EQ(w.Counts().delivered, 1u);
  EXPECT_EQ(w.Counts().exhausted, 1u);

  // Due again at its retry time, the same owner may take it (no longer claimed), tries counted.
  EXPECT_THAT(w.Claim("node", 11'999), IsEmpty());
  auto again = w.Claim("node", 12'000);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].tries, 1);
  EXPECT_EQ(again[0].run_started_at, TestTime(1000));
  ASSERT_TRUE(webhooks().RecordWebhookAttempts(
      std::vector{Attempt(event_of["retry:1"], 12'000, 0, "timeout")}));
  retry = w.Of("retry:1");
  ASSERT_EQ(retry.size(), 1u);
  EXPECT_EQ(retry[0].state, WebhookState::kExhausted);
  EXPECT_EQ(retry[0].attempts, 2);
  ASSERT_EQ(retry[0].attempt_log.size(), 2u);
  EXPECT_EQ(retry[0].attempt_log[1].n, 2);
  EXPECT_EQ(retry[0].attempt_log[1].error, "timeout");

  // A late attempt on a finished webhook is logged and changes nothing else.
  ASSERT_TRUE(webhooks().RecordWebhookAttempts(
      std::vector{Attempt(event_of["ok:1"], 3000, 500, "HTTP 500", 9000)}));
  ok = w.Of("ok:1");
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_EQ(ok[0].state, WebhookState::kDelivered);
  EXPECT_EQ(ok[0].last_error, "");
  ASSERT_EQ(ok[0].attempt_log.size(), 2u);
  EXPECT_EQ(ok[0].attempt_log[1].n, 2);
  EXPECT_EQ(w.Counts().pending, 0u);
}

TEST_P(WebhookStoreContract, ReplayStartsANewRunAndContinuesTheCount) {
  CreateAccounts(accounts());
  EnqueueAndCancel(messages(), deliveries(), {WithTarget("a:1", "", "IN_p")});
  Webhooks w(webhooks());
  auto jobs = w.Claim("node", 2000);
  ASSERT_EQ(jobs.size(), 1u);
  const std::string event_id = jobs[0].event_id;
  ASSERT_TRUE(webhooks().RecordWebhookAttempts(
      std::vector{Attempt(event_id, 2000, 500, "HTTP 500", 3000)}));
  ASSERT_TRUE(
      webhooks().RecordWebhookAttempts(std::vector{Attempt(event_id, 3000, 404, "HTTP 404")}));
  ASSERT_EQ(w.Of("a:1")[0].state, WebhookState::kExhausted);

  EXPECT_EQ(webhooks().ReplayWebhook(kOtherSid, event_id, TestTime(5000)).error().code,
            core::Errc::kNotFound);
  EXPECT_EQ(webhooks().ReplayWebhook(kSid, "no-such-event", TestTime(5000)).error().code,
            core::Errc::kNotFound);
  ASSERT_TRUE(webhooks().ReplayWebhook(kSid, event_id, TestTime(5000)));
  auto hooks = w.Of("a:1");
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(hooks[0].state, WebhookState::kPending);
  EXPECT_EQ(hooks[0].next_attempt_at, TestTime(5000));
  EXPECT_EQ(hooks[0].finished_at, std::nullopt);
  auto replayed = w.Claim("node", 5000);
  ASSERT_EQ(replayed.size(), 1u);
  EXPECT_EQ(replayed[0].tries, 0);
  EXPECT_EQ(replayed[0].run_started_at, TestTime(5000));
  ASSERT_TRUE(webhooks().RecordWebhookAttempts(std::vector{Attempt(event_id, 5000, 204, "")}));
  hooks = w.Of("a:1");
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(hooks[0].state, WebhookState::kDelivered);
  EXPECT_EQ(hooks[0].attempts, 3);
  ASSERT_EQ(hooks[0].attempt_log.size(), 3u);
  EXPECT_EQ(hooks[0].attempt_log[2].n, 3);
  EXPECT_EQ(hooks[0].attempt_log[2].http_status, 204);
}

TEST_P(WebhookStoreContract, ListingPagesAnAccountsWebhooksInAStateNewestFirst) {
  CreateAccounts(accounts());
  std::vector<core::Message> batch;
  for (int i = 1; i <= 5; ++i) {
    batch.push_back(WithTarget("m" + std::to_string(i) + ":1", "", "IN_p"));
  }
  batch.push_back(WithTarget("other:1", "", "SG_p", kOtherSid));
  ASSERT_TRUE(messages().Enqueue(batch));
  // m1 and m2 share a time: ties break by event id, still newest first.
  const int64_t at[] = {1000, 1000, 2000, 3000, 4000, 4000};
  for (size_t i = 0; i < batch.size(); ++i) {
    ASSERT_TRUE(deliveries().Cancel(batch[i].sid, batch[i].id, TestTime(at[i])));
  }
  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto page = webhooks().ListWebhooks(kSid, WebhookState::kPending, cursor, 2);
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_LE(page->webhooks.size(), 2u);
    for (const store::WebhookSummary& s : page->webhooks) {
      seen.push_back(s.subject_id);
    }
    cursor = page->next_cursor;
    ASSERT_LT(++pages, 10);
  } while (!cursor.empty());
  EXPECT_EQ(pages, 3);
  // Of the tie, the greater event id comes first.
  const bool m2_first = Webhooks(webhooks()).Of("m2:1").at(0).event_id >
                        Webhooks(webhooks()).Of("m1:1").at(0).event_id;
  EXPECT_THAT(seen, ElementsAre("m5:1", "m4:1", "m3:1", m2_first ? "m2:1" : "m1:1",
                                m2_first ? "m1:1" : "m2:1"));

  auto delivered = webhooks().ListWebhooks(kSid, WebhookState::kDelivered, "", 10);
  ASSERT_TRUE(delivered);
  EXPECT_THAT(delivered->webhooks, IsEmpty());
  EXPECT_EQ(delivered->next_cursor, "");
  EXPECT_EQ(webhooks().ListWebhooks(kSid, WebhookState::kPending, "garbage", 2).error().code,
            core::Errc::kInvalidArgument);
  EXPECT_EQ(webhooks().ListWebhooks(kSid, WebhookState::kPending, "", 0).error().code,
            core::Errc::kInvalidArgument);
  EXPECT_EQ(Webhooks(webhooks()).Counts().pending, 6u);
}

// Two nodes claiming at once: each webhook goes to one of them. A store that reads the due rows
// and then claims them, without locking, hands some to both.
TEST_P(WebhookStoreContract, TwoInstancesClaimingAtOnceTakeEachWebhookOnce) {
  CreateAccounts(accounts());
  auto other = OpenAnother();
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(other->webhooks().CountWebhooks());  // connected, as the other is by now
  for (int round = 0; round < 10; ++round) {
    std::vector<core::Message> batch;
    for (int i = 0; i < 8; ++i) {
      batch.push_back(
          WithTarget("r" + std::to_string(round) + "m" + std::to_string(i) + ":1", "", "IN_p"));
    }
    const int64_t at = 1000 * (round + 1);
    EnqueueAndCancel(messages(), deliveries(), batch, at);
    std::vector<WebhookJob> mine, theirs;
    AtOnce([&] { mine = Webhooks(webhooks()).Claim("node-a", at); },
           [&] { theirs = Webhooks(other->webhooks()).Claim("node-b", at); });
    std::set<std::string> claimed;
    for (const auto* jobs : {&mine, &theirs}) {
      for (const WebhookJob& job : *jobs) {
        EXPECT_TRUE(claimed.insert(job.event_id).second) << "claimed twice, round " << round;
      }
    }
    EXPECT_EQ(claimed.size(), batch.size()) << "round " << round;
  }
}

// Two nodes recording attempts for one webhook at once (a replayed webhook sent again while an
// earlier send's answer is recorded): every attempt is logged, numbered one after the other. A
// store that reads the count and then writes count + 1 numbers two attempts alike.
TEST_P(WebhookStoreContract, TwoInstancesRecordingAttemptsForOneWebhookNumberEachOnce) {
  CreateAccounts(accounts());
  auto other = OpenAnother();
  ASSERT_NE(other, nullptr);
  EnqueueAndCancel(messages(), deliveries(), {WithTarget("a:1", "", "IN_p")});
  auto jobs = Webhooks(webhooks()).Claim("node", 2000);
  ASSERT_EQ(jobs.size(), 1u);
  const std::string event_id = jobs[0].event_id;
  constexpr int kEach = 40;
  auto record = [&](store::WebhookStore& store, int64_t at_ms) {
    for (int i = 0; i < kEach; ++i) {
      auto recorded = store.RecordWebhookAttempts(
          std::vector{Attempt(event_id, at_ms + i, 500, "HTTP 500", 1'000'000)});
      EXPECT_TRUE(recorded) << recorded.error().message;
    }
  };
  // Each instance connected already, so that neither finishes before the other starts.
  ASSERT_TRUE(other->webhooks().CountWebhooks());
  AtOnce([&] { record(webhooks(), 3000); }, [&] { record(other->webhooks(), 5000); });
  const auto hooks = Webhooks(webhooks()).Of("a:1");
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(hooks[0].attempts, 2 * kEach);
  ASSERT_EQ(hooks[0].attempt_log.size(), 2u * kEach);
  for (int n = 1; n <= 2 * kEach; ++n) {
    EXPECT_EQ(hooks[0].attempt_log[n - 1].n, n);
  }
  EXPECT_EQ(hooks[0].state, WebhookState::kPending);
}

}  // namespace
}  // namespace smsgw::store_contract
