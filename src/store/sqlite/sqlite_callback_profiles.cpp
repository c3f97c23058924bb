// SqliteStore's CallbackProfileStore (migration 6): each account's callback profiles, at most one
// of them its default (the partial unique index callback_profiles_default). Writes are one
// IMMEDIATE transaction on the writer; reads use read connections.

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "store/callback_profile_columns.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace smsgw::store::sqlite {
namespace {

#define SMSGW_PROFILE_COLUMNS                                                             \
  "id, sid, name, url, method, headers, auth_kind, auth_user, auth_password, token_url, " \
  "client_id, client_secret, body_template, retry_kind, retry_intervals, retry_initial, " \
  "retry_max_delay, retry_horizon, is_default, created_at, updated_at"
constexpr const char* kInsert =
    "INSERT INTO callback_profiles (" SMSGW_PROFILE_COLUMNS
    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
    "?19, ?20, ?21)";
// Binds like kInsert; ?20 (created_at) is left as it was.
constexpr const char* kUpdate =
    "UPDATE callback_profiles SET name = ?3, url = ?4, method = ?5, headers = ?6, "
    "auth_kind = ?7, auth_user = ?8, auth_password = ?9, token_url = ?10, client_id = ?11, "
    "client_secret = ?12, body_template = ?13, retry_kind = ?14, retry_intervals = ?15, "
    "retry_initial = ?16, retry_max_delay = ?17, retry_horizon = ?18, is_default = ?19, "
    "updated_at = ?21 WHERE id = ?1 AND sid = ?2";
constexpr const char* kClearDefault =
    "UPDATE callback_profiles SET is_default = 0 WHERE sid = ?1 AND is_default = 1 AND id <> ?2";
constexpr const char* kDelete = "DELETE FROM callback_profiles WHERE id = ?2 AND sid = ?1";
constexpr const char* kGet =
    "SELECT " SMSGW_PROFILE_COLUMNS " FROM callback_profiles WHERE id = ?2 AND sid = ?1";
constexpr const char* kList =
    "SELECT " SMSGW_PROFILE_COLUMNS " FROM callback_profiles WHERE sid = ?1 ORDER BY id";

constexpr StatementSql<CallbackProfileStatements> kWriterStatements[] = {
    {"insert_profile", &CallbackProfileStatements::insert, kInsert},
    {"update_profile", &CallbackProfileStatements::update, kUpdate},
    {"clear_default_profile", &CallbackProfileStatements::clear_default, kClearDefault},
    {"delete_profile", &CallbackProfileStatements::remove, kDelete},
};
constexpr StatementSql<CallbackProfileReadStatements> kReaderStatements[] = {
    {"get_profile", &CallbackProfileReadStatements::get, kGet},
    {"list_profiles", &CallbackProfileReadStatements::list, kList},
};

// Binds every column of `p` as kInsert and kUpdate number them. `headers` and `intervals` are
// the encoded columns, kept alive by the caller.
void BindProfile(Statement& s, const CallbackProfile& p, const std::string& headers,
                 const std::string& intervals) {
  s.BindText(1, p.id);
  s.BindText(2, p.sid);
  s.BindText(3, p.name);
  s.BindText(4, p.url);
  s.BindText(5, p.method);
  s.BindText(6, headers);
  s.BindInt64(7, static_cast<int64_t>(p.auth.kind));
  s.BindText(8, p.auth.user);
  s.BindText(9, p.auth.password);
  s.BindText(10, p.auth.token_url);
  s.BindText(11, p.auth.client_id);
  s.BindText(12, p.auth.client_secret);
  s.BindText(13, p.body_template);
  s.BindInt64(14, static_cast<int64_t>(p.retry.kind));
  s.BindText(15, intervals);
  s.BindInt64(16, p.retry.initial.count());
  s.BindInt64(17, p.retry.max_delay.count());
  s.BindInt64(18, p.retry.horizon.count());
  s.BindInt64(19, p.is_default ? 1 : 0);
  s.BindInt64(20, Ms(p.created_at));
  s.BindInt64(21, Ms(p.updated_at));
}

core::Result<CallbackProfile> ReadProfile(const Statement& s) {
  auto headers = DecodeHeaders(s.ColumnText(5));
  if (!headers) {
    return Fail(std::move(headers));
  }
  auto auth = EnumColumn<CallbackAuth::Kind>(
      s, 6, static_cast<int64_t>(CallbackAuth::Kind::kBearerToken), "callback auth kind");
  if (!auth) {
    return Fail(std::move(auth));
  }
  auto retry = EnumColumn<RetryPolicy::Kind>(
      s, 13, static_cast<int64_t>(RetryPolicy::Kind::kExponential), "retry policy kind");
  if (!retry) {
    return Fail(std::move(retry));
  }
  auto intervals = DecodeIntervals(s.ColumnText(14));
  if (!intervals) {
    return Fail(std::move(intervals));
  }
  CallbackProfile p;
  p.id = s.ColumnText(0);
  p.sid = s.ColumnText(1);
  p.name = s.ColumnText(2);
  p.url = s.ColumnText(3);
  p.method = s.ColumnText(4);
  p.headers = std::move(*headers);
  p.auth.kind = *auth;
  p.auth.user = s.ColumnText(7);
  p.auth.password = s.ColumnText(8);
  p.auth.token_url = s.ColumnText(9);
  p.auth.client_id = s.ColumnText(10);
  p.auth.client_secret = s.ColumnText(11);
  p.body_template = s.ColumnText(12);
  p.retry.kind = *retry;
  p.retry.intervals = std::move(*intervals);
  p.retry.initial = std::chrono::seconds(s.ColumnInt64(15));
  p.retry.max_delay = std::chrono::seconds(s.ColumnInt64(16));
  p.retry.horizon = std::chrono::seconds(s.ColumnInt64(17));
  p.is_default = s.ColumnInt64(18) != 0;
  p.created_at = core::FromUnixMillis(s.ColumnInt64(19));
  p.updated_at = core::FromUnixMillis(s.ColumnInt64(20));
  return p;
}

std::string NoProfile(std::string_view id) {
  return "no callback profile '" + std::string(id) + "'";
}

// Takes the default role from the account's other profiles when `p` is to have it.
core::Result<void> ClearOtherDefault(CallbackProfileStatements& c, const CallbackProfile& p) {
  if (!p.is_default) {
    return {};
  }
  Statement& clear = c.clear_default;
  const ScopedReset reset(clear);
  clear.BindText(1, p.sid);
  clear.BindText(2, p.id);
  return clear.Run();
}

}  // namespace

