#include "store/delivery_decisions.h"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

namespace smsgw::store {
namespace {

using core::MessageState;
using core::PartState;
using core::PartStatus;
using std::chrono::milliseconds;

const core::TimePoint kT0 = core::FromUnixMillis(1'767'225'600'000);

TEST(OwnerNodeTest, TheNodePartWithItsSlash) {
  EXPECT_EQ(OwnerNode("gw-1/4242:0190a1b2"), "gw-1/");
  EXPECT_EQ(OwnerNode("gw-1/"), "gw-1/");
  EXPECT_EQ(OwnerNode("a/b/c"), "a/") << "the first slash ends the node";
  EXPECT_EQ(OwnerNode("solo"), "solo/") << "no slash: a node of its own";
  EXPECT_EQ(OwnerNode(""), "/");
}

TEST(ClaimableTest, WaitingAndClaimedMessagesOnly) {
  EXPECT_TRUE(Claimable(MessageState::kQueued));
  EXPECT_TRUE(Claimable(MessageState::kScheduled));
  EXPECT_TRUE(Claimable(MessageState::kSubmitting));  // its lease ran out
  EXPECT_FALSE(Claimable(MessageState::kSubmitted));
  EXPECT_FALSE(Claimable(MessageState::kDelivered));
  EXPECT_FALSE(Claimable(MessageState::kUndelivered));
  EXPECT_FALSE(Claimable(MessageState::kNotSent));
}

TEST(PickReceiptPartTest, NoneWithoutCandidates) { EXPECT_EQ(PickReceiptPart({}), std::nullopt); }

TEST(PickReceiptPartTest, WaitingBeatsFinalEvenWhenOlder) {
  const std::vector<ReceiptPartCandidate> parts = {
      {PartState::kDelivered, kT0 + milliseconds(10)},
      {PartState::kSubmitted, kT0},
      {PartState::kUndelivered, kT0 + milliseconds(20)},
  };
  EXPECT_EQ(PickReceiptPart(parts), 1u);
}

TEST(PickReceiptPartTest, ThenTheNewest) {
  const std::vector<ReceiptPartCandidate> waiting = {
      {PartState::kSubmitted, kT0},
      {PartState::kSubmitted, kT0 + milliseconds(5)},
      {PartState::kSubmitted, kT0 + milliseconds(1)},
  };
  EXPECT_EQ(PickReceiptPart(waiting), 1u);
  const std::vector<ReceiptPartCandidate> final = {
      {PartState::kDelivered, kT0 + milliseconds(7)},
      {PartState::kUndelivered, kT0 + milliseconds(3)},
  };
  EXPECT_EQ(PickReceiptPart(final), 0u);
}

TEST(PickReceiptPartTest, TheFirstOfEqualsKeepsIt) {
  const std::vector<ReceiptPartCandidate> parts = {
      {PartState::kSubmitted, kT0},
      {PartState::kSubmitted, kT0},
  };
  EXPECT_EQ(PickReceiptPart(parts), 0u);
  EXPECT_FALSE(PrefersForReceipt(parts[1], parts[0]));
  EXPECT_FALSE(PrefersForReceipt(parts[0], parts[1]));
}

TEST(ReceiptOutcomeOnTest, AFinalPartTakesNoMoreReceipts) {
  EXPECT_EQ(ReceiptOutcomeOn(PartState::kSubmitted), ReceiptOutcome::kApplied);
  EXPECT_EQ(ReceiptOutcomeOn(PartState::kDelivered), ReceiptOutcome::kDuplicate);
  EXPECT_EQ(ReceiptOutcomeOn(PartState::kUndelivered), ReceiptOutcome::kDuplicate);
}

TEST(PartDoneAtTest, OnlyAFinalReceiptEndsThePart) {
  EXPECT_EQ(PartDoneAt({PartState::kDelivered, "DELIVRD", "", kT0}), kT0);
  EXPECT_EQ(PartDoneAt({PartState::kUndelivered, "EXPIRED", "001", kT0}), kT0);
  EXPECT_EQ(PartDoneAt({PartState::kSubmitted, "ENROUTE", "", kT0}), std::nullopt);
}

TEST(ReceiptMovesMessageTest, OnlyAnAppliedFinalReceipt) {
  EXPECT_TRUE(ReceiptMovesMessage(ReceiptOutcome::kApplied, PartState::kDelivered));
  EXPECT_TRUE(ReceiptMovesMessage(ReceiptOutcome::kApplied, PartState::kUndelivered));
  EXPECT_FALSE(ReceiptMovesMessage(ReceiptOutcome::kApplied, PartState::kSubmitted));
  EXPECT_FALSE(ReceiptMovesMessage(ReceiptOutcome::kDuplicate, PartState::kDelivered));
  EXPECT_FALSE(ReceiptMovesMessage(ReceiptOutcome::kHeld, PartState::kDelivered));
}

TEST(LastAppliedHeldReceiptTest, NoneHeld) { EXPECT_EQ(LastAppliedHeldReceipt({}), std::nullopt); }

TEST(LastAppliedHeldReceiptTest, IntermediateReceiptsAreOvertakenByLaterOnes) {
  const std::vector<PartReceipt> held = {
      {PartState::kSubmitted, "ACCEPTD", "", kT0},
      {PartState::kSubmitted, "ENROUTE", "", kT0 + milliseconds(1)},
  };
  EXPECT_EQ(LastAppliedHeldReceipt(held), 1u);
}

TEST(LastAppliedHeldReceiptTest, TheFirstFinalReceiptEndsTheRun) {
  const std::vector<PartReceipt> held = {
      {PartState::kSubmitted, "ENROUTE", "", kT0},
      {PartState::kUndelivered, "UNDELIV", "", kT0 + milliseconds(1)},
      {PartState::kDelivered, "DELIVRD", "", kT0 + milliseconds(2)},
      {PartState::kSubmitted, "ENROUTE", "", kT0 + milliseconds(3)},
  };
  EXPECT_EQ(LastAppliedHeldReceipt(held), 1u);
}

TEST(NoReceiptTest, EndsThePartUndeliveredAtNow) {
  const PartReceipt r = NoReceipt(kT0);
  EXPECT_EQ(r.state, PartState::kUndelivered);
  EXPECT_EQ(r.stat, kNoReceiptStat);
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.at, kT0);
}

TEST(MoveAfterPartsTest, SettlesWhenAllPartsAreIn) {
  const std::vector<PartStatus> parts = {{PartState::kSubmitted, ""}, {PartState::kSubmitted, ""}};
  const MessageMove move = MoveAfterParts(MessageState::kSubmitting, 0, parts, 2);
  ASSERT_TRUE(move.settle);
  EXPECT_EQ(move.settle->state, MessageState::kSubmitted);
  EXPECT_EQ(move.settle->details, "SUBMITTED");
  EXPECT_FALSE(move.record_parts_total);
}

TEST(MoveAfterPartsTest, AnUndeliveredPartEndsTheMessageWithItsStat) {
  const std::vector<PartStatus> parts = {{PartState::kDelivered, "DELIVRD"},
                                         {PartState::kUndelivered, "EXPIRED"}};
  const MessageMove move = MoveAfterParts(MessageState::kSubmitted, 3, parts, 3);
  ASSERT_TRUE(move.settle);
  EXPECT_EQ(move.settle->state, MessageState::kUndelivered);
  EXPECT_EQ(move.settle->details, "EXPIRED");
}

// Receipts that came before the submit_sm_resp was recorded (held, or applied through another
// node's bind) end a message that never reported Sent: it reports Sent first.
TEST(MoveAfterPartsTest, AnEndWithoutSentReportsSentFirst) {
  const std::vector<PartStatus> delivered = {{PartState::kDelivered, "DELIVRD"}};
  const MessageMove move = MoveAfterParts(MessageState::kSubmitting, 1, delivered, 1);
  ASSERT_TRUE(move.sent_first);
  EXPECT_EQ(move.sent_first->state, MessageState::kSubmitted);
  EXPECT_EQ(move.sent_first->details, "SUBMITTED");
  ASSERT_TRUE(move.settle);
  EXPECT_EQ(move.settle->state, MessageState::kDelivered);
  const std::vector<PartStatus> failed = {{PartState::kUndelivered, "UNDELIV"}};
  EXPECT_TRUE(MoveAfterParts(MessageState::kSubmitting, 1, failed, 1).sent_first);
  EXPECT_FALSE(MoveAfterParts(MessageState::kSubmitted, 1, delivered, 1).sent_first)
      << "Sent already";
  EXPECT_FALSE(MoveAfterParts(MessageState::kSubmitting, 2, failed, 2).sent_first)
      << "part 2 never reached the SMSC";
  const std::vector<PartStatus> submitted = {{PartState::kSubmitted, ""}};
  EXPECT_FALSE(MoveAfterParts(MessageState::kSubmitting, 1, submitted, 1).sent_first)
      << "Sent is the settle itself";
}

TEST(MoveAfterPartsTest, OnlyRecordsANewPartCountWhileIncomplete) {
  const std::vector<PartStatus> parts = {{PartState::kSubmitted, ""}};
  const MessageMove changed = MoveAfterParts(MessageState::kSubmitting, 0, parts, 3);
  EXPECT_FALSE(changed.settle);
  EXPECT_TRUE(changed.record_parts_total);
  const MessageMove same = MoveAfterParts(MessageState::kSubmitting, 3, parts, 3);
  EXPECT_FALSE(same.settle);
  EXPECT_FALSE(same.record_parts_total);
}

TEST(MoveAfterPartsTest, AFinalMessageNeverMovesButItsCountIsKept) {
  const std::vector<PartStatus> parts = {{PartState::kDelivered, "DELIVRD"}};
  const MessageMove move = MoveAfterParts(MessageState::kNotSent, 0, parts, 1);
  EXPECT_FALSE(move.settle);
  EXPECT_TRUE(move.record_parts_total);
}

SubmitFailure Failure(std::optional<core::TimePoint> retry_at) {
  SubmitFailure f;
  f.message_id = "m";
  f.retry_at = retry_at;
  f.reason = "ESME_RTHROTTLED";
  f.at = kT0;
  return f;
}

TEST(AfterSubmitFailureTest, PermanentEndsTemporaryRequeues) {
  EXPECT_EQ(AfterSubmitFailure(MessageState::kSubmitting, Failure(std::nullopt)),
            FailureAction::kEndNotSent);
  EXPECT_EQ(AfterSubmitFailure(MessageState::kSubmitting, Failure(kT0 + milliseconds(100))),
            FailureAction::kRequeue);
}

TEST(AfterSubmitFailureTest, AMessageNoLongerClaimedIsLeftAlone) {
  for (const MessageState s :
       {MessageState::kQueued, MessageState::kScheduled, MessageState::kSubmitted,
        MessageState::kDelivered, MessageState::kUndelivered, MessageState::kNotSent}) {
    EXPECT_EQ(AfterSubmitFailure(s, Failure(std::nullopt)), FailureAction::kLeave);
    EXPECT_EQ(AfterSubmitFailure(s, Failure(kT0)), FailureAction::kLeave);
  }
}

TEST(CancelChangeTest, WaitingMessagesEndNotSentCancelled) {
  for (const MessageState s : {MessageState::kQueued, MessageState::kScheduled}) {
    auto change = CancelChange(s);
    ASSERT_TRUE(change);
    EXPECT_EQ(change->state, MessageState::kNotSent);
    EXPECT_EQ(change->details, "CANCELLED");
  }
}

TEST(CancelChangeTest, OthersConflictWithTheirKaleyraStatus) {
  for (const MessageState s :
       {MessageState::kSubmitting, MessageState::kSubmitted, MessageState::kDelivered,
        MessageState::kUndelivered, MessageState::kNotSent}) {
    auto change = CancelChange(s);
    ASSERT_FALSE(change);
    EXPECT_EQ(change.error().code, core::Errc::kConflict);
    EXPECT_EQ(change.error().message, core::KaleyraStatus(s));
  }
}

}  // namespace
}  // namespace smsgw::store
