// Webhooks end to end on the real binary: delivery-status callbacks to a receiver on loopback (a
// real HTTP server in this process, tests/support/http_receiver.h), their retries through a
// receiver that fails, times out or is down, signatures, callback profiles with their auth, replay
// of exhausted webhooks, kill -9 with webhooks still to send, and inbound (MO) messages from
// `smsgw smsc-sim` forwarded to the right account.

#include <openssl/hmac.h>

#include <atomic>
#include <map>
#include <set>

#include "fixture.h"
#include "support/http_receiver.h"

namespace smsgw::itest {
namespace {

using testing::HttpReceiver;
using testing::ReceivedRequest;
using testing::ReceiverAnswer;

constexpr auto kWebhookTimeout = 60s;

// Delivery through the embedded simulator with quick receipts, webhook timeouts short enough for
// tests, and the receiver on loopback allowed as a target.
constexpr const char* kConfig =
    "[simulator]\nreceipt_delay = \"50ms\"\n"
    "[webhooks]\nrequest_timeout = \"1s\"\nconnect_timeout = \"500ms\"\n"
    "allow_targets = [\"127.0.0.1/32\"]\n";

// The requests whose JSON body or query has this event_id, by event_id.
std::map<std::string, std::vector<ReceivedRequest>> ByEventId(
    const std::vector<ReceivedRequest>& requests) {
  std::map<std::string, std::vector<ReceivedRequest>> out;
  for (const ReceivedRequest& r : requests) {
    std::string event_id = r.QueryParam("event_id");
    if (event_id.empty()) {
      Json j = ParseJson(r.body);
      if (j.ok && j.doc.IsObject()) {
        event_id = Str(j.doc, "event_id");
      }
    }
    out[event_id].push_back(r);
  }
  return out;
}

// Waits until the receiver has seen `n` distinct event ids; returns the last request of each.
std::map<std::string, ReceivedRequest> WaitForEvents(const HttpReceiver& receiver, size_t n,
                                                     Clock::duration timeout = kWebhookTimeout) {
  const auto deadline = Clock::now() + timeout;
  std::map<std::string, ReceivedRequest> out;
  while (Clock::now() < deadline) {
    out.clear();
    for (auto& [id, list] : ByEventId(receiver.Requests())) {
      out.emplace(id, list.back());
    }
    if (out.size() >= n) {
      return out;
    }
    std::this_thread::sleep_for(50ms);
  }
  ADD_FAILURE() << "the receiver got " << out.size() << " distinct event ids, want " << n;
  return out;
}

ReceiverAnswer Answer(int status, std::string body = "ok") {
  ReceiverAnswer a;
  a.status = status;
  a.body = std::move(body);
  return a;
}

ReceiverAnswer DelayedAnswer(std::chrono::milliseconds delay) {
  ReceiverAnswer a;
  a.delay = delay;
  return a;
}

std::string HexHmac(const std::string& key, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex += kHex[mac[i] >> 4];
    hex += kHex[mac[i] & 15];
  }
  return hex;
}

class WebhookTest : public ServerTest {
 protected:
  std::string ConfigText() const override { return kConfig; }

  void SetUp() override {
    receiver_ = HttpReceiver::Start();
    ServerTest::SetUp();
  }

  // An inline callback object to the receiver.
  std::string Callback(const std::string& method, const std::string& retry = "") const {
    return R"({"url":)" + Quote(receiver_->Url("/hook")) + R"(,"method":")" + method + "\"" +
           (retry.empty() ? "" : R"(,"retry":)" + retry) + "}";
  }

  std::vector<std::string> SendWithCallback(const std::string& callback, int recipients = 1,
                                            const std::string& extra = "") {
    std::string to;
    for (int i = 0; i < recipients; ++i) {
      to += (to.empty() ? "\"+" : ",\"+") + std::to_string(919876540000 + i) + "\"";
    }
    HttpResponse r = Send(R"({"to":[)" + to +
                          R"(],"sender":"ACMEIN","body":"Hello","ref":"r-1","campaign_name":"c1",)"
                          R"("ref_custom":["a","b"],"callback":)" +
                          callback + extra + "}");
    EXPECT_EQ(r.status, 200) << r.body;
    return MessageIds(r);
  }

