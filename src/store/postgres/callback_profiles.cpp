#include "store/postgres/callback_profiles.h"

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "store/callback_profile_columns.h"
#include "store/postgres/changes.h"

namespace smsgw::store::postgres {
namespace {

#define SMSGW_PROFILE_COLUMNS                                                             \
  "id, sid, name, url, method, headers, auth_kind, auth_user, auth_password, token_url, " \
  "client_id, client_secret, body_template, retry_kind, retry_intervals, retry_initial, " \
  "retry_max_delay, retry_horizon, is_default, updated_at, created_at"
// ON CONFLICT on the id alone: a taken id is told apart from any other integrity failure, and the
// transaction stays usable.
constexpr const char* kInsert =
    "INSERT INTO callback_profiles (" SMSGW_PROFILE_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
    "$19, $20, $21) ON CONFLICT (id) DO NOTHING";
// Takes ProfileParams without created_at, which an update keeps.
constexpr const char* kUpdate =
    "UPDATE callback_profiles SET name = $3, url = $4, method = $5, headers = $6, "
    "auth_kind = $7, auth_user = $8, auth_password = $9, token_url = $10, client_id = $11, "
    "client_secret = $12, body_template = $13, retry_kind = $14, retry_intervals = $15, "
    "retry_initial = $16, retry_max_delay = $17, retry_horizon = $18, is_default = $19, "
    "updated_at = $20 WHERE id = $1 AND sid = $2";
constexpr const char* kClearDefault =
    "UPDATE callback_profiles SET is_default = FALSE "
    "WHERE sid = $1 AND is_default AND id <> $2";
constexpr const char* kDelete = "DELETE FROM callback_profiles WHERE sid = $1 AND id = $2";
constexpr const char* kGet =
    "SELECT " SMSGW_PROFILE_COLUMNS " FROM callback_profiles WHERE sid = $1 AND id = $2";
constexpr const char* kList =
    "SELECT " SMSGW_PROFILE_COLUMNS " FROM callback_profiles WHERE sid = $1 ORDER BY id";
#undef SMSGW_PROFILE_COLUMNS
// NO KEY UPDATE, not UPDATE: it makes switchers of one account's default (and LockAccount's
// FOR SHARE) wait, yet not the FOR KEY SHARE of foreign-key checks on rows added to the account.
constexpr const char* kLockAccountForDefault =
    "SELECT 1 FROM accounts WHERE sid = $1 FOR NO KEY UPDATE";

// $1..$20 of kInsert and kUpdate; kInsert adds created_at as $21.
Params ProfileParams(const CallbackProfile& p) {
  Params params;
  params.Text(p.id).Text(p.sid).Text(p.name).Text(p.url).Text(p.method);
  params.Text(EncodeHeaders(p.headers));
  params.Int(static_cast<int64_t>(p.auth.kind)).Text(p.auth.user).Text(p.auth.password);
  params.Text(p.auth.token_url).Text(p.auth.client_id).Text(p.auth.client_secret);
  params.Text(p.body_template);
  params.Int(static_cast<int64_t>(p.retry.kind)).Text(EncodeIntervals(p.retry.intervals));
  params.Int(p.retry.initial.count()).Int(p.retry.max_delay.count());
  params.Int(p.retry.horizon.count());
  params.Bool(p.is_default).Time(p.updated_at);
  return params;
}

// The enum stored in `column` of row `i`, kInternal when it is out of 0..max.
template <class Enum>
core::Result<Enum> ReadEnum(const Rows& rows, int i, int column, Enum max, const char* name) {
  const int64_t value = rows.Int(i, column);
  if (value < 0 || value > static_cast<int64_t>(max)) {
    return core::MakeError(
        core::Errc::kInternal,
        std::string("stored ") + name + " " + std::to_string(value) + " is not a known value");
  }
  return static_cast<Enum>(value);
}

// Row `i` of `rows` (columns in SMSGW_PROFILE_COLUMNS order) as a CallbackProfile.
core::Result<CallbackProfile> ReadProfile(const Rows& rows, int i) {
  auto headers = DecodeHeaders(rows.Text(i, 5));
  if (!headers) {
    return Fail(std::move(headers));
  }
  auto auth = ReadEnum(rows, i, 6, CallbackAuth::Kind::kBearerToken, "callback auth kind");
  if (!auth) {
    return Fail(std::move(auth));
  }
  auto retry = ReadEnum(rows, i, 13, RetryPolicy::Kind::kExponential, "retry policy kind");
  if (!retry) {
    return Fail(std::move(retry));
  }
  auto intervals = DecodeIntervals(rows.Text(i, 14));
  if (!intervals) {
    return Fail(std::move(intervals));
  }
  CallbackProfile p;
  p.id = rows.Text(i, 0);
  p.sid = rows.Text(i, 1);
  p.name = rows.Text(i, 2);
  p.url = rows.Text(i, 3);
  p.method = rows.Text(i, 4);
  p.headers = std::move(*headers);
  p.auth.kind = *auth;
  p.auth.user = rows.Text(i, 7);
  p.auth.password = rows.Text(i, 8);
  p.auth.token_url = rows.Text(i, 9);
  p.auth.client_id = rows.Text(i, 10);
  p.auth.client_secret = rows.Text(i, 11);
  p.body_template = rows.Text(i, 12);
  p.retry.kind = *retry;
  p.retry.intervals = std::move(*intervals);
  p.retry.initial = std::chrono::seconds(rows.Int(i, 15));
  p.retry.max_delay = std::chrono::seconds(rows.Int(i, 16));
  p.retry.horizon = std::chrono::seconds(rows.Int(i, 17));
  p.is_default = rows.Bool(i, 18);
  p.updated_at = rows.Time(i, 19);
  p.created_at = rows.Time(i, 20);
  return p;
}

std::string NoProfile(std::string_view id) {
  return "no callback profile '" + std::string(id) + "'";
}

// Before `p` becomes its account's default: waits for any other transaction switching that
// account's default, then takes the role from the account's other profiles. Without the lock two
// nodes could each find no other default to clear and then collide on callback_profiles_default.
// kNotFound with `no_account` when the account does not exist.
core::Result<void> TakeDefault(Connection& conn, const CallbackProfile& p, std::string no_account) {
  auto locked = conn.Exec(kLockAccountForDefault, Params().Text(p.sid));
  if (!locked) {
    return Fail(std::move(locked));
  }
  if (locked->rows() == 0) {
    return core::MakeError(core::Errc::kNotFound, std::move(no_account));
  }
  if (auto cleared = conn.Exec(kClearDefault, Params().Text(p.sid).Text(p.id)); !cleared) {
    return Fail(std::move(cleared));
  }
  return {};
}

}  // namespace

core::Result<void> CallbackProfiles::CreateCallbackProfile(const CallbackProfile& profile) {
  Params params = ProfileParams(profile);
  params.Time(profile.created_at);
  return Changing(
      pool_, versions_, CacheVersions::kRegistry, [&](Connection& conn) -> core::Result<void> {
        auto account = profile.is_default ? TakeDefault(conn, profile, NoAccount(profile.sid))
                                          : LockAccount(conn, profile.sid);
        if (!account) {
          return account;
        }
        auto inserted = conn.Exec(kInsert, params);
        if (!inserted) {
          return Fail(std::move(inserted));
        }
        if (inserted->affected() == 0) {
          return core::MakeError(core::Errc::kConflict,
                                 "callback profile '" + profile.id + "' exists");
        }
        return {};
      });
}

core::Result<CallbackProfile> CallbackProfiles::GetCallbackProfile(std::string_view sid,
                                                                   std::string_view id) {
  auto rows = pool_.Read(kGet, Params().Text(sid).Text(id));
  if (!rows) {
    return Fail(std::move(rows));
  }
  if (rows->rows() == 0) {
    return core::MakeError(core::Errc::kNotFound, NoProfile(id));
  }
  return ReadProfile(*rows, 0);
}

core::Result<std::vector<CallbackProfile>> CallbackProfiles::ListCallbackProfiles(
    std::string_view sid) {
  // Two statements, not one transaction, as Registry's listings: profiles listed for an account
  // deleted in between are the same answer as a listing just before the deletion.
  if (auto account = CheckAccount(pool_, sid); !account) {
    return Fail(std::move(account));
  }
  auto rows = pool_.Read(kList, Params().Text(sid));
  if (!rows) {
    return Fail(std::move(rows));
  }
  std::vector<CallbackProfile> profiles;
  profiles.reserve(static_cast<size_t>(rows->rows()));
  for (int i = 0; i < rows->rows(); ++i) {
    auto profile = ReadProfile(*rows, i);
    if (!profile) {
      return Fail(std::move(profile));
    }
    profiles.push_back(std::move(*profile));
  }
  return profiles;
}

core::Result<void> CallbackProfiles::UpdateCallbackProfile(const CallbackProfile& profile) {
  const Params params = ProfileParams(profile);
  return Changing(pool_, versions_, CacheVersions::kRegistry,
                  [&](Connection& conn) -> core::Result<void> {
                    if (profile.is_default) {
                      // No account: no profile either. Failing after the clear rolls it back.
                      if (auto taken = TakeDefault(conn, profile, NoProfile(profile.id)); !taken) {
                        return taken;
                      }
                    }
                    auto updated = conn.Exec(kUpdate, params);
                    if (!updated) {
                      return Fail(std::move(updated));
                    }
                    if (updated->affected() == 0) {
                      return core::MakeError(core::Errc::kNotFound, NoProfile(profile.id));
                    }
                    return {};
                  });
}

core::Result<void> CallbackProfiles::DeleteCallbackProfile(std::string_view sid,
                                                           std::string_view id) {
  return ChangeOne(pool_, versions_, CacheVersions::kRegistry, kDelete, Params().Text(sid).Text(id),
                   NoProfile(id));
}

}  // namespace smsgw::store::postgres
