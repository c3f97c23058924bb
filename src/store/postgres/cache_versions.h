#pragma once
// The versions behind AccountStore::KeysVersion() and TemplateStore/SenderStore's registry
// version on PostgreSQL, where the processes sharing the store run on different hosts and cannot
// share a mapped counter as SQLite's do (store/sqlite/shared_counter.h). A change bumps its row of
// cache_versions in its own transaction and sends NOTIFY on channel smsgw_cache_versions, which is
// delivered at commit. A thread holds one connection that LISTENs, and reads the rows again on
// every notification and at least every `poll` (a lost notification, a lost connection): another
// node sees a change within about `poll`; the node that made it, at once. It needs LISTEN and
// pg_notify: on an engine without them, other nodes would not see changes (docs/deployment.md).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "core/result.h"
#include "store/postgres/pg_connection.h"

namespace smsgw::store::postgres {

class CacheVersions {
 public:
  enum Kind { kKeys, kRegistry };

  // Reads the current versions (kUnavailable when the database cannot be reached) and starts the
  // listening thread.
  static core::Result<std::unique_ptr<CacheVersions>> Start(std::string conninfo,
                                                            std::chrono::milliseconds poll);
  ~CacheVersions();
  CacheVersions(const CacheVersions&) = delete;
  CacheVersions& operator=(const CacheVersions&) = delete;

  uint64_t Load(Kind kind) const { return versions_[kind].load(std::memory_order_acquire); }

  // Inside the caller's transaction: bumps `kind`'s version and queues the notification. Returns
  // the new version, which the caller hands to Saw() once the transaction has committed.
  static core::Result<uint64_t> Bump(Connection& conn, Kind kind);
  // Raises the cached version to `version` (never lowers it).
  void Saw(Kind kind, uint64_t version);

 private:
  CacheVersions(std::string conninfo, std::chrono::milliseconds poll, int wake_fd);
  core::Result<void> Read(Connection& conn);
  void Run();

  const std::string conninfo_;
  const std::chrono::milliseconds poll_;
  const int wake_fd_;  // an eventfd that ends Run()
  std::atomic<uint64_t> versions_[2] = {0, 0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace smsgw::store::postgres
