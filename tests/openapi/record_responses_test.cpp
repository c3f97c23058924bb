// Drives the real `smsgw serve` (the integration harness) through a representative request of
// every endpoint, successes and errors, and appends each exchange to the JSON-lines file named
// by $SMSGW_OPENAPI_RESPONSES: {"method", "target", "request_content_type", "request_body",
// "status", "content_type", "body"}. validate_responses.js then checks every recorded response
// (and the body of every request the server accepted) against docs/api/openapi.json.
// The expected statuses are asserted here too, so that a request that stops reaching its case
// (and would validate as some other response) fails.

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <thread>

#include "fixture.h"
#include "support/http_receiver.h"

namespace smsgw::itest {
namespace {

class RecordResponses : public ServerTest {
 protected:
  void SetUp() override {
    const char* out = std::getenv("SMSGW_OPENAPI_RESPONSES");
    ASSERT_NE(out, nullptr) << "set SMSGW_OPENAPI_RESPONSES to the output file";
    out_.open(out, std::ios::app);
    ASSERT_TRUE(out_) << out;
    ServerTest::SetUp();
  }

  // One request, recorded; `status` is the status the request must get. `key`: the api-key
  // header to send instead of the account's ("" sends none).
  HttpResponse Call(int status, const std::string& method, const std::string& target,
                    const std::string& body = "", const std::string& content_type = "",
                    std::vector<std::pair<std::string, std::string>> headers = {},
                    const std::string* key = nullptr) {
    if (!content_type.empty()) {
      headers.emplace_back("Content-Type", content_type);
    }
    HttpResponse r = gw_.Request(method, target, body, key ? *key : account_.api_key, headers);
    EXPECT_EQ(r.status, status) << method << " " << target << ": " << r.body;
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("method");
    w.String(method);
    w.Key("target");
    w.String(target);
    w.Key("request_content_type");
    w.String(content_type);
    w.Key("request_body");
    w.String(body);
    w.Key("status");
    w.Int(r.status);
    w.Key("content_type");
    w.String(r.Header("content-type"));
    w.Key("body");
    w.String(r.body);
    w.EndObject();
    out_ << buf.GetString() << '\n';
    return r;
  }
  HttpResponse Json(int status, const std::string& method, const std::string& target,
                    const std::string& body = "") {
    return Call(status, method, target, body, body.empty() ? "" : "application/json");
  }
  std::string Ext(const std::string& rest) const { return "/ext/v1/" + account_.sid + "/" + rest; }

  std::ofstream out_;
};

TEST_F(RecordResponses, Send) {
  const std::string messages = MessagesPath();
  Json(
      200, "POST", messages,
      R"({"to":["+919876543210","+6591234567"],"sender":"ACMEIN","body":"Hi","ref_custom":["a"]})");
  Call(200, "POST", Path("v1", "sms"), "to=%2B919876543210&sender=ACMEIN&body=Hello+form&flash=1",
       "application/x-www-form-urlencoded");
  Json(200, "POST", Path("v2", "messages"),
       R"({"to":"919876543210,12","sender":"ACMEIN","body":"partial","unicode":"1"})");
  Call(200, "GET", messages + "?to=%2B919876543210&sender=ACMEIN&body=by+get");
  const std::string none;
  Call(200, "GET",  // the key in the query, as Kaleyra's send by GET allows
       Path("v1", "sms") +
           "?to=%2B919876543210&sender=ACMEIN&body=key+in+query&api-key=" + account_.api_key,
       "", "", {}, &none);
  Json(200, "POST", messages,
       R"({"to":"+919876543210","sender":"ACMEIN","body":"later","time":")" +
           IsoTimeFromNow(std::chrono::hours(2)) + R"("})");
  for (int i = 0; i < 2; ++i) {  // the second is the stored answer (Idempotent-Replayed)
    Call(200, "POST", Path("v2", "sms"), R"({"to":"+919876543210","sender":"ACMEIN","body":"k"})",
         "application/json", {{"Idempotency-Key", "order-1"}});
  }

