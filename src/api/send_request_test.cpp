#include "api/send_request.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "api/request_body.h"

namespace smsgw::api {
namespace {

using namespace std::chrono_literals;

const core::TimePoint kNow = core::FromUnixMillis(1794992000000);  // 2026-11-18 08:53:20 UTC

SendContext Context(core::Region region = core::Region::kSg) {
  SendContext ctx;
  ctx.region = region;
  ctx.now = kNow;
  return ctx;
}

std::expected<SendRequest, std::vector<FieldError>> ValidateWith(const std::string& json,
                                                                 const SendContext& ctx) {
  rapidjson::Document doc;
  auto parsed = ParseJsonBody(json, doc);
  EXPECT_TRUE(parsed) << json;
  return ValidateSend(doc, ctx);
}

std::expected<SendRequest, std::vector<FieldError>> ValidateJson(
    const std::string& json, core::Region region = core::Region::kSg) {
  return ValidateWith(json, Context(region));
}

// A registered template as the registry cache hands it to validation.
RegisteredTemplate Registered(const std::string& id, const std::string& text,
                              std::optional<core::RouteType> type = std::nullopt,
                              std::vector<std::string> senders = {}) {
  store::Template t;
  t.sid = "HXSG1SG";
  t.template_id = id;
  t.text = text;
  t.type = type;
  t.senders = std::move(senders);
  auto registered = MakeRegisteredTemplate(std::move(t));
  EXPECT_TRUE(registered) << text;
  return std::move(*registered);
}

store::Sender RegisteredSender(const std::string& sender, const std::string& entity_id) {
  return store::Sender{"HXSG1SG", sender, "", "IN", entity_id, {}, {}};
}

std::expected<SendRequest, std::vector<FieldError>> ValidateForm(const std::string& form) {
  rapidjson::Document doc;
  auto parsed = ParseFormBody(form, doc);
  EXPECT_TRUE(parsed) << form;
  return ValidateSend(doc, Context());
}

// The single error a request produced, asserting there is exactly one.
FieldError OnlyError(const std::expected<SendRequest, std::vector<FieldError>>& result) {
  EXPECT_FALSE(result.has_value());
  if (result.has_value()) {
    return {};
  }
  EXPECT_EQ(result.error().size(), 1u);
  return result.error().front();
}

std::string Valid(const std::string& extra = "") {
  return R"({"to":"+919876543210","sender":"ACMEIN","body":"Hi")" +
         (extra.empty() ? "" : "," + extra) + "}";
}

TEST(ParseUnicodeMode, KaleyrasThreeValuesInAnyCase) {
  EXPECT_EQ(ParseUnicodeMode("AUTO"), text::UnicodeMode::kAuto);
  EXPECT_EQ(ParseUnicodeMode("auto"), text::UnicodeMode::kAuto);
  EXPECT_EQ(ParseUnicodeMode("0"), text::UnicodeMode::kGsm7);
  EXPECT_EQ(ParseUnicodeMode("1"), text::UnicodeMode::kUcs2);
  EXPECT_EQ(ParseUnicodeMode(""), std::nullopt);
  EXPECT_EQ(ParseUnicodeMode("2"), std::nullopt);
  EXPECT_EQ(ParseUnicodeMode(" 1"), std::nullopt);
}

TEST(ValidateSend, MinimalRequest) {
  auto r = ValidateJson(Valid());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->recipients, std::vector<std::string>{"919876543210"});
  EXPECT_EQ(r->sender, "ACMEIN");
  EXPECT_EQ(r->type, core::RouteType::kDefault);
  EXPECT_EQ(r->encoding, core::Encoding::kGsm7);
  EXPECT_EQ(r->segments, 1);
  EXPECT_FALSE(r->send_at.has_value());
}

TEST(ValidateSend, ToForms) {
  auto list = ValidateJson(R"({"to":"+919876543210, +14155550100","sender":"A","body":"x"})");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->recipients, (std::vector<std::string>{"919876543210", "14155550100"}));
  auto array = ValidateJson(R"({"to":["+919876543210", 14155550100],"sender":"A","body":"x"})");
  ASSERT_TRUE(array);
  EXPECT_EQ(array->recipients, (std::vector<std::string>{"919876543210", "14155550100"}));
  auto number = ValidateJson(R"({"to":919876543210,"sender":"A","body":"x"})");
  ASSERT_TRUE(number);
  EXPECT_EQ(number->recipients, std::vector<std::string>{"919876543210"});
}

TEST(ValidateSend, DuplicatesAreSentOnce) {
  auto r = ValidateJson(R"({"to":"+919876543210,919876543210,+91 98765 43210","sender":"A",
                            "body":"x"})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->recipients.size(), 1u);
}

