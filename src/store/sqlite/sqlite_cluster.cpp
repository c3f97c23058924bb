// SqliteStore's ClusterStore (migration 22): beats and bind leases, on this host's clock (the
// processes sharing a SQLite file share a host). Rare calls (a beat, a renewal per connector
// every few seconds): statements are prepared per call, and each write is one IMMEDIATE
// transaction on the writer, so two processes acquiring binds at once take turns.

#include <chrono>
#include <initializer_list>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "store/cluster_store.h"
#include "store/delivery_decisions.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace smsgw::store::sqlite {
namespace {

constexpr const char* kBeat =
    "UPDATE cluster_nodes SET beat_at = ?2, expires_at = ?3 WHERE owner = ?1";
constexpr const char* kFirstBeat =
    "INSERT INTO cluster_nodes (owner, started_at, beat_at, expires_at) VALUES (?1, ?2, ?2, ?3)";
// ?2 is the owner's node prefix (OwnerNode): the same node's other owners are its earlier lives.
constexpr const char* kEndEarlierBeats =
    "DELETE FROM cluster_nodes WHERE owner <> ?1 AND substr(owner, 1, length(?2)) = ?2";
constexpr const char* kEndEarlierBinds =
    "DELETE FROM bind_leases WHERE owner <> ?1 AND substr(owner, 1, length(?2)) = ?2";
constexpr const char* kForget = "DELETE FROM cluster_nodes WHERE expires_at < ?1";
// The nodes alive, and those of them older than ?2 (first beat, then owner in byte order).
constexpr const char* kAlive =
    "SELECT count(*), count(*) FILTER (WHERE (started_at, owner) < "
    "(SELECT started_at, owner FROM cluster_nodes WHERE owner = ?2)) "
    "FROM cluster_nodes WHERE expires_at > ?1";
constexpr const char* kLeaveBeat = "DELETE FROM cluster_nodes WHERE owner = ?1";
constexpr const char* kLeaveBinds = "DELETE FROM bind_leases WHERE owner = ?1";

constexpr const char* kLiveSlots =
    "SELECT slot FROM bind_leases WHERE connector = ?1 AND slot < ?2 AND expires_at > ?3 "
    "ORDER BY slot";
constexpr const char* kTake =
    "INSERT INTO bind_leases (connector, slot, owner, expires_at) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (connector, slot) DO UPDATE SET owner = ?3, expires_at = ?4";
constexpr const char* kRenew =
    "UPDATE bind_leases SET expires_at = ?3 WHERE connector = ?1 AND owner = ?2";
constexpr const char* kHeld =
    "SELECT slot FROM bind_leases WHERE connector = ?1 AND owner = ?2 ORDER BY slot";
constexpr const char* kRelease =
    "DELETE FROM bind_leases WHERE connector = ?1 AND slot = ?2 AND owner = ?3";

constexpr const char* kNodes =
    "SELECT owner, started_at, beat_at, expires_at FROM cluster_nodes ORDER BY owner";
constexpr const char* kBinds =
    "SELECT connector, slot, owner, expires_at FROM bind_leases ORDER BY connector, slot";
// A claimed message or webhook is due at its lease's end and names its claimer, so both are
// ranges of their partial due index (waiting and claimed rows only, a small part of each table).
constexpr const char* kClaims =
    "SELECT owner, sum(m), sum(w) FROM ("
    "SELECT claim_owner AS owner, count(*) AS m, 0 AS w FROM messages INDEXED BY messages_due "
    "WHERE due_at IS NOT NULL AND claim_owner <> '' GROUP BY claim_owner UNION ALL "
    "SELECT claim_owner, 0, count(*) FROM webhooks INDEXED BY webhooks_due "
    "WHERE due_at IS NOT NULL AND claim_owner <> '' GROUP BY claim_owner) "
    "GROUP BY owner ORDER BY owner";

// Beats lapsed this long are forgotten: a node removed for good.
constexpr int64_t kForgetAfterMs = 24 * 60 * 60 * 1000;

using Param = std::variant<std::string_view, int64_t>;

// `sql` prepared on `db` with `params` bound as ?1.. in order (text is not copied: it must
// outlive the statement's run).
core::Result<Statement> Bound(Db& db, const char* sql, std::initializer_list<Param> params) {
  auto prepared = db.Prepare(sql);
  if (!prepared) {
    return prepared;
  }
  int index = 1;
  for (const Param& p : params) {
    if (const auto* text = std::get_if<std::string_view>(&p)) {
      prepared->BindText(index++, *text);
    } else {
      prepared->BindInt64(index++, std::get<int64_t>(p));
    }
  }
  return prepared;
}

// Runs `sql` with `params` to its end; the rows it changed.
core::Result<int64_t> Change(Db& db, const char* sql, std::initializer_list<Param> params) {
  auto statement = Bound(db, sql, params);
  if (!statement) {
    return Fail(std::move(statement));
  }
  if (auto ran = statement->Run(); !ran) {
    return Fail(std::move(ran));
  }
  return db.Changes();
}

// The first column of every row of `sql` with `params`, as ints.
core::Result<std::vector<int>> Ints(Db& db, const char* sql, std::initializer_list<Param> params) {
  auto statement = Bound(db, sql, params);
  if (!statement) {
    return Fail(std::move(statement));
  }
  return ReadAll<int>(*statement, [](const Statement& s) -> core::Result<int> {
    return static_cast<int>(s.ColumnInt64(0));
  });
}

int64_t NowMs() { return Ms(std::chrono::system_clock::now()); }

core::Result<void> CheckLease(std::chrono::milliseconds lease) {
  if (lease.count() <= 0) {
    return core::MakeError(core::Errc::kInvalidArgument, "a cluster lease must be positive, not " +
                                                             std::to_string(lease.count()) + " ms");
  }
  return {};
}

// Ends the other lives of `owner`'s node: their beats and bind leases.
core::Result<void> EndEarlierLives(Db& db, std::string_view owner) {
  const std::string node = OwnerNode(owner);
  for (const char* sql : {kEndEarlierBeats, kEndEarlierBinds}) {
    if (auto ended = Change(db, sql, {owner, std::string_view(node)}); !ended) {
      return Fail(std::move(ended));
    }
  }
  return {};
}

// Slots 0 .. slots-1 absent from `live` (ascending), lowest first, at most `want`.
std::vector<int> LowestFree(const std::vector<int>& live, int slots, int want) {
  std::vector<int> free;
  auto next_live = live.begin();
  for (int slot = 0; slot < slots && static_cast<int>(free.size()) < want; ++slot) {
    if (next_live != live.end() && *next_live == slot) {
      ++next_live;
    } else {
      free.push_back(slot);
    }
  }
  return free;
}

template <class T, class Read>
core::Result<std::vector<T>> ReadRows(Db& db, const char* sql, Read read) {
  auto statement = Bound(db, sql, {});
  if (!statement) {
    return Fail(std::move(statement));
  }
  return ReadAll<T>(*statement, read);
}

core::Result<NodeBeat> ReadNode(const Statement& s) {
  return NodeBeat{s.ColumnText(0), core::FromUnixMillis(s.ColumnInt64(1)),
                  core::FromUnixMillis(s.ColumnInt64(2)), core::FromUnixMillis(s.ColumnInt64(3))};
}

core::Result<BindLease> ReadBind(const Statement& s) {
  return BindLease{s.ColumnText(0), static_cast<int>(s.ColumnInt64(1)), s.ColumnText(2),
                   core::FromUnixMillis(s.ColumnInt64(3))};
}

core::Result<ClaimsHeld> ReadClaims(const Statement& s) {
  return ClaimsHeld{s.ColumnText(0), static_cast<uint64_t>(s.ColumnInt64(1)),
                    static_cast<uint64_t>(s.ColumnInt64(2))};
}

}  // namespace

