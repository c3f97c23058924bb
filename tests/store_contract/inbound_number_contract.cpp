// The InboundNumberStore half of the store contract (see store_contract.h), and what InboundStore
// does with the entries: the sharing rules of a number, and matching a stored MO to an entry
// (keywords, the default entry, the two-way reply rule) with its inbound webhook.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "store_contract/store_contract.h"

namespace smsgw::store_contract {
namespace {

using store::InboundNumber;
using store::InboundPart;
using store::WebhookKind;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kSid[] = "HXIN0000000001IN";
constexpr char kOtherSid[] = "HXSG0000000002SG";
constexpr char kThirdSid[] = "HXUS0000000003US";
constexpr char kNumber[] = "14155550000";
constexpr int64_t kMinute = 60'000;

void CreateAccounts(store::AccountStore& accounts) {
  for (const char* sid : {kSid, kOtherSid, kThirdSid}) {
    ASSERT_TRUE(accounts.CreateAccount(store::Account{sid, "acme", TestTime(), 0}));
  }
}

InboundNumber Entry(std::string id, std::string sid, std::string keyword,
                    std::string number = kNumber) {
  InboundNumber e;
  e.id = std::move(id);
  e.sid = std::move(sid);
  e.number = std::move(number);
  e.keyword = std::move(keyword);
  e.callback_profile_id = "IN_p";
  e.created_at = TestTime();
  return e;
}

// The text of a message is its parts' user data, joined.
std::string JoinText(std::span<const InboundPart> present, int) {
  std::string out;
  for (const InboundPart& p : present) {
    out.append(p.payload.begin() + static_cast<std::ptrdiff_t>(p.udh_length), p.payload.end());
  }
  return out;
}
const store::InboundAssembler kJoin = JoinText;

InboundPart Mo(std::string text, std::string destination = "+1 415 555 0000",
               std::string source = "+919876543210", int64_t at_ms = 0) {
  InboundPart p;
  p.connector = "smsc-a";
  p.source = std::move(source);
  p.destination = std::move(destination);
  p.payload.assign(text.begin(), text.end());
  p.received_at = TestTime(at_ms);
  return p;
}

class Mos {
 public:
  explicit Mos(store::InboundStore& inbound) : inbound_(inbound) {}

  // Stores a one-part MO and reads it back.
  store::InboundMessage Store(const InboundPart& part) {
    auto added = inbound_.AddInboundPart(part, TestTime(-kMinute), kJoin);
    EXPECT_TRUE(added) << added.error().message;
    if (!added) {
      return {};
    }
    EXPECT_EQ(added->outcome, store::InboundPartOutcome::kStored);
    auto read = inbound_.GetInbound(added->message_id);
    EXPECT_TRUE(read) << read.error().message;
    return read ? *read : store::InboundMessage{};
  }