TEST(ValidateSend, PrefixAppliesToNumbersWithoutPlus) {
  auto r = ValidateJson(R"({"to":"9876543210,+14155550100","prefix":"+91","sender":"A",
                            "body":"x"})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->recipients, (std::vector<std::string>{"919876543210", "14155550100"}));
}

TEST(ValidateSend, PartialAcceptance) {
  auto r = ValidateJson(R"({"to":"+919876543210,12345,abc","sender":"A","body":"x"})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->recipients.size(), 1u);
  EXPECT_EQ(r->rejected, (std::vector<std::string>{"12345", "abc"}));
}

TEST(ValidateSend, ToErrors) {
  EXPECT_EQ(OnlyError(ValidateJson(R"({"sender":"A","body":"x"})")).error, ApiError::kToMissing);
  EXPECT_EQ(OnlyError(ValidateJson(R"({"to":" , ","sender":"A","body":"x"})")).error,
            ApiError::kToMissing);
  const FieldError none = OnlyError(ValidateJson(R"({"to":"123,abc","sender":"A","body":"x"})"));
  EXPECT_EQ(none.error, ApiError::kToInvalid);
  EXPECT_EQ(none.reason, "Invalid number(s): 123, abc");
  EXPECT_EQ(OnlyError(ValidateJson(R"({"to":{"a":1},"sender":"A","body":"x"})")).error,
            ApiError::kToInvalid);
  std::string many;
  for (int i = 0; i < 101; ++i) {
    many +=
        (i ? "," : "") + std::string("+9198765432") + (i < 10 ? "0" : "") + std::to_string(i % 100);
  }
  EXPECT_EQ(OnlyError(ValidateJson(R"({"to":")" + many + R"(","sender":"A","body":"x"})")).error,
            ApiError::kTooManyRecipients);
}

TEST(ValidateSend, HundredRecipientsIsTheLimit) {
  std::string list;
  for (int i = 0; i < 100; ++i) {
    char number[20];
    std::snprintf(number, sizeof number, "+9198765%05d", i);
    list += (i ? "," : "") + std::string(number);
  }
  auto r = ValidateJson(R"({"to":")" + list + R"(","sender":"A","body":"x"})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->recipients.size(), 100u);
}

TEST(ValidateSend, Sender) {
  for (const char* ok : {"A", "ACMEIN", "Acme Bank", "ABCDEFGHIJK", "917012345678", "+14155550100",
                         "123456789012345"}) {
    EXPECT_TRUE(
        ValidateJson(R"({"to":"+919876543210","sender":")" + std::string(ok) + R"(","body":"x"})"))
        << ok;
  }
  for (const char* bad : {"", "ABCDEFGHIJKL", "ACME-IN", "   ", "1234567890123456", "Acmé"}) {
    EXPECT_EQ(OnlyError(ValidateJson(R"({"to":"+919876543210","sender":")" + std::string(bad) +
                                     R"(","body":"x"})"))
                  .error,
              ApiError::kSenderInvalid)
        << bad;
  }
  EXPECT_EQ(OnlyError(ValidateJson(R"({"to":"+919876543210","body":"x"})")).error,
            ApiError::kSenderInvalid);
}

TEST(ValidateSend, TypeByRegion) {
  auto otp = ValidateJson(Valid(R"("type":"otp")"));
  ASSERT_TRUE(otp);
  EXPECT_EQ(otp->type, core::RouteType::kOtp);
  EXPECT_EQ(OnlyError(ValidateJson(Valid(R"("type":"MKT")"))).error, ApiError::kTypeInvalid);

  // India: a registered template without an approved type, and registration not required.
  const RegisteredTemplate any_type = Registered("101234567890", "Hi");
  SendContext india_ctx = Context(core::Region::kIn);
  india_ctx.registered_template = &any_type;
  const std::string india = R"({"to":"+919876543210","sender":"ACMEIN","body":"Hi",
                                "template_id":"101234567890")";
  auto txnd = ValidateWith(india + R"(,"type":"TxnD"})", india_ctx);
  ASSERT_TRUE(txnd);
  EXPECT_EQ(txnd->type, core::RouteType::kTxnd);
  auto defaulted = ValidateWith(india + "}", india_ctx);
  ASSERT_TRUE(defaulted);
  EXPECT_EQ(defaulted->type, core::RouteType::kMkt);
  EXPECT_EQ(OnlyError(ValidateWith(india + R"(,"type":"DEFAULT"})", india_ctx)).error,
            ApiError::kTypeInvalid);
}

