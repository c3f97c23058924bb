#include "api/api_stats.h"

namespace smsgw::api {

ApiStats::ApiStats()
    : requests_(
          std::make_unique<std::array<std::array<std::atomic<uint64_t>, kStatuses>, kRoutes>>()) {
  for (size_t i = 0; i < kRoutes; ++i) {
    latency_.push_back(std::make_unique<metrics::Histogram>(metrics::kLatencyBuckets));
  }
}

void ApiStats::CountRequest(Route::Kind route, unsigned status, double seconds) {
  if (status >= kMinStatus && status <= kMaxStatus) {
    (*requests_)[route][status - kMinStatus].fetch_add(1, std::memory_order_relaxed);
  }
  latency_[route]->Observe(seconds);
}

void ApiStats::CountAccepted(core::RouteType type, uint64_t messages) {
  accepted_[static_cast<size_t>(type)].fetch_add(messages, std::memory_order_relaxed);
}

uint64_t ApiStats::requests(Route::Kind route, unsigned status) const {
  if (status < kMinStatus || status > kMaxStatus) {
    return 0;
  }
  return (*requests_)[route][status - kMinStatus].load(std::memory_order_relaxed);
}

metrics::HistogramSnapshot ApiStats::latency(Route::Kind route) const {
  return latency_[route]->Read();
}

uint64_t ApiStats::accepted(core::RouteType type) const {
  return accepted_[static_cast<size_t>(type)].load(std::memory_order_relaxed);
}

}  // namespace smsgw::api
