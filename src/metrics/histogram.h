#pragma once
// Histogram counts observations into fixed buckets, as Prometheus histograms do: cheap enough for
// a hot path (one relaxed atomic add per bucket hit and a compare-and-swap for the sum, no lock),
// safe from any thread. Read() is a snapshot for the exposition; each value in it is exact, the
// set is not one instant (a scrape racing an Observe may see the count before the sum).

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace smsgw::metrics {

// Seconds, from half a millisecond (a commit on a fast disk) to ten seconds (a timeout).
inline constexpr double kLatencyBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,    0.25,  0.5,    1,     2.5,  5,     10};
// Seconds from a submit to its receipt: carriers answer in seconds to hours.
inline constexpr double kReceiptDelayBuckets[] = {0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800, 3600};
// How many callers share one write (group commit).
inline constexpr double kBatchSizeBuckets[] = {1, 2, 4, 8, 16, 32, 64, 128, 256};

struct HistogramSnapshot {
  std::vector<double> bounds;    // upper bounds, ascending; +Inf is implied
  std::vector<uint64_t> counts;  // per bucket, not cumulative; one more than bounds (+Inf)
  double sum = 0;
  uint64_t count = 0;
};

class Histogram {
 public:
  // `bounds`: ascending upper bounds.
  explicit Histogram(std::span<const double> bounds);
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  void Observe(double value);
  HistogramSnapshot Read() const;

 private:
  const std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1
  std::atomic<double> sum_{0};
};

}  // namespace smsgw::metrics