TEST(ValidateSend, Unicode) {
  auto ucs2 = ValidateJson(Valid(R"("unicode":"1")"));
  ASSERT_TRUE(ucs2);
  EXPECT_EQ(ucs2->encoding, core::Encoding::kUcs2);
  EXPECT_EQ(ucs2->unicode, "1");
  auto autod = ValidateJson(R"({"to":"+919876543210","sender":"A","body":"नमस्ते",
                                "unicode":"auto"})");
  ASSERT_TRUE(autod);
  EXPECT_EQ(autod->encoding, core::Encoding::kUcs2);
  EXPECT_EQ(autod->unicode, "AUTO");
  EXPECT_EQ(OnlyError(ValidateJson(Valid(R"("unicode":"2")"))).error, ApiError::kUnicodeInvalid);
  const FieldError forced =
      OnlyError(ValidateJson(R"({"to":"+919876543210","sender":"A","body":"नमस्ते","unicode":0})"));
  EXPECT_EQ(forced.error, ApiError::kUnicodeInvalid);
  EXPECT_NE(forced.reason.find("U+0928"), std::string::npos) << forced.reason;
}

TEST(ValidateSend, SmartEncodingKeepsLookAlikesInGsm7) {
  rapidjson::Document doc;
  ASSERT_TRUE(
      ParseJsonBody(R"({"to":"+919876543210","sender":"A","body":"“Hi” — see you…"})", doc));
  SendContext ctx = Context();
  auto plain = ValidateSend(doc, ctx);
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->encoding, core::Encoding::kUcs2);
  ctx.smart_encoding = true;
  auto smart = ValidateSend(doc, ctx);
  ASSERT_TRUE(smart);
  EXPECT_EQ(smart->encoding, core::Encoding::kGsm7);
  EXPECT_EQ(smart->body, "\"Hi\" - see you...");
  EXPECT_EQ(smart->segments, 1);
}

TEST(ValidateSend, Flash) {
  auto r = ValidateJson(Valid(R"("flash":1)"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->flash, "1");
  EXPECT_EQ(OnlyError(ValidateJson(Valid(R"("flash":"yes")"))).error, ApiError::kFlashInvalid);
  EXPECT_EQ(OnlyError(ValidateJson(Valid(R"("flash":true)"))).error, ApiError::kFlashInvalid);
}

TEST(ValidateSend, TimeWindow) {
  // kNow is 2026-11-18T08:53:20Z.
  auto r = ValidateJson(Valid(R"("time":"2026-11-18T14:38:20+05:30")"));  // +15 min exactly
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->send_at.has_value());
  EXPECT_EQ(*r->send_at, kNow + 15min);
  EXPECT_EQ(OnlyError(ValidateJson(Valid(R"("time":"2026-11-18T09:08:19Z")"))).error,
            ApiError::kTimeInvalid);  // one second short of 15 minutes
  EXPECT_TRUE(ValidateJson(Valid(R"("time":"2027-02-18T08:53:20Z")")));  // 92 days
  EXPECT_EQ(OnlyError(ValidateJson(Valid(R"("time":"2027-02-18T08:53:21Z")"))).error,
            ApiError::kTimeInvalid);
  EXPECT_EQ(OnlyError(ValidateJson(Valid(R"("time":"2026-11-19 10:00")"))).error,
            ApiError::kTimeInvalid);
  EXPECT_TRUE(ValidateJson(Valid(R"("time":"")")));  // empty means now
}

TEST(ValidateSend, Prefix) {
  EXPECT_EQ(OnlyError(ValidateJson(Valid(R"("prefix":"+12345")"))).error, ApiError::kPrefixInvalid);
  EXPECT_EQ(OnlyError(ValidateJson(Valid(R"("prefix":"+9a")"))).error, ApiError::kPrefixInvalid);
  EXPECT_TRUE(ValidateJson(Valid(R"("prefix":"+91")")));
}

TEST(ValidateSend, BodyLengthInCodePoints) {
  std::string euros;
  for (int i = 0; i < 4000; ++i) {
    euros += "€";
  }
  auto ok = ValidateJson(R"({"to":"+919876543210","sender":"A","body":")" + euros + R"("})");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->encoding, core::Encoding::kGsm7);
  const FieldError too_long =
      OnlyError(ValidateJson(R"({"to":"+919876543210","sender":"A","body":")" + euros + R"(x"})"));
  EXPECT_EQ(too_long.error, ApiError::kBodyTooLong);
  EXPECT_EQ(too_long.reason, "SMS length is exceeding 4000 characters.");
}

