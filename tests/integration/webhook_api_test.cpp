// The webhook configuration endpoints against the real binary: callback profiles (secrets never
// shown), inbound numbers and their sharing rules (409), the webhook outbox (list, replay) and
// the signing secret, a message's webhooks in its detail, and the CLI commands that do the same
// on the store. Delivery of webhooks end to end is webhook_test.cpp.

#include <algorithm>

#include "fixture.h"

namespace smsgw::itest {
namespace {

constexpr const char* kBasicProfile =
    R"({"name": "crm", "url": "https://crm.example.com/status", "method": "post",
        "headers": {"X-Tenant": "acme"},
        "auth": {"type": "basic", "username": "smsgw", "password": "hunter2-secret"},
        "retry": {"type": "fixed", "intervals": [10, 60, 300]}, "default": true})";

class WebhookApiTest : public ServerTest {
 protected:
  std::string Ext(const std::string& rest) const { return "/ext/v1/" + account_.sid + "/" + rest; }
  HttpResponse Call(const std::string& method, const std::string& target,
                    const std::string& body = "", const std::string& key = "") const {
    return gw_.Request(method, target, body, key.empty() ? account_.api_key : key,
                       {{"Content-Type", "application/json"}});
  }
  // POSTs a profile; returns its id ("" and a failed test when not created).
  std::string CreateProfile(const std::string& body = kBasicProfile) const {
    HttpResponse r = Call("POST", Ext("callback-profiles"), body);
    EXPECT_EQ(r.status, 201) << r.body;
    return Str(BodyJson(r).doc, "id");
  }
  HttpResponse AddNumber(const std::string& body, const Account& account) const {
    return Call("POST", "/ext/v1/" + account.sid + "/inbound-numbers", body, account.api_key);
  }
  // `smsgw <args>`; the exit code and output.
  CommandResult Cli(std::vector<std::string> args) const { return gw_.Cli(std::move(args)); }
};

