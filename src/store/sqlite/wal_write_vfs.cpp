#include "store/sqlite/wal_write_vfs.h"

#include <sqlite3.h>

#include <atomic>
#include <cstring>

namespace smsgw::store::sqlite {
namespace {

std::atomic<uint64_t> g_appends{0};
std::atomic<uint64_t> g_writes_out{0};

// A WAL file: the default VFS's file lives right after this header, in the same allocation.
struct WalFile {
  sqlite3_file base;  // pMethods: kWalMethods
  sqlite3_file* real;
  char* run;              // the gathered appends, kMaxGathered bytes; null until the first
  size_t run_size;        // bytes gathered
  sqlite3_int64 run_at;   // the file offset of run[0]
  bool commit_page_next;  // the last append was a commit frame's header
};

constexpr size_t kWalFileSize = (sizeof(WalFile) + 15) & ~size_t{15};

sqlite3_vfs* Base(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }
WalFile* AsWal(sqlite3_file* file) { return reinterpret_cast<WalFile*>(file); }

int WriteOut(WalFile* f) {
  if (f->run_size == 0) {
    return SQLITE_OK;
  }
  const int size = static_cast<int>(f->run_size);
  f->run_size = 0;
  g_writes_out.fetch_add(1, std::memory_order_relaxed);
  return f->real->pMethods->xWrite(f->real, f->run, size, f->run_at);
}

int Close(sqlite3_file* file) {
  WalFile* f = AsWal(file);
  const int written = WriteOut(f);
  const int closed = f->real->pMethods->xClose(f->real);
  sqlite3_free(f->run);
  f->run = nullptr;
  return written != SQLITE_OK ? written : closed;
}

int Read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  WalFile* f = AsWal(file);
  if (const int rc = WriteOut(f); rc != SQLITE_OK) {
    return rc;
  }
  return f->real->pMethods->xRead(f->real, out, amount, offset);
}

int Write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  WalFile* f = AsWal(file);
  g_appends.fetch_add(1, std::memory_order_relaxed);
  const auto size = static_cast<size_t>(amount);
  const bool extends =
      f->run_size > 0 && offset == f->run_at + static_cast<sqlite3_int64>(f->run_size);
  if ((f->run_size > 0 && !extends) || f->run_size + size > kMaxGathered) {
    if (const int rc = WriteOut(f); rc != SQLITE_OK) {
      return rc;
    }
  }
  if (size > kMaxGathered) {
    g_writes_out.fetch_add(1, std::memory_order_relaxed);
    return f->real->pMethods->xWrite(f->real, data, amount, offset);
  }
  if (f->run == nullptr) {
    f->run = static_cast<char*>(sqlite3_malloc64(kMaxGathered));
    if (f->run == nullptr) {
      return SQLITE_IOERR_NOMEM;
    }
  }
  if (f->run_size == 0) {
    f->run_at = offset;
  }
  std::memcpy(f->run + f->run_size, data, size);
  f->run_size += size;
  if (size == 24) {  // a frame header; bytes 4..7 non-zero: a commit frame's
    const auto* header = static_cast<const unsigned char*>(data);
    f->commit_page_next = (header[4] | header[5] | header[6] | header[7]) != 0;
    return SQLITE_OK;
  }
  if (f->commit_page_next) {
    f->commit_page_next = false;
    return WriteOut(f);
  }
  return SQLITE_OK;
}

int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  WalFile* f = AsWal(file);
  if (const int rc = WriteOut(f); rc != SQLITE_OK) {
    return rc;
  }
  return f->real->pMethods->xTruncate(f->real, size);
}

int Sync(sqlite3_file* file, int flags) {
  WalFile* f = AsWal(file);
  if (const int rc = WriteOut(f); rc != SQLITE_OK) {
    return rc;
  }
  return f->real->pMethods->xSync(f->real, flags);
}

int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  WalFile* f = AsWal(file);
  if (const int rc = WriteOut(f); rc != SQLITE_OK) {
    return rc;
  }
  return f->real->pMethods->xFileSize(f->real, size);
}

int Lock(sqlite3_file* file, int level) {
  sqlite3_file* real = AsWal(file)->real;
  return real->pMethods->xLock(real, level);
}

int Unlock(sqlite3_file* file, int level) {
  sqlite3_file* real = AsWal(file)->real;
  return real->pMethods->xUnlock(real, level);
}

int CheckReservedLock(sqlite3_file* file, int* out) {
  sqlite3_file* real = AsWal(file)->real;
  return real->pMethods->xCheckReservedLock(real, out);
}

