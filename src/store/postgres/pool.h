#pragma once
// Pool lends connections to one PostgreSQL database, one thread at a time, opening them on demand
// up to a fixed size and dropping those that were lost. InTransaction runs a function inside
// BEGIN ... COMMIT and runs it again when the server reports a serialization failure or a
// deadlock, which at READ COMMITTED come only from the store's own row locks. It keeps the
// store's WriteStats: every transaction that commits is counted there.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/write_stats.h"

namespace smsgw::store::postgres {

// The most keys a store call locks (pg_advisory_xact_lock) in one transaction: the locks are held
// to the commit, and the server's shared lock table (max_locks_per_transaction × connections:
// 64 × 100 by default) holds every session's at once. A call with more splits into transactions.
inline constexpr size_t kMaxLocksPerTransaction = 256;

class Pool {
 public:
  struct Options {
    std::string conninfo;
    size_t size = 8;
    // Sent as statement_timeout to every connection; 0 disables it.
    std::chrono::milliseconds statement_timeout{30'000};
  };

  explicit Pool(Options options) : options_(std::move(options)) {}

  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<Connection> conn) : pool_(&pool), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    ~Lease();
    Connection* operator->() { return conn_.get(); }
    Connection& operator*() { return *conn_; }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  // A connection, waiting for one to be returned when `size` are lent. kUnavailable when a new
  // connection cannot be opened.
  core::Result<Lease> Take();

  // Runs one statement that changes nothing, outside a transaction. A connection found lost (the
  // server restarted, or closed it while it was idle in the pool) is replaced, with every other
  // idle one (opened before, most likely lost too), and the statement run again once.
  core::Result<Rows> Read(const char* sql, const Params& params);

  // fn(Connection&) -> core::Result<T>, run between BEGIN and COMMIT; its failure rolls back. fn
  // may run more than once, so it must start from scratch each time (clear what it collects): on
  // a serialization failure or a deadlock, and on a connection found lost at BEGIN.
  template <class F>
  auto InTransaction(F&& fn) -> decltype(fn(std::declval<Connection&>()));

  const Options& options() const { return options_; }
  WriteStats& stats() { return stats_; }
  const WriteStats& stats() const { return stats_; }

 private:
  friend class Lease;
  void Return(std::unique_ptr<Connection> conn);
  // Whether the statement that just failed on `conn` should run again in a new transaction
  // (serialization failure, deadlock).
  static bool Retryable(const Connection& conn);
  static core::Result<void> Begin(Connection& conn);
  static core::Result<void> Commit(Connection& conn);
  static void Rollback(Connection& conn);

  const Options options_;
  std::mutex mu_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;
  size_t open_ = 0;
  WriteStats stats_;
};

template <class F>
auto Pool::InTransaction(F&& fn) -> decltype(fn(std::declval<Connection&>())) {
  constexpr int kAttempts = 8;
  for (int attempt = 1;; ++attempt) {
    auto lease = Take();
    if (!lease) {
      return std::unexpected(std::move(lease.error()));
    }
    Connection& conn = **lease;
    const auto began = std::chrono::steady_clock::now();
    if (auto begun = Begin(conn); !begun) {
      if (attempt < kAttempts && !conn.ok()) {
        continue;  // nothing was sent but BEGIN: safe on a new connection
      }
      return std::unexpected(std::move(begun.error()));
    }
    auto result = fn(conn);
    if (result) {
      if (auto committed = Commit(conn); !committed) {
        if (attempt < kAttempts && Retryable(conn)) {
          continue;
        }
        return std::unexpected(std::move(committed.error()));
      }
      stats_.Committed(std::chrono::steady_clock::now() - began);
      return result;
    }
    const bool retry = attempt < kAttempts && Retryable(conn);
    Rollback(conn);
    if (!retry) {
      return result;
    }
  }
}

}  // namespace smsgw::store::postgres
