#pragma once
// What a settle (submit result, receipt, failure, cancel) needs to know about a message, and a
// bounded cache of the part of it that never changes. Since migration 22 a messages row is
// written once, at accept; only its message_state row changes. So the writer keeps what its
// claim read (or a settle last read) of the messages in flight, and a settle reads just the
// narrow state row instead of joining the wide message row to it. A message leaves the cache when
// it is final, or oldest first past the capacity; a miss reads the join, as every settle did
// before. Not thread-safe: the writer connection's owner uses it, one write group at a time.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/message.h"

namespace smsgw::store::sqlite {

// What a transaction needs to know about a message to move it, and what a status webhook reports
// of it (`message`: the fields WebhookJob::message names, among them its sid, state and
// status_details).
struct MessageRow {
  int parts_total = 0;
  std::string callback, callback_profile_id;
  core::RouteType type = core::RouteType::kDefault;
  uint8_t registered_delivery = 0;  // 0 unless submitted over SMPP asking for receipts
  std::string smpp_system_id;
  core::Message message;
  // Not read from the row: set by the caller for the delivery rollups (Settle). The connector
  // that handled the message ('' when unknown), and the delay of the receipt settling it.
  std::string connector;
  std::optional<double> receipt_delay;
};

// The MessageRow of `m` as the store reads it back: only the reported fields of its message.
MessageRow RowOf(const core::Message& m);

class MessageRowCache {
 public:
  explicit MessageRowCache(size_t capacity) : capacity_(capacity) {}

  // The cached row of message `id`, whose state, status_details and parts_total are stale: the
  // caller reads those from message_state. nullptr when not cached.
  const MessageRow* Find(std::string_view id) const;
  // Caches `row` under row.message.id, replacing an earlier entry; past the capacity, the oldest
  // entry goes.
  void Put(MessageRow row);
  void Erase(std::string_view id);
  size_t size() const { return rows_.size(); }

 private:
  struct Entry {
    MessageRow row;
    uint64_t seq;  // which Put of this id the entry is: an older one's place in order_ is stale
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };

  const size_t capacity_;
  uint64_t next_seq_ = 0;
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> rows_;
  std::deque<std::pair<std::string, uint64_t>> order_;  // oldest Put first
};

}  // namespace smsgw::store::sqlite
