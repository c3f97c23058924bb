#include "api/country_cap_requests.h"

#include <gtest/gtest.h>

#include "api/request_body.h"

namespace smsgw::api {
namespace {

std::expected<store::CountryCap, FieldErrors> Validate(const std::string& json,
                                                       std::string_view country = "in") {
  rapidjson::Document doc;
  EXPECT_TRUE(ParseJsonBody(json, doc)) << json;
  return ValidateCountryCap(doc, "HXSG1", country);
}

TEST(ValidateCountryCap, LimitsAndCountry) {
  auto cap = Validate(R"({"daily": 100, "monthly": "2000"})");
  ASSERT_TRUE(cap);
  EXPECT_EQ(cap->country, "IN");
  EXPECT_EQ(cap->daily, 100);
  EXPECT_EQ(cap->monthly, 2000);
  auto none = Validate(R"({"daily": null})");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->daily);
  EXPECT_FALSE(none->monthly);
  auto bad = Validate(R"({"daily": 0, "monthly": 100000001})", "ZZ");
  ASSERT_FALSE(bad);
  ASSERT_EQ(bad.error().size(), 3u);
  EXPECT_EQ(bad.error()[0].error, ApiError::kIsoCodeInvalid);
  EXPECT_EQ(bad.error()[1].field, "daily");
  EXPECT_EQ(bad.error()[2].field, "monthly");
}

TEST(CountryCapJson, Shape) {
  const store::CountryCapUsage u{{"HXSG1", "IN", 5, std::nullopt}, 2, 7};
  EXPECT_EQ(CountryCapJson(u),
            R"({"country":"IN","daily":5,"monthly":null,"used_today":2,"used_this_month":7})");
  EXPECT_NE(CountryCapListJson({u}).find(R"("totalCount":1)"), std::string::npos);
}

}  // namespace
}  // namespace smsgw::api
