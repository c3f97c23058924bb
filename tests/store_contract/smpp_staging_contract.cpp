// The SmppStagingStore half of the store contract (see store_contract.h): the parts of an SMPP
// customer's concatenated submit staged per (credential, source, destination, reference) until
// the last one, answered with one message id; repeats, mismatches and the bounds; the message
// stored and the set deleted in one transaction (once, when two nodes complete it at once);
// expiry; kept across a restart.

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "store_contract/store_contract.h"

namespace smsgw::store_contract {
namespace {

using store::SmppStagedPart;
using store::SmppStageOutcome;
using store::SmppStagingLimits;

constexpr char kSid[] = "HXIN0000000001IN";

SmppStagedPart Part(int seqnum, int total, std::vector<uint8_t> data, std::string message_id = "m",
                    int64_t at_ms = 0) {
  SmppStagedPart p;
  p.sid = kSid;
  p.system_id = "acme1";
  p.source = "ACMEIN";
  p.destination = "919876543210";
  p.reference = 42;
  p.total = total;
  p.seqnum = seqnum;
  p.data_coding = 0;
  p.user_data = std::move(data);
  p.message_id = std::move(message_id);
  p.received_at = TestTime(at_ms);
  return p;
}

using Bytes = std::vector<std::vector<uint8_t>>;

class SmppStagingFixture {
 public:
  explicit SmppStagingFixture(store::SmppStagingStore& staging) : staging_(staging) {}

  store::SmppStageResult Stage(const SmppStagedPart& part, const SmppStagingLimits& limits = {}) {
    auto staged = staging_.StageSmppPart(part, limits);
    EXPECT_TRUE(staged) << staged.error().message;
    return staged ? *staged : store::SmppStageResult{};
  }
  size_t Sets(std::string_view system_id = "acme1") {
    auto n = staging_.CountSmppStagedSets(system_id);
    EXPECT_TRUE(n) << n.error().message;
    return n ? *n : 0;
  }

