// Hostile input and hostile tenants (issue 13): each defect a reviewer found, tried against the
// real binary on 127.0.0.1. Only loopback is ever connected to; other targets are checked where
// they are refused without connecting.

#include <cstring>

#include "fixture.h"

namespace smsgw::itest {
namespace {

using SecurityTest = ServerTest;

constexpr const char* kBody = R"({"to":"+919876543210","sender":"ACMEIN","body":"Hi"})";

// 200,000 '[' fit the 4 MiB body of sender registration; the recursive parser died on them
// (SIGSEGV, every client dropped).
TEST_F(SecurityTest, DeeplyNestedJsonIs400NotACrash) {
  const std::string registration = "/v1/" + account_.sid + "/sms/sender";
  for (const std::string& body : {
           R"({"data":)" + std::string(200'000, '['),
           R"({"data":)" + std::string(200'000, '[') + std::string(200'000, ']') + "}",
           [] {
             std::string objects = "{";
             for (int i = 0; i < 100'000; ++i) {
               objects += "\"a\":{";
             }
             return objects;
           }(),
       }) {
    HttpResponse r = gw_.Post(registration, body, account_.api_key);
    ASSERT_TRUE(IsError(r, 400, "E420", "request")) << r.body.substr(0, 300);
    EXPECT_NE(r.body.find("deeper than 32"), std::string::npos) << r.body;
  }
  // JSON inside a form field is read by the same parser.
  const std::string nested_callback =
      "to=%2B919876543210&sender=ACMEIN&body=Hi&callback=" + std::string(20'000, '[');
  HttpResponse form = gw_.Request("POST", MessagesPath(), nested_callback, account_.api_key,
                                  {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_TRUE(IsError(form, 400, "E418", "callback")) << form.body;
  EXPECT_EQ(Send(kBody).status, 200) << "server unusable after deeply nested JSON";
}

// A CR/LF in a callback header value smuggled a second request to the receiver; Host,
// Content-Length, Transfer-Encoding and smsgw's own X-Smsgw-* headers could be forged. Every place
// a header is configured now follows the callback profiles' rule.
TEST_F(SecurityTest, CallbackHeadersFollowOneRuleEverywhere) {
  const auto callback = [](const std::string& header) {
    return R"({"url":"https://crm.example.com/h","header":{)" + header + "}}";
  };
  for (const std::string& header : {
           std::string(R"("X-A":"1\r\nContent-Length: 0\r\n\r\nGET /smuggled HTTP/1.1")"),
           std::string(R"("X-A":"1\nX-B: 2")"),
           std::string(R"("Host":"internal.example")"),
           std::string(R"("Content-Length":"0")"),
           std::string(R"("Transfer-Encoding":"chunked")"),
           std::string(R"("X-Smsgw-Signature":"t=1,v1=00")"),
           std::string(R"("x-smsgw-event-id":"forged")"),
           std::string(R"("Bad Name":"1")"),
       }) {
    HttpResponse sent = SendSimple(R"(,"callback":)" + callback(header));
    EXPECT_TRUE(IsError(sent, 400, "E418", "callback")) << header << ": " << sent.body;
    HttpResponse number =
        gw_.Post("/ext/v1/" + account_.sid + "/inbound-numbers",
                 R"({"number":"56767","callback":)" + callback(header) + "}", account_.api_key);
    EXPECT_TRUE(IsError(number, 400, "E418", "callback")) << header << ": " << number.body;
    HttpResponse profile = gw_.Post(
        "/ext/v1/" + account_.sid + "/callback-profiles",
        R"({"url":"https://crm.example.com/h","headers":{)" + header + "}}", account_.api_key);
    EXPECT_TRUE(IsError(profile, 400, "E462", "headers")) << header << ": " << profile.body;
  }
  // Ordinary headers still pass, in all three places.
  const std::string ok = R"("X-Tenant":"acme","Authorization":"Bearer abc")";
  EXPECT_EQ(SendSimple(R"(,"callback":)" + callback(ok)).status, 200);
  EXPECT_EQ(gw_.Post("/ext/v1/" + account_.sid + "/inbound-numbers",
                     R"({"number":"56767","callback":)" + callback(ok) + "}", account_.api_key)
                .status,
            201);
  EXPECT_EQ(
      gw_.Post("/ext/v1/" + account_.sid + "/callback-profiles",
               R"({"url":"https://crm.example.com/h","headers":{)" + ok + "}}", account_.api_key)
          .status,
      201);
}

// A send accepted another account's (or an unknown) callback_profile_id, so one tenant's status
// webhooks could be aimed at another tenant's receiver with its credentials.
TEST_F(SecurityTest, ASendNamesOnlyItsOwnAccountsCallbackProfile) {
  const Account other = gw_.CreateAccount("other");
  const auto create = [&](const Account& account) {
    HttpResponse r = gw_.Post("/ext/v1/" + account.sid + "/callback-profiles",
                              R"({"url":"https://crm.example.com/h"})", account.api_key);
    EXPECT_EQ(r.status, 201) << r.body;
    return Str(BodyJson(r).doc, "id");
  };
  const std::string theirs = create(other);
  const std::string ours = create(account_);
  const std::string unknown = "SG_09b3dfa7-e05d-4d84-ab2d-6ed654272abc";
  for (const std::string& id : {theirs, unknown}) {
    HttpResponse r = SendSimple(R"(,"callback_profile_id":)" + Quote(id));
    EXPECT_TRUE(IsError(r, 400, "E417", "callback_profile_id")) << id << ": " << r.body;
  }
  EXPECT_EQ(SendSimple(R"(,"callback_profile_id":)" + Quote(ours)).status, 200);
  // Deleted, it is refused at once (the send path caches which profiles exist).
  ASSERT_EQ(gw_.Request("DELETE", "/ext/v1/" + account_.sid + "/callback-profiles/" + ours, "",
                        account_.api_key)
                .status,
            204);
  EXPECT_TRUE(IsError(SendSimple(R"(,"callback_profile_id":)" + Quote(ours)), 400, "E417",
                      "callback_profile_id"));
}

// A profile's static headers (Authorization), the password in a callback URL and an inbound
// number's callback headers came back in clear from GET.
TEST_F(SecurityTest, SecretsInCallbacksAreNeverShown) {
  const std::string ext = "/ext/v1/" + account_.sid + "/";
  HttpResponse created = gw_.Post(ext + "callback-profiles",
                                  R"({"url":"https://hook:url-pw-1@crm.example.com/h",
                   "headers":{"Authorization":"Bearer header-tok-2","X-Tenant":"acme"},
                   "auth":{"type":"bearer","token_url":"https://id:token-url-pw-3@auth.example.com/t",
                           "client_id":"c","client_secret":"client-secret-4"}})",
                                  account_.api_key);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = Str(BodyJson(created).doc, "id");
  HttpResponse number = gw_.Post(ext + "inbound-numbers",
                                 R"({"number":"56767","callback":{"url":"https://u:mo-pw-5@h/mo",
                                     "header":{"X-Api-Key":"mo-key-6"}}})",
                                 account_.api_key);
  ASSERT_EQ(number.status, 201) << number.body;
  const std::vector<HttpResponse> shown = {
      created,
      number,
      gw_.Request("GET", ext + "callback-profiles/" + id, "", account_.api_key),
      gw_.Request("GET", ext + "callback-profiles", "", account_.api_key),
      gw_.Request("GET", ext + "inbound-numbers", "", account_.api_key),
  };
  for (const HttpResponse& r : shown) {
    EXPECT_EQ(r.status / 100, 2) << r.body;
    for (const char* secret :
         {"url-pw-1", "header-tok-2", "token-url-pw-3", "client-secret-4", "mo-pw-5", "mo-key-6"}) {
      EXPECT_EQ(r.body.find(secret), std::string::npos) << secret << " shown in " << r.body;
    }
  }
  EXPECT_NE(shown[2].body.find("https://hook:****@crm.example.com/h"), std::string::npos)
      << shown[2].body;
  // A GET's answer sent back as a PUT keeps the stored secrets: the webhook still authenticates.
  HttpResponse put = gw_.Request("PUT", ext + "callback-profiles/" + id, shown[2].body,
                                 account_.api_key, {{"Content-Type", "application/json"}});
  ASSERT_EQ(put.status, 200) << put.body;
  const CommandResult cli =
      gw_.Cli({"callback-profile", "show", "--sid", account_.sid, "--id", id});
  EXPECT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(cli.out.find("header-tok-2"), std::string::npos) << cli.out;
  // Nor are they logged.
  for (const std::string& log : {gw_.server()->Stdout(), gw_.server()->Stderr()}) {
    for (const char* secret : {"url-pw-1", "header-tok-2", "client-secret-4", "mo-key-6"}) {
      EXPECT_EQ(log.find(secret), std::string::npos) << secret << " logged";
    }
  }
}

// Transfer-Encoding whose last coding is not chunked was read as "no body", so the body ran as the
// next request on the connection: one request smuggled inside another. RFC 9112 §6.3: 400, close.
TEST_F(SecurityTest, UnframableRequestsAre400AndClosed) {
  const std::string smuggled =
      "POST " + MessagesPath() + " HTTP/1.1\r\nHost: x\r\napi-key: " + account_.api_key +
      "\r\nContent-Length: " + std::to_string(std::strlen(kBody)) + "\r\n\r\n" + kBody;
  const std::string head = "POST " + MessagesPath() + " HTTP/1.1\r\napi-key: " + account_.api_key;
  for (const std::string& raw : {
           head + "\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n" + smuggled,
           head + "\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n" + smuggled,
           head + "\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n" + smuggled,
           head + "\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: " +
               std::to_string(smuggled.size() + 5) + "\r\n\r\n0\r\n\r\n" + smuggled,
           head + "\r\nContent-Length: 0\r\n\r\n" + smuggled,  // HTTP/1.1 without Host
           head + "\r\nHost: a\r\nHost: b\r\nContent-Length: 0\r\n\r\n" + smuggled,
       }) {
    HttpConnection conn(gw_.port());
    ASSERT_TRUE(conn.connected());
    ASSERT_TRUE(conn.SendRaw(raw));
    std::string error;
    auto first = conn.ReadResponse(Clock::now() + kHttpTimeout, &error);
    ASSERT_TRUE(first) << error << " for " << raw;
    EXPECT_TRUE(IsError(*first, 400, "E420", "request")) << raw << "\n" << first->body;
    EXPECT_EQ(first->Header("connection"), "close");
    auto second = conn.ReadResponse(Clock::now() + 5s, &error);
    EXPECT_FALSE(second) << "the smuggled request was answered: " << second->status << " "
                         << second->body;
  }
  EXPECT_EQ(Send(kBody).status, 200);
}

}  // namespace
}  // namespace smsgw::itest
