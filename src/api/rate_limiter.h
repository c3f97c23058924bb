#pragma once
// RateLimiter holds each account's token buckets (core/token_bucket.h) for send requests per
// second and accepted recipients per second, in this node's memory: the burst is one second's
// worth, and a request over a bucket is answered 429 E429 with Retry-After. With one `serve` per
// SQLite file the limits are exact; several nodes would each enforce the whole limit (the API
// does not share buckets between processes). Buckets are kept for accounts that have sent, a few
// dozen bytes each; an account's limits changing (config or `smsgw account set`) starts fresh
// buckets. Thread-safe: sharded by account, one short lock per check.

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/token_bucket.h"

namespace smsgw::api {

struct AccountRateLimits {
  int64_t sends_per_second = 0;  // 0: unlimited
  int64_t recipients_per_second = 0;
  friend bool operator==(const AccountRateLimits&, const AccountRateLimits&) = default;
};

// GET /ext/v1/{sid}/rate-limits: {"sends_per_second": n | null, "recipients_per_second": n |
// null, "error": {}}; null is unlimited. Read-only: the operator sets them (smsgw account set).
std::string RateLimitsJson(const AccountRateLimits& limits);

class RateLimiter {
 public:
  using Clock = core::TokenBucket::Clock;

  // Takes one send (or `recipients`) of `sid`'s bucket; nullopt when taken, else how long until
  // it would be (whole seconds, at least 1: the Retry-After).
  std::optional<std::chrono::seconds> TakeSend(std::string_view sid,
                                               const AccountRateLimits& limits,
                                               Clock::time_point now);
  std::optional<std::chrono::seconds> TakeRecipients(std::string_view sid,
                                                     const AccountRateLimits& limits,
                                                     size_t recipients, Clock::time_point now);

 private:
  struct Buckets {
    AccountRateLimits limits;
    core::TokenBucket sends;
    core::TokenBucket recipients;
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Buckets> accounts;
  };
  std::optional<std::chrono::seconds> Take(std::string_view sid, const AccountRateLimits& limits,
                                           bool sends, double n, Clock::time_point now);

  std::array<Shard, 16> shards_;
};

}  // namespace smsgw::api
