// The InboundStore half of the store contract (see store_contract.h): parts waiting for the rest
// of their MO, messages stored whole or after the reassembly timeout with parts missing, repeats,
// and reading the messages back.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "store_contract/store_contract.h"

namespace smsgw::store_contract {
namespace {

using store::InboundPart;
using store::InboundPartOutcome;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr int64_t kMinute = 60'000;

// What the text of a message says in these tests: each part as "<number>:<data_coding>:<user
// data in hex>", a missing one as "<number>:-", so that a test sees which parts the store handed
// over, in which order, with which bytes (the UDH cut off).
std::string DescribeParts(std::span<const InboundPart> present, int total) {
  std::string out;
  size_t next = 0;
  for (int n = 1; n <= total; ++n) {
    if (!out.empty()) {
      out += ' ';
    }
    const int number =
        next < present.size() && present[next].concat ? present[next].concat->seqnum : 1;
    if (next < present.size() && number == n) {
      const InboundPart& p = present[next++];
      out += std::to_string(n) + ":" + std::to_string(p.data_coding) + ":";
      for (size_t i = p.udh_length; i < p.payload.size(); ++i) {
        static constexpr char kDigits[] = "0123456789abcdef";
        out += kDigits[p.payload[i] >> 4];
        out += kDigits[p.payload[i] & 0xF];
      }
    } else {
      out += std::to_string(n) + ":-";
    }
  }
  return out;
}
const store::InboundAssembler kDescribe = DescribeParts;

InboundPart Single(std::string text, int64_t at_ms = 0, std::string source = "14155550100") {
  InboundPart p;
  p.connector = "smsc-a";
  p.source = std::move(source);
  p.destination = "56767";
  p.data_coding = 0;
  p.payload.assign(text.begin(), text.end());
  p.received_at = TestTime(at_ms);
  return p;
}

// Part `seqnum` of `total` with reference `ref`, its payload a 6-octet UDH then `data`.
InboundPart Part(int seqnum, int total, std::vector<uint8_t> data, int64_t at_ms = 0,
                 uint16_t ref = 7) {
  InboundPart p = Single("", at_ms);
  p.data_coding = 8;
  p.payload = {0x05,
               0x00,
               0x03,
               static_cast<uint8_t>(ref),
               static_cast<uint8_t>(total),
               static_cast<uint8_t>(seqnum)};
  p.payload.insert(p.payload.end(), data.begin(), data.end());
  p.udh_length = 6;
  p.concat = store::InboundConcat{ref, total, seqnum};
  return p;
}

TEST_P(InboundStoreContract, AMessageInOnePartIsStoredAtOnce) {
  InboundPart part = Single("Hi", 5);
  auto added = inbound().AddInboundPart(part, TestTime(), kDescribe);
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(added->outcome, InboundPartOutcome::kStored);
  ASSERT_FALSE(added->message_id.empty());

  auto m = inbound().GetInbound(added->message_id);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->id, added->message_id);
  EXPECT_EQ(m->received_at, TestTime(5));
  EXPECT_EQ(m->stored_at, TestTime(5));
  EXPECT_EQ(m->connector, "smsc-a");
  EXPECT_EQ(m->source, "14155550100");
  EXPECT_EQ(m->destination, "56767");
  EXPECT_EQ(m->text, "1:0:4869");
  EXPECT_EQ(m->parts_total, 1);
  EXPECT_EQ(m->parts_received, 1);
  EXPECT_THAT(m->parts_missing, IsEmpty());
  auto waiting = inbound().CountWaitingInboundParts();
  ASSERT_TRUE(waiting);
  EXPECT_EQ(*waiting, 0u);
}

TEST_P(InboundStoreContract, PartsWaitAndTheLastOneStoresTheMessageWhole) {
  auto add = [&](const InboundPart& p) {
    auto added = inbound().AddInboundPart(p, TestTime(), kDescribe);
    EXPECT_TRUE(added) << added.error().message;
    return added ? added->outcome : InboundPartOutcome::kRepeated;
  };
  // Out of order, as SMSCs deliver them; the bytes include NUL and 0xFF.
  EXPECT_EQ(add(Part(3, 3, {0x00, 0xFF}, 300)), InboundPartOutcome::kWaiting);
  EXPECT_EQ(add(Part(1, 3, {0x00, 0x41}, 100)), InboundPartOutcome::kWaiting);
  auto waiting = inbound().CountWaitingInboundParts();
  ASSERT_TRUE(waiting);
  EXPECT_EQ(*waiting, 2u);
  auto all = inbound().ListInbound("", 10, store::InboundFilter::kAll);
  ASSERT_TRUE(all);
  EXPECT_THAT(*all, IsEmpty()) << "nothing is stored before the message is whole";

  auto last = inbound().AddInboundPart(Part(2, 3, {0xD8, 0x3D}, 200), TestTime(), kDescribe);
  ASSERT_TRUE(last) << last.error().message;
  EXPECT_EQ(last->outcome, InboundPartOutcome::kStored);
  auto m = inbound().GetInbound(last->message_id);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->text, "1:8:0041 2:8:d83d 3:8:00ff");
  EXPECT_EQ(m->received_at, TestTime(100)) << "its first part's arrival";
  EXPECT_EQ(m->stored_at, TestTime(200)) << "its last part's arrival";
  EXPECT_EQ(m->parts_total, 3);
  EXPECT_EQ(m->parts_received, 3);
  EXPECT_THAT(m->parts_missing, IsEmpty());
  waiting = inbound().CountWaitingInboundParts();
  ASSERT_TRUE(waiting);
  EXPECT_EQ(*waiting, 0u) << "the parts are deleted with the message stored";
}

