#include "smpp_server/smpp_time.h"

#include <gtest/gtest.h>

#include <string>

namespace smsgw::smpp_server {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

core::TimePoint At(std::string_view iso) { return *core::ParseIso8601(iso); }

const core::TimePoint kNow = At("2026-12-05T23:30:00Z");

core::TimePoint Parsed(std::string_view text, core::TimePoint now = kNow) {
  auto t = ParseSmppTime(text, now);
  EXPECT_TRUE(t.has_value()) << text << ": " << (t ? "" : t.error());
  EXPECT_TRUE(t && t->has_value()) << text;
  return t && *t ? **t : core::TimePoint{};
}

bool Refused(std::string_view text) { return !ParseSmppTime(text, kNow).has_value(); }

TEST(SmppTime, EmptyIsNull) {
  auto t = ParseSmppTime("", kNow);
  ASSERT_TRUE(t.has_value());
  EXPECT_FALSE(t->has_value());
}

TEST(SmppTime, AbsoluteUtc) {
  EXPECT_EQ(Parsed("261206103000000+"), At("2026-12-06T10:30:00Z"));
  EXPECT_EQ(Parsed("261206103000000-"), At("2026-12-06T10:30:00Z"));
  // tenths of a second
  EXPECT_EQ(Parsed("261206103000700+"), At("2026-12-06T10:30:00Z") + milliseconds(700));
}

TEST(SmppTime, AbsoluteWithOffset) {
  // India: 22 quarter hours (+05:30) ahead of UTC.
  EXPECT_EQ(Parsed("261206160000022+"), At("2026-12-06T10:30:00Z"));
  // New York in winter: 20 quarter hours behind.
  EXPECT_EQ(Parsed("261206053000020-"), At("2026-12-06T10:30:00Z"));
  // The largest offset, 12 hours, crosses the day.
  EXPECT_EQ(Parsed("261207000000048+"), At("2026-12-06T12:00:00Z"));
}

TEST(SmppTime, AbsoluteCalendar) {
  EXPECT_EQ(Parsed("280229000000000+"), At("2028-02-29T00:00:00Z"));  // a leap year
  EXPECT_TRUE(Refused("270229000000000+"));                           // not one
  EXPECT_TRUE(Refused("261131000000000+"));                           // November has 30 days
  EXPECT_TRUE(Refused("261300000000000+"));                           // month 13
  EXPECT_TRUE(Refused("261200000000000+"));                           // day 0
  EXPECT_TRUE(Refused("261201240000000+"));                           // hour 24
  EXPECT_TRUE(Refused("261201006000000+"));                           // minute 60
  EXPECT_TRUE(Refused("261201000060000+"));                           // second 60
  EXPECT_TRUE(Refused("261201000000049+"));                           // offset above 12 hours
  EXPECT_EQ(Parsed("991231235959900+"), At("2099-12-31T23:59:59Z") + milliseconds(900));
}

TEST(SmppTime, Relative) {
  EXPECT_EQ(Parsed("000000001000000R"), kNow + minutes(10));
  EXPECT_EQ(Parsed("000001000000000R"), kNow + hours(24));
  EXPECT_EQ(Parsed("000000990000000R"), kNow + hours(99));  // fields are not a date's
  EXPECT_EQ(Parsed("000000000099000R"), kNow + seconds(99));
  EXPECT_EQ(Parsed("000000000000000R"), kNow);
  EXPECT_EQ(Parsed("000102030405000R"),
            At("2027-01-08T02:34:05Z"));  // 1 month, 2 days, 3:04:05 after Dec 5 23:30
  EXPECT_EQ(Parsed("010000000000000R"), At("2027-12-05T23:30:00Z"));
  // A month from January 31 is the last day of February.
  EXPECT_EQ(Parsed("000100000000000R", At("2027-01-31T08:00:00Z")), At("2027-02-28T08:00:00Z"));
  EXPECT_EQ(Parsed("999999999999000R") > kNow + hours(24 * 365 * 99), true);  // the largest
}

TEST(SmppTime, RefusesWhatIsNotATime) {
  EXPECT_TRUE(Refused("26120610300000+"));    // 15 characters
  EXPECT_TRUE(Refused("2612061030000000+"));  // 17
  EXPECT_TRUE(Refused("26120610300000 +"));
  EXPECT_TRUE(Refused("2612061030000A0+"));
  EXPECT_TRUE(Refused("261206103000000Z"));  // not + - R
  EXPECT_TRUE(Refused("261206103000000r"));
  EXPECT_TRUE(Refused("-00000001000000R"));
  EXPECT_TRUE(Refused("00000000100000xR"));
  EXPECT_TRUE(
      Refused(std::string("2612061030\0"
                          "0000+",
                          16)));
  EXPECT_TRUE(Refused(std::string(16, '\xFF')));
}

TEST(SmppTime, FormatsAbsoluteUtc) {
  EXPECT_EQ(FormatSmppTime(At("2026-12-06T10:30:05Z") + milliseconds(700)), "261206103005000+");
  EXPECT_EQ(Parsed(FormatSmppTime(kNow)), kNow);
}

}  // namespace
}  // namespace smsgw::smpp_server
