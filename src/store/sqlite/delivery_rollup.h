#pragma once
// DeliveryRollup folds what writes settled into per-minute counts keyed by (sid, minute,
// connector, type), in memory, so that a write group ends with one upsert per key into
// delivery_minutes (migration 17) however many messages it settled. Each write of a group fills
// a rollup of its own; the leader merges it into the group's once the write succeeded (a write
// rolled back to its savepoint adds nothing), and writes the group's before COMMIT
// (SqliteStore::Writer::WriteGroupNow). Included only by store/sqlite sources and tests.
//
// Thread-compatible: a write's rollup belongs to its write; the group's is the writer's, used
// under its mutex.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "core/message.h"
#include "core/result.h"
#include "core/time.h"
#include "store/delivery_stats.h"
#include "store/sqlite/sqlite_db.h"

namespace smsgw::store::sqlite {

// The writer's statements for delivery_minutes; a reader's read in SqliteStore::ReadDeliveryStats.
struct RollupStatements {
  Statement upsert, prune;

  core::Result<void> Prepare(Db& db);
};

class DeliveryRollup {
 public:
  // A message accepted (stored by Enqueue) at `at`.
  void Accepted(std::string_view sid, core::RouteType type, core::TimePoint at);
  // A message moved to final `state` at `at`; `delay_seconds` when a receipt settled it (its
  // part's submit to the receipt).
  void Finished(std::string_view sid, std::string_view connector, core::RouteType type,
                core::MessageState state, core::TimePoint at, std::optional<double> delay_seconds);

  void MergeInto(DeliveryRollup& group) const;
  bool empty() const { return counts_.empty(); }
  void clear() { counts_.clear(); }
  size_t keys() const { return counts_.size(); }

  // Upserts every key, then, when the newest minute written is past the last one pruned, deletes
  // the minutes older than kRollupRetention before it. Inside the caller's transaction; the
  // rollup is left as it was (the caller clears it, committed or not).
  core::Result<void> Write(RollupStatements& s, int64_t& pruned_through_minute) const;

 private:
  struct Key {
    std::string sid;
    int64_t minute;
    std::string connector;
    core::RouteType type;
  };
  struct KeyView {
    std::string_view sid;
    int64_t minute;
    std::string_view connector;
    core::RouteType type;
  };
  struct Less {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return std::tuple<std::string_view, int64_t, std::string_view, core::RouteType>(
                 a.sid, a.minute, a.connector, a.type) <
             std::tuple<std::string_view, int64_t, std::string_view, core::RouteType>(
                 b.sid, b.minute, b.connector, b.type);
    }
  };
  RollupCounts& At(const KeyView& key);

  std::map<Key, RollupCounts, Less> counts_;
};

// Unix minutes of `t`.
inline int64_t UnixMinute(core::TimePoint t) {
  const int64_t ms = core::ToUnixMillis(t);
  return ms >= 0 ? ms / 60'000 : (ms - 59'999) / 60'000;
}

}  // namespace smsgw::store::sqlite
