#include "console/delivery_endpoints.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "api/async_bridge.h"
#include "api/json_writer.h"
#include "api/request_body.h"
#include "api/responses.h"
#include "console/errors.h"

namespace smsgw::console {
namespace {

namespace http = api::http;
using std::chrono::minutes;

// Connector names are config keys; nothing longer is one.
constexpr size_t kMaxConnectorName = 128;

struct Totals {
  uint64_t accepted = 0, delivered = 0, undelivered = 0, not_sent = 0;
  std::array<uint64_t, store::kDelayBuckets> delay{};

  void Add(const store::RollupCounts& c) {
    accepted += c.accepted;
    delivered += c.delivered;
    undelivered += c.undelivered;
    not_sent += c.not_sent;
    for (size_t i = 0; i < store::kDelayBuckets; ++i) {
      delay[i] += c.delay[i];
    }
  }
};

void Number(api::JsonWriter& j, std::optional<double> v) {
  if (v) {
    j.w().Double(*v);
  } else {
    j.w().Null();
  }
}

// delivered / (delivered + undelivered): of the messages whose fate a receipt told.
std::optional<double> Ratio(const Totals& t) {
  const uint64_t known = t.delivered + t.undelivered;
  if (known == 0) {
    return std::nullopt;
  }
  return static_cast<double>(t.delivered) / static_cast<double>(known);
}

void WriteTotals(api::JsonWriter& j, const Totals& t) {
  j.Key("accepted");
  j.w().Uint64(t.accepted);
  j.Key("delivered");
  j.w().Uint64(t.delivered);
  j.Key("undelivered");
  j.w().Uint64(t.undelivered);
  j.Key("not_sent");
  j.w().Uint64(t.not_sent);
  j.Key("ratio");
  Number(j, Ratio(t));
  for (const auto& [name, q] : {std::pair{"p50", 0.5}, {"p90", 0.9}, {"p99", 0.99}}) {
    j.Key(name);
    Number(j, DelayQuantile(t.delay, q));
  }
}

}  // namespace

std::optional<double> DelayQuantile(const std::array<uint64_t, store::kDelayBuckets>& histogram,
                                    double q) {
  uint64_t total = 0;
  for (const uint64_t n : histogram) {
    total += n;
  }
  if (total == 0) {
    return std::nullopt;
  }
  const double target = std::clamp(q, 0.0, 1.0) * static_cast<double>(total);
  double before = 0;
  for (size_t i = 0; i < store::kDelayBuckets; ++i) {
    const double n = static_cast<double>(histogram[i]);
    const double lower = i == 0 ? 0.0 : static_cast<double>(store::kDelayBucketBounds[i - 1]);
    if (i + 1 == store::kDelayBuckets) {
      return lower;  // the open bucket: at least its lower bound
    }
    if (n > 0 && before + n >= target) {
      const double upper = static_cast<double>(store::kDelayBucketBounds[i]);
      return lower + (upper - lower) * std::clamp((target - before) / n, 0.0, 1.0);
    }
    before += n;
  }
  return std::nullopt;  // not reached
}

LiveStatus DeliveryEndpoints::Live(core::TimePoint now) {
  std::lock_guard lock(live_mu_);  // one read at a time; the others take its result
  if (!live_cache_ || now - live_cache_->first >= kLiveStatusMaxAge || now < live_cache_->first) {
    live_cache_.emplace(now, live_(now));
  }
  return live_cache_->second;
}

api::asio::awaitable<api::Response> DeliveryEndpoints::Handle(const api::Request& request,
                                                              std::string_view query,
                                                              const std::string& sid) {
  if (request.method() != http::verb::get) {
    co_return MethodNotAllowed("GET");
  }
  const std::string range = api::QueryParam(query, "range");
  std::string step_name = api::QueryParam(query, "step");
  minutes span{60};
  if (range == "day") {
    span = minutes(24 * 60);
  } else if (range == "week") {
    span = minutes(7 * 24 * 60);
  } else if (!range.empty() && range != "hour") {
    co_return ErrorJson(400, "E400", "range must be hour, day or week.");
  }
  if (step_name.empty()) {
    step_name = range == "week" ? "hour" : "minute";
  }
  minutes step{1};
  if (step_name == "hour") {
    step = minutes(60);
  } else if (step_name != "minute") {
    co_return ErrorJson(400, "E400", "step must be minute or hour.");
  }
  if (range == "week" && step == minutes(1)) {
    co_return ErrorJson(400, "E400", "A week is charted per hour.");
  }
  // The series and totals of one connector or one type (or both); the tables stay over all, so
  // the page can offer the others.
  const std::string connector = api::QueryParam(query, "connector");
  const std::string type_name = api::QueryParam(query, "type");
  if (connector.size() > kMaxConnectorName) {
    co_return ErrorJson(400, "E400", "connector is not a connector's name.");
  }
  std::optional<core::RouteType> type;
  if (!type_name.empty()) {
    type = core::ParseRouteType(type_name);
    if (!type) {
      co_return ErrorJson(400, "E400", "type must be OTP, TXN, TXND, MKT or DEFAULT.");
    }
  }
  const core::TimePoint now = clock_.Now();
  const int64_t step_ms = std::chrono::duration_cast<std::chrono::milliseconds>(step).count();
  const int64_t last = core::ToUnixMillis(now) / step_ms * step_ms;  // the current step
  const int64_t points = std::max<int64_t>(1, span / step);
  const int64_t first = last - (points - 1) * step_ms;
  const core::TimePoint from = core::FromUnixMillis(first);
  const core::TimePoint to = core::FromUnixMillis(last + step_ms);

  auto buckets = co_await api::RunBlocking(
      store_pool_, [&] { return stats_.ReadDeliveryStats(sid, from, to, step); });
  if (!buckets) {
    SPDLOG_ERROR("console delivery stats: {}", buckets.error().message);
    co_return ErrorJson(503, "E503", "The store is unavailable; try again.");
  }
  std::optional<LiveStatus> live;
  if (live_) {
    live = co_await api::RunBlocking(store_pool_, [&] { return Live(now); });
  }

  std::vector<Totals> series(static_cast<size_t>(points));
  Totals all;
  std::map<std::string, Totals> by_connector;
  std::map<core::RouteType, Totals> by_type;
  for (const store::DeliveryBucket& b : *buckets) {
    const int64_t at = core::ToUnixMillis(b.start);
    if (at < first || at > last) {
      continue;
    }
    by_connector[b.connector].Add(b.counts);
    by_type[b.type].Add(b.counts);
    if ((!connector.empty() && b.connector != connector) || (type && b.type != *type)) {
      continue;
    }
    series[static_cast<size_t>((at - first) / step_ms)].Add(b.counts);
    all.Add(b.counts);
  }

  api::JsonWriter j;
  j.w().StartObject();
  j.Field("range", range.empty() ? "hour" : range);
  j.Field("step", step_name);
  j.FieldOrNull("connector", connector);
  j.Key("type");
  if (type) {
    j.Str(core::ToString(*type));
  } else {
    j.w().Null();
  }
  j.Key("step_seconds");
  j.w().Int64(step_ms / 1000);
  j.Key("series");
  j.w().StartObject();
  j.Key("t");
  j.w().StartArray();
  for (int64_t i = 0; i < points; ++i) {
    j.w().Int64((first + i * step_ms) / 1000);
  }
  j.w().EndArray();
  const auto column = [&](std::string_view name, auto value) {
    j.Key(name);
    j.w().StartArray();
    for (const Totals& t : series) {
      value(t);
    }
    j.w().EndArray();
  };
  column("accepted", [&](const Totals& t) { j.w().Uint64(t.accepted); });
  column("delivered", [&](const Totals& t) { j.w().Uint64(t.delivered); });
  column("undelivered", [&](const Totals& t) { j.w().Uint64(t.undelivered); });
  column("not_sent", [&](const Totals& t) { j.w().Uint64(t.not_sent); });
  column("ratio", [&](const Totals& t) { Number(j, Ratio(t)); });
  column("p50", [&](const Totals& t) { Number(j, DelayQuantile(t.delay, 0.5)); });
  column("p90", [&](const Totals& t) { Number(j, DelayQuantile(t.delay, 0.9)); });
  column("p99", [&](const Totals& t) { Number(j, DelayQuantile(t.delay, 0.99)); });
  j.w().EndObject();
  j.Key("totals");
  j.w().StartObject();
  WriteTotals(j, all);
  j.w().EndObject();
  j.Key("by_connector");
  j.w().StartArray();
  for (const auto& [connector, t] : by_connector) {
    j.w().StartObject();
    j.Field("connector", connector);
    WriteTotals(j, t);
    j.w().EndObject();
  }
  j.w().EndArray();
  j.Key("by_type");
  j.w().StartArray();
  for (const auto& [type, t] : by_type) {
    j.w().StartObject();
    j.Field("type", core::ToString(type));
    WriteTotals(j, t);
    j.w().EndObject();
  }
  j.w().EndArray();
  if (live) {
    j.Key("queue");
    j.w().StartObject();
    j.Key("due");
    j.w().Uint64(live->queue_due);
    j.Key("later");
    j.w().Uint64(live->queue_later);
    j.Key("oldest_age_seconds");
    if (live->oldest_due) {
      j.w().Double(std::max(0.0, std::chrono::duration<double>(now - *live->oldest_due).count()));
    } else {
      j.w().Null();
    }
    j.w().EndObject();
    j.Key("connectors");
    j.w().StartArray();
    for (const LiveStatus::Connector& c : live->connectors) {
      j.w().StartObject();
      j.Field("name", c.name);
      j.Key("binds_up");
      j.w().Int(c.binds_up);
      j.Key("sessions");
      j.w().Int(c.sessions);
      j.w().EndObject();
    }
    j.w().EndArray();
  }
  j.w().EndObject();
  co_return api::JsonResponse(200, j.Take());
}

}  // namespace smsgw::console
