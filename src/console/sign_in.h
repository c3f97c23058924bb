#pragma once
// What sign-in needs besides the API's Authenticator: the console password (set with `smsgw
// console-password set`, checked here), and SignInLimiter, the rate limit on failed sign-ins.
//
// SignInLimiter counts failed sign-ins per source address and per SID over a fixed window
// (Options: `[console] sign_in_window`, `sign_in_failures_per_sid`, `sign_in_failures_per_source`);
// at the source's or the SID's limit in a window, further sign-ins from that source or for that
// SID are refused (429) until the window ends, whether the credentials are right or not (so an
// attacker learns nothing by trying on). Memory is bounded: at most kMaxTracked sources and as
// many SIDs; when full, expired entries go first, and if none has expired a new source or SID is
// refused until one does (failing closed: one source can fill at most its limit of SID entries a
// window). Thread-safe.
//
// PasswordSignIn checks an account's console password (PBKDF2, core::PasswordHashHex): the
// store is read on the store pool, the hash computed on a thread of its own. A session signed in by
// password carries `kPasswordSessionPrefix` + the stored hash where a key session carries its key's
// hash; it lives while the account's password stays that one (setting a new password ends it at its
// next request). Safe from any thread.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "api/asio.h"
#include "api/authenticator.h"
#include "core/result.h"
#include "core/time.h"
#include "store/account_store.h"
#include "store/console_password_store.h"

namespace smsgw::console {

class SignInLimiter {
 public:
  // The defaults are config::ConsoleConfig's.
  struct Options {
    int failures_per_sid = 10;
    int failures_per_source = 30;
    std::chrono::seconds window{300};
  };
  static constexpr size_t kMaxTracked = 10'000;

  SignInLimiter(Options options, const core::Clock& clock) : options_(options), clock_(clock) {}

  // nullopt when a sign-in for `sid` from `source` may be tried now; else how long to wait.
  std::optional<std::chrono::seconds> Refused(std::string_view source, std::string_view sid);
  // Counts a failed sign-in.
  void Failed(std::string_view source, std::string_view sid);

 private:
  struct Count {
    core::TimePoint window_start;
    int failures = 0;
  };
  using Table = std::unordered_map<std::string, Count>;
  // The entry of `key`, or null when the table is full of live entries (after dropping expired
  // ones).
  Count* Entry(Table& table, std::string_view key, core::TimePoint now);
  std::optional<std::chrono::seconds> Wait(const Table& table, std::string_view key, int max,
                                           core::TimePoint now) const;

  const Options options_;
  const core::Clock& clock_;
  std::mutex mu_;
  Table by_source_, by_sid_;  // guarded by mu_
};

inline constexpr std::string_view kPasswordSessionPrefix = "password:";

class PasswordSignIn {
 public:
  PasswordSignIn(store::ConsolePasswordStore& passwords, store::AccountStore& accounts,
                 api::asio::thread_pool& store_pool)
      : passwords_(passwords), accounts_(accounts), store_pool_(store_pool) {}

  struct Checked {
    api::Authenticator::Identity identity;
    std::string session_key;  // kPasswordSessionPrefix + the stored hash
  };
  // The account when `password` is `sid`'s console password; nullopt when it is not or the
  // account has none. An error: the store could not be read.
  api::asio::awaitable<core::Result<std::optional<Checked>>> Check(std::string sid,
                                                                   std::string password);
  // The account of a password session whose `session_key` is still its password's; nullopt once
  // the password changed.
  api::asio::awaitable<core::Result<std::optional<api::Authenticator::Identity>>> Resolve(
      std::string sid, std::string session_key);

 private:
  store::ConsolePasswordStore& passwords_;
  store::AccountStore& accounts_;
  api::asio::thread_pool& store_pool_;
  // PBKDF2 (a few ms a check) on a thread of its own, as the SMPP server's binds: a flood of
  // sign-ins waits behind itself, not in front of the API's store reads.
  api::asio::thread_pool hash_pool_{1};
};

}  // namespace smsgw::console
