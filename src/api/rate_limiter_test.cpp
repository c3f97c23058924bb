#include "api/rate_limiter.h"

#include <gtest/gtest.h>

namespace smsgw::api {
namespace {

using namespace std::chrono_literals;
using Clock = RateLimiter::Clock;

TEST(RateLimiter, UnlimitedByDefault) {
  RateLimiter limiter;
  const auto t = Clock::now();
  for (int i = 0; i < 10'000; ++i) {
    ASSERT_EQ(limiter.TakeSend("A", {}, t), std::nullopt);
    ASSERT_EQ(limiter.TakeRecipients("A", {}, 100, t), std::nullopt);
  }
}

TEST(RateLimiter, SendsPerSecondWithASecondOfBurst) {
  RateLimiter limiter;
  const AccountRateLimits limits{5, 0};
  const auto t0 = Clock::time_point{} + 1h;
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(limiter.TakeSend("A", limits, t0), std::nullopt) << i;
  }
  EXPECT_EQ(limiter.TakeSend("A", limits, t0), 1s) << "the sixth in the same instant";
  EXPECT_EQ(limiter.TakeSend("B", limits, t0), std::nullopt) << "each account its own bucket";
  EXPECT_EQ(limiter.TakeSend("A", limits, t0 + 200ms), std::nullopt) << "one more token";
  EXPECT_EQ(limiter.TakeRecipients("A", limits, 1000, t0), std::nullopt) << "not limited";
}

TEST(RateLimiter, RecipientsOverTheBurstAreOwedAndRetryAfterSaysWhen) {
  RateLimiter limiter;
  const AccountRateLimits limits{0, 10};
  const auto t0 = Clock::time_point{} + 1h;
  EXPECT_EQ(limiter.TakeRecipients("A", limits, 30, t0), std::nullopt);  // 20 owed
  EXPECT_EQ(limiter.TakeRecipients("A", limits, 1, t0), 3s);  // (20 + 1) / 10 s, rounded up
  EXPECT_EQ(limiter.TakeRecipients("A", limits, 1, t0 + 2100ms), std::nullopt);
}

TEST(RateLimiter, ChangedLimitsStartFreshBuckets) {
  RateLimiter limiter;
  const auto t0 = Clock::time_point{} + 1h;
  EXPECT_EQ(limiter.TakeSend("A", {1, 0}, t0), std::nullopt);
  EXPECT_EQ(limiter.TakeSend("A", {1, 0}, t0), 1s);
  EXPECT_EQ(limiter.TakeSend("A", {2, 0}, t0), std::nullopt);
}

TEST(RateLimitsJson, NullIsUnlimited) {
  EXPECT_EQ(RateLimitsJson({20, 0}),
            R"({"sends_per_second":20,"recipients_per_second":null,"error":{}})");
}

}  // namespace
}  // namespace smsgw::api
