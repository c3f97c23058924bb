#include "store/postgres/delivery_stats.h"

#include <algorithm>
#include <string>
#include <utility>

namespace smsgw::store::postgres {
namespace {

// $1 sid, $2 minute, $3 connector, $4 type, $5..$8 the counts, $9..$19 the delay buckets.
constexpr const char* kUpsert =
    "INSERT INTO delivery_minutes AS m (sid, minute, connector, type, accepted, delivered, "
    "undelivered, not_sent, d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10) VALUES ($1, $2, $3, $4, "
    "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) "
    "ON CONFLICT (sid, minute, connector, type) DO UPDATE SET "
    "accepted = m.accepted + excluded.accepted, delivered = m.delivered + excluded.delivered, "
    "undelivered = m.undelivered + excluded.undelivered, "
    "not_sent = m.not_sent + excluded.not_sent, d0 = m.d0 + excluded.d0, "
    "d1 = m.d1 + excluded.d1, d2 = m.d2 + excluded.d2, d3 = m.d3 + excluded.d3, "
    "d4 = m.d4 + excluded.d4, d5 = m.d5 + excluded.d5, d6 = m.d6 + excluded.d6, "
    "d7 = m.d7 + excluded.d7, d8 = m.d8 + excluded.d8, d9 = m.d9 + excluded.d9, "
    "d10 = m.d10 + excluded.d10";
static_assert(kDelayBuckets == 11, "kUpsert names d0..d10");
// Through delivery_minutes_by_minute.
constexpr const char* kPrune = "DELETE FROM delivery_minutes WHERE minute < $1";
// Integer division truncates toward zero, as SQLite's: the same steps for the same minutes.
constexpr const char* kRead =
    "SELECT (minute / $4) * $4 AS step, connector, type, sum(accepted), sum(delivered), "
    "sum(undelivered), sum(not_sent), sum(d0), sum(d1), sum(d2), sum(d3), sum(d4), sum(d5), "
    "sum(d6), sum(d7), sum(d8), sum(d9), sum(d10) FROM delivery_minutes WHERE sid = $1 AND "
    "minute >= $2 AND minute < $3 GROUP BY step, connector, type "
    "ORDER BY step, connector COLLATE \"C\", type";

int64_t Count(uint64_t n) { return static_cast<int64_t>(n); }

}  // namespace

core::Result<void> WriteRollup(Connection& conn, const DeliveryRollup& rollup, WriteStats& stats) {
  for (const auto& [key, c] : rollup.counts()) {
    Params params;
    params.Text(key.sid)
        .Int(key.minute)
        .Text(key.connector)
        .Int(static_cast<int64_t>(key.type))
        .Int(Count(c.accepted))
        .Int(Count(c.delivered))
        .Int(Count(c.undelivered))
        .Int(Count(c.not_sent));
    for (const uint64_t d : c.delay) {
      params.Int(Count(d));
    }
    if (auto ran = conn.Exec(kUpsert, params); !ran) {
      return Fail(std::move(ran));
    }
  }
  const std::optional<int64_t> newest = rollup.NewestMinute();
  if (!newest || !stats.ClaimPrune(*newest)) {
    return {};
  }
  if (auto pruned = conn.Exec(kPrune, Params().Int(RollupKeepFrom(*newest))); !pruned) {
    return Fail(std::move(pruned));
  }
  return {};
}

core::Result<std::vector<DeliveryBucket>> DeliveryStatsReader::ReadDeliveryStats(
    std::string_view sid, core::TimePoint from, core::TimePoint to, std::chrono::minutes step) {
  if (step.count() < 1) {
    return core::MakeError(core::Errc::kInvalidArgument, "step must be at least a minute");
  }
  auto rows = pool_.Read(kRead, Params()
                                    .Text(sid)
                                    .Int(UnixMinute(from))
                                    .Int(UnixMinute(to))
                                    .Int(static_cast<int64_t>(step.count())));
  if (!rows) {
    return Fail(std::move(rows));
  }
  std::vector<DeliveryBucket> out;
  for (int i = 0; i < rows->rows(); ++i) {
    auto type = rows->Enum(i, 2, core::RouteType::kDefault, "type");
    if (!type) {
      return Fail(std::move(type));
    }
    DeliveryBucket b;
    b.start = core::FromUnixMillis(rows->Int(i, 0) * 60'000);
    b.connector = rows->Text(i, 1);
    b.type = *type;
    b.counts.accepted = static_cast<uint64_t>(rows->Int(i, 3));
    b.counts.delivered = static_cast<uint64_t>(rows->Int(i, 4));
    b.counts.undelivered = static_cast<uint64_t>(rows->Int(i, 5));
    b.counts.not_sent = static_cast<uint64_t>(rows->Int(i, 6));
    for (size_t d = 0; d < kDelayBuckets; ++d) {
      b.counts.delay[d] = static_cast<uint64_t>(rows->Int(i, 7 + static_cast<int>(d)));
    }
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace smsgw::store::postgres
