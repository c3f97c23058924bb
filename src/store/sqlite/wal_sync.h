#pragma once
// WalSync makes what was written to a database's write-ahead log durable, from outside SQLite.
//
// Why: with `synchronous = FULL` every COMMIT fsyncs the WAL while it holds the database's write
// lock, so the writer (the one serial resource of the store) sits idle for the length of each
// fsync. The write group commits with `synchronous = NORMAL` instead (no fsync in COMMIT), and
// the group's leader calls Sync() after the commit, outside the write lock, before it completes
// any caller: the next group is written while this one's fsync runs, and a caller still hears
// back only once its commit is on disk. fdatasync on another descriptor of the same file flushes
// the same pages; SQLite keeps the -wal file (same inode, overwritten from its start after a
// checkpoint) for as long as a connection is open, and the store's writer stays open.

#include <string>

#include "core/result.h"

namespace smsgw::store::sqlite {

class WalSync {
 public:
  // Opens `db_path`-wal (which must exist: open the database in WAL mode and read it first) and
  // fsyncs its directory once (where the file system allows it), so that the file's own entry
  // is durable too.
  static core::Result<WalSync> Open(const std::string& db_path);

  WalSync(WalSync&& other) noexcept;
  WalSync& operator=(WalSync&& other) noexcept;
  WalSync(const WalSync&) = delete;
  WalSync& operator=(const WalSync&) = delete;
  ~WalSync();

  // fdatasync of the WAL: everything committed before the call is durable once it returns.
  // Safe from any thread, also while the writer commits.
  core::Result<void> Sync() const;

 private:
  explicit WalSync(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace smsgw::store::sqlite