 private:
  store::InboundStore& inbound_;
};

TEST_P(InboundNumberStoreContract, EntriesAreCreatedReadListedAndDeleted) {
  CreateAccounts(accounts());
  InboundNumber def = Entry("n-1", kSid, "");
  def.callback = R"({"url":"https://a.example.com/"})";
  def.callback_profile_id = "";
  InboundNumber join = Entry("n-2", kSid, "JOIN");
  join.expires_at = TestTime(10 * kMinute);
  const InboundNumber shortcode = Entry("n-3", kSid, "", "56767");
  for (const InboundNumber& e : {join, def, shortcode}) {
    ASSERT_TRUE(inbound_numbers().CreateInboundNumber(e));
  }
  auto read = inbound_numbers().GetInboundNumber(kSid, "n-2");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(*read, join);
  auto all = inbound_numbers().ListInboundNumbers(kSid);
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_THAT(*all, ElementsAre(def, join, shortcode)) << "by number, then keyword";
  EXPECT_EQ(inbound_numbers().GetInboundNumber(kOtherSid, "n-2").error().code,
            core::Errc::kNotFound);
  EXPECT_EQ(inbound_numbers().DeleteInboundNumber(kOtherSid, "n-2").error().code,
            core::Errc::kNotFound);
  ASSERT_TRUE(inbound_numbers().DeleteInboundNumber(kSid, "n-2"));
  EXPECT_EQ(inbound_numbers().GetInboundNumber(kSid, "n-2").error().code, core::Errc::kNotFound);
  EXPECT_EQ(inbound_numbers().ListInboundNumbers("HXXX0000000009XX").error().code,
            core::Errc::kNotFound);
  EXPECT_EQ(
      inbound_numbers().CreateInboundNumber(Entry("n-9", "HXXX0000000009XX", "")).error().code,
      core::Errc::kNotFound);
  auto none = inbound_numbers().ListInboundNumbers(kOtherSid);
  ASSERT_TRUE(none);
  EXPECT_THAT(*none, IsEmpty());
}

TEST_P(InboundNumberStoreContract, ANumberIsOneAccountsOrSharedByKeywords) {
  CreateAccounts(accounts());
  auto create = [&](InboundNumber e) { return inbound_numbers().CreateInboundNumber(e); };
  auto conflict = [&](InboundNumber e) {
    auto created = inbound_numbers().CreateInboundNumber(e);
    return !created && created.error().code == core::Errc::kConflict;
  };
  // One account's number: a default and keywords.
  ASSERT_TRUE(create(Entry("a-1", kSid, "", "111")));
  ASSERT_TRUE(create(Entry("a-2", kSid, "INFO", "111")));
  EXPECT_TRUE(conflict(Entry("a-3", kSid, "", "111"))) << "a second default";
  EXPECT_TRUE(conflict(Entry("a-4", kSid, "INFO", "111"))) << "the same keyword";
  EXPECT_TRUE(conflict(Entry("b-1", kOtherSid, "OTHER", "111"))) << "another account's default";
  EXPECT_TRUE(conflict(Entry("b-2", kOtherSid, "", "111")));

  // A shared number: keywords only, unique on the number.
  ASSERT_TRUE(create(Entry("s-1", kSid, "PIZZA", "222")));
  ASSERT_TRUE(create(Entry("s-2", kOtherSid, "TACO", "222")));
  EXPECT_TRUE(conflict(Entry("s-3", kThirdSid, "PIZZA", "222"))) << "taken by another account";
  EXPECT_TRUE(conflict(Entry("s-4", kSid, "", "222"))) << "another account has entries";
  EXPECT_TRUE(conflict(Entry("s-5", kOtherSid, "", "222")));
  // An expired keyword is free again.
  InboundNumber expiring = Entry("s-6", kThirdSid, "SUSHI", "222");
  expiring.expires_at = TestTime(kMinute);
  ASSERT_TRUE(create(expiring));
  InboundNumber later = Entry("s-7", kSid, "SUSHI", "222");
  EXPECT_TRUE(conflict(later));
  later.created_at = TestTime(kMinute);
  EXPECT_TRUE(create(later));
  // The same keyword on another number is another entry.
  EXPECT_TRUE(create(Entry("t-1", kThirdSid, "PIZZA", "333")));
}

TEST_P(InboundNumberStoreContract, AnMoMatchesAKeywordElseTheDefaultEntry) {
  CreateAccounts(accounts());
  ASSERT_TRUE(inbound_numbers().CreateInboundNumber(Entry("n-def", kSid, "")));
  ASSERT_TRUE(inbound_numbers().CreateInboundNumber(Entry("n-stop", kSid, "STOP")));
  InboundNumber promo = Entry("n-promo", kSid, "PROMO");
  promo.expires_at = TestTime(kMinute);
  ASSERT_TRUE(inbound_numbers().CreateInboundNumber(promo));
  Mos mos(inbound());

  const store::InboundMessage stop = mos.Store(Mo("  stop all messages"));
  EXPECT_EQ(stop.sid, kSid);
  EXPECT_EQ(stop.number_id, "n-stop");
  EXPECT_EQ(stop.keyword, "STOP") << "case-insensitive, after white space";
  const store::InboundMessage hello = mos.Store(Mo("hello"));
  EXPECT_EQ(hello.number_id, "n-def");
  EXPECT_EQ(hello.keyword, "");
  EXPECT_EQ(mos.Store(Mo("Promo", "14155550000", "919876543210", kMinute - 1)).number_id,
            "n-promo");
  EXPECT_EQ(mos.Store(Mo("Promo", "14155550000", "919876543210", kMinute)).number_id, "n-def")
      << "an expired keyword falls back to the default";
  auto unmatched = inbound().CountUnmatchedInbound();
  ASSERT_TRUE(unmatched);
  EXPECT_EQ(*unmatched, 0u);

  // Each matched message has its inbound webhook, keyed by the message id, with the entry.
  auto of = webhooks().WebhooksOf(kSid, stop.id);
  ASSERT_TRUE(of);
  ASSERT_EQ(of->size(), 1u);
  EXPECT_EQ((*of)[0].event_id, stop.id);
  EXPECT_EQ((*of)[0].kind, WebhookKind::kInbound);
  auto jobs = webhooks().ClaimWebhooks("node", TestTime(2 * kMinute), std::chrono::seconds(30), 10);
  ASSERT_TRUE(jobs);
  ASSERT_EQ(jobs->size(), 4u);
  const auto found = std::find_if(jobs->begin(), jobs->end(), [&](const store::WebhookJob& j) {
    return j.event_id == stop.id;
  });
  ASSERT_NE(found, jobs->end());
  const store::WebhookJob& first = *found;
  EXPECT_EQ(first.event_id, stop.id);
  EXPECT_EQ(first.sid, kSid);
  EXPECT_EQ(first.callback_profile_id, "IN_p");
  EXPECT_EQ(first.inbound.message, stop);
  EXPECT_EQ(first.inbound.number_id, "n-stop");
  EXPECT_EQ(first.inbound.number, kNumber);
  EXPECT_EQ(first.inbound.keyword, "STOP");
}

TEST_P(InboundNumberStoreContract, UnmatchedMosAreStoredAndCountedWithoutAWebhook) {
  CreateAccounts(accounts());
  ASSERT_TRUE(inbound_numbers().CreateInboundNumber(Entry("n-join", kSid, "JOIN")));
  Mos mos(inbound());
  const store::InboundMessage other = mos.Store(Mo("JOIN", "99999"));
  EXPECT_EQ(other.sid, "") << "a number without entries";
  const store::InboundMessage word = mos.Store(Mo("LEAVE"));
  EXPECT_EQ(word.sid, "") << "no keyword matched, no default, nobody sent to the source";
  EXPECT_EQ(word.number_id, "");
  auto unmatched = inbound().CountUnmatchedInbound();
  ASSERT_TRUE(unmatched);
  EXPECT_EQ(*unmatched, 2u);
  auto counts = webhooks().CountWebhooks();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->pending, 0u);
  // A matched entry with no target and no default profile: matched, but nothing to send.
  ASSERT_TRUE(inbound_numbers().CreateInboundNumber([] {
    InboundNumber e = Entry("n-quiet", kOtherSid, "", "56767");
    e.callback_profile_id = "";
    return e;
  }()));
  const store::InboundMessage quiet = mos.Store(Mo("hi", "56767"));
  EXPECT_EQ(quiet.sid, kOtherSid);
  counts = webhooks().CountWebhooks();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->pending, 0u);
  // With a default profile the same entry forwards there.
  store::CallbackProfile def;
  def.id = "SG_default";
  def.sid = kOtherSid;
  def.url = "https://hooks.example.com/";
  def.method = "POST";
  def.is_default = true;
  ASSERT_TRUE(callback_profiles().CreateCallbackProfile(def));
  const store::InboundMessage forwarded = mos.Store(Mo("hi again", "56767"));
  auto jobs = webhooks().ClaimWebhooks("node", TestTime(kMinute), std::chrono::seconds(30), 10);
  ASSERT_TRUE(jobs);
  ASSERT_EQ(jobs->size(), 1u);
  EXPECT_EQ((*jobs)[0].event_id, forwarded.id);
  EXPECT_EQ((*jobs)[0].callback_profile_id, "SG_default");

