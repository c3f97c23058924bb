#include "store/postgres/pool.h"

#include <utility>

namespace smsgw::store::postgres {

Pool::Lease::~Lease() {
  if (conn_ != nullptr) {
    pool_->Return(std::move(conn_));
  }
}

core::Result<Pool::Lease> Pool::Take() {
  {
    std::unique_lock lock(mu_);
    returned_.wait(lock, [&] { return !idle_.empty() || open_ < options_.size; });
    if (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(conn));
    }
    ++open_;  // reserved while connecting, outside the lock
  }
  auto opened = Connection::Open(options_.conninfo);
  if (opened && options_.statement_timeout.count() > 0) {
    // A SET cannot take parameters; the value is a number this process formatted.
    const std::string set =
        "SET statement_timeout = " + std::to_string(options_.statement_timeout.count());
    if (auto ran = (*opened)->ExecScript(set.c_str()); !ran) {
      opened = std::unexpected(std::move(ran.error()));
    }
  }
  if (!opened) {
    std::lock_guard lock(mu_);
    --open_;
    returned_.notify_one();
    return std::unexpected(std::move(opened.error()));
  }
  return Lease(*this, std::move(*opened));
}

void Pool::Return(std::unique_ptr<Connection> conn) {
  std::vector<std::unique_ptr<Connection>> stale;  // closed outside the lock
  {
    std::lock_guard lock(mu_);
    if (conn->ok() && PQtransactionStatus(conn->raw()) == PQTRANS_IDLE) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;  // lost, or left inside a transaction: closed rather than lent again
      if (!conn->ok()) {
        // A lost connection means the server restarted or dropped us: the idle ones, opened
        // before, are most likely gone too, and a retry must not take one of them.
        open_ -= idle_.size();
        stale = std::move(idle_);
        idle_.clear();
      }
      stale.push_back(std::move(conn));
    }
    returned_.notify_all();
  }
}

core::Result<Rows> Pool::Read(const char* sql, const Params& params) {
  for (int attempt = 1;; ++attempt) {
    auto lease = Take();
    if (!lease) {
      return std::unexpected(std::move(lease.error()));
    }
    auto rows = (*lease)->Exec(sql, params);
    if (rows || attempt == 2 || (*lease)->ok()) {
      return rows;
    }
  }
}

bool Pool::Retryable(const Connection& conn) {
  return conn.ok() && (conn.last_sqlstate() == kSerializationFailure ||
                       conn.last_sqlstate() == kDeadlockDetected);
}

core::Result<void> Pool::Begin(Connection& conn) {
  auto begun = conn.ExecScript("BEGIN");
  if (!begun) {
    return Fail(std::move(begun));
  }
  return {};
}

core::Result<void> Pool::Commit(Connection& conn) {
  auto committed = conn.ExecScript("COMMIT");
  if (!committed) {
    return Fail(std::move(committed));
  }
  return {};
}

void Pool::Rollback(Connection& conn) { (void)conn.ExecScript("ROLLBACK"); }

}  // namespace smsgw::store::postgres
