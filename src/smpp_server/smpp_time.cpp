#include "smpp_server/smpp_time.h"

#include <chrono>
#include <cstdio>

namespace smsgw::smpp_server {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// §7.1.1: "YYMMDDhhmmsstnnp".
constexpr size_t kLength = 16;

// The two digits at `at`, or -1 when either is not a digit.
int Two(std::string_view s, size_t at) {
  const char a = s[at];
  const char b = s[at + 1];
  if (a < '0' || a > '9' || b < '0' || b > '9') {
    return -1;
  }
  return (a - '0') * 10 + (b - '0');
}

// `from` plus whole calendar years and months (the day clamped to the target month's last),
// keeping the time of day.
core::TimePoint AddMonths(core::TimePoint from, int months) {
  const auto day_start = std::chrono::floor<days>(from);
  const std::chrono::year_month_day ymd{day_start};
  std::chrono::year_month_day target = ymd + std::chrono::months(months);
  if (!target.ok()) {
    target = target.year() / target.month() / std::chrono::last;
  }
  return std::chrono::sys_days{target} + (from - day_start);
}

}  // namespace

std::expected<std::optional<core::TimePoint>, std::string> ParseSmppTime(std::string_view text,
                                                                         core::TimePoint now) {
  if (text.empty()) {
    return std::nullopt;
  }
  if (text.size() != kLength) {
    return std::unexpected("must be 16 characters, not " + std::to_string(text.size()));
  }
  int f[6];  // YY MM DD hh mm ss
  for (size_t i = 0; i < 6; ++i) {
    f[i] = Two(text, i * 2);
    if (f[i] < 0) {
      return std::unexpected("a non-digit in the first 12 characters");
    }
  }
  const char tenths = text[12];
  const int quarters = Two(text, 13);
  if (tenths < '0' || tenths > '9' || quarters < 0) {
    return std::unexpected("characters 13 to 15 (tnn) must be digits");
  }
  const char p = text[15];
  if (p == 'R') {
    // §7.1.1.2: a relative period; "tnn" is unused (sent as "000"), and the fields are not
    // bounded like a date's: "000000990000000R" is 99 hours.
    core::TimePoint at = AddMonths(now, f[0] * 12 + f[1]);
    at += days(f[2]) + hours(f[3]) + minutes(f[4]) + seconds(f[5]);
    return at;
  }
  if (p != '+' && p != '-') {
    return std::unexpected("the last character must be '+', '-' or 'R'");
  }
  if (quarters > 48) {
    return std::unexpected("the UTC offset is above 48 quarter hours");
  }
  const std::chrono::year_month_day date{std::chrono::year(2000 + f[0]),
                                         std::chrono::month(static_cast<unsigned>(f[1])),
                                         std::chrono::day(static_cast<unsigned>(f[2]))};
  if (!date.ok()) {
    return std::unexpected("no such date");
  }
  if (f[3] > 23 || f[4] > 59 || f[5] > 59) {
    return std::unexpected("no such time of day");
  }
  const core::TimePoint local = std::chrono::sys_days{date} + hours(f[3]) + minutes(f[4]) +
                                seconds(f[5]) + milliseconds(100 * (tenths - '0'));
  // Local time is UTC + offset ('+') or UTC - offset ('-').
  const minutes offset = minutes(15 * quarters);
  return p == '+' ? local - offset : local + offset;
}

std::string FormatSmppTime(core::TimePoint t) {
  const auto day_start = std::chrono::floor<days>(t);
  const std::chrono::year_month_day ymd{day_start};
  const std::chrono::hh_mm_ss hms{std::chrono::floor<seconds>(t - day_start)};
  char out[128];  // room for every int the format could print: GCC 12 -O3 checks
  std::snprintf(out, sizeof out, "%02d%02u%02u%02ld%02ld%02ld000+",
                static_cast<int>(ymd.year()) % 100, static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long>(hms.hours().count()),
                static_cast<long>(hms.minutes().count()), static_cast<long>(hms.seconds().count()));
  return out;
}

}  // namespace smsgw::smpp_server
