#include "text/encoding.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

// The replaced global operator new/delete below pair malloc with free; GCC 12 at -O2 inlines
// them into gtest's `new TestClass` and wrongly reports a new/free mismatch.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace {
// Counts heap allocations so a test can prove Analyze allocates nothing for GSM text.
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) {
    return p;
  }
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace smsgw::text {
namespace {

std::string Repeat(std::string_view unit, size_t times) {
  std::string out;
  for (size_t i = 0; i < times; ++i) {
    out += unit;
  }
  return out;
}

TextInfo Auto(const std::string& text) {
  const core::Result<TextInfo> info = Analyze(text, UnicodeMode::kAuto);
  EXPECT_TRUE(info.has_value()) << info.error().message;
  return info.value_or(TextInfo{core::Encoding::kBinary, -1, 0});
}

TEST(Analyze, ChoosesGsm7WhenEveryCharacterIsInEitherTable) {
  const TextInfo info = Auto("Hello {world} €5 ^_^ Ωmega\f");
  EXPECT_EQ(info.encoding, core::Encoding::kGsm7);
  EXPECT_EQ(info.segments, 1);
  EXPECT_EQ(info.code_points, 27u);
  EXPECT_EQ(info.units, 27u + 6u);  // { } € ^ ^ \f: six extension characters cost two each
}

TEST(Analyze, ChoosesUcs2ForAnythingElse) {
  for (const char* text : {"नमस्ते", "مرحبا", "你好", "Hi 😀", "tab\there", "`code`", "ça va"}) {
    EXPECT_EQ(Auto(text).encoding, core::Encoding::kUcs2) << text;
  }
  const TextInfo emoji = Auto("😀");
  EXPECT_EQ(emoji.code_points, 1u);
  EXPECT_EQ(emoji.units, 2u);
}

TEST(Analyze, ForcedUcs2CountsUtf16Units) {
  const core::Result<TextInfo> info = Analyze(Repeat("a", 71), UnicodeMode::kUcs2);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->encoding, core::Encoding::kUcs2);
  EXPECT_EQ(info->segments, 2);
  EXPECT_EQ(info->units, 71u);
}

TEST(Analyze, ForcedGsm7RejectsNamingTheFirstOffendingCharacter) {
  const core::Result<TextInfo> info = Analyze("Namaste हिन्दी", UnicodeMode::kGsm7);
  ASSERT_FALSE(info.has_value());
  EXPECT_EQ(info.error().code, core::Errc::kInvalidArgument);
  EXPECT_EQ(info.error().message,
            "unicode=0 but the body contains 'ह' (U+0939), which GSM-7 cannot carry");
  const core::Result<TextInfo> ok = Analyze("Plain {text} €", UnicodeMode::kGsm7);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->encoding, core::Encoding::kGsm7);
  const auto tab = Analyze("a\tb", UnicodeMode::kGsm7);
  ASSERT_FALSE(tab.has_value());
  EXPECT_NE(tab.error().message.find("U+0009"), std::string::npos);
}

TEST(Analyze, InvalidUtf8IsAnErrorInEveryMode) {
  for (UnicodeMode mode : {UnicodeMode::kAuto, UnicodeMode::kGsm7, UnicodeMode::kUcs2}) {
    const core::Result<TextInfo> info = Analyze("Hello \xC0\xAF", mode);
    ASSERT_FALSE(info.has_value());
    EXPECT_EQ(info.error().code, core::Errc::kInvalidArgument);
    EXPECT_NE(info.error().message.find("invalid UTF-8 at byte offset 6"), std::string::npos)
        << info.error().message;
  }
  EXPECT_FALSE(ChooseEncoding("\xED\xA0\x80", UnicodeMode::kAuto).has_value());
}

TEST(Analyze, EmptyTextIsOneEmptyPart) {
  const TextInfo info = Auto("");
  EXPECT_EQ(info.encoding, core::Encoding::kGsm7);
  EXPECT_EQ(info.segments, 1);
  EXPECT_EQ(info.code_points, 0u);
}

TEST(AnalyzeGsm7Boundaries, SingleAndConcatenated) {
  EXPECT_EQ(Auto(Repeat("a", 160)).segments, 1);
  EXPECT_EQ(Auto(Repeat("a", 161)).segments, 2);
  for (size_t n = 2; n <= 6; ++n) {
    SCOPED_TRACE(n);
    EXPECT_EQ(Auto(Repeat("a", 153 * n)).segments, static_cast<int>(n));
    EXPECT_EQ(Auto(Repeat("a", 153 * n + 1)).segments, static_cast<int>(n + 1));
  }
}