TEST_P(InboundStoreContract, PartsOfDifferentMessagesDoNotMix) {
  // Each differs from the first in one element of the key.
  std::vector<InboundPart> firsts = {Part(1, 2, {0x01})};
  firsts.push_back(Part(1, 2, {0x02}));
  firsts.back().connector = "smsc-b";
  firsts.push_back(Part(1, 2, {0x03}));
  firsts.back().source = "14155550199";
  firsts.push_back(Part(1, 2, {0x04}));
  firsts.back().destination = "56768";
  firsts.push_back(Part(1, 2, {0x05}, 0, 8));
  firsts.push_back(Part(1, 3, {0x06}));
  for (const InboundPart& p : firsts) {
    auto added = inbound().AddInboundPart(p, TestTime(), kDescribe);
    ASSERT_TRUE(added) << added.error().message;
    EXPECT_EQ(added->outcome, InboundPartOutcome::kWaiting);
  }
  InboundPart second = Part(2, 2, {0x22});
  second.destination = "56768";
  auto added = inbound().AddInboundPart(second, TestTime(), kDescribe);
  ASSERT_TRUE(added) << added.error().message;
  ASSERT_EQ(added->outcome, InboundPartOutcome::kStored);
  auto m = inbound().GetInbound(added->message_id);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->text, "1:8:04 2:8:22");
  EXPECT_EQ(m->destination, "56768");
  auto waiting = inbound().CountWaitingInboundParts();
  ASSERT_TRUE(waiting);
  EXPECT_EQ(*waiting, firsts.size() - 1);
}

TEST_P(InboundStoreContract, APartSentAgainWhileWaitingWritesNothing) {
  ASSERT_EQ(inbound().AddInboundPart(Part(1, 2, {0x01}), TestTime(), kDescribe)->outcome,
            InboundPartOutcome::kWaiting);
  auto again = inbound().AddInboundPart(Part(1, 2, {0x01}, 5000), TestTime(), kDescribe);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->outcome, InboundPartOutcome::kRepeated);
  EXPECT_TRUE(again->message_id.empty());
  auto waiting = inbound().CountWaitingInboundParts();
  ASSERT_TRUE(waiting);
  EXPECT_EQ(*waiting, 1u);

  auto last = inbound().AddInboundPart(Part(2, 2, {0x02}, 6000), TestTime(), kDescribe);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->outcome, InboundPartOutcome::kStored);
  auto all = inbound().ListInbound("", 10, store::InboundFilter::kAll);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].text, "1:8:01 2:8:02");
  EXPECT_EQ((*all)[0].received_at, TestTime(0)) << "the first copy's arrival";
}

