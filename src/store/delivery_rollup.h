#pragma once
// DeliveryRollup folds what a write accepted and settled into per-minute counts keyed by (sid,
// minute, connector, type), in memory, so that a transaction ends with one upsert per key into
// delivery_minutes however many messages it touched (store/delivery_stats.h). Backend-neutral:
// store/sqlite merges each write's into its write group's and writes that before COMMIT;
// store/postgres writes each transaction's before its COMMIT. Pure (no I/O).
//
// Thread-compatible: a rollup belongs to the write (or group) that fills it.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "core/message.h"
#include "core/time.h"
#include "store/delivery_stats.h"

namespace smsgw::store {

// Unix minutes of `t` (floor, also before the epoch).
inline int64_t UnixMinute(core::TimePoint t) {
  const int64_t ms = core::ToUnixMillis(t);
  return ms >= 0 ? ms / 60'000 : (ms - 59'999) / 60'000;
}

// The oldest minute kept (kRollupRetention) once `newest_minute` has been written: older ones are
// pruned.
int64_t RollupKeepFrom(int64_t newest_minute);

class DeliveryRollup {
 public:
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
  // In key order: writers upserting keys in this order take the rows' locks in one order.
  using Counts = std::map<Key, RollupCounts, Less>;

  // A message accepted (stored by Enqueue) at `at`.
  void Accepted(std::string_view sid, core::RouteType type, core::TimePoint at);
  // A message moved to final `state` at `at`; `delay_seconds` when a receipt settled it (its
  // part's submit to the receipt). Other states count nothing.
  void Finished(std::string_view sid, std::string_view connector, core::RouteType type,
                core::MessageState state, core::TimePoint at, std::optional<double> delay_seconds);

  void MergeInto(DeliveryRollup& group) const;
  bool empty() const { return counts_.empty(); }
  void clear() { counts_.clear(); }
  size_t keys() const { return counts_.size(); }
  const Counts& counts() const { return counts_; }
  // The newest minute of any key; nullopt when empty.
  std::optional<int64_t> NewestMinute() const;

 private:
  RollupCounts& At(const KeyView& key);

  Counts counts_;
};

}  // namespace smsgw::store
