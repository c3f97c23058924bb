#include "core/time.h"

#include <gtest/gtest.h>

namespace smsgw::core {
namespace {

TEST(ParseIso8601, AcceptsOffsetsAndZulu) {
  auto z = ParseIso8601("2025-07-11T08:28:00Z");
  auto plus = ParseIso8601("2025-07-11T12:58:00+04:30");
  auto compact = ParseIso8601("2025-07-11T12:58:00+0430");
  auto minus = ParseIso8601("2025-07-11T03:28:00-05:00");
  ASSERT_TRUE(z && plus && compact && minus);
  EXPECT_EQ(*z, *plus);
  EXPECT_EQ(*z, *compact);
  EXPECT_EQ(*z, *minus);
  EXPECT_EQ(FormatIso8601(*z), "2025-07-11T08:28:00+00:00");
}

TEST(ParseIso8601, RejectsMalformedAndImpossibleDates) {
  for (const char* bad :
       {"", "2025-07-11", "2025-07-11T12:58:00", "2025-13-01T00:00:00Z", "2025-02-29T00:00:00Z",
        "2025-07-11T24:00:00Z", "2025-07-11T12:60:00Z", "2025-07-11T12:58:00+15:00",
        "2025-07-11T12:58:00+04:3", "2025-07-11X12:58:00Z", "２025-07-11T12:58:00Z",
        "2025-07-11T12:58:00Zjunk"}) {
    EXPECT_FALSE(ParseIso8601(bad).has_value()) << bad;
  }
  EXPECT_TRUE(ParseIso8601("2024-02-29T00:00:00Z").has_value());
}

TEST(FormatTime, KaleyraForms) {
  const TimePoint t = FromUnixMillis(1572864143000);  // 2019-11-04 10:42:23 UTC
  EXPECT_EQ(FormatCreatedDateTime(t), "2019-11-04 10:42:23+00:00");
  EXPECT_EQ(FormatUtc(t), "2019-11-04 10:42:23");
  EXPECT_EQ(ToUnixMillis(t), 1572864143000);
}

}  // namespace
}  // namespace smsgw::core
