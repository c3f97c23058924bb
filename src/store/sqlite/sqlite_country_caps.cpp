// SqliteStore's CountryCapStore (migration 11), and the counting of accepted messages against the
// caps, inside Enqueue's transaction (CountAgainstCaps).

#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/phone_number.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace smsgw::store::sqlite {
namespace {

constexpr const char* kAny = "SELECT EXISTS (SELECT 1 FROM country_caps)";
constexpr const char* kOfAccount =
    "SELECT country, daily, monthly FROM country_caps WHERE sid = ?1";
constexpr const char* kUsage =
    "SELECT count FROM country_usage WHERE sid = ?1 AND country = ?2 AND period = ?3";
constexpr const char* kCount =
    "INSERT INTO country_usage (sid, country, period, count) VALUES (?1, ?2, ?3, 1) "
    "ON CONFLICT (sid, country, period) DO UPDATE SET count = count + 1";
constexpr const char* kUpsert =
    "INSERT INTO country_caps (sid, country, daily, monthly) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (sid, country) DO UPDATE SET daily = excluded.daily, monthly = excluded.monthly";
constexpr const char* kRemove = "DELETE FROM country_caps WHERE sid = ?1 AND country = ?2";
constexpr const char* kList =
    "SELECT c.country, c.daily, c.monthly, coalesce(d.count, 0), coalesce(m.count, 0) "
    "FROM country_caps c "
    "LEFT JOIN country_usage d ON d.sid = c.sid AND d.country = c.country AND d.period = ?2 "
    "LEFT JOIN country_usage m ON m.sid = c.sid AND m.country = c.country AND m.period = ?3 "
    "WHERE c.sid = ?1 ORDER BY c.country";

constexpr StatementSql<CountryCapStatements> kWriterStatements[] = {
    {"any_country_cap", &CountryCapStatements::any, kAny},
    {"country_caps_of_account", &CountryCapStatements::of_account, kOfAccount},
    {"country_usage", &CountryCapStatements::usage, kUsage},
    {"count_country_usage", &CountryCapStatements::count, kCount},
    {"upsert_country_cap", &CountryCapStatements::upsert, kUpsert},
    {"remove_country_cap", &CountryCapStatements::remove, kRemove},
};
constexpr StatementSql<CountryCapReadStatements> kReaderStatements[] = {
    {"list_country_caps", &CountryCapReadStatements::list, kList},
};

// The periods a time counts in: "2026-12-05" (its UTC day) and "2026-12" (its UTC month).
std::pair<std::string, std::string> Periods(core::TimePoint at) {
  const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(at)};
  char day[16];
  std::snprintf(day, sizeof day, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return {std::string(day), std::string(day, 7)};
}

void BindOptional(Statement& s, int index, const std::optional<int64_t>& value) {
  if (value) {
    s.BindInt64(index, *value);
  } else {
    s.BindNull(index);
  }
}

std::optional<int64_t> OptionalColumn(const Statement& s, int index) {
  return s.ColumnIsNull(index) ? std::nullopt : std::optional<int64_t>(s.ColumnInt64(index));
}

struct Limits {
  std::optional<int64_t> daily, monthly;
};

core::Result<int64_t> Used(CountryCapStatements& s, const std::string& sid,
                           const std::string& country, const std::string& period) {
  const ScopedReset reset(s.usage);
  s.usage.BindText(1, sid);
  s.usage.BindText(2, country);
  s.usage.BindText(3, period);
  auto row = s.usage.Step();
  if (!row) {
    return Fail(std::move(row));
  }
  return *row ? s.usage.ColumnInt64(0) : 0;
}

core::Result<void> Count(CountryCapStatements& s, const std::string& sid,
                         const std::string& country, const std::string& period) {
  const ScopedReset reset(s.count);
  s.count.BindText(1, sid);
  s.count.BindText(2, country);
  s.count.BindText(3, period);
  return s.count.Run();
}

}  // namespace

core::Result<void> CountryCapStatements::Prepare(Db& db) {
  return PrepareEach(db, *this, kWriterStatements);
}

core::Result<void> CountryCapReadStatements::Prepare(Db& db) {
  return PrepareEach(db, *this, kReaderStatements);
}

std::vector<NamedSql> CountryCapSqlForTest() {
  return NamedSqlOf(kWriterStatements, kReaderStatements);
}