TEST_F(WebhookApiTest, CallbackProfileCreateReadReplaceDelete) {
  HttpResponse created = Call("POST", Ext("callback-profiles"), kBasicProfile);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.body.find("hunter2"), std::string::npos) << "secrets are never shown";
  Json body = BodyJson(created);
  ASSERT_TRUE(body.ok);
  const std::string id = Str(body.doc, "id");
  EXPECT_TRUE(id.starts_with("SG_")) << id << ": the region's prefix";
  EXPECT_EQ(id.size(), 3u + 36u) << id;
  EXPECT_EQ(Str(body.doc, "method"), "POST");
  EXPECT_EQ(ToJson(body.doc["auth"]), R"({"type":"basic","username":"smsgw","password":"****"})");
  EXPECT_EQ(ToJson(body.doc["retry"]), R"({"type":"fixed","intervals":[10,60,300]})");
  EXPECT_EQ(ToJson(body.doc["headers"]), R"({"X-Tenant":"****"})") << "header values are secrets";
  EXPECT_TRUE(body.doc["default"].GetBool());

  HttpResponse got = Call("GET", Ext("callback-profiles/" + id));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.body.find("hunter2"), std::string::npos);
  EXPECT_EQ(Str(BodyJson(got).doc, "name"), "crm");

  HttpResponse listed = Call("GET", Ext("callback-profiles"));
  ASSERT_EQ(listed.status, 200) << listed.body;
  Json list = BodyJson(listed);
  EXPECT_EQ(list.doc["totalCount"].GetInt(), 1);
  EXPECT_EQ(Str(list.doc["data"][0], "id"), id);
  EXPECT_EQ(listed.body.find("hunter2"), std::string::npos);

  // PUT replaces the whole profile; the masked password sent back keeps the stored one.
  HttpResponse put = Call("PUT", Ext("callback-profiles/" + id),
                          R"({"url": "http://other.example.com/x", "method": "GET",
                              "auth": {"type": "basic", "username": "smsgw", "password": "****"},
                              "retry": {"type": "exponential", "initial": 5}})");
  ASSERT_EQ(put.status, 200) << put.body;
  Json replaced = BodyJson(put);
  EXPECT_EQ(Str(replaced.doc, "url"), "http://other.example.com/x");
  EXPECT_EQ(Str(replaced.doc, "method"), "GET");
  EXPECT_EQ(Str(replaced.doc, "name"), "") << "absent fields take their defaults";
  EXPECT_EQ(ToJson(replaced.doc["headers"]), "{}");
  EXPECT_FALSE(replaced.doc["default"].GetBool());
  EXPECT_EQ(ToJson(replaced.doc["retry"]),
            R"({"type":"exponential","initial":5,"max_delay":3600,"horizon":86400})");
  EXPECT_EQ(Str(replaced.doc, "created_at"), Str(body.doc, "created_at"));

  HttpResponse deleted = Call("DELETE", Ext("callback-profiles/" + id));
  EXPECT_EQ(deleted.status, 204) << deleted.body;
  EXPECT_TRUE(deleted.body.empty());
  EXPECT_TRUE(
      IsError(Call("GET", Ext("callback-profiles/" + id)), 404, "E448", "callback_profile_id"));
  EXPECT_TRUE(IsError(Call("DELETE", Ext("callback-profiles/" + id)), 404, "E448"));
  EXPECT_TRUE(
      IsError(Call("PUT", Ext("callback-profiles/" + id), R"({"url": "https://h"})"), 404, "E448"));
}

TEST_F(WebhookApiTest, CallbackProfileErrors) {
  HttpResponse bad = Call("POST", Ext("callback-profiles"),
                          R"({"url": "ftp://x", "method": "PATCH", "headers": {"Bad Name": "v"},
                              "auth": {"type": "basic"}, "body_template": "<msisdn>",
                              "retry": {"type": "fixed", "intervals": [0]}, "default": "maybe"})");
  ASSERT_TRUE(IsError(bad, 400, "E460", "url"));
  Json json = BodyJson(bad);
  for (const char* field : {"method", "headers", "auth", "body_template", "retry", "default"}) {
    EXPECT_TRUE(json.doc["error"].HasMember(field)) << field << ": " << bad.body;
  }
  EXPECT_NE(Str(json.doc["error"], "body_template").find("<msisdn>"), std::string::npos);
  EXPECT_TRUE(IsError(Call("POST", Ext("callback-profiles"), "{nope"), 400, "E420"));
  EXPECT_TRUE(IsError(Call("GET", Ext("callback-profiles/not-an-id")), 404, "E448"));
  EXPECT_TRUE(IsError(Call("PATCH", Ext("callback-profiles/SG_x"), "{}"), 405, "E441"));
  const std::string id = CreateProfile();
  const Account other = gw_.CreateAccount("other");
  EXPECT_TRUE(
      IsError(gw_.Request("GET", Ext("callback-profiles/" + id), "", other.api_key), 403, "E432"));
  // The other account does not see the profile under its own SID either.
  EXPECT_TRUE(IsError(
      gw_.Request("GET", "/ext/v1/" + other.sid + "/callback-profiles/" + id, "", other.api_key),
      404, "E448"));
}

TEST_F(WebhookApiTest, InboundNumbersAndTheirSharingRules) {
  HttpResponse added =
      AddNumber(R"({"number": "+14155550123", "keyword": "join", "expires": "2099-01-01 00:00:00",
                    "callback": {"url": "https://crm.example.com/mo"}})",
                account_);
  ASSERT_EQ(added.status, 201) << added.body;
  Json entry = BodyJson(added);
  const std::string id = Str(entry.doc, "id");
  EXPECT_FALSE(id.empty());
  EXPECT_EQ(Str(entry.doc, "number"), "14155550123");
  EXPECT_EQ(Str(entry.doc, "keyword"), "JOIN");
  EXPECT_EQ(Str(entry.doc, "expires"), "2099-01-01 00:00:00+00:00");
  EXPECT_EQ(ToJson(entry.doc["callback"]), R"({"url":"https://crm.example.com/mo"})");
  EXPECT_TRUE(entry.doc["callback_profile_id"].IsNull());

  // A profile must be the account's own.
  EXPECT_TRUE(IsError(AddNumber(R"({"number": "56767", "callback_profile_id":
                                    "SG_0d4c6f5e-8a11-4c1e-9b6a-1f2e3d4c5b6a"})",
                                account_),
                      400, "E417", "callback_profile_id"));
  const std::string profile = CreateProfile();
  HttpResponse short_code =
      AddNumber(R"({"number": "56767", "callback_profile_id": ")" + profile + "\"}", account_);
  ASSERT_EQ(short_code.status, 201) << short_code.body;
  EXPECT_EQ(Str(BodyJson(short_code).doc, "callback_profile_id"), profile);

  // 56767 is this account's without keyword: nobody else may use it, not even with a keyword.
  const Account other = gw_.CreateAccount("other");
  HttpResponse taken = AddNumber(R"({"number": "56767", "keyword": "STOP"})", other);
  EXPECT_TRUE(IsError(taken, 409, "E459", "number"));
  EXPECT_TRUE(IsError(AddNumber(R"({"number": "56767"})", account_), 409, "E459"))
      << "one entry without keyword per number";
  // +14155550123 has only a keyword here: it may be shared, every entry with its own keyword.
  EXPECT_TRUE(IsError(AddNumber(R"({"number": "+14155550123"})", other), 409, "E459"))
      << "a shared number needs a keyword";
  HttpResponse same_keyword = AddNumber(R"({"number": "+14155550123", "keyword": "Join"})", other);
  ASSERT_TRUE(IsError(same_keyword, 409, "E459"));
  EXPECT_NE(same_keyword.body.find("JOIN"), std::string::npos) << same_keyword.body;
  EXPECT_EQ(AddNumber(R"({"number": "+14155550123", "keyword": "QUIT"})", other).status, 201);

  HttpResponse bad =
      AddNumber(R"({"number": "12", "keyword": "two words", "expires": "2001-01-01 00:00:00",
                      "callback": {"url": "nope"}})",
                account_);
  ASSERT_TRUE(IsError(bad, 400, "E467", "number"));
  Json errors = BodyJson(bad);
  for (const char* field : {"keyword", "expires", "callback"}) {
    EXPECT_TRUE(errors.doc["error"].HasMember(field)) << field << ": " << bad.body;
  }

  HttpResponse listed = Call("GET", Ext("inbound-numbers"));
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(BodyJson(listed).doc["totalCount"].GetInt(), 2);
  HttpResponse got = Call("GET", Ext("inbound-numbers/" + id));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Str(BodyJson(got).doc, "keyword"), "JOIN");
  EXPECT_TRUE(IsError(
      gw_.Request("GET", "/ext/v1/" + other.sid + "/inbound-numbers/" + id, "", other.api_key), 404,
      "E449"));
  EXPECT_EQ(Call("DELETE", Ext("inbound-numbers/" + id)).status, 204);
  EXPECT_TRUE(IsError(Call("GET", Ext("inbound-numbers/" + id)), 404, "E449", "id"));
  EXPECT_TRUE(IsError(Call("DELETE", Ext("inbound-numbers/" + id)), 404, "E449"));
}

