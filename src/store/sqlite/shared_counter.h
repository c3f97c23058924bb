#pragma once
// SharedCounter is a 64-bit counter that every process on the machine sees: it lives in a small
// file (8 bytes, native byte order) mapped with MAP_SHARED, and is read and written through
// std::atomic_ref, so a read is one memory load and never touches the disk or takes a lock.
// SqliteStore keeps its KeysVersion() here, beside the database, because that value is checked on
// every API request's path (to validate a cached key lookup) and must still change at once when
// another process, such as the CLI revoking a key, changes the keys.
//
// The counter is not durable and need not be: it only ever has to *change* when keys change.
// A newly created file starts at a time-derived value rather than 0, so that a file removed and
// recreated does not bring back a value an old cache remembers.
//
// Thread-safe; move-only. The mapping lives as long as the object.

#include <cstdint>
#include <string>
#include <utility>

#include "core/result.h"

namespace smsgw::store::sqlite {

class SharedCounter {
 public:
  // Maps the counter file at `path`, creating it if missing. kUnavailable when the file cannot be
  // created, sized or mapped.
  static core::Result<SharedCounter> Open(const std::string& path);

  SharedCounter(SharedCounter&& other) noexcept : word_(std::exchange(other.word_, nullptr)) {}
  SharedCounter& operator=(SharedCounter&& other) noexcept;
  ~SharedCounter();

  // The current value, with acquire ordering: after seeing a new value, a reader's next query
  // sees the database change that preceded the Increment().
  uint64_t Load() const;
  // Adds one, with release ordering. Call after the change it announces is committed.
  void Increment();

 private:
  explicit SharedCounter(uint64_t* word) : word_(word) {}

  uint64_t* word_ = nullptr;  // the mapped page, or null once moved from
};

}  // namespace smsgw::store::sqlite
