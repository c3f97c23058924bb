#include "api/callback_profile_requests.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "api/request_body.h"
#include "core/json.h"

namespace smsgw::api {
namespace {

using std::chrono::seconds;

const core::TimePoint kNow = core::FromUnixMillis(1794992000000);  // 2026-11-18 08:53:20 UTC
constexpr const char* kId = "SG_0d4c6f5e-8a11-4c1e-9b6a-1f2e3d4c5b6a";

rapidjson::Document Json(const std::string& text) {
  rapidjson::Document doc;
  auto parsed = ParseJsonBody(text, doc);
  EXPECT_TRUE(parsed) << text;
  return doc;
}

std::expected<store::CallbackProfile, FieldErrors> Validate(const std::string& text) {
  return ValidateCallbackProfile(Json(text), "HXSG1", kId, kNow, core::EgressPolicy{});
}

// The codes of the errors, in order.
std::vector<std::string> Codes(const FieldErrors& errors) {
  std::vector<std::string> out;
  for (const FieldError& e : errors) {
    out.emplace_back(Spec(e.error).code);
  }
  return out;
}

// The single error's code, asserting there is exactly one.
std::string OnlyCode(const std::string& text) {
  auto p = Validate(text);
  EXPECT_FALSE(p.has_value()) << text;
  if (p.has_value()) {
    return {};
  }
  EXPECT_EQ(p.error().size(), 1u) << text << ": " << p.error().front().reason;
  return std::string(Spec(p.error().front().error).code);
}

TEST(CallbackProfileId, RegionPrefixAndUuid) {
  EXPECT_TRUE(IsCallbackProfileId(kId, core::Region::kSg));
  EXPECT_FALSE(IsCallbackProfileId(kId, core::Region::kIn));
  EXPECT_FALSE(IsCallbackProfileId("SG_0d4c6f5e-8a11-4c1e-9b6a-1f2e3d4c5b6", core::Region::kSg));
  EXPECT_FALSE(IsCallbackProfileId("SG-0d4c6f5e-8a11-4c1e-9b6a-1f2e3d4c5b6a", core::Region::kSg));
  const std::string fresh = NewCallbackProfileId(core::Region::kIn);
  EXPECT_TRUE(fresh.starts_with("IN_")) << fresh;
  EXPECT_TRUE(IsCallbackProfileId(fresh, core::Region::kIn)) << fresh;
  EXPECT_NE(fresh, NewCallbackProfileId(core::Region::kIn));
}

TEST(ValidateCallbackProfile, MinimalTakesTheDefaults) {
  auto p = Validate(R"({"url": "https://example.com/hook"})");
  ASSERT_TRUE(p) << p.error().front().reason;
  EXPECT_EQ(p->id, kId);
  EXPECT_EQ(p->sid, "HXSG1");
  EXPECT_EQ(p->url, "https://example.com/hook");
  EXPECT_EQ(p->method, "POST");
  EXPECT_TRUE(p->headers.empty());
  EXPECT_EQ(p->auth.kind, store::CallbackAuth::Kind::kNone);
  EXPECT_EQ(p->retry.kind, store::RetryPolicy::Kind::kFixed);
  EXPECT_EQ(p->retry.intervals, (std::vector<seconds>{seconds(10), seconds(10), seconds(10)}));
  EXPECT_FALSE(p->is_default);
  EXPECT_EQ(p->created_at, kNow);
  EXPECT_EQ(p->updated_at, kNow);
}

TEST(ValidateCallbackProfile, EveryField) {
  auto p = Validate(R"({"name": "crm", "url": "http://crm.local:8080/sms?x=1", "method": "put",
      "headers": {"X-Tenant": "acme", "Accept": "application/json"},
      "auth": {"type": "Bearer", "token_url": "https://auth.local/token", "client_id": "c1",
               "client_secret": "s3cr3t"},
      "body_template": "{\"id\": \"<id>\", \"status\": \"<status>\", \"from\": \"<source>\"}",
      "retry": {"type": "exponential", "initial": 5, "max_delay": "600", "horizon": 7200},
      "default": true})");
  ASSERT_TRUE(p) << p.error().front().reason;
  EXPECT_EQ(p->name, "crm");
  EXPECT_EQ(p->method, "PUT");
  ASSERT_EQ(p->headers.size(), 2u);
  EXPECT_EQ(p->headers[0], (std::pair<std::string, std::string>{"X-Tenant", "acme"}));
  EXPECT_EQ(p->auth.kind, store::CallbackAuth::Kind::kBearerToken);
  EXPECT_EQ(p->auth.token_url, "https://auth.local/token");
  EXPECT_EQ(p->auth.client_id, "c1");
  EXPECT_EQ(p->auth.client_secret, "s3cr3t");
  EXPECT_EQ(p->retry.kind, store::RetryPolicy::Kind::kExponential);
  EXPECT_EQ(p->retry.initial, seconds(5));
  EXPECT_EQ(p->retry.max_delay, seconds(600));
  EXPECT_EQ(p->retry.horizon, seconds(7200));
  EXPECT_TRUE(p->is_default);
}

TEST(ValidateCallbackProfile, BasicAuthAndFixedRetry) {
  auto p = Validate(R"({"url": "https://h/x", "auth": {"type": "basic", "username": "u",
      "password": "p:w"}, "retry": {"type": "fixed", "intervals": [10, 60, "300"]},
      "default": "false"})");
  ASSERT_TRUE(p) << p.error().front().reason;
  EXPECT_EQ(p->auth.kind, store::CallbackAuth::Kind::kBasic);
  EXPECT_EQ(p->auth.user, "u");
  EXPECT_EQ(p->auth.password, "p:w");
  EXPECT_EQ(p->retry.intervals, (std::vector<seconds>{seconds(10), seconds(60), seconds(300)}));
  auto none = Validate(R"({"url": "https://h/x", "retry": {"type": "fixed", "intervals": []},
                           "auth": {"type": "none"}})");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->retry.intervals.empty()) << "no retries at all is allowed";
  EXPECT_EQ(none->auth.kind, store::CallbackAuth::Kind::kNone);
}