TEST_F(WebhookApiTest, WebhookListReplayAndSecret) {
  HttpResponse listed = Call("GET", Ext("webhooks"));
  ASSERT_EQ(listed.status, 200) << listed.body;
  Json page = BodyJson(listed);
  EXPECT_EQ(ToJson(page.doc["data"]), "[]");
  EXPECT_TRUE(page.doc["next_cursor"].IsNull());
  EXPECT_EQ(Call("GET", Ext("webhooks?state=pending&limit=10")).status, 200);
  HttpResponse bad = Call("GET", Ext("webhooks?state=failed&limit=0"));
  ASSERT_TRUE(IsError(bad, 400, "E471", "state"));
  EXPECT_TRUE(BodyJson(bad).doc["error"].HasMember("limit"));
  EXPECT_TRUE(IsError(Call("GET", Ext("webhooks?cursor=garbage")), 400, "E428", "cursor"));
  EXPECT_TRUE(IsError(Call("POST", Ext("webhooks/0193a5c2-0000-7000-8000-000000000000/replay")),
                      404, "E458", "event_id"));

  EXPECT_TRUE(
      IsError(Call("PUT", Ext("webhook-secret"), R"({"secret": "short"})"), 400, "E470", "secret"));
  HttpResponse set = Call("PUT", Ext("webhook-secret"), R"({"secret": "0123456789abcdef-xyz"})");
  EXPECT_EQ(set.status, 204) << set.body;
  EXPECT_EQ(Call("DELETE", Ext("webhook-secret")).status, 204);
  EXPECT_TRUE(IsError(Call("GET", Ext("webhook-secret")), 405, "E441"));
}

