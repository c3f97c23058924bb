#pragma once
// MessageStore is the durable home of every accepted message and the only source of truth for its
// status. When Enqueue returns success the messages are committed (on disk, fsynced); the API
// answers 2xx only after that. Calls block and are safe from any thread; network code reaches
// Enqueue through store::GroupCommitter, which batches concurrent calls into one transaction.

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/message.h"
#include "core/result.h"
#include "core/time.h"

namespace smsgw::store {

// An Idempotency-Key a client sent with a send request, and the answer it got: stored in the
// transaction that enqueues the request's messages, so that a client retrying after a timeout or a
// crash gets the first answer back and nothing is sent twice.
struct IdempotencyRecord {
  std::string sid;
  std::string key;          // as the client sent it, 1..255 visible ASCII
  std::string fingerprint;  // of what was sent (api: SHA-256 of method, target and body)
  std::string response;     // the 200 body the request was answered with
  core::TimePoint created_at;
};

// How long a key holds: a key older than this is forgotten and may be used again.
inline constexpr std::chrono::hours kIdempotencyWindow{24};

// What the status endpoint reports for one message id.
struct StatusRecord {
  std::string id;
  core::MessageState state;
  std::string status_details;
};

class MessageStore {
 public:
  virtual ~MessageStore() = default;

  // Commits all `messages`, and the idempotency `keys` of the requests they came from, in one
  // transaction: all or none. Ids are unique; a duplicate id is kConflict and nothing is written.
  // A key (sid, key) stored less than kIdempotencyWindow before the new record's created_at is
  // kConflict too (an older one is replaced). A store that cannot commit now (busy, I/O error,
  // full disk, shutting down) returns kUnavailable. Times are kept to the millisecond.
  virtual core::Result<void> Enqueue(std::span<const core::Message> messages,
                                     std::span<const IdempotencyRecord> keys) = 0;
  core::Result<void> Enqueue(std::span<const core::Message> messages) {
    return Enqueue(messages, {});
  }

  // The record of (sid, key) when it was stored at or after `not_before`; nullopt otherwise.
  virtual core::Result<std::optional<IdempotencyRecord>> FindIdempotencyKey(
      std::string_view sid, std::string_view key, core::TimePoint not_before) = 0;

  // The status of each id that exists and belongs to `sid`, in no particular order; ids that are
  // unknown or belong to another account are simply absent; an id listed twice is reported once.
  virtual core::Result<std::vector<StatusRecord>> GetStatuses(std::string_view sid,
                                                              std::span<const std::string> ids) = 0;
};

}  // namespace smsgw::store