  Json(400, "POST", messages, R"({"sender":"ACMEIN","body":"Hi"})");  // E403
  Json(400, "POST", messages,
       R"({"to":"+919876543210","sender":"ACME-IN!","body":")" + std::string(4001, 'a') +
           R"(","flash":"2"})");                                              // E406 + more
  Json(400, "POST", messages, R"({"to":"+919876543210","sender":"ACMEIN")");  // E420
  Call(400, "POST", messages, R"({"to":"+919876543210","sender":"ACMEIN","body":"Hi"})",
       "application/json", {{"Idempotency-Key", ""}});               // E434
  Call(401, "POST", messages, "{}", "application/json", {}, &none);  // E430
  const std::string bad = "A" + std::string(32, '0');
  Call(401, "POST", messages, "{}", "application/json", {}, &bad);  // E431
  const Account other = gw_.CreateAccount("other");
  Call(403, "POST", messages, "{}", "application/json", {}, &other.api_key);  // E432
}

TEST_F(RecordResponses, Status) {
  const std::vector<std::string> ids = MessageIds(SendSimple());
  ASSERT_EQ(ids.size(), 1u);
  Call(200, "GET", Path("v1", "messages/status") + "?message_ids=" + UrlEncode(ids[0] + ",x:1"));
  Call(200, "GET", Path("v1", "sms/status") + "?message_ids=" + UrlEncode(ids[0]));
  Call(400, "GET", Path("v1", "sms/status"));  // E421
}

