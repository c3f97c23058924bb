// The template and sender registries against the real binary: the /ext/v1 endpoints, Kaleyra's
// sender registration, sends that name a template, and the CLI changing the registries while
// `serve` runs (the server's caches must notice at once). Region SG (the default) here; the
// IN/SG differences are region_test.cpp.

#include "fixture.h"

namespace smsgw::itest {
namespace {

constexpr const char* kOtpId = "1107160000000000001";

class RegistryTest : public ServerTest {
 protected:
  std::string Ext(const std::string& rest) const { return "/ext/v1/" + account_.sid + "/" + rest; }
  HttpResponse Call(const std::string& method, const std::string& target,
                    const std::string& body = "") const {
    return gw_.Request(method, target, body, account_.api_key,
                       {{"Content-Type", "application/json"}});
  }
  // POST /v1/{sid}/<rest>.
  HttpResponse Post(const std::string& rest, const std::string& body) const {
    return gw_.Post(Path("v1", rest), body, account_.api_key);
  }
  HttpResponse CreateTemplate(const std::string& body) const {
    return Call("POST", Ext("templates"), body);
  }
  HttpResponse CreateOtpTemplate() const {
    return CreateTemplate(std::string(R"({"template_id": ")") + kOtpId +
                          R"(", "name": "login", "text": "Your OTP is {#otp#}", "type": "OTP",
                              "senders": ["ACMEIN"]})");
  }
  // A send naming the OTP template without a body.
  HttpResponse SendOtp(const std::string& otp) const {
    return Send(std::string(R"({"to":"+919876543210","sender":"ACMEIN","template_id":")") + kOtpId +
                R"(","template_data":{"otp":)" + Quote(otp) + "}}");
  }
  // `smsgw <args> --sid SID` through the CLI; expects success.
  CommandResult MustCli(std::vector<std::string> args) const {
    args.push_back("--sid");
    args.push_back(account_.sid);
    CommandResult r = gw_.Cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    return r;
  }
};

TEST_F(RegistryTest, TemplateCreateReadUpdateDelete) {
  HttpResponse created = CreateOtpTemplate();
  ASSERT_EQ(created.status, 201) << created.body;
  Json body = BodyJson(created);
  ASSERT_TRUE(body.ok);
  EXPECT_EQ(Str(body.doc, "template_id"), kOtpId);
  EXPECT_EQ(Str(body.doc, "text"), "Your OTP is {#otp#}");
  EXPECT_EQ(Str(body.doc, "type"), "OTP");
  EXPECT_EQ(ToJson(body.doc["senders"]), R"(["ACMEIN"])");
  EXPECT_EQ(ToJson(body.doc["placeholders"]), R"(["otp"])");

  HttpResponse got = Call("GET", Ext(std::string("templates/") + kOtpId));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Str(BodyJson(got).doc, "name"), "login");

  HttpResponse listed = Call("GET", Ext("templates"));
  ASSERT_EQ(listed.status, 200);
  Json list = BodyJson(listed);
  EXPECT_EQ(list.doc["totalCount"].GetInt(), 1);
  EXPECT_EQ(Str(list.doc["data"][0], "template_id"), kOtpId);

  HttpResponse patched =
      Call("PATCH", Ext(std::string("templates/") + kOtpId), R"({"text":"Code: <otp>"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  Json patched_json = BodyJson(patched);
  EXPECT_EQ(Str(patched_json.doc, "text"), "Code: <otp>");
  EXPECT_EQ(Str(patched_json.doc, "type"), "OTP") << "PATCH keeps what it does not name";

  HttpResponse put = Call("PUT", Ext(std::string("templates/") + kOtpId), R"({"text":"Plain"})");
  ASSERT_EQ(put.status, 200) << put.body;
  Json put_json = BodyJson(put);
  EXPECT_TRUE(put_json.doc["type"].IsNull()) << "PUT replaces the whole template";
  EXPECT_EQ(ToJson(put_json.doc["senders"]), "[]");

  HttpResponse deleted = Call("DELETE", Ext(std::string("templates/") + kOtpId));
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_TRUE(
      IsError(Call("GET", Ext(std::string("templates/") + kOtpId)), 404, "E444", "template_id"));
  EXPECT_TRUE(IsError(Call("DELETE", Ext(std::string("templates/") + kOtpId)), 404, "E444"));
  EXPECT_TRUE(IsError(Call("PATCH", Ext(std::string("templates/") + kOtpId), R"({"text":"x"})"),
                      404, "E444"));
}

