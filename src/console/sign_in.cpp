#include "console/sign_in.h"

#include <algorithm>

#include "api/async_bridge.h"
#include "console/sessions.h"
#include "core/ids.h"

namespace smsgw::console {

SignInLimiter::Count* SignInLimiter::Entry(Table& table, std::string_view key,
                                           core::TimePoint now) {
  auto it = table.find(std::string(key));
  if (it != table.end()) {
    if (now - it->second.window_start >= options_.window) {
      it->second = Count{now, 0};
    }
    return &it->second;
  }
  if (table.size() >= kMaxTracked) {
    std::erase_if(table,
                  [&](const auto& e) { return now - e.second.window_start >= options_.window; });
    if (table.size() >= kMaxTracked) {
      return nullptr;
    }
  }
  return &table.emplace(std::string(key), Count{now, 0}).first->second;
}

std::optional<std::chrono::seconds> SignInLimiter::Wait(const Table& table, std::string_view key,
                                                        int max, core::TimePoint now) const {
  auto it = table.find(std::string(key));
  if (it == table.end()) {
    if (table.size() >= kMaxTracked) {
      return options_.window;  // full of live entries: a new key waits (see the header)
    }
    return std::nullopt;
  }
  const auto age = now - it->second.window_start;
  if (age >= options_.window || it->second.failures < max) {
    return std::nullopt;
  }
  return std::max(std::chrono::seconds(1),
                  std::chrono::ceil<std::chrono::seconds>(options_.window - age));
}

std::optional<std::chrono::seconds> SignInLimiter::Refused(std::string_view source,
                                                           std::string_view sid) {
  const core::TimePoint now = clock_.Now();
  std::lock_guard lock(mu_);
  const auto by_source = Wait(by_source_, source, options_.failures_per_source, now);
  const auto by_sid = Wait(by_sid_, sid, options_.failures_per_sid, now);
  if (by_source && by_sid) {
    return std::max(*by_source, *by_sid);
  }
  return by_source ? by_source : by_sid;
}

void SignInLimiter::Failed(std::string_view source, std::string_view sid) {
  const core::TimePoint now = clock_.Now();
  std::lock_guard lock(mu_);
  if (Count* c = Entry(by_source_, source, now)) {
    ++c->failures;
  }
  if (Count* c = Entry(by_sid_, sid, now)) {
    ++c->failures;
  }
}

api::asio::awaitable<core::Result<std::optional<PasswordSignIn::Checked>>> PasswordSignIn::Check(
    std::string sid, std::string password) {
  auto stored =
      co_await api::RunBlocking(store_pool_, [&] { return passwords_.FindConsolePassword(sid); });
  if (!stored) {
    co_return std::unexpected(std::move(stored.error()));
  }
  // Hashed for an account without a password too, so that timing does not tell which have one.
  const std::string salt = *stored ? (*stored)->salt : std::string(32, '0');
  const std::string hash =
      co_await api::RunBlocking(hash_pool_, [&] { return core::PasswordHashHex(salt, password); });
  if (!*stored || !SecretsEqual(hash, (*stored)->password_hash)) {
    co_return std::nullopt;
  }
  auto settings =
      co_await api::RunBlocking(store_pool_, [&] { return accounts_.GetSettings(sid); });
  if (!settings) {
    if (settings.error().code == core::Errc::kNotFound) {
      co_return std::nullopt;
    }
    co_return std::unexpected(std::move(settings.error()));
  }
  co_return Checked{{sid, std::move(*settings)},
                    std::string(kPasswordSessionPrefix) + (*stored)->password_hash};
}

api::asio::awaitable<core::Result<std::optional<api::Authenticator::Identity>>>
PasswordSignIn::Resolve(std::string sid, std::string session_key) {
  co_return co_await api::RunBlocking(
      store_pool_, [&]() -> core::Result<std::optional<api::Authenticator::Identity>> {
        auto stored = passwords_.FindConsolePassword(sid);
        if (!stored) {
          return std::unexpected(std::move(stored.error()));
        }
        if (!*stored ||
            !SecretsEqual(std::string(kPasswordSessionPrefix) + (*stored)->password_hash,
                          session_key)) {
          return std::nullopt;
        }
        auto settings = accounts_.GetSettings(sid);
        if (!settings) {
          if (settings.error().code == core::Errc::kNotFound) {
            return std::nullopt;
          }
          return std::unexpected(std::move(settings.error()));
        }
        return api::Authenticator::Identity{sid, std::move(*settings)};
      });
}

}  // namespace smsgw::console
