#pragma once
// A node's start ends its earlier lives: its first beat drops their beats and bind leases, and
// the claims of their owners are released (ClusterStore::Beat, DeliveryStore::ReleaseClaims).
// That is right after a crash and wrong when the earlier life is a live process: two nodes given
// one [node] id, or two on one host that both take the host's name. They would take each other's
// binds and send each other's claimed messages twice.
//
// So before a start on a shared store, an earlier life whose beat has not lapsed is watched: a
// live one beats every fifth of its lease, so one whose beat moves within half its lease is
// alive, and the start is refused. One that does not move crashed; the start goes on (having
// waited at most half a lease, and only when the crash was that recent).

#include <chrono>
#include <string_view>

#include "core/result.h"
#include "store/cluster_store.h"

namespace smsgw::app {

// Returns once no other live process beats as `node_id`, or an error naming the one that does.
// `poll`: how often the store is read while watching.
core::Result<void> CheckNodeIdIsFree(store::ClusterStore& cluster, std::string_view node_id,
                                     std::chrono::milliseconds poll);

}  // namespace smsgw::app
