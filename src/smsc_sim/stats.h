#pragma once
// Counters of what the simulator has seen and done, as a snapshot value (Simulator::stats())
// and as the JSON of GET /stats. Plain values; StatsJson is pure.

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace smsgw::smsc_sim {

struct Stats {
  // PDUs by command name ("submit_sm", "enquire_link_resp", ...).
  std::map<std::string, uint64_t, std::less<>> received;
  std::map<std::string, uint64_t, std::less<>> sent;
  uint64_t connections_open = 0;
  uint64_t connections_total = 0;
  uint64_t bound = 0;       // connections bound now
  uint64_t bound_peak = 0;  // the most connections bound at once since the start
  struct BoundCount {
    uint64_t bound = 0;  // now
    uint64_t peak = 0;   // the most at once since the start
  };
  // Per system_id that was ever bound: what SimulatorConfig::max_binds limits.
  std::map<std::string, BoundCount, std::less<>> bound_by_system_id;
  uint64_t binds_ok = 0;
  uint64_t binds_refused = 0;
  // submit_sm by the fault their destination selects (FaultName), once bound; "rate_limited"
  // counts those refused by --max-rate before any fault applied.
  std::map<std::string, uint64_t, std::less<>> submits_by_fault;
  uint64_t deliveries_queued = 0;   // deliver_sm waiting for a receiver now
  uint64_t deliveries_dropped = 0;  // queue overflow, or refused with a permanent error
  uint64_t mo_sent = 0;             // MO messages injected (not parts)
};

// {"connections": {"open": 1, "total": 3}, "bound": 1, "bound_peak": 2,
//  "bound_by_system_id": {"smsgw": {"bound": 1, "peak": 2}}, "binds": {"ok": 2, "refused": 1},
//  "received": {"bind_transceiver": 2, ...}, "sent": {...}, "submits_by_fault": {"none": 5},
//  "deliveries": {"queued": 0, "dropped": 0}, "mo_sent": 1}
std::string StatsJson(const Stats& stats);

}  // namespace smsgw::smsc_sim