TEST_F(RecordResponses, Registry) {
  Json(
      200, "POST", Path("v1", "sms/sender"),
      R"({"data":[{"sender":"ACMEIN","iso_code":"in","entity_id":"120115900000"},{"sender":"BAD!"}]})");
  Call(200, "POST", Ext("senders"), R"(data=[{"sender":"ACMEUS","description":"us"}])",
       "application/x-www-form-urlencoded");
  Json(400, "POST", Path("v2", "messages/sender"), R"({"data":[]})");  // E454
  Json(200, "POST", Path("v1", "messages/sender"), R"({"data":[{"sender":"ACMEIN"}]})");
  Json(200, "POST", Path("v2", "sms/sender"),
       R"({"data":[{"sender":"ACMEIN","entity_id":"120115900000"}]})");
  Json(200, "GET", Ext("senders"));
  Json(200, "GET", Ext("senders/ACMEIN"));
  Json(200, "PATCH", Ext("senders/ACMEIN"), R"({"description":"alerts"})");
  Json(200, "PUT", Ext("senders/ACMEIN"), R"({"iso_code":"IN"})");
  Json(400, "PATCH", Ext("senders/ACMEIN"), R"({"iso_code":"India"})");  // E456
  Json(200, "DELETE", Ext("senders/ACMEIN"));
  Json(404, "GET", Ext("senders/ACMEIN"));  // E445

  const std::string id = "1107160000000000001";
  Json(201, "POST", Ext("templates"),
       R"({"template_id":")" + id +
           R"(","name":"login","text":"Your OTP is {#otp#}","type":"OTP","senders":["ACMEUS"]})");
  Json(409, "POST", Ext("templates"), R"({"template_id":")" + id + R"(","text":"x"})");  // E450
  Json(400, "POST", Ext("templates"), R"({"template_id":"12","text":"{#bad"})");  // E412, E451
  Json(200, "GET", Ext("templates"));
  Json(200, "GET", Ext("templates/" + id));
  Json(200, "PATCH", Ext("templates/" + id), R"({"type":null})");
  Json(200, "PUT", Ext("templates/" + id), R"({"text":"Code {#otp#}"})");
  Json(200, "POST", MessagesPath(),
       R"({"to":"+919876543210","sender":"ACMEUS","template_id":")" + id +
           R"(","template_data":{"otp":"4821"}})");
  Json(200, "DELETE", Ext("templates/" + id));
  Json(404, "GET", Ext("templates/" + id));  // E444
}

TEST_F(RecordResponses, MessageLog) {
  SendSimple();
  const std::vector<std::string> ids = MessageIds(
      SendSimple(R"(,"time":")" + IsoTimeFromNow(std::chrono::hours(2)) + R"(","ref":"r1")"));
  ASSERT_EQ(ids.size(), 1u);
  Json(200, "GET", Ext("messages"));
  Json(200, "GET", Ext("messages?status=Pending&limit=1"));
  Json(400, "GET", Ext("messages?status=Lost&limit=0"));  // E425, E428
  Json(200, "GET", Ext("messages/" + ids[0]));
  Json(404, "GET", Ext("messages/nope:1"));  // E446
  Json(200, "POST", Ext("messages/" + ids[0] + "/cancel"));
  Json(409, "POST", Ext("messages/" + ids[0] + "/cancel"));  // E447
}

TEST_F(RecordResponses, Webhooks) {
  const HttpResponse created =
      Json(201, "POST", Ext("callback-profiles"),
           R"({"name":"crm","url":"https://crm.example.com/status","headers":{"X-Tenant":"acme"},
               "auth":{"type":"basic","username":"u","password":"p"},"default":true})");
  const std::string profile = Str(ParseJson(created.body).doc, "id");
  Json(
      201, "POST", Ext("callback-profiles"),
      R"({"url":"https://crm.example.com/b","auth":{"type":"bearer","token_url":"https://t.example.com/",
           "client_id":"c","client_secret":"s"},"retry":{"type":"exponential","initial":5}})");
  Json(400, "POST", Ext("callback-profiles"), R"({"url":"ftp://x","method":"PATCH"})");  // E460
  Json(200, "GET", Ext("callback-profiles"));
  Json(200, "GET", Ext("callback-profiles/" + profile));
  Json(200, "PUT", Ext("callback-profiles/" + profile),
       R"({"url":"https://crm.example.com/v2","method":"put"})");
  Json(204, "DELETE", Ext("callback-profiles/" + profile));
  Json(404, "GET", Ext("callback-profiles/" + profile));  // E448

  const HttpResponse number =
      Json(201, "POST", Ext("inbound-numbers"),
           R"({"number":"+14155550123","keyword":"join","expires":"2099-01-01 00:00:00",
          "callback":{"url":"https://crm.example.com/in","header":{"X-K":"v"}}})");
  const std::string number_id = Str(ParseJson(number.body).doc, "id");
  Json(201, "POST", Ext("inbound-numbers"), R"({"number":"12345"})");
  Json(409, "POST", Ext("inbound-numbers"), R"({"number":"12345"})");              // E459
  Json(400, "POST", Ext("inbound-numbers"), R"({"number":"x","keyword":"a b"})");  // E467
  Json(200, "GET", Ext("inbound-numbers"));
  Json(200, "GET", Ext("inbound-numbers/" + number_id));
  Json(204, "DELETE", Ext("inbound-numbers/" + number_id));
  Json(404, "DELETE", Ext("inbound-numbers/" + number_id));  // E449

  Json(200, "GET", Ext("webhooks"));
  Json(200, "GET", Ext("webhooks?state=pending&limit=10"));
  Json(400, "GET", Ext("webhooks?state=lost"));             // E471
  Json(404, "POST", Ext("webhooks/no-such-event/replay"));  // E458
  Json(204, "PUT", Ext("webhook-secret"), R"({"secret":"a-long-random-string-of-yours"})");
  Json(400, "PUT", Ext("webhook-secret"), R"({"secret":"short"})");  // E470
  Json(204, "DELETE", Ext("webhook-secret"));
}

