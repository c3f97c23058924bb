#include "core/delivery_status.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace smsgw::core {
namespace {

using S = MessageState;
using P = PartState;

constexpr std::array<S, 7> kAllStates = {S::kQueued,    S::kScheduled, S::kSubmitting,
                                         S::kSubmitted, S::kDelivered, S::kUndelivered,
                                         S::kNotSent};

PartStatus Part(P state, std::string stat = "") { return PartStatus{state, std::move(stat)}; }

PartStatus Submitted() { return Part(P::kSubmitted); }
PartStatus Delivered() { return Part(P::kDelivered, "DELIVRD"); }
PartStatus Undelivered(std::string stat = "UNDELIV") {
  return Part(P::kUndelivered, std::move(stat));
}

TEST(PartStateFromStat, FinalWordsInAnyCase) {
  for (const char* word : {"DELIVRD", "delivrd", "Delivrd", "DELIVERED", "delivered"}) {
    EXPECT_EQ(PartStateFromStat(word), P::kDelivered) << word;
  }
  for (const char* word :
       {"UNDELIV", "undeliv", "UNDELIVERABLE", "Undeliverable", "UNDELIVERED", "EXPIRED", "expired",
        "DELETED", "Deleted", "REJECTD", "rejectd", "REJECTED", "UNKNOWN", "unknown"}) {
    EXPECT_EQ(PartStateFromStat(word), P::kUndelivered) << word;
  }
}

TEST(PartStateFromStat, IntermediateAndUnrecognisedWordsAreNotFinal) {
  for (const char* word : {"ENROUTE", "enroute", "ACCEPTD", "ACCEPTED", "accepted", "", "DELIVR",
                           "DELIVRDX", " DELIVRD", "SUBMITTED", "BUFFRED", "\xff\xfe"}) {
    EXPECT_EQ(PartStateFromStat(word), P::kSubmitted) << word;
  }
}

TEST(PartState, NamesAndFinality) {
  EXPECT_EQ(ToString(P::kSubmitted), "SUBMITTED");
  EXPECT_EQ(ToString(P::kDelivered), "DELIVERED");
  EXPECT_EQ(ToString(P::kUndelivered), "UNDELIVERED");
  EXPECT_FALSE(IsFinal(P::kSubmitted));
  EXPECT_TRUE(IsFinal(P::kDelivered));
  EXPECT_TRUE(IsFinal(P::kUndelivered));
}

TEST(MessageStateFinality, OnlyDeliveredUndeliveredAndNotSent) {
  for (S s : kAllStates) {
    EXPECT_EQ(IsFinal(s), s == S::kDelivered || s == S::kUndelivered || s == S::kNotSent)
        << KaleyraStatus(s);
  }
}

TEST(AfterParts, AllPartsAcceptedMakeTheMessageSubmitted) {
  const std::vector<PartStatus> one = {Submitted()};
  for (S from : {S::kQueued, S::kScheduled, S::kSubmitting}) {
    auto change = AfterParts(from, one, 1);
    ASSERT_TRUE(change);
    EXPECT_EQ(change->state, S::kSubmitted);
    EXPECT_EQ(change->details, "SUBMITTED");
  }
  EXPECT_FALSE(AfterParts(S::kSubmitted, one, 1)) << "already submitted: nothing changes";
}

TEST(AfterParts, MissingPartsKeepTheMessageWhereItIs) {
  const std::vector<PartStatus> two = {Submitted(), Submitted()};
  EXPECT_FALSE(AfterParts(S::kSubmitting, two, 3));
  EXPECT_FALSE(AfterParts(S::kSubmitting, {}, 1));
  EXPECT_FALSE(AfterParts(S::kSubmitting, {}, 0)) << "no parts is never complete";
  auto done = AfterParts(S::kSubmitting, two, 2);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->state, S::kSubmitted);
}

