#pragma once
// Per-country caps as clients see them (docs/api/country-caps.md): the path's country and the
// body of `PUT /ext/v1/{sid}/country-caps/{country}` (also what `smsgw country-cap set` checks),
// and the JSON of caps with their usage. Pure; thread-compatible.

#include <rapidjson/document.h>

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/errors.h"
#include "store/country_cap_store.h"

namespace smsgw::api {

inline constexpr int64_t kMaxCountryCap = 100'000'000;

// An ISO 3166-1 alpha-2 code libphonenumber knows, any case, upper-cased; nullopt otherwise.
std::optional<std::string> CountryCode(std::string_view text);

// {"daily": 1..100000000 | null, "monthly": 1..100000000 | null} (absent is null; numbers may be
// strings) for `country` (E456 when unknown). Both null removes the cap.
std::expected<store::CountryCap, FieldErrors> ValidateCountryCap(const rapidjson::Value& fields,
                                                                 std::string_view sid,
                                                                 std::string_view country);

// {"country", "daily": n | null, "monthly": n | null, "used_today", "used_this_month"}
std::string CountryCapJson(const store::CountryCapUsage& cap);
// {"totalCount": n, "data": [cap, ...], "error": {}}
std::string CountryCapListJson(const std::vector<store::CountryCapUsage>& caps);

}  // namespace smsgw::api