TEST(ValidateCallbackProfile, EveryBadFieldAtOnce) {
  auto p = Validate(R"({"name": [5], "url": "ftp://x", "method": "DELETE", "headers": [],
      "auth": {"type": "digest"}, "body_template": "<nope>", "retry": {"type": "linear"},
      "default": "maybe"})");
  ASSERT_FALSE(p);
  EXPECT_EQ(Codes(p.error()), (std::vector<std::string>{"E452", "E460", "E461", "E462", "E463",
                                                        "E464", "E465", "E466"}));
  EXPECT_EQ(p.error()[1].field, "url");
  EXPECT_EQ(p.error()[5].field, "body_template");
}

TEST(ValidateCallbackProfile, Url) {
  EXPECT_EQ(OnlyCode(R"({})"), "E460");
  EXPECT_EQ(OnlyCode(R"({"url": "example.com/x"})"), "E460");
  EXPECT_EQ(OnlyCode(R"({"url": "https://"})"), "E460");
  EXPECT_EQ(OnlyCode(R"({"url": "https://a b/"})"), "E460");
  EXPECT_EQ(OnlyCode(R"({"url": 7})"), "E460");
  EXPECT_EQ(OnlyCode(R"({"url": "https://x/)" + std::string(2100, 'a') + R"("})"), "E460");
}

TEST(ValidateCallbackProfile, NameAtMost255) {
  EXPECT_TRUE(Validate(R"({"url": "https://h", "name": ")" + std::string(255, 'n') + R"("})"));
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "name": ")" + std::string(256, 'n') + R"("})"),
            "E452");
}

TEST(ValidateCallbackProfile, Method) {
  for (const char* m : {"GET", "post", "Put"}) {
    EXPECT_TRUE(Validate(R"({"url": "https://h", "method": ")" + std::string(m) + R"("})")) << m;
  }
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "method": "PATCH"})"), "E461");
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "method": ["GET"]})"), "E461");
}

TEST(ValidateCallbackProfile, Headers) {
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "headers": {"X-A": {"b": "c"}}})"), "E462");
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "headers": {"Bad Name": "v"}})"), "E462");
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "headers": {"": "v"}})"), "E462");
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "headers": {"X-A": "a\r\nInjected: 1"}})"), "E462");
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "headers": {"Content-Length": "1"}})"), "E462");
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "headers": {"x-smsgw-signature": "1"}})"), "E462");
  std::string many = R"({"url": "https://h", "headers": {)";
  for (int i = 0; i < 51; ++i) {
    many += (i ? "," : "") + std::string("\"X-") + std::to_string(i) + "\": \"v\"";
  }
  EXPECT_EQ(OnlyCode(many + "}}"), "E462");
}

TEST(ValidateCallbackProfile, Auth) {
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "auth": "basic"})"), "E463");
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "auth": {"username": "u"}})"), "E463");
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "auth": {"type": "basic", "username": "u"}})"),
            "E463");
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "auth": {"type": "basic", "username": "a:b",
                                                       "password": "p"}})"),
            "E463");
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "auth": {"type": "basic", "username": "",
                                                       "password": "p"}})"),
            "E463");
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "auth": {"type": "bearer", "token_url": "x",
                                                       "client_id": "c", "client_secret": "s"}})"),
            "E463");
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "auth": {"type": "bearer",
      "token_url": "https://t", "client_id": "c"}})"),
            "E463");
}

