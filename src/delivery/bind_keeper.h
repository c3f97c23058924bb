#pragma once
// The BindKeeper keeps this node in the cluster (store/cluster_store.h) and its share of every
// carrier connector's binds. `[[smsc]] binds` is what the carrier allows the account in all, so
// a node opens a connector's session i only while it holds the lease on bind slot i:
//
//   - Every lease/5 it beats, renews its leases, and aims at its share of each connector's
//     slots (ShareOf: binds / nodes, and one more on the oldest nodes for the remainder).
//     Below it, it leases free or lapsed slots and opens them; above it (a node joined), it
//     closes its highest slots gracefully and gives their leases back once closed, for the
//     newcomer to take.
//   - A slot whose lease was lost (it lapsed and another node took it) is closed at once.
//   - When the store cannot be reached for half a lease, every slot is closed: the leases may
//     lapse before the store is back, and another node may then open them. Once the store
//     answers again, the slots still leased to this node open again.
//   - Stop ends the rounds; Leave (after the connectors have closed) gives every lease and the
//     node's beat back at once.
//
// A dead node's slots are taken over within a lease (plus a round) of its last renewal. Leases
// and beats run on the store's clock; the half-lease fence runs on this node's monotonic clock.
//
// Threads: Start/Stop/Leave from one thread; the rounds run on the keeper's own thread (store
// calls block); connectors are told through Connector::Open/Close (any thread).

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "delivery/connector.h"
#include "store/cluster_store.h"

namespace smsgw::delivery {

struct BindKeeperOptions {
  std::string owner;  // this process's owner name (app/owner_name.h)
  std::chrono::milliseconds lease{15'000};
};

// How many of a connector's `slots` this node aims to hold: slots / alive, and one more on the
// `slots % alive` oldest nodes, so that the shares add up to every slot (4 binds on 3 nodes: 2,
// 1, 1). The oldest keep the extra ones because they already hold them: a node that joins
// takes only what the even split owes it, and moves no other bind. Pure.
int ShareOf(int slots, store::ClusterView view);

// What a round does with one connector's slots. Pure.
struct BindPlan {
  std::vector<int> close;  // held slots above this node's share: closed, then given back
  int acquire = 0;         // slots to lease more
};
// `share`: ShareOf; `open`: the slots this node holds and keeps open (slots being given back
// not counted).
BindPlan PlanBinds(int share, const std::set<int>& open);

struct BindKeeperStats {
  uint64_t rounds = 0;
  uint64_t failed_rounds = 0;
  uint64_t fenced = 0;  // times every slot was closed because the store was out of reach
  int nodes = 0;        // nodes alive at the last round
  int slots_open = 0;   // over all connectors, now
};

class BindKeeper {
 public:
  // `connectors`: the carriers' connectors (not the embedded simulator's: that is this node's
  // alone). They must outlive the keeper.
  BindKeeper(store::ClusterStore& store, std::vector<Connector*> connectors,
             BindKeeperOptions options);
  ~BindKeeper();
  BindKeeper(const BindKeeper&) = delete;
  BindKeeper& operator=(const BindKeeper&) = delete;

  // Runs a first round (beat, leases, opens) before it returns; an error when the store cannot
  // be reached, so that a node that cannot join does not start.
  core::Result<void> Start();
  // Ends the rounds. Leases are kept (sessions may still be draining): call Leave once the
  // connectors have stopped.
  void Stop();
  // Gives back the beat and every lease of this node.
  void Leave();

  BindKeeperStats stats() const;

 private:
  struct Held {
    Connector* connector = nullptr;
    std::set<int> open;     // leased and open
    std::set<int> closing;  // leased, closing or closed; given back once closed
    std::set<int> closed;   // of those, closed: to give back
  };

  void Run();
  // One round: beat, renew, lose, plan. False when the store failed somewhere.
  bool Round();
  // After a beat that saw `view`: every connector's leases; false when one failed.
  bool LeaseAll(store::ClusterView view);
  bool RoundFor(Held& held, store::ClusterView view);
  void GiveBackClosed();
  void Fence();
  void Closed(const std::string& connector, int slot);

  store::ClusterStore& store_;
  const BindKeeperOptions options_;
  std::vector<Held> held_;  // keeper thread only (and Start before it runs)

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;                              // guarded by mu_
  std::vector<std::pair<std::string, int>> closed_;    // guarded by mu_: to give back
  BindKeeperStats stats_;                              // guarded by mu_
  std::chrono::steady_clock::time_point last_good_{};  // keeper thread
  bool fenced_ = false;                                // keeper thread
  std::thread thread_;
};

}  // namespace smsgw::delivery