core::Result<ClusterView> SqliteStore::Beat(std::string_view owner,
                                            std::chrono::milliseconds lease) {
  if (auto valid = CheckLease(lease); !valid) {
    return Fail(std::move(valid));
  }
  std::lock_guard lock(write_mu_);
  Db& db = writer_->db;
  ClusterView view;
  auto beaten = writer_->InTransaction([&]() -> core::Result<void> {
    const int64_t now = NowMs();
    const int64_t expires = now + lease.count();
    auto beat = Change(db, kBeat, {owner, now, expires});
    if (!beat) {
      return Fail(std::move(beat));
    }
    if (*beat == 0) {
      if (auto ended = EndEarlierLives(db, owner); !ended) {
        return ended;
      }
      if (auto first = Change(db, kFirstBeat, {owner, now, expires}); !first) {
        return Fail(std::move(first));
      }
    }
    if (auto forgot = Change(db, kForget, {now - kForgetAfterMs}); !forgot) {
      return Fail(std::move(forgot));
    }
    auto alive = Bound(db, kAlive, {now, owner});
    if (!alive) {
      return Fail(std::move(alive));
    }
    auto read = ReadAll<ClusterView>(*alive, [](const Statement& s) -> core::Result<ClusterView> {
      return ClusterView{static_cast<int>(s.ColumnInt64(0)), static_cast<int>(s.ColumnInt64(1))};
    });
    if (!read) {
      return Fail(std::move(read));
    }
    view = read->at(0);
    return {};
  });
  if (!beaten) {
    return Fail(std::move(beaten));
  }
  return view;
}

