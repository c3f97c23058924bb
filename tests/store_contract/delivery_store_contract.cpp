// The DeliveryStore half of the store contract (see store_contract.h): claiming, parts, receipts,
// failures and cancels, read back through MessageStore and MessageLog.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "store_contract/store_contract.h"

namespace smsgw::store_contract {
namespace {

using core::MessageState;
using core::RouteType;
using store::ReceiptOutcome;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kSid[] = "HXIN0000000001IN";
constexpr char kOtherSid[] = "HXSG0000000002SG";
constexpr std::chrono::milliseconds kLease = std::chrono::seconds(30);
constexpr int64_t kMinute = 60'000;

// A waiting message of `type` created `created_ms` after TestTime(); scheduled when `send_ms`.
core::Message Waiting(std::string id, RouteType type = RouteType::kOtp, int64_t created_ms = 0,
                      std::optional<int64_t> send_ms = std::nullopt) {
  core::Message m = TestMessage(std::move(id), kSid);
  m.type = type;
  m.created_at = TestTime(created_ms);
  if (send_ms) {
    m.send_at = TestTime(*send_ms);
    m.state = MessageState::kScheduled;
    m.status_details = "SCHEDULED";
  }
  return m;
}

store::PartAccepted Accepted(std::string id, int part, int total, std::string smsc_id,
                             int64_t at_ms = 1000, std::string connector = "smsc-a") {
  store::PartAccepted p;
  p.message_id = std::move(id);
  p.part = part;
  p.total_parts = total;
  p.connector = std::move(connector);
  p.smsc_id_raw = "raw-" + smsc_id;
  p.smsc_id = std::move(smsc_id);
  p.at = TestTime(at_ms);
  return p;
}

store::ReceiptRecord Receipt(std::string smsc_id, std::string stat, int64_t at_ms = 5000,
                             std::string connector = "smsc-a") {
  store::ReceiptRecord r;
  r.connector = std::move(connector);
  r.smsc_id = std::move(smsc_id);
  r.state = core::PartStateFromStat(stat);
  r.stat = std::move(stat);
  r.err = r.state == core::PartState::kDelivered ? "000" : "001";
  r.at = TestTime(at_ms);
  return r;
}

store::SubmitFailure Failure(std::string id, std::string reason, int64_t at_ms,
                             std::optional<int64_t> retry_ms = std::nullopt) {
  store::SubmitFailure f;
  f.message_id = std::move(id);
  f.reason = std::move(reason);
  f.at = TestTime(at_ms);
  if (retry_ms) {
    f.retry_at = TestTime(*retry_ms);
  }
  return f;
}

void Enqueue(store::MessageStore& messages, std::vector<core::Message> batch) {
  auto enqueued = messages.Enqueue(batch);
  ASSERT_TRUE(enqueued) << enqueued.error().message;
}

std::vector<store::Claim> Claim(store::DeliveryStore& deliveries, std::string_view owner,
                                int64_t now_ms, size_t limit = 100) {
  auto claimed = deliveries.ClaimDue(owner, TestTime(now_ms), kLease, limit);
  EXPECT_TRUE(claimed) << claimed.error().message;
  return claimed ? std::move(*claimed) : std::vector<store::Claim>();
}

std::vector<std::string> Ids(const std::vector<store::Claim>& claims) {
  std::vector<std::string> ids;
  for (const store::Claim& claim : claims) {
    ids.push_back(claim.message.id);
  }
  return ids;
}

void Record(store::DeliveryStore& deliveries, std::vector<store::PartAccepted> parts) {
  auto recorded = deliveries.RecordAccepted(parts);
  ASSERT_TRUE(recorded) << recorded.error().message;
}

std::vector<ReceiptOutcome> Apply(store::DeliveryStore& deliveries,
                                  std::vector<store::ReceiptRecord> receipts) {
  auto applied = deliveries.ApplyReceipts(receipts);
  EXPECT_TRUE(applied) << applied.error().message;
  return applied ? std::move(*applied) : std::vector<ReceiptOutcome>();
}

void RecordFailures(store::DeliveryStore& deliveries, std::vector<store::SubmitFailure> failures) {
  auto recorded = deliveries.RecordFailures(failures);
  ASSERT_TRUE(recorded) << recorded.error().message;
}

// "<Kaleyra status>:<status_details>" as the status API reads it.
std::string Status(store::MessageLog& log, const std::string& id) {
  auto got = StoredMessage(log, kSid, id);
  EXPECT_TRUE(got) << got.error().message;
  return got ? std::string(core::KaleyraStatus(got->state)) + ":" + got->status_details
             : "<missing>";
}

// "<Kaleyra status>:<details>" of each event, oldest first.
std::vector<std::string> Events(store::MessageLog& log, const std::string& id) {
  auto detail = log.GetDetail(kSid, id);
  EXPECT_TRUE(detail) << detail.error().message;
  std::vector<std::string> out;
  if (detail) {
    for (const store::StatusEvent& e : detail->history) {
      out.push_back(std::string(core::KaleyraStatus(e.state)) + ":" + e.details);
    }
  }
  return out;
}

TEST_P(DeliveryStoreContract, ClaimsByPriorityThenDueTime) {
  Enqueue(messages(),
          {Waiting("mkt:1", RouteType::kMkt, 0), Waiting("txn:1", RouteType::kTxn, 1),
           Waiting("otp:2", RouteType::kOtp, 30), Waiting("otp:1", RouteType::kOtp, 20),
           Waiting("def:1", RouteType::kDefault, 2), Waiting("txnd:1", RouteType::kTxnd, 0)});
  auto first = Claim(deliveries(), "node-a", kMinute, 3);
  EXPECT_THAT(Ids(first), ElementsAre("otp:1", "otp:2", "txnd:1"));
  auto rest = Claim(deliveries(), "node-a", kMinute, 10);
  EXPECT_THAT(Ids(rest), ElementsAre("txn:1", "mkt:1", "def:1"));
  EXPECT_THAT(Claim(deliveries(), "node-a", kMinute), IsEmpty());
  EXPECT_THAT(Claim(deliveries(), "node-a", kMinute, 0), IsEmpty());
}

TEST_P(DeliveryStoreContract, AClaimReturnsTheWholeMessageNowSubmitting) {
  core::Message m = Waiting("req:1");
  m.body = "Your code is 42";
  m.segments = 2;
  Enqueue(messages(), {m});
  auto claims = Claim(deliveries(), "node-a", 0);
  ASSERT_EQ(claims.size(), 1u);
  const store::Claim& claim = claims[0];
  EXPECT_EQ(claim.message.id, "req:1");
  EXPECT_EQ(claim.message.body, "Your code is 42");
  EXPECT_EQ(claim.message.segments, 2);
  EXPECT_EQ(claim.message.recipient, m.recipient);
  EXPECT_EQ(claim.message.state, MessageState::kSubmitting);
  EXPECT_EQ(claim.attempts, 0);
  EXPECT_THAT(claim.parts_done, IsEmpty());
  EXPECT_EQ(claim.connector, "");
  auto stored = StoredMessage(message_log(), kSid, "req:1");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->state, MessageState::kSubmitting);
  EXPECT_EQ(core::KaleyraStatus(stored->state), "Pending");
  EXPECT_THAT(Events(message_log(), "req:1"), IsEmpty()) << "still Pending: no event";
}

TEST_P(DeliveryStoreContract, ScheduledMessagesAreNotClaimedBeforeTheirTime) {
  Enqueue(messages(), {Waiting("later:1", RouteType::kOtp, 0, 10 * kMinute),
                       Waiting("now:1", RouteType::kMkt, 0)});
  EXPECT_THAT(Ids(Claim(deliveries(), "node-a", 10 * kMinute - 1)), ElementsAre("now:1"));
  auto due = Claim(deliveries(), "node-a", 10 * kMinute);
  ASSERT_THAT(Ids(due), ElementsAre("later:1"));
  EXPECT_EQ(due[0].message.send_at, TestTime(10 * kMinute));
  EXPECT_EQ(StoredMessage(message_log(), kSid, "later:1")->state, MessageState::kSubmitting);
}

TEST_P(DeliveryStoreContract, AClaimIsTakenOverOnlyByOthersAfterItsLease) {
  Enqueue(messages(), {Waiting("req:1")});
  ASSERT_EQ(Claim(deliveries(), "node-a", 0).size(), 1u);
  EXPECT_THAT(Claim(deliveries(), "node-b", kLease.count() - 1), IsEmpty()) << "lease still held";
  EXPECT_THAT(Claim(deliveries(), "node-a", kLease.count() + 1), IsEmpty())
      << "node-a's own expired claim is still in flight there";
  auto taken = Claim(deliveries(), "node-b", kLease.count() + 1);
  ASSERT_THAT(Ids(taken), ElementsAre("req:1"));
  EXPECT_EQ(taken[0].message.state, MessageState::kSubmitting);
  EXPECT_THAT(Claim(deliveries(), "node-a", kLease.count() + 2), IsEmpty()) << "node-b's lease";
  EXPECT_THAT(Ids(Claim(deliveries(), "node-a", 2 * kLease.count() + 2)), ElementsAre("req:1"))
      << "node-b's claim ran out in turn";
}

TEST_P(DeliveryStoreContract, ATakenOverClaimSaysWhichPartsAreDoneAndWhere) {
  Enqueue(messages(), {Waiting("req:1")});
  ASSERT_EQ(Claim(deliveries(), "node-a", 0).size(), 1u);
  Record(deliveries(), {Accepted("req:1", 1, 3, "a1", 10), Accepted("req:1", 3, 3, "a3", 12)});
  EXPECT_EQ(Status(message_log(), "req:1"), "Pending:QUEUED") << "part 2 is missing";
  auto taken = Claim(deliveries(), "node-b", kLease.count() + 1);
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_THAT(taken[0].parts_done, ElementsAre(1, 3));
  EXPECT_EQ(taken[0].connector, "smsc-a");
  Record(deliveries(), {Accepted("req:1", 2, 3, "a2", kLease.count() + 5)});
  EXPECT_EQ(Status(message_log(), "req:1"), "Sent:SUBMITTED");
}

// A node restarting ("gw-1/2", its earlier life "gw-1/1") takes back what it held before at once;
// another node's claims ("gw-2/1", alive or not) wait out their lease.
TEST_P(DeliveryStoreContract, ReleaseClaimsFreesTheNodesEarlierLivesClaimsAtOnce) {
  Enqueue(messages(),
          {Waiting("a:1", RouteType::kOtp, 0), Waiting("a:2", RouteType::kOtp, 1),
           Waiting("mine:1", RouteType::kOtp, 2), Waiting("done:1", RouteType::kOtp, 3),
           Waiting("other:1", RouteType::kOtp, 4), Waiting("queued:1", RouteType::kMkt, 5)});
  ASSERT_EQ(Claim(deliveries(), "gw-1/1", 10, 2).size(), 2u);
  ASSERT_EQ(Claim(deliveries(), "gw-1/2", 10, 1).size(), 1u);
  ASSERT_EQ(Claim(deliveries(), "gw-1/1", 10, 1).size(), 1u);
  ASSERT_EQ(Claim(deliveries(), "gw-2/1", 10, 1).size(), 1u);
  Record(deliveries(), {Accepted("done:1", 1, 1, "d1", 11)});

  auto released = deliveries().ReleaseClaims("gw-1/2", TestTime(20));
  ASSERT_TRUE(released) << released.error().message;
  EXPECT_EQ(*released, 2u)
      << "a:1 and a:2; not this life's, another node's, the submitted or the queued one";
  EXPECT_THAT(Ids(Claim(deliveries(), "gw-1/2", 20)), ElementsAre("a:1", "a:2", "queued:1"));
  auto again = deliveries().ReleaseClaims("gw-1/2", TestTime(21));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0u);
  EXPECT_THAT(Ids(Claim(deliveries(), "gw-1/2", 10 + kLease.count())), ElementsAre("other:1"))
      << "gw-2's claim, once its lease ran out";
}

