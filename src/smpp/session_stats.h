#pragma once
// A session's counters, for operators and tests: bind state, window use, submits, responses by
// command_status, reconnects, throttles. Written on the session's thread, read from any
// (relaxed atomics: each value is exact, a snapshot is not a single instant).

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <string>

#include "metrics/histogram.h"

namespace smsgw::smpp {

struct SessionStatsSnapshot {
  int binds_up = 0;  // links bound right now (0..2)
  uint64_t window_in_use = 0;
  uint64_t queued = 0;
  uint64_t connects = 0;       // TCP connections made
  uint64_t reconnects = 0;     // connection attempts after a link was lost or refused
  uint64_t bind_failures = 0;  // bind_resp with an error, or no answer
  uint64_t submits_sent = 0;
  uint64_t submits_accepted = 0;
  uint64_t throttled = 0;  // ESME_RTHROTTLED / ESME_RMSGQFUL answers (each pauses the session)
  uint64_t response_timeouts = 0;
  uint64_t link_failures = 0;   // requests failed because their link went down
  uint64_t late_responses = 0;  // responses to requests no longer waiting
  uint64_t enquire_links_sent = 0;
  uint64_t inbound = 0;  // deliver_sm / data_sm received
  uint64_t unbinds_received = 0;
  std::map<uint32_t, uint64_t> responses_by_status;  // submit_sm_resp command_status → count
  metrics::HistogramSnapshot response_seconds;       // submit_sm to its submit_sm_resp

  // One JSON object with every field; statuses keyed by their ESME_R* name.
  std::string ToJson() const;
};

class SessionStats {
 public:
  std::atomic<int> binds_up{0};
  std::atomic<uint64_t> window_in_use{0}, queued{0}, connects{0}, reconnects{0}, bind_failures{0},
      submits_sent{0}, submits_accepted{0}, throttled{0}, response_timeouts{0}, link_failures{0},
      late_responses{0}, enquire_links_sent{0}, inbound{0}, unbinds_received{0};

  metrics::Histogram response_seconds{metrics::kLatencyBuckets};

  void CountResponse(uint32_t status);
  SessionStatsSnapshot Snapshot() const;

 private:
  static constexpr size_t kTracked = 0x100;  // the standard statuses; the rest share a slot
  std::array<std::atomic<uint64_t>, kTracked + 1> by_status_{};
};

}  // namespace smsgw::smpp