TEST(ValidateCallbackProfile, BodyTemplatePlaceholders) {
  std::string all;
  for (std::string_view name : kCallbackFieldNames) {
    all += "<" + std::string(name) + ">";
  }
  EXPECT_TRUE(Validate(R"({"url": "https://h", "body_template": ")" + all + R"("})"));
  EXPECT_TRUE(Validate(R"({"url": "https://h", "body_template": "a < b, <3, <>, < id>"})"))
      << "a '<' that does not open <name> is text";
  EXPECT_EQ(UnknownPlaceholders("<id> <foo> <bar> <foo> <message>"),
            (std::vector<std::string>{"foo", "bar"}));
  auto p = Validate(R"({"url": "https://h", "body_template": "<msisdn>"})");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().front().field, "body_template");
  EXPECT_NE(p.error().front().reason.find("<msisdn>"), std::string::npos)
      << p.error().front().reason;
  EXPECT_EQ(
      OnlyCode(R"({"url": "https://h", "body_template": ")" + std::string(8001, 'x') + R"("})"),
      "E464");
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "body_template": {"a": "b"}})"), "E464");
}

TEST(ValidateCallbackProfile, FixedRetryBounds) {
  std::string twenty = "[";
  for (int i = 0; i < 20; ++i) {
    twenty += (i ? "," : "") + std::string("60");
  }
  twenty += "]";
  EXPECT_TRUE(
      Validate(R"({"url": "https://h", "retry": {"type": "fixed", "intervals": )" + twenty + "}}"));
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "retry": {"type": "fixed", "intervals": )" +
                     twenty.substr(0, twenty.size() - 1) + ",60]}}"),
            "E465");
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "retry": {"type": "fixed", "intervals": [0]}})"),
            "E465");
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "retry": {"type": "fixed", "intervals": [86401]}})"),
            "E465");
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "retry": {"type": "fixed", "intervals": ["x"]}})"),
            "E465");
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "retry": {"type": "fixed"}})"), "E465");
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "retry": [10, 60]})"), "E465");
}

TEST(ValidateCallbackProfile, ExponentialRetryBounds) {
  auto defaults = Validate(R"({"url": "https://h", "retry": {"type": "exponential"}})");
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->retry.initial, seconds(10));
  EXPECT_EQ(defaults->retry.max_delay, seconds(3600));
  EXPECT_EQ(defaults->retry.horizon, seconds(86400));
  for (const char* bad :
       {R"("initial": 0)", R"("initial": 3601)", R"("max_delay": 86401)",
        R"("initial": 100, "max_delay": 50)", R"("horizon": 59)", R"("horizon": 604801)",
        R"("initial": 120, "horizon": 60)", R"("initial": -5)"}) {
    EXPECT_EQ(OnlyCode(R"({"url": "https://h", "retry": {"type": "exponential", )" +
                       std::string(bad) + "}}"),
              "E465")
        << bad;
  }
}

TEST(ValidateCallbackProfile, DefaultFlag) {
  for (const char* yes : {"true", "\"true\"", "\"1\""}) {
    auto p = Validate(R"({"url": "https://h", "default": )" + std::string(yes) + "}");
    ASSERT_TRUE(p) << yes;
    EXPECT_TRUE(p->is_default) << yes;
  }
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "default": "yes"})"), "E466");
  EXPECT_EQ(OnlyCode(R"({"url": "https://h", "default": [true]})"), "E466");
}

TEST(CallbackProfileJson, MasksSecrets) {
  auto basic = Validate(R"({"url": "https://h", "auth": {"type": "basic", "username": "u",
                            "password": "hunter2hunter2"}})");
  ASSERT_TRUE(basic);
  const std::string json = CallbackProfileJson(*basic);
  EXPECT_EQ(json.find("hunter2"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("password":"****")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("id":"SG_0d4c6f5e)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("retry":{"type":"fixed","intervals":[10,10,10]})"), std::string::npos)
      << json;

  auto bearer = Validate(R"({"url": "https://h", "auth": {"type": "bearer",
      "token_url": "https://t", "client_id": "c", "client_secret": "topsecretvalue"}})");
  ASSERT_TRUE(bearer);
  const std::string list = CallbackProfileListJson({*basic, *bearer});
  EXPECT_EQ(list.find("topsecretvalue"), std::string::npos) << list;
  EXPECT_EQ(list.find("hunter2"), std::string::npos) << list;
  EXPECT_NE(list.find(R"("totalCount":2)"), std::string::npos) << list;
}

