#include "core/time.h"

#include <cstdio>
#include <ctime>

namespace smsgw::core {
namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) {
    return false;
  }
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') {
      return false;
    }
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

std::string Format(TimePoint t, const char* pattern) {
  const std::time_t secs =
      std::chrono::system_clock::to_time_t(std::chrono::time_point_cast<std::chrono::seconds>(t));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  const size_t n = std::strftime(buf, sizeof buf, pattern, &tm);
  return std::string(buf, n);
}

}  // namespace

int64_t ToUnixMillis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TimePoint FromUnixMillis(int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

Result<TimePoint> ParseIso8601(std::string_view s) {
  auto bad = [] {
    return MakeError(Errc::kInvalidArgument,
                     "time must be ISO-8601 YYYY-MM-DDTHH:MM:SS+HH:MM (or Z)");
  };
  int year, month, day, hour, minute, second;
  if (s.size() < 20 || !Digits(s, 0, 4, year) || s[4] != '-' || !Digits(s, 5, 2, month) ||
      s[7] != '-' || !Digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !Digits(s, 11, 2, hour) || s[13] != ':' || !Digits(s, 14, 2, minute) || s[16] != ':' ||
      !Digits(s, 17, 2, second)) {
    return bad();
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 59) {
    return bad();
  }
  std::string_view zone = s.substr(19);
  int offset_minutes = 0;
  if (zone == "Z" || zone == "z") {
    offset_minutes = 0;
  } else if (!zone.empty() && (zone[0] == '+' || zone[0] == '-')) {
    int oh, om;
    if (zone.size() == 6 && Digits(zone, 1, 2, oh) && zone[3] == ':' && Digits(zone, 4, 2, om)) {
    } else if (zone.size() == 5 && Digits(zone, 1, 2, oh) && Digits(zone, 3, 2, om)) {
    } else {
      return bad();
    }
    if (oh > 14 || om > 59) {
      return bad();
    }
    offset_minutes = (oh * 60 + om) * (zone[0] == '-' ? -1 : 1);
  } else {
    return bad();
  }
  using namespace std::chrono;
  const sys_days date = year_month_day{std::chrono::year{year}, std::chrono::month{unsigned(month)},
                                       std::chrono::day{unsigned(day)}};
  const auto local = date + hours{hour} + minutes{minute} + seconds{second};
  return TimePoint(local - minutes{offset_minutes});
}

std::string FormatCreatedDateTime(TimePoint t) { return Format(t, "%Y-%m-%d %H:%M:%S+00:00"); }
std::string FormatIso8601(TimePoint t) { return Format(t, "%Y-%m-%dT%H:%M:%S+00:00"); }
std::string FormatUtc(TimePoint t) { return Format(t, "%Y-%m-%d %H:%M:%S"); }

}  // namespace smsgw::core
