#include "console/sessions.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdlib>

#include "core/ids.h"

namespace smsgw::console {
std::string Sessions::NewSecret() {
  unsigned char raw[32];
  if (RAND_bytes(raw, sizeof raw) != 1) {
    std::abort();  // no entropy: minting a guessable session would be worse than stopping
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * sizeof raw);
  for (unsigned char c : raw) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  }
  return out;
}

bool LooksLikeToken(std::string_view token) {
  return token.size() == 64 && std::all_of(token.begin(), token.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

bool SecretsEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

core::TimePoint Sessions::EndOf(const Entry& entry) const {
  return std::min(entry.last_seen + limits_.idle, entry.created + limits_.absolute);
}

void Sessions::MakeRoom(const std::string& sid, core::TimePoint now) {
  std::erase_if(by_hash_, [&](const auto& kv) { return EndOf(kv.second) <= now; });
  const auto ends_first = [&](const auto& a, const auto& b) {
    return EndOf(a.second) < EndOf(b.second);
  };
  size_t of_sid = 0;
  auto first_of_sid = by_hash_.end();
  for (auto it = by_hash_.begin(); it != by_hash_.end(); ++it) {
    if (it->second.sid == sid) {
      ++of_sid;
      if (first_of_sid == by_hash_.end() || ends_first(*it, *first_of_sid)) {
        first_of_sid = it;
      }
    }
  }
  if (of_sid >= kMaxSessionsPerAccount) {
    by_hash_.erase(first_of_sid);
  }
  if (by_hash_.size() >= kMaxSessions) {
    by_hash_.erase(std::min_element(by_hash_.begin(), by_hash_.end(), ends_first));
  }
}

Sessions::Created Sessions::Create(std::string sid, std::string key_hash) {
  Created created{NewSecret(), NewSecret()};
  const core::TimePoint now = clock_.Now();
  std::lock_guard lock(mu_);
  MakeRoom(sid, now);
  by_hash_[core::Sha256Hex(created.token)] =
      Entry{std::move(sid), std::move(key_hash), created.csrf, now, now};
  return created;
}

std::optional<Sessions::Session> Sessions::Find(std::string_view token) {
  if (!LooksLikeToken(token)) {
    return std::nullopt;
  }
  const std::string hash = core::Sha256Hex(token);
  const core::TimePoint now = clock_.Now();
  std::lock_guard lock(mu_);
  auto it = by_hash_.find(hash);
  if (it == by_hash_.end()) {
    return std::nullopt;
  }
  if (EndOf(it->second) <= now) {
    by_hash_.erase(it);
    return std::nullopt;
  }
  it->second.last_seen = now;
  return Session{it->second.sid, it->second.key_hash, it->second.csrf};
}

void Sessions::Remove(std::string_view token) {
  if (!LooksLikeToken(token)) {
    return;
  }
  const std::string hash = core::Sha256Hex(token);
  std::lock_guard lock(mu_);
  by_hash_.erase(hash);
}

size_t Sessions::SizeForTest() const {
  std::lock_guard lock(mu_);
  return by_hash_.size();
}

}  // namespace smsgw::console
