#pragma once
// Wall-clock time as smsgw stores and prints it, and the injected Clock (after Envoy's TimeSource)
// so that scheduling and expiry logic can be tested without sleeping. Pure; thread-safe.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace smsgw::core {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

// Milliseconds since the Unix epoch: the form stored on disk.
int64_t ToUnixMillis(TimePoint t);
TimePoint FromUnixMillis(int64_t ms);

// Parses Kaleyra's `time` field: `YYYY-MM-DDTHH:MM:SS` followed by `Z` or `±HH:MM` (also `±HHMM`).
// A time without an offset is rejected: the instant would be ambiguous.
Result<TimePoint> ParseIso8601(std::string_view text);

// `2026-11-26 10:42:23+00:00`, the createdDateTime form of Kaleyra's responses (UTC).
std::string FormatCreatedDateTime(TimePoint t);
// `2026-11-26T10:42:23+00:00` (UTC), for echoing `time`.
std::string FormatIso8601(TimePoint t);
// `2026-11-26 10:42:23` (UTC), the callback timestamp form.
std::string FormatUtc(TimePoint t);

}  // namespace smsgw::core
