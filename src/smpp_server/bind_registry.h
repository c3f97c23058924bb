#pragma once
// BindRegistry knows the open binds of customers' SMPP sessions, by account and system_id, across
// the server's io_context threads: it enforces `max_binds_per_account`, and finds the binds of a
// revoked credential to close them. Each entry carries a `close` callable that the session made
// safe to call from any thread (it posts to the session's own thread). Thread-safe.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace smsgw::smpp_server {

class BindRegistry {
 public:
  struct Entry {
    std::string sid;
    std::string system_id;
    std::function<void()> close;  // any thread
  };

  explicit BindRegistry(int max_binds_per_account) : max_per_account_(max_binds_per_account) {}

  // Registers bind `id`; false, and nothing registered, when its account already has the most
  // binds allowed.
  bool TryAdd(uint64_t id, Entry entry);
  // Forgets bind `id` (a no-op for an id not registered).
  void Remove(uint64_t id);
  // The distinct system_ids of the open binds.
  std::vector<std::string> SystemIds() const;
  // Calls `close` of every bind of `system_id`; returns how many.
  size_t CloseBindsOf(std::string_view system_id);

 private:
  const int max_per_account_;
  mutable std::mutex mu_;
  std::map<uint64_t, Entry> binds_;
};

}  // namespace smsgw::smpp_server
