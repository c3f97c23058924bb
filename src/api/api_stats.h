#pragma once
// The API's counters for /metrics (admin/): requests by route and status code, their latency by
// route, and the messages accepted by route type. Counted on the connections' threads with
// relaxed atomics (no lock per request), read from any thread.

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "api/router.h"
#include "core/message.h"
#include "metrics/histogram.h"

namespace smsgw::api {

class ApiStats {
 public:
  static constexpr size_t kRoutes = Route::kMethodNotAllowed + 1;
  static constexpr size_t kRouteTypes = 5;  // core::RouteType values
  static constexpr unsigned kMinStatus = 100, kMaxStatus = 599;

  ApiStats();

  void CountRequest(Route::Kind route, unsigned status, double seconds);
  void CountAccepted(core::RouteType type, uint64_t messages);

  // Requests of `route` answered `status` (kMinStatus..kMaxStatus).
  uint64_t requests(Route::Kind route, unsigned status) const;
  metrics::HistogramSnapshot latency(Route::Kind route) const;
  uint64_t accepted(core::RouteType type) const;

 private:
  static constexpr size_t kStatuses = kMaxStatus - kMinStatus + 1;
  std::unique_ptr<std::array<std::array<std::atomic<uint64_t>, kStatuses>, kRoutes>> requests_;
  std::vector<std::unique_ptr<metrics::Histogram>> latency_;  // per route
  std::array<std::atomic<uint64_t>, kRouteTypes> accepted_{};
};

}  // namespace smsgw::api