TEST(ValidateSend, BodyRequiredUnlessTemplate) {
  EXPECT_EQ(OnlyError(ValidateJson(R"({"to":"+919876543210","sender":"A"})")).error,
            ApiError::kBodyMissing);
  EXPECT_EQ(OnlyError(ValidateJson(R"({"to":"+919876543210","sender":"A","body":""})")).error,
            ApiError::kBodyMissing);
  // A template_id the account has not registered cannot stand in for the body.
  const FieldError unknown = OnlyError(ValidateJson(R"({"to":"+919876543210","sender":"A",
                                       "template_id":"1012345678901"})"));
  EXPECT_EQ(unknown.error, ApiError::kTemplateIdInvalid);
  EXPECT_NE(unknown.reason.find("not a registered template"), std::string::npos) << unknown.reason;

  // With a body, the body is sent and the registered template id travels with it.
  const RegisteredTemplate otp = Registered("1012345678901", "Your OTP is {#otp#}");
  SendContext ctx = Context();
  ctx.registered_template = &otp;
  auto both = ValidateWith(R"({"to":"+919876543210","sender":"A","body":"Your OTP is 1234",
                               "template_id":"1012345678901","template_data":{"otp":"1234"}})",
                           ctx);
  ASSERT_TRUE(both);
  EXPECT_EQ(both->body, "Your OTP is 1234");
  EXPECT_EQ(both->template_id, "1012345678901");
  EXPECT_EQ(both->template_data, R"({"otp":"1234"})");
  // The body wins over the template's text even when they differ.
  auto differs = ValidateWith(R"({"to":"+919876543210","sender":"A","body":"Other text",
                                  "template_id":"1012345678901"})",
                              ctx);
  ASSERT_TRUE(differs);
  EXPECT_EQ(differs->body, "Other text");
}

TEST(ValidateSend, TemplateRenderedWhenThereIsNoBody) {
  const RegisteredTemplate otp =
      Registered("1012345678901", "Your OTP is {#otp#}. Valid {#mins#} min.");
  SendContext ctx = Context();
  ctx.registered_template = &otp;
  for (const char* data : {R"({"otp":"4821","mins":"10","extra":"ignored"})",
                           R"({"otp":4821,"mins":10})", R"("{\"otp\":4821,\"mins\":\"10\"}")"}) {
    auto r = ValidateWith(R"({"to":"+919876543210","sender":"A","template_id":"1012345678901",
                              "template_data":)" +
                              std::string(data) + "}",
                          ctx);
    ASSERT_TRUE(r) << data << ": " << r.error().front().reason;
    EXPECT_EQ(r->body, "Your OTP is 4821. Valid 10 min.") << data;
    EXPECT_EQ(r->template_id, "1012345678901");
    EXPECT_EQ(r->encoding, core::Encoding::kGsm7);
    EXPECT_EQ(r->segments, 1);
  }
  // An empty body counts as none.
  auto empty_body = ValidateWith(R"({"to":"+919876543210","sender":"A","body":"",
                                     "template_id":"1012345678901",
                                     "template_data":{"otp":"1","mins":"2"}})",
                                 ctx);
  ASSERT_TRUE(empty_body);
  EXPECT_EQ(empty_body->body, "Your OTP is 1. Valid 2 min.");
}

TEST(ValidateSend, TemplateRenderingErrorsAreTemplateDataErrors) {
  const RegisteredTemplate otp = Registered("1012345678901", "Hi {#name#}, OTP {#otp#}");
  SendContext ctx = Context();
  ctx.registered_template = &otp;
  const std::string base = R"({"to":"+919876543210","sender":"A","template_id":"1012345678901")";
  const FieldError missing =
      OnlyError(ValidateWith(base + R"(,"template_data":{"name":"A"}})", ctx));
  EXPECT_EQ(missing.error, ApiError::kTemplateDataInvalid);
  EXPECT_EQ(missing.field, "template_data");
  EXPECT_NE(missing.reason.find("{#otp#}"), std::string::npos) << missing.reason;
  const FieldError none = OnlyError(ValidateWith(base + "}", ctx));
  EXPECT_EQ(none.error, ApiError::kTemplateDataInvalid);
  const FieldError too_long = OnlyError(ValidateWith(
      base + R"(,"template_data":{"name":"A","otp":")" + std::string(31, '1') + R"("}})", ctx));
  EXPECT_EQ(too_long.error, ApiError::kTemplateDataInvalid);
  EXPECT_NE(too_long.reason.find("30"), std::string::npos);
}

TEST(ValidateSend, RenderedValuesAreLiteralAndUnicodeChoosesUcs2) {
  const RegisteredTemplate t = Registered("1012345678901", "{#a#} / {#b#}");
  SendContext ctx = Context();
  ctx.registered_template = &t;
  auto r = ValidateWith(R"({"to":"+919876543210","sender":"A","template_id":"1012345678901",
                            "template_data":{"a":"{#b#}","b":"नमस्ते"}})",
                        ctx);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "{#b#} / नमस्ते");
  EXPECT_EQ(r->encoding, core::Encoding::kUcs2);
}

TEST(ValidateSend, RenderedTextIsLimitedLikeABody) {
  const RegisteredTemplate t = Registered("1012345678901", std::string(3990, 'x') + "{#v#}");
  SendContext ctx = Context();
  ctx.registered_template = &t;
  const std::string base = R"({"to":"+919876543210","sender":"A","template_id":"1012345678901",
                              "template_data":{"v":")";
  EXPECT_TRUE(ValidateWith(base + std::string(10, 'y') + R"("}})", ctx));
  EXPECT_EQ(OnlyError(ValidateWith(base + std::string(11, 'y') + R"("}})", ctx)).error,
            ApiError::kBodyTooLong);
}