TEST_P(InboundStoreContract, APartSentAgainAfterItsMessageWasStoredIsARepeatForAWhile) {
  ASSERT_TRUE(inbound().AddInboundPart(Part(1, 2, {0x01}, 0), TestTime(), kDescribe));
  auto stored = inbound().AddInboundPart(Part(2, 2, {0x02}, 1000), TestTime(), kDescribe);
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->outcome, InboundPartOutcome::kStored);

  // Our answer to part 2 was lost; the SMSC sends it (and part 1) again.
  for (int seqnum : {2, 1}) {
    auto again = inbound().AddInboundPart(Part(seqnum, 2, {0x09}, 2 * kMinute),
                                          TestTime(2 * kMinute - 5 * kMinute), kDescribe);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->outcome, InboundPartOutcome::kRepeated) << seqnum;
  }
  auto waiting = inbound().CountWaitingInboundParts();
  ASSERT_TRUE(waiting);
  EXPECT_EQ(*waiting, 0u);

  // Long after, the same key is a new message (8-bit references wrap).
  auto later = inbound().AddInboundPart(Part(1, 2, {0x0A}, 60 * kMinute),
                                        TestTime(60 * kMinute - 5 * kMinute), kDescribe);
  ASSERT_TRUE(later) << later.error().message;
  EXPECT_EQ(later->outcome, InboundPartOutcome::kWaiting);
  auto all = inbound().ListInbound("", 10, store::InboundFilter::kAll);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 1u);
}

TEST_P(InboundStoreContract, AOnePartConcatenatedMessageSentAgainIsARepeat) {
  auto first = inbound().AddInboundPart(Part(1, 1, {0x01}), TestTime(), kDescribe);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->outcome, InboundPartOutcome::kStored);
  auto again = inbound().AddInboundPart(Part(1, 1, {0x01}, 1000), TestTime(), kDescribe);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->outcome, InboundPartOutcome::kRepeated);
  auto all = inbound().ListInbound("", 10, store::InboundFilter::kAll);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].text, "1:8:01");
}

// Without a reference nothing tells a resent MO from the same words sent twice; the user's second
// "YES" must arrive, so both are stored.
TEST_P(InboundStoreContract, AnUnconcatenatedMessageIsAlwaysStored) {
  ASSERT_TRUE(inbound().AddInboundPart(Single("YES", 0), TestTime(), kDescribe));
  auto second = inbound().AddInboundPart(Single("YES", 1000), TestTime(), kDescribe);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->outcome, InboundPartOutcome::kStored);
  auto all = inbound().ListInbound("", 10, store::InboundFilter::kAll);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 2u);
}

TEST_P(InboundStoreContract, ExpiringStoresIncompleteMessagesWithTheirGaps) {
  const int64_t t0 = 0;
  ASSERT_TRUE(inbound().AddInboundPart(Part(3, 4, {0x03}, t0 + 100), TestTime(), kDescribe));
  ASSERT_TRUE(inbound().AddInboundPart(Part(1, 4, {0x01}, t0 + 50), TestTime(), kDescribe));
  // A younger message, not yet due.
  ASSERT_TRUE(inbound().AddInboundPart(Part(1, 2, {0x11}, 4 * kMinute, 9), TestTime(), kDescribe));

  auto none = inbound().ExpireInboundParts(TestTime(0), TestTime(5 * kMinute), kDescribe);
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_EQ(*none, 0u);

  // The reassembly timeout is 5 minutes: at 6 minutes the cutoff is 1 minute.
  auto expired = inbound().ExpireInboundParts(TestTime(kMinute), TestTime(6 * kMinute), kDescribe);
  ASSERT_TRUE(expired) << expired.error().message;
  EXPECT_EQ(*expired, 1u);
  auto all = inbound().ListInbound("", 10, store::InboundFilter::kAll);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  const store::InboundMessage& m = (*all)[0];
  EXPECT_EQ(m.text, "1:8:01 2:- 3:8:03 4:-");
  EXPECT_EQ(m.parts_total, 4);
  EXPECT_EQ(m.parts_received, 2);
  EXPECT_THAT(m.parts_missing, ElementsAre(2, 4));
  EXPECT_EQ(m.received_at, TestTime(t0 + 50));
  EXPECT_EQ(m.stored_at, TestTime(6 * kMinute));
  auto waiting = inbound().CountWaitingInboundParts();
  ASSERT_TRUE(waiting);
  EXPECT_EQ(*waiting, 1u) << "the younger message still waits";

  // A part that was in the stored message is a repeat; one that was missing is not lost, it
  // starts waiting on its own.
  auto repeat =
      inbound().AddInboundPart(Part(3, 4, {0x03}, 7 * kMinute), TestTime(2 * kMinute), kDescribe);
  ASSERT_TRUE(repeat);
  EXPECT_EQ(repeat->outcome, InboundPartOutcome::kRepeated);
  auto late =
      inbound().AddInboundPart(Part(2, 4, {0x02}, 7 * kMinute), TestTime(2 * kMinute), kDescribe);
  ASSERT_TRUE(late);
  EXPECT_EQ(late->outcome, InboundPartOutcome::kWaiting);
}