TEST(AnalyzeGsm7Boundaries, ExtensionCharactersCountTwoAndStayWithTheirEscape) {
  EXPECT_EQ(Auto(Repeat("a", 158) + "€").segments, 1);  // 160 septets
  EXPECT_EQ(Auto(Repeat("a", 159) + "€").segments, 2);  // 161 septets
  EXPECT_EQ(Auto(Repeat("€", 80)).segments, 1);
  EXPECT_EQ(Auto(Repeat("€", 81)).segments, 2);
  // 305 septets fit in two parts when the escape lands on the boundary: 152 | 2+151.
  EXPECT_EQ(Auto(Repeat("a", 152) + "€" + Repeat("a", 151)).segments, 2);
  // 306 septets would be exactly 2×153, but the '€' cannot straddle: 152 | 154 → three parts.
  const TextInfo straddle = Auto(Repeat("a", 152) + "€" + Repeat("a", 152));
  EXPECT_EQ(straddle.units, 306u);
  EXPECT_EQ(straddle.segments, 3);
  // The same length with the '€' elsewhere is two parts.
  EXPECT_EQ(Auto("€" + Repeat("a", 304)).segments, 2);
}

TEST(AnalyzeUcs2Boundaries, SingleAndConcatenated) {
  EXPECT_EQ(Auto(Repeat("ह", 70)).segments, 1);
  EXPECT_EQ(Auto(Repeat("ह", 71)).segments, 2);
  for (size_t n = 2; n <= 6; ++n) {
    SCOPED_TRACE(n);
    EXPECT_EQ(Auto(Repeat("中", 67 * n)).segments, static_cast<int>(n));
    EXPECT_EQ(Auto(Repeat("中", 67 * n + 1)).segments, static_cast<int>(n + 1));
  }
  EXPECT_EQ(Auto(Repeat("م", 134)).segments, 2);
  EXPECT_EQ(Auto(Repeat("م", 135)).segments, 3);
}

TEST(AnalyzeUcs2Boundaries, SurrogatePairsCountTwoAndNeverSplit) {
  EXPECT_EQ(Auto(Repeat("ह", 68) + "😀").segments, 1);  // 70 units
  EXPECT_EQ(Auto(Repeat("ह", 69) + "😀").segments, 2);  // 71 units
  EXPECT_EQ(Auto(Repeat("😀", 35)).segments, 1);
  EXPECT_EQ(Auto(Repeat("😀", 36)).segments, 2);
  // 133 units: 66 | 2+65.
  EXPECT_EQ(Auto(Repeat("ह", 66) + "😀" + Repeat("ह", 65)).segments, 2);
  // 134 units = 2×67, but the pair cannot straddle: 66 | 68 → three parts.
  const TextInfo straddle = Auto(Repeat("ह", 66) + "😀" + Repeat("ह", 66));
  EXPECT_EQ(straddle.units, 134u);
  EXPECT_EQ(straddle.code_points, 133u);
  EXPECT_EQ(straddle.segments, 3);
  // 67 emoji = 134 units: 33 pairs per part (66 units), so 3 parts.
  EXPECT_EQ(Auto(Repeat("😀", 67)).segments, 3);
}

TEST(Analyze, CountsMixedScripts) {
  const TextInfo hindi = Auto("नमस्ते दुनिया");
  EXPECT_EQ(hindi.encoding, core::Encoding::kUcs2);
  EXPECT_EQ(hindi.code_points, 13u);
  const TextInfo arabic = Auto("مرحبا بالعالم");
  EXPECT_EQ(arabic.code_points, 13u);
  const TextInfo chinese = Auto("你好，世界");
  EXPECT_EQ(chinese.code_points, 5u);
  const TextInfo flag = Auto("🇮🇳 ok");  // two regional indicators, each a surrogate pair
  EXPECT_EQ(flag.code_points, 5u);
  EXPECT_EQ(flag.units, 7u);
}

TEST(Analyze, AllocatesNothingForValidText) {
  const std::string gsm = Repeat("Hello {world} €uro Ω ", 40);
  const std::string ucs2 = Repeat("नमस्ते 😀 ", 40);
  for (const std::string* text : {&gsm, &ucs2}) {
    const long before = g_allocations.load();
    const core::Result<TextInfo> info = Analyze(*text, UnicodeMode::kAuto);
    const long after = g_allocations.load();
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(after - before, 0);
  }
}

}  // namespace
}  // namespace smsgw::text
