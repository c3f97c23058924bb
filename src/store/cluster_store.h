#pragma once
// ClusterStore: the nodes that serve one store, and the SMSC binds they share. A carrier allows
// an account a fixed number of binds, so `[[smsc]] binds` is a budget for the whole cluster: a
// node opens a session only for a bind slot (0 .. binds-1 of its connector) it holds a lease on.
// Nodes beat to show they are alive; a lapsed beat or lease is free for any node to take over.
//
// Leases and beats run on the store's clock (PostgreSQL: the server's), so a skew between the
// nodes' clocks cannot shorten anyone's lease. Owners are app/owner_name.h names,
// "<node id>/<process>", one per life of a process. Calls block and are safe from any thread;
// each is one transaction.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace smsgw::store {

struct NodeBeat {
  std::string owner;
  core::TimePoint started_at;  // its first beat
  core::TimePoint beat_at;     // its last beat
  core::TimePoint expires_at;  // when it counts as gone unless it beats again
};

struct BindLease {
  std::string connector;
  int slot = 0;
  std::string owner;
  core::TimePoint expires_at;
};

// What an owner has claimed and not finished (claims whose lease lapsed included: they are
// still marked with it until another node takes them).
struct ClaimsHeld {
  std::string owner;
  uint64_t messages = 0;
  uint64_t webhooks = 0;
};

// What a beat learns of the cluster.
struct ClusterView {
  int alive = 1;  // nodes alive now, this one included (>= 1)
  // This node's place among them by age (0 .. alive-1): the oldest first, by first beat, then
  // by owner name in byte order.
  int rank = 0;
};

struct ClusterNodes {
  core::TimePoint now;          // the store's clock when it was read
  std::vector<NodeBeat> nodes;  // by owner
};

struct ClusterStatus {
  core::TimePoint now;             // the store's clock when it was read
  std::vector<NodeBeat> nodes;     // by owner
  std::vector<BindLease> binds;    // by connector, then slot
  std::vector<ClaimsHeld> claims;  // by owner; owners holding nothing are left out
};

class ClusterStore {
 public:
  virtual ~ClusterStore() = default;

  // Records that `owner` is alive for `lease` from now. The first beat of a process also ends
  // its node's earlier lives (the same node id, another process: a restart after a crash):
  // their beats and bind leases go at once, so a restarted node need not wait out its own
  // leases. Beats lapsed for more than a day are forgotten (a node removed for good). Returns
  // how many nodes are alive now and where this one ranks among them.
  virtual core::Result<ClusterView> Beat(std::string_view owner,
                                         std::chrono::milliseconds lease) = 0;
  // A graceful stop: the beat and every bind lease of `owner` go at once.
  virtual core::Result<void> Leave(std::string_view owner) = 0;

  // Leases up to `want` slots of `connector` among 0 .. slots-1 that nobody holds or whose
  // lease lapsed, lowest first, for `lease` from now, and returns them (perhaps none). One slot
  // never has two live leases, whatever nodes ask at once.
  virtual core::Result<std::vector<int>> AcquireBinds(std::string_view connector, int slots,
                                                      std::string_view owner, int want,
                                                      std::chrono::milliseconds lease) = 0;
  // Extends every lease `owner` holds on `connector` to `lease` from now and returns their
  // slots, ascending. A slot it had and is not returned was lost: it lapsed and another node
  // took it.
  virtual core::Result<std::vector<int>> RenewBinds(std::string_view connector,
                                                    std::string_view owner,
                                                    std::chrono::milliseconds lease) = 0;
  // Gives the slot back at once, if `owner` still holds it.
  virtual core::Result<void> ReleaseBind(std::string_view connector, int slot,
                                         std::string_view owner) = 0;

  // Every node that has beaten and not left (lapsed ones included, with their expiry), every
  // bind lease, and the claims each owner holds. For `smsgw cluster status`.
  virtual core::Result<ClusterStatus> Status() = 0;
  // Status's nodes alone, without the leases and claims (which count the queue): for a start.
  virtual core::Result<ClusterNodes> Nodes() = 0;
};

}  // namespace smsgw::store
