#include "store/sqlite/shared_counter.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace smsgw::store::sqlite {
namespace {

// Cross-process atomics on shared memory are only sound when they are lock-free.
static_assert(std::atomic_ref<uint64_t>::is_always_lock_free);
static_assert(std::atomic_ref<uint64_t>::required_alignment <= alignof(uint64_t));

core::Error ErrnoError(const std::string& what, int err) {
  return core::Error{core::make_error_code(core::Errc::kUnavailable),
                     what + ": " + std::strerror(err)};
}

// Closes a file descriptor when the scope ends (the mapping outlives it).
class ScopedFd {
 public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ~ScopedFd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

core::Result<SharedCounter> SharedCounter::Open(const std::string& path) {
  bool created = true;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0 && errno == EEXIST) {
    created = false;
    fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  }
  if (fd < 0) {
    return std::unexpected(ErrnoError("opening " + path, errno));
  }
  const ScopedFd file(fd);

  // Another process may have created the file and not sized it yet. Extending to 8 bytes fills
  // with zeros and never changes bytes already there, so every opener may do it.
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    return std::unexpected(ErrnoError("stat " + path, errno));
  }
  if (st.st_size < static_cast<off_t>(sizeof(uint64_t)) && ::ftruncate(fd, sizeof(uint64_t)) != 0) {
    return std::unexpected(ErrnoError("sizing " + path, errno));
  }
  void* map = ::mmap(nullptr, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (map == MAP_FAILED) {
    return std::unexpected(ErrnoError("mapping " + path, errno));
  }
  SharedCounter counter(static_cast<uint64_t*>(map));
  if (created) {
    // Added, not stored: another process may already have opened the new file and incremented.
    const auto seed = std::chrono::system_clock::now().time_since_epoch();
    std::atomic_ref<uint64_t>(*counter.word_)
        .fetch_add(static_cast<uint64_t>(
                       std::chrono::duration_cast<std::chrono::nanoseconds>(seed).count()),
                   std::memory_order_release);
  }
  return counter;
}

SharedCounter& SharedCounter::operator=(SharedCounter&& other) noexcept {
  if (this != &other) {
    if (word_ != nullptr) {
      ::munmap(word_, sizeof(uint64_t));
    }
    word_ = std::exchange(other.word_, nullptr);
  }
  return *this;
}

SharedCounter::~SharedCounter() {
  if (word_ != nullptr) {
    ::munmap(word_, sizeof(uint64_t));
  }
}

uint64_t SharedCounter::Load() const {
  return std::atomic_ref<uint64_t>(*word_).load(std::memory_order_acquire);
}

void SharedCounter::Increment() {
  std::atomic_ref<uint64_t>(*word_).fetch_add(1, std::memory_order_release);
}

}  // namespace smsgw::store::sqlite
