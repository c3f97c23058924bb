#include "api/inbound_number_requests.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "api/request_body.h"

namespace smsgw::api {
namespace {

const core::TimePoint kNow = core::FromUnixMillis(1794992000000);  // 2026-11-18 08:53:20 UTC
constexpr const char* kProfile = "SG_0d4c6f5e-8a11-4c1e-9b6a-1f2e3d4c5b6a";

rapidjson::Document Json(const std::string& text) {
  rapidjson::Document doc;
  auto parsed = ParseJsonBody(text, doc);
  EXPECT_TRUE(parsed) << text;
  return doc;
}

std::expected<store::InboundNumber, FieldErrors> Validate(const std::string& text) {
  return ValidateInboundNumber(Json(text), "HXSG1", "id-1", core::Region::kSg, kNow,
                               core::EgressPolicy{});
}

// The single error's code and field, asserting there is exactly one.
std::string OnlyError(const std::string& text) {
  auto e = Validate(text);
  EXPECT_FALSE(e.has_value()) << text;
  if (e.has_value()) {
    return {};
  }
  EXPECT_EQ(e.error().size(), 1u) << text << ": " << e.error().front().reason;
  return std::string(Spec(e.error().front().error).code) + " " + e.error().front().field;
}

TEST(NormalizeInboundNumber, LongAndShortCodes) {
  EXPECT_EQ(NormalizeInboundNumber("+14155550123"), "14155550123");
  EXPECT_EQ(NormalizeInboundNumber("+919876543210"), "919876543210");
  EXPECT_EQ(NormalizeInboundNumber("919876543210"), "919876543210") << "E.164 without '+'";
  EXPECT_EQ(NormalizeInboundNumber("567"), "567");
  EXPECT_EQ(NormalizeInboundNumber("56767"), "56767");
  EXPECT_EQ(NormalizeInboundNumber("12345678"), "12345678");
  EXPECT_EQ(NormalizeInboundNumber("56"), std::nullopt) << "too short for a short code";
  EXPECT_EQ(NormalizeInboundNumber("+1415555012"), std::nullopt) << "not a valid number";
  EXPECT_EQ(NormalizeInboundNumber("+567"), std::nullopt) << "a short code has no '+'";
  EXPECT_EQ(NormalizeInboundNumber("+1 415 555 0123"), std::nullopt) << "digits only";
  EXPECT_EQ(NormalizeInboundNumber(""), std::nullopt);
  EXPECT_EQ(NormalizeInboundNumber("abc"), std::nullopt);
}

TEST(NormalizeKeyword, UpperCaseWithoutWhiteSpace) {
  EXPECT_EQ(NormalizeKeyword("join"), "JOIN");
  EXPECT_EQ(NormalizeKeyword("Stop2"), "STOP2");
  EXPECT_EQ(NormalizeKeyword("café"), "CAFÉ") << "Latin-1 letters upper-case too";
  EXPECT_EQ(NormalizeKeyword("ДА"), "ДА") << "other scripts as they are";
  EXPECT_EQ(NormalizeKeyword(std::string(30, 'k')), std::string(30, 'K'));
  EXPECT_EQ(NormalizeKeyword(std::string(31, 'k')), std::nullopt);
  EXPECT_EQ(NormalizeKeyword(""), std::nullopt);
  for (const char* bad :
       {"two words", " lead", "tab\t", "nbsp\xC2\xA0x", "ideo\xE3\x80\x80x", "line\n"}) {
    EXPECT_EQ(NormalizeKeyword(bad), std::nullopt) << bad;
  }
}

TEST(ValidateInboundNumber, LongCodeWithEverything) {
  auto e = Validate(R"({"number": "+14155550123", "keyword": "join",
                        "expires": "2027-01-01 00:00:00",
                        "callback": {"url": "https://crm.local/mo", "method": "POST"}})");
  ASSERT_TRUE(e) << e.error().front().reason;
  EXPECT_EQ(e->id, "id-1");
  EXPECT_EQ(e->sid, "HXSG1");
  EXPECT_EQ(e->number, "14155550123");
  EXPECT_EQ(e->keyword, "JOIN");
  ASSERT_TRUE(e->expires_at);
  EXPECT_EQ(core::FormatCreatedDateTime(*e->expires_at), "2027-01-01 00:00:00+00:00");
  EXPECT_EQ(e->callback, R"({"url":"https://crm.local/mo","method":"POST"})");
  EXPECT_TRUE(e->callback_profile_id.empty());
  EXPECT_EQ(e->created_at, kNow);
}

TEST(ValidateInboundNumber, ShortCodeWithProfileAndIsoExpiry) {
  auto e = Validate(std::string(R"({"number": "56767", "callback_profile_id": ")") + kProfile +
                    R"(", "expires": "2027-01-01T05:30:00+05:30", "keyword": ""})");
  ASSERT_TRUE(e) << e.error().front().reason;
  EXPECT_EQ(e->number, "56767");
  EXPECT_EQ(e->keyword, "") << "an empty keyword is none";
  EXPECT_EQ(e->callback_profile_id, kProfile);
  EXPECT_EQ(core::FormatCreatedDateTime(*e->expires_at), "2027-01-01 00:00:00+00:00");
}

TEST(ValidateInboundNumber, EveryRule) {
  EXPECT_EQ(OnlyError(R"({})"), "E467 number");
  EXPECT_EQ(OnlyError(R"({"number": "+1415"})"), "E467 number");
  EXPECT_EQ(OnlyError(R"({"number": ["567"]})"), "E467 number");
  EXPECT_EQ(OnlyError(R"({"number": "567", "keyword": "two words"})"), "E468 keyword");
  EXPECT_EQ(OnlyError(R"({"number": "567", "keyword": {"k": 1}})"), "E468 keyword");
  EXPECT_EQ(OnlyError(R"({"number": "567", "expires": "tomorrow"})"), "E469 expires");
  EXPECT_EQ(OnlyError(R"({"number": "567", "expires": "2026-11-18 08:53:20"})"), "E469 expires")
      << "not in the future";
  EXPECT_EQ(OnlyError(R"({"number": "567", "callback": {"url": "nope"}})"), "E418 callback");
  EXPECT_EQ(OnlyError(R"({"number": "567", "callback": "{bad json"})"), "E418 callback");
  EXPECT_EQ(OnlyError(R"({"number": "567", "callback_profile_id": "IN_x"})"),
            "E417 callback_profile_id");
  EXPECT_EQ(OnlyError(std::string(R"({"number": "567", "callback": {"url": "https://h"},
                                      "callback_profile_id": ")") +
                      kProfile + "\"}"),
            "E418 callback");
}

TEST(ValidateInboundNumber, EveryBadFieldAtOnce) {
  auto e = Validate(R"({"number": "1", "keyword": "a b", "expires": "x",
                        "callback_profile_id": "nope"})");
  ASSERT_FALSE(e);
  std::vector<std::string> codes;
  for (const FieldError& f : e.error()) {
    codes.emplace_back(Spec(f.error).code);
  }
  EXPECT_EQ(codes, (std::vector<std::string>{"E467", "E468", "E469", "E417"}));
}

TEST(ValidateInboundNumber, CallbackAsAStringLikeASend) {
  auto e = Validate(R"({"number": "567", "callback": "{\"url\": \"https://h/x\"}"})");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->callback, R"({"url":"https://h/x"})");
}

TEST(ValidateInboundNumber, TargetSmppTakesNoCallback) {
  auto e = Validate(R"({"number": "567", "target": "smpp"})");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->target, store::InboundTarget::kSmpp);
  EXPECT_EQ(e->callback, "");
  EXPECT_EQ(e->callback_profile_id, "");
  EXPECT_NE(InboundNumberJson(*e).find(R"("callback":null,"callback_profile_id":null,)"
                                       R"("target":"smpp")"),
            std::string::npos);

