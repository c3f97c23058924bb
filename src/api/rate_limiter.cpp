#include "api/rate_limiter.h"

#include <functional>

#include "api/json_writer.h"

namespace smsgw::api {
namespace {

core::TokenBucket Bucket(int64_t per_second, RateLimiter::Clock::time_point now) {
  const double rate = static_cast<double>(per_second);
  return core::TokenBucket(rate, rate, now);  // a second's worth of burst
}

}  // namespace

std::string RateLimitsJson(const AccountRateLimits& limits) {
  JsonWriter j;
  j.w().StartObject();
  for (auto [key, value] : {std::pair{"sends_per_second", limits.sends_per_second},
                            std::pair{"recipients_per_second", limits.recipients_per_second}}) {
    j.Key(key);
    if (value > 0) {
      j.w().Int64(value);
    } else {
      j.w().Null();
    }
  }
  return j.TakeWithNoError();
}

std::optional<std::chrono::seconds> RateLimiter::TakeSend(std::string_view sid,
                                                          const AccountRateLimits& limits,
                                                          Clock::time_point now) {
  if (limits.sends_per_second <= 0) {
    return std::nullopt;
  }
  return Take(sid, limits, true, 1, now);
}

std::optional<std::chrono::seconds> RateLimiter::TakeRecipients(std::string_view sid,
                                                                const AccountRateLimits& limits,
                                                                size_t recipients,
                                                                Clock::time_point now) {
  if (limits.recipients_per_second <= 0 || recipients == 0) {
    return std::nullopt;
  }
  return Take(sid, limits, false, static_cast<double>(recipients), now);
}

std::optional<std::chrono::seconds> RateLimiter::Take(std::string_view sid,
                                                      const AccountRateLimits& limits, bool sends,
                                                      double n, Clock::time_point now) {
  Shard& shard = shards_[std::hash<std::string_view>()(sid) % shards_.size()];
  std::lock_guard lock(shard.mu);
  auto it = shard.accounts.find(std::string(sid));
  if (it == shard.accounts.end() || it->second.limits != limits) {
    Buckets fresh{limits, Bucket(limits.sends_per_second, now),
                  Bucket(limits.recipients_per_second, now)};
    it = shard.accounts.insert_or_assign(std::string(sid), std::move(fresh)).first;
  }
  core::TokenBucket& bucket = sends ? it->second.sends : it->second.recipients;
  if (bucket.TryTake(now, n)) {
    return std::nullopt;
  }
  const auto wait = bucket.NextToken(now, n) - now;
  return std::max(std::chrono::seconds(1), std::chrono::ceil<std::chrono::seconds>(wait));
}

}  // namespace smsgw::api