TEST(ValidateSend, SmartEncodingAppliesToTheRenderedText) {
  const RegisteredTemplate t = Registered("1012345678901", "“{#v#}”");
  SendContext ctx = Context();
  ctx.registered_template = &t;
  ctx.smart_encoding = true;
  auto r = ValidateWith(R"({"to":"+919876543210","sender":"A","template_id":"1012345678901",
                            "template_data":{"v":"Hi…"}})",
                        ctx);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "\"Hi...\"");
  EXPECT_EQ(r->encoding, core::Encoding::kGsm7);
}

TEST(ValidateSend, TemplateIdMustBeTheRegisteredOne) {
  // The caller looked up another id (or a stale one): never render a different template.
  const RegisteredTemplate other = Registered("999999999999", "Other");
  SendContext ctx = Context();
  ctx.registered_template = &other;
  EXPECT_EQ(OnlyError(ValidateWith(R"({"to":"+919876543210","sender":"A",
                                       "template_id":"1012345678901"})",
                                   ctx))
                .error,
            ApiError::kTemplateIdInvalid);
}

TEST(ValidateSend, RegisteredSendersWhenRequired) {
  SendContext ctx = Context();
  ctx.require_registered_senders = true;
  const FieldError unregistered = OnlyError(ValidateWith(Valid(), ctx));
  EXPECT_EQ(unregistered.error, ApiError::kSenderNotRegistered);
  EXPECT_EQ(unregistered.field, "sender");
  const store::Sender acme = RegisteredSender("ACMEIN", "1201159000000000001");
  ctx.registered_sender = &acme;
  auto ok = ValidateWith(Valid(), ctx);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->entity_id, "") << "entity ids travel only where DLT applies";
  // Registration of another sender does not count; case matters.
  auto lower = ValidateWith(R"({"to":"+919876543210","sender":"acmein","body":"Hi"})", ctx);
  EXPECT_EQ(OnlyError(lower).error, ApiError::kSenderNotRegistered);
  // Not required: an unregistered sender is fine.
  ctx.require_registered_senders = false;
  ctx.registered_sender = nullptr;
  EXPECT_TRUE(ValidateWith(Valid(), ctx));
}

TEST(ValidateSend, IndiaEnforcesTheTemplatesTypeAndSendersAndCarriesTheEntityId) {
  const RegisteredTemplate otp =
      Registered("1107160000000000001", "OTP {#otp#}", core::RouteType::kOtp, {"ACMEIN", "ACMEOT"});
  const store::Sender acme = RegisteredSender("ACMEIN", "1201159000000000001");
  SendContext ctx = Context(core::Region::kIn);
  ctx.require_registered_senders = true;
  ctx.registered_template = &otp;
  ctx.registered_sender = &acme;
  const std::string base = R"({"to":"+919876543210","template_id":"1107160000000000001",
                              "template_data":{"otp":"1"})";
  auto ok = ValidateWith(base + R"(,"sender":"ACMEIN"})", ctx);
  ASSERT_TRUE(ok) << ok.error().front().reason;
  EXPECT_EQ(ok->type, core::RouteType::kOtp) << "the template's type is the default";
  EXPECT_EQ(ok->entity_id, "1201159000000000001");
  EXPECT_EQ(ok->body, "OTP 1");
  EXPECT_TRUE(ValidateWith(base + R"(,"sender":"ACMEIN","type":"otp"})", ctx));

  const FieldError type =
      OnlyError(ValidateWith(base + R"(,"sender":"ACMEIN","type":"MKT"})", ctx));
  EXPECT_EQ(type.error, ApiError::kTypeNotInTemplate);
  EXPECT_EQ(type.field, "type");

  // A registered sender the template is not approved for.
  const store::Sender other = RegisteredSender("OTHERS", "1201159000000000002");
  ctx.registered_sender = &other;
  const FieldError sender = OnlyError(ValidateWith(base + R"(,"sender":"OTHERS"})", ctx));
  EXPECT_EQ(sender.error, ApiError::kSenderNotInTemplate);
  EXPECT_NE(sender.reason.find("ACMEIN, ACMEOT"), std::string::npos) << sender.reason;

  // Elsewhere the same template's type and senders are not enforced and no entity id travels.
  SendContext sg = ctx;
  sg.region = core::Region::kSg;
  sg.require_registered_senders = false;
  auto loose = ValidateWith(base + R"(,"sender":"OTHERS","type":"DEFAULT"})", sg);
  ASSERT_TRUE(loose) << loose.error().front().reason;
  EXPECT_EQ(loose->type, core::RouteType::kDefault);
  EXPECT_EQ(loose->entity_id, "");
  auto defaulted = ValidateWith(base + R"(,"sender":"OTHERS"})", sg);
  ASSERT_TRUE(defaulted);
  EXPECT_EQ(defaulted->type, core::RouteType::kOtp) << "the template's type is still the default";
}