  auto webhook = Validate(R"({"number": "567", "target": "webhook"})");
  ASSERT_TRUE(webhook);
  EXPECT_EQ(webhook->target, store::InboundTarget::kWebhook);
  auto absent = Validate(R"({"number": "567", "target": null})");
  ASSERT_TRUE(absent);
  EXPECT_EQ(absent->target, store::InboundTarget::kWebhook) << "null is absent";

  EXPECT_EQ(OnlyError(R"({"number": "567", "target": "smpp", "callback": {"url": "https://h"}})"),
            "E480 target");
  EXPECT_EQ(
      OnlyError(std::string(R"({"number": "567", "target": "smpp", "callback_profile_id": ")") +
                kProfile + R"("})"),
      "E480 target");
  for (const char* bad : {R"("SMPP")", R"("")", R"("http")", "1", "true", "[]"}) {
    EXPECT_EQ(OnlyError(std::string(R"({"number": "567", "target": )") + bad + "}"), "E480 target")
        << bad;
  }
}

TEST(InboundNumberJson, Shape) {
  auto e = Validate(R"({"number": "+14155550123", "keyword": "join",
                        "callback": {"url": "https://h"}})");
  ASSERT_TRUE(e);
  const std::string json = InboundNumberJson(*e);
  EXPECT_EQ(json, R"({"id":"id-1","number":"14155550123","keyword":"JOIN","expires":null,)"
                  R"("callback":{"url":"https://h"},"callback_profile_id":null,)"
                  R"("target":"webhook","created_at":"2026-11-18 08:53:20+00:00"})");
  EXPECT_NE(InboundNumberListJson({*e}).find(R"("totalCount":1)"), std::string::npos);
}

TEST(InboundNumberJson, CallbackSecretsAreMasked) {
  auto e = Validate(R"({"number": "567", "callback": {"url": "https://u:pw-1@h/mo",
                        "header": {"Authorization": "Basic c2VjcmV0"}}})");
  ASSERT_TRUE(e);
  const std::string json = InboundNumberJson(*e);
  EXPECT_NE(
      json.find(R"("callback":{"url":"https://u:****@h/mo","header":{"Authorization":"****"}})"),
      std::string::npos)
      << json;
  EXPECT_EQ(json.find("pw-1"), std::string::npos);
  EXPECT_EQ(json.find("c2VjcmV0"), std::string::npos);
}

TEST(InboundNumberErrors, ConflictAndUnknownProfile) {
  store::InboundNumber e;
  e.number = "56767";
  e.keyword = "JOIN";
  const FieldError taken = InboundNumberTaken(e);
  EXPECT_EQ(Spec(taken.error).code, "E459");
  EXPECT_EQ(Spec(taken.error).http_status, 409);
  EXPECT_NE(taken.reason.find("JOIN"), std::string::npos) << taken.reason;
  const FieldError unknown = UnknownCallbackProfile(kProfile);
  EXPECT_EQ(Spec(unknown.error).code, "E417");
  EXPECT_EQ(unknown.field, "callback_profile_id");
}

}  // namespace
}  // namespace smsgw::api
