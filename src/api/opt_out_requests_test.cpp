#include "api/opt_out_requests.h"

#include <gtest/gtest.h>

#include "api/request_body.h"

namespace smsgw::api {
namespace {

const core::TimePoint kNow = core::FromUnixMillis(1794992000000);

std::expected<store::OptOut, FieldErrors> Validate(const std::string& json) {
  rapidjson::Document doc;
  EXPECT_TRUE(ParseJsonBody(json, doc)) << json;
  return ValidateOptOut(doc, "HXSG1", "api", kNow);
}

TEST(ValidateOptOut, NormalisesRecipientAndSender) {
  auto o = Validate(R"({"recipient": "+91 98765 43210", "sender": "+14155550123"})");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->recipient, "919876543210");
  EXPECT_EQ(o->sender, "14155550123");
  EXPECT_EQ(o->source, "api");
  auto all = Validate(R"({"recipient": "919876543210", "sender": null})");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->sender, "") << "every sender";
  EXPECT_EQ(Validate(R"({"recipient": "919876543210", "sender": "ACME IN"})")->sender, "ACME IN");
}

TEST(ValidateOptOut, ReportsBothBadFields) {
  auto bad = Validate(R"({"recipient": "12", "sender": "far too long a sender"})");
  ASSERT_FALSE(bad);
  ASSERT_EQ(bad.error().size(), 2u);
  EXPECT_EQ(bad.error()[0].error, ApiError::kRecipientFilterInvalid);
  EXPECT_EQ(bad.error()[1].error, ApiError::kSenderInvalid);
  EXPECT_FALSE(Validate(R"({})"));
}

TEST(ParseOptOutQuery, FiltersCursorAndLimit) {
  auto q = ParseOptOutQuery(
      "recipient=%2B919876543210&sender=ACMEIN&cursor=919876543210%2CACMEIN"
      "&limit=50");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->recipient, "919876543210");
  EXPECT_EQ(q->sender, std::optional<std::string>("ACMEIN"));
  ASSERT_TRUE(q->cursor);
  EXPECT_EQ(q->cursor->recipient, "919876543210");
  EXPECT_EQ(q->cursor->sender, "ACMEIN");
  EXPECT_EQ(q->limit, 50u);
  EXPECT_FALSE(ParseOptOutQuery("limit=0"));
  EXPECT_FALSE(ParseOptOutQuery("limit=1001"));
  EXPECT_FALSE(ParseOptOutQuery("cursor=abc"));
  EXPECT_FALSE(ParseOptOutQuery("recipient=x"));
  EXPECT_EQ(ParseOptOutQuery("")->limit, kDefaultOptOutPage);
}

TEST(OptOutPageJson, NextCursorOnlyWhenThePageIsFull) {
  const std::vector<store::OptOut> page = {{"HXSG1", "919876543210", "", "mo", kNow}};
  EXPECT_NE(OptOutPageJson(page, 1).find(R"("next_cursor":"919876543210,")"), std::string::npos);
  EXPECT_NE(OptOutPageJson(page, 2).find(R"("next_cursor":null)"), std::string::npos);
  EXPECT_NE(OptOutJson(page[0]).find(R"("sender":null,"source":"mo")"), std::string::npos);
}

}  // namespace
}  // namespace smsgw::api
