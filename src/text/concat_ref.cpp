#include "text/concat_ref.h"

#include <random>

namespace smsgw::text {
namespace {

uint16_t RandomSeed() {
  std::random_device device;
  return static_cast<uint16_t>(device());
}

}  // namespace

ConcatRefAllocator::ConcatRefAllocator(size_t capacity)
    : ConcatRefAllocator(capacity, RandomSeed()) {}

ConcatRefAllocator::ConcatRefAllocator(size_t capacity, uint16_t seed)
    : capacity_(capacity == 0 ? 1 : capacity), next_start_(seed) {}

uint16_t ConcatRefAllocator::Next(std::string_view destination, RefWidth width) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(destination);
  if (it == entries_.end()) {
    EvictIfFull();
    lru_.emplace_front(destination);
    it = entries_.emplace(lru_.front(), Entry{next_start_, lru_.begin()}).first;
    next_start_ = static_cast<uint16_t>(next_start_ + kStartStride);
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru_position);
  }
  const uint16_t reference = it->second.next++;
  return width == RefWidth::k8Bit ? static_cast<uint16_t>(reference & 0xFF) : reference;
}

size_t ConcatRefAllocator::SizeForTest() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void ConcatRefAllocator::EvictIfFull() {
  if (entries_.size() < capacity_) {
    return;
  }
  entries_.erase(std::string_view(lru_.back()));
  lru_.pop_back();
}

}  // namespace smsgw::text