TEST_P(DeliveryStoreContract, AllPartsAcceptedMakeTheMessageSubmittedWithOneEvent) {
  Enqueue(messages(), {Waiting("req:1")});
  ASSERT_EQ(Claim(deliveries(), "node-a", 0).size(), 1u);
  Record(deliveries(), {Accepted("req:1", 1, 1, "a1", 1000)});
  EXPECT_EQ(Status(message_log(), "req:1"), "Sent:SUBMITTED");
  auto detail = message_log().GetDetail(kSid, "req:1");
  ASSERT_TRUE(detail) << detail.error().message;
  ASSERT_EQ(detail->history.size(), 1u);
  const store::StatusEvent& event = detail->history[0];
  EXPECT_EQ(event.state, MessageState::kSubmitted);
  EXPECT_EQ(event.details, "SUBMITTED");
  EXPECT_EQ(event.message_id, "req:1");
  EXPECT_EQ(event.sid, kSid);
  EXPECT_EQ(event.at, TestTime(1000));
  EXPECT_EQ(event.event_id.size(), 36u) << event.event_id;
  ASSERT_EQ(detail->parts.size(), 1u);
  EXPECT_EQ(detail->parts[0].smsc_id, "raw-a1") << "shown as the SMSC sent it";
  EXPECT_EQ(detail->parts[0].state, core::PartState::kSubmitted);
  EXPECT_EQ(detail->updated_at, TestTime(1000));
  // Submitted messages are out of the queue for good.
  EXPECT_THAT(Claim(deliveries(), "node-b", 10 * kMinute), IsEmpty());
}

