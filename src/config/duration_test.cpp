#include "config/duration.h"

#include <gtest/gtest.h>

namespace smsgw::config {
namespace {

using std::chrono::seconds;

TEST(ParseDuration, SingleUnits) {
  EXPECT_EQ(ParseDuration("90s").value(), seconds{90});
  EXPECT_EQ(ParseDuration("15m").value(), seconds{15 * 60});
  EXPECT_EQ(ParseDuration("2h").value(), seconds{2 * 3600});
  EXPECT_EQ(ParseDuration("92d").value(), seconds{92 * 86400});
}

TEST(ParseDuration, Combinations) {
  EXPECT_EQ(ParseDuration("1h30m").value(), seconds{5400});
  EXPECT_EQ(ParseDuration("1d12h").value(), seconds{36 * 3600});
  EXPECT_EQ(ParseDuration("1d2h3m4s").value(), seconds{86400 + 7200 + 180 + 4});
  EXPECT_EQ(ParseDuration("2m0s").value(), seconds{120});
}

TEST(ParseDuration, Zero) {
  EXPECT_EQ(ParseDuration("0").value(), seconds{0});
  EXPECT_EQ(ParseDuration("0s").value(), seconds{0});
  EXPECT_EQ(ParseDuration("0m").value(), seconds{0});
}

TEST(ParseDuration, Maximum) {
  EXPECT_EQ(ParseDuration("3650d").value(), kMaxDuration);
  EXPECT_FALSE(ParseDuration("3651d"));
  EXPECT_FALSE(ParseDuration("3650d1s"));
  EXPECT_FALSE(ParseDuration("99999999999999999999999s"));  // would overflow int64
}

TEST(ParseDuration, RejectsBadInput) {
  for (const char* bad : {"", "15", "m", "15x", "1.5h", "-5m", "+5m", " 5m", "5m ", "5 m", "30m1h",
                          "1h1h", "5M", "1h30", "h30m", "15min", "P1D"}) {
    auto d = ParseDuration(bad);
    EXPECT_FALSE(d) << "accepted \"" << bad << "\"";
    if (!d) {
      EXPECT_EQ(d.error().code, core::Errc::kInvalidArgument);
      EXPECT_NE(d.error().message.find(std::string("\"") + bad + "\""), std::string::npos)
          << d.error().message;
    }
  }
}

TEST(FormatDuration, ShortestForm) {
  EXPECT_EQ(FormatDuration(seconds{0}), "0s");
  EXPECT_EQ(FormatDuration(seconds{90}), "1m30s");
  EXPECT_EQ(FormatDuration(seconds{15 * 60}), "15m");
  EXPECT_EQ(FormatDuration(seconds{5400}), "1h30m");
  EXPECT_EQ(FormatDuration(seconds{92 * 86400}), "92d");
}

TEST(FormatDuration, RoundTrips) {
  for (int64_t s : {1LL, 59LL, 61LL, 3599LL, 86401LL, 1234567LL}) {
    EXPECT_EQ(ParseDuration(FormatDuration(seconds{s})).value(), seconds{s}) << s;
  }
}

}  // namespace
}  // namespace smsgw::config