TEST_F(RegistryTest, TemplateErrors) {
  ASSERT_EQ(CreateOtpTemplate().status, 201);
  EXPECT_TRUE(IsError(CreateOtpTemplate(), 409, "E450", "template_id"));
  HttpResponse bad = CreateTemplate(R"({"template_id":"12","text":"Hi {#x","type":"TXN",
                                        "senders":"BAD-SENDER-ID"})");
  ASSERT_TRUE(IsError(bad, 400, "E412", "template_id"));
  Json json = BodyJson(bad);
  for (const char* field : {"text", "type", "senders"}) {
    EXPECT_TRUE(json.doc["error"].HasMember(field)) << field << ": " << bad.body;
  }
  EXPECT_TRUE(IsError(CreateTemplate("{not json"), 400, "E420"));
  EXPECT_TRUE(IsError(Call("GET", Ext("templates/not-an-id")), 404, "E444"));
  EXPECT_TRUE(IsError(Call("POST", Ext(std::string("templates/") + kOtpId)), 405, "E441"));
  EXPECT_TRUE(IsError(
      Call("PATCH", Ext(std::string("templates/") + kOtpId), R"({"template_id":"999999999999"})"),
      400, "E412"));
  // Another account's key sees nothing of this account's registry.
  const Account other = gw_.CreateAccount("other");
  EXPECT_TRUE(IsError(gw_.Request("GET", Ext("templates"), "", other.api_key), 403, "E432"));
  EXPECT_TRUE(IsError(gw_.Request("GET", Ext("senders"), "", ""), 401, "E430"));
}

TEST_F(RegistryTest, SendRendersTheTemplateWhenThereIsNoBody) {
  ASSERT_EQ(CreateOtpTemplate().status, 201);
  HttpResponse r = SendOtp("4821");
  ASSERT_EQ(r.status, 200) << r.body;
  Json json = BodyJson(r);
  EXPECT_EQ(Str(json.doc, "body"), "Your OTP is 4821");
  EXPECT_EQ(Str(json.doc, "template_id"), kOtpId);
  EXPECT_EQ(Str(json.doc, "type"), "OTP") << "the template's type is the default";

  // Values are inserted literally.
  HttpResponse literal = SendOtp("{#otp#}");
  ASSERT_EQ(literal.status, 200) << literal.body;
  EXPECT_EQ(Str(BodyJson(literal).doc, "body"), "Your OTP is {#otp#}");

  // With a body, the body is sent and the template id kept.
  HttpResponse with_body = Send(std::string(R"({"to":"+919876543210","sender":"ACMEIN",
      "body":"Your OTP is 99","template_id":")") +
                                kOtpId + R"("})");
  ASSERT_EQ(with_body.status, 200) << with_body.body;
  EXPECT_EQ(Str(BodyJson(with_body).doc, "body"), "Your OTP is 99");
  EXPECT_EQ(Str(BodyJson(with_body).doc, "template_id"), kOtpId);

  // Form bodies and the v2 path carry template_data as a JSON string.
  HttpResponse form =
      gw_.Request("POST", Path("v2", "sms"),
                  "to=%2B919876543210&sender=ACMEIN&template_id=" + std::string(kOtpId) +
                      "&template_data=" + UrlEncode(R"({"otp":"77"})"),
                  account_.api_key, {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(form.status, 200) << form.body;
  EXPECT_EQ(Str(BodyJson(form).doc, "body"), "Your OTP is 77");
}

TEST_F(RegistryTest, SendTemplateErrors) {
  ASSERT_EQ(CreateOtpTemplate().status, 201);
  // Unknown template id: 400 on template_id.
  EXPECT_TRUE(IsError(Send(R"({"to":"+919876543210","sender":"ACMEIN",
                               "template_id":"1107160000000000009","template_data":{"otp":"1"}})"),
                      400, "E412", "template_id"));
  // Another account's template is not this account's.
  const Account other = gw_.CreateAccount("other");
  EXPECT_TRUE(IsError(gw_.Post("/v1/" + other.sid + "/messages",
                               std::string(R"({"to":"+919876543210","sender":"ACMEIN",
                                   "template_id":")") +
                                   kOtpId + R"(","template_data":{"otp":"1"}})",
                               other.api_key),
                      400, "E412", "template_id"));
  // Rendering failures are template_data errors.
  EXPECT_TRUE(IsError(Send(std::string(R"({"to":"+919876543210","sender":"ACMEIN",
                                           "template_id":")") +
                           kOtpId + R"("})"),
                      400, "E413", "template_data"));
  EXPECT_TRUE(IsError(SendOtp(std::string(31, '1')), 400, "E413", "template_data"));
}

