#include "store/postgres/operations.h"

#include <utility>

namespace smsgw::store::postgres {
namespace {

// One row per priority with messages waiting (or one row of NULLs when none do), each carrying
// the scalars: one statement, so every number is of one snapshot. Due or later is due_at against
// $1, as ClaimDue takes them; the pending webhooks are exactly webhooks_due's rows.
constexpr const char* kGauges =
    "SELECT q.priority, q.due, q.later, q.oldest_due, s.webhooks_due, s.webhooks_later, "
    "s.oldest_webhook, s.held, s.unmatched, s.bytes FROM (SELECT "
    "(SELECT count(*) FROM webhooks WHERE due_at IS NOT NULL AND due_at <= $1) AS webhooks_due, "
    "(SELECT count(*) FROM webhooks WHERE due_at IS NOT NULL AND due_at > $1) AS webhooks_later, "
    "(SELECT min(created_at) FROM webhooks WHERE due_at IS NOT NULL) AS oldest_webhook, "
    "(SELECT count(*) FROM held_receipts) AS held, "
    "(SELECT count(*) FROM inbound_messages WHERE sid IS NULL) AS unmatched, "
    "pg_database_size(current_database()) AS bytes) s "
    "LEFT JOIN (SELECT priority, count(*) FILTER (WHERE due_at <= $1) AS due, "
    "count(*) FILTER (WHERE due_at > $1) AS later, "
    "min(due_at) FILTER (WHERE due_at <= $1) AS oldest_due FROM messages "
    "WHERE due_at IS NOT NULL GROUP BY priority) q ON true ORDER BY q.priority";
// A write of one row that changes nothing (the newest migration's), through the same BEGIN ...
// COMMIT as every write.
constexpr const char* kProbe =
    "UPDATE schema_migrations SET applied_at = applied_at "
    "WHERE version = (SELECT max(version) FROM schema_migrations)";

uint64_t Count(const Rows& rows, int column) { return static_cast<uint64_t>(rows.Int(0, column)); }

std::optional<core::TimePoint> OptTime(const Rows& rows, int row, int column) {
  if (rows.IsNull(row, column)) {
    return std::nullopt;
  }
  return rows.Time(row, column);
}

}  // namespace

core::Result<StoreGauges> Operations::ReadGauges(core::TimePoint now) {
  auto rows = pool_.Read(kGauges, Params().Time(now));
  if (!rows) {
    return Fail(std::move(rows));
  }
  StoreGauges out;
  out.webhooks_due = Count(*rows, 4);
  out.webhooks_later = Count(*rows, 5);
  out.oldest_pending_webhook = OptTime(*rows, 0, 6);
  out.held_receipts = Count(*rows, 7);
  out.unmatched_inbound = Count(*rows, 8);
  out.database_bytes = Count(*rows, 9);
  for (int i = 0; i < rows->rows(); ++i) {
    if (rows->IsNull(i, 0)) {
      continue;  // nothing waits
    }
    StoreGauges::Queue q;
    q.priority = static_cast<int>(rows->Int(i, 0));
    q.due = static_cast<uint64_t>(rows->Int(i, 1));
    q.later = static_cast<uint64_t>(rows->Int(i, 2));
    q.oldest_due = OptTime(*rows, i, 3);
    out.queue.push_back(q);
  }
  return out;
}

StoreCounters Operations::ReadCounters() const { return pool_.stats().Read(); }

core::Result<void> Operations::ProbeWrite() {
  return pool_.InTransaction([&](Connection& conn) -> core::Result<void> {
    auto probed = conn.Exec(kProbe);
    if (!probed) {
      return Fail(std::move(probed));
    }
    return {};
  });
}

}  // namespace smsgw::store::postgres
