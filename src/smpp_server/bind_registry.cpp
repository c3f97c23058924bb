#include "smpp_server/bind_registry.h"

#include <algorithm>
#include <set>

namespace smsgw::smpp_server {

bool BindRegistry::TryAdd(uint64_t id, Entry entry) {
  std::lock_guard lock(mu_);
  const auto same_account = std::count_if(binds_.begin(), binds_.end(),
                                          [&](const auto& b) { return b.second.sid == entry.sid; });
  if (same_account >= max_per_account_) {
    return false;
  }
  binds_.insert_or_assign(id, std::move(entry));
  return true;
}

void BindRegistry::Remove(uint64_t id) {
  std::lock_guard lock(mu_);
  binds_.erase(id);
}

std::vector<std::string> BindRegistry::SystemIds() const {
  std::lock_guard lock(mu_);
  std::set<std::string> ids;
  for (const auto& [id, entry] : binds_) {
    ids.insert(entry.system_id);
  }
  return {ids.begin(), ids.end()};
}

size_t BindRegistry::CloseBindsOf(std::string_view system_id) {
  std::vector<std::function<void()>> closes;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, entry] : binds_) {
      if (entry.system_id == system_id) {
        closes.push_back(entry.close);
      }
    }
  }
  // Outside the lock: a close may end up in Remove.
  for (const auto& close : closes) {
    close();
  }
  return closes.size();
}

}  // namespace smsgw::smpp_server