 private:
  store::SmppStagingStore& staging_;
};

TEST_P(SmppStagingStoreContract, PartsWaitForTheLastOneInAnyOrderUnderTheFirstPartsId) {
  ASSERT_TRUE(accounts().CreateAccount(store::Account{kSid, "acme", TestTime(), 0}));
  SmppStagingFixture f(smpp_staging());
  auto second = f.Stage(Part(2, 3, {0x42}, "first"));
  EXPECT_EQ(second.outcome, SmppStageOutcome::kStaged);
  EXPECT_EQ(second.message_id, "first");
  auto first = f.Stage(Part(1, 3, {0x41}, "other"));
  EXPECT_EQ(first.outcome, SmppStageOutcome::kStaged);
  EXPECT_EQ(first.message_id, "first");
  EXPECT_EQ(first.set_id, second.set_id);
  EXPECT_EQ(f.Sets(), 1u);
  auto last = f.Stage(Part(3, 3, {0x43, 0x44}, "third"));
  ASSERT_EQ(last.outcome, SmppStageOutcome::kComplete);
  EXPECT_EQ(last.message_id, "first");
  EXPECT_EQ(last.set_id, second.set_id);
  EXPECT_EQ(last.parts, (Bytes{{0x41}, {0x42}, {0x43, 0x44}}));

  core::Message message = TestMessage("first:1");
  message.body = "ABCD";
  ASSERT_TRUE(smpp_staging().CompleteSmppSet(last.set_id, message));
  auto stored = StoredMessage(message_log(), kSid, "first:1");
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored->body, "ABCD");
  EXPECT_EQ(f.Sets(), 0u);
  // The key is free again: the next message with the same reference starts a new set.
  auto next = f.Stage(Part(1, 2, {0x45}, "next"));
  EXPECT_EQ(next.outcome, SmppStageOutcome::kStaged);
  EXPECT_EQ(next.message_id, "next");
  EXPECT_NE(next.set_id, last.set_id);
}

TEST_P(SmppStagingStoreContract, ARepeatedPartWritesNothingUntilTheSetIsComplete) {
  SmppStagingFixture f(smpp_staging());
  ASSERT_EQ(f.Stage(Part(1, 2, {0x41})).outcome, SmppStageOutcome::kStaged);
  auto again = f.Stage(Part(1, 2, {0x41}, "x"));
  EXPECT_EQ(again.outcome, SmppStageOutcome::kRepeated);
  EXPECT_EQ(again.message_id, "m");
  EXPECT_FALSE(again.superseded);
  auto last = f.Stage(Part(2, 2, {0x42}));
  ASSERT_EQ(last.outcome, SmppStageOutcome::kComplete);
  EXPECT_EQ(last.parts, (Bytes{{0x41}, {0x42}}));
  // The last part sent again (its answer was lost) completes again, with the same parts.
  auto resent = f.Stage(Part(2, 2, {0x42}));
  ASSERT_EQ(resent.outcome, SmppStageOutcome::kComplete);
  EXPECT_EQ(resent.set_id, last.set_id);
  EXPECT_EQ(resent.parts, last.parts);
  // Both answers store the message: the second finds it stored and writes nothing.
  ASSERT_TRUE(accounts().CreateAccount(store::Account{kSid, "acme", TestTime(), 0}));
  ASSERT_TRUE(smpp_staging().CompleteSmppSet(last.set_id, TestMessage("m:1")));
  ASSERT_TRUE(smpp_staging().CompleteSmppSet(resent.set_id, TestMessage("m:1")));
  auto statuses = messages().GetStatuses(kSid, std::vector<std::string>{"m:1"});
  ASSERT_TRUE(statuses);
  EXPECT_EQ(statuses->size(), 1u);
  EXPECT_EQ(f.Sets(), 0u);
}

// A staged part number with other octets: the reference came round to a new message while the
// old one waited. The old set is given up (and reported), the part starts a new set.
TEST_P(SmppStagingStoreContract, AStagedPartNumberWithOtherOctetsSupersedesTheOldSet) {
  SmppStagingFixture f(smpp_staging());
  ASSERT_EQ(f.Stage(Part(1, 3, {0x41}, "old", 10)).outcome, SmppStageOutcome::kStaged);
  ASSERT_EQ(f.Stage(Part(2, 3, {0x42}, "", 20)).outcome, SmppStageOutcome::kStaged);
  auto fresh = f.Stage(Part(1, 3, {0x61}, "new", 30));
  EXPECT_EQ(fresh.outcome, SmppStageOutcome::kStaged);
  EXPECT_EQ(fresh.message_id, "new");
  ASSERT_TRUE(fresh.superseded);
  EXPECT_EQ(*fresh.superseded, (store::SmppExpiredSet{kSid, "acme1", "ACMEIN", "919876543210", 42,
                                                      3, 2, "old", TestTime(10)}));
  EXPECT_EQ(f.Sets(), 1u);
  // The old set's part 2 is gone: the new message needs its own.
  ASSERT_EQ(f.Stage(Part(2, 3, {0x62})).outcome, SmppStageOutcome::kStaged);
  auto last = f.Stage(Part(3, 3, {0x63}));
  ASSERT_EQ(last.outcome, SmppStageOutcome::kComplete);
  EXPECT_EQ(last.message_id, "new");
  EXPECT_EQ(last.parts, (Bytes{{0x61}, {0x62}, {0x63}}));
}

TEST_P(SmppStagingStoreContract, APartThatDisagreesWithItsSetIsRefusedAndWritesNothing) {
  SmppStagingFixture f(smpp_staging());
  ASSERT_EQ(f.Stage(Part(1, 3, {0x41})).outcome, SmppStageOutcome::kStaged);
  EXPECT_EQ(f.Stage(Part(2, 4, {0x42})).outcome, SmppStageOutcome::kTotalDiffers);
  SmppStagedPart ucs2 = Part(2, 3, {0x00, 0x42});
  ucs2.data_coding = 8;
  EXPECT_EQ(f.Stage(ucs2).outcome, SmppStageOutcome::kCodingDiffers);
  EXPECT_EQ(f.Stage(Part(2, 3, {0x42})).outcome, SmppStageOutcome::kStaged);
  auto last = f.Stage(Part(3, 3, {0x43}));
  ASSERT_EQ(last.outcome, SmppStageOutcome::kComplete);
  EXPECT_EQ(last.parts, (Bytes{{0x41}, {0x42}, {0x43}}));
}

TEST_P(SmppStagingStoreContract, TheKeyIsCredentialSourceDestinationAndReference) {
  SmppStagingFixture f(smpp_staging());
  SmppStagedPart a = Part(1, 2, {0x41});
  ASSERT_EQ(f.Stage(a).outcome, SmppStageOutcome::kStaged);
  for (int i = 0; i < 4; ++i) {
    SmppStagedPart other = a;
    other.message_id = "other" + std::to_string(i);
    switch (i) {
      case 0:
        other.system_id = "acme19";
        break;
      case 1:
        other.source = "ACMEIO";
        break;
      case 2:
        other.destination = "919876543211";
        break;
      default:
        other.reference = 43;
    }
    auto staged = f.Stage(other);
    EXPECT_EQ(staged.outcome, SmppStageOutcome::kStaged) << i;
    EXPECT_EQ(staged.message_id, other.message_id) << i;
  }
  EXPECT_EQ(f.Sets("acme1"), 4u);  // the first, and one each by source, destination, reference
  EXPECT_EQ(f.Sets("acme19"), 1u);
}

TEST_P(SmppStagingStoreContract, SetsPerCredentialAndOctetsPerSetAreBounded) {
  SmppStagingFixture f(smpp_staging());
  const SmppStagingLimits limits{.max_sets_per_credential = 2, .max_set_octets = 5};
  for (uint16_t ref = 1; ref <= 2; ++ref) {
    SmppStagedPart p = Part(1, 2, {0x41, 0x42});
    p.reference = ref;
    ASSERT_EQ(f.Stage(p, limits).outcome, SmppStageOutcome::kStaged);
  }
  SmppStagedPart third = Part(1, 2, {0x41});
  third.reference = 3;
  EXPECT_EQ(f.Stage(third, limits).outcome, SmppStageOutcome::kTooManySets);
  // A part of a set already staged is not a new set; another credential has its own count.
  SmppStagedPart more = Part(2, 2, {0x43, 0x44, 0x45, 0x46});
  more.reference = 1;
  EXPECT_EQ(f.Stage(more, limits).outcome, SmppStageOutcome::kTooLong);
  more.user_data = {0x43, 0x44, 0x45};
  EXPECT_EQ(f.Stage(more, limits).outcome, SmppStageOutcome::kComplete);
  third.system_id = "acme2";
  EXPECT_EQ(f.Stage(third, limits).outcome, SmppStageOutcome::kStaged);
  SmppStagedPart huge = Part(1, 2, std::vector<uint8_t>(6, 0x41));
  huge.system_id = "acme3";
  EXPECT_EQ(f.Stage(huge, limits).outcome, SmppStageOutcome::kTooLong);
  EXPECT_EQ(f.Sets("acme3"), 0u);
  EXPECT_FALSE(smpp_staging().StageSmppPart(Part(3, 2, {0x41}), limits));
  EXPECT_FALSE(smpp_staging().StageSmppPart(Part(1, 1, {0x41}), limits));
}

TEST_P(SmppStagingStoreContract, IncompleteSetsExpireOldestFirstAndCannotBeCompletedAfter) {
  ASSERT_TRUE(accounts().CreateAccount(store::Account{kSid, "acme", TestTime(), 0}));
  SmppStagingFixture f(smpp_staging());
  for (int i = 0; i < 3; ++i) {
    SmppStagedPart p = Part(1, 3, {0x41}, "m" + std::to_string(i), 1000 * i);
    p.reference = static_cast<uint16_t>(10 + i);
    ASSERT_EQ(f.Stage(p).outcome, SmppStageOutcome::kStaged);
  }
  SmppStagedPart p = Part(2, 3, {0x42}, "", 5000);
  p.reference = 10;
  ASSERT_EQ(f.Stage(p).outcome, SmppStageOutcome::kStaged);
  auto none = smpp_staging().ExpireSmppSets(TestTime(0), 10);
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_TRUE(none->empty());
  auto expired = smpp_staging().ExpireSmppSets(TestTime(1500), 10);
  ASSERT_TRUE(expired) << expired.error().message;
  ASSERT_EQ(expired->size(), 2u);
  EXPECT_EQ((*expired)[0].message_id, "m0");
  EXPECT_EQ((*expired)[0].reference, 10);
  EXPECT_EQ((*expired)[0].received, 2);
  EXPECT_EQ((*expired)[0].total, 3);
  EXPECT_EQ((*expired)[0].sid, kSid);
  EXPECT_EQ((*expired)[0].system_id, "acme1");
  EXPECT_EQ((*expired)[0].source, "ACMEIN");
  EXPECT_EQ((*expired)[0].destination, "919876543210");
  EXPECT_EQ((*expired)[0].first_at, TestTime(0));
  EXPECT_EQ((*expired)[1].message_id, "m1");
  EXPECT_EQ(f.Sets(), 1u);
  // A limit bounds one call.
  SmppStagedPart late = Part(1, 2, {0x41}, "late", 2500);
  late.reference = 20;
  ASSERT_EQ(f.Stage(late).outcome, SmppStageOutcome::kStaged);
  auto one = smpp_staging().ExpireSmppSets(TestTime(10'000), 1);
  ASSERT_TRUE(one);
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].message_id, "m2");
  EXPECT_EQ(f.Sets(), 1u);

  // A set that completed and then expired before its message was stored is not stored.
  SmppStagedPart last = Part(2, 2, {0x42}, "", 3000);
  last.reference = 20;
  auto complete = f.Stage(last);
  ASSERT_EQ(complete.outcome, SmppStageOutcome::kComplete);
  ASSERT_TRUE(smpp_staging().ExpireSmppSets(TestTime(10'000), 10));
  auto gone = smpp_staging().CompleteSmppSet(complete.set_id, TestMessage("late:1"));
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, core::Errc::kNotFound);
  EXPECT_FALSE(StoredMessage(message_log(), kSid, "late:1"));
}

TEST_P(SmppStagingStoreContract, ADroppedSetIsGoneAndItsMessageIsNeverStored) {
  ASSERT_TRUE(accounts().CreateAccount(store::Account{kSid, "acme", TestTime(), 0}));
  SmppStagingFixture f(smpp_staging());
  ASSERT_EQ(f.Stage(Part(1, 2, {0x41})).outcome, SmppStageOutcome::kStaged);
  auto complete = f.Stage(Part(2, 2, {0x42}));
  ASSERT_EQ(complete.outcome, SmppStageOutcome::kComplete);
  ASSERT_TRUE(smpp_staging().DropSmppSet(complete.set_id));
  ASSERT_TRUE(smpp_staging().DropSmppSet(complete.set_id));  // gone already: nothing
  EXPECT_EQ(f.Sets(), 0u);
  auto gone = smpp_staging().CompleteSmppSet(complete.set_id, TestMessage("m:1"));
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, core::Errc::kNotFound);
}

TEST_P(SmppStagingStoreContract, AFailedStoreOfTheMessageKeepsTheSet) {
  // The message's id is taken (kConflict): the insert fails, and the deletes with it.
  ASSERT_TRUE(accounts().CreateAccount(store::Account{kSid, "acme", TestTime(), 0}));
  SmppStagingFixture f(smpp_staging());
  ASSERT_EQ(f.Stage(Part(1, 2, {0x41}, "taken")).outcome, SmppStageOutcome::kStaged);
  auto complete = f.Stage(Part(2, 2, {0x42}));
  ASSERT_EQ(complete.outcome, SmppStageOutcome::kComplete);
  core::Message message = TestMessage("taken:2");
  ASSERT_TRUE(messages().Enqueue(std::vector{message}));
  auto failed = smpp_staging().CompleteSmppSet(complete.set_id, message);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, core::Errc::kConflict);
  EXPECT_EQ(f.Sets(), 1u);  // rolled back with the insert
}

TEST_P(SmppStagingStoreContract, StagedPartsSurviveARestart) {
  SmppStagingFixture(smpp_staging()).Stage(Part(1, 2, {0x00, 0xFF, 0x7F}));
  Reopen();
  SmppStagingFixture f(smpp_staging());
  auto last = f.Stage(Part(2, 2, {0x10}));
  ASSERT_EQ(last.outcome, SmppStageOutcome::kComplete);
  EXPECT_EQ(last.parts, (Bytes{{0x00, 0xFF, 0x7F}, {0x10}}));
  EXPECT_EQ(last.message_id, "m");
}

TEST_P(SmppStagingStoreContract, RegisteredDeliveryIsTheFirstNonZeroOfItsParts) {
  SmppStagingFixture f(smpp_staging());
  ASSERT_EQ(f.Stage(Part(1, 3, {0x41})).outcome, SmppStageOutcome::kStaged);
  SmppStagedPart second = Part(2, 3, {0x42});
  second.registered_delivery = 1;
  ASSERT_EQ(f.Stage(second).outcome, SmppStageOutcome::kStaged);
  SmppStagedPart third = Part(3, 3, {0x43});
  third.registered_delivery = 2;
  auto last = f.Stage(third);
  ASSERT_EQ(last.outcome, SmppStageOutcome::kComplete);
  EXPECT_EQ(last.registered_delivery, 1);
}

// The first parts of one set reach two nodes at the same moment: they start one set, whose id
// both answer with. A store that decides from its own transaction's view starts two (or fails).
TEST_P(SmppStagingStoreContract, TwoInstancesStagingTheFirstPartsOfOneSetStartOneSet) {
  auto other = OpenAnother();
  ASSERT_NE(other, nullptr);
  SmppStagingFixture here(smpp_staging());
  SmppStagingFixture there(other->smpp_staging());
  for (int round = 0; round < 20; ++round) {
    SmppStagedPart one = Part(1, 3, {0x41}, "a" + std::to_string(round));
    SmppStagedPart two = Part(2, 3, {0x42}, "b" + std::to_string(round));
    one.reference = two.reference = static_cast<uint16_t>(round);
    store::SmppStageResult a, b;
    AtOnce([&] { a = here.Stage(one); }, [&] { b = there.Stage(two); });
    EXPECT_EQ(a.outcome, SmppStageOutcome::kStaged) << "round " << round;
    EXPECT_EQ(b.outcome, SmppStageOutcome::kStaged) << "round " << round;
    EXPECT_EQ(a.set_id, b.set_id) << "round " << round;
    EXPECT_EQ(a.message_id, b.message_id) << "round " << round;
  }
  EXPECT_EQ(here.Sets(), 20u);
}

// The last part of a set is sent twice (its answer was lost) and each copy reaches another node:
// both complete the set at the same moment, and the message is stored once, neither failing.
TEST_P(SmppStagingStoreContract, TwoInstancesCompletingOneSetStoreItsMessageOnce) {
  ASSERT_TRUE(accounts().CreateAccount(store::Account{kSid, "acme", TestTime(), 0}));
  auto other = OpenAnother();
  ASSERT_NE(other, nullptr);
  SmppStagingFixture f(smpp_staging());
  for (int round = 0; round < 20; ++round) {
    const std::string id = "m" + std::to_string(round);
    SmppStagedPart first = Part(1, 2, {0x41}, id);
    SmppStagedPart last = Part(2, 2, {0x42}, id);
    first.reference = last.reference = static_cast<uint16_t>(round);
    ASSERT_EQ(f.Stage(first).outcome, SmppStageOutcome::kStaged);
    const store::SmppStageResult done = f.Stage(last);
    ASSERT_EQ(done.outcome, SmppStageOutcome::kComplete);
    ASSERT_EQ(f.Stage(last).outcome, SmppStageOutcome::kComplete);
    const core::Message message = TestMessage(id + ":1");
    core::Result<void> a, b;
    AtOnce([&] { a = smpp_staging().CompleteSmppSet(done.set_id, message); },
           [&] { b = other->smpp_staging().CompleteSmppSet(done.set_id, message); });
    EXPECT_TRUE(a) << "round " << round << ": " << a.error().message;
    EXPECT_TRUE(b) << "round " << round << ": " << b.error().message;
    auto stored = StoredMessage(message_log(), kSid, message.id);
    EXPECT_TRUE(stored) << "round " << round;
  }
  EXPECT_EQ(f.Sets(), 0u);
}

}  // namespace
}  // namespace smsgw::store_contract
