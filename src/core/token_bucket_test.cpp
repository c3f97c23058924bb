#include "core/token_bucket.h"

#include <gtest/gtest.h>

namespace smsgw::core {
namespace {

using namespace std::chrono_literals;
using Clock = TokenBucket::Clock;

TEST(TokenBucket, UnlimitedAlwaysGives) {
  TokenBucket bucket(0);
  const auto t = Clock::now();
  for (int i = 0; i < 1000; ++i) {
    EXPECT_TRUE(bucket.TryTake(t));
  }
  EXPECT_EQ(bucket.NextToken(t), t);
}

TEST(TokenBucket, HoldsTheRateOverASecond) {
  const auto t0 = Clock::time_point{} + 1h;
  TokenBucket bucket(100, 0, t0);  // burst 10
  int taken = 0;
  for (auto t = t0; t < t0 + 1s; t += 1ms) {
    while (bucket.TryTake(t)) {
      ++taken;
    }
  }
  EXPECT_GE(taken, 100);
  EXPECT_LE(taken, 110);  // the rate plus the initial burst
}

TEST(TokenBucket, NextTokenSaysWhenToComeBack) {
  const auto t0 = Clock::time_point{} + 1h;
  TokenBucket bucket(10, 1, t0);
  EXPECT_TRUE(bucket.TryTake(t0));
  EXPECT_FALSE(bucket.TryTake(t0));
  const auto next = bucket.NextToken(t0);
  EXPECT_GE(next - t0, 99ms);
  EXPECT_LE(next - t0, 101ms);
  EXPECT_FALSE(bucket.TryTake(next - 2ms));
  EXPECT_TRUE(bucket.TryTake(next));
}

TEST(TokenBucket, SlowRatesStillGetOneToken) {
  const auto t0 = Clock::time_point{} + 1h;
  TokenBucket bucket(0.5, 0, t0);  // one message every two seconds
  EXPECT_TRUE(bucket.TryTake(t0));
  EXPECT_FALSE(bucket.TryTake(t0 + 1s));
  EXPECT_TRUE(bucket.TryTake(t0 + 2s));
}

// An account's recipients per second: a request of 100 recipients against 50/s goes through on a
// full bucket and is paid for over the next seconds.
TEST(TokenBucket, TakesSeveralAndOwesWhatExceedsTheBurst) {
  const auto t0 = Clock::time_point{} + 1h;
  TokenBucket bucket(50, 50, t0);
  EXPECT_EQ(bucket.NextToken(t0, 100), t0);
  EXPECT_TRUE(bucket.TryTake(t0, 100));  // 50 of debt
  EXPECT_FALSE(bucket.TryTake(t0, 1));
  // Back to one token after (50 + 1) / 50 s.
  EXPECT_EQ(bucket.NextToken(t0, 1), t0 + 1020ms);
  EXPECT_FALSE(bucket.TryTake(t0 + 1010ms, 1));
  EXPECT_TRUE(bucket.TryTake(t0 + 1020ms, 1));
  EXPECT_TRUE(bucket.unlimited() == false);
  EXPECT_EQ(bucket.rate(), 50);
  EXPECT_EQ(bucket.burst(), 50);
}

}  // namespace
}  // namespace smsgw::core
