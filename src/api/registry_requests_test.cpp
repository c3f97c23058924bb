#include "api/registry_requests.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "api/request_body.h"

namespace smsgw::api {
namespace {

const core::TimePoint kNow = core::FromUnixMillis(1794992000000);  // 2026-11-18 08:53:20 UTC

rapidjson::Document Json(const std::string& text) {
  rapidjson::Document doc;
  auto parsed = ParseJsonBody(text, doc);
  EXPECT_TRUE(parsed) << text;
  return doc;
}

std::vector<std::string> Fields(const FieldErrors& errors) {
  std::vector<std::string> out;
  for (const FieldError& e : errors) {
    out.push_back(e.field);
  }
  return out;
}

// The single error, asserting there is exactly one.
template <class T>
FieldError OnlyError(const std::expected<T, FieldErrors>& result) {
  EXPECT_FALSE(result.has_value());
  if (result.has_value()) {
    return {};
  }
  EXPECT_EQ(result.error().size(), 1u) << Fields(result.error()).front();
  return result.error().front();
}

TEST(ValidateTemplateCreate, TheIssuesExample) {
  auto t = ValidateTemplateCreate(Json(R"({"template_id": "1107160000000000001", "name": "otp",
                                           "text": "Your OTP is {#otp#}", "type": "OTP",
                                           "senders": ["ACMEIN"]})"),
                                  "HXIN1IN", core::Region::kIn, kNow);
  ASSERT_TRUE(t) << t.error().front().reason;
  EXPECT_EQ(t->sid, "HXIN1IN");
  EXPECT_EQ(t->template_id, "1107160000000000001");
  EXPECT_EQ(t->name, "otp");
  EXPECT_EQ(t->text, "Your OTP is {#otp#}");
  EXPECT_EQ(t->type, std::optional<core::RouteType>(core::RouteType::kOtp));
  EXPECT_EQ(t->senders, std::vector<std::string>{"ACMEIN"});
  EXPECT_EQ(t->created_at, kNow);
  EXPECT_EQ(t->updated_at, kNow);
}

TEST(ValidateTemplateCreate, MinimalAndFormStyle) {
  auto minimal = ValidateTemplateCreate(Json(R"({"template_id":101234567890,"text":"Hi <name>"})"),
                                        "S", core::Region::kSg, kNow);
  ASSERT_TRUE(minimal);
  EXPECT_EQ(minimal->type, std::nullopt);
  EXPECT_TRUE(minimal->senders.empty());
  EXPECT_EQ(minimal->name, "");

  rapidjson::Document form;
  ASSERT_TRUE(
      ParseFormBody("template_id=101234567890&text=Hi+%7B%23n%23%7D&senders=A%2C+B%2CA"
                    "&type=default",
                    form));
  auto from_form = ValidateTemplateCreate(form, "S", core::Region::kSg, kNow);
  ASSERT_TRUE(from_form) << from_form.error().front().reason;
  EXPECT_EQ(from_form->text, "Hi {#n#}");
  EXPECT_EQ(from_form->senders, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(from_form->type, std::optional<core::RouteType>(core::RouteType::kDefault));
}

TEST(ValidateTemplateCreate, EveryBadFieldAtOnce) {
  auto bad = ValidateTemplateCreate(Json(R"({"template_id":"12","text":"Hi {#x","type":"MKT",
                                             "senders":["TOO-LONG-SENDER"],
                                             "name":")" +
                                         std::string(256, 'n') + R"("})"),
                                    "S", core::Region::kSg, kNow);
  ASSERT_FALSE(bad);
  EXPECT_EQ(Fields(bad.error()),
            (std::vector<std::string>{"template_id", "text", "type", "senders", "name"}));
  EXPECT_EQ(bad.error()[0].error, ApiError::kTemplateIdInvalid);
  EXPECT_EQ(bad.error()[1].error, ApiError::kTemplateTextInvalid);
  EXPECT_NE(bad.error()[1].reason.find("placeholder"), std::string::npos);
  EXPECT_EQ(bad.error()[2].error, ApiError::kTypeInvalid);
  EXPECT_NE(bad.error()[2].reason.find("OTP, DEFAULT"), std::string::npos);
  EXPECT_EQ(bad.error()[3].error, ApiError::kTemplateSendersInvalid);
  EXPECT_EQ(bad.error()[4].error, ApiError::kTemplateNameInvalid);

  auto missing = ValidateTemplateCreate(Json("{}"), "S", core::Region::kSg, kNow);
  ASSERT_FALSE(missing);
  EXPECT_EQ(Fields(missing.error()), (std::vector<std::string>{"template_id", "text"}));
}

TEST(ValidateTemplateCreate, TypesFollowTheRegion) {
  const std::string base = R"({"template_id":"101234567890","text":"x","type":)";
  EXPECT_TRUE(ValidateTemplateCreate(Json(base + R"("txn"})"), "S", core::Region::kIn, kNow));
  EXPECT_EQ(
      OnlyError(ValidateTemplateCreate(Json(base + R"("TXN"})"), "S", core::Region::kSg, kNow))
          .error,
      ApiError::kTypeInvalid);
  EXPECT_EQ(
      OnlyError(ValidateTemplateCreate(Json(base + R"(["OTP"]})"), "S", core::Region::kIn, kNow))
          .error,
      ApiError::kTypeInvalid);
}

TEST(ValidateTemplateCreate, SendersLimit) {
  std::string many = "[";
  for (int i = 0; i < 101; ++i) {
    many += (i ? ",\"S" : "\"S") + std::to_string(i) + "\"";
  }
  many += "]";
  EXPECT_EQ(
      OnlyError(ValidateTemplateCreate(
                    Json(R"({"template_id":"101234567890","text":"x","senders":)" + many + "}"),
                    "S", core::Region::kSg, kNow))
          .error,
      ApiError::kTemplateSendersInvalid);
}

TEST(ValidateTemplateCreate, InvalidUtf8FromTheCommandLineIsRefused) {
  rapidjson::Document doc;
  doc.SetObject();
  auto& a = doc.GetAllocator();
  doc.AddMember("template_id", "101234567890", a);
  doc.AddMember("text", rapidjson::Value("Hi \xC3\x28", a), a);
  doc.AddMember("name", rapidjson::Value("\xFF", a), a);
  auto bad = ValidateTemplateCreate(doc, "S", core::Region::kSg, kNow);
  ASSERT_FALSE(bad);
  EXPECT_EQ(Fields(bad.error()), (std::vector<std::string>{"text", "name"}));
}

TEST(ValidateTemplateChange, PatchChangesOnlyWhatIsPresent) {
  auto text = ValidateTemplateChange(Json(R"({"text":"New {#a#}"})"), "101234567890",
                                     UpdateMode::kPatch, core::Region::kSg);
  ASSERT_TRUE(text);
  EXPECT_EQ(text->text, std::optional<std::string>("New {#a#}"));
  EXPECT_FALSE(text->name || text->type || text->senders);

  auto clear = ValidateTemplateChange(Json(R"({"type":null,"senders":[],"name":""})"),
                                      "101234567890", UpdateMode::kPatch, core::Region::kSg);
  ASSERT_TRUE(clear);
  ASSERT_TRUE(clear->type.has_value());
  EXPECT_EQ(*clear->type, std::nullopt);
  ASSERT_TRUE(clear->senders.has_value());
  EXPECT_TRUE(clear->senders->empty());
  EXPECT_EQ(clear->name, std::optional<std::string>(""));
  EXPECT_FALSE(clear->text.has_value());

  auto same_id = ValidateTemplateChange(Json(R"({"template_id":"101234567890","type":"otp"})"),
                                        "101234567890", UpdateMode::kPatch, core::Region::kSg);
  ASSERT_TRUE(same_id);
  EXPECT_EQ(same_id->type, std::optional<std::optional<core::RouteType>>(core::RouteType::kOtp));
}

TEST(ValidateTemplateChange, PutReplacesEverythingAndNeedsText) {
  auto put = ValidateTemplateChange(Json(R"({"text":"T"})"), "101234567890", UpdateMode::kPut,
                                    core::Region::kSg);
  ASSERT_TRUE(put);
  EXPECT_EQ(put->text, std::optional<std::string>("T"));
  EXPECT_EQ(put->name, std::optional<std::string>(""));
  ASSERT_TRUE(put->type.has_value());
  EXPECT_EQ(*put->type, std::nullopt);
  ASSERT_TRUE(put->senders.has_value());
  EXPECT_TRUE(put->senders->empty());

  EXPECT_EQ(OnlyError(ValidateTemplateChange(Json(R"({"name":"n"})"), "101234567890",
                                             UpdateMode::kPut, core::Region::kSg))
                .error,
            ApiError::kTemplateTextInvalid);
}

TEST(ValidateTemplateChange, TheIdCannotChange) {
  const FieldError e =
      OnlyError(ValidateTemplateChange(Json(R"({"template_id":"999999999999"})"), "101234567890",
                                       UpdateMode::kPatch, core::Region::kSg));
  EXPECT_EQ(e.error, ApiError::kTemplateIdInvalid);
  EXPECT_EQ(e.field, "template_id");
}

TEST(ValidateSenderEntry, FieldsAndRegionRules) {
  auto ok = ValidateSenderEntry(Json(R"({"sender":"ACMEIN","description":"Sender ID testing",
                                         "iso_code":"in","entity_id":"120115900000"})"),
                                "S", core::Region::kIn);
  ASSERT_TRUE(ok) << ok.error().front().reason;
  EXPECT_EQ(ok->sid, "S");
  EXPECT_EQ(ok->sender, "ACMEIN");
  EXPECT_EQ(ok->description, "Sender ID testing");
  EXPECT_EQ(ok->iso_code, "IN");
  EXPECT_EQ(ok->entity_id, "120115900000");

  // India needs the entity id; elsewhere it is optional.
  const FieldError needs = OnlyError(
      ValidateSenderEntry(Json(R"({"sender":"ACMEIN"})"), "S", core::Region::kIn, "data[4]."));
  EXPECT_EQ(needs.error, ApiError::kEntityIdInvalid);
  EXPECT_EQ(needs.field, "data[4].entity_id");
  EXPECT_TRUE(ValidateSenderEntry(Json(R"({"sender":"ACMEIN"})"), "S", core::Region::kSg));

  auto bad = ValidateSenderEntry(
      Json(R"({"sender":"ACME-IN","description":)" + ("\"" + std::string(256, 'd') + "\"") +
           R"(,"iso_code":"IND","entity_id":"12ab"})"),
      "S", core::Region::kSg);
  ASSERT_FALSE(bad);
  EXPECT_EQ(Fields(bad.error()),
            (std::vector<std::string>{"sender", "description", "iso_code", "entity_id"}));
}

TEST(ValidateSenderRegistration, AcceptsTheValidAndReportsEachRejectedEntry) {
  auto r = ValidateSenderRegistration(Json(R"({"data":[
      {"sender":"ADPAI","description":"Sender ID testing","iso_code":"in","entity_id":"120000000012"},
      {"sender":"BAD-SENDER!","iso_code":"in","entity_id":"120000000012"},
      "not an object",
      {"sender":"ABCF01","iso_code":"in"},
      {"sender":"ADPAI","entity_id":"120000000013"}]})"),
                                      "S", core::Region::kIn);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->accepted.size(), 1u);
  EXPECT_EQ(r->accepted[0].sender, "ADPAI");
  EXPECT_EQ(Fields(r->rejected), (std::vector<std::string>{"data[1].sender", "data[2]",
                                                           "data[3].entity_id", "data[4].sender"}));
  EXPECT_NE(r->rejected[3].reason.find("twice"), std::string::npos);

