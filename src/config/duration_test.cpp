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

TEST(ParseDuration, RejectsMilliseconds) {
  auto d = ParseDuration("500ms");
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message.find("milliseconds are not allowed here"), std::string::npos)
      << d.error().message;
  EXPECT_FALSE(ParseDuration("1s500ms"));
}

using std::chrono::milliseconds;

TEST(ParseDurationMillis, Units) {
  EXPECT_EQ(ParseDurationMillis("250ms").value(), milliseconds{250});
  EXPECT_EQ(ParseDurationMillis("1s500ms").value(), milliseconds{1500});
  EXPECT_EQ(ParseDurationMillis("1m5s").value(), milliseconds{65'000});
  EXPECT_EQ(ParseDurationMillis("1m5ms").value(), milliseconds{60'005});
  EXPECT_EQ(ParseDurationMillis("2h").value(), milliseconds{7'200'000});
  EXPECT_EQ(ParseDurationMillis("0").value(), milliseconds{0});
  EXPECT_EQ(ParseDurationMillis("0ms").value(), milliseconds{0});
  EXPECT_EQ(ParseDurationMillis("3650d").value(), milliseconds{kMaxDuration});
}

TEST(ParseDurationMillis, RejectsBadInput) {
  for (const char* bad : {"", "15", "ms", "5ms1s", "5msx", "1.5s", "-5ms", "5 ms", "5MS", "1ms1ms",
                          "3650d1ms", "99999999999999999999999ms", "5us"}) {
    auto d = ParseDurationMillis(bad);
    EXPECT_FALSE(d) << "accepted \"" << bad << "\"";
    if (!d) {
      EXPECT_NE(d.error().message.find(std::string("\"") + bad + "\""), std::string::npos)
          << d.error().message;
    }
  }
}

TEST(FormatDurationMillis, ShortestFormRoundTrips) {
  EXPECT_EQ(FormatDurationMillis(milliseconds{0}), "0s");
  EXPECT_EQ(FormatDurationMillis(milliseconds{250}), "250ms");
  EXPECT_EQ(FormatDurationMillis(milliseconds{1500}), "1s500ms");
  EXPECT_EQ(FormatDurationMillis(milliseconds{300'000}), "5m");
  for (int64_t ms : {1LL, 999LL, 1001LL, 61'001LL, 86'400'001LL}) {
    EXPECT_EQ(ParseDurationMillis(FormatDurationMillis(milliseconds{ms})).value(), milliseconds{ms})
        << ms;
  }
}

}  // namespace
}  // namespace smsgw::config