TEST_F(RegistryTest, SenderRegistrationReportsEachEntry) {
  HttpResponse r = Post("sms/sender", R"({"data":[
      {"sender":"ACMEIN","description":"main","iso_code":"in","entity_id":"120115900000"},
      {"sender":"BAD-SENDER!"},
      {"sender":"Acme Bank","iso_code":"IND"},
      {"sender":"+14155550100"}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  Json json = BodyJson(r);
  EXPECT_EQ(json.doc["totalCount"].GetInt(), 2);
  EXPECT_EQ(Str(json.doc["data"][0], "status"), "created");
  EXPECT_EQ(Str(json.doc["data"][0], "iso_code"), "IN");
  EXPECT_EQ(Str(json.doc["data"][1], "sender"), "+14155550100");
  EXPECT_TRUE(json.doc["error"].HasMember("data[1].sender")) << r.body;
  EXPECT_TRUE(json.doc["error"].HasMember("data[2].iso_code")) << r.body;

  // Again through the /messages alias: an update now.
  HttpResponse again =
      Post("messages/sender", R"({"data":[{"sender":"ACMEIN","entity_id":"120115900001"}]})");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Str(BodyJson(again).doc["data"][0], "status"), "updated");

  // Nothing valid, or no data: 400.
  EXPECT_TRUE(
      IsError(Post("sms/sender", R"({"data":[{"sender":""}]})"), 400, "E406", "data[0].sender"));
  EXPECT_TRUE(IsError(Post("sms/sender", R"({"data":[]})"), 400, "E454", "data"));
  EXPECT_TRUE(
      IsError(gw_.Request("GET", Path("v1", "sms/sender"), "", account_.api_key), 405, "E441"));

  HttpResponse listed = Call("GET", Ext("senders"));
  ASSERT_EQ(listed.status, 200);
  Json list = BodyJson(listed);
  ASSERT_EQ(list.doc["totalCount"].GetInt(), 2);
  EXPECT_EQ(Str(list.doc["data"][1], "sender"), "ACMEIN");
  EXPECT_EQ(Str(list.doc["data"][1], "entity_id"), "120115900001");
}

// Kaleyra allows 5000 senders per call: far more than a send's 64 KiB body limit.
TEST_F(RegistryTest, FiveThousandSendersInOneCall) {
  auto body = [](int n) {
    std::string data = R"({"data":[)";
    for (int i = 0; i < n; ++i) {
      data += (i ? "," : "") + std::string(R"({"sender":"S)") + std::to_string(100000 + i) +
              R"(","description":"bulk registration test entry","iso_code":"sg"})";
    }
    return data + "]}";
  };
  const std::string five_thousand = body(5000);
  ASSERT_GT(five_thousand.size(), 256u * 1024);
  HttpResponse r = Post("sms/sender", five_thousand);
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  EXPECT_EQ(BodyJson(r).doc["totalCount"].GetInt(), 5000);
  HttpResponse listed = Call("GET", Ext("senders"));
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(BodyJson(listed).doc["totalCount"].GetInt(), 5000);
  EXPECT_TRUE(IsError(Post("sms/sender", body(5001)), 400, "E454", "data"));
  // The larger limit is the registration's only: a send of that size is still refused.
  EXPECT_TRUE(IsError(Send(R"({"to":"+919876543210","sender":"ACMEIN","body":")" +
                           std::string(five_thousand.size(), 'a') + R"("})"),
                      413, "E442"));
}

