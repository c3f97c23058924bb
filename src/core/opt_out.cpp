#include "core/opt_out.h"

#include <algorithm>

#include "core/strings.h"

namespace smsgw::core {
namespace {

bool AnyEquals(const std::vector<std::string>& words, std::string_view text) {
  return std::any_of(words.begin(), words.end(),
                     [&](const std::string& w) { return EqualsIgnoreCase(w, text); });
}

}  // namespace

OptOutCommand OptOutCommandOf(std::string_view text, const OptOutWords& words) {
  text = TrimAscii(text);
  while (!text.empty() && (text.back() == '.' || text.back() == '!')) {
    text.remove_suffix(1);
  }
  if (text.empty() || text.size() > 30 || !IsOptOutWord(text)) {
    return OptOutCommand::kNone;
  }
  if (AnyEquals(words.stop_all, text)) {
    return OptOutCommand::kStopAll;
  }
  if (AnyEquals(words.stop, text)) {
    return OptOutCommand::kStop;
  }
  if (AnyEquals(words.start, text)) {
    return OptOutCommand::kStart;
  }
  return OptOutCommand::kNone;
}

bool IsOptOutWord(std::string_view word) {
  return !word.empty() && word.size() <= 30 && std::all_of(word.begin(), word.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  });
}

}  // namespace smsgw::core