  rapidjson::Document body;
  body.Parse(SenderRegistrationJson(*r, {store::RegisterOutcome::kCreated}).c_str());
  ASSERT_TRUE(body.IsObject());
  EXPECT_EQ(body["totalCount"].GetInt(), 1);
  EXPECT_STREQ(body["data"][0]["sender"].GetString(), "ADPAI");
  EXPECT_STREQ(body["data"][0]["iso_code"].GetString(), "IN");
  EXPECT_STREQ(body["data"][0]["status"].GetString(), "created");
  EXPECT_TRUE(body["error"].HasMember("data[3].entity_id"));
  EXPECT_EQ(body["error"].MemberCount(), 4u);
}

TEST(ValidateSenderRegistration, NothingValidOrBadDataIsAnError) {
  auto none =
      ValidateSenderRegistration(Json(R"({"data":[{"sender":""},{}]})"), "S", core::Region::kSg);
  ASSERT_FALSE(none);
  EXPECT_EQ(Fields(none.error()), (std::vector<std::string>{"data[0].sender", "data[1].sender"}));
  for (const char* bad : {R"({})", R"({"data":[]})", R"({"data":{}})", R"({"data":"[oops"})"}) {
    const FieldError e = OnlyError(ValidateSenderRegistration(Json(bad), "S", core::Region::kSg));
    EXPECT_EQ(e.error, ApiError::kSenderDataInvalid) << bad;
    EXPECT_EQ(e.field, "data");
  }
  // Form bodies carry data as a JSON string.
  rapidjson::Document form;
  ASSERT_TRUE(ParseFormBody("data=%5B%7B%22sender%22%3A%22ACME%22%7D%5D", form));
  auto from_form = ValidateSenderRegistration(form, "S", core::Region::kSg);
  ASSERT_TRUE(from_form);
  EXPECT_EQ(from_form->accepted.size(), 1u);
}

TEST(ValidateSenderRegistration, FiveThousandIsTheLimit) {
  auto list = [](int n) {
    std::string data = R"({"data":[)";
    for (int i = 0; i < n; ++i) {
      data += (i ? "," : "") + std::string(R"({"sender":"S)") + std::to_string(i) + "\"}";
    }
    return data + "]}";
  };
  auto max = ValidateSenderRegistration(Json(list(5000)), "S", core::Region::kSg);
  ASSERT_TRUE(max);
  EXPECT_EQ(max->accepted.size(), 5000u);
  const FieldError over =
      OnlyError(ValidateSenderRegistration(Json(list(5001)), "S", core::Region::kSg));
  EXPECT_EQ(over.error, ApiError::kSenderDataInvalid);
  EXPECT_NE(over.reason.find("5001"), std::string::npos);
}

TEST(ValidateSenderChange, PatchAndPut) {
  auto patch = ValidateSenderChange(Json(R"({"entity_id":"120000000099"})"), "ACMEIN",
                                    UpdateMode::kPatch, core::Region::kIn);
  ASSERT_TRUE(patch);
  EXPECT_EQ(patch->entity_id, std::optional<std::string>("120000000099"));
  EXPECT_FALSE(patch->description || patch->iso_code);

  auto put = ValidateSenderChange(Json(R"({"description":"d"})"), "ACMEIN", UpdateMode::kPut,
                                  core::Region::kSg);
  ASSERT_TRUE(put);
  EXPECT_EQ(put->description, std::optional<std::string>("d"));
  EXPECT_EQ(put->iso_code, std::optional<std::string>(""));
  EXPECT_EQ(put->entity_id, std::optional<std::string>(""));

  // India: the entity id cannot be cleared.
  EXPECT_EQ(OnlyError(ValidateSenderChange(Json(R"({"entity_id":""})"), "ACMEIN",
                                           UpdateMode::kPatch, core::Region::kIn))
                .error,
            ApiError::kEntityIdInvalid);
  EXPECT_EQ(OnlyError(ValidateSenderChange(Json(R"({"sender":"OTHER"})"), "ACMEIN",
                                           UpdateMode::kPatch, core::Region::kSg))
                .error,
            ApiError::kSenderInvalid);
}

TEST(RegistryJson, TemplateShape) {
  store::Template t;
  t.template_id = "1107160000000000001";
  t.name = "otp";
  t.text = "Hi <name>, {#otp#}";
  t.senders = {"ACMEIN"};
  t.created_at = kNow;
  t.updated_at = kNow;
  rapidjson::Document doc;
  doc.Parse(TemplateJson(t).c_str());
  ASSERT_TRUE(doc.IsObject());
  EXPECT_STREQ(doc["template_id"].GetString(), "1107160000000000001");
  EXPECT_TRUE(doc["type"].IsNull());
  EXPECT_EQ(doc["placeholders"].Size(), 2u);
  EXPECT_STREQ(doc["placeholders"][1].GetString(), "otp");
  EXPECT_STREQ(doc["created_at"].GetString(), "2026-11-18 08:53:20+00:00");
  t.type = core::RouteType::kTxn;
  doc.Parse(TemplateListJson({t, t}).c_str());
  EXPECT_EQ(doc["totalCount"].GetInt(), 2);
  EXPECT_STREQ(doc["data"][1]["type"].GetString(), "TXN");
  EXPECT_TRUE(doc["error"].ObjectEmpty());
}

}  // namespace
}  // namespace smsgw::api