TEST_F(RegistryTest, SenderUpdateAndDeleteByPath) {
  ASSERT_EQ(Post("sms/sender", R"({"data":[{"sender":"Acme Bank","description":"old"}]})").status,
            200);
  HttpResponse patched =
      Call("PATCH", Ext("senders/Acme%20Bank"), R"({"entity_id":"120115900000","iso_code":"sg"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  Json json = BodyJson(patched);
  EXPECT_EQ(Str(json.doc, "entity_id"), "120115900000");
  EXPECT_EQ(Str(json.doc, "iso_code"), "SG");
  EXPECT_EQ(Str(json.doc, "description"), "old");
  EXPECT_TRUE(
      IsError(Call("PATCH", Ext("senders/Acme%20Bank"), R"({"iso_code":"x"})"), 400, "E456"));
  EXPECT_EQ(Call("GET", Ext("senders/Acme%20Bank")).status, 200);
  ASSERT_EQ(Call("DELETE", Ext("senders/Acme%20Bank")).status, 200);
  EXPECT_TRUE(IsError(Call("GET", Ext("senders/Acme%20Bank")), 404, "E445", "sender"));
  EXPECT_TRUE(IsError(Call("DELETE", Ext("senders/Acme%20Bank")), 404, "E445"));
  EXPECT_TRUE(IsError(Call("GET", Ext("senders/NOT-VALID")), 404, "E445"));
}

TEST_F(RegistryTest, CliTemplateCommandsWhileServing) {
  // Used once through the API (cached by the server as "not registered") before the CLI adds it.
  EXPECT_TRUE(IsError(SendOtp("1"), 400, "E412"));
  MustCli({"template", "add", "--template-id", kOtpId, "--text", "OTP {#otp#} for <name>", "--type",
           "otp", "--sender", "ACMEIN", "--sender", "ACMEOT", "--name", "login"});
  HttpResponse r = Send(std::string(R"({"to":"+919876543210","sender":"ACMEIN","template_id":")") +
                        kOtpId + R"(","template_data":{"otp":"5","name":"Ann"}})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Str(BodyJson(r).doc, "body"), "OTP 5 for Ann");

  CommandResult shown = MustCli({"template", "show", "--template-id", kOtpId, "--json"});
  Json show = ParseJson(shown.out);
  ASSERT_TRUE(show.ok) << shown.out;
  EXPECT_EQ(Str(show.doc, "type"), "OTP");
  EXPECT_EQ(ToJson(show.doc["senders"]), R"(["ACMEIN","ACMEOT"])");
  EXPECT_EQ(Str(show.doc, "name"), "login");

  MustCli({"template", "update", "--template-id", kOtpId, "--text", "New {#otp#}", "--type", "none",
           "--no-senders"});
  HttpResponse updated = Send(std::string(R"({"to":"+919876543210","sender":"ACMEIN",
      "template_id":")") + kOtpId +
                              R"(","template_data":{"otp":"6"}})");
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(Str(BodyJson(updated).doc, "body"), "New 6") << "the update took effect at once";
  EXPECT_EQ(Str(BodyJson(updated).doc, "type"), "DEFAULT");

  CommandResult listed = MustCli({"template", "list", "--json"});
  Json list = ParseJson(listed.out);
  ASSERT_TRUE(list.ok) << listed.out;
  EXPECT_EQ(list.doc["totalCount"].GetInt(), 1);
  EXPECT_TRUE(list.doc["data"][0]["type"].IsNull());

  MustCli({"template", "delete", "--template-id", kOtpId});
  EXPECT_TRUE(IsError(SendOtp("7"), 400, "E412")) << "the delete took effect at once";
}

