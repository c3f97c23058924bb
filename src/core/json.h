#pragma once
// ParseJson is the one way smsgw reads JSON text, whoever wrote it (API bodies, JSON in form
// fields, stored rows, token endpoints, the simulator's control endpoint). RapidJSON's DOM parser
// recurses once per nesting level, so ~200,000 '[' overflow the stack; this parser runs
// RapidJSON's iterative reader and refuses input that nests deeper than `max_depth` before the
// document grows, so later recursive walks (Accept, CopyFrom) stay shallow too. Pure;
// thread-compatible.

#include <rapidjson/document.h>

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>

namespace smsgw::core {

// Nothing smsgw reads nests deeper than a few levels (a send's callback.retry.interval is 4).
inline constexpr unsigned kMaxJsonDepth = 32;

enum JsonFlags : unsigned {
  kJsonDefault = 0,
  kJsonValidateUtf8 = 1,      // invalid UTF-8 in a string is an error (kInvalidUtf8)
  kJsonNumbersAsStrings = 2,  // numbers become strings spelt as written
};

struct JsonError {
  enum class Kind { kSyntax, kInvalidUtf8, kTooDeep };
  Kind kind = Kind::kSyntax;
  size_t offset = 0;
  std::string message;  // "Malformed JSON at offset 3: ..." or the depth limit, for people
};

// Parses `text` into `out` (any JSON value). On failure `out` is left null.
std::expected<void, JsonError> ParseJson(std::string_view text, rapidjson::Document& out,
                                         unsigned flags = kJsonDefault,
                                         unsigned max_depth = kMaxJsonDepth);

}  // namespace smsgw::core
