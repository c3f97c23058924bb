#include "webhook/retry.h"

#include <gtest/gtest.h>

namespace smsgw::webhook {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const core::TimePoint kStart = core::FromUnixMillis(1'700'000'000'000);

TEST(RetryTest, FixedFollowsTheIntervalsThenGivesUp) {
  store::RetryPolicy p;
  p.kind = store::RetryPolicy::Kind::kFixed;
  p.intervals = {seconds(5), seconds(30)};
  const core::TimePoint now = kStart + seconds(100);
  EXPECT_EQ(NextAttemptAt(p, 1, kStart, now, 0.5), now + seconds(5));
  EXPECT_EQ(NextAttemptAt(p, 2, kStart, now, 0.5), now + seconds(30));
  EXPECT_EQ(NextAttemptAt(p, 3, kStart, now, 0.5), std::nullopt);
}

TEST(RetryTest, FixedWithoutIntervalsNeverRetries) {
  store::RetryPolicy p;
  EXPECT_EQ(NextAttemptAt(p, 1, kStart, kStart, 0.5), std::nullopt);
}

TEST(RetryTest, ExponentialDoublesUpToTheCap) {
  store::RetryPolicy p;
  p.kind = store::RetryPolicy::Kind::kExponential;
  p.initial = seconds(10);
  p.max_delay = seconds(60);
  p.horizon = seconds(100000);
  // random 0.5 is a jitter factor of exactly 1.
  EXPECT_EQ(NextAttemptAt(p, 1, kStart, kStart, 0.5), kStart + seconds(10));
  EXPECT_EQ(NextAttemptAt(p, 2, kStart, kStart, 0.5), kStart + seconds(20));
  EXPECT_EQ(NextAttemptAt(p, 3, kStart, kStart, 0.5), kStart + seconds(40));
  EXPECT_EQ(NextAttemptAt(p, 4, kStart, kStart, 0.5), kStart + seconds(60));
  EXPECT_EQ(NextAttemptAt(p, 1000, kStart, kStart, 0.5), kStart + seconds(60));
}

TEST(RetryTest, ExponentialJitterIsTwentyPercent) {
  store::RetryPolicy p;
  p.kind = store::RetryPolicy::Kind::kExponential;
  p.initial = seconds(100);
  EXPECT_EQ(NextAttemptAt(p, 1, kStart, kStart, 0.0), kStart + seconds(80));
  EXPECT_EQ(NextAttemptAt(p, 1, kStart, kStart, 0.25), kStart + seconds(90));
  EXPECT_EQ(NextAttemptAt(p, 1, kStart, kStart, 1.0), kStart + seconds(120));
  for (double r = 0; r < 1; r += 0.01) {
    const auto at = NextAttemptAt(p, 1, kStart, kStart, r);
    ASSERT_TRUE(at);
    EXPECT_GE(*at, kStart + seconds(80));
    EXPECT_LE(*at, kStart + seconds(120));
  }
}

TEST(RetryTest, ExponentialStopsAtTheHorizon) {
  store::RetryPolicy p;
  p.kind = store::RetryPolicy::Kind::kExponential;
  p.initial = seconds(10);
  p.max_delay = seconds(3600);
  p.horizon = seconds(60);
  EXPECT_EQ(NextAttemptAt(p, 1, kStart, kStart + seconds(40), 0.5), kStart + seconds(50));
  EXPECT_EQ(NextAttemptAt(p, 1, kStart, kStart + seconds(50), 0.5), kStart + seconds(60));
  EXPECT_EQ(NextAttemptAt(p, 1, kStart, kStart + milliseconds(50001), 0.5), std::nullopt);
  EXPECT_EQ(NextAttemptAt(p, 3, kStart, kStart + seconds(30), 0.5), std::nullopt);  // +40 s
}

}  // namespace
}  // namespace smsgw::webhook