core::Result<std::vector<OverCap>> CountAgainstCaps(CountryCapStatements& s,
                                                    std::span<const core::Message> messages) {
  std::vector<OverCap> over;
  if (messages.empty()) {
    return over;
  }
  {
    const ScopedReset reset(s.any);
    auto row = s.any.Step();
    if (!row) {
      return Fail(std::move(row));
    }
    if (s.any.ColumnInt64(0) == 0) {
      return over;  // no account has caps: the usual case costs this one probe
    }
  }
  std::map<std::string, std::map<std::string, Limits>, std::less<>> caps_of;  // by sid, country
  for (size_t i = 0; i < messages.size(); ++i) {
    const core::Message& m = messages[i];
    auto account = caps_of.find(m.sid);
    if (account == caps_of.end()) {
      const ScopedReset reset(s.of_account);
      s.of_account.BindText(1, m.sid);
      std::map<std::string, Limits> caps;
      for (;;) {
        auto row = s.of_account.Step();
        if (!row) {
          return Fail(std::move(row));
        }
        if (!*row) {
          break;
        }
        caps[s.of_account.ColumnText(0)] =
            Limits{OptionalColumn(s.of_account, 1), OptionalColumn(s.of_account, 2)};
      }
      account = caps_of.emplace(m.sid, std::move(caps)).first;
    }
    if (account->second.empty()) {
      continue;
    }
    const std::string country = core::RegionOf(m.recipient);
    auto cap = account->second.find(country);
    if (cap == account->second.end()) {
      continue;
    }
    const auto [day, month] = Periods(m.send_at.value_or(m.created_at));
    auto used_day = Used(s, m.sid, country, day);
    if (!used_day) {
      return Fail(std::move(used_day));
    }
    auto used_month = Used(s, m.sid, country, month);
    if (!used_month) {
      return Fail(std::move(used_month));
    }
    if (cap->second.daily && *used_day >= *cap->second.daily) {
      over.push_back({i, kDailyCapDetails});
      continue;
    }
    if (cap->second.monthly && *used_month >= *cap->second.monthly) {
      over.push_back({i, kMonthlyCapDetails});
      continue;
    }
    for (const std::string* period : {&day, &month}) {
      if (auto counted = Count(s, m.sid, country, *period); !counted) {
        return Fail(std::move(counted));
      }
    }
  }
  return over;
}

core::Result<void> SqliteStore::SetCountryCap(const CountryCap& cap) {
  std::lock_guard lock(write_mu_);
  Writer& w = *writer_;
  return w.InTransaction([&]() -> core::Result<void> {
    if (auto account = w.CheckAccount(cap.sid); !account) {
      return account;
    }
    if (!cap.daily && !cap.monthly) {
      const ScopedReset reset(w.caps.remove);
      w.caps.remove.BindText(1, cap.sid);
      w.caps.remove.BindText(2, cap.country);
      return w.caps.remove.Run();
    }
    const ScopedReset reset(w.caps.upsert);
    w.caps.upsert.BindText(1, cap.sid);
    w.caps.upsert.BindText(2, cap.country);
    BindOptional(w.caps.upsert, 3, cap.daily);
    BindOptional(w.caps.upsert, 4, cap.monthly);
    return w.caps.upsert.Run();
  });
}

core::Result<void> SqliteStore::RemoveCountryCap(std::string_view sid, std::string_view country) {
  std::lock_guard lock(write_mu_);
  return DeleteRows(writer_->caps.remove, {sid, country}, "no cap for " + std::string(country));
}

core::Result<std::vector<CountryCapUsage>> SqliteStore::ListCountryCaps(std::string_view sid,
                                                                        core::TimePoint at) {
  return WithReader([&](ReadConnection& r) -> core::Result<std::vector<CountryCapUsage>> {
    return r.InSnapshot([&]() -> core::Result<std::vector<CountryCapUsage>> {
      if (auto account = CheckAccount(r, sid); !account) {
        return Fail(std::move(account));
      }
      const auto [day, month] = Periods(at);
      Statement& list = r.caps.list;
      const ScopedReset reset(list);
      list.BindText(1, sid);
      list.BindText(2, day);
      list.BindText(3, month);
      return ReadAll<CountryCapUsage>(
          list, [&](const Statement& s) -> core::Result<CountryCapUsage> {
            CountryCapUsage u;
            u.cap = CountryCap{std::string(sid), s.ColumnText(0), OptionalColumn(s, 1),
                               OptionalColumn(s, 2)};
            u.today = s.ColumnInt64(3);
            u.this_month = s.ColumnInt64(4);
            return u;
          });
    });
  });
}

}  // namespace smsgw::store::sqlite