TEST(AfterParts, MultipartIsDeliveredOnlyWhenEveryPartIs) {
  std::vector<PartStatus> parts = {Submitted(), Submitted(), Submitted()};
  EXPECT_FALSE(AfterParts(S::kSubmitted, parts, 3));
  parts[1] = Delivered();
  EXPECT_FALSE(AfterParts(S::kSubmitted, parts, 3));
  parts[0] = Delivered();
  EXPECT_FALSE(AfterParts(S::kSubmitted, parts, 3));
  parts[2] = Delivered();
  auto change = AfterParts(S::kSubmitted, parts, 3);
  ASSERT_TRUE(change);
  EXPECT_EQ(change->state, S::kDelivered);
  EXPECT_EQ(change->details, "DELIVRD");
}

TEST(AfterParts, DeliveredPartsOfAnIncompleteMessageAreNotEnough) {
  // Two of three parts recorded and delivered: the third is still to be sent.
  const std::vector<PartStatus> parts = {Delivered(), Delivered()};
  EXPECT_FALSE(AfterParts(S::kSubmitting, parts, 3));
}

TEST(AfterParts, AnyUndeliveredPartMakesTheMessageUndeliveredWithItsStat) {
  const std::vector<PartStatus> parts = {Delivered(), Undelivered("EXPIRED"), Submitted(),
                                         Undelivered("REJECTD")};
  for (S from : {S::kQueued, S::kSubmitting, S::kSubmitted}) {
    auto change = AfterParts(from, parts, 4);
    ASSERT_TRUE(change);
    EXPECT_EQ(change->state, S::kUndelivered);
    EXPECT_EQ(change->details, "EXPIRED") << "the first undelivered part's stat";
  }
  // Even before every part was recorded (a receipt that raced the last resp).
  auto early = AfterParts(S::kSubmitting, std::vector<PartStatus>{Undelivered()}, 3);
  ASSERT_TRUE(early);
  EXPECT_EQ(early->state, S::kUndelivered);
  EXPECT_EQ(early->details, "UNDELIV");
}

TEST(AfterParts, UndeliveredWithoutAStatWordStillSaysWhy) {
  auto change = AfterParts(S::kSubmitted, std::vector<PartStatus>{Part(P::kUndelivered)}, 1);
  ASSERT_TRUE(change);
  EXPECT_EQ(change->details, "UNDELIV");
}

TEST(AfterParts, FinalStatesNeverChange) {
  const std::vector<std::vector<PartStatus>> cases = {
      {Submitted()}, {Delivered()}, {Undelivered()}, {Delivered(), Undelivered()}, {}};
  for (S final_state : {S::kDelivered, S::kUndelivered, S::kNotSent}) {
    for (const auto& parts : cases) {
      EXPECT_FALSE(AfterParts(final_state, parts, static_cast<int>(parts.size())))
          << KaleyraStatus(final_state) << " with " << parts.size() << " parts";
    }
  }
}

TEST(AfterParts, EveryChangeIsAnAllowedTransition) {
  const std::vector<std::vector<PartStatus>> cases = {{Submitted()},
                                                      {Delivered()},
                                                      {Undelivered()},
                                                      {Delivered(), Submitted()},
                                                      {Delivered(), Delivered()},
                                                      {Submitted(), Undelivered()}};
  for (S from : kAllStates) {
    for (const auto& parts : cases) {
      for (int total = 0; total <= 3; ++total) {
        if (auto change = AfterParts(from, parts, total)) {
          EXPECT_TRUE(CanTransition(from, change->state))
              << KaleyraStatus(from) << " -> " << KaleyraStatus(change->state);
        }
      }
    }
  }
}

