#pragma once
// AccountStore holds accounts (SIDs) and their API keys. Keys are stored only as SHA-256 hex;
// the plain key is shown once, by whoever created it. Calls block and are safe from any thread.
// Several processes may share one store (the CLI changes keys and settings while `serve` runs):
// KeysVersion() lets a reader cache lookups and notice, within 1 s, that another process changed
// a key or an account's settings.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace smsgw::store {

// Per-account choices that override the deployment's config defaults; unset means the default.
struct AccountSettings {
  std::optional<bool> smart_encoding;              // config [text] smart_encoding
  std::optional<bool> require_registered_senders;  // the region's default (core/region.h)
  // config [limits] sends_per_second / recipients_per_second; 0 = unlimited.
  std::optional<int64_t> sends_per_second;
  std::optional<int64_t> recipients_per_second;
  bool has_webhook_secret = false;  // the secret itself is never read back through settings
};

struct Account {
  std::string sid;
  std::string name;
  core::TimePoint created_at;
  int active_keys = 0;
};

// An active API key as the store knows it: never the key, only its hash.
struct ApiKeyRecord {
  std::string key_hash;  // lower-case hex SHA-256 of the key
  core::TimePoint created_at;
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // kConflict when the sid exists.
  virtual core::Result<void> CreateAccount(const Account& account) = 0;
  // Ordered by created_at, then sid; active_keys counts the keys not revoked.
  virtual core::Result<std::vector<Account>> ListAccounts() = 0;

  // Adds an active key for an existing account (kNotFound otherwise). A key hash already stored,
  // active or revoked, for any account, is kConflict.
  virtual core::Result<void> AddKey(std::string_view sid, std::string_view key_hash,
                                    core::TimePoint created_at) = 0;
  // Revokes an active key of `sid`; kNotFound when there is no such active key.
  virtual core::Result<void> RevokeKey(std::string_view sid, std::string_view key_hash) = 0;
  // The active keys of `sid`, oldest first (none for an unknown sid).
  virtual core::Result<std::vector<ApiKeyRecord>> ListKeys(std::string_view sid) = 0;
  // The sid owning an active key with this hash, or nullopt.
  virtual core::Result<std::optional<std::string>> FindSidByKeyHash(std::string_view key_hash) = 0;

  // kNotFound for an unknown sid.
  virtual core::Result<AccountSettings> GetSettings(std::string_view sid) = 0;
  // Sets (or, with nullopt, clears) the account's smart-encoding choice; kNotFound for an unknown
  // sid.
  virtual core::Result<void> SetSmartEncoding(std::string_view sid, std::optional<bool> on) = 0;
  // Sets (or, with nullopt, clears) whether the account must send from registered sender IDs;
  // kNotFound for an unknown sid.
  virtual core::Result<void> SetRequireRegisteredSenders(std::string_view sid,
                                                         std::optional<bool> on) = 0;

  enum class RateLimit { kSendsPerSecond, kRecipientsPerSecond };
  // Sets (or, with nullopt, clears) one of the account's rate limits (>= 0; 0 = unlimited);
  // kNotFound for an unknown sid.
  virtual core::Result<void> SetRateLimit(std::string_view sid, RateLimit limit,
                                          std::optional<int64_t> per_second) = 0;

  // Sets (or, with nullopt, removes) the secret the account's webhooks are signed with
  // (X-Smsgw-Signature); kNotFound for an unknown sid. The webhook sender reads it with each
  // claimed webhook (WebhookJob::secret), so a change applies to the next attempt.
  virtual core::Result<void> SetWebhookSecret(std::string_view sid,
                                              std::optional<std::string_view> secret) = 0;
  // The account's webhook secret, empty when it has none (a test webhook is signed as the
  // outbox's are); kNotFound for an unknown sid.
  virtual core::Result<std::string> GetWebhookSecret(std::string_view sid) = 0;

  // A counter that changes whenever a key is added or revoked or an account's settings change:
  // at once in the instance that made the change, within 1 s in every other process sharing the
  // store. Cheap enough to call on every request: no I/O.
  virtual uint64_t KeysVersion() const = 0;
};

}  // namespace smsgw::store
