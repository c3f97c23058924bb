#include "core/opt_out.h"

#include <gtest/gtest.h>

namespace smsgw::core {
namespace {

TEST(OptOutCommandOf, TheWholeTextIsTheCommand) {
  const OptOutWords words;
  EXPECT_EQ(OptOutCommandOf("STOP", words), OptOutCommand::kStop);
  EXPECT_EQ(OptOutCommandOf("  stop.\r\n", words), OptOutCommand::kStop);
  EXPECT_EQ(OptOutCommandOf("Unsubscribe!", words), OptOutCommand::kStop);
  EXPECT_EQ(OptOutCommandOf("StopAll", words), OptOutCommand::kStopAll);
  EXPECT_EQ(OptOutCommandOf("start", words), OptOutCommand::kStart);
  for (const char* text : {"", "stop by tomorrow", "STOP STOP", "stopp", "ST OP", "¡STOP", "STOP?",
                           "\xE2\x80\x8BSTOP"}) {
    EXPECT_EQ(OptOutCommandOf(text, words), OptOutCommand::kNone) << text;
  }
}

TEST(OptOutCommandOf, WordsAreConfigurable) {
  OptOutWords words;
  words.stop = {"HALT", "ARRET"};
  words.stop_all = {};
  words.start = {"GO"};
  EXPECT_EQ(OptOutCommandOf("arret", words), OptOutCommand::kStop);
  EXPECT_EQ(OptOutCommandOf("STOP", words), OptOutCommand::kNone);
  EXPECT_EQ(OptOutCommandOf("STOPALL", words), OptOutCommand::kNone);
  EXPECT_EQ(OptOutCommandOf("go", words), OptOutCommand::kStart);
}

TEST(IsOptOutWord, LettersAndDigits) {
  EXPECT_TRUE(IsOptOutWord("STOP"));
  EXPECT_TRUE(IsOptOutWord("stop2"));
  EXPECT_FALSE(IsOptOutWord(""));
  EXPECT_FALSE(IsOptOutWord("STOP ALL"));
  EXPECT_FALSE(IsOptOutWord(std::string(31, 'A')));
}

}  // namespace
}  // namespace smsgw::core
