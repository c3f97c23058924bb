#include "api/request_body.h"

#include <gtest/gtest.h>

namespace smsgw::api {
namespace {

TEST(RequestBody, DecidesByBodyNotHeader) {
  EXPECT_TRUE(LooksLikeJson("  \n{\"to\":1}"));
  EXPECT_FALSE(LooksLikeJson("to=1&body=x"));
  EXPECT_FALSE(LooksLikeJson(""));
  EXPECT_FALSE(LooksLikeJson("[1]"));
}

TEST(RequestBody, JsonNumbersBecomeStrings) {
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJsonBody(R"({"flash": 1, "to": 919876543210, "x": 1.5})", doc));
  EXPECT_STREQ(doc["flash"].GetString(), "1");
  EXPECT_STREQ(doc["to"].GetString(), "919876543210");
}

TEST(RequestBody, MalformedJsonIsE420AndBadUtf8E419) {
  rapidjson::Document doc;
  auto bad = ParseJsonBody(R"({"to": )", doc);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().error, ApiError::kMalformedBody);
  EXPECT_NE(bad.error().reason.find("offset"), std::string::npos);
  EXPECT_EQ(ParseJsonBody("{} trailing", doc).error().error, ApiError::kMalformedBody);
  EXPECT_EQ(ParseJsonBody("{\"a\":1}{", doc).error().error, ApiError::kMalformedBody);
  EXPECT_EQ(ParseJsonBody("[]", doc).error().error, ApiError::kMalformedBody);
  EXPECT_EQ(ParseJsonBody("{\"body\":\"\xC3\x28\"}", doc).error().error, ApiError::kInvalidUtf8);
}

// U+0000 is no character of a message and cannot be stored in PostgreSQL text: refused in any
// string, nested ones and keys included, in JSON and in forms.
TEST(RequestBody, ANulInAnyStringIsE420) {
  rapidjson::Document doc;
  for (const char* json : {R"({"body":"a\u0000b"})", R"({"callback":{"url":"x\u0000"}})",
                           R"({"ref_custom":["ok","\u0000"]})", R"({"a\u0000":"b"})"}) {
    auto bad = ParseJsonBody(json, doc);
    ASSERT_FALSE(bad) << json;
    EXPECT_EQ(bad.error().error, ApiError::kMalformedBody) << json;
    EXPECT_NE(bad.error().reason.find("U+0000"), std::string::npos) << bad.error().reason;
  }
  EXPECT_EQ(ParseFormBody("body=a%00b", doc).error().error, ApiError::kMalformedBody);
  EXPECT_EQ(ParseFormBody("a%00=b", doc).error().error, ApiError::kMalformedBody);
  EXPECT_TRUE(ParseJsonBody(R"({"body":"@ is GSM 0x00, not NUL"})", doc));
}

TEST(RequestBody, FormDecoding) {
  rapidjson::Document doc;
  ASSERT_TRUE(ParseFormBody("to=%2B919876543210&body=Hi+there%21&empty=&flag", doc));
  EXPECT_STREQ(doc["to"].GetString(), "+919876543210");
  EXPECT_STREQ(doc["body"].GetString(), "Hi there!");
  EXPECT_STREQ(doc["empty"].GetString(), "");
  EXPECT_STREQ(doc["flag"].GetString(), "");
}

TEST(RequestBody, FormRepeatedToJoinsOthersLastWins) {
  rapidjson::Document doc;
  ASSERT_TRUE(ParseFormBody("to=1&to=2&body=a&body=b", doc));
  EXPECT_STREQ(doc["to"].GetString(), "1,2");
  EXPECT_STREQ(doc["body"].GetString(), "b");
}

TEST(RequestBody, FormErrors) {
  rapidjson::Document doc;
  EXPECT_EQ(ParseFormBody("body=%zz", doc).error().error, ApiError::kMalformedBody);
  EXPECT_EQ(ParseFormBody("body=%4", doc).error().error, ApiError::kMalformedBody);
  EXPECT_EQ(ParseFormBody("body=%C3%28", doc).error().error, ApiError::kInvalidUtf8);
  EXPECT_EQ(ParseFormBody("body=%ED%A0%80", doc).error().error, ApiError::kInvalidUtf8);
}

TEST(RequestBody, QueryParam) {
  EXPECT_EQ(QueryParam("a=1&message_ids=x%3A1,y&b=2", "message_ids"), "x:1,y");
  EXPECT_EQ(QueryParam("a=1", "message_ids"), "");
}

}  // namespace
}  // namespace smsgw::api
