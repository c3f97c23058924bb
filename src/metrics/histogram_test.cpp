#include "metrics/histogram.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace smsgw::metrics {
namespace {

TEST(HistogramTest, CountsEachObservationInTheFirstBucketNotBelowIt) {
  const double bounds[] = {1, 2, 5};
  Histogram h(bounds);
  for (const double v : {0.5, 1.0, 1.5, 2.0, 4.0, 6.0, 100.0}) {
    h.Observe(v);
  }
  const HistogramSnapshot s = h.Read();
  EXPECT_EQ(s.bounds, std::vector<double>({1, 2, 5}));
  EXPECT_EQ(s.counts, std::vector<uint64_t>({2, 2, 1, 2}));  // le 1 holds 1.0 itself
  EXPECT_EQ(s.count, 7u);
  EXPECT_DOUBLE_EQ(s.sum, 115.0);
}

TEST(HistogramTest, LosesNoObservationAcrossThreads) {
  Histogram h(kLatencyBuckets);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&h] {
      for (int i = 0; i < 10'000; ++i) {
        h.Observe(0.003);
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  const HistogramSnapshot s = h.Read();
  EXPECT_EQ(s.count, 40'000u);
  EXPECT_EQ(s.counts[3], 40'000u);  // 0.0025 < 0.003 <= 0.005
  EXPECT_NEAR(s.sum, 120.0, 1e-6);
}

}  // namespace
}  // namespace smsgw::metrics
