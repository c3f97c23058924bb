#include "store/delivery_rollup.h"

#include <algorithm>
#include <chrono>

namespace smsgw::store {

int64_t RollupKeepFrom(int64_t newest_minute) {
  return newest_minute - std::chrono::duration_cast<std::chrono::minutes>(kRollupRetention).count();
}

RollupCounts& DeliveryRollup::At(const KeyView& key) {
  auto it = counts_.find(key);
  if (it == counts_.end()) {
    it = counts_
             .emplace(Key{std::string(key.sid), key.minute, std::string(key.connector), key.type},
                      RollupCounts{})
             .first;
  }
  return it->second;
}

void DeliveryRollup::Accepted(std::string_view sid, core::RouteType type, core::TimePoint at) {
  ++At(KeyView{sid, UnixMinute(at), "", type}).accepted;
}

void DeliveryRollup::Finished(std::string_view sid, std::string_view connector,
                              core::RouteType type, core::MessageState state, core::TimePoint at,
                              std::optional<double> delay_seconds) {
  RollupCounts& c = At(KeyView{sid, UnixMinute(at), connector, type});
  switch (state) {
    case core::MessageState::kDelivered:
      ++c.delivered;
      break;
    case core::MessageState::kUndelivered:
      ++c.undelivered;
      break;
    case core::MessageState::kNotSent:
      ++c.not_sent;
      break;
    default:
      return;
  }
  if (delay_seconds) {
    ++c.delay[DelayBucket(*delay_seconds)];
  }
}

void DeliveryRollup::MergeInto(DeliveryRollup& group) const {
  for (const auto& [key, counts] : counts_) {
    RollupCounts& into = group.At(KeyView{key.sid, key.minute, key.connector, key.type});
    into.accepted += counts.accepted;
    into.delivered += counts.delivered;
    into.undelivered += counts.undelivered;
    into.not_sent += counts.not_sent;
    for (size_t i = 0; i < kDelayBuckets; ++i) {
      into.delay[i] += counts.delay[i];
    }
  }
}

std::optional<int64_t> DeliveryRollup::NewestMinute() const {
  std::optional<int64_t> newest;
  for (const auto& [key, counts] : counts_) {
    newest = std::max(newest.value_or(key.minute), key.minute);
  }
  return newest;
}

}  // namespace smsgw::store
