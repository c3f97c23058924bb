#pragma once
// Small ASCII string helpers shared by parsers. Pure.

#include <string>
#include <string_view>

namespace smsgw::core {

bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string ToUpperAscii(std::string_view s);
std::string_view TrimAscii(std::string_view s);

}  // namespace smsgw::core
