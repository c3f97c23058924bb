#pragma once
// ClusterStore on PostgreSQL (cluster_nodes and bind_leases, migration 11). Every time is the
// server's (statement_timestamp(), one instant per statement), never a node's, so a node whose
// clock runs ahead cannot see another's lease as lapsed early. AcquireBinds takes a
// transaction-scoped advisory lock on the connector before it reads which slots are free, so nodes
// acquiring one connector's binds take turns; its upsert also overwrites only a lapsed lease
// (`ON CONFLICT ... WHERE expires_at <= now`), so one slot never has two live leases.

#include "store/cluster_store.h"
#include "store/postgres/pool.h"

namespace smsgw::store::postgres {

class Cluster final : public ClusterStore {
 public:
  explicit Cluster(Pool& pool) : pool_(pool) {}

  core::Result<ClusterView> Beat(std::string_view owner, std::chrono::milliseconds lease) override;
  core::Result<void> Leave(std::string_view owner) override;
  core::Result<std::vector<int>> AcquireBinds(std::string_view connector, int slots,
                                              std::string_view owner, int want,
                                              std::chrono::milliseconds lease) override;
  core::Result<std::vector<int>> RenewBinds(std::string_view connector, std::string_view owner,
                                            std::chrono::milliseconds lease) override;
  core::Result<void> ReleaseBind(std::string_view connector, int slot,
                                 std::string_view owner) override;
  core::Result<ClusterStatus> Status() override;
  core::Result<ClusterNodes> Nodes() override;

 private:
  Pool& pool_;
};

}  // namespace smsgw::store::postgres