TEST_F(RecordResponses, OptOutsCapsAndLimits) {
  Json(201, "POST", Ext("opt-outs"), R"({"recipient":"+919876543210","sender":"ACMEIN"})");
  Json(201, "POST", Ext("opt-outs"), R"({"recipient":"+6591234567"})");
  Json(400, "POST", Ext("opt-outs"), R"({"recipient":"12"})");  // E426
  Json(200, "GET", Ext("opt-outs"));
  Json(200, "GET", Ext("opt-outs?recipient=%2B919876543210&limit=1"));
  Json(204, "DELETE", Ext("opt-outs?recipient=%2B919876543210&sender=ACMEIN"));
  Json(404, "DELETE", Ext("opt-outs?recipient=%2B919876543210&sender=ACMEIN"));  // E472

  Json(200, "PUT", Ext("country-caps/in"), R"({"daily":10000,"monthly":null})");
  Json(400, "PUT", Ext("country-caps/XX"), R"({"daily":0})");  // E456, E473
  Json(200, "GET", Ext("country-caps"));
  Json(204, "DELETE", Ext("country-caps/IN"));
  Json(404, "DELETE", Ext("country-caps/IN"));  // E474
  Json(200, "GET", Ext("rate-limits"));

  const std::string none;
  Call(200, "GET", "/openapi.json", "", "", {}, &none);
}

TEST_F(RecordResponses, SmppCredentials) {
  Json(201, "POST", Ext("smpp-credentials"),
       R"({"system_id":"acme-tx","max_rate":50,"type":"txn","allowed_sources":["203.0.113.0/24",
           "2001:db8::/32"]})");
  Call(201, "POST", Ext("smpp-credentials"), "allowed_sources=10.0.0.0%2F8",
       "application/x-www-form-urlencoded");
  Json(201, "POST", Ext("smpp-credentials"), "{}");
  Json(409, "POST", Ext("smpp-credentials"), R"({"system_id":"acme-tx"})");  // E479
  Json(400, "POST", Ext("smpp-credentials"),
       R"({"system_id":"a b","max_rate":-1,"type":"x","allowed_sources":["10.0.0.1/8"]})");
  Json(200, "GET", Ext("smpp-credentials"));
  Json(204, "DELETE", Ext("smpp-credentials/acme-tx"));
  Json(404, "DELETE", Ext("smpp-credentials/acme-tx"));  // E478
  Json(200, "GET", Ext("smpp-credentials"));
}

// A message delivered through the embedded simulator, with its webhooks delivered to a receiver:
// the message's parts, history and webhook attempts, and the outbox lists with entries in them.
class RecordDelivered : public RecordResponses {
 protected:
  std::string ConfigText() const override {
    return "[simulator]\nreceipt_delay = \"50ms\"\n"
           "[webhooks]\nrequest_timeout = \"1s\"\nallow_targets = [\"127.0.0.1/32\"]\n";
  }
  void SetUp() override {
    receiver_ = testing::HttpReceiver::Start();
    RecordResponses::SetUp();
  }
  std::unique_ptr<testing::HttpReceiver> receiver_;
};

TEST_F(RecordDelivered, MessageWithWebhooks) {
  const std::vector<std::string> ids =
      MessageIds(Json(200, "POST", MessagesPath(),
                      R"({"to":"+919876543210","sender":"ACMEIN","body":"Hi","callback":{"url":)" +
                          Quote(receiver_->Url("/hook")) + "}}"));
  ASSERT_EQ(ids.size(), 1u);
  // Sent and Delivered: two webhooks, each answered 200 and then marked delivered.
  const auto deadline = Clock::now() + 60s;
  size_t delivered = 0;
  while (delivered < 2 && Clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);
    const itest::Json detail =
        ParseJson(gw_.Request("GET", Ext("messages/" + ids[0]), "", account_.api_key).body);
    delivered = 0;
    if (detail.ok && detail.doc.IsObject() && detail.doc.HasMember("webhooks")) {
      for (const auto& w : detail.doc["webhooks"].GetArray()) {
        delivered += Str(w, "state") == "delivered" ? 1 : 0;
      }
    }
  }
  ASSERT_EQ(delivered, 2u) << "the webhooks were not delivered in time";
  Call(200, "GET", Path("v1", "messages/status") + "?message_ids=" + UrlEncode(ids[0]));
  Json(200, "GET", Ext("messages/" + ids[0]));
  Json(200, "GET", Ext("messages?status=Delivered"));
  const HttpResponse list = Json(200, "GET", Ext("webhooks?state=delivered&limit=1"));
  const itest::Json page = ParseJson(list.body);
  ASSERT_TRUE(page.ok && page.doc.IsObject() && page.doc["data"].IsArray() &&
              !page.doc["data"].Empty())
      << list.body;
  Json(202, "POST", Ext("webhooks/" + Str(page.doc["data"][0], "event_id") + "/replay"));
  Json(409, "POST", Ext("messages/" + ids[0] + "/cancel"));  // E447: too late
}

