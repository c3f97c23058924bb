#include "api/smpp_credential_requests.h"

#include <gtest/gtest.h>

#include "api/request_body.h"
#include "core/time.h"

namespace smsgw::api {
namespace {

std::expected<SmppCredentialRequest, FieldErrors> Validate(const std::string& json) {
  rapidjson::Document doc;
  EXPECT_TRUE(ParseJsonBody(json, doc)) << json;
  return ValidateSmppCredential(doc);
}

std::vector<ApiError> Codes(const FieldErrors& errors) {
  std::vector<ApiError> out;
  for (const FieldError& e : errors) {
    out.push_back(e.error);
  }
  return out;
}

TEST(ValidateSmppCredential, EverythingIsOptional) {
  auto none = Validate("{}");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->system_id, "");
  EXPECT_FALSE(none->max_rate);
  EXPECT_EQ(none->type, "");
  EXPECT_TRUE(none->allowed_sources.empty());
  auto nulls =
      Validate(R"({"system_id": null, "max_rate": null, "type": null, "allowed_sources": null})");
  ASSERT_TRUE(nulls);
  EXPECT_FALSE(nulls->max_rate);
}

TEST(ValidateSmppCredential, FieldsAreReadAndNormalised) {
  auto c = Validate(R"({"system_id": "acme-1", "max_rate": "250", "type": "txn",
                        "allowed_sources": ["10.0.0.0/8", "192.0.2.7", "2001:DB8::/32",
                                            "10.0.0.0/8"]})");
  ASSERT_TRUE(c) << c.error()[0].reason;
  EXPECT_EQ(c->system_id, "acme-1");
  EXPECT_EQ(c->max_rate, 250);
  EXPECT_EQ(c->type, "TXN");
  ASSERT_EQ(c->allowed_sources.size(), 3u) << "a repeated network is kept once";
  EXPECT_EQ(core::FormatIpNetwork(c->allowed_sources[0]), "10.0.0.0/8");
  EXPECT_EQ(core::FormatIpNetwork(c->allowed_sources[1]), "192.0.2.7/32");
  EXPECT_EQ(core::FormatIpNetwork(c->allowed_sources[2]), "2001:db8::/32");
  EXPECT_EQ(Validate(R"({"max_rate": 0})")->max_rate, 0) << "0 is unlimited";
}

TEST(ValidateSmppCredential, AFormBodysSourcesAreOneString) {
  rapidjson::Document doc;
  ASSERT_TRUE(ParseRequestFields(
      "", false, "", "allowed_sources=10.0.0.0%2F8%2C%20fd00%3A%3A%2F8&max_rate=5", doc));
  auto c = ValidateSmppCredential(doc);
  ASSERT_TRUE(c) << c.error()[0].reason;
  ASSERT_EQ(c->allowed_sources.size(), 2u);
  EXPECT_EQ(core::FormatIpNetwork(c->allowed_sources[1]), "fd00::/8");
  EXPECT_EQ(c->max_rate, 5);
}

TEST(ValidateSmppCredential, EveryBadFieldIsReported) {
  auto bad = Validate(R"({"system_id": "has space", "max_rate": 100001, "type": "PROMO",
                          "allowed_sources": ["10.0.0.1/8"]})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(Codes(bad.error()),
            (std::vector{ApiError::kSmppSystemIdInvalid, ApiError::kSmppMaxRateInvalid,
                         ApiError::kTypeInvalid, ApiError::kSmppSourcesInvalid}));
  EXPECT_EQ(bad.error()[2].field, "type");
  EXPECT_NE(bad.error()[3].reason.find("bits set past its prefix"), std::string::npos)
      << bad.error()[3].reason;
}

