#pragma once
// ConcatRefAllocator hands out concatenation reference numbers (TS 23.040 §9.2.3.24.1; also
// sar_msg_ref_num) per destination, so that two long messages in flight to one handset never
// share a reference and get their parts mixed up. Each destination cycles through its own
// counter; references repeat for a destination only after 256 (8-bit) or 65536 (16-bit) long
// messages to it. Memory is bounded: the least recently used destinations are forgotten beyond
// `capacity`; a forgotten destination restarts at a fresh point of a shared sequence, not at 0.
// Thread-safe: Next may be called from any thread.

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace smsgw::text {

enum class RefWidth { k8Bit, k16Bit };

class ConcatRefAllocator {
 public:
  // `seed` sets where new destinations start (tests pass a fixed one); by default it is
  // random, so that a restart does not reuse the references of messages still in flight.
  explicit ConcatRefAllocator(size_t capacity = 100'000);
  ConcatRefAllocator(size_t capacity, uint16_t seed);

  ConcatRefAllocator(const ConcatRefAllocator&) = delete;
  ConcatRefAllocator& operator=(const ConcatRefAllocator&) = delete;

  // The next reference for `destination`: 0..255 for k8Bit, 0..65535 for k16Bit.
  uint16_t Next(std::string_view destination, RefWidth width = RefWidth::k8Bit);

  size_t SizeForTest() const;

 private:
  struct Entry {
    uint16_t next;
    std::list<std::string>::iterator lru_position;
  };
  // Starting points for new destinations step by an odd prime so that neighbours differ in
  // their low byte, which is all an 8-bit reference keeps.
  static constexpr uint16_t kStartStride = 151;

  void EvictIfFull();

  const size_t capacity_;
  mutable std::mutex mutex_;
  uint16_t next_start_;
  std::list<std::string> lru_;                           // front = most recently used
  std::unordered_map<std::string_view, Entry> entries_;  // keys view the strings in lru_
};

}  // namespace smsgw::text