TEST_F(RegistryTest, CliTemplateErrors) {
  auto cli = [&](std::vector<std::string> args) {
    args.push_back("--sid");
    args.push_back(account_.sid);
    return gw_.Cli(args);
  };
  CommandResult bad = cli({"template", "add", "--template-id", "12", "--text", "Hi {#x"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("template_id"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("placeholder"), std::string::npos) << bad.err;
  EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << "one line: " << bad.err;
  // TXN is not a type in region SG.
  EXPECT_NE(
      cli({"template", "add", "--template-id", kOtpId, "--text", "x", "--type", "TXN"}).exit_code,
      0);
  ASSERT_EQ(cli({"template", "add", "--template-id", kOtpId, "--text", "x"}).exit_code, 0);
  CommandResult dup = cli({"template", "add", "--template-id", kOtpId, "--text", "x"});
  EXPECT_NE(dup.exit_code, 0);
  EXPECT_NE(dup.err.find("already"), std::string::npos) << dup.err;
  EXPECT_NE(cli({"template", "update", "--template-id", kOtpId}).exit_code, 0) << "nothing to do";
  EXPECT_NE(cli({"template", "show", "--template-id", "999999999999"}).exit_code, 0);
  EXPECT_NE(cli({"template", "delete", "--template-id", "999999999999"}).exit_code, 0);
  CommandResult no_account = gw_.Cli({"template", "list", "--sid", "HXSG0000000000SG"});
  EXPECT_NE(no_account.exit_code, 0);
  EXPECT_NE(no_account.err.find("no account"), std::string::npos) << no_account.err;
}

TEST_F(RegistryTest, CliSendersAndTheRequireRegisteredSetting) {
  constexpr const char* kPlain = R"({"to":"+919876543210","sender":"ACMEIN","body":"Hi"})";
  EXPECT_EQ(Send(kPlain).status, 200) << "region SG: registration is not required by default";
  CommandResult on = MustCli({"account", "set", "--require-registered-senders", "on"});
  EXPECT_NE(on.out.find("on"), std::string::npos);
  EXPECT_TRUE(IsError(Send(kPlain), 400, "E422", "sender")) << "took effect at once";

  MustCli({"sender", "add", "--sender", "ACMEIN", "--entity-id", "120115900000", "--iso-code", "in",
           "--description", "main"});
  EXPECT_EQ(Send(kPlain).status, 200) << "registered through the CLI while serving";
  CommandResult shown = MustCli({"sender", "show", "--sender", "ACMEIN", "--json"});
  Json show = ParseJson(shown.out);
  ASSERT_TRUE(show.ok) << shown.out;
  EXPECT_EQ(Str(show.doc, "iso_code"), "IN");
  MustCli({"sender", "update", "--sender", "ACMEIN", "--description", "renamed"});
  CommandResult listed = MustCli({"sender", "list", "--json"});
  Json list = ParseJson(listed.out);
  ASSERT_TRUE(list.ok) << listed.out;
  EXPECT_EQ(Str(list.doc["data"][0], "description"), "renamed");
  EXPECT_EQ(Str(list.doc["data"][0], "entity_id"), "120115900000");

  MustCli({"sender", "delete", "--sender", "ACMEIN"});
  EXPECT_TRUE(IsError(Send(kPlain), 400, "E422")) << "deleted through the CLI while serving";
  MustCli({"account", "set", "--require-registered-senders", "default"});
  EXPECT_EQ(Send(kPlain).status, 200);

  // Both settings at once; neither is an error; bad values are refused.
  MustCli({"account", "set", "--smart-encoding", "on", "--require-registered-senders", "off"});
  CommandResult neither = gw_.Cli({"account", "set", "--sid", account_.sid});
  EXPECT_NE(neither.exit_code, 0);
  EXPECT_NE(neither.err.find("nothing to set"), std::string::npos) << neither.err;
  EXPECT_NE(
      gw_.Cli({"account", "set", "--sid", account_.sid, "--require-registered-senders", "maybe"})
          .exit_code,
      0);
  EXPECT_NE(gw_.Cli({"sender", "add", "--sid", account_.sid, "--sender", "BAD-ONE!"}).exit_code, 0);
  EXPECT_NE(gw_.Cli({"sender", "update", "--sid", account_.sid, "--sender", "ACMEIN"}).exit_code,
            0);
}

}  // namespace
}  // namespace smsgw::itest
