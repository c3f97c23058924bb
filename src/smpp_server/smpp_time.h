#pragma once
// SMPP 3.4 §7.1.1 time strings, as a customer sends them in schedule_delivery_time and
// validity_period: absolute "YYMMDDhhmmsstnnp" (p '+' or '-': nn quarter hours ahead of or behind
// UTC) and relative "YYMMDDhhmmss000R" (years, months, days, ... from now). The field is
// untrusted: anything that is not exactly one of these forms is refused, never guessed at. Pure;
// thread-safe.

#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"

namespace smsgw::smpp_server {

// The instant `text` names, with `now` the SMSC's time a relative form counts from. An empty
// text is nullopt (the field is NULL: "immediately" / "the SMSC's default"). Refused, with a
// reason for the log: a length other than 16, a non-digit where a digit belongs, a month, day,
// hour, minute or second out of range (a day the month does not have, too), an offset above 48
// quarter hours, a last character other than '+', '-' or 'R'. Years are 2000 + YY. A relative
// month or year is a calendar one; a day past the end of the target month is its last day.
std::expected<std::optional<core::TimePoint>, std::string> ParseSmppTime(std::string_view text,
                                                                         core::TimePoint now);

// `t` in the absolute UTC form, "YYMMDDhhmmss000+" (tenths dropped); for tests and logs.
std::string FormatSmppTime(core::TimePoint t);

}  // namespace smsgw::smpp_server