// More than a backend may lock in one transaction (PostgreSQL: 256 messages per transaction).
TEST_P(InboundStoreContract, ExpiringManyMessagesStoresEveryOne) {
  constexpr int kMessages = 600;
  for (int m = 0; m < kMessages; ++m) {
    ASSERT_TRUE(inbound().AddInboundPart(Part(1, 2, {0x01}, 0, static_cast<uint16_t>(m)),
                                         TestTime(), kDescribe));
  }
  auto expired = inbound().ExpireInboundParts(TestTime(1), TestTime(2), kDescribe);
  ASSERT_TRUE(expired) << expired.error().message;
  EXPECT_EQ(*expired, static_cast<size_t>(kMessages));
  auto waiting = inbound().CountWaitingInboundParts();
  ASSERT_TRUE(waiting);
  EXPECT_EQ(*waiting, 0u);
  auto again = inbound().ExpireInboundParts(TestTime(1), TestTime(3), kDescribe);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0u);
}

TEST_P(InboundStoreContract, ListingIsNewestStoredFirstAndPages) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    auto added =
        inbound().AddInboundPart(Single("m" + std::to_string(i), i), TestTime(), kDescribe);
    ASSERT_TRUE(added);
    ids.push_back(added->message_id);
  }
  auto first = inbound().ListInbound("", 2, store::InboundFilter::kAll);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].id, ids[4]);
  EXPECT_EQ((*first)[1].id, ids[3]);
  auto next = inbound().ListInbound((*first)[1].id, 10, store::InboundFilter::kAll);
  ASSERT_TRUE(next) << next.error().message;
  ASSERT_EQ(next->size(), 3u);
  EXPECT_EQ((*next)[0].id, ids[2]);
  EXPECT_EQ((*next)[2].id, ids[0]);
  auto none = inbound().ListInbound("", 0, store::InboundFilter::kAll);
  ASSERT_TRUE(none);
  EXPECT_THAT(*none, IsEmpty());
  auto unknown = inbound().ListInbound("no-such-id", 10, store::InboundFilter::kAll);
  ASSERT_TRUE(unknown);
  EXPECT_THAT(*unknown, IsEmpty());
  auto missing = inbound().GetInbound("no-such-id");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::Errc::kNotFound);
}

TEST_P(InboundStoreContract, APartThatCannotBePlacedIsRefused) {
  for (auto [seqnum, total] :
       {std::pair{0, 2}, std::pair{3, 2}, std::pair{1, 0}, std::pair{1, 256}}) {
    InboundPart p = Part(1, 2, {0x01});
    p.concat->seqnum = seqnum;
    p.concat->total = total;
    auto added = inbound().AddInboundPart(p, TestTime(), kDescribe);
    ASSERT_FALSE(added) << seqnum << "/" << total;
    EXPECT_EQ(added.error().code, core::Errc::kInvalidArgument);
  }
  auto waiting = inbound().CountWaitingInboundParts();
  ASSERT_TRUE(waiting);
  EXPECT_EQ(*waiting, 0u);
}