TEST(CanTransition, TheLifeOfAMessage) {
  EXPECT_TRUE(CanTransition(S::kQueued, S::kSubmitting));
  EXPECT_TRUE(CanTransition(S::kScheduled, S::kSubmitting));
  EXPECT_TRUE(CanTransition(S::kQueued, S::kNotSent));
  EXPECT_TRUE(CanTransition(S::kScheduled, S::kNotSent));
  EXPECT_TRUE(CanTransition(S::kSubmitting, S::kQueued));
  EXPECT_TRUE(CanTransition(S::kSubmitting, S::kSubmitted));
  EXPECT_TRUE(CanTransition(S::kSubmitting, S::kNotSent));
  EXPECT_TRUE(CanTransition(S::kSubmitting, S::kDelivered));
  EXPECT_TRUE(CanTransition(S::kSubmitting, S::kUndelivered));
  EXPECT_TRUE(CanTransition(S::kSubmitted, S::kDelivered));
  EXPECT_TRUE(CanTransition(S::kSubmitted, S::kUndelivered));
  // Parts accepted in an earlier attempt may settle a message that went back to the queue.
  EXPECT_TRUE(CanTransition(S::kQueued, S::kSubmitted));
  EXPECT_TRUE(CanTransition(S::kQueued, S::kUndelivered));
}

TEST(CanTransition, RefusedTransitions) {
  EXPECT_FALSE(CanTransition(S::kScheduled, S::kQueued)) << "due scheduled messages are claimed";
  EXPECT_FALSE(CanTransition(S::kQueued, S::kQueued));
  EXPECT_FALSE(CanTransition(S::kQueued, S::kScheduled));
  EXPECT_FALSE(CanTransition(S::kSubmitting, S::kSubmitting));
  EXPECT_FALSE(CanTransition(S::kSubmitting, S::kScheduled));
  EXPECT_FALSE(CanTransition(S::kSubmitted, S::kQueued));
  EXPECT_FALSE(CanTransition(S::kSubmitted, S::kSubmitting));
  EXPECT_FALSE(CanTransition(S::kSubmitted, S::kSubmitted));
  EXPECT_FALSE(CanTransition(S::kSubmitted, S::kNotSent));
  for (S final_state : {S::kDelivered, S::kUndelivered, S::kNotSent}) {
    for (S to : kAllStates) {
      EXPECT_FALSE(CanTransition(final_state, to))
          << KaleyraStatus(final_state) << " -> " << KaleyraStatus(to);
    }
  }
}

TEST(ClaimPriority, OtpFirstThenTransactionalThenTheRest) {
  EXPECT_EQ(ClaimPriority(RouteType::kOtp), 0);
  EXPECT_EQ(ClaimPriority(RouteType::kTxn), 1);
  EXPECT_EQ(ClaimPriority(RouteType::kTxnd), 1);
  EXPECT_EQ(ClaimPriority(RouteType::kMkt), 2);
  EXPECT_EQ(ClaimPriority(RouteType::kDefault), 2);
}

TEST(WantsSmppReceipt, FollowsRegisteredDelivery) {
  // §5.2.17: bits 1..0 = 00 none, 01 final, 10 failure only, 11 reserved; bit 4 intermediate.
  for (S state : kAllStates) {
    EXPECT_FALSE(WantsSmppReceipt(0x00, state)) << KaleyraStatus(state);
    EXPECT_FALSE(WantsSmppReceipt(0x03, state)) << KaleyraStatus(state);
  }
  EXPECT_TRUE(WantsSmppReceipt(0x01, S::kDelivered));
  EXPECT_TRUE(WantsSmppReceipt(0x01, S::kUndelivered));
  EXPECT_TRUE(WantsSmppReceipt(0x01, S::kNotSent));
  EXPECT_FALSE(WantsSmppReceipt(0x01, S::kSubmitted));
  EXPECT_FALSE(WantsSmppReceipt(0x02, S::kDelivered));
  EXPECT_TRUE(WantsSmppReceipt(0x02, S::kUndelivered));
  EXPECT_TRUE(WantsSmppReceipt(0x02, S::kNotSent));
  EXPECT_TRUE(WantsSmppReceipt(0x11, S::kSubmitted));
  EXPECT_TRUE(WantsSmppReceipt(0x10, S::kSubmitted));
  EXPECT_FALSE(WantsSmppReceipt(0x10, S::kDelivered));
  for (S state : {S::kQueued, S::kScheduled, S::kSubmitting}) {
    EXPECT_FALSE(WantsSmppReceipt(0x11, state)) << KaleyraStatus(state);
  }
}

}  // namespace
}  // namespace smsgw::core
