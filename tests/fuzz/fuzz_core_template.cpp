// Fuzzes template parsing and rendering (core/template.h) with arbitrary template text. A text
// that parses must render with every placeholder given; rendering with each placeholder's own
// `{#name#}` form as its value must yield a text that parses to the same placeholders (values are
// inserted literally, never re-expanded, and cannot merge with the text around them into a new
// placeholder); a value over 30 characters must be refused.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "core/template.h"

namespace {

using namespace smsgw;  // NOLINT: a fuzz driver, not library code

void Check(bool ok) {
  if (!ok) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const core::Result<core::TemplateText> parsed = core::TemplateText::Parse(text);
  if (!parsed.has_value()) {
    Check(!parsed.error().message.empty());
    return 0;
  }
  const auto& names = parsed->placeholders();
  Check(std::set<std::string>(names.begin(), names.end()).size() == names.size());

  core::TemplateValues empty, own, too_long;
  bool all_short = true;
  for (const std::string& name : names) {
    empty[name] = "";
    too_long[name] = std::string(31, 'x');
    own[name] = "{#" + name + "#}";
    all_short = all_short && name.size() <= 26;
  }
  const core::Result<std::string> plain = parsed->Render(empty);
  Check(plain.has_value() && plain->size() <= text.size());
  Check(parsed->Render(too_long).has_value() == names.empty());
  if (!names.empty()) {
    core::TemplateValues missing = empty;
    missing.erase(names.back());
    Check(!parsed->Render(missing).has_value());
  }
  if (all_short) {
    const core::Result<std::string> self = parsed->Render(own);
    Check(self.has_value());
    const core::Result<core::TemplateText> again = core::TemplateText::Parse(*self);
    // A text of up to 4000 characters can grow past the limit; then only the limit is refused.
    if (again.has_value()) {
      Check(again->placeholders() == names);
    } else {
      Check(self->size() > core::kMaxTemplateTextCodePoints);
    }
  }
  return 0;
}
