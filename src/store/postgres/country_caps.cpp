#include "store/postgres/country_caps.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "core/phone_number.h"
#include "store/postgres/changes.h"

namespace smsgw::store::postgres {
namespace {

// Also the probe of the cheap path: when none of the batch's accounts has caps, nothing else runs.
constexpr const char* kCapsOf =
    "SELECT sid, country, daily, monthly FROM country_caps WHERE sid = ANY($1::text[])";
// Creates the missing usage rows at 0 and locks every one, in one order for every transaction, so
// batches counting against the same rows take turns instead of deadlocking. The no-op DO UPDATE
// is what locks an existing row: it waits for a transaction that holds it (or is inserting it) and
// then returns the count that transaction committed, which a plain read could not see.
constexpr const char* kLockUsage =
    "INSERT INTO country_usage (sid, country, period, count) "
    "SELECT sid, country, period, 0 FROM unnest($1::text[], $2::text[], $3::text[]) "
    "AS k(sid, country, period) ORDER BY sid, country, period "
    "ON CONFLICT (sid, country, period) DO UPDATE SET count = country_usage.count "
    "RETURNING sid, country, period, count";
// Only on rows kLockUsage locked in this transaction: it never waits.
constexpr const char* kCount =
    "UPDATE country_usage AS u SET count = u.count + d.n "
    "FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS d(sid, country, period, n) "
    "WHERE u.sid = d.sid AND u.country = d.country AND u.period = d.period";
constexpr const char* kUpsert =
    "INSERT INTO country_caps (sid, country, daily, monthly) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (sid, country) DO UPDATE SET daily = excluded.daily, monthly = excluded.monthly";
constexpr const char* kRemove = "DELETE FROM country_caps WHERE sid = $1 AND country = $2";
// From the account, so that no row at all means no account, and one row with a NULL country an
// account without caps.
constexpr const char* kList =
    "SELECT c.country, c.daily, c.monthly, coalesce(d.count, 0), coalesce(m.count, 0) "
    "FROM accounts a LEFT JOIN country_caps c ON c.sid = a.sid "
    "LEFT JOIN country_usage d ON d.sid = c.sid AND d.country = c.country AND d.period = $2 "
    "LEFT JOIN country_usage m ON m.sid = c.sid AND m.country = c.country AND m.period = $3 "
    "WHERE a.sid = $1 ORDER BY c.country";

// The periods a time counts in: "2026-12-05" (its UTC day) and "2026-12" (its UTC month), as
// SQLite stores them.
std::pair<std::string, std::string> Periods(core::TimePoint at) {
  const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(at)};
  char day[16];
  std::snprintf(day, sizeof day, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return {std::string(day), std::string(day, 7)};
}

struct Limits {
  std::optional<int64_t> daily, monthly;
};

using UsageKey = std::tuple<std::string, std::string, std::string>;  // sid, country, period
using Usage = std::map<UsageKey, int64_t>;

// A capped message of the batch and the usage rows it counts in.
struct Capped {
  size_t index;
  const Limits* limits;
  Usage::iterator day, month;
};

// The sid, country and period arrays of `usage`'s keys, with `extra` appended per key.
Params KeyArrays(const Usage& usage, ArrayParam* extra = nullptr) {
  ArrayParam sids, countries, periods;
  for (const auto& [key, value] : usage) {
    sids.Text(std::get<0>(key));
    countries.Text(std::get<1>(key));
    periods.Text(std::get<2>(key));
    if (extra != nullptr) {
      extra->Int(value);
    }
  }
  Params params;
  params.Text(sids.Finish()).Text(countries.Finish()).Text(periods.Finish());
  if (extra != nullptr) {
    params.Text(extra->Finish());
  }
  return params;
}

}  // namespace

core::Result<std::vector<OverCap>> CountAgainstCaps(Connection& conn,
                                                    std::span<const core::Message> messages) {
  std::vector<OverCap> over;
  if (messages.empty()) {
    return over;
  }
  std::set<std::string_view> sids;
  for (const core::Message& m : messages) {
    sids.insert(m.sid);
  }
  auto rows = conn.Exec(kCapsOf, Params().Text(TextArray(sids)));
  if (!rows) {
    return Fail(std::move(rows));
  }
  if (rows->rows() == 0) {
    return over;  // the usual case: this one probe
  }
  std::map<std::string, std::map<std::string, Limits>, std::less<>> caps_of;  // by sid, country
  for (int i = 0; i < rows->rows(); ++i) {
    caps_of[rows->Text(i, 0)][rows->Text(i, 1)] = Limits{rows->OptInt(i, 2), rows->OptInt(i, 3)};
  }

  Usage usage;  // each row the batch counts in, by key: its count once locked
  std::vector<Capped> capped;
  for (size_t i = 0; i < messages.size(); ++i) {
    const core::Message& m = messages[i];
    auto account = caps_of.find(m.sid);
    if (account == caps_of.end()) {
      continue;
    }
    // libphonenumber costs ~20 us a number: only for accounts with caps.
    std::string country = core::RegionOf(m.recipient);
    auto cap = account->second.find(country);
    if (cap == account->second.end()) {
      continue;
    }
    auto [day, month] = Periods(m.send_at.value_or(m.created_at));
    auto day_row = usage.try_emplace(UsageKey{m.sid, country, std::move(day)}, 0).first;
    auto month_row =
        usage.try_emplace(UsageKey{m.sid, std::move(country), std::move(month)}, 0).first;
    capped.push_back(Capped{i, &cap->second, day_row, month_row});
  }
  if (capped.empty()) {
    return over;
  }

  auto locked = conn.Exec(kLockUsage, KeyArrays(usage));
  if (!locked) {
    return Fail(std::move(locked));
  }
  // Every row comes back, once: the keys are distinct, and each was inserted or updated.
  if (locked->rows() != static_cast<int>(usage.size())) {
    return core::MakeError(core::Errc::kInternal, "locked " + std::to_string(locked->rows()) +
                                                      " country usage rows of " +
                                                      std::to_string(usage.size()));
  }
  for (int i = 0; i < locked->rows(); ++i) {
    auto row = usage.find(UsageKey{locked->Text(i, 0), locked->Text(i, 1), locked->Text(i, 2)});
    if (row == usage.end()) {
      return core::MakeError(core::Errc::kInternal,
                             "locked a country usage row not asked for: " + locked->Text(i, 0) +
                                 " " + locked->Text(i, 1) + " " + locked->Text(i, 2));
    }
    row->second = locked->Int(i, 3);
  }

  Usage added;
  for (const Capped& c : capped) {
    if (c.limits->daily && c.day->second >= *c.limits->daily) {
      over.push_back({c.index, kDailyCapDetails});
      continue;
    }
    if (c.limits->monthly && c.month->second >= *c.limits->monthly) {
      over.push_back({c.index, kMonthlyCapDetails});
      continue;
    }
    for (const Usage::iterator& row : {c.day, c.month}) {
      ++row->second;
      ++added[row->first];
    }
  }
  if (added.empty()) {
    return over;
  }
  ArrayParam increments;
  if (auto counted = conn.Exec(kCount, KeyArrays(added, &increments)); !counted) {
    return Fail(std::move(counted));
  }
  return over;
}

core::Result<void> CountryCaps::SetCountryCap(const CountryCap& cap) {
  return pool_.InTransaction([&](Connection& conn) -> core::Result<void> {
    if (auto account = LockAccount(conn, cap.sid); !account) {
      return account;
    }
    auto changed =
        !cap.daily && !cap.monthly
            ? conn.Exec(kRemove, Params().Text(cap.sid).Text(cap.country))
            : conn.Exec(
                  kUpsert,
                  Params().Text(cap.sid).Text(cap.country).OptInt(cap.daily).OptInt(cap.monthly));
    if (!changed) {
      return Fail(std::move(changed));
    }
    return {};
  });
}

core::Result<void> CountryCaps::RemoveCountryCap(std::string_view sid, std::string_view country) {
  return pool_.InTransaction([&](Connection& conn) -> core::Result<void> {
    auto removed = conn.Exec(kRemove, Params().Text(sid).Text(country));
    if (!removed) {
      return Fail(std::move(removed));
    }
    if (removed->affected() == 0) {
      return core::MakeError(core::Errc::kNotFound, "no cap for " + std::string(country));
    }
    return {};
  });
}

core::Result<std::vector<CountryCapUsage>> CountryCaps::ListCountryCaps(std::string_view sid,
                                                                        core::TimePoint at) {
  const auto [day, month] = Periods(at);
  auto rows = pool_.Read(kList, Params().Text(sid).Text(day).Text(month));
  if (!rows) {
    return Fail(std::move(rows));
  }
  if (rows->rows() == 0) {
    return core::MakeError(core::Errc::kNotFound, NoAccount(sid));
  }
  std::vector<CountryCapUsage> caps;
  for (int i = 0; i < rows->rows(); ++i) {
    if (rows->IsNull(i, 0)) {
      continue;  // the account's row when it has no caps
    }
    CountryCapUsage u;
    u.cap = CountryCap{std::string(sid), rows->Text(i, 0), rows->OptInt(i, 1), rows->OptInt(i, 2)};
    u.today = rows->Int(i, 3);
    u.this_month = rows->Int(i, 4);
    caps.push_back(std::move(u));
  }
  return caps;
}

}  // namespace smsgw::store::postgres
