#include "store/sqlite/write_group.h"

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
    std::vector<Entry*> group = std::exchange(queue_, {});
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

size_t WriteGroup::groups() const {
  std::lock_guard lock(mu_);
  return groups_;
}

size_t WriteGroup::entries() const {
  std::lock_guard lock(mu_);
  return entries_;
}

}  // namespace smsgw::store::sqlite
