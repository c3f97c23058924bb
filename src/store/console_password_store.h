#pragma once
// ConsolePasswordStore keeps an account's console password (set with `smsgw console-password
// set`), another way than an API key to sign in to the web console. Only a PBKDF2 hash with a
// per-account salt is stored (core::PasswordHashHex, as for SMPP credentials). Safe from any
// thread; calls block.

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/time.h"

namespace smsgw::store {

struct ConsolePassword {
  std::string salt;
  std::string password_hash;  // core::PasswordHashHex(salt, password)
  core::TimePoint updated_at;
};

class ConsolePasswordStore {
 public:
  virtual ~ConsolePasswordStore() = default;
  // Sets or replaces `sid`'s console password; kNotFound when the account does not exist.
  virtual core::Result<void> SetConsolePassword(std::string_view sid, std::string_view salt,
                                                std::string_view password_hash,
                                                core::TimePoint at) = 0;
  // Removes `sid`'s console password, so that only API keys sign in; kNotFound when the account
  // does not exist ("no account ...") or has no password.
  virtual core::Result<void> RemoveConsolePassword(std::string_view sid) = 0;
  // `sid`'s console password, or nullopt when it has none.
  virtual core::Result<std::optional<ConsolePassword>> FindConsolePassword(
      std::string_view sid) = 0;
};

}  // namespace smsgw::store
