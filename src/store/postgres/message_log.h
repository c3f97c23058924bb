#pragma once
// MessageLog on PostgreSQL: the read side behind the extension endpoints. GetDetail reads the
// message, its parts and its events in one REPEATABLE READ READ ONLY transaction, so a receipt
// committed in between cannot show a part without its event. List is one statement that walks
// messages_by_sid (sid, created_at), or messages_by_recipient (sid, recipient, created_at) when a
// recipient is given, newest first, tests the other filters row by row on the server and sends
// back only the matches: a page reads at most kMaxListScan rows (or 2 x limit, if larger), as on
// SQLite, so a rare filter returns short pages with a cursor rather than scanning the account.

#include <cstddef>

#include "store/message_log.h"
#include "store/postgres/pool.h"

namespace smsgw::store::postgres {

class MessageLogReader final : public MessageLog {
 public:
  explicit MessageLogReader(Pool& pool) : pool_(pool) {}

  core::Result<MessageDetail> GetDetail(std::string_view sid, std::string_view id) override;
  // The cursor is "<created_at ms>:<id>" of the last message (or row) the page read.
  core::Result<MessagePage> List(std::string_view sid, const MessageFilter& filter,
                                 std::string_view cursor, size_t limit) override;

  static constexpr size_t kMaxListScan = 10'000;

 private:
  Pool& pool_;
};

}  // namespace smsgw::store::postgres