int FileControl(sqlite3_file* file, int op, void* arg) {
  WalFile* f = AsWal(file);
  if (const int rc = WriteOut(f); rc != SQLITE_OK) {
    return rc;
  }
  return f->real->pMethods->xFileControl(f->real, op, arg);
}

int SectorSize(sqlite3_file* file) {
  sqlite3_file* real = AsWal(file)->real;
  return real->pMethods->xSectorSize(real);
}

int DeviceCharacteristics(sqlite3_file* file) {
  sqlite3_file* real = AsWal(file)->real;
  return real->pMethods->xDeviceCharacteristics(real);
}

// Version 1: a WAL file is never memory-mapped and holds no wal-index (the database file does).
const sqlite3_io_methods kWalMethods = {
    1,
    Close,
    Read,
    Write,
    Truncate,
    Sync,
    FileSize,
    Lock,
    Unlock,
    CheckReservedLock,
    FileControl,
    SectorSize,
    DeviceCharacteristics,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
};

// Every file but a WAL is the default VFS's own, opened in place: its methods, no indirection.
int Open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  sqlite3_vfs* base = Base(vfs);
  if ((flags & SQLITE_OPEN_WAL) == 0) {
    return base->xOpen(base, name, file, flags, out_flags);
  }
  WalFile* f = AsWal(file);
  std::memset(f, 0, sizeof(WalFile));
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kWalFileSize);
  const int rc = base->xOpen(base, name, f->real, flags, out_flags);
  // SQLite closes a file whose pMethods is set even when the open failed.
  f->base.pMethods = f->real->pMethods != nullptr ? &kWalMethods : nullptr;
  return rc;
}

int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return Base(vfs)->xDelete(Base(vfs), name, sync_dir);
}
int Access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return Base(vfs)->xAccess(Base(vfs), name, flags, out);
}
int FullPathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  return Base(vfs)->xFullPathname(Base(vfs), name, size, out);
}
void* DlOpen(sqlite3_vfs* vfs, const char* name) { return Base(vfs)->xDlOpen(Base(vfs), name); }
void DlError(sqlite3_vfs* vfs, int size, char* out) { Base(vfs)->xDlError(Base(vfs), size, out); }
void (*DlSym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return Base(vfs)->xDlSym(Base(vfs), handle, symbol);
}
void DlClose(sqlite3_vfs* vfs, void* handle) { Base(vfs)->xDlClose(Base(vfs), handle); }
int Randomness(sqlite3_vfs* vfs, int size, char* out) {
  return Base(vfs)->xRandomness(Base(vfs), size, out);
}
int Sleep(sqlite3_vfs* vfs, int micros) { return Base(vfs)->xSleep(Base(vfs), micros); }
int CurrentTime(sqlite3_vfs* vfs, double* out) { return Base(vfs)->xCurrentTime(Base(vfs), out); }
int GetLastError(sqlite3_vfs* vfs, int size, char* out) {
  return Base(vfs)->xGetLastError(Base(vfs), size, out);
}
int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return Base(vfs)->xCurrentTimeInt64(Base(vfs), out);
}

sqlite3_vfs* Register() {
  static sqlite3_vfs vfs;
  sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
  if (base == nullptr || base->iVersion < 2 || base->xCurrentTimeInt64 == nullptr) {
    return nullptr;
  }
  vfs.iVersion = 2;
  vfs.szOsFile = static_cast<int>(kWalFileSize) + base->szOsFile;
  vfs.mxPathname = base->mxPathname;
  vfs.zName = "smsgw-wal-write";
  vfs.pAppData = base;
  vfs.xOpen = Open;
  vfs.xDelete = Delete;
  vfs.xAccess = Access;
  vfs.xFullPathname = FullPathname;
  vfs.xDlOpen = DlOpen;
  vfs.xDlError = DlError;
  vfs.xDlSym = DlSym;
  vfs.xDlClose = DlClose;
  vfs.xRandomness = Randomness;
  vfs.xSleep = Sleep;
  vfs.xCurrentTime = CurrentTime;
  vfs.xGetLastError = GetLastError;
  vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  if (sqlite3_vfs_register(&vfs, /*makeDflt=*/0) != SQLITE_OK) {
    return nullptr;
  }
  return &vfs;
}

}  // namespace

const char* WalWriteVfsName() {
  static sqlite3_vfs* const vfs = Register();
  return vfs != nullptr ? vfs->zName : nullptr;  // null: SQLite's default VFS
}

WalWriteCounts WalWriteCountsNow() {
  return {g_appends.load(std::memory_order_relaxed), g_writes_out.load(std::memory_order_relaxed)};
}

}  // namespace smsgw::store::sqlite
