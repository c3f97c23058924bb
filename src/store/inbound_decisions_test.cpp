#include "store/inbound_decisions.h"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

namespace smsgw::store {
namespace {

using std::chrono::milliseconds;

const core::TimePoint kNow = core::FromUnixMillis(1'767'225'600'000);

InboundNumber Entry(std::string id, std::string sid, std::string keyword,
                    std::optional<core::TimePoint> expires_at = std::nullopt) {
  InboundNumber e;
  e.id = std::move(id);
  e.sid = std::move(sid);
  e.number = "15550001111";
  e.keyword = std::move(keyword);
  e.expires_at = expires_at;
  e.created_at = kNow;
  return e;
}

TEST(LiveEntryTest, AnExpiredKeywordIsAsIfAbsent) {
  EXPECT_TRUE(LiveEntry(Entry("1", "A", "JOIN"), kNow));
  EXPECT_TRUE(LiveEntry(Entry("1", "A", "JOIN", kNow + milliseconds(1)), kNow));
  EXPECT_FALSE(LiveEntry(Entry("1", "A", "JOIN", kNow), kNow));
}

TEST(MatchKeywordEntryTest, KeywordThenDefaultThenNothing) {
  const std::vector<InboundNumber> entries = {Entry("1", "A", ""), Entry("2", "A", "JOIN"),
                                              Entry("3", "B", "STOP", kNow)};
  EXPECT_EQ(MatchKeywordEntry(entries, "join us", kNow), 1u);
  EXPECT_EQ(MatchKeywordEntry(entries, "hello", kNow), 0u);
  EXPECT_EQ(MatchKeywordEntry(entries, "stop", kNow), 0u);  // expired: the default takes it
  const std::vector<InboundNumber> shared = {Entry("2", "A", "JOIN"), Entry("3", "B", "STOP")};
  EXPECT_EQ(MatchKeywordEntry(shared, "hello", kNow), std::nullopt);
}

TEST(ReplyAccountsToAskTest, EachAccountWithALiveEntryOnceInOrder) {
  const std::vector<InboundNumber> entries = {Entry("1", "B", "INFO"), Entry("2", "A", "JOIN"),
                                              Entry("3", "B", "STOP"), Entry("4", "C", "OLD", kNow),
                                              Entry("5", "C", "ZED", kNow - milliseconds(1))};
  const std::vector<std::string_view> expected = {"B", "A"};
  EXPECT_EQ(ReplyAccountsToAsk(entries, "15550002222", kNow), expected);
  EXPECT_TRUE(ReplyAccountsToAsk({}, "15550002222", kNow).empty());
}

TEST(ReplyAccountsToAskTest, NoneWithoutASource) {
  const std::vector<InboundNumber> entries = {Entry("1", "A", "JOIN")};
  EXPECT_TRUE(ReplyAccountsToAsk(entries, "", kNow).empty());
}

TEST(ReplyAccountTest, TheAccountThatSentLast) {
  const std::vector<LastSent> asked = {
      {"A", kNow - milliseconds(10)}, {"B", std::nullopt}, {"C", kNow - milliseconds(5)}};
  EXPECT_EQ(ReplyAccount(asked), "C");
}

TEST(ReplyAccountTest, TheFirstAskedWinsATie) {
  const std::vector<LastSent> asked = {{"A", kNow}, {"B", kNow}};
  EXPECT_EQ(ReplyAccount(asked), "A");
}

TEST(ReplyAccountTest, NoneWhenNoAccountEverSent) {
  const std::vector<LastSent> asked = {{"A", std::nullopt}, {"B", std::nullopt}};
  EXPECT_EQ(ReplyAccount(asked), std::nullopt);
  EXPECT_EQ(ReplyAccount({}), std::nullopt);
}

TEST(ReplyEntryOfTest, TheAccountsDefaultEntryElseItsFirstLiveOne) {
  const std::vector<InboundNumber> with_default = {Entry("1", "A", "JOIN"), Entry("2", "B", ""),
                                                   Entry("3", "A", ""), Entry("4", "A", "ZED")};
  // The default sorts first on a real number ((keyword, id) order); here it is found anywhere.
  EXPECT_EQ(ReplyEntryOf(with_default, "A", kNow), 2u);
  const std::vector<InboundNumber> keywords = {Entry("1", "A", "ALPHA", kNow),
                                               Entry("2", "B", "BETA"), Entry("3", "A", "JOIN"),
                                               Entry("4", "A", "ZED")};
  EXPECT_EQ(ReplyEntryOf(keywords, "A", kNow), 2u);  // ALPHA expired
  EXPECT_EQ(ReplyEntryOf(keywords, "C", kNow), std::nullopt);
}

TEST(SharingConflictTest, AKeywordIsUniqueOnTheNumber) {
  const std::vector<InboundNumber> others = {Entry("1", "B", "JOIN")};
  EXPECT_EQ(SharingConflict(Entry("2", "A", "JOIN"), others),
            "keyword 'JOIN' is taken on 15550001111");
  EXPECT_EQ(SharingConflict(Entry("2", "A", "STOP"), others), std::nullopt);
}

TEST(SharingConflictTest, ADefaultEntryNeedsTheNumberAlone) {
  EXPECT_EQ(SharingConflict(Entry("2", "A", ""), std::vector{Entry("1", "B", "JOIN")}),
            "15550001111 is used by another account");
  EXPECT_EQ(SharingConflict(Entry("2", "A", ""), std::vector{Entry("1", "A", "")}),
            "15550001111 already has an entry without keyword");
  EXPECT_EQ(SharingConflict(Entry("2", "A", ""), std::vector{Entry("1", "A", "JOIN")}),
            std::nullopt);
  EXPECT_EQ(SharingConflict(Entry("2", "A", "JOIN"), std::vector{Entry("1", "B", "")}),
            "15550001111 belongs to another account");
  EXPECT_EQ(SharingConflict(Entry("2", "A", "JOIN"), std::vector{Entry("1", "A", "")}),
            std::nullopt);
}

TEST(SharingConflictTest, ExpiredEntriesAreAsIfAbsent) {
  // entry.created_at is kNow: an entry that expired by then no longer holds the number.
  EXPECT_EQ(SharingConflict(Entry("2", "A", "JOIN"), std::vector{Entry("1", "B", "JOIN", kNow)}),
            std::nullopt);
  EXPECT_EQ(SharingConflict(Entry("2", "A", ""), std::vector{Entry("1", "B", "OLD", kNow)}),
            std::nullopt);
  EXPECT_NE(SharingConflict(Entry("2", "A", "JOIN"),
                            std::vector{Entry("1", "B", "JOIN", kNow + milliseconds(1))}),
            std::nullopt);
}

TEST(MissingPartsTest, ThePartNumbersNotPresentAscending) {
  EXPECT_EQ(MissingParts(std::vector{3, 1}, 4), (std::vector{2, 4}));
  EXPECT_EQ(MissingParts(std::vector{1, 2}, 2), std::vector<int>());
  EXPECT_EQ(MissingParts(std::vector<int>(), 2), (std::vector{1, 2}));
}

TEST(InStoredMessageTest, APartIsARepeatWhenAStoredMessageHadIt) {
  EXPECT_FALSE(InStoredMessage(std::vector<std::vector<int>>(), 1)) << "nothing stored";
  EXPECT_TRUE(InStoredMessage(std::vector<std::vector<int>>{{}}, 2)) << "a complete message";
  EXPECT_FALSE(InStoredMessage(std::vector<std::vector<int>>{{2, 4}}, 2))
      << "missing from it: not a repeat";
  EXPECT_TRUE(InStoredMessage(std::vector<std::vector<int>>{{2, 4}}, 3));
  EXPECT_TRUE(InStoredMessage(std::vector<std::vector<int>>{{2}, {1}}, 2)) << "any of them";
}

}  // namespace
}  // namespace smsgw::store
