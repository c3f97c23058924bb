#pragma once
// Encoding choice and part counting for an outbound text: what the API reports as `encoding`
// and `segments` (Kaleyra contract, `unicode` and "Segments"). Analyze is on the API's hot path;
// it makes one pass over the bytes and allocates nothing unless it returns an error.
// Pure functions; thread-safe.

#include <cstddef>
#include <string_view>

#include "core/message.h"
#include "core/result.h"
#include "text/utf8.h"  // CountCodePoints is part of this API too

namespace smsgw::text {

// Kaleyra `unicode`: AUTO (default), 0 (GSM-7 only), 1 (UCS-2).
enum class UnicodeMode { kAuto, kGsm7, kUcs2 };

struct TextInfo {
  core::Encoding encoding;
  int segments;  // parts with the default 8-bit-reference UDH: 160/153 septets, 70/67 units
  size_t code_points;
  size_t units = 0;  // septets (extension characters count 2) or UTF-16 code units
};

// Validates UTF-8, chooses the encoding by mode, counts parts. kAuto picks GSM-7 when every
// character is in the GSM 03.38 default or extension table, else UCS-2. Errors
// (kInvalidArgument): invalid UTF-8 (the message gives the byte offset), and kGsm7 with a
// character GSM-7 cannot carry (the message names the first one). The empty text is one part.
core::Result<TextInfo> Analyze(std::string_view utf8, UnicodeMode mode);

// The encoding `mode` gives `utf8`; the same rules and errors as Analyze.
core::Result<core::Encoding> ChooseEncoding(std::string_view utf8, UnicodeMode mode);

}  // namespace smsgw::text
