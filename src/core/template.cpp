#include "core/template.h"

#include <algorithm>

namespace smsgw::core {
namespace {

bool IsNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

// The length of the placeholder name at the start of `s` (0 if none), up to kMaxPlaceholderName
// + 1 so that an over-long name is seen as such.
size_t NameLength(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && n <= kMaxPlaceholderName && IsNameChar(s[n])) {
    ++n;
  }
  return n;
}

// Code points of valid UTF-8: every byte that is not a continuation byte starts one.
size_t CodePoints(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

bool IsValidTemplateId(std::string_view id) {
  return id.size() >= kMinTemplateIdDigits && id.size() <= kMaxTemplateIdDigits &&
         std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<TemplateText> TemplateText::Parse(std::string_view text) {
  if (text.empty()) {
    return MakeError(Errc::kInvalidArgument, "the template text is empty");
  }
  if (CodePoints(text) > kMaxTemplateTextCodePoints) {
    return MakeError(Errc::kInvalidArgument, "the template text is longer than " +
                                                 std::to_string(kMaxTemplateTextCodePoints) +
                                                 " characters");
  }
  TemplateText out;
  std::string literal;
  auto add_placeholder = [&](std::string_view name) {
    if (!literal.empty()) {
      out.literal_bytes_ += literal.size();
      out.pieces_.push_back({std::move(literal), false});
      literal.clear();
    }
    out.pieces_.push_back({std::string(name), true});
    if (std::find(out.placeholders_.begin(), out.placeholders_.end(), name) ==
        out.placeholders_.end()) {
      out.placeholders_.emplace_back(name);
    }
  };
  size_t i = 0;
  while (i < text.size()) {
    const std::string_view rest = text.substr(i);
    if (rest.starts_with("{#")) {
      const size_t n = NameLength(rest.substr(2));
      if (n == 0 || n > kMaxPlaceholderName || !rest.substr(2 + n).starts_with("#}")) {
        return MakeError(Errc::kInvalidArgument,
                         "malformed placeholder at byte " + std::to_string(i) +
                             ": write {#name#} with a name of 1-64 letters, digits, '_', '-' "
                             "or '.'");
      }
      add_placeholder(rest.substr(2, n));
      i += 2 + n + 2;
      continue;
    }
    if (rest.starts_with('<')) {
      const size_t n = NameLength(rest.substr(1));
      if (n > 0 && n <= kMaxPlaceholderName && rest.substr(1 + n).starts_with('>')) {
        add_placeholder(rest.substr(1, n));
        i += 1 + n + 1;
        continue;
      }
    }
    literal.push_back(text[i]);
    ++i;
  }
  if (!literal.empty()) {
    out.literal_bytes_ += literal.size();
    out.pieces_.push_back({std::move(literal), false});
  }
  return out;
}

Result<std::string> TemplateText::Render(const TemplateValues& values) const {
  // Check every placeholder first, so the error names the first one in the text that fails.
  for (const std::string& name : placeholders_) {
    auto it = values.find(name);
    if (it == values.end()) {
      return MakeError(Errc::kInvalidArgument, "template_data has no value for {#" + name + "#}");
    }
    if (CodePoints(it->second) > kMaxTemplateValueCodePoints) {
      return MakeError(Errc::kInvalidArgument, "template_data." + name + " is longer than " +
                                                   std::to_string(kMaxTemplateValueCodePoints) +
                                                   " characters");
    }
  }
  std::string out;
  out.reserve(literal_bytes_ + 16 * placeholders_.size());
  for (const Piece& piece : pieces_) {
    out += piece.placeholder ? values.find(piece.text)->second : piece.text;
  }
  return out;
}

}  // namespace smsgw::core
