#pragma once
// ConsolePasswordStore on PostgreSQL (the console_passwords table, migration 8), one row per
// account. Setting is an upsert on the primary key with the account share-locked, so two nodes
// setting one account's password at once both succeed and one whole password (salt and hash of
// one call) stays.

#include "store/console_password_store.h"
#include "store/postgres/pool.h"

namespace smsgw::store::postgres {

class ConsolePasswords final : public ConsolePasswordStore {
 public:
  explicit ConsolePasswords(Pool& pool) : pool_(pool) {}

  core::Result<void> SetConsolePassword(std::string_view sid, std::string_view salt,
                                        std::string_view password_hash,
                                        core::TimePoint at) override;
  core::Result<void> RemoveConsolePassword(std::string_view sid) override;
  core::Result<std::optional<ConsolePassword>> FindConsolePassword(std::string_view sid) override;

 private:
  Pool& pool_;
};

}  // namespace smsgw::store::postgres
