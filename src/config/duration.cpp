#include "config/duration.h"

#include <array>
#include <cstdint>

namespace smsgw::config {
namespace {

struct Unit {
  char name;
  int64_t seconds;
};

// Largest first: the order in which units must appear.
constexpr std::array<Unit, 4> kUnits = {{{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}}};

core::Result<std::chrono::seconds> Bad(std::string_view text, std::string_view why) {
  return core::MakeError(core::Errc::kInvalidArgument,
                         "bad duration \"" + std::string(text) + "\": " + std::string(why) +
                             " (expected e.g. \"90s\", \"15m\", \"2h\", \"92d\", \"1h30m\")");
}

}  // namespace

core::Result<std::chrono::seconds> ParseDuration(std::string_view text) {
  if (text.empty()) {
    return Bad(text, "empty");
  }
  if (text == "0") {
    return std::chrono::seconds{0};
  }
  int64_t total = 0;
  size_t next_unit = 0;  // index into kUnits of the largest unit still allowed
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] < '0' || text[i] > '9') {
      return Bad(text, "expected a number");
    }
    int64_t number = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      number = number * 10 + (text[i] - '0');
      if (number > kMaxDuration.count()) {
        return Bad(text, "too large (at most " + FormatDuration(kMaxDuration) + ")");
      }
      ++i;
    }
    if (i == text.size()) {
      return Bad(text, "missing unit (d, h, m or s)");
    }
    const char unit = text[i++];
    size_t u = next_unit;
    while (u < kUnits.size() && kUnits[u].name != unit) {
      ++u;
    }
    if (u == kUnits.size()) {
      bool known = false;
      for (const Unit& k : kUnits) {
        known = known || k.name == unit;
      }
      return Bad(text, known ? "units must appear once each, largest first"
                             : "unknown unit (use d, h, m or s)");
    }
    next_unit = u + 1;
    total += number * kUnits[u].seconds;
    if (total > kMaxDuration.count()) {
      return Bad(text, "too large (at most " + FormatDuration(kMaxDuration) + ")");
    }
  }
  return std::chrono::seconds{total};
}

std::string FormatDuration(std::chrono::seconds d) {
  int64_t left = d.count();
  if (left <= 0) {
    return left == 0 ? "0s" : "-" + FormatDuration(-d);
  }
  std::string out;
  for (const Unit& unit : kUnits) {
    if (left >= unit.seconds) {
      out += std::to_string(left / unit.seconds);
      out += unit.name;
      left %= unit.seconds;
    }
  }
  return out;
}

}  // namespace smsgw::config
