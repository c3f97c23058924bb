#pragma once
// A SQLite VFS over the platform's default one that hands a commit's write-ahead log frames to
// the kernel in one write instead of two per page.
//
// Why: SQLite writes each WAL frame as two writes (its 24-byte header, then the page), so a
// group commit of ~45 pages made ~90 pwrite calls, the most frequent system call of `serve`
// under load (5.7 per delivered message, each paying the kernel's entry and its per-call file
// work). The frames of one transaction are appended back to back, so this VFS gathers the
// appends to a `-wal` file in memory and writes them together. It writes them out before
// anything that could see the file: when the commit frame's page has been appended (SQLite
// publishes a commit to readers only after its frames are written, so the write returning is
// still the point at which readers may read them), and before any read, sync, size, truncate or
// close of that file, any write that does not extend the gathered run, and when the run reaches
// kMaxGathered. A failed write-out fails the call that caused it, as a failed write would.
// Files other than WAL files pass straight through.
//
// The commit frame is told by the WAL format (sqlite.org/fileformat2.html#walformat): a frame
// header is the only 24-byte write SQLite makes to a WAL, and its bytes 4..7 (the database size
// after a commit) are non-zero only in a commit frame's.

#include <cstddef>
#include <cstdint>

namespace smsgw::store::sqlite {

// The VFS's name for sqlite3_open_v2; registers it on first use (not as the default). Null when
// it cannot be registered: sqlite3_open_v2 then uses SQLite's default VFS.
const char* WalWriteVfsName();

// What the WAL files opened through the VFS received and what reached the default VFS, over the
// process; for tests.
struct WalWriteCounts {
  uint64_t appends = 0;     // writes SQLite made to WAL files
  uint64_t writes_out = 0;  // writes made to the files underneath
};
WalWriteCounts WalWriteCountsNow();

// The unix VFS writes at most 128 KiB - 1 in one call (it masks a write's size with 0x1ffff);
// a larger run would be split there again, and a remainder of exactly 128 KiB reported as a
// full disk.
inline constexpr size_t kMaxGathered = 31 * 4096;

}  // namespace smsgw::store::sqlite