TEST(CallbackProfileJson, RequestJsonRoundTrips) {
  auto p = Validate(R"({"name": "n", "url": "https://h", "method": "GET",
      "headers": {"X-A": "1"}, "auth": {"type": "bearer", "token_url": "https://t",
      "client_id": "c", "client_secret": "s"}, "body_template": "<id>",
      "retry": {"type": "exponential", "initial": 3, "max_delay": 30, "horizon": 300},
      "default": true})");
  ASSERT_TRUE(p);
  auto again = Validate(CallbackProfileRequestJson(*p));
  ASSERT_TRUE(again) << again.error().front().reason;
  EXPECT_EQ(*again, *p);
}

// Static headers carry credentials (Authorization, X-Api-Key) and a URL may carry a password: a
// response shows neither, and a PUT that sends the masked form back keeps what is stored.
TEST(CallbackProfileJson, HeadersAndUrlPasswordsAreMasked) {
  auto p = Validate(R"({"url": "https://hook:s3cr3t-pw@crm.example.com/h?x=1",
      "headers": {"Authorization": "Bearer tok-123", "X-Tenant": "acme"},
      "auth": {"type": "bearer", "token_url": "https://id:pw-777@auth.example.com/token",
               "client_id": "c", "client_secret": "s"}})");
  ASSERT_TRUE(p);
  const std::string shown = CallbackProfileJson(*p);
  for (const char* secret : {"s3cr3t-pw", "tok-123", "acme", "pw-777"}) {
    EXPECT_EQ(shown.find(secret), std::string::npos) << secret << " in " << shown;
  }
  EXPECT_NE(shown.find(R"("url":"https://hook:****@crm.example.com/h?x=1")"), std::string::npos)
      << shown;
  EXPECT_NE(shown.find(R"("headers":{"Authorization":"****","X-Tenant":"****"})"),
            std::string::npos)
      << shown;

  // The answer sent back as a PUT keeps every stored secret.
  rapidjson::Document doc;
  ASSERT_TRUE(core::ParseJson(shown, doc, core::kJsonNumbersAsStrings));
  auto put = ValidateCallbackProfile(doc, p->sid, p->id, {}, core::EgressPolicy{});
  ASSERT_TRUE(put) << put.error().front().reason;
  KeepStoredSecrets(*put, *p);
  EXPECT_EQ(put->url, p->url);
  EXPECT_EQ(put->headers, p->headers);
  EXPECT_EQ(put->auth.token_url, p->auth.token_url);
  EXPECT_EQ(put->auth.client_secret, p->auth.client_secret);
}

TEST(MaskedUrl, MasksTheUserinfosSecretOnly) {
  EXPECT_EQ(MaskedUrl("https://u:p@h/x"), "https://u:****@h/x");
  EXPECT_EQ(MaskedUrl("https://token@h"), "https://****@h");
  EXPECT_EQ(MaskedUrl("http://h:8080/a@b"), "http://h:8080/a@b") << "an @ in the path";
  EXPECT_EQ(MaskedUrl("http://h/?q=u:p@x"), "http://h/?q=u:p@x");
  EXPECT_EQ(MaskedUrl("https://a:b@c@h/"), "https://a:****@h/");
  EXPECT_EQ(MaskedUrl("not a url"), "not a url");
}

TEST(KeepStoredSecrets, MaskedSecretKeepsTheStoredOne) {
  auto stored = Validate(R"({"url": "https://h", "auth": {"type": "basic", "username": "u",
                             "password": "original"}})");
  ASSERT_TRUE(stored);
  stored->created_at = core::FromUnixMillis(1000);
  auto put = Validate(R"({"url": "https://h2", "auth": {"type": "basic", "username": "v",
                          "password": "****"}})");
  ASSERT_TRUE(put);
  KeepStoredSecrets(*put, *stored);
  EXPECT_EQ(put->auth.password, "original");
  EXPECT_EQ(put->auth.user, "v");
  EXPECT_EQ(put->created_at, core::FromUnixMillis(1000));

  auto changed = Validate(R"({"url": "https://h", "auth": {"type": "basic", "username": "u",
                              "password": "new"}})");
  KeepStoredSecrets(*changed, *stored);
  EXPECT_EQ(changed->auth.password, "new");

  auto bearer = Validate(R"({"url": "https://h", "auth": {"type": "bearer",
      "token_url": "https://t", "client_id": "c", "client_secret": "****"}})");
  KeepStoredSecrets(*bearer, *stored);
  EXPECT_EQ(bearer->auth.client_secret, "****") << "another kind of auth keeps nothing";
}

}  // namespace
}  // namespace smsgw::api
