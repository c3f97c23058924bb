#pragma once
// CountryCapStore holds each account's per-country caps (Kaleyra's "Daily Limit"): at most
// `daily` messages a UTC day and `monthly` a UTC month to recipients of one country (the region
// libphonenumber gives the number). Counting happens where messages are accepted: MessageStore's
// Enqueue counts each message to a capped country against the day and month it is due (its send
// time, else its creation), in the transaction that stores it, and a message over a cap is stored
// NotSent / "DAILY-CAP" or "MONTHLY-CAP" (with its event and webhook): it is never submitted, so
// never charged. A message counts once, when accepted, whatever becomes of it. Calls block and are
// safe from any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace smsgw::store {

struct CountryCap {
  std::string sid;
  std::string country;             // ISO 3166-1 alpha-2, upper case
  std::optional<int64_t> daily;    // nullopt: no daily cap
  std::optional<int64_t> monthly;  // nullopt: no monthly cap

  friend bool operator==(const CountryCap&, const CountryCap&) = default;
};

// A cap with what has been counted against it.
struct CountryCapUsage {
  CountryCap cap;
  int64_t today = 0;       // messages counted for the UTC day of `at`
  int64_t this_month = 0;  // and its UTC month
};

class CountryCapStore {
 public:
  virtual ~CountryCapStore() = default;

  // Sets (creates or replaces) the account's cap for one country; a cap with neither limit is
  // removed. kNotFound when the account does not exist.
  virtual core::Result<void> SetCountryCap(const CountryCap& cap) = 0;
  // kNotFound when the account has no cap for the country.
  virtual core::Result<void> RemoveCountryCap(std::string_view sid, std::string_view country) = 0;
  // The account's caps by country, with what is counted on the UTC day and month of `at`.
  // kNotFound when the account does not exist.
  virtual core::Result<std::vector<CountryCapUsage>> ListCountryCaps(std::string_view sid,
                                                                     core::TimePoint at) = 0;
};

// The NotSent status_details of a message over a cap.
inline constexpr std::string_view kDailyCapDetails = "DAILY-CAP";
inline constexpr std::string_view kMonthlyCapDetails = "MONTHLY-CAP";

}  // namespace smsgw::store
