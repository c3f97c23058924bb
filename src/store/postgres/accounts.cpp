#include "store/postgres/accounts.h"

#include <chrono>
#include <utility>

#include "store/postgres/changes.h"

namespace smsgw::store::postgres {
namespace {

constexpr const char* kInsertAccount =
    "INSERT INTO accounts (sid, name, created_at) VALUES ($1, $2, $3)";
constexpr const char* kSelectAccounts =
    "SELECT a.sid, a.name, a.created_at, "
    "(SELECT count(*) FROM api_keys k WHERE k.sid = a.sid AND k.revoked_at IS NULL) "
    "FROM accounts a ORDER BY a.created_at, a.sid";
constexpr const char* kInsertKey =
    "INSERT INTO api_keys (key_hash, sid, created_at) VALUES ($1, $2, $3)";
constexpr const char* kRevokeKey =
    "UPDATE api_keys SET revoked_at = $3 WHERE key_hash = $1 AND sid = $2 AND revoked_at IS NULL";
constexpr const char* kListKeys =
    "SELECT key_hash, created_at FROM api_keys WHERE sid = $1 AND revoked_at IS NULL "
    "ORDER BY created_at, key_hash";
constexpr const char* kFindKey =
    "SELECT sid FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL";
constexpr const char* kSelectSettings =
    "SELECT smart_encoding, require_registered_senders, webhook_secret IS NOT NULL, "
    "sends_per_second, recipients_per_second FROM accounts WHERE sid = $1";
constexpr const char* kSelectWebhookSecret = "SELECT webhook_secret FROM accounts WHERE sid = $1";
constexpr const char* kSetSmartEncoding = "UPDATE accounts SET smart_encoding = $2 WHERE sid = $1";
constexpr const char* kSetRequireRegisteredSenders =
    "UPDATE accounts SET require_registered_senders = $2 WHERE sid = $1";
constexpr const char* kSetSendsPerSecond =
    "UPDATE accounts SET sends_per_second = $2 WHERE sid = $1";
constexpr const char* kSetRecipientsPerSecond =
    "UPDATE accounts SET recipients_per_second = $2 WHERE sid = $1";
constexpr const char* kSetWebhookSecret = "UPDATE accounts SET webhook_secret = $2 WHERE sid = $1";

Params SidAnd(std::string_view sid, std::optional<bool> flag) {
  Params p;
  p.Text(sid);
  return flag ? p.Bool(*flag) : p.Null();
}

}  // namespace

core::Result<void> Accounts::ChangeKeys(const char* sql, const Params& params,
                                        std::string not_found) {
  return ChangeOne(pool_, versions_, CacheVersions::kKeys, sql, params, std::move(not_found));
}

core::Result<void> Accounts::CreateAccount(const Account& account) {
  return pool_.InTransaction([&](Connection& conn) -> core::Result<void> {
    auto inserted = conn.Exec(
        kInsertAccount, Params().Text(account.sid).Text(account.name).Time(account.created_at));
    if (!inserted) {
      if (inserted.error().code == core::Errc::kConflict) {
        return core::MakeError(core::Errc::kConflict,
                               "account '" + account.sid + "' already exists");
      }
      return Fail(std::move(inserted));
    }
    return {};
  });
}

core::Result<std::vector<Account>> Accounts::ListAccounts() {
  auto rows = pool_.Read(kSelectAccounts, {});
  if (!rows) {
    return Fail(std::move(rows));
  }
  std::vector<Account> accounts;
  for (int i = 0; i < rows->rows(); ++i) {
    accounts.push_back(Account{rows->Text(i, 0), rows->Text(i, 1), rows->Time(i, 2),
                               static_cast<int>(rows->Int(i, 3))});
  }
  return accounts;
}

core::Result<void> Accounts::AddKey(std::string_view sid, std::string_view key_hash,
                                    core::TimePoint created_at) {
  return Changing(
      pool_, versions_, CacheVersions::kKeys, [&](Connection& conn) -> core::Result<void> {
        if (auto account = LockAccount(conn, sid); !account) {
          return account;
        }
        auto inserted = conn.Exec(kInsertKey, Params().Text(key_hash).Text(sid).Time(created_at));
        if (!inserted) {
          if (inserted.error().code == core::Errc::kConflict) {
            return core::MakeError(core::Errc::kConflict, "the key already exists");
          }
          return Fail(std::move(inserted));
        }
        return {};
      });
}

core::Result<void> Accounts::RevokeKey(std::string_view sid, std::string_view key_hash) {
  const auto now = std::chrono::system_clock::now();
  return ChangeKeys(kRevokeKey, Params().Text(key_hash).Text(sid).Time(now),
                    "account '" + std::string(sid) + "' has no such active key");
}

core::Result<std::vector<ApiKeyRecord>> Accounts::ListKeys(std::string_view sid) {
  auto rows = pool_.Read(kListKeys, Params().Text(sid));
  if (!rows) {
    return Fail(std::move(rows));
  }
  std::vector<ApiKeyRecord> keys;
  for (int i = 0; i < rows->rows(); ++i) {
    keys.push_back(ApiKeyRecord{rows->Text(i, 0), rows->Time(i, 1)});
  }
  return keys;
}

core::Result<std::optional<std::string>> Accounts::FindSidByKeyHash(std::string_view key_hash) {
  auto rows = pool_.Read(kFindKey, Params().Text(key_hash));
  if (!rows) {
    return Fail(std::move(rows));
  }
  if (rows->rows() == 0) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(rows->Text(0, 0));
}

core::Result<AccountSettings> Accounts::GetSettings(std::string_view sid) {
  auto rows = pool_.Read(kSelectSettings, Params().Text(sid));
  if (!rows) {
    return Fail(std::move(rows));
  }
  if (rows->rows() == 0) {
    return core::MakeError(core::Errc::kNotFound, NoAccount(sid));
  }
  AccountSettings settings;
  if (!rows->IsNull(0, 0)) {
    settings.smart_encoding = rows->Bool(0, 0);
  }
  if (!rows->IsNull(0, 1)) {
    settings.require_registered_senders = rows->Bool(0, 1);
  }
  settings.has_webhook_secret = rows->Bool(0, 2);
  settings.sends_per_second = rows->OptInt(0, 3);
  settings.recipients_per_second = rows->OptInt(0, 4);
  return settings;
}

core::Result<void> Accounts::SetSmartEncoding(std::string_view sid, std::optional<bool> on) {
  return ChangeKeys(kSetSmartEncoding, SidAnd(sid, on), NoAccount(sid));
}

core::Result<void> Accounts::SetRequireRegisteredSenders(std::string_view sid,
                                                         std::optional<bool> on) {
  return ChangeKeys(kSetRequireRegisteredSenders, SidAnd(sid, on), NoAccount(sid));
}

core::Result<void> Accounts::SetRateLimit(std::string_view sid, RateLimit limit,
                                          std::optional<int64_t> per_second) {
  return ChangeKeys(
      limit == RateLimit::kSendsPerSecond ? kSetSendsPerSecond : kSetRecipientsPerSecond,
      Params().Text(sid).OptInt(per_second), NoAccount(sid));
}

core::Result<void> Accounts::SetWebhookSecret(std::string_view sid,
                                              std::optional<std::string_view> secret) {
  Params params;
  params.Text(sid);
  if (secret) {
    params.Text(*secret);
  } else {
    params.Null();
  }
  return ChangeKeys(kSetWebhookSecret, params, NoAccount(sid));
}

core::Result<std::string> Accounts::GetWebhookSecret(std::string_view sid) {
  auto rows = pool_.Read(kSelectWebhookSecret, Params().Text(sid));
  if (!rows) {
    return Fail(std::move(rows));
  }
  if (rows->rows() == 0) {
    return core::MakeError(core::Errc::kNotFound, NoAccount(sid));
  }
  return rows->Text(0, 0);  // '' for NULL
}

}  // namespace smsgw::store::postgres