// A callback profile's test webhook: a real, signed request to the receiver, reported; one to a
// receiver that is down, reported as such; an unknown profile 404. (A target the egress rules
// refuse at connect time is webhook/sender_test.cpp's: a URL this test could save names an
// allowed address.)
TEST_F(RecordDelivered, TestWebhookOfACallbackProfile) {
  Json(204, "PUT", Ext("webhook-secret"), R"({"secret":"a-long-random-string-of-yours"})");
  const HttpResponse created = Json(
      201, "POST", Ext("callback-profiles"),
      R"({"url":)" + Quote(receiver_->Url("/profile-hook")) +
          R"(,"headers":{"X-Tenant":"acme"},"auth":{"type":"basic","username":"u","password":"p"}})");
  const std::string profile = Str(ParseJson(created.body).doc, "id");
  const HttpResponse tested = Json(200, "POST", Ext("callback-profiles/" + profile + "/test"));
  const itest::Json result = ParseJson(tested.body);
  ASSERT_TRUE(result.ok && result.doc.IsObject()) << tested.body;
  EXPECT_TRUE(result.doc["delivered"].GetBool()) << tested.body;
  EXPECT_EQ(result.doc["http_status"].GetInt(), 200);
  EXPECT_TRUE(result.doc["error"].IsNull());
  EXPECT_TRUE(result.doc["signed"].GetBool());
  const std::string event_id = Str(result.doc, "event_id");
  EXPECT_TRUE(event_id.starts_with("test-")) << event_id;
  // What the receiver got: the profile's request, marked a test, signed.
  ASSERT_EQ(receiver_->Count(), 1u);
  const testing::ReceivedRequest hook = receiver_->Requests().front();
  EXPECT_EQ(hook.path, "/profile-hook");
  EXPECT_EQ(hook.Header("x-smsgw-test"), "1");
  EXPECT_EQ(hook.Header("x-smsgw-event-id"), event_id);
  EXPECT_EQ(hook.Header("x-tenant"), "acme");
  EXPECT_EQ(hook.Header("authorization"), "Basic dTpw");
  EXPECT_TRUE(hook.Header("x-smsgw-signature").starts_with("t="))
      << hook.Header("x-smsgw-signature");
  EXPECT_NE(hook.body.find(R"("status_trace":"TEST")"), std::string::npos) << hook.body;
  // Not an outbox webhook: nothing listed, nothing retried.
  const itest::Json outbox = ParseJson(Json(200, "GET", Ext("webhooks?state=pending")).body);
  ASSERT_TRUE(outbox.ok && outbox.doc.IsObject());
  EXPECT_EQ(outbox.doc["data"].Size(), 0u);

  // A receiver that is down: no answer, and why.
  std::unique_ptr<testing::HttpReceiver> down = testing::HttpReceiver::Start();
  down->Down();
  const HttpResponse gone =
      Json(201, "POST", Ext("callback-profiles"), R"({"url":)" + Quote(down->Url("/gone")) + "}");
  const std::string gone_id = Str(ParseJson(gone.body).doc, "id");
  const itest::Json refused =
      ParseJson(Json(200, "POST", Ext("callback-profiles/" + gone_id + "/test")).body);
  ASSERT_TRUE(refused.ok && refused.doc.IsObject());
  EXPECT_FALSE(refused.doc["delivered"].GetBool());
  EXPECT_TRUE(refused.doc["http_status"].IsNull());
  EXPECT_EQ(Str(refused.doc, "error"), "connection refused");

  Json(404, "POST", Ext("callback-profiles/" + profile.substr(0, 3) + "nope/test"));  // E448
  EXPECT_EQ(receiver_->Count(), 1u);
}

}  // namespace
}  // namespace smsgw::itest
