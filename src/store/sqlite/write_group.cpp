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
    if (leading_) {
      written_.wait(lock);
      continue;
    }
    leading_ = true;
    std::vector<Entry*> group = TakeGroup();
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
    for (Entry* e : group) {
      e->done = true;
    }
    ++groups_;
    entries_ += group.size();
    leading_ = false;
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