TEST_F(WebhookApiTest, MessageDetailListsItsWebhooks) {
  HttpResponse sent = SendSimple();
  ASSERT_EQ(sent.status, 200) << sent.body;
  const std::vector<std::string> ids = MessageIds(sent);
  ASSERT_EQ(ids.size(), 1u);
  HttpResponse detail = Call("GET", Ext("messages/" + ids[0]));
  ASSERT_EQ(detail.status, 200) << detail.body;
  Json json = BodyJson(detail);
  ASSERT_TRUE(json.doc.HasMember("webhooks")) << detail.body;
  EXPECT_TRUE(json.doc["webhooks"].IsArray());
  EXPECT_EQ(json.doc["webhooks"].Size(), 0u) << "no callback and no default profile";
}

TEST_F(WebhookApiTest, CallbackProfileCli) {
  CommandResult created =
      Cli({"callback-profile", "create", "--sid", account_.sid, "--url", "https://h.example/x",
           "--name", "cli", "--header", "X-A: 1", "--username", "u", "--password",
           "cli-secret-value", "--retry-intervals", "5,50", "--default", "--json"});
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
  EXPECT_EQ(created.out.find("cli-secret-value"), std::string::npos) << created.out;
  Json json = ParseJson(created.out);
  ASSERT_TRUE(json.ok) << created.out;
  const std::string id = Str(json.doc, "id");
  EXPECT_EQ(ToJson(json.doc["auth"]), R"({"type":"basic","username":"u","password":"****"})");
  EXPECT_EQ(ToJson(json.doc["retry"]), R"({"type":"fixed","intervals":[5,50]})");

  // The API sees what the CLI stored.
  HttpResponse got = Call("GET", Ext("callback-profiles/" + id));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Str(BodyJson(got).doc, "name"), "cli");

  CommandResult updated = Cli({"callback-profile", "update", "--sid", account_.sid, "--id", id,
                               "--method", "put", "--not-default", "--json"});
  ASSERT_EQ(updated.exit_code, 0) << updated.err;
  Json after = ParseJson(updated.out);
  EXPECT_EQ(Str(after.doc, "method"), "PUT");
  EXPECT_EQ(Str(after.doc, "name"), "cli") << "update keeps what its flags do not name";
  EXPECT_EQ(ToJson(after.doc["auth"]), R"({"type":"basic","username":"u","password":"****"})");
  EXPECT_FALSE(after.doc["default"].GetBool());

  CommandResult list = Cli({"callback-profile", "list", "--sid", account_.sid});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find(id), std::string::npos) << list.out;
  CommandResult show = Cli({"callback-profile", "show", "--sid", account_.sid, "--id", id});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("PUT https://h.example/x"), std::string::npos) << show.out;

  // Bad input: the API's rules, one line, non-zero.
  CommandResult bad = Cli({"callback-profile", "create", "--sid", account_.sid, "--url", "nope",
                           "--retry-exponential", "0,1,2"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("url must be"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("exponential"), std::string::npos) << bad.err;
  EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;
  CommandResult bad_header = Cli({"callback-profile", "create", "--sid", account_.sid, "--url",
                                  "https://h", "--header", "no colon"});
  EXPECT_NE(bad_header.exit_code, 0);

  CommandResult deleted = Cli({"callback-profile", "delete", "--sid", account_.sid, "--id", id});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.err;
  CommandResult again = Cli({"callback-profile", "delete", "--sid", account_.sid, "--id", id});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.err.find("no callback profile"), std::string::npos) << again.err;
  EXPECT_TRUE(IsError(Call("GET", Ext("callback-profiles/" + id)), 404, "E448"));
}