TEST(ValidateSmppCredential, IdFormatIsHexOrDecimal) {
  auto absent = Validate("{}");
  ASSERT_TRUE(absent);
  EXPECT_EQ(absent->id_format, store::SmppIdFormat::kHex);
  auto decimal = Validate(R"({"id_format": "decimal"})");
  ASSERT_TRUE(decimal);
  EXPECT_EQ(decimal->id_format, store::SmppIdFormat::kDecimal);
  auto hex = Validate(R"({"id_format": "hex"})");
  ASSERT_TRUE(hex);
  EXPECT_EQ(hex->id_format, store::SmppIdFormat::kHex);
  for (const char* body : {R"({"id_format": "Decimal"})", R"({"id_format": "octal"})",
                           R"({"id_format": 10})", R"({"id_format": ""})"}) {
    auto r = Validate(body);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(Codes(r.error()), std::vector{ApiError::kSmppIdFormatInvalid}) << body;
  }
}

TEST(ValidateSmppCredential, SystemIdShape) {
  EXPECT_TRUE(Validate(R"({"system_id": "123456789012345"})"));
  for (const char* body :
       {R"({"system_id": "1234567890123456"})", R"({"system_id": ""})", R"({"system_id": ["a"]})",
        R"({"system_id": "caf\u00e9"})", R"({"system_id": "tab\there"})"}) {
    auto r = Validate(body);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(Codes(r.error()), std::vector{ApiError::kSmppSystemIdInvalid}) << body;
  }
}

TEST(ValidateSmppCredential, SourcesAreBounded) {
  std::string list = "[";
  for (int i = 0; i < 33; ++i) {
    list += (i ? ",\"10.0." : "\"10.0.") + std::to_string(i) + ".0/24\"";
  }
  list += "]";
  for (const std::string& body :
       {R"({"allowed_sources": )" + list + "}", std::string(R"({"allowed_sources": [1]})"),
        std::string(R"({"allowed_sources": {"a": "10.0.0.0/8"}})"),
        std::string(R"({"allowed_sources": ["example.com"]})"),
        std::string(R"({"allowed_sources": ["10.0.0.0/33"]})"),
        R"({"allowed_sources": [")" + std::string(100, '1') + R"("]})",
        R"({"allowed_sources": ")" + std::string(5000, ',') + R"("})"}) {
    auto r = Validate(body);
    ASSERT_FALSE(r) << body.substr(0, 80);
    EXPECT_EQ(Codes(r.error()), std::vector{ApiError::kSmppSourcesInvalid}) << body.substr(0, 80);
  }
  list.erase(list.rfind(','));  // 32: the most allowed
  EXPECT_TRUE(Validate(R"({"allowed_sources": )" + list + "]}"));
}

TEST(SmppCredentialJson, ShowsNoPasswordButTheCreateAnswerDoes) {
  store::SmppCredential c{"acme", "HX1", core::FromUnixMillis(1'700'000'000'000), std::nullopt,
                          10,     "OTP", {*core::ParseIpNetwork("10.0.0.0/8")}};
  EXPECT_EQ(SmppCredentialJson(c),
            R"({"system_id":"acme","created_at":"2023-11-14 22:13:20+00:00","revoked_at":null,)"
            R"("max_rate":10,"type":"OTP","allowed_sources":["10.0.0.0/8"],"id_format":"hex"})");
  c.revoked_at = c.created_at;
  c.id_format = store::SmppIdFormat::kDecimal;
  c.max_rate.reset();
  c.type.clear();
  c.allowed_sources.clear();
  EXPECT_EQ(
      SmppCredentialListJson({c}),
      R"({"totalCount":1,"data":[{"system_id":"acme","created_at":"2023-11-14 22:13:20+00:00",)"
      R"("revoked_at":"2023-11-14 22:13:20+00:00","max_rate":null,"type":null,)"
      R"("allowed_sources":[],"id_format":"decimal"}],"error":{}})");
  EXPECT_NE(NewSmppCredentialJson(c, "Ab3dE6gH").find(R"("password":"Ab3dE6gH")"),
            std::string::npos);
}

}  // namespace
}  // namespace smsgw::api
