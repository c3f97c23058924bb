#include "config/duration.h"

#include <array>
#include <cstdint>

namespace smsgw::config {
namespace {

struct Unit {
  std::string_view name;
  int64_t millis;
};

// Largest first: the order in which units must appear.
constexpr std::array<Unit, 5> kUnits = {
    {{"d", 86'400'000}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1000}, {"ms", 1}}};
constexpr int64_t kMaxMillis = kMaxDuration.count() * 1000;

std::unexpected<core::Error> Bad(std::string_view text, std::string_view why, bool millis) {
  return core::MakeError(core::Errc::kInvalidArgument,
                         "bad duration \"" + std::string(text) + "\": " + std::string(why) +
                             (millis ? " (expected e.g. \"250ms\", \"90s\", \"15m\", \"1m30s\")"
                                     : " (expected e.g. \"90s\", \"15m\", \"2h\", \"92d\", "
                                       "\"1h30m\")"));
}

// The unit at the start of `rest`: "ms" wins over "m" when an 's' follows.
std::string_view UnitAt(std::string_view rest) {
  if (rest.starts_with("ms")) {
    return rest.substr(0, 2);
  }
  return rest.substr(0, 1);
}

// Parses into milliseconds; `millis` says whether the "ms" unit is allowed.
core::Result<int64_t> Parse(std::string_view text, bool millis) {
  const std::string_view units_text = millis ? "d, h, m, s or ms" : "d, h, m or s";
  if (text.empty()) {
    return Bad(text, "empty", millis);
  }
  if (text == "0") {
    return 0;
  }
  int64_t total = 0;
  size_t next_unit = 0;  // index into kUnits of the largest unit still allowed
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] < '0' || text[i] > '9') {
      return Bad(text, "expected a number", millis);
    }
    int64_t number = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      number = number * 10 + (text[i] - '0');
      if (number > kMaxMillis) {
        return Bad(text, "too large (at most " + FormatDuration(kMaxDuration) + ")", millis);
      }
      ++i;
    }
    if (i == text.size()) {
      return Bad(text, "missing unit (" + std::string(units_text) + ")", millis);
    }
    const std::string_view unit = UnitAt(text.substr(i));
    i += unit.size();
    if (unit == "ms" && !millis) {
      return Bad(text, "milliseconds are not allowed here (use d, h, m or s)", millis);
    }
    size_t u = next_unit;
    while (u < kUnits.size() && kUnits[u].name != unit) {
      ++u;
    }
    if (u == kUnits.size()) {
      bool known = false;
      for (const Unit& k : kUnits) {
        known = known || k.name == unit;
      }
      return Bad(text,
                 known ? "units must appear once each, largest first"
                       : "unknown unit (use " + std::string(units_text) + ")",
                 millis);
    }
    next_unit = u + 1;
    if (number > kMaxMillis / kUnits[u].millis) {
      return Bad(text, "too large (at most " + FormatDuration(kMaxDuration) + ")", millis);
    }
    total += number * kUnits[u].millis;
    if (total > kMaxMillis) {
      return Bad(text, "too large (at most " + FormatDuration(kMaxDuration) + ")", millis);
    }
  }
  return total;
}

}  // namespace

core::Result<std::chrono::seconds> ParseDuration(std::string_view text) {
  auto millis = Parse(text, false);
  if (!millis) {
    return std::unexpected(millis.error());
  }
  return std::chrono::seconds{*millis / 1000};
}

core::Result<std::chrono::milliseconds> ParseDurationMillis(std::string_view text) {
  auto millis = Parse(text, true);
  if (!millis) {
    return std::unexpected(millis.error());
  }
  return std::chrono::milliseconds{*millis};
}

std::string FormatDuration(std::chrono::seconds d) {
  return FormatDurationMillis(std::chrono::duration_cast<std::chrono::milliseconds>(d));
}

std::string FormatDurationMillis(std::chrono::milliseconds d) {
  int64_t left = d.count();
  if (left <= 0) {
    return left == 0 ? "0s" : "-" + FormatDurationMillis(-d);
  }
  std::string out;
  for (const Unit& unit : kUnits) {
    if (left >= unit.millis) {
      out += std::to_string(left / unit.millis);
      out += unit.name;
      left %= unit.millis;
    }
  }
  return out;
}

}  // namespace smsgw::config
