#pragma once
// DeliveryEndpoints serves the console's Delivery page for the signed-in account:
//   GET /console/api/delivery?range=hour|day|week&step=minute|hour[&connector=NAME][&type=TYPE]
// the account's rollups (store::DeliveryStats) over the last hour, day or week as dense series
// (one point per step, zeros where nothing happened): accepted, delivered, undelivered and not
// sent, the delivery ratio, receipt-delay percentiles (p50, p90, p99, interpolated within the
// rollup's delay buckets), of one connector and/or one route type when asked; the totals per
// connector and per type (always over all); and the node's live
// status (`LiveStatusSource`): the queue's depth and oldest age, and each connector's binds.
// The caller has checked the session. Handle may be called concurrently from any io_context
// thread; store reads and the live source run on `store_pool`.

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/asio.h"
#include "api/http_server.h"
#include "core/time.h"
#include "store/delivery_stats.h"

namespace smsgw::console {

// The node's live values the page shows beside the series: they are the node's, shared by every
// account (docs/console.md says why they are shown).
struct LiveStatus {
  struct Connector {
    std::string name;
    int binds_up = 0;  // links bound now
    int sessions = 0;  // sessions configured
  };
  std::vector<Connector> connectors;
  uint64_t queue_due = 0;    // waiting messages due now
  uint64_t queue_later = 0;  // scheduled, backing off, or claimed
  std::optional<core::TimePoint> oldest_due;
};
// Reads the live status at `now`; may block on the store (called on the store pool).
using LiveStatusSource = std::function<LiveStatus(core::TimePoint now)>;
inline constexpr std::chrono::seconds kLiveStatusMaxAge{2};

// The `q` quantile (0..1) of a delay histogram in store::kDelayBucketBounds, in seconds,
// interpolated linearly within its bucket (the last, open bucket answers its lower bound);
// nullopt when the histogram is empty.
std::optional<double> DelayQuantile(const std::array<uint64_t, store::kDelayBuckets>& histogram,
                                    double q);

class DeliveryEndpoints {
 public:
  DeliveryEndpoints(store::DeliveryStats& stats, LiveStatusSource live,
                    api::asio::thread_pool& store_pool, const core::Clock& clock)
      : stats_(stats), live_(std::move(live)), store_pool_(store_pool), clock_(clock) {}

  // `query`: the request's query string.
  api::asio::awaitable<api::Response> Handle(const api::Request& request, std::string_view query,
                                             const std::string& sid);

 private:
  // The live status read at most once per kLiveStatusMaxAge for all accounts: the gauges are a
  // node-wide query, and any signed-in account may ask for the page as often as it likes.
  LiveStatus Live(core::TimePoint now);

  store::DeliveryStats& stats_;
  LiveStatusSource live_;
  api::asio::thread_pool& store_pool_;
  const core::Clock& clock_;
  std::mutex live_mu_;
  std::optional<std::pair<core::TimePoint, LiveStatus>> live_cache_;  // guarded by live_mu_
};

}  // namespace smsgw::console
