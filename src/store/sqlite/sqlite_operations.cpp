// OperationsStore over SQLite: the gauges by query on a pooled reader, each bounded by an index
// (messages_due, webhooks_due), and the counters kept by the writer.

#include <sys/stat.h>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace smsgw::store::sqlite {
namespace {

// Waiting messages by priority, due now or later. The index holds (priority, due_at) of exactly
// the waiting and claimed messages, so this walks the backlog and nothing else.
constexpr const char* kQueue =
    "SELECT priority, sum(due_at <= ?1), sum(due_at > ?1), min(CASE WHEN due_at <= ?1 THEN due_at "
    "END) FROM messages INDEXED BY messages_due WHERE due_at IS NOT NULL GROUP BY priority";
constexpr const char* kWebhooksWaiting =
    "SELECT sum(due_at <= ?1), sum(due_at > ?1) FROM webhooks INDEXED BY webhooks_due "
    "WHERE due_at IS NOT NULL";
// Pending rows are exactly webhooks_due's, which carries created_at: a walk of the pending
// ones (as kWebhooksWaiting's), never of the rows.
constexpr const char* kOldestPendingWebhook =
    "SELECT min(created_at) FROM webhooks INDEXED BY webhooks_due WHERE due_at IS NOT NULL";
constexpr const char* kHeldReceipts = "SELECT count(*) FROM held_receipts";
constexpr const char* kUnmatchedInbound =
    "SELECT count(*) FROM inbound_messages INDEXED BY inbound_messages_unmatched WHERE sid IS NULL";

uint64_t FileBytes(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

}  // namespace

std::vector<NamedSql> OperationsSqlForTest() {
  return {{"queue", kQueue},
          {"webhooks_waiting", kWebhooksWaiting},
          {"oldest_pending_webhook", kOldestPendingWebhook},
          {"held_receipts", kHeldReceipts},
          {"unmatched_inbound", kUnmatchedInbound}};
}

core::Result<StoreGauges> SqliteStore::ReadGauges(core::TimePoint now) {
  auto gauges = WithReader([&](ReadConnection& r) -> core::Result<StoreGauges> {
    return r.InSnapshot([&]() -> core::Result<StoreGauges> {
      StoreGauges out;
      auto queue = r.db.Prepare(kQueue);
      if (!queue) {
        return Fail(std::move(queue));
      }
      queue->BindInt64(1, Ms(now));
      for (;;) {
        auto row = queue->Step();
        if (!row) {
          return Fail(std::move(row));
        }
        if (!*row) {
          break;
        }
        StoreGauges::Queue q;
        q.priority = static_cast<int>(queue->ColumnInt64(0));
        q.due = static_cast<uint64_t>(queue->ColumnInt64(1));
        q.later = static_cast<uint64_t>(queue->ColumnInt64(2));
        if (!queue->ColumnIsNull(3)) {
          q.oldest_due = core::FromUnixMillis(queue->ColumnInt64(3));
        }
        out.queue.push_back(q);
      }
      auto webhooks = r.db.Prepare(kWebhooksWaiting);
      if (!webhooks) {
        return Fail(std::move(webhooks));
      }
      webhooks->BindInt64(1, Ms(now));
      if (auto row = HasRow(*webhooks); !row) {
        return Fail(std::move(row));
      } else if (*row) {
        out.webhooks_due = static_cast<uint64_t>(webhooks->ColumnInt64(0));
        out.webhooks_later = static_cast<uint64_t>(webhooks->ColumnInt64(1));
      }
      auto oldest = r.db.Prepare(kOldestPendingWebhook);
      if (!oldest) {
        return Fail(std::move(oldest));
      }
      if (auto row = HasRow(*oldest); !row) {
        return Fail(std::move(row));
      } else if (*row && !oldest->ColumnIsNull(0)) {
        out.oldest_pending_webhook = core::FromUnixMillis(oldest->ColumnInt64(0));
      }
      auto held = r.db.Prepare(kHeldReceipts);
      if (!held) {
        return Fail(std::move(held));
      }
      if (auto row = HasRow(*held); !row) {
        return Fail(std::move(row));
      } else if (*row) {
        out.held_receipts = static_cast<uint64_t>(held->ColumnInt64(0));
      }
      auto unmatched = r.db.Prepare(kUnmatchedInbound);
      if (!unmatched) {
        return Fail(std::move(unmatched));
      }
      if (auto row = HasRow(*unmatched); !row) {
        return Fail(std::move(row));
      } else if (*row) {
        out.unmatched_inbound = static_cast<uint64_t>(unmatched->ColumnInt64(0));
      }
      return out;
    });
  });
  if (gauges) {
    gauges->database_bytes = FileBytes(path_) + FileBytes(path_ + "-wal");
  }
  return gauges;
}

StoreCounters SqliteStore::ReadCounters() const {
  StoreCounters out;
  out.write_seconds = write_seconds_.Read();
  out.write_size = write_size_.Read();
  out.receipt_delay = receipt_delay_.Read();
  for (size_t type = 0; type < kRouteTypes; ++type) {
    for (size_t state = 0; state < kMessageStates; ++state) {
      out.finished[type][state] = finished_[type][state].load(std::memory_order_relaxed);
    }
  }
  return out;
}

core::Result<void> SqliteStore::ProbeWrite() {
  return InWriteGroup(WriteLane::kPipeline, []() -> core::Result<void> { return {}; });
}

void SqliteStore::CountFinished(const StatusTally& tally) {
  for (const auto& [type, state] : tally.finished) {
    finished_[static_cast<size_t>(type)][static_cast<size_t>(state)].fetch_add(
        1, std::memory_order_relaxed);
  }
}

}  // namespace smsgw::store::sqlite