TEST_P(DeliveryStoreContract, APartRecordedAgainKeepsItsFirstRecord) {
  Enqueue(messages(), {Waiting("req:1")});
  ASSERT_EQ(Claim(deliveries(), "node-a", 0).size(), 1u);
  Record(deliveries(), {Accepted("req:1", 1, 1, "a1", 1000)});
  Record(deliveries(), {Accepted("req:1", 1, 1, "a1", 2000), Accepted("req:1", 1, 1, "x9", 2000)});
  EXPECT_THAT(Events(message_log(), "req:1"), ElementsAre("Sent:SUBMITTED"));
  auto detail = message_log().GetDetail(kSid, "req:1");
  ASSERT_TRUE(detail);
  ASSERT_EQ(detail->parts.size(), 1u);
  EXPECT_EQ(detail->parts[0].smsc_id, "raw-a1");
  EXPECT_EQ(detail->parts[0].submitted_at, TestTime(1000));
  // Parts of unknown messages are not recorded, and do not fail the batch.
  Record(deliveries(), {Accepted("nope:1", 1, 1, "n1")});
}

TEST_P(DeliveryStoreContract, MultipartMessageIsDeliveredWhenEveryPartIs) {
  Enqueue(messages(), {Waiting("req:1")});
  ASSERT_EQ(Claim(deliveries(), "node-a", 0).size(), 1u);
  Record(deliveries(), {Accepted("req:1", 1, 3, "p1", 100), Accepted("req:1", 2, 3, "p2", 101)});
  EXPECT_EQ(Status(message_log(), "req:1"), "Pending:QUEUED");
  Record(deliveries(), {Accepted("req:1", 3, 3, "p3", 102)});
  EXPECT_EQ(Status(message_log(), "req:1"), "Sent:SUBMITTED");

  EXPECT_THAT(Apply(deliveries(), {Receipt("p2", "DELIVRD", 2000)}),
              ElementsAre(ReceiptOutcome::kApplied));
  EXPECT_EQ(Status(message_log(), "req:1"), "Sent:SUBMITTED");
  EXPECT_THAT(Apply(deliveries(), {Receipt("p1", "DELIVRD", 3000), Receipt("p3", "DELIVRD", 3001)}),
              ElementsAre(ReceiptOutcome::kApplied, ReceiptOutcome::kApplied));
  EXPECT_EQ(Status(message_log(), "req:1"), "Delivered:DELIVRD");
  EXPECT_THAT(Events(message_log(), "req:1"), ElementsAre("Sent:SUBMITTED", "Delivered:DELIVRD"));

  auto detail = message_log().GetDetail(kSid, "req:1");
  ASSERT_TRUE(detail);
  ASSERT_EQ(detail->parts.size(), 3u);
  EXPECT_EQ(detail->parts[0].part, 1);
  EXPECT_EQ(detail->parts[2].part, 3);
  for (const store::PartRecord& part : detail->parts) {
    EXPECT_EQ(part.state, core::PartState::kDelivered);
    EXPECT_EQ(part.stat, "DELIVRD");
    EXPECT_EQ(part.err, "000");
    EXPECT_EQ(part.connector, "smsc-a");
    EXPECT_TRUE(part.done_at.has_value());
  }
  EXPECT_EQ(detail->parts[1].done_at, TestTime(2000));
  EXPECT_EQ(detail->history[1].at, TestTime(3001));
}

