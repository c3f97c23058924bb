#include "text/smart_encoding.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "text/encoding.h"
#include "text/gsm7.h"
#include "text/utf8.h"

namespace smsgw::text {
namespace {

TEST(SmartReplace, TheContractExampleCostsOneGsm7Segment) {
  const std::string text = "“Hi” — see you…";
  EXPECT_EQ(Analyze(text, UnicodeMode::kAuto)->encoding, core::Encoding::kUcs2);
  const std::string smart = SmartReplace(text);
  EXPECT_EQ(smart, "\"Hi\" - see you...");
  const core::Result<TextInfo> info = Analyze(smart, UnicodeMode::kAuto);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->encoding, core::Encoding::kGsm7);
  EXPECT_EQ(info->segments, 1);
}

TEST(SmartReplace, ReplacesTheCommonLookAlikes) {
  EXPECT_EQ(SmartReplace("it‘s ’quoted’ „low“ «guillemets» ‹one›"),
            "it's 'quoted' \"low\" \"guillemets\" <one>");
  EXPECT_EQ(SmartReplace("a–b—c‒d−e‐f‑g―h"), "a-b-c-d-e-f-g-h");
  EXPECT_EQ(SmartReplace("a\u00A0b\u2009c\u202Fd\u2003e"), "a b c d e");
  EXPECT_EQ(SmartReplace("zero\u200Bwidth\uFEFF soft\u00ADhyphen"), "zerowidth softhyphen");
  EXPECT_EQ(SmartReplace("`code` 5′ 6″ 2×3 • ˆ ˜"), "'code' 5' 6\" 2x3 - ^ ~");
}

TEST(SmartReplace, LeavesEverythingElseAlone) {
  for (const char* text : {"", "plain ASCII {ok}", "Ωmega €5 ÄÖÜ", "नमस्ते", "😀👍🏽",
                           "family 👨\u200D👩\u200D👧", "café á"}) {
    EXPECT_EQ(SmartReplace(text), text);
  }
  // Mixed: only the table characters change.
  EXPECT_EQ(SmartReplace("नमस्ते — “hi”"), "नमस्ते - \"hi\"");
}

TEST(SmartReplace, LeavesInvalidUtf8Untouched) {
  const std::string bad = "“x” \xC0\xAF \xE2\x80";
  EXPECT_EQ(SmartReplace(bad), bad);
  // Removing the soft hyphen (C2 AD) between two stray bytes would have made valid UTF-8 of
  // invalid input (a fuzz_text_analyze finding).
  const std::string joined = "\xC2\xC2\xAD\xAD";
  EXPECT_EQ(SmartReplace(joined), joined);
  EXPECT_FALSE(CountCodePoints(SmartReplace(joined)).has_value());
}

TEST(SmartReplacementTable, EveryEntryTurnsANonGsmCharacterIntoGsm7) {
  EXPECT_GE(SmartReplacements().size(), 30u);
  for (const SmartReplacement& r : SmartReplacements()) {
    SCOPED_TRACE(r.name);
    EXPECT_EQ(GsmSeptets(r.from), 0) << "already GSM-7: " << FormatCodePoint(r.from);
    EXPECT_TRUE(EncodeGsm7(r.to).has_value()) << "replacement is not GSM-7";
    std::string one;
    AppendUtf8(one, r.from);
    EXPECT_EQ(SmartReplace(one), r.to);
  }
}

// README.md documents the table; keep the two in step.
TEST(SmartReplacementTable, IsDocumentedInTheReadme) {
  std::ifstream file(SMSGW_TEXT_SOURCE_DIR "/README.md");
  ASSERT_TRUE(file.good());
  std::stringstream readme;
  readme << file.rdbuf();
  for (const SmartReplacement& r : SmartReplacements()) {
    EXPECT_NE(readme.str().find(FormatCodePoint(r.from)), std::string::npos)
        << FormatCodePoint(r.from) << " " << r.name << " missing from src/text/README.md";
  }
}

}  // namespace
}  // namespace smsgw::text