// Parts wait on disk: a restart, or another process, completes the message.
TEST_P(InboundStoreContract, WaitingPartsSurviveAReopenAndAreSharedByInstances) {
  ASSERT_TRUE(inbound().AddInboundPart(Part(1, 3, {0x01}), TestTime(), kDescribe));
  ASSERT_NO_FATAL_FAILURE(Reopen());
  ASSERT_TRUE(inbound().AddInboundPart(Part(2, 3, {0x02}), TestTime(), kDescribe));
  auto other = OpenAnother();
  ASSERT_NE(other, nullptr);
  auto last = other->inbound().AddInboundPart(Part(3, 3, {0x03}), TestTime(), kDescribe);
  ASSERT_TRUE(last) << last.error().message;
  ASSERT_EQ(last->outcome, InboundPartOutcome::kStored);
  auto m = inbound().GetInbound(last->message_id);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->text, "1:8:01 2:8:02 3:8:03");
}

// The last two parts of one message arrive on two nodes at the same moment. Each must see the
// other's part: a store that counts only what its own transaction sees leaves both waiting (the
// message never stored), one that does not serialise them could store it twice.
TEST_P(InboundStoreContract, TwoInstancesAddingTheLastTwoPartsAtOnceStoreTheMessageOnce) {
  auto other = OpenAnother();
  ASSERT_NE(other, nullptr);
  for (int round = 0; round < 20; ++round) {
    const auto ref = static_cast<uint16_t>(100 + round);
    ASSERT_EQ(inbound().AddInboundPart(Part(1, 3, {0x01}, 0, ref), TestTime(), kDescribe)->outcome,
              InboundPartOutcome::kWaiting);
    core::Result<store::InboundPartResult> a, b;
    AtOnce([&] { a = inbound().AddInboundPart(Part(2, 3, {0x02}, 1, ref), TestTime(), kDescribe); },
           [&] {
             b = other->inbound().AddInboundPart(Part(3, 3, {0x03}, 2, ref), TestTime(), kDescribe);
           });
    ASSERT_TRUE(a) << a.error().message;
    ASSERT_TRUE(b) << b.error().message;
    EXPECT_EQ(
        (a->outcome == InboundPartOutcome::kStored) + (b->outcome == InboundPartOutcome::kStored),
        1)
        << "round " << round;
    auto waiting = inbound().CountWaitingInboundParts();
    ASSERT_TRUE(waiting);
    EXPECT_EQ(*waiting, 0u) << "round " << round;
  }
  auto all = inbound().ListInbound("", 100, store::InboundFilter::kAll);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 20u);
  for (const store::InboundMessage& m : *all) {
    EXPECT_EQ(m.text, "1:8:01 2:8:02 3:8:03");
  }
}

// Two nodes give up on the same overdue messages at the same moment: each message is stored once,
// by one of them. A store that assembles what it read before the other committed stores each
// twice.
TEST_P(InboundStoreContract, TwoInstancesExpiringAtOnceStoreEachMessageOnce) {
  auto other = OpenAnother();
  ASSERT_NE(other, nullptr);
  for (int round = 0; round < 5; ++round) {
    for (int m = 0; m < 12; ++m) {
      const auto ref = static_cast<uint16_t>(round * 12 + m);
      ASSERT_TRUE(inbound().AddInboundPart(Part(1, 2, {0x01}, round * kMinute, ref), TestTime(),
                                           kDescribe));
    }
    const core::TimePoint cutoff = TestTime(round * kMinute + 1);
    const core::TimePoint now = TestTime(round * kMinute + 2);
    core::Result<size_t> a, b;
    AtOnce([&] { a = inbound().ExpireInboundParts(cutoff, now, kDescribe); },
           [&] { b = other->inbound().ExpireInboundParts(cutoff, now, kDescribe); });
    ASSERT_TRUE(a) << a.error().message;
    ASSERT_TRUE(b) << b.error().message;
    EXPECT_EQ(*a + *b, 12u) << "round " << round;
  }
  auto all = inbound().ListInbound("", 100, store::InboundFilter::kAll);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 60u);
  auto waiting = inbound().CountWaitingInboundParts();
  ASSERT_TRUE(waiting);
  EXPECT_EQ(*waiting, 0u);
}

}  // namespace
}  // namespace smsgw::store_contract
