#pragma once
// Opt-out commands a handset sends by SMS: an MO whose whole text is one of the stop words
// ("STOP", "UNSUBSCRIBE") opts the handset out of the sender it was sent to, a stop-all word
// ("STOPALL") out of every sender of the account, a start word ("START") back in. The text may
// have white space around it and a final '.' or '!'; case does not matter. A longer text ("stop
// by tomorrow") is not a command. Pure; thread-safe.

#include <string>
#include <string_view>
#include <vector>

namespace smsgw::core {

enum class OptOutCommand { kNone, kStop, kStopAll, kStart };

struct OptOutWords {
  std::vector<std::string> stop{"STOP", "UNSUBSCRIBE"};
  std::vector<std::string> stop_all{"STOPALL"};
  std::vector<std::string> start{"START"};
};

OptOutCommand OptOutCommandOf(std::string_view text, const OptOutWords& words);

// Whether `word` may be configured as one: 1 to 30 ASCII letters and digits.
bool IsOptOutWord(std::string_view word);

}  // namespace smsgw::core