core::Result<void> CallbackProfileStatements::Prepare(Db& db) {
  return PrepareEach(db, *this, kWriterStatements);
}

core::Result<void> CallbackProfileReadStatements::Prepare(Db& db) {
  return PrepareEach(db, *this, kReaderStatements);
}

std::vector<NamedSql> CallbackProfileSqlForTest() {
  return NamedSqlOf(kWriterStatements, kReaderStatements);
}

core::Result<void> SqliteStore::CreateCallbackProfile(const CallbackProfile& profile) {
  std::lock_guard lock(write_mu_);
  Writer& w = *writer_;
  auto created = w.InTransaction([&]() -> core::Result<void> {
    if (auto account = w.CheckAccount(profile.sid); !account) {
      return account;
    }
    if (auto cleared = ClearOtherDefault(w.profiles, profile); !cleared) {
      return cleared;
    }
    const std::string headers = EncodeHeaders(profile.headers);
    const std::string intervals = EncodeIntervals(profile.retry.intervals);
    Statement& insert = w.profiles.insert;
    const ScopedReset reset(insert);
    BindProfile(insert, profile, headers, intervals);
    auto ran = insert.Run();
    if (!ran && ran.error().code == core::Errc::kConflict) {
      return core::MakeError(core::Errc::kConflict, "callback profile '" + profile.id + "' exists");
    }
    return ran;
  });
  if (created) {
    registry_version_.Increment();
  }
  return created;
}

core::Result<CallbackProfile> SqliteStore::GetCallbackProfile(std::string_view sid,
                                                              std::string_view id) {
  return WithReader([&](ReadConnection& r) -> core::Result<CallbackProfile> {
    Statement& select = r.profiles.get;
    const ScopedReset reset(select);
    select.BindText(1, sid);
    select.BindText(2, id);
    return ReadOne(select, ReadProfile, NoProfile(id));
  });
}

core::Result<std::vector<CallbackProfile>> SqliteStore::ListCallbackProfiles(std::string_view sid) {
  return WithReader([&](ReadConnection& r) -> core::Result<std::vector<CallbackProfile>> {
    return r.InSnapshot([&]() -> core::Result<std::vector<CallbackProfile>> {
      if (auto account = CheckAccount(r, sid); !account) {
        return Fail(std::move(account));
      }
      Statement& select = r.profiles.list;
      const ScopedReset reset(select);
      select.BindText(1, sid);
      return ReadAll<CallbackProfile>(select, ReadProfile);
    });
  });
}

core::Result<void> SqliteStore::UpdateCallbackProfile(const CallbackProfile& profile) {
  std::lock_guard lock(write_mu_);
  Writer& w = *writer_;
  return w.InTransaction([&]() -> core::Result<void> {
    if (auto cleared = ClearOtherDefault(w.profiles, profile); !cleared) {
      return cleared;
    }
    const std::string headers = EncodeHeaders(profile.headers);
    const std::string intervals = EncodeIntervals(profile.retry.intervals);
    Statement& update = w.profiles.update;
    const ScopedReset reset(update);
    BindProfile(update, profile, headers, intervals);
    if (auto ran = update.Run(); !ran) {
      return ran;
    }
    if (w.db.Changes() == 0) {
      return core::MakeError(core::Errc::kNotFound, NoProfile(profile.id));  // rolls back
    }
    return {};
  });
}

core::Result<void> SqliteStore::DeleteCallbackProfile(std::string_view sid, std::string_view id) {
  return DeleteRegistryEntry(writer_->profiles.remove, sid, id, NoProfile(id));
}

uint64_t SqliteStore::CallbackProfilesVersion() const { return registry_version_.Load(); }

}  // namespace smsgw::store::sqlite