  // Listing only the unmatched ones skips the matched, and pages among the unmatched.
  auto all = inbound().ListInbound("", 10, store::InboundFilter::kAll);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 4u);
  auto only = inbound().ListInbound("", 10, store::InboundFilter::kUnmatched);
  ASSERT_TRUE(only);
  ASSERT_EQ(only->size(), 2u);
  EXPECT_EQ((*only)[0].id, word.id) << "newest first";
  EXPECT_EQ((*only)[1].id, other.id);
  auto after_forwarded = inbound().ListInbound(forwarded.id, 10, store::InboundFilter::kUnmatched);
  ASSERT_TRUE(after_forwarded);
  ASSERT_EQ(after_forwarded->size(), 2u) << "a matched message pages the unmatched too";
  auto next = inbound().ListInbound(word.id, 10, store::InboundFilter::kUnmatched);
  ASSERT_TRUE(next);
  ASSERT_EQ(next->size(), 1u);
  EXPECT_EQ((*next)[0].id, other.id);
}

TEST_P(InboundNumberStoreContract, AReplyOnASharedNumberGoesToWhoLastSentFromIt) {
  CreateAccounts(accounts());
  ASSERT_TRUE(inbound_numbers().CreateInboundNumber(Entry("a-pizza", kSid, "PIZZA")));
  ASSERT_TRUE(inbound_numbers().CreateInboundNumber(Entry("a-menu", kSid, "MENU")));
  ASSERT_TRUE(inbound_numbers().CreateInboundNumber(Entry("b-taco", kOtherSid, "TACO")));
  // Both accounts sent to the handset from the number (one with '+'); the other account last.
  core::Message a = TestMessage("a:1", kSid);
  a.sender = "14155550000";
  a.created_at = TestTime(1000);
  core::Message b = TestMessage("b:1", kOtherSid);
  b.sender = "+14155550000";
  b.created_at = TestTime(2000);
  core::Message c = TestMessage("c:1", kSid);
  c.sender = "ACMEIN";  // later, but not from the number
  c.created_at = TestTime(3000);
  ASSERT_TRUE(messages().Enqueue(std::vector{a, b, c}));
  Mos mos(inbound());

  const store::InboundMessage reply = mos.Store(Mo("yes please", "14155550000", "+91 98765 43210"));
  EXPECT_EQ(reply.sid, kOtherSid);
  EXPECT_EQ(reply.number_id, "b-taco");
  EXPECT_EQ(reply.keyword, "TACO");
  EXPECT_EQ(mos.Store(Mo("pizza")).number_id, "a-pizza") << "a keyword still wins";
  EXPECT_EQ(mos.Store(Mo("hi", kNumber, "14155550199")).sid, "") << "nobody sent to this source";

  // The first account sends again: replies go to it, to its first entry (no default on a shared
  // number).
  core::Message d = TestMessage("d:1", kSid);
  d.sender = "+14155550000";
  d.created_at = TestTime(4000);
  ASSERT_TRUE(messages().Enqueue(std::vector{d}));
  const store::InboundMessage second = mos.Store(Mo("ok"));
  EXPECT_EQ(second.sid, kSid);
  EXPECT_EQ(second.number_id, "a-menu") << "entries in keyword order";
}

