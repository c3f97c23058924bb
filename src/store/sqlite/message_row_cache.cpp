#include "store/sqlite/message_row_cache.h"

namespace smsgw::store::sqlite {

MessageRow RowOf(const core::Message& m) {
  MessageRow row;
  row.callback = m.callback;
  row.callback_profile_id = m.callback_profile_id;
  row.type = m.type;
  row.registered_delivery = m.smpp_system_id.empty() ? 0 : m.registered_delivery;
  row.smpp_system_id = m.smpp_system_id;
  // The fields ReadReportedMessage reads (SMSGW_SQLITE_REPORTED_COLUMNS), and no others: a
  // status webhook reports the same message whether its row came from here or from the table.
  core::Message& r = row.message;
  r.id = m.id;
  r.request_id = m.request_id;
  r.sid = m.sid;
  r.recipient = m.recipient;
  r.sender = m.sender;
  r.segments = m.segments;
  r.ref = m.ref;
  r.ref1 = m.ref1;
  r.ref2 = m.ref2;
  r.ref_custom = m.ref_custom;
  r.campaign_name = m.campaign_name;
  r.state = m.state;
  r.status_details = m.status_details;
  return row;
}

const MessageRow* MessageRowCache::Find(std::string_view id) const {
  const auto found = rows_.find(id);
  return found == rows_.end() ? nullptr : &found->second.row;
}

void MessageRowCache::Put(MessageRow row) {
  if (capacity_ == 0) {
    return;
  }
  // Bounded by the order list, which holds every live entry once (and stale places of replaced
  // or erased ones): dropping its oldest keeps both within the capacity.
  while (order_.size() >= capacity_) {
    const auto& [id, seq] = order_.front();
    const auto found = rows_.find(id);
    if (found != rows_.end() && found->second.seq == seq) {
      rows_.erase(found);
    }
    order_.pop_front();
  }
  const uint64_t seq = next_seq_++;
  std::string id = row.message.id;
  order_.emplace_back(id, seq);
  rows_.insert_or_assign(std::move(id), Entry{std::move(row), seq});
}

void MessageRowCache::Erase(std::string_view id) {
  const auto found = rows_.find(id);
  if (found != rows_.end()) {
    rows_.erase(found);
  }
}

}  // namespace smsgw::store::sqlite