core::Result<void> SqliteStore::Leave(std::string_view owner) {
  std::lock_guard lock(write_mu_);
  Db& db = writer_->db;
  return writer_->InTransaction([&]() -> core::Result<void> {
    for (const char* sql : {kLeaveBeat, kLeaveBinds}) {
      if (auto left = Change(db, sql, {owner}); !left) {
        return Fail(std::move(left));
      }
    }
    return {};
  });
}

core::Result<std::vector<int>> SqliteStore::AcquireBinds(std::string_view connector, int slots,
                                                         std::string_view owner, int want,
                                                         std::chrono::milliseconds lease) {
  if (auto valid = CheckLease(lease); !valid) {
    return Fail(std::move(valid));
  }
  std::lock_guard lock(write_mu_);
  Db& db = writer_->db;
  std::vector<int> taken;
  auto acquired = writer_->InTransaction([&]() -> core::Result<void> {
    const int64_t now = NowMs();
    auto live = Ints(db, kLiveSlots, {connector, int64_t{slots}, now});
    if (!live) {
      return Fail(std::move(live));
    }
    taken = LowestFree(*live, slots, want);
    for (const int slot : taken) {
      auto took = Change(db, kTake, {connector, int64_t{slot}, owner, now + lease.count()});
      if (!took) {
        return Fail(std::move(took));
      }
    }
    return {};
  });
  if (!acquired) {
    return Fail(std::move(acquired));
  }
  return taken;
}

core::Result<std::vector<int>> SqliteStore::RenewBinds(std::string_view connector,
                                                       std::string_view owner,
                                                       std::chrono::milliseconds lease) {
  if (auto valid = CheckLease(lease); !valid) {
    return Fail(std::move(valid));
  }
  std::lock_guard lock(write_mu_);
  Db& db = writer_->db;
  std::vector<int> held;
  auto renewed = writer_->InTransaction([&]() -> core::Result<void> {
    const int64_t expires = NowMs() + lease.count();
    if (auto renew = Change(db, kRenew, {connector, owner, expires}); !renew) {
      return Fail(std::move(renew));
    }
    auto slots = Ints(db, kHeld, {connector, owner});
    if (!slots) {
      return Fail(std::move(slots));
    }
    held = std::move(*slots);
    return {};
  });
  if (!renewed) {
    return Fail(std::move(renewed));
  }
  return held;
}

core::Result<void> SqliteStore::ReleaseBind(std::string_view connector, int slot,
                                            std::string_view owner) {
  std::lock_guard lock(write_mu_);
  auto released = Change(writer_->db, kRelease, {connector, int64_t{slot}, owner});
  if (!released) {
    return Fail(std::move(released));
  }
  return {};
}

core::Result<ClusterStatus> SqliteStore::Status() {
  return WithReader([&](ReadConnection& r) -> core::Result<ClusterStatus> {
    return r.InSnapshot([&]() -> core::Result<ClusterStatus> {
      ClusterStatus status;
      status.now = core::FromUnixMillis(NowMs());
      auto nodes = ReadRows<NodeBeat>(r.db, kNodes, ReadNode);
      if (!nodes) {
        return Fail(std::move(nodes));
      }
      auto binds = ReadRows<BindLease>(r.db, kBinds, ReadBind);
      if (!binds) {
        return Fail(std::move(binds));
      }
      auto claims = ReadRows<ClaimsHeld>(r.db, kClaims, ReadClaims);
      if (!claims) {
        return Fail(std::move(claims));
      }
      status.nodes = std::move(*nodes);
      status.binds = std::move(*binds);
      status.claims = std::move(*claims);
      return status;
    });
  });
}

core::Result<ClusterNodes> SqliteStore::Nodes() {
  return WithReader([&](ReadConnection& r) -> core::Result<ClusterNodes> {
    auto nodes = ReadRows<NodeBeat>(r.db, kNodes, ReadNode);
    if (!nodes) {
      return Fail(std::move(nodes));
    }
    return ClusterNodes{core::FromUnixMillis(NowMs()), std::move(*nodes)};
  });
}

}  // namespace smsgw::store::sqlite
