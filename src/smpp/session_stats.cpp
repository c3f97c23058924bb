#include "smpp/session_stats.h"

#include "smpp/codec/command_status.h"

namespace smsgw::smpp {

void SessionStats::CountResponse(uint32_t status) {
  by_status_[status < kTracked ? status : kTracked].fetch_add(1, std::memory_order_relaxed);
}

SessionStatsSnapshot SessionStats::Snapshot() const {
  constexpr auto r = std::memory_order_relaxed;
  SessionStatsSnapshot s;
  s.binds_up = binds_up.load(r);
  s.window_in_use = window_in_use.load(r);
  s.queued = queued.load(r);
  s.connects = connects.load(r);
  s.reconnects = reconnects.load(r);
  s.bind_failures = bind_failures.load(r);
  s.submits_sent = submits_sent.load(r);
  s.submits_accepted = submits_accepted.load(r);
  s.throttled = throttled.load(r);
  s.response_timeouts = response_timeouts.load(r);
  s.link_failures = link_failures.load(r);
  s.late_responses = late_responses.load(r);
  s.enquire_links_sent = enquire_links_sent.load(r);
  s.inbound = inbound.load(r);
  s.unbinds_received = unbinds_received.load(r);
  for (size_t i = 0; i <= kTracked; ++i) {
    if (const uint64_t n = by_status_[i].load(r)) {
      s.responses_by_status[static_cast<uint32_t>(i)] = n;
    }
  }
  s.response_seconds = response_seconds.Read();
  return s;
}

std::string SessionStatsSnapshot::ToJson() const {
  std::string out = "{";
  const auto field = [&out](std::string_view name, uint64_t value) {
    out += '"';
    out += name;
    out += "\": ";
    out += std::to_string(value);
    out += ", ";
  };
  field("binds_up", static_cast<uint64_t>(binds_up));
  field("window_in_use", window_in_use);
  field("queued", queued);
  field("connects", connects);
  field("reconnects", reconnects);
  field("bind_failures", bind_failures);
  field("submits_sent", submits_sent);
  field("submits_accepted", submits_accepted);
  field("throttled", throttled);
  field("response_timeouts", response_timeouts);
  field("link_failures", link_failures);
  field("late_responses", late_responses);
  field("enquire_links_sent", enquire_links_sent);
  field("inbound", inbound);
  field("unbinds_received", unbinds_received);
  out += "\"responses_by_status\": {";
  bool first = true;
  for (const auto& [status, count] : responses_by_status) {
    out += first ? "\"" : ", \"";
    // Statuses past the standard range share one slot, named for what they are.
    out += status < 0x100 ? std::string(codec::EsmeName(status)) : std::string("other");
    out += "\": " + std::to_string(count);
    first = false;
  }
  return out + "}}";
}

}  // namespace smsgw::smpp
