#pragma once
// Sessions holds the console's signed-in sessions: a random 256-bit token per session, handed to
// the browser once (the cookie) and kept here only as its SHA-256, so a memory dump or a debug
// print reveals no usable token. Each session has its account's SID, the hash of the API key it
// signed in with (the console ends the session once that key is revoked) and a CSRF token that
// state-changing requests must echo. A session ends when idle for `idle` or `absolute` after
// sign-in, whichever is first, or at sign-out.
//
// In memory, not in a store table: a console session is a convenience of one browser on one node;
// losing every session at a restart only asks people to sign in again, and a table would put a
// database write (the idle deadline) behind every page view. When several nodes serve one
// database (issue 15), a load balancer needs session affinity for /console, or this class
// becomes a store interface with a table behind it; its callers would not change.
//
// Bounded: an account has at most kMaxSessionsPerAccount sessions and all accounts together
// kMaxSessions; at a cap the session closest to its end (of that account, then of all) is dropped
// for the new one, so a flood of sign-ins cannot grow memory, and one account's flood cannot sign
// out another account's people until it has that many accounts' keys. Thread-safe.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/time.h"

namespace smsgw::console {

struct SessionLimits {
  std::chrono::seconds idle{30 * 60};
  std::chrono::seconds absolute{12 * 3600};
};

class Sessions {
 public:
  static constexpr size_t kMaxSessions = 10'000;
  static constexpr size_t kMaxSessionsPerAccount = 100;

  Sessions(SessionLimits limits, const core::Clock& clock) : limits_(limits), clock_(clock) {}

  struct Created {
    std::string token;  // the cookie's value: 64 hex characters; not kept
    std::string csrf;   // 64 hex characters
  };
  // `key_hash`: core::Sha256Hex of the API key the session signed in with.
  Created Create(std::string sid, std::string key_hash = {});

  struct Session {
    std::string sid;
    std::string key_hash;
    std::string csrf;
  };
  // The live session of `token` (and its idle deadline moves on), or nullopt: unknown, expired
  // (then forgotten) or not a token's shape.
  std::optional<Session> Find(std::string_view token);

  // Ends the session of `token`, if any.
  void Remove(std::string_view token);

  // A new 256-bit secret (64 lower-case hex characters) from OpenSSL's CSPRNG.
  static std::string NewSecret();

  size_t SizeForTest() const;

 private:
  struct Entry {
    std::string sid;
    std::string key_hash;
    std::string csrf;
    core::TimePoint created;
    core::TimePoint last_seen;
  };
  core::TimePoint EndOf(const Entry& entry) const;
  // Makes room for a new session of `sid`: drops expired sessions, and the one closest to its end
  // of `sid` or of all while at a cap. Holds mu_.
  void MakeRoom(const std::string& sid, core::TimePoint now);

  const SessionLimits limits_;
  const core::Clock& clock_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> by_hash_;  // key: core::Sha256Hex(token)
};

// Whether `token` has the shape Create gives (64 lower-case hex characters): a cheap reject that
// also bounds what is hashed.
bool LooksLikeToken(std::string_view token);

// Compares two secrets in time independent of where they differ.
bool SecretsEqual(std::string_view a, std::string_view b);

}  // namespace smsgw::console
