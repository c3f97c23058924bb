#include "smpp/backoff.h"

#include <gtest/gtest.h>

namespace smsgw::smpp {
namespace {

using namespace std::chrono_literals;

TEST(Backoff, GrowsWithJitterUpToTheCap) {
  Backoff backoff({100ms, 1000ms, 2.0}, /*seed=*/7);
  const std::chrono::milliseconds steps[] = {100ms, 200ms, 400ms, 800ms, 1000ms, 1000ms};
  for (auto step : steps) {
    const auto delay = backoff.Next();
    EXPECT_GE(delay, step / 2);
    EXPECT_LE(delay, step);
  }
  EXPECT_EQ(backoff.attempts(), 6);
  backoff.Reset();
  EXPECT_LE(backoff.Next(), 100ms);
}

TEST(Backoff, JitterSpreadsDelays) {
  // Two gateways that lose the SMSC together must not come back in lockstep.
  Backoff a({1000ms, 60'000ms, 2.0}, 1);
  Backoff b({1000ms, 60'000ms, 2.0}, 2);
  int same = 0;
  for (int i = 0; i < 5; ++i) {
    same += a.Next() == b.Next();
  }
  EXPECT_LT(same, 5);
}

}  // namespace
}  // namespace smsgw::smpp