TEST_P(DeliveryStoreContract, OneUndeliveredPartMakesTheMessageUndeliveredForGood) {
  Enqueue(messages(), {Waiting("req:1")});
  ASSERT_EQ(Claim(deliveries(), "node-a", 0).size(), 1u);
  Record(deliveries(), {Accepted("req:1", 1, 2, "p1"), Accepted("req:1", 2, 2, "p2")});
  EXPECT_THAT(Apply(deliveries(), {Receipt("p1", "DELIVRD"), Receipt("p2", "EXPIRED")}),
              ElementsAre(ReceiptOutcome::kApplied, ReceiptOutcome::kApplied));
  EXPECT_EQ(Status(message_log(), "req:1"), "UnDelivered:EXPIRED");
  EXPECT_THAT(Events(message_log(), "req:1"), ElementsAre("Sent:SUBMITTED", "UnDelivered:EXPIRED"));
}

// [delivery] receipt_timeout: parts whose receipt never came end UnDelivered / NO-RECEIPT, oldest
// first and a batch at a time; parts with their receipt, or not yet old enough, are left alone.
TEST_P(DeliveryStoreContract, PartsWithoutAReceiptInTimeEndUndelivered) {
  Enqueue(messages(), {Waiting("lost:1"), Waiting("late:1"), Waiting("done:1"), Waiting("two:1")});
  ASSERT_EQ(Claim(deliveries(), "node-a", 0).size(), 4u);
  Record(deliveries(), {Accepted("lost:1", 1, 1, "l1", 1000), Accepted("done:1", 1, 1, "d1", 1000),
                        Accepted("two:1", 1, 2, "t1", 1500), Accepted("two:1", 2, 2, "t2", 1600),
                        Accepted("late:1", 1, 1, "x1", 9000)});
  Apply(deliveries(), {Receipt("d1", "DELIVRD", 2000), Receipt("t1", "DELIVRD", 2000)});

  // Submitted before 5000: lost:1 and the second part of two:1 (its first has its receipt); one
  // at a time to show the batches.
  auto first = deliveries().ExpireReceipts(TestTime(5000), TestTime(10'000), 1);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, 1u);
  EXPECT_EQ(Status(message_log(), "lost:1"), "UnDelivered:NO-RECEIPT") << "the oldest first";
  auto rest = deliveries().ExpireReceipts(TestTime(5000), TestTime(10'001), 10);
  ASSERT_TRUE(rest);
  EXPECT_EQ(*rest, 1u);
  EXPECT_EQ(Status(message_log(), "two:1"), "UnDelivered:NO-RECEIPT");
  EXPECT_EQ(Status(message_log(), "done:1"), "Delivered:DELIVRD");
  EXPECT_EQ(Status(message_log(), "late:1"), "Sent:SUBMITTED");
  EXPECT_EQ(*deliveries().ExpireReceipts(TestTime(5000), TestTime(10'002), 10), 0u);
  EXPECT_THAT(Events(message_log(), "lost:1"),
              ElementsAre("Sent:SUBMITTED", "UnDelivered:NO-RECEIPT"));
  auto detail = message_log().GetDetail(kSid, "lost:1");
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->parts[0].stat, "NO-RECEIPT");
  EXPECT_EQ(detail->parts[0].done_at, TestTime(10'000));
  // A receipt that turns up after all changes nothing.
  EXPECT_THAT(Apply(deliveries(), {Receipt("l1", "DELIVRD", 20'000)}),
              ElementsAre(ReceiptOutcome::kDuplicate));
  EXPECT_EQ(Status(message_log(), "lost:1"), "UnDelivered:NO-RECEIPT");
}

TEST_P(DeliveryStoreContract, AReceiptMayArriveWhileOtherPartsAreStillBeingSubmitted) {
  Enqueue(messages(), {Waiting("req:1")});
  ASSERT_EQ(Claim(deliveries(), "node-a", 0).size(), 1u);
  Record(deliveries(), {Accepted("req:1", 1, 2, "p1")});
  EXPECT_THAT(Apply(deliveries(), {Receipt("p1", "DELIVRD")}),
              ElementsAre(ReceiptOutcome::kApplied));
  EXPECT_EQ(Status(message_log(), "req:1"), "Pending:QUEUED") << "part 2 not sent yet";
  Record(deliveries(), {Accepted("req:1", 2, 2, "p2", 6000)});
  EXPECT_EQ(Status(message_log(), "req:1"), "Sent:SUBMITTED");
  Apply(deliveries(), {Receipt("p2", "DELIVRD", 7000)});
  EXPECT_EQ(Status(message_log(), "req:1"), "Delivered:DELIVRD");

  // An undelivered part settles the message at once, even before the other part is recorded; a
  // failure reported afterwards for the message changes nothing.
  Enqueue(messages(), {Waiting("req:2")});
  ASSERT_EQ(Claim(deliveries(), "node-a", 0).size(), 1u);
  Record(deliveries(), {Accepted("req:2", 1, 2, "q1")});
  Apply(deliveries(), {Receipt("q1", "UNDELIV")});
  EXPECT_EQ(Status(message_log(), "req:2"), "UnDelivered:UNDELIV");
  RecordFailures(deliveries(), {Failure("req:2", "ESME_RSUBMITFAIL", 9000, 20000)});
  EXPECT_EQ(Status(message_log(), "req:2"), "UnDelivered:UNDELIV");
  EXPECT_THAT(Events(message_log(), "req:2"), ElementsAre("UnDelivered:UNDELIV"));
}

// Parts accepted before a temporary failure sent the message back to the queue still count: the
// last part's late resp, or an undelivered part, settles it there, and it is not sent again.
TEST_P(DeliveryStoreContract, PartsOfARequeuedMessageMaySettleIt) {
  Enqueue(messages(), {Waiting("late:1"), Waiting("lost:1")});
  ASSERT_EQ(Claim(deliveries(), "node-a", 0).size(), 2u);
  Record(deliveries(), {Accepted("late:1", 1, 2, "l1"), Accepted("lost:1", 1, 2, "x1")});
  RecordFailures(deliveries(), {Failure("late:1", "ESME_RTHROTTLED", 100, kMinute),
                                Failure("lost:1", "ESME_RTHROTTLED", 100, kMinute)});
  EXPECT_EQ(Status(message_log(), "late:1"), "Pending:QUEUED");

  Record(deliveries(), {Accepted("late:1", 2, 2, "l2", 200)});
  EXPECT_EQ(Status(message_log(), "late:1"), "Sent:SUBMITTED");
  EXPECT_THAT(Apply(deliveries(), {Receipt("x1", "UNDELIV", 300)}),
              ElementsAre(ReceiptOutcome::kApplied));
  EXPECT_EQ(Status(message_log(), "lost:1"), "UnDelivered:UNDELIV");
  EXPECT_THAT(Claim(deliveries(), "node-a", 2 * kMinute), IsEmpty());
}

TEST_P(DeliveryStoreContract, AReceiptBeforeItsRespIsHeldThenApplied) {
  Enqueue(messages(), {Waiting("req:1")});
  ASSERT_EQ(Claim(deliveries(), "node-a", 0).size(), 1u);
  EXPECT_THAT(
      Apply(deliveries(), {Receipt("early", "ENROUTE", 400), Receipt("early", "DELIVRD", 500)}),
      ElementsAre(ReceiptOutcome::kHeld, ReceiptOutcome::kHeld));
  auto counts = deliveries().Counts();
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->held_receipts, 2u);

  Record(deliveries(), {Accepted("req:1", 1, 1, "early", 600)});
  EXPECT_EQ(Status(message_log(), "req:1"), "Delivered:DELIVRD");
  // The SMSC took it: Sent is reported too, before the end.
  EXPECT_THAT(Events(message_log(), "req:1"), ElementsAre("Sent:SUBMITTED", "Delivered:DELIVRD"));
  auto detail = message_log().GetDetail(kSid, "req:1");
  ASSERT_TRUE(detail);
  ASSERT_EQ(detail->parts.size(), 1u);
  EXPECT_EQ(detail->parts[0].stat, "DELIVRD");
  EXPECT_EQ(detail->parts[0].done_at, TestTime(500)) << "when the receipt arrived";
  counts = deliveries().Counts();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->held_receipts, 0u);
  // Applied once: the same receipt again is a duplicate.
  EXPECT_THAT(Apply(deliveries(), {Receipt("early", "DELIVRD", 700)}),
              ElementsAre(ReceiptOutcome::kDuplicate));
}

TEST_P(DeliveryStoreContract, DuplicateReceiptsChangeNothing) {
  Enqueue(messages(), {Waiting("req:1")});
  ASSERT_EQ(Claim(deliveries(), "node-a", 0).size(), 1u);
  Record(deliveries(), {Accepted("req:1", 1, 1, "p1")});
  EXPECT_THAT(Apply(deliveries(), {Receipt("p1", "ACCEPTD", 1500)}),
              ElementsAre(ReceiptOutcome::kApplied))
      << "an intermediate receipt updates the part";
  EXPECT_EQ(Status(message_log(), "req:1"), "Sent:SUBMITTED");
  EXPECT_THAT(Apply(deliveries(), {Receipt("p1", "DELIVRD", 2000), Receipt("p1", "DELIVRD", 2001),
                                   Receipt("p1", "UNDELIV", 2002), Receipt("p1", "ENROUTE", 2003)}),
              ElementsAre(ReceiptOutcome::kApplied, ReceiptOutcome::kDuplicate,
                          ReceiptOutcome::kDuplicate, ReceiptOutcome::kDuplicate));
  EXPECT_THAT(Apply(deliveries(), {Receipt("p1", "DELIVRD", 3000)}),
              ElementsAre(ReceiptOutcome::kDuplicate));
  EXPECT_EQ(Status(message_log(), "req:1"), "Delivered:DELIVRD");
  EXPECT_THAT(Events(message_log(), "req:1"), ElementsAre("Sent:SUBMITTED", "Delivered:DELIVRD"));
  auto detail = message_log().GetDetail(kSid, "req:1");
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->parts[0].done_at, TestTime(2000));
}

// Ids arrive normalised (smpp::codec::NormalizeMessageId); the store compares them as plain
// strings within one connector and never converts hex and decimal forms itself.
TEST_P(DeliveryStoreContract, SmscIdsMatchAsGivenWithinTheirConnector) {
  Enqueue(messages(), {Waiting("req:1")});
  ASSERT_EQ(Claim(deliveries(), "node-a", 0).size(), 1u);
  Record(deliveries(), {Accepted("req:1", 1, 1, "1a2b", 1000, "smsc-a")});
  EXPECT_THAT(Apply(deliveries(), {Receipt("1a2b", "DELIVRD", 2000, "smsc-b"),
                                   Receipt("6699", "DELIVRD", 2000, "smsc-a"),
                                   Receipt("1A2B", "DELIVRD", 2000, "smsc-a")}),
              ElementsAre(ReceiptOutcome::kHeld, ReceiptOutcome::kHeld, ReceiptOutcome::kHeld));
  EXPECT_EQ(Status(message_log(), "req:1"), "Sent:SUBMITTED");
  EXPECT_THAT(Apply(deliveries(), {Receipt("1a2b", "DELIVRD", 2000, "smsc-a")}),
              ElementsAre(ReceiptOutcome::kApplied));
  EXPECT_EQ(Status(message_log(), "req:1"), "Delivered:DELIVRD");
}

TEST_P(DeliveryStoreContract, ATemporaryFailureRequeuesUntilTheRetryTime) {
  Enqueue(messages(), {Waiting("req:1")});
  ASSERT_EQ(Claim(deliveries(), "node-a", 0).size(), 1u);
  RecordFailures(deliveries(), {Failure("req:1", "ESME_RTHROTTLED", 100, kMinute)});
  auto stored = StoredMessage(message_log(), kSid, "req:1");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->state, MessageState::kQueued);
  EXPECT_EQ(core::KaleyraStatus(stored->state), "Pending");
  EXPECT_THAT(Claim(deliveries(), "node-a", kMinute - 1), IsEmpty());
  auto retried = Claim(deliveries(), "node-a", kMinute);
  ASSERT_EQ(retried.size(), 1u) << "the same owner takes a requeued message again";
  EXPECT_EQ(retried[0].attempts, 1);

  RecordFailures(deliveries(), {Failure("req:1", "ESME_RMSGQFUL", kMinute + 1, 2 * kMinute)});
  auto detail = message_log().GetDetail(kSid, "req:1");
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->attempts, 2);
  EXPECT_EQ(detail->last_error, "ESME_RMSGQFUL");
  EXPECT_EQ(detail->updated_at, TestTime(kMinute + 1));
  EXPECT_THAT(detail->history, IsEmpty()) << "Pending throughout: no event";
}

TEST_P(DeliveryStoreContract, APermanentFailureEndsTheMessageNotSent) {
  Enqueue(messages(), {Waiting("bad:1"), Waiting("old:1")});
  ASSERT_EQ(Claim(deliveries(), "node-a", 0).size(), 2u);
  RecordFailures(deliveries(),
                 {Failure("bad:1", "ESME_RINVDSTADR", 100), Failure("old:1", "EXPIRED", 100)});
  EXPECT_EQ(Status(message_log(), "bad:1"), "NotSent:ESME_RINVDSTADR");
  EXPECT_EQ(Status(message_log(), "old:1"), "NotSent:EXPIRED");
  EXPECT_THAT(Events(message_log(), "bad:1"), ElementsAre("NotSent:ESME_RINVDSTADR"));
  EXPECT_THAT(Claim(deliveries(), "node-b", 10 * kMinute), IsEmpty());
}

TEST_P(DeliveryStoreContract, FailuresOfMessagesNoLongerSubmittingAreIgnored) {
  Enqueue(messages(), {Waiting("sent:1"), Waiting("waiting:1", RouteType::kMkt)});
  ASSERT_EQ(Claim(deliveries(), "node-a", 0, 1).size(), 1u);
  Record(deliveries(), {Accepted("sent:1", 1, 1, "s1")});
  RecordFailures(deliveries(),
                 {Failure("sent:1", "NO-ROUTE", 100), Failure("waiting:1", "NO-ROUTE", 100),
                  Failure("unknown:1", "NO-ROUTE", 100, 1000)});
  EXPECT_EQ(Status(message_log(), "sent:1"), "Sent:SUBMITTED");
  EXPECT_EQ(Status(message_log(), "waiting:1"), "Pending:QUEUED");
}

TEST_P(DeliveryStoreContract, CancelEndsAWaitingMessageNotSent) {
  Enqueue(messages(), {Waiting("q:1"), Waiting("s:1", RouteType::kOtp, 0, 10 * kMinute)});
  ASSERT_TRUE(deliveries().Cancel(kSid, "q:1", TestTime(100)));
  ASSERT_TRUE(deliveries().Cancel(kSid, "s:1", TestTime(100)));
  EXPECT_EQ(Status(message_log(), "q:1"), "NotSent:CANCELLED");
  EXPECT_EQ(Status(message_log(), "s:1"), "NotSent:CANCELLED");
  EXPECT_THAT(Events(message_log(), "s:1"), ElementsAre("NotSent:CANCELLED"));
  EXPECT_THAT(Claim(deliveries(), "node-a", 20 * kMinute), IsEmpty());

  auto again = deliveries().Cancel(kSid, "q:1", TestTime(200));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::Errc::kConflict);
  EXPECT_EQ(again.error().message, "NotSent");
}

TEST_P(DeliveryStoreContract, CancelRefusesClaimedAndSubmittedMessages) {
  Enqueue(messages(), {Waiting("claimed:1", RouteType::kMkt), Waiting("sent:1")});
  ASSERT_EQ(Claim(deliveries(), "node-a", 0, 1).size(), 1u);  // sent:1, an OTP
  Record(deliveries(), {Accepted("sent:1", 1, 1, "s1")});
  ASSERT_EQ(Claim(deliveries(), "node-a", 0, 1).size(), 1u);  // claimed:1
  auto sent = deliveries().Cancel(kSid, "sent:1", TestTime(100));
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, core::Errc::kConflict);
  EXPECT_EQ(sent.error().message, "Sent");
  auto claimed = deliveries().Cancel(kSid, "claimed:1", TestTime(100));
  ASSERT_FALSE(claimed);
  EXPECT_EQ(claimed.error().code, core::Errc::kConflict);
  EXPECT_EQ(claimed.error().message, "Pending");
  EXPECT_EQ(Status(message_log(), "claimed:1"), "Pending:QUEUED");
}

TEST_P(DeliveryStoreContract, CancelOnlyFindsTheAccountsOwnMessages) {
  Enqueue(messages(), {Waiting("q:1")});
  auto other = deliveries().Cancel(kOtherSid, "q:1", TestTime(100));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, core::Errc::kNotFound);
  auto unknown = deliveries().Cancel(kSid, "nope:1", TestTime(100));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, core::Errc::kNotFound);
  EXPECT_EQ(Status(message_log(), "q:1"), "Pending:QUEUED");
}

TEST_P(DeliveryStoreContract, CountsWaitingClaimedAndHeld) {
  Enqueue(messages(), {Waiting("a:1"), Waiting("b:1"), Waiting("c:1", RouteType::kOtp, 0, kMinute),
                       Waiting("d:1", RouteType::kMkt)});
  ASSERT_EQ(Claim(deliveries(), "node-a", 0, 2).size(), 2u);
  Record(deliveries(), {Accepted("a:1", 1, 1, "a1")});
  Apply(deliveries(), {Receipt("stray", "DELIVRD")});
  auto counts = deliveries().Counts();
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->queued, 2u) << "c:1 (scheduled) and d:1";
  EXPECT_EQ(counts->submitting, 1u) << "b:1";
  EXPECT_EQ(counts->held_receipts, 1u);
}

TEST_P(DeliveryStoreContract, ClaimsSurviveAReopen) {
  Enqueue(messages(), {Waiting("req:1")});
  ASSERT_EQ(Claim(deliveries(), "node-a", 0).size(), 1u);
  Record(deliveries(), {Accepted("req:1", 1, 2, "p1")});
  Reopen();
  auto taken = Claim(deliveries(), "node-b", kLease.count());
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_THAT(taken[0].parts_done, ElementsAre(1));
}

// Two nodes each apply the final receipt of one part of a two-part message at the same moment.
// Each must see the other's part once it settles the message: a store that decides from what its
// own transaction sees leaves the message Sent for ever.
TEST_P(DeliveryStoreContract, TwoInstancesReceiptingTwoPartsOfOneMessageDeliverIt) {
  auto other = OpenAnother();
  ASSERT_NE(other, nullptr);
  for (int round = 0; round < 20; ++round) {
    const std::string id = "race-" + std::to_string(round) + ":1";
    const std::string p1 = "r" + std::to_string(round) + "p1";
    const std::string p2 = "r" + std::to_string(round) + "p2";
    Enqueue(messages(), {Waiting(id, RouteType::kOtp, round)});
    ASSERT_EQ(Claim(deliveries(), "node-a", 1000).size(), 1u);
    Record(deliveries(), {Accepted(id, 1, 2, p1, 1000), Accepted(id, 2, 2, p2, 1001)});
    ASSERT_EQ(Status(message_log(), id), "Sent:SUBMITTED");
    AtOnce([&] { Apply(deliveries(), {Receipt(p1, "DELIVRD", 3000)}); },
           [&] { Apply(other->deliveries(), {Receipt(p2, "DELIVRD", 3001)}); });
    EXPECT_EQ(Status(message_log(), id), "Delivered:DELIVRD") << "round " << round;
  }
}

// A receipt applied on one node while its part is recorded on another (a fast SMSC answering
// before the recorder's commit): either the receipt finds the part, or it is held and the
// recorder finds it. A store that checks each side without the other loses the receipt.
TEST_P(DeliveryStoreContract, TwoInstancesRecordingAPartAndReceiptingItAtOnceLoseNothing) {
  auto other = OpenAnother();
  ASSERT_NE(other, nullptr);
  for (int round = 0; round < 20; ++round) {
    const std::string id = "race-" + std::to_string(round) + ":1";
    const std::string smsc_id = "r" + std::to_string(round);
    Enqueue(messages(), {Waiting(id, RouteType::kOtp, round)});
    ASSERT_EQ(Claim(deliveries(), "node-a", 1000).size(), 1u);
    AtOnce([&] { Record(deliveries(), {Accepted(id, 1, 1, smsc_id, 1000)}); },
           [&] { Apply(other->deliveries(), {Receipt(smsc_id, "DELIVRD", 3000)}); });
    EXPECT_EQ(Status(message_log(), id), "Delivered:DELIVRD") << "round " << round;
  }
  auto counts = deliveries().Counts();
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->held_receipts, 0u);
}

}  // namespace
}  // namespace smsgw::store_contract