TEST_P(InboundNumberStoreContract, AMultipartMoIsMatchedOnceWhenComplete) {
  CreateAccounts(accounts());
  ASSERT_TRUE(inbound_numbers().CreateInboundNumber(Entry("n-join", kSid, "JOIN")));
  auto part = [](int seqnum, std::string text, int64_t at_ms) {
    InboundPart p = Mo("", kNumber, "919876543210", at_ms);
    p.payload = {0x05, 0x00, 0x03, 0x2A, 0x03, static_cast<uint8_t>(seqnum)};
    p.payload.insert(p.payload.end(), text.begin(), text.end());
    p.udh_length = 6;
    p.concat = store::InboundConcat{0x2A, 3, seqnum};
    return p;
  };
  for (auto [n, text] : {std::pair(1, std::string("jo")), std::pair(3, std::string(" me"))}) {
    auto added = inbound().AddInboundPart(part(n, text, n), TestTime(-kMinute), kJoin);
    ASSERT_TRUE(added);
    EXPECT_EQ(added->outcome, store::InboundPartOutcome::kWaiting);
  }
  auto counts = webhooks().CountWebhooks();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->pending, 0u) << "nothing before the message is complete";
  auto last = inbound().AddInboundPart(part(2, "in", 5), TestTime(-kMinute), kJoin);
  ASSERT_TRUE(last);
  ASSERT_EQ(last->outcome, store::InboundPartOutcome::kStored);
  auto stored = inbound().GetInbound(last->message_id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->text, "join me");
  EXPECT_EQ(stored->number_id, "n-join") << "the keyword spans a part boundary";
  counts = webhooks().CountWebhooks();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->pending, 1u);

  // After the reassembly timeout, a message with a part missing is matched too.
  auto first =
      inbound().AddInboundPart(part(1, "join", 10 * kMinute), TestTime(9 * kMinute), kJoin);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->outcome, store::InboundPartOutcome::kWaiting);
  auto expired =
      inbound().ExpireInboundParts(TestTime(20 * kMinute), TestTime(20 * kMinute), kJoin);
  ASSERT_TRUE(expired);
  EXPECT_EQ(*expired, 1u);
  auto listed = inbound().ListInbound("", 1, store::InboundFilter::kAll);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].number_id, "n-join");
  EXPECT_EQ((*listed)[0].sid, kSid);
  counts = webhooks().CountWebhooks();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->pending, 2u);
}

// Two nodes create entries on one number at the same moment that cannot both stand (each
// account's default entry; the same keyword). A store that checks the sharing rules on what its
// own transaction sees lets both in.
TEST_P(InboundNumberStoreContract, TwoInstancesCreatingConflictingEntriesAtOnceDoNotBothSucceed) {
  CreateAccounts(accounts());
  auto other = OpenAnother();
  ASSERT_NE(other, nullptr);
  for (int round = 0; round < 20; ++round) {
    const std::string number = "4470000" + std::to_string(round);
    const std::string keyword = round % 2 == 0 ? "" : "JOIN";
    core::Result<void> a, b;
    AtOnce(
        [&] {
          a = inbound_numbers().CreateInboundNumber(
              Entry("a-" + std::to_string(round), kSid, keyword, number));
        },
        [&] {
          b = other->inbound_numbers().CreateInboundNumber(
              Entry("b-" + std::to_string(round), kOtherSid, keyword, number));
        });
    EXPECT_NE(a.has_value(), b.has_value()) << "round " << round;
    for (const core::Result<void>* r : {&a, &b}) {
      if (!r->has_value()) {
        EXPECT_EQ(r->error().code, core::Errc::kConflict) << r->error().message;
      }
    }
  }
}

}  // namespace
}  // namespace smsgw::store_contract
