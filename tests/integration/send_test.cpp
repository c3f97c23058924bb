// Sending: JSON and form bodies, every send endpoint, recipients, body length and validation.

#include <regex>
#include <set>

#include "fixture.h"

namespace smsgw::itest {
namespace {

using SendTest = ServerTest;

TEST_F(SendTest, JsonBody) {
  HttpResponse r = Send(R"({"to": "+919876543210", "sender": "ACMEIN", "body": "Hello there"})");
  ASSERT_EQ(r.status, 200) << r.body;
  Json json = BodyJson(r);
  ASSERT_TRUE(json.ok);
  const auto& d = json.doc;
  const std::string id = Str(d, "id");
  EXPECT_FALSE(id.empty()) << r.body;
  EXPECT_EQ(Str(d, "sender"), "ACMEIN");
  EXPECT_EQ(Str(d, "type"), "DEFAULT");  // region SG by default
  EXPECT_EQ(Str(d, "body"), "Hello there");
  EXPECT_TRUE(std::regex_match(
      id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")))
      << "id is not a UUID: " << id;
  EXPECT_TRUE(std::regex_match(Str(d, "createdDateTime"),
                               std::regex(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00)")))
      << r.body;
  ASSERT_TRUE(d.HasMember("totalCount")) << r.body;
  EXPECT_EQ(ToJson(d["totalCount"]), "1");
  ASSERT_TRUE(d.HasMember("data") && d["data"].IsArray() && d["data"].Size() == 1) << r.body;
  EXPECT_EQ(Str(d["data"][0], "message_id"), id + ":1");
  EXPECT_EQ(Str(d["data"][0], "recipient"), kIndia);
  ASSERT_TRUE(d.HasMember("dlrurl")) << r.body;
  EXPECT_TRUE(d["dlrurl"].IsNull());
  ASSERT_TRUE(d.HasMember("error")) << r.body;
  EXPECT_TRUE(d["error"].IsObject() && d["error"].ObjectEmpty()) << r.body;
  EXPECT_EQ(Str(d, "encoding"), "GSM7");
  ASSERT_TRUE(d.HasMember("segments")) << r.body;
  EXPECT_EQ(ToJson(d["segments"]), "1");
}

TEST_F(SendTest, JsonEchoesOptionalFieldsWhenSent) {
  ASSERT_NO_FATAL_FAILURE(RegisterTemplate("101234567890", "Héllo {#x#}"));
  HttpResponse r = Send(R"({"to": ["+919876543210"], "sender": "ACMEIN", "body": "Héllo €",
    "flash": 1, "unicode": "auto", "template_id": "101234567890",
    "ref_custom": "['John','Doe']", "time": )" +
                        Quote(IsoTimeFromNow(std::chrono::hours(2))) + "}");
  ASSERT_EQ(r.status, 200) << r.body;
  Json json = BodyJson(r);
  ASSERT_TRUE(json.ok);
  for (const char* field : {"template_id", "unicode", "flash", "time", "ref_custom"}) {
    EXPECT_TRUE(json.doc.HasMember(field)) << "missing " << field << ": " << r.body;
  }
  EXPECT_EQ(Str(json.doc, "template_id"), "101234567890");
}

TEST_F(SendTest, UnicodeBodyIsUcs2) {
  HttpResponse u = Send(R"({"to":"+6591234567","sender":"ACMEIN","body":"こんにちは"})");
  ASSERT_EQ(u.status, 200) << u.body;
  Json json = BodyJson(u);
  EXPECT_EQ(Str(json.doc, "encoding"), "UCS2") << u.body;
}

// Kaleyra's JSON sample ("Sample Request Format"), adapted to region SG (type DEFAULT) and with
// a future time; no callback_profile_id, since none is registered here. Its template is.
TEST_F(SendTest, KaleyraJsonSample) {
  ASSERT_NO_FATAL_FAILURE(
      RegisterTemplate("101123456012", "Hello, this is your first SMS from {#example_key0#}."));
  HttpResponse r = Send(R"({
       "to": "+919876543210",
       "sender": "KLRHXA",
       "type": "DEFAULT",
       "unicode": "Auto",
       "flash": "1",
       "time": )" + Quote(IsoTimeFromNow(std::chrono::hours(5))) +
                        R"(,
       "prefix": "+91",
       "body": "Hello, this is your first SMS.",
       "template_id": "101123456012",
       "template_data": {
             "example_key0": "John",
             "example_key1": "23.43",
             "example_key2": "USD"
         },
       "ref_custom": "['John','Doe']"
  })");
  ASSERT_EQ(r.status, 200) << r.body;
  Json json = BodyJson(r);
  ASSERT_TRUE(json.ok);
  EXPECT_EQ(Str(json.doc, "sender"), "KLRHXA");
  EXPECT_EQ(Str(json.doc, "template_id"), "101123456012");
  ASSERT_TRUE(json.doc.HasMember("ref_custom")) << r.body;
  EXPECT_NE(ToJson(json.doc["ref_custom"]).find("Doe"), std::string::npos) << r.body;
  ASSERT_EQ(MessageIds(r).size(), 1u);
  EXPECT_EQ(Str(json.doc["data"][0], "recipient"), kIndia);
  HttpResponse status = Status(MessageIds(r)[0]);
  EXPECT_NE(status.body.find("SCHEDULED"), std::string::npos) << status.body;
}

// Kaleyra's own form sample ("Accepting number as sender"), callback as a JSON string, adapted
// to region SG (type DEFAULT instead of MKT).
TEST_F(SendTest, KaleyraFormSample) {
  const std::string form =
      "to=14155550123&body=" + UrlEncode("Accepting number as sender test 1") +
      "&sender=919876543210&type=DEFAULT&callback=" +
      UrlEncode(R"({"url":"https://webhook.site/0e0000fd-a00c-4001-b00e-cd0000000070",)"
                R"("method":"POST","header":{"x-api-key":"qw00dv","x-randoem-id":"2300ey"},)"
                R"("retry":{"count":"3","interval":["10","10","10"]}})");
  HttpResponse r = gw_.Request("POST", MessagesPath(), form, account_.api_key,
                               {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(r.status, 200) << r.body;
  Json json = BodyJson(r);
  ASSERT_TRUE(json.ok);
  EXPECT_EQ(Str(json.doc, "body"), "Accepting number as sender test 1");
  EXPECT_EQ(Str(json.doc, "sender"), "919876543210");
  ASSERT_EQ(MessageIds(r).size(), 1u);
  EXPECT_EQ(Str(json.doc["data"][0], "recipient"), kUs);
}

// Kaleyra's samples send form fields labelled application/json: the body decides.
TEST_F(SendTest, FormBodyLabelledJson) {
  HttpResponse r =
      gw_.Request("POST", MessagesPath(), "to=%2B919876543210&sender=ACMEIN&body=Hi+there",
                  account_.api_key, {{"Content-Type", "application/json"}});
  ASSERT_EQ(r.status, 200) << r.body;
  Json json = BodyJson(r);
  EXPECT_EQ(Str(json.doc, "body"), "Hi there");
}

// A JSON body without any Content-Type is still JSON (leading white space allowed).
TEST_F(SendTest, JsonBodyWithoutContentType) {
  HttpResponse r = gw_.Request(
      "POST", MessagesPath(),
      "\r\n  {\"to\":\"+919876543210\",\"sender\":\"ACMEIN\",\"body\":\"x\"}", account_.api_key);
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(SendTest, FormCallbackIsParsed) {
  HttpResponse r = gw_.Request(
      "POST", MessagesPath(),
      "to=919876543210&sender=ACMEIN&body=x&callback=" + UrlEncode(R"({"url":"ftp://x"})"),
      account_.api_key, {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_TRUE(IsError(r, 400, "E418", "callback"));
  HttpResponse bad = gw_.Request(
      "POST", MessagesPath(),
      "to=919876543210&sender=ACMEIN&body=x&callback=" + UrlEncode("{not json"), account_.api_key);
  EXPECT_TRUE(IsError(bad, 400, "E418", "callback"));
}

TEST_F(SendTest, EveryPostEndpoint) {
  for (const auto& [version, rest] : std::vector<std::pair<std::string, std::string>>{
           {"v1", "messages"}, {"v1", "sms"}, {"v2", "sms"}, {"v2", "messages"}}) {
    HttpResponse r =
        gw_.Post(Path(version, rest), R"({"to":"+919876543210","sender":"ACMEIN","body":"Hi"})",
                 account_.api_key);
    EXPECT_EQ(r.status, 200) << "POST /" << version << "/{sid}/" << rest << ": " << r.body;
    EXPECT_EQ(MessageIds(r).size(), 1u) << version << "/" << rest << ": " << r.body;
  }
}

TEST_F(SendTest, SendByGet) {
  HttpResponse r = gw_.Request("GET",
                               MessagesPath() + "?to=" + UrlEncode("+919876543210") +
                                   "&sender=ACMEIN&body=" + UrlEncode("Hello by GET"),
                               "", account_.api_key);
  ASSERT_EQ(r.status, 200) << r.body;
  Json json = BodyJson(r);
  EXPECT_EQ(Str(json.doc, "body"), "Hello by GET");
  ASSERT_EQ(MessageIds(r).size(), 1u);
  // The message is stored like any other.
  HttpResponse s = Status(MessageIds(r)[0]);
  ASSERT_EQ(s.status, 200) << s.body;
  EXPECT_NE(s.body.find("\"Pending\""), std::string::npos) << s.body;
}

TEST_F(SendTest, PartialAcceptance) {
  HttpResponse r =
      Send(R"({"to":"+919876543210,12345,+6591234567","sender":"ACMEIN","body":"Hi"})");
  ASSERT_EQ(r.status, 200) << r.body;
  Json json = BodyJson(r);
  ASSERT_TRUE(json.ok);
  EXPECT_EQ(ToJson(json.doc["totalCount"]), "2") << r.body;
  const std::string id = Str(json.doc, "id");
  ASSERT_EQ(MessageIds(r), (std::vector<std::string>{id + ":1", id + ":2"})) << r.body;
  EXPECT_EQ(Str(json.doc["data"][0], "recipient"), kIndia);
  EXPECT_EQ(Str(json.doc["data"][1], "recipient"), kSingapore);
  ASSERT_TRUE(json.doc["error"].IsObject() && json.doc["error"].HasMember("to")) << r.body;
  EXPECT_NE(ToJson(json.doc["error"]["to"]).find("12345"), std::string::npos) << r.body;
}

TEST_F(SendTest, NoValidNumber) {
  EXPECT_TRUE(
      IsError(Send(R"({"to":"12345,+1234","sender":"ACMEIN","body":"Hi"})"), 400, "E404", "to"));
}

TEST_F(SendTest, DuplicatesAreSentOnce) {
  HttpResponse r = Send(R"({"to":["+919876543210","919876543210","+6591234567","+919876543210"],
                            "sender":"ACMEIN","body":"Hi"})");
  ASSERT_EQ(r.status, 200) << r.body;
  Json json = BodyJson(r);
  ASSERT_TRUE(json.ok);
  EXPECT_EQ(ToJson(json.doc["totalCount"]), "2") << r.body;
  ASSERT_EQ(MessageIds(r).size(), 2u) << r.body;
  std::set<std::string> recipients;
  for (const auto& item : json.doc["data"].GetArray()) {
    recipients.insert(Str(item, "recipient"));
  }
  EXPECT_EQ(recipients, (std::set<std::string>{kIndia, kSingapore}));
}

TEST_F(SendTest, PrefixIsAppliedToNumbersWithoutPlus) {
  HttpResponse r =
      Send(R"({"to":"9876543210,+6591234567","prefix":"+91","sender":"ACMEIN","body":"Hi"})");
  ASSERT_EQ(r.status, 200) << r.body;
  Json json = BodyJson(r);
  ASSERT_EQ(MessageIds(r).size(), 2u) << r.body;
  EXPECT_EQ(Str(json.doc["data"][0], "recipient"), kIndia);
  EXPECT_EQ(Str(json.doc["data"][1], "recipient"), kSingapore);
}

std::string Recipients(int n) {
  std::string to = "[";
  for (int i = 0; i < n; ++i) {
    to += (i ? "," : "") + Quote("+91987654" + std::to_string(3200 + i));
  }
  return to + "]";
}

TEST_F(SendTest, HundredRecipientsAccepted) {
  HttpResponse r = Send(R"({"sender":"ACMEIN","body":"Hi","to":)" + Recipients(100) + "}");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(MessageIds(r).size(), 100u);
}

TEST_F(SendTest, HundredAndOneRecipientsRejected) {
  EXPECT_TRUE(IsError(Send(R"({"sender":"ACMEIN","body":"Hi","to":)" + Recipients(101) + "}"), 400,
                      "E405", "to"));
  // Also as a comma-separated string.
  std::string list;
  for (int i = 0; i < 101; ++i) {
    list += (i ? "," : "") + std::string("+91987654") + std::to_string(3200 + i);
  }
  EXPECT_TRUE(IsError(Send(R"({"sender":"ACMEIN","body":"Hi","to":)" + Quote(list) + "}"), 400,
                      "E405", "to"));
}

std::string Repeat(std::string_view unit, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += unit;
  }
  return out;
}

TEST_F(SendTest, BodyOf4000CharactersIsAccepted) {
  HttpResponse r =
      Send(R"({"to":"+919876543210","sender":"ACMEIN","body":)" + Quote(Repeat("a", 4000)) + "}");
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  Json json = BodyJson(r);
  EXPECT_EQ(Str(json.doc, "encoding"), "GSM7");
  EXPECT_EQ(ToJson(json.doc["segments"]), "27");  // ceil(4000 / 153)
}

TEST_F(SendTest, BodyOver4000CharactersIsE401) {
  HttpResponse r =
      Send(R"({"to":"+919876543210","sender":"ACMEIN","body":)" + Quote(Repeat("a", 4001)) + "}");
  ASSERT_TRUE(IsError(r, 400, "E401", "body"));
  Json json = BodyJson(r);
  EXPECT_EQ(Str(json.doc, "message"), "SMS length is exceeding 4000 characters.");
}

// The limit counts code points, not bytes: 4000 '€' (12000 bytes of UTF-8) is fine.
TEST_F(SendTest, BodyLengthCountsCodePoints) {
  HttpResponse ok =
      Send(R"({"to":"+919876543210","sender":"ACMEIN","body":)" + Quote(Repeat("€", 4000)) + "}");
  EXPECT_EQ(ok.status, 200) << ok.body.substr(0, 300);
  HttpResponse too_long =
      Send(R"({"to":"+919876543210","sender":"ACMEIN","body":)" + Quote(Repeat("€", 4001)) + "}");
  EXPECT_TRUE(IsError(too_long, 400, "E401", "body"));
  // Characters outside the BMP are one code point each (two UTF-16 units).
  HttpResponse astral =
      Send(R"({"to":"+919876543210","sender":"ACMEIN","body":)" + Quote(Repeat("😀", 4000)) + "}");
  EXPECT_EQ(astral.status, 200) << astral.body.substr(0, 300);
}

// Segment counts at the GSM 03.38 / UCS-2 boundaries, as reported by the API.
TEST_F(SendTest, SegmentCounts) {
  struct Case {
    std::string body;
    const char* encoding;
    int segments;
  };
  const std::vector<Case> cases = {
      {Repeat("a", 160), "GSM7", 1},   {Repeat("a", 161), "GSM7", 2},
      {Repeat("a", 306), "GSM7", 2},   {Repeat("a", 307), "GSM7", 3},
      {Repeat("€", 80), "GSM7", 1},    {Repeat("€", 81), "GSM7", 2},  // extension: 2 septets
      {Repeat("ж", 70), "UCS2", 1},    {Repeat("ж", 71), "UCS2", 2},
      {Repeat("😀", 35), "UCS2", 1},    {Repeat("😀", 36), "UCS2", 2},  // surrogate pairs
      {Repeat("€", 4000), "GSM7", 53},  // 76 escapes per part: never split from their escape
  };
  for (const Case& c : cases) {
    HttpResponse r =
        Send(R"({"to":"+919876543210","sender":"ACMEIN","body":)" + Quote(c.body) + "}");
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
    Json json = BodyJson(r);
    ASSERT_TRUE(json.ok && json.doc.HasMember("segments"));
    EXPECT_EQ(Str(json.doc, "encoding"), c.encoding) << c.body.substr(0, 20) << "...";
    EXPECT_EQ(ToJson(json.doc["segments"]), std::to_string(c.segments))
        << c.body.size() << " bytes of " << c.body.substr(0, 4);
  }
}

// "A JSON value may be a string or a number where a string is documented."
TEST_F(SendTest, NumbersWhereStringsAreDocumented) {
  HttpResponse r =
      Send(R"({"to":919876543210,"sender":"ACMEIN","body":12345,"flash":0,"unicode":0})");
  ASSERT_EQ(r.status, 200) << r.body;
  Json json = BodyJson(r);
  EXPECT_EQ(Str(json.doc, "body"), "12345");
  EXPECT_EQ(Str(json.doc["data"][0], "recipient"), kIndia);
  HttpResponse list = Send(R"({"to":[919876543210,"+6591234567"],"sender":"ACMEIN","body":"x"})");
  EXPECT_EQ(MessageIds(list).size(), 2u) << list.body;
}

TEST_F(SendTest, PrefixAlreadyLeadingIsNotRepeated) {
  HttpResponse r = Send(R"({"to":"919876543210","prefix":"+91","sender":"ACMEIN","body":"x"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Str(BodyJson(r).doc["data"][0], "recipient"), kIndia);
  EXPECT_TRUE(IsError(SendSimple(R"(,"prefix":"+12345")"), 400, "E411", "prefix"));
}

// Without a body the template's text is sent; a template id that is not registered for the
// account has no text, so the request cannot be accepted (never an empty SMS).
TEST_F(SendTest, TemplateWithoutBodyMustBeRegistered) {
  HttpResponse r = Send(R"({"to":"+919876543210","sender":"ACMEIN",
                            "template_id":"101234567890","template_data":{"name":"x"}})");
  EXPECT_TRUE(IsError(r, 400, "E412", "template_id"));
}

TEST_F(SendTest, EveryBadFieldIsReportedAtOnce) {
  HttpResponse r = Send(R"({
    "to": "+919876543210",
    "sender": "THIS SENDER IS WAY TOO LONG!",
    "body": "Hi",
    "type": "BOGUS",
    "unicode": "7",
    "flash": "2",
    "time": "tomorrow",
    "prefix": "abc",
    "template_id": "12",
    "ref": ")" + Repeat("r", 256) +
                        R"(",
    "ref_custom": ["a","b","c","d","e","f"],
    "campaign_name": "bad name!",
    "callback_profile_id": "XX_nope",
    "callback": {"url": "ftp://example.com/"}
  })");
  ASSERT_EQ(r.status, 400) << r.body;
  Json json = BodyJson(r);
  ASSERT_TRUE(json.ok && json.doc.HasMember("error") && json.doc["error"].IsObject()) << r.body;
  std::vector<std::string> missing;
  for (const char* field :
       {"sender", "type", "unicode", "flash", "time", "prefix", "template_id", "ref", "ref_custom",
        "campaign_name", "callback_profile_id", "callback"}) {
    if (!json.doc["error"].HasMember(field)) {
      missing.push_back(field);
    }
  }
  EXPECT_TRUE(missing.empty()) << "not reported: " << testing::PrintToString(missing) << "\n"
                               << r.body;
  EXPECT_TRUE(Str(json.doc, "code").starts_with("E4")) << r.body;
}

TEST_F(SendTest, RequiredFields) {
  EXPECT_TRUE(IsError(Send(R"({"to":"+919876543210","sender":"ACMEIN"})"), 400, "E402", "body"));
  EXPECT_TRUE(IsError(Send(R"({"sender":"ACMEIN","body":"Hi"})"), 400, "E403", "to"));
  EXPECT_TRUE(IsError(Send(R"({"to":"+919876543210","body":"Hi"})"), 400, "E406", "sender"));
  // Both missing: both reported.
  HttpResponse both = Send(R"({"sender":"ACMEIN"})");
  ASSERT_EQ(both.status, 400) << both.body;
  Json json = BodyJson(both);
  ASSERT_TRUE(json.ok);
  EXPECT_TRUE(json.doc["error"].HasMember("to") && json.doc["error"].HasMember("body"))
      << both.body;
}

TEST_F(SendTest, TypeRulesOfRegionSg) {
  HttpResponse otp = SendSimple(R"(,"type":"otp")");
  ASSERT_EQ(otp.status, 200) << otp.body;
  EXPECT_EQ(Str(BodyJson(otp).doc, "type"), "OTP");
  EXPECT_TRUE(IsError(SendSimple(R"(,"type":"MKT")"), 400, "E407", "type"));
}

TEST_F(SendTest, UnicodeZeroRejectsNonGsmText) {
  EXPECT_TRUE(IsError(Send(R"({"to":"+919876543210","sender":"ACMEIN","unicode":"0",
                              "body":"こんにちは"})"),
                      400, "E408", "unicode"));
  EXPECT_EQ(SendSimple(R"(,"unicode":"0")").status, 200);
}

TEST_F(SendTest, ScheduleWindow) {
  EXPECT_TRUE(IsError(SendSimple(",\"time\":" + Quote(IsoTimeFromNow(std::chrono::minutes(1)))),
                      400, "E410", "time"));
  EXPECT_TRUE(
      IsError(SendSimple(",\"time\":" + Quote(IsoTimeFromNow(std::chrono::hours(24 * 100)))), 400,
              "E410", "time"));
  EXPECT_TRUE(IsError(SendSimple(R"(,"time":"2030-01-01T10:00:00")"), 400, "E410", "time"));
  EXPECT_EQ(SendSimple(",\"time\":" + Quote(IsoTimeFromNow(std::chrono::hours(1)))).status, 200);
}

TEST_F(SendTest, InvalidUtf8IsE419) {
  std::string body = "{\"to\":\"+919876543210\",\"sender\":\"ACMEIN\",\"body\":\"bad \xC3\x28\"}";
  EXPECT_TRUE(IsError(Send(body), 400, "E419"));
  EXPECT_TRUE(IsError(gw_.Request("POST", MessagesPath(),
                                  "to=919876543210&sender=ACMEIN&body=%C3%28", account_.api_key),
                      400, "E419"));
}

}  // namespace
}  // namespace smsgw::itest
