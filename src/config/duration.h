#pragma once
// Durations as written in the config file: a number and a unit, optionally several in falling
// order: "90s", "15m", "2h", "92d", "1h30m", "1d12h"; where a setting is finer than a second,
// also "ms": "250ms", "1s500ms". Pure; thread-safe.

#include <chrono>
#include <string>
#include <string_view>

#include "core/result.h"

namespace smsgw::config {

// The largest duration accepted (3650 days): far beyond any sensible setting, and far from
// overflowing the clocks it is added to.
inline constexpr std::chrono::seconds kMaxDuration{3650LL * 24 * 3600};

// Units: d (days), h, m, s. Each unit appears at most once, larger units first; "0" alone is
// zero. No sign, no spaces, no fractions.
core::Result<std::chrono::seconds> ParseDuration(std::string_view text);

// As ParseDuration, with "ms" (milliseconds) allowed as the last unit: "1s500ms", "250ms".
core::Result<std::chrono::milliseconds> ParseDurationMillis(std::string_view text);

// The shortest form ParseDuration reads back: "0s", "15m", "92d", "1h30m".
std::string FormatDuration(std::chrono::seconds d);

// The shortest form ParseDurationMillis reads back: "0s", "250ms", "1s500ms", "5m".
std::string FormatDurationMillis(std::chrono::milliseconds d);

}  // namespace smsgw::config
