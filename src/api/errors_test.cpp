#include "api/errors.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <set>
#include <sstream>

namespace smsgw::api {
namespace {

TEST(Errors, TableIsIndexedByEnumAndCodesAreUnique) {
  std::set<std::string_view> codes;
  for (size_t i = 0; i < AllErrors().size(); ++i) {
    const ErrorSpec& spec = AllErrors()[i];
    EXPECT_EQ(static_cast<size_t>(spec.error), i) << spec.code;
    EXPECT_TRUE(codes.insert(spec.code).second) << "duplicate " << spec.code;
    EXPECT_GE(spec.http_status, 400);
    EXPECT_FALSE(spec.message.empty());
  }
}

TEST(Errors, KaleyraBodyTooLongIsE401) {
  const ErrorSpec& spec = Spec(ApiError::kBodyTooLong);
  EXPECT_EQ(spec.code, "E401");
  EXPECT_EQ(spec.http_status, 400);
  EXPECT_EQ(spec.field, "body");
  EXPECT_EQ(spec.message, "SMS length is exceeding 4000 characters.");
}

TEST(Errors, BodyHasKaleyraShapeWithEveryField) {
  std::vector<FieldError> errors = {MakeFieldError(ApiError::kToMissing),
                                    MakeFieldError(ApiError::kRefInvalid, "too long", "ref1")};
  rapidjson::Document doc;
  doc.Parse(ErrorBody(errors).c_str());
  ASSERT_TRUE(doc.IsObject());
  EXPECT_STREQ(doc["code"].GetString(), "E403");
  EXPECT_STREQ(doc["message"].GetString(), "to is required.");
  EXPECT_STREQ(doc["error"]["to"].GetString(), "to is required.");
  EXPECT_STREQ(doc["error"]["ref1"].GetString(), "too long");
  EXPECT_EQ(HttpStatus(errors), 400);
}

// docs/api/errors.md must list every code of the table with its HTTP status.
TEST(Errors, DocumentedInDocsApiErrors) {
  std::ifstream in(SMSGW_SOURCE_DIR "/docs/api/errors.md");
  ASSERT_TRUE(in) << "docs/api/errors.md is missing";
  std::stringstream text;
  text << in.rdbuf();
  for (const ErrorSpec& spec : AllErrors()) {
    const std::string row =
        "| " + std::string(spec.code) + " | " + std::to_string(spec.http_status) + " |";
    EXPECT_NE(text.str().find(row), std::string::npos) << "missing row starting " << row;
  }
}

}  // namespace
}  // namespace smsgw::api