TEST_F(WebhookApiTest, InboundNumberSecretAndWebhookCli) {
  CommandResult added =
      Cli({"inbound-number", "add", "--sid", account_.sid, "--number", "+14155550123", "--keyword",
           "join", "--callback-url", "https://h.example/mo", "--json"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  Json entry = ParseJson(added.out);
  ASSERT_TRUE(entry.ok) << added.out;
  const std::string id = Str(entry.doc, "id");
  EXPECT_EQ(Str(entry.doc, "keyword"), "JOIN");
  HttpResponse got = Call("GET", Ext("inbound-numbers/" + id));
  EXPECT_EQ(got.status, 200) << got.body;

  const Account other = gw_.CreateAccount("other");
  CommandResult taken = Cli({"inbound-number", "add", "--sid", other.sid, "--number",
                             "+14155550123", "--keyword", "JOIN"});
  EXPECT_NE(taken.exit_code, 0);
  EXPECT_NE(taken.err.find("taken"), std::string::npos) << taken.err;
  CommandResult bad = Cli({"inbound-number", "add", "--sid", account_.sid, "--number", "12",
                           "--callback-profile-id", "nope"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;
  CommandResult list = Cli({"inbound-number", "list", "--sid", account_.sid});
  EXPECT_NE(list.out.find("14155550123  JOIN"), std::string::npos) << list.out;
  EXPECT_EQ(Cli({"inbound-number", "remove", "--sid", account_.sid, "--id", id}).exit_code, 0);
  EXPECT_NE(Cli({"inbound-number", "remove", "--sid", account_.sid, "--id", id}).exit_code, 0);

  CommandResult secret = Cli(
      {"account", "set-webhook-secret", "--sid", account_.sid, "--secret", "0123456789abcdef-cli"});
  EXPECT_EQ(secret.exit_code, 0) << secret.err;
  CommandResult short_secret =
      Cli({"account", "set-webhook-secret", "--sid", account_.sid, "--secret", "short"});
  EXPECT_NE(short_secret.exit_code, 0);
  EXPECT_NE(short_secret.err.find("16-128"), std::string::npos) << short_secret.err;
  EXPECT_EQ(Cli({"account", "set-webhook-secret", "--sid", account_.sid, "--clear"}).exit_code, 0);
  EXPECT_NE(Cli({"account", "set-webhook-secret", "--sid", account_.sid}).exit_code, 0);
  EXPECT_NE(
      Cli({"account", "set-webhook-secret", "--sid", "HXSG0000000000SG", "--clear"}).exit_code, 0);

  CommandResult webhooks = Cli({"webhook", "list", "--sid", account_.sid, "--json"});
  ASSERT_EQ(webhooks.exit_code, 0) << webhooks.err;
  EXPECT_NE(webhooks.out.find(R"("data":[])"), std::string::npos) << webhooks.out;
  CommandResult bad_state = Cli({"webhook", "list", "--sid", account_.sid, "--state", "failed"});
  EXPECT_NE(bad_state.exit_code, 0);
  EXPECT_NE(bad_state.err.find("state must be"), std::string::npos) << bad_state.err;
  CommandResult replay = Cli({"webhook", "replay", "--sid", account_.sid, "--event-id", "nope"});
  EXPECT_NE(replay.exit_code, 0);
  EXPECT_NE(replay.err.find("no webhook nope"), std::string::npos) << replay.err;
}

}  // namespace
}  // namespace smsgw::itest
