#include "core/json.h"

#include <gtest/gtest.h>

#include <string>

namespace smsgw::core {
namespace {

TEST(ParseJsonTest, ReadsAnObjectWithNumbersAsWritten) {
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJson(R"({"a": [1, {"b": 2.50}], "c": "x"})", doc, kJsonNumbersAsStrings));
  ASSERT_TRUE(doc.IsObject());
  EXPECT_STREQ(doc["a"][1]["b"].GetString(), "2.50");
  EXPECT_STREQ(doc["c"].GetString(), "x");
}

TEST(ParseJsonTest, ReadsNumbersAsNumbersByDefault) {
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJson("[7]", doc));
  EXPECT_EQ(doc[0].GetInt(), 7);
}

TEST(ParseJsonTest, AcceptsNestingUpToTheLimit) {
  rapidjson::Document doc;
  const std::string ok = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(ParseJson(ok, doc));
  const std::string objects = R"({"a":{"b":{"c":[]}}})";
  EXPECT_TRUE(ParseJson(objects, doc, kJsonDefault, 4));
  EXPECT_FALSE(ParseJson(objects, doc, kJsonDefault, 3));
}

TEST(ParseJsonTest, RefusesDeepNestingWithoutRecursing) {
  // 2 MB of '[' overflowed the stack of the recursive DOM parser (SIGSEGV).
  rapidjson::Document doc;
  for (const char open : {'[', '{'}) {
    std::string deep(2'000'000, open);
    if (open == '{') {
      deep.clear();
      for (int i = 0; i < 200'000; ++i) {
        deep += "{\"a\":";
      }
    }
    auto parsed = ParseJson(deep, doc);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().kind, JsonError::Kind::kTooDeep);
    EXPECT_NE(parsed.error().message.find("deeper than 32"), std::string::npos);
    EXPECT_TRUE(doc.IsNull());
  }
}

TEST(ParseJsonTest, TellsSyntaxFromEncodingErrors) {
  rapidjson::Document doc;
  auto syntax = ParseJson(R"({"a": })", doc);
  ASSERT_FALSE(syntax);
  EXPECT_EQ(syntax.error().kind, JsonError::Kind::kSyntax);
  EXPECT_EQ(syntax.error().offset, 6u);
  EXPECT_NE(syntax.error().message.find("Malformed JSON at offset 6"), std::string::npos);

  auto utf8 = ParseJson("{\"a\": \"\xC3\x28\"}", doc, kJsonValidateUtf8);
  ASSERT_FALSE(utf8);
  EXPECT_EQ(utf8.error().kind, JsonError::Kind::kInvalidUtf8);
  EXPECT_TRUE(ParseJson("{\"a\": \"\xC3\x28\"}", doc));  // not asked to validate
}

TEST(ParseJsonTest, RefusesTrailingTextAndEmptyInput) {
  rapidjson::Document doc;
  EXPECT_FALSE(ParseJson("{} {}", doc));
  EXPECT_FALSE(ParseJson("", doc));
  EXPECT_FALSE(ParseJson(std::string_view("{\"a\":1}", 5), doc));  // not NUL-terminated input
}

TEST(ParseJsonTest, ALaterParseReplacesAnEarlierOne) {
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJson("[1]", doc));
  ASSERT_FALSE(ParseJson("[", doc));
  EXPECT_TRUE(doc.IsNull());
  ASSERT_TRUE(ParseJson("{}", doc));
  EXPECT_TRUE(doc.IsObject());
}

}  // namespace
}  // namespace smsgw::core
