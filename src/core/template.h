#pragma once
// Message templates: a text with named placeholders that a send fills in from its
// `template_data`, as Kaleyra (and India's DLT registry) define them, and the shape of the template
// ids DLT assigns. Parsing and rendering are pure; a parsed TemplateText is immutable and may be
// shared between threads.
//
// Placeholders are written `{#name#}` (the DLT form) or `<name>` (Kaleyra's older form); a name is
// 1-64 ASCII letters, digits, '_', '-' or '.'. A `<` that does not open a well-formed `<name>` is
// ordinary text ("a < b", "<3"); a `{#` that does not open a well-formed `{#name#}` is an error, so
// that a typo in a template is found when it is registered rather than sent as literal text.

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace smsgw::core {

inline constexpr size_t kMinTemplateIdDigits = 12;
inline constexpr size_t kMaxTemplateIdDigits = 30;
// A template's text, like a body, is at most 4000 characters (code points).
inline constexpr size_t kMaxTemplateTextCodePoints = 4000;
// Each value of template_data is at most 30 characters (code points).
inline constexpr size_t kMaxTemplateValueCodePoints = 30;
inline constexpr size_t kMaxPlaceholderName = 64;

// True for 12 to 30 ASCII digits (a DLT template id).
bool IsValidTemplateId(std::string_view id);

// Placeholder name -> value. std::less<> so that lookups take string_views.
using TemplateValues = std::map<std::string, std::string, std::less<>>;

class TemplateText {
 public:
  // Parses `text` (valid UTF-8, the caller checks). kInvalidArgument for an empty text, one over
  // kMaxTemplateTextCodePoints, or a malformed `{#...#}`; the message says what and where.
  static Result<TemplateText> Parse(std::string_view text);

  // The distinct placeholder names, in order of first use.
  const std::vector<std::string>& placeholders() const { return placeholders_; }

  // The text with every placeholder replaced by its value from `values`. Values are inserted
  // literally: a value that itself contains `{#x#}` or `<x>` is not expanded again. A name used
  // twice gets the same value twice. Keys without a placeholder are ignored. kInvalidArgument,
  // naming the placeholder, when a value is missing or longer than kMaxTemplateValueCodePoints.
  // Values must be valid UTF-8 (the caller checks).
  Result<std::string> Render(const TemplateValues& values) const;

 private:
  struct Piece {
    std::string text;  // literal text, or the placeholder's name
    bool placeholder = false;
  };

  std::vector<Piece> pieces_;
  std::vector<std::string> placeholders_;
  size_t literal_bytes_ = 0;
};

}  // namespace smsgw::core