TEST(ValidateSend, IndiaTemplateWithoutSendersTakesAnyRegisteredSender) {
  const RegisteredTemplate any = Registered("1107160000000000001", "Hi");
  const store::Sender acme = RegisteredSender("ACMEIN", "1201159000000000001");
  SendContext ctx = Context(core::Region::kIn);
  ctx.require_registered_senders = true;
  ctx.registered_template = &any;
  ctx.registered_sender = &acme;
  auto r = ValidateWith(R"({"to":"+919876543210","sender":"ACMEIN",
                            "template_id":"1107160000000000001","type":"TXN"})",
                        ctx);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "Hi");
  EXPECT_EQ(r->type, core::RouteType::kTxn);
}

TEST(PeekRegistryKeys, OnlyWellFormedKeys) {
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJsonBody(R"({"template_id":1107160000000000001,"sender":"ACMEIN"})", doc));
  RegistryKeys keys = PeekRegistryKeys(doc, core::Region::kSg);
  EXPECT_EQ(keys.template_id, "1107160000000000001");
  EXPECT_EQ(keys.sender, "ACMEIN");
  ASSERT_TRUE(ParseJsonBody(R"({"template_id":"12","sender":"TOO-LONG-SENDER"})", doc));
  keys = PeekRegistryKeys(doc, core::Region::kSg);
  EXPECT_EQ(keys.template_id, "");
  EXPECT_EQ(keys.sender, "");
  ASSERT_TRUE(ParseJsonBody(R"({"template_id":{},"sender":["A"]})", doc));
  keys = PeekRegistryKeys(doc, core::Region::kSg);
  EXPECT_EQ(keys.template_id, "");
  EXPECT_EQ(keys.sender, "");
  // A callback profile id of the deployment's region only.
  ASSERT_TRUE(
      ParseJsonBody(R"({"callback_profile_id":"SG_09b3dfa7-e05d-4d84-ab2d-6ed654272abc"})", doc));
  EXPECT_EQ(PeekRegistryKeys(doc, core::Region::kSg).callback_profile_id,
            "SG_09b3dfa7-e05d-4d84-ab2d-6ed654272abc");
  EXPECT_EQ(PeekRegistryKeys(doc, core::Region::kIn).callback_profile_id, "");
}

TEST(ValidateSend, TemplateId) {
  EXPECT_EQ(OnlyError(ValidateJson(Valid(R"("template_id":"12345678901")"))).error,
            ApiError::kTemplateIdInvalid);  // 11 digits
  const RegisteredTemplate thirty = Registered("123456789012345678901234567890", "x");
  SendContext ctx = Context();
  ctx.registered_template = &thirty;
  EXPECT_TRUE(ValidateWith(Valid(R"("template_id":"123456789012345678901234567890")"), ctx));
  EXPECT_EQ(
      OnlyError(ValidateJson(Valid(R"("template_id":"1234567890123456789012345678901")"))).error,
      ApiError::kTemplateIdInvalid);  // 31 digits
  EXPECT_EQ(OnlyError(ValidateJson(Valid(R"("template_id":"1012345678AB")"))).error,
            ApiError::kTemplateIdInvalid);
  // Region IN requires it (DLT).
  EXPECT_EQ(OnlyError(ValidateJson(Valid(), core::Region::kIn)).error,
            ApiError::kTemplateIdInvalid);
}

TEST(ValidateSend, TemplateData) {
  rapidjson::Document form;
  ASSERT_TRUE(
      ParseFormBody("to=%2B919876543210&sender=A&template_id=101234567890&"
                    "template_data=%7B%22name%22%3A%22John%22%7D",
                    form));
  const RegisteredTemplate hi = Registered("101234567890", "Hi <name>");
  SendContext ctx = Context();
  ctx.registered_template = &hi;
  auto rendered = ValidateSend(form, ctx);
  ASSERT_TRUE(rendered);
  EXPECT_EQ(rendered->body, "Hi John");
  EXPECT_EQ(OnlyError(ValidateJson(Valid(R"("template_data":"not json")"))).error,
            ApiError::kTemplateDataInvalid);
  EXPECT_EQ(
      OnlyError(ValidateJson(Valid(R"("template_data":{"a":"1234567890123456789012345678901"})")))
          .error,
      ApiError::kTemplateDataInvalid);
  EXPECT_EQ(OnlyError(ValidateJson(Valid(R"("template_data":{"a":{"b":1}})"))).error,
            ApiError::kTemplateDataInvalid);
}

