#include "store/postgres/cache_versions.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <utility>

namespace smsgw::store::postgres {
namespace {

constexpr const char* kNames[] = {"keys", "registry"};
constexpr const char* kSelect = "SELECT name, version FROM cache_versions";
constexpr const char* kBump =
    "UPDATE cache_versions SET version = version + 1 WHERE name = $1 RETURNING version";
constexpr const char* kNotify = "SELECT pg_notify('smsgw_cache_versions', $1)";

}  // namespace

core::Result<std::unique_ptr<CacheVersions>> CacheVersions::Start(std::string conninfo,
                                                                  std::chrono::milliseconds poll) {
  auto conn = Connection::Open(conninfo);
  if (!conn) {
    return std::unexpected(std::move(conn.error()));
  }
  const int wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd < 0) {
    return core::MakeError(core::Errc::kInternal, "eventfd failed");
  }
  std::unique_ptr<CacheVersions> versions(new CacheVersions(std::move(conninfo), poll, wake_fd));
  if (auto read = versions->Read(**conn); !read) {
    return std::unexpected(std::move(read.error()));
  }
  versions->thread_ = std::thread([v = versions.get()] { v->Run(); });
  return versions;
}

CacheVersions::CacheVersions(std::string conninfo, std::chrono::milliseconds poll, int wake_fd)
    : conninfo_(std::move(conninfo)), poll_(poll), wake_fd_(wake_fd) {}

CacheVersions::~CacheVersions() {
  stop_.store(true);
  const uint64_t one = 1;
  (void)!write(wake_fd_, &one, sizeof one);
  if (thread_.joinable()) {
    thread_.join();
  }
  close(wake_fd_);
}

core::Result<uint64_t> CacheVersions::Bump(Connection& conn, Kind kind) {
  auto bumped = conn.Exec(kBump, Params().Text(kNames[kind]));
  if (!bumped) {
    return Fail(std::move(bumped));
  }
  if (bumped->rows() != 1) {
    return core::MakeError(core::Errc::kInternal,
                           std::string("cache_versions has no row '") + kNames[kind] + "'");
  }
  if (auto notified = conn.Exec(kNotify, Params().Text(kNames[kind])); !notified) {
    return Fail(std::move(notified));
  }
  return static_cast<uint64_t>(bumped->Int(0, 0));
}

void CacheVersions::Saw(Kind kind, uint64_t version) {
  uint64_t seen = versions_[kind].load(std::memory_order_relaxed);
  while (seen < version &&
         !versions_[kind].compare_exchange_weak(seen, version, std::memory_order_release)) {
  }
}

core::Result<void> CacheVersions::Read(Connection& conn) {
  auto rows = conn.Exec(kSelect);
  if (!rows) {
    return Fail(std::move(rows));
  }
  for (int i = 0; i < rows->rows(); ++i) {
    const std::string name = rows->Text(i, 0);
    for (int kind : {kKeys, kRegistry}) {
      if (name == kNames[kind]) {
        Saw(static_cast<Kind>(kind), static_cast<uint64_t>(rows->Int(i, 1)));
      }
    }
  }
  return {};
}

void CacheVersions::Run() {
  std::unique_ptr<Connection> conn;
  while (!stop_.load()) {
    if (conn == nullptr || !conn->ok()) {
      conn.reset();
      auto opened = Connection::Open(conninfo_);
      if (opened && (*opened)->ExecScript("LISTEN smsgw_cache_versions")) {
        conn = std::move(*opened);
      }
    }
    // Read after LISTEN, so that no change can fall between the read and the first notification.
    if (conn != nullptr && !Read(*conn)) {
      conn.reset();
    }
    pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {conn ? PQsocket(conn->raw()) : -1, POLLIN, 0}};
    (void)::poll(fds, conn ? 2 : 1, static_cast<int>(poll_.count()));
    if (conn != nullptr && (fds[1].revents & POLLIN) != 0) {
      if (PQconsumeInput(conn->raw()) == 0) {
        conn.reset();
        continue;
      }
      while (PGnotify* notify = PQnotifies(conn->raw())) {
        PQfreemem(notify);  // any notification means "read again"; the payload is not needed
      }
    }
  }
}

}  // namespace smsgw::store::postgres
