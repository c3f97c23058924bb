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

}  // namespace smsgw::core
