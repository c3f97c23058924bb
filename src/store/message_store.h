#pragma once
// MessageStore is the durable home of every accepted message and the only source of truth for its
// status. When Enqueue returns success the messages are committed (on disk, fsynced); the API
// answers 2xx only after that. Calls block and are safe from any thread; network code reaches
// Enqueue through store::GroupCommitter, which batches concurrent calls into one transaction.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/message.h"
#include "core/result.h"

namespace smsgw::store {

// What the status endpoint reports for one message id.
struct StatusRecord {
  std::string id;
  core::MessageState state;
  std::string status_details;
};

class MessageStore {
 public:
  virtual ~MessageStore() = default;

  // Commits all `messages` in one transaction: all or none. Ids are unique; a duplicate id is
  // kConflict and nothing is written. A store that cannot commit now (busy, I/O error, full disk,
  // shutting down) returns kUnavailable. Times are kept to the millisecond.
  virtual core::Result<void> Enqueue(std::span<const core::Message> messages) = 0;

  // The status of each id that exists and belongs to `sid`, in no particular order; ids that are
  // unknown or belong to another account are simply absent; an id listed twice is reported once.
  virtual core::Result<std::vector<StatusRecord>> GetStatuses(std::string_view sid,
                                                              std::span<const std::string> ids) = 0;

  // One message with every stored field, or kNotFound (also for another account's message).
  virtual core::Result<core::Message> Get(std::string_view sid, std::string_view id) = 0;
};

}  // namespace smsgw::store
