#include "delivery/bind_keeper.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/thread_name.h"
#include "log/fields.h"

namespace smsgw::delivery {

int ShareOf(int slots, store::ClusterView view) {
  const int alive = std::max(view.alive, 1);
  return slots / alive + (std::clamp(view.rank, 0, alive - 1) < slots % alive ? 1 : 0);
}

BindPlan PlanBinds(int share, const std::set<int>& open) {
  BindPlan plan;
  const int have = static_cast<int>(open.size());
  if (have > share) {
    // The highest slots go: every node keeps the low ones it has, so a join moves few binds.
    auto it = open.rbegin();
    for (int i = 0; i < have - share; ++i, ++it) {
      plan.close.push_back(*it);
    }
  } else {
    plan.acquire = share - have;
  }
  return plan;
}

BindKeeper::BindKeeper(store::ClusterStore& store, std::vector<Connector*> connectors,
                       BindKeeperOptions options)
    : store_(store), options_(std::move(options)) {
  for (Connector* c : connectors) {
    Held held;
    held.connector = c;
    held_.push_back(std::move(held));
  }
}

BindKeeper::~BindKeeper() { Stop(); }

core::Result<void> BindKeeper::Start() {
  const auto started = std::chrono::steady_clock::now();
  auto view = store_.Beat(options_.owner, options_.lease);
  if (!view) {
    view.error().message = "cannot join the cluster in the store: " + view.error().message;
    return std::unexpected(view.error());
  }
  if (LeaseAll(*view)) {
    last_good_ = started;
  }
  thread_ = std::thread([this] {
    core::NameThisThread("bind-keeper");
    Run();
  });
  return {};
}

void BindKeeper::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void BindKeeper::Leave() {
  if (auto left = store_.Leave(options_.owner); !left) {
    SPDLOG_WARN(
        "cluster: cannot give back this node's beat and bind leases (they lapse in {} ms): "
        "{}",
        options_.lease.count(), left.error().message);
  }
  std::lock_guard lock(mu_);
  stats_.slots_open = 0;
}

BindKeeperStats BindKeeper::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void BindKeeper::Run() {
  const auto interval = options_.lease / 5;
  auto next = std::chrono::steady_clock::now() + interval;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait_until(lock, next, [this] { return stopping_ || !closed_.empty(); });
      if (stopping_) {
        return;
      }
    }
    GiveBackClosed();
    const auto now = std::chrono::steady_clock::now();
    if (now < next) {
      continue;  // woken to give back a closed slot; the round is not due yet
    }
    next = now + interval;
    if (Round()) {
      last_good_ = now;
      fenced_ = false;
    } else if (!fenced_ && now - last_good_ >= options_.lease / 2) {
      Fence();
    }
  }
}

bool BindKeeper::Round() {
  GiveBackClosed();
  auto view = store_.Beat(options_.owner, options_.lease);
  if (!view) {
    SPDLOG_WARN("cluster: cannot beat: {}", view.error().message);
    std::lock_guard lock(mu_);
    ++stats_.rounds;
    ++stats_.failed_rounds;
    return false;
  }
  return LeaseAll(*view);
}

bool BindKeeper::LeaseAll(store::ClusterView view) {
  bool good = true;
  int open = 0;
  for (Held& held : held_) {
    good = RoundFor(held, view) && good;
    open += static_cast<int>(held.open.size());
  }
  std::lock_guard lock(mu_);
  ++stats_.rounds;
  stats_.failed_rounds += good ? 0 : 1;
  stats_.nodes = view.alive;
  stats_.slots_open = open;
  return good;
}

bool BindKeeper::RoundFor(Held& held, store::ClusterView view) {
  Connector& c = *held.connector;
  const int slots = c.config().binds;
  auto renewed = store_.RenewBinds(c.name(), options_.owner, options_.lease);
  if (!renewed) {
    SPDLOG_WARN("cluster: smsc {}: cannot renew bind leases: {}", c.name(),
                renewed.error().message);
    return false;
  }
  const std::set<int> still(renewed->begin(), renewed->end());
  for (auto it = held.open.begin(); it != held.open.end();) {
    if (still.contains(*it)) {
      ++it;
      continue;
    }
    SMSGW_LOG_WARN({{"connector", c.name()}},
                   "cluster: smsc {}: the lease on bind slot {} lapsed and another node took it",
                   c.name(), *it);
    c.Close(*it, nullptr);
    it = held.open.erase(it);
  }
  for (int slot : still) {
    if (held.open.contains(slot) || held.closing.contains(slot)) {
      continue;
    }
    if (slot < slots) {
      // Still ours after the store was out of reach (the sessions were fenced): open again.
      held.open.insert(slot);
      c.Open(slot);
    } else if (auto released = store_.ReleaseBind(c.name(), slot, options_.owner); !released) {
      return false;  // a slot past `binds` (the config shrank): given back next round
    }
  }
  const BindPlan plan = PlanBinds(ShareOf(slots, view), held.open);
  for (int slot : plan.close) {
    held.open.erase(slot);
    held.closing.insert(slot);
    c.Close(slot, [this, name = c.name(), slot] { Closed(name, slot); });
  }
  if (plan.acquire > 0) {
    auto got = store_.AcquireBinds(c.name(), slots, options_.owner, plan.acquire, options_.lease);
    if (!got) {
      SPDLOG_WARN("cluster: smsc {}: cannot lease binds: {}", c.name(), got.error().message);
      return false;
    }
    for (int slot : *got) {
      held.open.insert(slot);
      c.Open(slot);
    }
  }
  return true;
}

void BindKeeper::Closed(const std::string& connector, int slot) {
  {
    std::lock_guard lock(mu_);
    closed_.emplace_back(connector, slot);
  }
  cv_.notify_all();
}

void BindKeeper::GiveBackClosed() {
  std::vector<std::pair<std::string, int>> closed;
  {
    std::lock_guard lock(mu_);
    closed.swap(closed_);
  }
  for (Held& held : held_) {
    for (const auto& [connector, slot] : closed) {
      if (held.connector->name() == connector) {
        held.closed.insert(slot);
      }
    }
    for (auto it = held.closed.begin(); it != held.closed.end();) {
      // Kept until the store takes it back: meanwhile renewals keep it, and nobody opens it.
      if (auto released = store_.ReleaseBind(held.connector->name(), *it, options_.owner);
          !released) {
        SPDLOG_WARN("cluster: smsc {}: cannot give back bind slot {} yet: {}",
                    held.connector->name(), *it, released.error().message);
        break;
      }
      held.closing.erase(*it);
      it = held.closed.erase(it);
    }
  }
}

void BindKeeper::Fence() {
  fenced_ = true;
  int closed = 0;
  for (Held& held : held_) {
    for (int slot : held.open) {
      held.connector->Close(slot, nullptr);
      ++closed;
    }
    held.open.clear();
  }
  SPDLOG_ERROR(
      "cluster: the store has been out of reach for half a bind lease: {} bind slots closed, "
      "before their leases can lapse and another node opens them",
      closed);
  std::lock_guard lock(mu_);
  ++stats_.fenced;
  stats_.slots_open = 0;
}

}  // namespace smsgw::delivery
