#pragma once
// Optional "smart encoding" (off by default; a per-request or per-account choice of the
// caller): typographic look-alikes that would force a whole message into UCS-2 (curly quotes,
// dashes, special spaces, the ellipsis, ...) are replaced by GSM-7 equivalents, so that
// `“Hi” — see you…` costs one GSM-7 part instead of one UCS-2 part of 70. Letters are never
// changed. The table is data (kSmartReplacements in smart_encoding.cpp), listed in
// text/README.md. Pure functions; thread-safe.

#include <span>
#include <string>
#include <string_view>

namespace smsgw::text {

struct SmartReplacement {
  char32_t from;          // a character GSM-7 cannot carry
  std::string_view to;    // its GSM-7 stand-in (UTF-8), possibly empty (invisible chars)
  std::string_view name;  // Unicode name, for the docs and test messages
};

// The table, sorted by `from`.
std::span<const SmartReplacement> SmartReplacements();

// `utf8` with every table character replaced, everything else unchanged. Invalid UTF-8 is
// returned as it is, untouched (Analyze afterwards reports it). Apply before Analyze
// and send the replaced text.
std::string SmartReplace(std::string_view utf8);

}  // namespace smsgw::text
