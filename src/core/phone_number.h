#pragma once
// Recipient numbers: Kaleyra's `to` / `prefix` rules on top of libphonenumber, the reference
// validator (we do not hand-roll numbering plans). Thread-safe: libphonenumber's PhoneNumberUtil
// is a thread-safe singleton.

#include <string>
#include <string_view>

#include "core/result.h"

namespace smsgw::core {

// Normalises one `to` entry to E.164 digits without '+', or kInvalidArgument.
//  - separators (space, '-', '.', '(', ')') are ignored;
//  - "+CC..." is international as written;
//  - otherwise `prefix` ("+91", "91" or empty) is put in front unless the digits already start
//    with it; with no prefix the digits are read as country code + national number.
// Only numbers libphonenumber considers valid are accepted.
Result<std::string> NormalizePhoneNumber(std::string_view raw, std::string_view prefix);

// The ISO 3166-1 alpha-2 region of a valid E.164 number (digits without '+'), as libphonenumber
// places it ("IN", "US", "CA" for the +1 numbers it can tell apart); "" when it cannot. ~20 us.
std::string RegionOf(std::string_view e164_digits);

// Whether `iso` is an upper-case region code libphonenumber has a calling code for ("IN").
bool IsKnownRegion(std::string_view iso);

}  // namespace smsgw::core
