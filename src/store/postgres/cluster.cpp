#include "store/postgres/cluster.h"

#include <algorithm>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "store/delivery_decisions.h"

namespace smsgw::store::postgres {
namespace {

// The server's clock in Unix ms: statement_timestamp() is one instant for the whole statement.
#define SMSGW_PG_NOW "(extract(epoch FROM statement_timestamp()) * 1000)::bigint"

constexpr const char* kBeat = "UPDATE cluster_nodes SET beat_at = " SMSGW_PG_NOW
                              ", expires_at = " SMSGW_PG_NOW " + $2 WHERE owner = $1";
constexpr const char* kFirstBeat =
    "INSERT INTO cluster_nodes (owner, started_at, beat_at, expires_at) "
    "VALUES ($1, " SMSGW_PG_NOW ", " SMSGW_PG_NOW ", " SMSGW_PG_NOW
    " + $2) "
    "ON CONFLICT (owner) DO UPDATE SET beat_at = EXCLUDED.beat_at, "
    "expires_at = EXCLUDED.expires_at";
// $2 is the owner's node prefix (OwnerNode): the same node's other owners are its earlier lives.
constexpr const char* kEndEarlierBeats =
    "DELETE FROM cluster_nodes WHERE owner <> $1 AND left(owner, length($2)) = $2";
constexpr const char* kEndEarlierBinds =
    "DELETE FROM bind_leases WHERE owner <> $1 AND left(owner, length($2)) = $2";
// Forgets the beats lapsed for more than a day ($2 ms), then counts the live ones and those of
// them older than this owner (first beat, then owner in byte order); this owner's counts even
// when its lease is shorter than the time between its beat and this statement.
constexpr const char* kForgetAndCount =
    "WITH gone AS (DELETE FROM cluster_nodes WHERE expires_at < " SMSGW_PG_NOW
    " - $2) "
    "SELECT count(*), count(*) FILTER (WHERE (started_at, owner COLLATE \"C\") < "
    "(SELECT started_at, owner COLLATE \"C\" FROM cluster_nodes WHERE owner = $1)) "
    "FROM cluster_nodes WHERE expires_at > " SMSGW_PG_NOW " OR owner = $1";
constexpr const char* kLeaveBeat = "DELETE FROM cluster_nodes WHERE owner = $1";
constexpr const char* kLeaveBinds = "DELETE FROM bind_leases WHERE owner = $1";

// Acquirers of one connector take turns (the key space is shared with the other advisory locks
// of the store, hence the prefix).
constexpr const char* kLockConnector =
    "SELECT pg_advisory_xact_lock(hashtextextended('bind-lease' || chr(31) || $1::text, 0))";
// The lowest $4 of slots 0 .. $2-1 without a live lease. Under the lock no other node writes
// them; the conflict clause still overwrites only a lapsed lease, so that even without the lock
// one slot could not get two live leases (an acquirer would only get fewer slots).
constexpr const char* kTake =
    "INSERT INTO bind_leases (connector, slot, owner, expires_at) "
    "SELECT $1, s, $3, " SMSGW_PG_NOW
    " + $5 FROM generate_series(0, $2::int - 1) AS s "
    "WHERE NOT EXISTS (SELECT 1 FROM bind_leases b WHERE b.connector = $1 AND b.slot = s AND "
    "b.expires_at > " SMSGW_PG_NOW
    ") ORDER BY s LIMIT $4 "
    "ON CONFLICT (connector, slot) DO UPDATE SET owner = EXCLUDED.owner, "
    "expires_at = EXCLUDED.expires_at WHERE bind_leases.expires_at <= " SMSGW_PG_NOW
    " RETURNING slot";
constexpr const char* kRenew =
    "WITH r AS (UPDATE bind_leases SET expires_at = " SMSGW_PG_NOW
    " + $3 WHERE connector = $1 AND owner = $2 RETURNING slot) SELECT slot FROM r ORDER BY slot";
constexpr const char* kRelease =
    "DELETE FROM bind_leases WHERE connector = $1 AND slot = $2 AND owner = $3";

constexpr const char* kNow = "SELECT " SMSGW_PG_NOW;
constexpr const char* kNodes =
    "SELECT owner, started_at, beat_at, expires_at FROM cluster_nodes "
    "ORDER BY owner COLLATE \"C\"";
constexpr const char* kBinds =
    "SELECT connector, slot, owner, expires_at FROM bind_leases "
    "ORDER BY connector COLLATE \"C\", slot";
// A claimed message or webhook is due at its lease's end and names its claimer: both are ranges
// of their partial due index (waiting and claimed rows only).
constexpr const char* kClaims =
    "SELECT owner, sum(m), sum(w) FROM ("
    "SELECT claim_owner AS owner, count(*) AS m, 0 AS w FROM messages "
    "WHERE due_at IS NOT NULL AND claim_owner <> '' GROUP BY claim_owner UNION ALL "
    "SELECT claim_owner, 0, count(*) FROM webhooks "
    "WHERE due_at IS NOT NULL AND claim_owner <> '' GROUP BY claim_owner) c "
    "GROUP BY owner ORDER BY owner COLLATE \"C\"";

#undef SMSGW_PG_NOW

// Beats lapsed this long are forgotten: a node removed for good.
constexpr int64_t kForgetAfterMs = 24 * 60 * 60 * 1000;

core::Result<void> CheckLease(std::chrono::milliseconds lease) {
  if (lease.count() <= 0) {
    return core::MakeError(core::Errc::kInvalidArgument, "a cluster lease must be positive, not " +
                                                             std::to_string(lease.count()) + " ms");
  }
  return {};
}

// Runs each of `sqls` with `params`.
core::Result<void> ExecEach(Connection& conn, std::initializer_list<const char*> sqls,
                            const Params& params) {
  for (const char* sql : sqls) {
    if (auto ran = conn.Exec(sql, params); !ran) {
      return Fail(std::move(ran));
    }
  }
  return {};
}

std::vector<int> Slots(const Rows& rows) {
  std::vector<int> slots;
  for (int i = 0; i < rows.rows(); ++i) {
    slots.push_back(static_cast<int>(rows.Int(i, 0)));
  }
  return slots;
}

// `owner`'s beat; on its first, its node's earlier lives end.
core::Result<void> BeatIn(Connection& conn, std::string_view owner,
                          std::chrono::milliseconds lease) {
  auto beat = conn.Exec(kBeat, Params().Text(owner).Int(lease.count()));
  if (!beat) {
    return Fail(std::move(beat));
  }
  if (beat->affected() > 0) {
    return {};
  }
  if (auto ended = ExecEach(conn, {kEndEarlierBeats, kEndEarlierBinds},
                            Params().Text(owner).Text(OwnerNode(owner)));
      !ended) {
    return ended;
  }
  auto first = conn.Exec(kFirstBeat, Params().Text(owner).Int(lease.count()));
  if (!first) {
    return Fail(std::move(first));
  }
  return {};
}

core::Result<ClusterNodes> ReadNodes(Connection& conn) {
  ClusterNodes out;
  auto now = conn.Exec(kNow);
  if (!now) {
    return Fail(std::move(now));
  }
  out.now = now->Time(0, 0);
  auto nodes = conn.Exec(kNodes);
  if (!nodes) {
    return Fail(std::move(nodes));
  }
  for (int i = 0; i < nodes->rows(); ++i) {
    out.nodes.push_back(
        NodeBeat{nodes->Text(i, 0), nodes->Time(i, 1), nodes->Time(i, 2), nodes->Time(i, 3)});
  }
  return out;
}

core::Result<ClusterStatus> ReadStatus(Connection& conn) {
  ClusterStatus status;
  auto nodes = ReadNodes(conn);
  if (!nodes) {
    return Fail(std::move(nodes));
  }
  status.now = nodes->now;
  status.nodes = std::move(nodes->nodes);
  auto binds = conn.Exec(kBinds);
  if (!binds) {
    return Fail(std::move(binds));
  }
  for (int i = 0; i < binds->rows(); ++i) {
    status.binds.push_back(BindLease{binds->Text(i, 0), static_cast<int>(binds->Int(i, 1)),
                                     binds->Text(i, 2), binds->Time(i, 3)});
  }
  auto claims = conn.Exec(kClaims);
  if (!claims) {
    return Fail(std::move(claims));
  }
  for (int i = 0; i < claims->rows(); ++i) {
    status.claims.push_back(ClaimsHeld{claims->Text(i, 0), static_cast<uint64_t>(claims->Int(i, 1)),
                                       static_cast<uint64_t>(claims->Int(i, 2))});
  }
  return status;
}

}  // namespace

core::Result<ClusterView> Cluster::Beat(std::string_view owner, std::chrono::milliseconds lease) {
  if (auto valid = CheckLease(lease); !valid) {
    return Fail(std::move(valid));
  }
  return pool_.InTransaction([&](Connection& conn) -> core::Result<ClusterView> {
    if (auto beat = BeatIn(conn, owner, lease); !beat) {
      return Fail(std::move(beat));
    }
    auto alive = conn.Exec(kForgetAndCount, Params().Text(owner).Int(kForgetAfterMs));
    if (!alive) {
      return Fail(std::move(alive));
    }
    return ClusterView{static_cast<int>(alive->Int(0, 0)), static_cast<int>(alive->Int(0, 1))};
  });
}

core::Result<void> Cluster::Leave(std::string_view owner) {
  return pool_.InTransaction([&](Connection& conn) -> core::Result<void> {
    return ExecEach(conn, {kLeaveBeat, kLeaveBinds}, Params().Text(owner));
  });
}

core::Result<std::vector<int>> Cluster::AcquireBinds(std::string_view connector, int slots,
                                                     std::string_view owner, int want,
                                                     std::chrono::milliseconds lease) {
  if (auto valid = CheckLease(lease); !valid) {
    return Fail(std::move(valid));
  }
  if (slots <= 0 || want <= 0) {
    return std::vector<int>();
  }
  return pool_.InTransaction([&](Connection& conn) -> core::Result<std::vector<int>> {
    if (auto locked = conn.Exec(kLockConnector, Params().Text(connector)); !locked) {
      return Fail(std::move(locked));
    }
    auto taken = conn.Exec(
        kTake, Params().Text(connector).Int(slots).Text(owner).Int(want).Int(lease.count()));
    if (!taken) {
      return Fail(std::move(taken));
    }
    std::vector<int> slots_taken = Slots(*taken);
    std::ranges::sort(slots_taken);  // RETURNING keeps no order
    return slots_taken;
  });
}

core::Result<std::vector<int>> Cluster::RenewBinds(std::string_view connector,
                                                   std::string_view owner,
                                                   std::chrono::milliseconds lease) {
  if (auto valid = CheckLease(lease); !valid) {
    return Fail(std::move(valid));
  }
  return pool_.InTransaction([&](Connection& conn) -> core::Result<std::vector<int>> {
    auto renewed = conn.Exec(kRenew, Params().Text(connector).Text(owner).Int(lease.count()));
    if (!renewed) {
      return Fail(std::move(renewed));
    }
    return Slots(*renewed);
  });
}

core::Result<void> Cluster::ReleaseBind(std::string_view connector, int slot,
                                        std::string_view owner) {
  return pool_.InTransaction([&](Connection& conn) -> core::Result<void> {
    return ExecEach(conn, {kRelease}, Params().Text(connector).Int(slot).Text(owner));
  });
}

core::Result<ClusterStatus> Cluster::Status() {
  return pool_.InTransaction([&](Connection& conn) -> core::Result<ClusterStatus> {
    // Read only: such a transaction never fails to serialize, and takes no locks writers wait on.
    if (auto set = conn.ExecScript("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        !set) {
      return Fail(std::move(set));
    }
    return ReadStatus(conn);
  });
}

core::Result<ClusterNodes> Cluster::Nodes() {
  return pool_.InTransaction([&](Connection& conn) { return ReadNodes(conn); });
}

}  // namespace smsgw::store::postgres
