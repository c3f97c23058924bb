#pragma once
// When a failed webhook is tried next, from its store::RetryPolicy. Pure; thread-safe.

#include <optional>

#include "core/time.h"
#include "store/callback_profile_store.h"

namespace smsgw::webhook {

// The time of the next attempt after `tries_done` (>= 1) attempts of the current run failed, the
// last one failing at `now`; nullopt when the policy is exhausted.
//  - kFixed: the n-th retry follows intervals[n-1] after the failure; none after the last one.
//  - kExponential: initial × 2^(tries_done-1), capped at max_delay, times a jitter factor of
//    0.8 + 0.4 × `random` (±20%, `random` in [0, 1)); exhausted when that time would be later
//    than run_started_at + horizon.
std::optional<core::TimePoint> NextAttemptAt(const store::RetryPolicy& policy, int tries_done,
                                             core::TimePoint run_started_at, core::TimePoint now,
                                             double random);

}  // namespace smsgw::webhook