  Json Detail(const std::string& id) const {
    HttpResponse r =
        gw_.Request("GET", "/ext/v1/" + account_.sid + "/messages/" + id, "", account_.api_key);
    EXPECT_EQ(r.status, 200) << r.body;
    return ParseJson(r.body);
  }

  // No secret the test used (the API key, passwords, tokens, signing secrets) is in anything
  // serve printed, at the default (info) level.
  void ExpectNotLogged(const std::vector<std::string>& secrets) {
    const std::string log = gw_.server()->Stdout() + gw_.server()->Stderr();
    ASSERT_FALSE(log.empty());
    for (const std::string& secret : secrets) {
      EXPECT_EQ(log.find(secret), std::string::npos) << "serve logged a secret: " << secret;
    }
  }

  HttpResponse Ext(const std::string& method, const std::string& rest,
                   const std::string& body = "") const {
    return gw_.Request(method, "/ext/v1/" + account_.sid + "/" + rest, body, account_.api_key,
                       {{"Content-Type", "application/json"}});
  }

  std::unique_ptr<HttpReceiver> receiver_;
};

TEST_F(WebhookTest, PostCallbackCarriesTheDocumentedFields) {
  const std::string id = SendWithCallback(Callback("POST")).at(0);
  auto events = WaitForEvents(*receiver_, 2);
  std::map<std::string, rapidjson::Document> by_status;
  for (auto& [event_id, request] : events) {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.path, "/hook");
    EXPECT_NE(request.Header("content-type").find("application/json"), std::string::npos);
    EXPECT_EQ(request.Header("x-smsgw-signature"), "") << "the account has no secret";
    Json j = ParseJson(request.body);
    ASSERT_TRUE(j.ok && j.doc.IsObject()) << request.body;
    EXPECT_EQ(Str(j.doc, "event_id"), event_id);
    EXPECT_EQ(Str(j.doc, "message_id"), id);
    EXPECT_EQ(Str(j.doc, "id"), id.substr(0, id.find(':')));
    EXPECT_EQ(Str(j.doc, "recipient"), "919876540000");
    EXPECT_EQ(Str(j.doc, "sender"), "ACMEIN");
    EXPECT_EQ(Str(j.doc, "ref"), "r-1");
    EXPECT_EQ(Str(j.doc, "campaign_name"), "c1");
    ASSERT_TRUE(j.doc.HasMember("ref_custom")) << request.body;
    EXPECT_EQ(ToJson(j.doc["ref_custom"]), R"(["a","b"])");
    for (const char* field :
         {"status_trace", "description", "error_code", "segments", "timestamp", "ref1", "ref2"}) {
      EXPECT_TRUE(j.doc.HasMember(field)) << field << " missing: " << request.body;
    }
    EXPECT_TRUE(
        std::regex_match(Str(j.doc, "timestamp"), std::regex(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)")))
        << request.body;
    by_status[Str(j.doc, "status")].CopyFrom(j.doc, by_status[Str(j.doc, "status")].GetAllocator());
  }
  ASSERT_EQ(by_status.count("Sent"), 1u);
  ASSERT_EQ(by_status.count("Delivered"), 1u);
  EXPECT_EQ(Str(by_status["Delivered"], "status_trace"), "DELIVRD");
  // The message's history names the same event ids, and its webhooks were delivered once each.
  Json d = Detail(id);
  ASSERT_TRUE(d.ok && d.doc.HasMember("webhooks") && d.doc["webhooks"].IsArray()) << d.error;
  EXPECT_EQ(d.doc["webhooks"].Size(), 2u) << ToJson(d.doc);
  for (const auto& w : d.doc["webhooks"].GetArray()) {
    EXPECT_EQ(events.count(Str(w, "event_id")), 1u) << ToJson(w);
    EXPECT_EQ(Str(w, "state"), "delivered") << ToJson(w);
  }
}

TEST_F(WebhookTest, GetCallbackSendsQueryParameters) {
  const std::string id = SendWithCallback(Callback("GET")).at(0);
  auto events = WaitForEvents(*receiver_, 2);
  for (auto& [event_id, request] : events) {
    EXPECT_EQ(request.method, "GET");
    EXPECT_EQ(request.body, "");
    EXPECT_EQ(request.QueryParam("message_id"), id);
    EXPECT_EQ(request.QueryParam("event_id"), event_id);
    EXPECT_EQ(request.QueryParam("recipient"), "919876540000");
    EXPECT_EQ(request.QueryParam("ref"), "r-1");
    EXPECT_FALSE(request.QueryParam("status").empty());
  }
}

// 500s, then a timeout, then 200: each event arrives, is answered 2xx once, and the attempts are
// in the message's detail.
TEST_F(WebhookTest, FailingReceiverIsRetriedUntilItAnswers2xx) {
  std::atomic<int> seen{0};
  receiver_->SetResponder([&](const ReceivedRequest&) {
    const int n = seen++;
    if (n < 2) {
      return Answer(500, "boom");
    }
    if (n < 3) {
      return DelayedAnswer(2500ms);  // past request_timeout: a failed attempt
    }
    return ReceiverAnswer{};
  });
  const std::string id =
      SendWithCallback(Callback("POST", R"({"count":"6","interval":["1","1","1","1","1","1"]})"))
          .at(0);
  const auto deadline = Clock::now() + kWebhookTimeout;
  Json d;
  while (Clock::now() < deadline) {
    d = Detail(id);
    size_t delivered = 0;
    if (d.ok && d.doc.HasMember("webhooks") && d.doc["webhooks"].IsArray()) {
      for (const auto& w : d.doc["webhooks"].GetArray()) {
        delivered += Str(w, "state") == "delivered" ? 1 : 0;
      }
      if (delivered == 2) {
        break;
      }
    }
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(d.ok && d.doc.HasMember("webhooks")) << d.error;
  int attempts = 0;
  bool saw_500 = false;
  for (const auto& w : d.doc["webhooks"].GetArray()) {
    EXPECT_EQ(Str(w, "state"), "delivered") << ToJson(d.doc["webhooks"]);
    for (const auto& a : w["attempt_log"].GetArray()) {
      ++attempts;
      saw_500 = saw_500 || (a.HasMember("http_status") && a["http_status"].IsInt() &&
                            a["http_status"].GetInt() == 500);
    }
  }
  EXPECT_EQ(attempts, 5) << "2 × 500, 1 timeout, 2 × 200: " << ToJson(d.doc["webhooks"]);
  EXPECT_TRUE(saw_500);
  // Every event id was answered 2xx exactly once.
  std::map<std::string, int> ok;
  for (const auto& [event_id, list] : ByEventId(receiver_->Requests())) {
    ok[event_id] = static_cast<int>(list.size());
  }
  EXPECT_EQ(ok.size(), 2u);
}

// The receiver is down while messages are delivered, and back later: every event arrives once
// after the recovery.
TEST_F(WebhookTest, ReceiverDownThenUpGetsEveryEventOnce) {
  receiver_->Down();
  constexpr int kMessages = 20;
  const auto ids =
      SendWithCallback(Callback("POST", R"({"count":"20","interval":["1"]})"), kMessages);
  ASSERT_EQ(ids.size(), static_cast<size_t>(kMessages));
  std::this_thread::sleep_for(3s);  // receipts arrive; the first attempts fail
  EXPECT_EQ(receiver_->Count(), 0u);
  receiver_->Up();
  auto events = WaitForEvents(*receiver_, 2 * kMessages);
  EXPECT_EQ(events.size(), static_cast<size_t>(2 * kMessages));
  std::this_thread::sleep_for(1500ms);  // a duplicate would come within a retry interval
  for (const auto& [event_id, list] : ByEventId(receiver_->Requests())) {
    EXPECT_EQ(list.size(), 1u) << event_id << " arrived " << list.size() << " times";
  }
}

TEST_F(WebhookTest, SignatureVerifiesWithTheAccountSecret) {
  const std::string secret = "s3cret-for-webhooks-0123456789";
  CommandResult set =
      gw_.Cli({"account", "set-webhook-secret", "--sid", account_.sid, "--secret", secret});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  SendWithCallback(Callback("POST"));
  auto events = WaitForEvents(*receiver_, 2);
  for (auto& [event_id, request] : events) {
    const std::string header = request.Header("x-smsgw-signature");
    std::smatch m;
    ASSERT_TRUE(std::regex_match(header, m, std::regex(R"(t=(\d+),v1=([0-9a-f]{64}))"))) << header;
    EXPECT_EQ(m[2].str(), HexHmac(secret, m[1].str() + "." + request.body));
    EXPECT_NE(m[2].str(), HexHmac("another secret", m[1].str() + "." + request.body));
  }
  ExpectNotLogged({secret, account_.api_key});
}

// A callback profile with Basic auth and a body template, made the account's default, reaches
// messages that name no callback at all.
TEST_F(WebhookTest, DefaultProfileWithBasicAuthAndBodyTemplate) {
  HttpResponse created =
      Ext("POST", "callback-profiles",
          R"({"url":)" + Quote(receiver_->Url("/profile")) +
              R"(,"method":"PUT","default":true,)"
              R"("auth":{"type":"basic","username":"u","password":"pw-4f9a0c"},)"
              R"("headers":{"X-Team":"sms"},)"
              R"("body_template":"{\"m\":\"<message_id>\",\"s\":\"<status>\"}"})");
  ASSERT_EQ(created.status, 201) << created.body;
  HttpResponse r = SendSimple();
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string id = MessageIds(r).at(0);
  ASSERT_TRUE(receiver_->WaitForCount(2, kWebhookTimeout));
  for (const ReceivedRequest& request : receiver_->Requests()) {
    EXPECT_EQ(request.method, "PUT");
    EXPECT_EQ(request.path, "/profile");
    EXPECT_EQ(request.Header("authorization"), "Basic dTpwdy00ZjlhMGM=");  // base64("u:pw-4f9a0c")
    EXPECT_EQ(request.Header("x-team"), "sms");
    EXPECT_TRUE(request.body == R"({"m":")" + id + R"(","s":"Sent"})" ||
                request.body == R"({"m":")" + id + R"(","s":"Delivered"})")
        << request.body;
  }
  ExpectNotLogged({"pw-4f9a0c", "dTpwdy00ZjlhMGM=", account_.api_key});
}

// A profile with a bearer token from a token URL: one token fetch serves both callbacks.
TEST_F(WebhookTest, ProfileWithBearerTokenFetchesAndCachesTheToken) {
  receiver_->SetResponder([](const ReceivedRequest& request) {
    if (request.path == "/token") {
      return Answer(200, R"({"access_token":"tok-5d1e93","expires_in":3600})");
    }
    return Answer(request.Header("authorization") == "Bearer tok-5d1e93" ? 200 : 401);
  });
  HttpResponse created = Ext(
      "POST", "callback-profiles",
      R"({"url":)" + Quote(receiver_->Url("/hook")) + R"(,"auth":{"type":"bearer","token_url":)" +
          Quote(receiver_->Url("/token")) + R"(,"client_id":"id1","client_secret":"sec-8c2e71"}})");
  ASSERT_EQ(created.status, 201) << created.body;
  Json profile = ParseJson(created.body);
  const std::string profile_id = Str(profile.doc, "id");
  EXPECT_EQ(created.body.find("sec-8c2e71"), std::string::npos) << "the secret is never echoed";
  HttpResponse r = Send(R"({"to":"+919876543210","sender":"ACMEIN","body":"Hi",)"
                        R"("callback_profile_id":)" +
                        Quote(profile_id) + "}");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(receiver_->WaitForCount(3, kWebhookTimeout));
  std::this_thread::sleep_for(300ms);
  int tokens = 0;
  int hooks = 0;
  for (const ReceivedRequest& request : receiver_->Requests()) {
    if (request.path == "/token") {
      ++tokens;
      EXPECT_NE(request.body.find("client_id=id1"), std::string::npos) << request.body;
    } else {
      ++hooks;
      EXPECT_EQ(request.Header("authorization"), "Bearer tok-5d1e93");
    }
  }
  EXPECT_EQ(tokens, 1);
  EXPECT_EQ(hooks, 2);
  ExpectNotLogged({"sec-8c2e71", "tok-5d1e93", account_.api_key});
}

// A webhook whose policy gave up is listed as exhausted, and replaying it sends it again.
TEST_F(WebhookTest, ExhaustedWebhookIsListedAndReplayed) {
  receiver_->SetResponder([](const ReceivedRequest&) { return Answer(503); });
  SendWithCallback(Callback("POST", R"({"count":"0","interval":[]})"));
  const auto deadline = Clock::now() + kWebhookTimeout;
  Json list;
  while (Clock::now() < deadline) {
    list = ParseJson(Ext("GET", "webhooks?state=exhausted").body);
    if (list.ok && list.doc.IsObject() && list.doc.HasMember("data") &&
        list.doc["data"].IsArray() && list.doc["data"].Size() == 2) {
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(list.ok && list.doc.HasMember("data") && list.doc["data"].Size() == 2)
      << ToJson(list.doc);
  const std::string event_id = Str(list.doc["data"][0], "event_id");
  receiver_->SetResponder([](const ReceivedRequest&) { return ReceiverAnswer{}; });
  const size_t before = receiver_->Count();
  EXPECT_EQ(Ext("POST", "webhooks/" + event_id + "/replay").status, 202);
  ASSERT_TRUE(receiver_->WaitForCount(before + 1, kWebhookTimeout));
  auto by_id = ByEventId(receiver_->Requests());
  EXPECT_EQ(by_id[event_id].size(), 2u);
  EXPECT_EQ(Ext("POST", "webhooks/00000000-0000-7000-8000-000000000000/replay").status, 404);
}

// kill -9 while thousands of webhooks wait for a receiver that is down: after a restart every
// one of them is delivered.
TEST(WebhookCrashTest, KillNineLosesNoWebhook) {
  auto receiver = HttpReceiver::Start();
  receiver->Down();
  Smsgw gw;
  gw.set_config(gw.dir().WriteFile("smsgw.toml", kConfig));
  const Account account = gw.CreateAccount("acme");
  gw.Start();
  ASSERT_NE(gw.port(), 0);
  const std::string callback = R"({"url":)" + Quote(receiver->Url("/hook")) +
                               R"(,"method":"POST","retry":{"count":"20","interval":["1"]}})";
  constexpr int kRequests = 15;
  constexpr int kPerRequest = 100;
  std::vector<std::string> ids;
  for (int r = 0; r < kRequests; ++r) {
    std::string to;
    for (int i = 0; i < kPerRequest; ++i) {
      to +=
          (to.empty() ? "\"+" : ",\"+") + std::to_string(919876500000 + r * kPerRequest + i) + "\"";
    }
    HttpResponse sent = gw.Post(
        "/v1/" + account.sid + "/messages",
        R"({"to":[)" + to + R"(],"sender":"ACMEIN","body":"Hi","callback":)" + callback + "}",
        account.api_key);
    ASSERT_EQ(sent.status, 200) << sent.body;
    auto more = MessageIds(sent);
    ids.insert(ids.end(), more.begin(), more.end());
  }
  // Wait until every message is delivered, so 2 webhooks each wait in the outbox.
  const auto deadline = Clock::now() + kWebhookTimeout;
  while (Clock::now() < deadline) {
    CommandResult stats = gw.Cli({"delivery", "stats", "--json"});
    Json j = ParseJson(stats.out);
    if (j.ok && j.doc.IsObject() && j.doc.HasMember("webhooks") && j.doc["webhooks"].IsObject() &&
        j.doc["webhooks"].HasMember("pending") &&
        j.doc["webhooks"]["pending"].GetUint64() >= 2u * ids.size()) {
      break;
    }
    std::this_thread::sleep_for(200ms);
  }
  gw.Kill9();
  receiver->Up();
  gw.Start();
  ASSERT_NE(gw.port(), 0);
  auto events = WaitForEvents(*receiver, 2 * ids.size(), 120s);
  EXPECT_EQ(events.size(), 2 * ids.size());
  std::set<std::string> messages;
  for (const auto& [event_id, request] : events) {
    Json j = ParseJson(request.body);
    messages.insert(Str(j.doc, "message_id"));
  }
  EXPECT_EQ(messages.size(), ids.size());
  size_t duplicates = 0;
  for (const auto& [event_id, list] : ByEventId(receiver->Requests())) {
    duplicates += list.size() - 1;
  }
  std::cout << "[ figures ] " << 2 * ids.size() << " webhooks waiting at kill -9, " << events.size()
            << " delivered after restart, " << duplicates << " sent more than once\n";
}

}  // namespace
}  // namespace smsgw::itest
