#include "core/inbound_match.h"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

namespace smsgw::core {
namespace {

const TimePoint kNow = FromUnixMillis(1'767'225'600'000);

TEST(FirstWordTest, SkipsLeadingWhiteSpaceAndUpperCases) {
  EXPECT_EQ(FirstWord("  stop now"), "STOP");
  EXPECT_EQ(FirstWord("\t\r\nJoin\tme"), "JOIN");
  EXPECT_EQ(FirstWord("Info"), "INFO");
  EXPECT_EQ(FirstWord(""), "");
  EXPECT_EQ(FirstWord(" \n "), "");
}

TEST(FirstWordTest, UnicodeWhiteSpaceSeparatesWords) {
  EXPECT_EQ(FirstWord("\xC2\xA0yes\xC2\xA0please"), "YES");    // NBSP
  EXPECT_EQ(FirstWord("\xE3\x80\x80ok\xE2\x80\x83go"), "OK");  // ideographic space, em space
}

TEST(FirstWordTest, LatinOneLettersUpperCaseOtherScriptsStay) {
  EXPECT_EQ(FirstWord("caf\xC3\xA9 au lait"), "CAF\xC3\x89");  // é -> É
  EXPECT_EQ(FirstWord("stra\xC3\x9F"
                      "e"),
            "STRA\xC3\x9F"
            "E");                                                  // ß stays
  EXPECT_EQ(FirstWord("\xC3\xBF"), "\xC5\xB8");                    // ÿ -> Ÿ
  EXPECT_EQ(FirstWord("\xD0\xB4\xD0\xB0 x"), "\xD0\xB4\xD0\xB0");  // Cyrillic as it is
  EXPECT_EQ(FirstWord("\xFF\xFEz y"), "\xFF\xFEZ");                // invalid bytes kept
}

TEST(MatchInboundTest, KeywordMatchesTheFirstWordCaseInsensitively) {
  const std::vector<InboundCandidate> c = {
      {"", std::nullopt}, {"JOIN", std::nullopt}, {"STOP", std::nullopt}};
  EXPECT_EQ(MatchInbound(c, "stop please", kNow), 2u);
  EXPECT_EQ(MatchInbound(c, " Join", kNow), 1u);
  EXPECT_EQ(MatchInbound(c, "joining", kNow), 0u);  // a prefix is not the word
  EXPECT_EQ(MatchInbound(c, "hello", kNow), 0u);
  EXPECT_EQ(MatchInbound(c, "", kNow), 0u);
}

TEST(MatchInboundTest, NoDefaultAndNoKeywordIsNoMatch) {
  const std::vector<InboundCandidate> c = {{"JOIN", std::nullopt}};
  EXPECT_EQ(MatchInbound(c, "hello", kNow), std::nullopt);
  EXPECT_EQ(MatchInbound({}, "join", kNow), std::nullopt);
}

TEST(MatchInboundTest, AnExpiredKeywordIsAsIfAbsent) {
  const std::vector<InboundCandidate> c = {
      {"", std::nullopt}, {"PROMO", kNow}, {"LATER", kNow + std::chrono::milliseconds(1)}};
  EXPECT_EQ(MatchInbound(c, "promo", kNow), 0u);
  EXPECT_EQ(MatchInbound(c, "later", kNow), 2u);
  EXPECT_EQ(MatchInbound(c, "promo", kNow - std::chrono::milliseconds(1)), 1u);
}

}  // namespace
}  // namespace smsgw::core
