#include "core/template.h"

#include <gtest/gtest.h>

namespace smsgw::core {
namespace {

TemplateText MustParse(std::string_view text) {
  auto parsed = TemplateText::Parse(text);
  EXPECT_TRUE(parsed) << text << ": " << parsed.error().message;
  return parsed ? std::move(*parsed) : *TemplateText::Parse("x");
}

std::string MustRender(std::string_view text, const TemplateValues& values) {
  auto rendered = MustParse(text).Render(values);
  EXPECT_TRUE(rendered) << text << ": " << rendered.error().message;
  return rendered ? *rendered : std::string();
}

TEST(TemplateId, TwelveToThirtyDigits) {
  EXPECT_TRUE(IsValidTemplateId("101234567890"));
  EXPECT_TRUE(IsValidTemplateId(std::string(30, '9')));
  EXPECT_FALSE(IsValidTemplateId("10123456789"));         // 11
  EXPECT_FALSE(IsValidTemplateId(std::string(31, '9')));  // 31
  EXPECT_FALSE(IsValidTemplateId("1012345678a0"));
  EXPECT_FALSE(IsValidTemplateId("+101234567890"));
  EXPECT_FALSE(IsValidTemplateId(""));
}

TEST(TemplateText, RendersDltPlaceholders) {
  EXPECT_EQ(MustRender("Your OTP is {#otp#}. Valid for {#mins#} minutes.",
                       {{"otp", "4821"}, {"mins", "10"}}),
            "Your OTP is 4821. Valid for 10 minutes.");
}

TEST(TemplateText, RendersKaleyraAngleForm) {
  EXPECT_EQ(MustRender("Dear <name>, your code is <code>", {{"name", "Ann"}, {"code", "77"}}),
            "Dear Ann, your code is 77");
}

TEST(TemplateText, BothFormsMixedAndPlaceholdersListedOnce) {
  const TemplateText t = MustParse("{#a#} <b> {#a#} <a_1.x-y>");
  EXPECT_EQ(t.placeholders(), (std::vector<std::string>{"a", "b", "a_1.x-y"}));
  auto r = t.Render({{"a", "1"}, {"b", "2"}, {"a_1.x-y", "3"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, "1 2 1 3");
}

TEST(TemplateText, PlaceholdersAtTheStartAndTheEnd) {
  EXPECT_EQ(MustRender("{#greeting#} and bye {#name#}", {{"greeting", "Hi"}, {"name", "Bo"}}),
            "Hi and bye Bo");
  EXPECT_EQ(MustRender("{#only#}", {{"only", "x"}}), "x");
  EXPECT_EQ(MustRender("<a><b>", {{"a", "1"}, {"b", "2"}}), "12");
}

TEST(TemplateText, MissingKeyNamesThePlaceholder) {
  auto r = MustParse("Hi {#name#}, OTP {#otp#}").Render({{"name", "Ann"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
  EXPECT_NE(r.error().message.find("{#otp#}"), std::string::npos) << r.error().message;
  EXPECT_FALSE(MustParse("Hi <name>").Render({}));
}

TEST(TemplateText, ExtraKeysAreIgnored) {
  EXPECT_EQ(MustRender("OTP {#otp#}", {{"otp", "1"}, {"unused", "zzz"}, {"other", "y"}}), "OTP 1");
  EXPECT_EQ(MustRender("No placeholders here.", {{"x", "1"}}), "No placeholders here.");
  EXPECT_EQ(MustRender("No placeholders here.", {}), "No placeholders here.");
}

TEST(TemplateText, ValueOfThirtyCharactersIsTheLimit) {
  const TemplateText t = MustParse("[{#v#}]");
  auto thirty = t.Render({{"v", std::string(30, 'x')}});
  ASSERT_TRUE(thirty);
  EXPECT_EQ(*thirty, "[" + std::string(30, 'x') + "]");
  auto too_long = t.Render({{"v", std::string(31, 'x')}});
  ASSERT_FALSE(too_long);
  EXPECT_NE(too_long.error().message.find("template_data.v"), std::string::npos);
  EXPECT_NE(too_long.error().message.find("30"), std::string::npos);
}

TEST(TemplateText, ValueLengthCountsCharactersNotBytes) {
  std::string thirty_hindi;
  for (int i = 0; i < 30; ++i) {
    thirty_hindi += "ह";  // 3 bytes each
  }
  EXPECT_EQ(MustRender("{#v#}", {{"v", thirty_hindi}}), thirty_hindi);
  EXPECT_FALSE(MustParse("{#v#}").Render({{"v", thirty_hindi + "ह"}}));
}

TEST(TemplateText, UnicodeValuesAndText) {
  EXPECT_EQ(MustRender("नमस्ते {#name#}, आपका OTP {#otp#} है 👋", {{"name", "राज"}, {"otp", "٤٢"}}),
            "नमस्ते राज, आपका OTP ٤٢ है 👋");
  EXPECT_EQ(MustRender("Hi {#n#}", {{"n", "Zoë 😀 你好"}}), "Hi Zoë 😀 你好");
}

TEST(TemplateText, ValuesAreInsertedLiterallyNotExpandedAgain) {
  EXPECT_EQ(MustRender("A {#x#} B {#y#}", {{"x", "{#y#}"}, {"y", "<x>"}}), "A {#y#} B <x>");
  EXPECT_EQ(MustRender("<a>", {{"a", "<a>"}}), "<a>");
  EXPECT_EQ(MustRender("{#a#}", {{"a", "{#a#}{#a#}"}}), "{#a#}{#a#}");
}

TEST(TemplateText, AngleBracketsThatAreNotPlaceholdersStayText) {
  const TemplateText t = MustParse("a < b, c > d, <3, < name>, <>, <a b>, x<y");
  EXPECT_TRUE(t.placeholders().empty());
  auto r = t.Render({});
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, "a < b, c > d, <3, < name>, <>, <a b>, x<y");
  // "<3>" is a placeholder named "3": names may be digits only.
  EXPECT_EQ(MustParse("<3>").placeholders(), std::vector<std::string>{"3"});
}

TEST(TemplateText, MalformedDltPlaceholdersAreErrors) {
  for (const char* bad : {"Hi {#name", "Hi {#name#", "Hi {##}", "Hi {#na me#}", "{#x}", "{#",
                          "ok {#a#} then {#b c#}"}) {
    auto parsed = TemplateText::Parse(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().code, Errc::kInvalidArgument);
    EXPECT_NE(parsed.error().message.find("placeholder"), std::string::npos)
        << parsed.error().message;
  }
  // A lone '#', '{' or '}' is ordinary text.
  EXPECT_EQ(MustRender("#1 {ok} {#a#}#}", {{"a", "A"}}), "#1 {ok} A#}");
}

TEST(TemplateText, NameLengthLimit) {
  const std::string name64(64, 'n');
  EXPECT_EQ(MustParse("{#" + name64 + "#}").placeholders(), std::vector<std::string>{name64});
  EXPECT_FALSE(TemplateText::Parse("{#" + name64 + "n#}"));
  // An over-long angle "name" is just text.
  EXPECT_TRUE(MustParse("<" + name64 + "n>").placeholders().empty());
}

TEST(TemplateText, TextLimits) {
  EXPECT_FALSE(TemplateText::Parse(""));
  std::string text;
  for (int i = 0; i < 4000; ++i) {
    text += "€";
  }
  EXPECT_TRUE(TemplateText::Parse(text));
  EXPECT_FALSE(TemplateText::Parse(text + "x"));
}

TEST(TemplateText, RepeatedNameGetsTheSameValue) {
  EXPECT_EQ(MustRender("{#var#} and {#var#}", {{"var", "v"}}), "v and v");
}

}  // namespace
}  // namespace smsgw::core