TEST(ValidateSend, Refs) {
  const std::string ok(255, 'r');
  const std::string bad(256, 'r');
  auto r = ValidateJson(Valid(R"("ref":")" + ok + R"(","ref1":"a","ref2":"b")"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->ref, ok);
  const FieldError e = OnlyError(ValidateJson(Valid(R"("ref2":")" + bad + R"(")")));
  EXPECT_EQ(e.error, ApiError::kRefInvalid);
  EXPECT_EQ(e.field, "ref2");
}

TEST(ValidateSend, RefCustomForms) {
  auto kaleyra = ValidateJson(Valid(R"("ref_custom":"['John','Doe']")"));
  ASSERT_TRUE(kaleyra);
  EXPECT_EQ(*kaleyra->ref_custom, (std::vector<std::string>{"John", "Doe"}));
  auto array = ValidateJson(Valid(R"("ref_custom":["a","b","c","d","e"])"));
  ASSERT_TRUE(array);
  EXPECT_EQ(array->ref_custom->size(), 5u);
  EXPECT_EQ(OnlyError(ValidateJson(Valid(R"("ref_custom":["a","b","c","d","e","f"])"))).error,
            ApiError::kRefCustomInvalid);
  EXPECT_EQ(
      OnlyError(ValidateJson(Valid(R"("ref_custom":[")" + std::string(51, 'x') + R"("])"))).error,
      ApiError::kRefCustomInvalid);
  EXPECT_EQ(OnlyError(ValidateJson(Valid(R"("ref_custom":"['unterminated]")"))).error,
            ApiError::kRefCustomInvalid);
  EXPECT_EQ(ParseRefCustomString("['a, b', \"c\"]"), (std::vector<std::string>{"a, b", "c"}));
  EXPECT_EQ(ParseRefCustomString("[]"), std::vector<std::string>{});
}

TEST(ValidateSend, CampaignName) {
  EXPECT_TRUE(ValidateJson(Valid(R"("campaign_name":"Black_Friday-2026")")));
  EXPECT_EQ(OnlyError(ValidateJson(Valid(R"("campaign_name":"Black Friday")"))).error,
            ApiError::kCampaignNameInvalid);
}

TEST(ValidateSend, CallbackProfileId) {
  SendContext found = Context();
  found.callback_profile_found = true;
  const std::string ours =
      Valid(R"("callback_profile_id":"SG_09b3dfa7-e05d-4d84-ab2d-6ed654272abc")");
  auto accepted = ValidateWith(ours, found);
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->callback_profile_id, "SG_09b3dfa7-e05d-4d84-ab2d-6ed654272abc");
  // Well-formed but not a profile of the account (another account's, or none).
  const FieldError unknown = OnlyError(ValidateJson(ours));
  EXPECT_EQ(unknown.error, ApiError::kCallbackProfileInvalid);
  EXPECT_EQ(unknown.reason, "callback_profile_id is not a callback profile of this account.");
  EXPECT_EQ(
      OnlyError(
          ValidateWith(Valid(R"("callback_profile_id":"IN_09b3dfa7-e05d-4d84-ab2d-6ed654272abc")"),
                       found))
          .error,
      ApiError::kCallbackProfileInvalid);  // another region's profile
  EXPECT_EQ(OnlyError(ValidateWith(Valid(R"("callback_profile_id":"SG_nope")"), found)).error,
            ApiError::kCallbackProfileInvalid);
}

TEST(ValidateSend, Callback) {
  const std::string kaleyra_form =
      "to=196xxxxxx56&to=%2B919876543210&body=x&sender=917012345678&type=DEFAULT&callback="
      "%7B%22url%22%3A%22https%3A%2F%2Fwebhook.site%2Fx%22%2C%22method%22%3A%22POST%22%2C%22"
      "header%22%3A%7B%22x-api-key%22%3A%22q%22%7D%2C%22retry%22%3A%7B%22count%22%3A%223%22%2C"
      "%22interval%22%3A%5B%2210%22%2C%2210%22%2C%2210%22%5D%7D%7D";
  auto form = ValidateForm(kaleyra_form);
  ASSERT_TRUE(form) << form.error().front().reason;
  EXPECT_NE(form->callback.find("webhook.site"), std::string::npos);
  EXPECT_EQ(form->rejected, std::vector<std::string>{"196xxxxxx56"});

  EXPECT_TRUE(ValidateJson(Valid(R"("callback":{"url":"http://example.com/dlr","method":"get"})")));
  for (const char* bad :
       {R"("callback":{"url":"ftp://example.com"})", R"("callback":{"method":"POST"})",
        R"("callback":{"url":"https://x","method":"PUT"})",
        R"("callback":{"url":"https://x","header":{"a":{"b":1}}})",
        R"("callback":{"url":"https://x","header":["a"]})",
        R"("callback":{"url":"https://x","retry":{"count":"many"}})",
        R"("callback":{"url":"https://x","retry":{"interval":["0"]}})", R"("callback":"{oops")",
        R"("callback":42)"}) {
    EXPECT_EQ(OnlyError(ValidateJson(Valid(bad))).error, ApiError::kCallbackInvalid) << bad;
  }
}

TEST(ValidateSend, EveryBadFieldReportedAtOnceInContractOrder) {
  auto r = ValidateJson(R"({"sender":"TOO-LONG-SENDER","type":"X","unicode":"x","flash":"2",
                            "time":"soon","prefix":"x","ref":")" +
                        std::string(300, 'a') +
                        R"(","ref_custom":{},"campaign_name":"a b",
                            "callback_profile_id":"x","callback":{}})");
  ASSERT_FALSE(r);
  std::vector<std::string> fields;
  for (const FieldError& e : r.error()) {
    fields.push_back(e.field);
  }
  EXPECT_EQ(fields, (std::vector<std::string>{"to", "sender", "type", "unicode", "flash", "time",
                                              "prefix", "body", "ref", "ref_custom",
                                              "campaign_name", "callback_profile_id", "callback"}));
}

TEST(ValidateSend, NullFieldsAreAbsent) {
  auto r = ValidateJson(Valid(R"("time":null,"type":null,"callback":null,"ref_custom":null)"));
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->send_at.has_value());
}

TEST(BuildMessages, OnePerRecipientWithRequestFields) {
  auto r = ValidateJson(R"({"to":"+919876543210,+14155550100","sender":"ACMEIN","body":"Hi",
                            "time":"2026-11-19T00:00:00Z","ref":"r","ref_custom":["a"],
                            "flash":"1"})");
  ASSERT_TRUE(r);
  auto messages = BuildMessages(*r, "HXSG1SG", "req", kNow);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].id, "req:1");
  EXPECT_EQ(messages[1].id, "req:2");
  EXPECT_EQ(messages[1].recipient, "14155550100");
  EXPECT_EQ(messages[0].state, core::MessageState::kScheduled);
  EXPECT_EQ(messages[0].status_details, "SCHEDULED");
  EXPECT_TRUE(messages[0].flash);
  EXPECT_EQ(messages[0].ref_custom, R"(["a"])");
  EXPECT_EQ(messages[0].sid, "HXSG1SG");

  rapidjson::Document body;
  body.Parse(SendResponseBody(*r, messages, "req", kNow).c_str());
  EXPECT_STREQ(body["id"].GetString(), "req");
  EXPECT_EQ(body["totalCount"].GetInt(), 2);
  EXPECT_STREQ(body["data"][1]["message_id"].GetString(), "req:2");
  EXPECT_STREQ(body["createdDateTime"].GetString(), "2026-11-18 08:53:20+00:00");
  EXPECT_TRUE(body["dlrurl"].IsNull());
  EXPECT_STREQ(body["encoding"].GetString(), "GSM7");
  EXPECT_EQ(body["segments"].GetInt(), 1);
  EXPECT_STREQ(body["time"].GetString(), "2026-11-19T00:00:00Z");
  EXPECT_STREQ(body["flash"].GetString(), "1");
  EXPECT_TRUE(body["error"].IsObject());
  EXPECT_TRUE(body["error"].ObjectEmpty());
}

TEST(BuildMessages, CarryTheRenderedTextTemplateIdAndEntityId) {
  const RegisteredTemplate otp = Registered("1107160000000000001", "OTP {#otp#}");
  const store::Sender acme = RegisteredSender("ACMEIN", "1201159000000000001");
  SendContext ctx = Context(core::Region::kIn);
  ctx.registered_template = &otp;
  ctx.registered_sender = &acme;
  auto r = ValidateWith(R"({"to":"+919876543210","sender":"ACMEIN",
                            "template_id":"1107160000000000001","template_data":{"otp":"77"}})",
                        ctx);
  ASSERT_TRUE(r) << r.error().front().reason;
  auto messages = BuildMessages(*r, "HXIN1IN", "req", kNow);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].body, "OTP 77");
  EXPECT_EQ(messages[0].template_id, "1107160000000000001");
  EXPECT_EQ(messages[0].template_data, R"({"otp":"77"})");
  EXPECT_EQ(messages[0].entity_id, "1201159000000000001");
  rapidjson::Document body;
  body.Parse(SendResponseBody(*r, messages, "req", kNow).c_str());
  EXPECT_STREQ(body["body"].GetString(), "OTP 77");
  EXPECT_STREQ(body["template_id"].GetString(), "1107160000000000001");
}

TEST(BuildMessages, LongUnicodeSegments) {
  std::string text;
  for (int i = 0; i < 71; ++i) {
    text += "ह";
  }
  auto r = ValidateJson(R"({"to":"+919876543210","sender":"A","body":")" + text + R"("})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->encoding, core::Encoding::kUcs2);
  EXPECT_EQ(r->segments, 2);
}

}  // namespace
}  // namespace smsgw::api
