#include "store/sqlite/delivery_rollup.h"

#include <string>

#include "store/sqlite/sqlite_store_internal.h"

namespace smsgw::store::sqlite {
namespace {

// ?1 sid, ?2 minute, ?3 connector, ?4 type, ?5..?8 the counts, ?9..?19 the delay buckets.
constexpr const char* kUpsert =
    "INSERT INTO delivery_minutes (sid, minute, connector, type, accepted, delivered, "
    "undelivered, not_sent, d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10) VALUES (?1, ?2, ?3, ?4, "
    "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19) "
    "ON CONFLICT (sid, minute, connector, type) DO UPDATE SET accepted = accepted + ?5, "
    "delivered = delivered + ?6, undelivered = undelivered + ?7, not_sent = not_sent + ?8, "
    "d0 = d0 + ?9, d1 = d1 + ?10, d2 = d2 + ?11, d3 = d3 + ?12, d4 = d4 + ?13, d5 = d5 + ?14, "
    "d6 = d6 + ?15, d7 = d7 + ?16, d8 = d8 + ?17, d9 = d9 + ?18, d10 = d10 + ?19";
static_assert(kDelayBuckets == 11, "kUpsert names d0..d10");
// Through delivery_minutes_by_minute.
constexpr const char* kPrune = "DELETE FROM delivery_minutes WHERE minute < ?1";

constexpr StatementSql<RollupStatements> kStatements[] = {
    {"rollup_upsert", &RollupStatements::upsert, kUpsert},
    {"rollup_prune", &RollupStatements::prune, kPrune},
};

}  // namespace

core::Result<void> RollupStatements::Prepare(Db& db) { return PrepareEach(db, *this, kStatements); }

std::vector<NamedSql> RollupSqlForTest() { return NamedSqlOf(kStatements); }

core::Result<void> WriteRollup(const DeliveryRollup& rollup, RollupStatements& s,
                               int64_t& pruned_through_minute) {
  int64_t newest = 0;
  for (const auto& [key, c] : rollup.counts()) {
    Statement& upsert = s.upsert;
    const ScopedReset reset(upsert);
    upsert.BindText(1, key.sid);
    upsert.BindInt64(2, key.minute);
    upsert.BindText(3, key.connector);
    upsert.BindInt64(4, static_cast<int64_t>(key.type));
    upsert.BindInt64(5, static_cast<int64_t>(c.accepted));
    upsert.BindInt64(6, static_cast<int64_t>(c.delivered));
    upsert.BindInt64(7, static_cast<int64_t>(c.undelivered));
    upsert.BindInt64(8, static_cast<int64_t>(c.not_sent));
    for (size_t i = 0; i < kDelayBuckets; ++i) {
      upsert.BindInt64(9 + static_cast<int>(i), static_cast<int64_t>(c.delay[i]));
    }
    if (auto ran = upsert.Run(); !ran) {
      return ran;
    }
    newest = std::max(newest, key.minute);
  }
  if (newest <= pruned_through_minute) {
    return {};
  }
  Statement& prune = s.prune;
  const ScopedReset reset(prune);
  prune.BindInt64(1, RollupKeepFrom(newest));
  if (auto ran = prune.Run(); !ran) {
    return ran;
  }
  pruned_through_minute = newest;
  return {};
}

}  // namespace smsgw::store::sqlite

namespace smsgw::store::sqlite {
namespace {

// One range of the primary key (sid, minute), grouped by SQLite.
constexpr const char* kReadStats =
    "SELECT (minute / ?4) * ?4 AS step, connector, type, sum(accepted), sum(delivered), "
    "sum(undelivered), sum(not_sent), sum(d0), sum(d1), sum(d2), sum(d3), sum(d4), sum(d5), "
    "sum(d6), sum(d7), sum(d8), sum(d9), sum(d10) FROM delivery_minutes WHERE sid = ?1 AND "
    "minute >= ?2 AND minute < ?3 GROUP BY step, connector, type ORDER BY step, connector, type";

}  // namespace

std::vector<NamedSql> RollupReadSqlForTest() { return {{"rollup_read", kReadStats}}; }

core::Result<std::vector<DeliveryBucket>> SqliteStore::ReadDeliveryStats(
    std::string_view sid, core::TimePoint from, core::TimePoint to, std::chrono::minutes step) {
  if (step.count() < 1) {
    return core::MakeError(core::Errc::kInvalidArgument, "step must be at least a minute");
  }
  return WithReader([&](ReadConnection& r) -> core::Result<std::vector<DeliveryBucket>> {
    auto prepared = r.db.Prepare(kReadStats);
    if (!prepared) {
      return Fail(std::move(prepared));
    }
    Statement& select = *prepared;
    select.BindText(1, sid);
    select.BindInt64(2, UnixMinute(from));
    select.BindInt64(3, UnixMinute(to));
    select.BindInt64(4, step.count());
    return ReadAll<DeliveryBucket>(select, [](const Statement& s) -> core::Result<DeliveryBucket> {
      auto type = EnumColumn<core::RouteType>(s, 2, static_cast<int64_t>(kRouteTypes) - 1, "type");
      if (!type) {
        return Fail(std::move(type));
      }
      DeliveryBucket b;
      b.start = core::FromUnixMillis(s.ColumnInt64(0) * 60'000);
      b.connector = s.ColumnText(1);
      b.type = *type;
      b.counts.accepted = static_cast<uint64_t>(s.ColumnInt64(3));
      b.counts.delivered = static_cast<uint64_t>(s.ColumnInt64(4));
      b.counts.undelivered = static_cast<uint64_t>(s.ColumnInt64(5));
      b.counts.not_sent = static_cast<uint64_t>(s.ColumnInt64(6));
      for (size_t i = 0; i < kDelayBuckets; ++i) {
        b.counts.delay[i] = static_cast<uint64_t>(s.ColumnInt64(7 + static_cast<int>(i)));
      }
      return b;
    });
  });
}

}  // namespace smsgw::store::sqlite
