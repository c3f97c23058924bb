#pragma once
// Small ASCII string helpers shared by parsers. Pure.

#include <string>
#include <string_view>

namespace smsgw::core {

bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string ToUpperAscii(std::string_view s);
std::string_view TrimAscii(std::string_view s);
// `s` with every byte outside printable ASCII (' ' to '~') replaced by '?': a client's text
// (a system_id, an address) made safe for a log line.
std::string PrintableAscii(std::string_view s);

// 0..15 for a hex digit (either case), -1 otherwise.
int HexDigitValue(char c);

// RFC 3986 percent-decoding into `out` (replaced); with `plus_is_space` (form bodies and
// query strings) '+' becomes ' '. False on a '%' not followed by two hex digits.
bool PercentDecode(std::string_view in, std::string& out, bool plus_is_space);

}  // namespace smsgw::core
