#include "store/sqlite/wal_sync.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

namespace smsgw::store::sqlite {
namespace {

core::Error SystemError(const std::string& what) {
  return core::Error{core::make_error_code(core::Errc::kUnavailable),
                     what + ": " + std::strerror(errno)};
}

}  // namespace

core::Result<WalSync> WalSync::Open(const std::string& db_path) {
  const std::string wal = db_path + "-wal";
  const int fd = ::open(wal.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return std::unexpected(SystemError("opening " + wal));
  }
  WalSync sync(fd);
  // Best effort, as SQLite's own directory sync: some file systems refuse fsync on a directory,
  // and refusing to start there would protect nothing.
  std::filesystem::path dir = std::filesystem::path(wal).parent_path();
  if (dir.empty()) {
    dir = ".";
  }
  if (const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir_fd >= 0) {
    (void)::fsync(dir_fd);
    ::close(dir_fd);
  }
  return sync;
}

WalSync::WalSync(WalSync&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

WalSync& WalSync::operator=(WalSync&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

WalSync::~WalSync() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

core::Result<void> WalSync::Sync() const {
  if (::fdatasync(fd_) != 0) {
    return std::unexpected(SystemError("syncing the write-ahead log"));
  }
  return {};
}

}  // namespace smsgw::store::sqlite
