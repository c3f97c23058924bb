#include "smpp_server/throughput.h"

#include <gtest/gtest.h>

namespace smsgw::smpp_server {
namespace {

using std::chrono::milliseconds;
const ThroughputLimits::Clock::time_point kT0{std::chrono::hours(1)};

TEST(ThroughputLimits, UnlimitedWhenNoRate) {
  ThroughputLimits limits;
  for (int i = 0; i < 10'000; ++i) {
    ASSERT_TRUE(limits.TryTake("c", 0, 1, kT0));
  }
}

TEST(ThroughputLimits, OneSecondsWorthThenTheRate) {
  ThroughputLimits limits;
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE(limits.TryTake("c", 10, 1, kT0)) << i;
  }
  EXPECT_FALSE(limits.TryTake("c", 10, 1, kT0));
  EXPECT_FALSE(limits.TryTake("c", 10, 1, kT0 + milliseconds(50)));
  EXPECT_TRUE(limits.TryTake("c", 10, 1, kT0 + milliseconds(110)));
  EXPECT_FALSE(limits.TryTake("c", 10, 1, kT0 + milliseconds(110)));
}

TEST(ThroughputLimits, PerCredential) {
  ThroughputLimits limits;
  EXPECT_TRUE(limits.TryTake("a", 1, 1, kT0));
  EXPECT_FALSE(limits.TryTake("a", 1, 1, kT0));
  EXPECT_TRUE(limits.TryTake("b", 1, 1, kT0));
}

TEST(ThroughputLimits, MultiCountsEveryDestination) {
  ThroughputLimits limits;
  EXPECT_TRUE(limits.TryTake("c", 10, 6, kT0));
  EXPECT_FALSE(limits.TryTake("c", 10, 6, kT0));  // 4 left
  EXPECT_TRUE(limits.TryTake("c", 10, 4, kT0));
  // Larger than the burst: passes once full, and is owed.
  EXPECT_TRUE(limits.TryTake("c", 10, 30, kT0 + std::chrono::seconds(1)));
  EXPECT_FALSE(limits.TryTake("c", 10, 1, kT0 + std::chrono::seconds(2)));
  EXPECT_TRUE(limits.TryTake("c", 10, 1, kT0 + std::chrono::seconds(3) + milliseconds(100)));
}

TEST(ThroughputLimits, ANewRateStartsAFreshBucket) {
  ThroughputLimits limits;
  EXPECT_TRUE(limits.TryTake("c", 1, 1, kT0));
  EXPECT_FALSE(limits.TryTake("c", 1, 1, kT0));
  EXPECT_TRUE(limits.TryTake("c", 5, 1, kT0));
}

}  // namespace
}  // namespace smsgw::smpp_server
