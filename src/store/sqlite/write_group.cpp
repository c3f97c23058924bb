#include "store/sqlite/write_group.h"

#include <algorithm>
#include <exception>
#include <string>
#include <utility>

namespace smsgw::store::sqlite {

void WriteGroup::Join(Entry& entry) {
  std::unique_lock lock(mu_);
  queue_.push_back(&entry);
  while (!entry.done) {
    // A caller whose entry is in a group still being written or synced waits for its result.
    if (leading_ || entry.taken) {
      written_.wait(lock);
      continue;
    }
    leading_ = true;
    std::vector<Entry*> group = TakeGroup();
    for (Entry* e : group) {
      e->taken = true;
    }
    lock.unlock();
    try {
      write_(group);
    } catch (const std::exception& e) {
      // Never leave a group unfinished: every caller behind it would wait for good.
      for (Entry* x : group) {
        x->result = core::MakeError(core::Errc::kInternal, std::string("write: ") + e.what());
      }
    }
    lock.lock();
    leading_ = false;
    if (sync_) {
      // The next leader writes while this group's commit reaches the disk.
      written_.notify_all();
      lock.unlock();
      if (auto synced = sync_(); !synced) {
        for (Entry* e : group) {
          if (e->result) {
            e->result = synced;
          }
        }
      }
      lock.lock();
    }
    for (Entry* e : group) {
      e->done = true;
    }
    ++groups_;
    entries_ += group.size();
    written_.notify_all();
  }
}

std::vector<WriteGroup::Entry*> WriteGroup::TakeGroup() {
  auto customer = [](const Entry* e) { return e->lane == WriteLane::kCustomer; };
  const bool mixed =
      std::ranges::any_of(queue_, customer) && !std::ranges::all_of(queue_, customer);
  if (!mixed || passed_over_ >= kMaxPassedOver) {
    passed_over_ = 0;
    return std::exchange(queue_, {});
  }
  ++passed_over_;
  std::vector<Entry*> group, rest;
  for (Entry* e : queue_) {
    (customer(e) ? group : rest).push_back(e);
  }
  queue_ = std::move(rest);
  return group;
}

size_t WriteGroup::groups() const {
  std::lock_guard lock(mu_);
  return groups_;
}

size_t WriteGroup::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

size_t WriteGroup::entries() const {
  std::lock_guard lock(mu_);
  return entries_;
}

}  // namespace smsgw::store::sqlite
