// Component tests of the Sender: a real SqliteStore in a temp dir, the real HttpClient, and the
// recording HttpReceiver on 127.0.0.1. Webhooks enter the outbox the real way: a message with a
// callback is enqueued, claimed and accepted (Sent), which writes its event and outbox row.
// Time in the store and the retry policy is a manual clock, so a retry 10 s later takes no
// waiting; only HTTP round trips are real.

#include "webhook/sender.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/ids.h"
#include "fakes/manual_clock.h"
#include "fakes/temp_dir.h"
#include "fakes/test_message.h"
#include "store/sqlite/sqlite_store.h"
#include "support/http_receiver.h"
#include "webhook/signature.h"

namespace smsgw::webhook {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::HttpReceiver;
using testing::ReceivedRequest;
using testing::ReceiverAnswer;

constexpr std::string_view kSid = "HXIN0000000001IN";

using fakes::ManualClock;

// Polls `done` every 5 ms for up to `timeout`.
bool WaitUntil(const std::function<bool()>& done, milliseconds timeout = milliseconds(3000)) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) {
      return false;
    }
    std::this_thread::sleep_for(milliseconds(5));
  }
  return true;
}

class SenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::sqlite::SqliteStore::Open(dir_.File("smsgw.db"));
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    store::Account account;
    account.sid = std::string(kSid);
    account.name = "acme";
    account.created_at = clock_.Now();
    ASSERT_TRUE(store_->CreateAccount(account));
    receiver_ = HttpReceiver::Start();
  }

  void TearDown() override {
    if (sender_ != nullptr) {
      sender_->Stop();
    }
  }

  Sender::Options TestOptions() {
    Sender::Options o;
    o.owner = "test-node";
    o.idle_poll = milliseconds(20);
    o.stop_timeout = milliseconds(500);
    o.http.connect_timeout = milliseconds(1000);
    o.http.request_timeout = milliseconds(2000);
    o.http.egress = testing::LoopbackReceiversAllowed();
    return o;
  }

  void StartSender(Sender::Options options) {
    auto sender = Sender::Start(*store_, *store_, clock_, std::move(options));
    ASSERT_TRUE(sender) << sender.error().message;
    sender_ = std::move(*sender);
  }
  void StartSender() { StartSender(TestOptions()); }

  // A message with this inline callback (or profile), taken to Sent: one status webhook.
  std::string SendMessage(std::string callback, std::string profile_id = "") {
    core::Message m = fakes::MakeMessage(core::NewUuid() + ":1", std::string(kSid));
    m.callback = std::move(callback);
    m.callback_profile_id = std::move(profile_id);
    m.ref = "r1";
    m.ref_custom = R"(["a","b"])";
    m.created_at = clock_.Now();
    EXPECT_TRUE(store_->Enqueue(std::span<const core::Message>(&m, 1)));
    auto claims = store_->ClaimDue("delivery", clock_.Now(), seconds(60), 100);
    EXPECT_TRUE(claims) << claims.error().message;
    std::vector<store::PartAccepted> parts;
    for (const store::Claim& c : claims ? *claims : std::vector<store::Claim>{}) {
      store::PartAccepted p;
      p.message_id = c.message.id;
      p.connector = "c1";
      p.smsc_id = "smsc-" + c.message.id;
      p.smsc_id_raw = p.smsc_id;
      p.at = clock_.Now();
      parts.push_back(p);
    }
    auto recorded = store_->RecordAccepted(parts);
    EXPECT_TRUE(recorded) << recorded.error().message;
    return m.id;
  }

  std::string Callback(std::string_view path, std::string_view extra = "") {
    return "{\"url\":\"" + receiver_->Url(path) + "\"" + std::string(extra) + "}";
  }

  std::string CreateProfile(store::CallbackProfile p) {
    p.id = "IN_" + core::NewUuid();
    p.sid = std::string(kSid);
    if (p.method.empty()) {
      p.method = "POST";
    }
    p.created_at = p.updated_at = clock_.Now();
    auto created = store_->CreateCallbackProfile(p);
    EXPECT_TRUE(created) << created.error().message;
    return p.id;
  }

  store::WebhookSummary Webhook(const std::string& message_id) {
    auto all = store_->WebhooksOf(kSid, message_id);
    EXPECT_TRUE(all) << all.error().message;
    if (!all || all->size() != 1) {
      ADD_FAILURE() << "expected one webhook for " << message_id;
      return {};
    }
    return all->front();
  }

  bool WaitForState(const std::string& id, store::WebhookState state, int attempts) {
    return WaitUntil([&] {
      const store::WebhookSummary w = Webhook(id);
      return w.state == state && w.attempts == attempts;
    });
  }

  // Advances the clock past the next retry and makes the sender look at once.
  void NextRetry(seconds by = seconds(10)) {
    clock_.Advance(by);
    sender_->Wake();
  }

  fakes::TempDir dir_;
  ManualClock clock_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  std::unique_ptr<HttpReceiver> receiver_;
  std::unique_ptr<Sender> sender_;
};

TEST_F(SenderTest, PostsTheStatusFieldsAsJson) {
  const std::string id = SendMessage(Callback("/hook", R"(,"header":{"X-Static":"yes"})"));
  StartSender();
  ASSERT_TRUE(receiver_->WaitForCount(1, milliseconds(3000)));
  const ReceivedRequest r = receiver_->Requests().front();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/hook");
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_EQ(r.Header("x-static"), "yes");
  EXPECT_EQ(r.Header("x-smsgw-signature"), "");  // the account has no secret
  rapidjson::Document body;
  body.Parse(r.body.c_str());
  ASSERT_FALSE(body.HasParseError()) << r.body;
  EXPECT_STREQ(body["message_id"].GetString(), id.c_str());
  EXPECT_EQ(std::string(body["id"].GetString()), id.substr(0, id.find(':')));
  EXPECT_STREQ(body["status"].GetString(), "Sent");
  EXPECT_STREQ(body["status_trace"].GetString(), "SUBMITTED");
  EXPECT_STREQ(body["recipient"].GetString(), "919876543210");
  EXPECT_STREQ(body["sender"].GetString(), "ACMEIN");
  EXPECT_STREQ(body["ref"].GetString(), "r1");
  ASSERT_TRUE(body["ref_custom"].IsArray());
  EXPECT_EQ(body["segments"].GetInt(), 1);
  EXPECT_EQ(r.Header("x-smsgw-event-id"), body["event_id"].GetString());
  EXPECT_FALSE(r.Header("x-smsgw-event-id").empty());

  ASSERT_TRUE(WaitForState(id, store::WebhookState::kDelivered, 1));
  const store::WebhookSummary w = Webhook(id);
  EXPECT_EQ(w.event_id, r.Header("x-smsgw-event-id"));
  ASSERT_EQ(w.attempt_log.size(), 1u);
  EXPECT_EQ(w.attempt_log[0].http_status, 200);
  EXPECT_TRUE(WaitUntil([&] { return sender_->counters().delivered == 1; }));
  EXPECT_EQ(sender_->counters().sent, 1u);
}

// Written while the sender runs: handed over by the store once committed, sent without waiting
// for a claim (the claim thread would look only after a minute here), signed, with the payload a
// claim would have carried.
TEST_F(SenderTest, AWebhookWrittenWhileRunningIsHandedOverAndSentAtOnce) {
  ASSERT_TRUE(store_->SetWebhookSecret(kSid, "whsec_test"));
  Sender::Options o = TestOptions();
  o.idle_poll = milliseconds(60000);
  StartSender(o);
  const std::string id = SendMessage(Callback("/hook"));
  ASSERT_TRUE(receiver_->WaitForCount(1, milliseconds(3000)));
  const ReceivedRequest r = receiver_->Requests().front();
  EXPECT_FALSE(r.Header("x-smsgw-signature").empty());
  rapidjson::Document body;
  body.Parse(r.body.c_str());
  ASSERT_FALSE(body.HasParseError()) << r.body;
  EXPECT_STREQ(body["message_id"].GetString(), id.c_str());
  EXPECT_STREQ(body["status"].GetString(), "Sent");
  EXPECT_STREQ(body["recipient"].GetString(), "919876543210");
  EXPECT_STREQ(body["ref"].GetString(), "r1");
  ASSERT_TRUE(WaitForState(id, store::WebhookState::kDelivered, 1));
  EXPECT_EQ(sender_->counters().deferred, 0u);

  // Stopped: the store writes pending rows again, for whoever claims next.
  sender_->Stop();
  const std::string later = SendMessage(Callback("/hook"));
  auto claimed = store_->ClaimWebhooks("next-node", clock_.Now(), seconds(60), 10);
  ASSERT_TRUE(claimed) << claimed.error().message;
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ(claimed->front().message.id, later);
}

TEST_F(SenderTest, GetSendsQueryParameters) {
  const std::string id = SendMessage(Callback("/get?k=v", R"(,"method":"GET")"));
  StartSender();
  ASSERT_TRUE(receiver_->WaitForCount(1, milliseconds(3000)));
  const ReceivedRequest r = receiver_->Requests().front();
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.path, "/get");
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.QueryParam("k"), "v");
  EXPECT_EQ(r.QueryParam("message_id"), id);
  EXPECT_EQ(r.QueryParam("status"), "Sent");
  EXPECT_EQ(r.QueryParam("ref_custom"), R"(["a","b"])");
  EXPECT_EQ(r.QueryParam("event_id"), r.Header("x-smsgw-event-id"));
  ASSERT_TRUE(WaitForState(id, store::WebhookState::kDelivered, 1));
}

TEST_F(SenderTest, ServerErrorThenSuccessIsDeliveredOnTheRetry) {
  std::atomic<int> calls{0};
  receiver_->SetResponder([&](const ReceivedRequest&) {
    ReceiverAnswer a;
    a.status = calls++ == 0 ? 500 : 200;
    return a;
  });
  const std::string id = SendMessage(Callback("/hook"));  // default: 3 retries 10 s apart
  StartSender();
  ASSERT_TRUE(WaitForState(id, store::WebhookState::kPending, 1));
  store::WebhookSummary w = Webhook(id);
  ASSERT_EQ(w.attempt_log.size(), 1u);
  EXPECT_EQ(w.attempt_log[0].http_status, 500);
  EXPECT_EQ(w.attempt_log[0].error, "HTTP 500");
  ASSERT_TRUE(w.next_attempt_at);
  EXPECT_GE(*w.next_attempt_at, clock_.Now() + seconds(9));
  // Not before its time.
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(receiver_->Count(), 1u);

  NextRetry();
  ASSERT_TRUE(WaitForState(id, store::WebhookState::kDelivered, 2));
  const std::vector<ReceivedRequest> requests = receiver_->Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].Header("x-smsgw-event-id"), requests[1].Header("x-smsgw-event-id"));
  EXPECT_EQ(requests[0].body, requests[1].body);  // event_id included: stable across retries
}

TEST_F(SenderTest, TimeoutIsAFailedAttempt) {
  receiver_->SetResponder([](const ReceivedRequest&) {
    ReceiverAnswer a;
    a.delay = milliseconds(800);
    return a;
  });
  const std::string id = SendMessage(Callback("/slow", R"(,"retry":{"count":"0"})"));
  Sender::Options o = TestOptions();
  o.http.request_timeout = milliseconds(200);
  StartSender(o);
  ASSERT_TRUE(WaitForState(id, store::WebhookState::kExhausted, 1));
  const store::WebhookSummary w = Webhook(id);
  ASSERT_EQ(w.attempt_log.size(), 1u);
  EXPECT_EQ(w.attempt_log[0].http_status, 0);
  EXPECT_FALSE(w.attempt_log[0].error.empty());
  EXPECT_LT(w.attempt_log[0].latency, milliseconds(700));
  EXPECT_TRUE(WaitUntil([&] { return sender_->counters().exhausted == 1; }));
}

TEST_F(SenderTest, ReceiverDownThenUpGetsItOnceAfterRecovery) {
  receiver_->Down();
  const std::string id = SendMessage(Callback("/hook"));
  StartSender();
  ASSERT_TRUE(WaitForState(id, store::WebhookState::kPending, 1));
  EXPECT_EQ(Webhook(id).attempt_log[0].http_status, 0);
  receiver_->Up();
  NextRetry();
  ASSERT_TRUE(WaitForState(id, store::WebhookState::kDelivered, 2));
  NextRetry(seconds(60));
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(receiver_->Count(), 1u);
}

TEST_F(SenderTest, ExhaustedAfterThePolicy) {
  receiver_->SetResponder([](const ReceivedRequest&) {
    ReceiverAnswer a;
    a.status = 503;
    return a;
  });
  const std::string id =
      SendMessage(Callback("/hook", R"(,"retry":{"count":"2","interval":["10","20"]})"));
  StartSender();
  ASSERT_TRUE(WaitForState(id, store::WebhookState::kPending, 1));
  NextRetry(seconds(10));
  ASSERT_TRUE(WaitForState(id, store::WebhookState::kPending, 2));
  NextRetry(seconds(10));  // the second retry is 20 s after the second failure
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(receiver_->Count(), 2u);
  NextRetry(seconds(10));
  ASSERT_TRUE(WaitForState(id, store::WebhookState::kExhausted, 3));
  NextRetry(seconds(3600));
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(receiver_->Count(), 3u);
  const Sender::Counters c = sender_->counters();
  EXPECT_EQ(c.failed, 3u);
  EXPECT_EQ(c.exhausted, 1u);
  EXPECT_EQ(c.delivered, 0u);
}

TEST_F(SenderTest, SignatureVerifies) {
  ASSERT_TRUE(store_->SetWebhookSecret(kSid, "whsec-1"));
  const std::string post = SendMessage(Callback("/post"));
  const std::string get = SendMessage(Callback("/get", R"(,"method":"GET")"));
  StartSender();
  ASSERT_TRUE(receiver_->WaitForCount(2, milliseconds(3000)));
  for (const ReceivedRequest& r : receiver_->Requests()) {
    const std::string header = r.Header("x-smsgw-signature");
    ASSERT_TRUE(header.starts_with("t=")) << header;
    const std::string& signed_part = r.method == "GET" ? r.query : r.body;
    EXPECT_TRUE(VerifySignature(header, "whsec-1", signed_part, clock_.Now())) << r.target;
    EXPECT_FALSE(VerifySignature(header, "whsec-2", signed_part, clock_.Now()));
  }
  ASSERT_TRUE(WaitForState(post, store::WebhookState::kDelivered, 1));
  ASSERT_TRUE(WaitForState(get, store::WebhookState::kDelivered, 1));
}

TEST_F(SenderTest, ProfileWithBasicAuth) {
  store::CallbackProfile p;
  p.url = receiver_->Url("/basic");
  p.method = "PUT";
  p.headers = {{"X-Profile", "p1"}};
  p.auth.kind = store::CallbackAuth::Kind::kBasic;
  p.auth.user = "user";
  p.auth.password = "pass";
  const std::string id = SendMessage("", CreateProfile(p));
  StartSender();
  ASSERT_TRUE(receiver_->WaitForCount(1, milliseconds(3000)));
  const ReceivedRequest r = receiver_->Requests().front();
  EXPECT_EQ(r.method, "PUT");
  EXPECT_EQ(r.Header("authorization"), "Basic dXNlcjpwYXNz");
  EXPECT_EQ(r.Header("x-profile"), "p1");
  ASSERT_TRUE(WaitForState(id, store::WebhookState::kDelivered, 1));
}

TEST_F(SenderTest, ProfileWithBodyTemplate) {
  store::CallbackProfile p;
  p.url = receiver_->Url("/tpl");
  p.body_template = R"({"msg":"<message_id>","st":"<status>","n":<segments>})";
  const std::string id = SendMessage("", CreateProfile(p));
  StartSender();
  ASSERT_TRUE(receiver_->WaitForCount(1, milliseconds(3000)));
  const ReceivedRequest r = receiver_->Requests().front();
  EXPECT_EQ(r.body, R"({"msg":")" + id + R"(","st":"Sent","n":1})");
  EXPECT_EQ(r.Header("content-type"), "application/json");
  ASSERT_TRUE(WaitForState(id, store::WebhookState::kDelivered, 1));
}

TEST_F(SenderTest, ProfileWithBearerTokenFromTheTokenEndpoint) {
  std::atomic<int> tokens{0};
  std::atomic<int> hooks{0};
  receiver_->SetResponder([&](const ReceivedRequest& r) {
    ReceiverAnswer a;
    if (r.path == "/token") {
      a.body = R"({"access_token":"tok-)" + std::to_string(++tokens) +
               R"(","token_type":"Bearer","expires_in":3600})";
      return a;
    }
    // The first token is refused once: the sender must drop it and fetch another.
    a.status = hooks++ == 0 ? 401 : 200;
    return a;
  });
  store::CallbackProfile p;
  p.url = receiver_->Url("/hook");
  p.auth.kind = store::CallbackAuth::Kind::kBearerToken;
  p.auth.token_url = receiver_->Url("/token");
  p.auth.client_id = "cid";
  p.auth.client_secret = "csecret";
  p.retry.kind = store::RetryPolicy::Kind::kFixed;
  p.retry.intervals = {seconds(10)};
  const std::string id = SendMessage("", CreateProfile(p));
  StartSender();
  ASSERT_TRUE(WaitForState(id, store::WebhookState::kPending, 1));
  NextRetry();
  ASSERT_TRUE(WaitForState(id, store::WebhookState::kDelivered, 2));
  std::vector<std::string> auth;
  for (const ReceivedRequest& r : receiver_->Requests()) {
    if (r.path == "/hook") {
      auth.push_back(r.Header("authorization"));
    }
  }
  EXPECT_EQ(auth, (std::vector<std::string>{"Bearer tok-1", "Bearer tok-2"}));
}

TEST_F(SenderTest, DeletedProfileEndsExhaustedWithoutARequest) {
  store::CallbackProfile p;
  p.url = receiver_->Url("/gone");
  const std::string profile = CreateProfile(p);
  const std::string id = SendMessage("", profile);
  ASSERT_TRUE(store_->DeleteCallbackProfile(kSid, profile));
  StartSender();
  ASSERT_TRUE(WaitForState(id, store::WebhookState::kExhausted, 1));
  EXPECT_EQ(Webhook(id).last_error, "callback profile deleted");
  EXPECT_EQ(receiver_->Count(), 0u);
}

// Rows stored before the API checked headers (or written behind its back) are never sent: a CR/LF
// would smuggle a second request to the receiver, a Host or X-Smsgw-* header forge ours.
TEST_F(SenderTest, AStoredHeaderThatBreaksTheRulesIsNeverSent) {
  const std::string smuggle = Callback(
      "/hook", R"(,"header":{"X-A":"1\r\nContent-Length: 0\r\n\r\nGET /smuggled HTTP/1.1"})");
  const std::string smuggled = SendMessage(smuggle);
  const std::string forged =
      SendMessage(Callback("/hook", R"(,"header":{"X-Smsgw-Event-Id":"x"})"));
  store::CallbackProfile p;
  p.url = receiver_->Url("/profile");
  p.headers = {{"Host", "internal.example"}};
  const std::string by_profile = SendMessage("", CreateProfile(p));
  StartSender();
  for (const std::string& id : {smuggled, forged, by_profile}) {
    ASSERT_TRUE(WaitForState(id, store::WebhookState::kExhausted, 1)) << id;
    EXPECT_TRUE(Webhook(id).last_error.starts_with("callback header refused: "))
        << Webhook(id).last_error;
  }
  EXPECT_EQ(receiver_->Count(), 0u);
}

// With the default egress policy a callback to loopback (here by name, resolved at connect) is an
// attempt that failed with "target not allowed": nothing about the port, nothing sent.
TEST_F(SenderTest, ARefusedTargetIsAFailedAttemptThatSaysNoMore) {
  const std::string id =
      SendMessage("{\"url\":\"http://localhost:" + std::to_string(receiver_->port()) +
                  "/hook\",\"retry\":{\"count\":0}}");
  Sender::Options o = TestOptions();
  o.http.egress = core::EgressPolicy{};
  StartSender(std::move(o));
  ASSERT_TRUE(WaitForState(id, store::WebhookState::kExhausted, 1));
  const store::WebhookSummary w = Webhook(id);
  EXPECT_EQ(w.last_error, "target not allowed");
  ASSERT_EQ(w.attempt_log.size(), 1u);
  EXPECT_EQ(w.attempt_log[0].http_status, 0);
  EXPECT_EQ(w.attempt_log[0].latency.count(), 0);
  EXPECT_EQ(receiver_->Count(), 0u);
}

// SendTest's result, waited for (it completes on the client's thread).
struct TestWait {
  std::mutex mu;
  std::optional<Sender::TestResult> result;
  std::function<void(Sender::TestResult)> Done() {
    return [this](Sender::TestResult r) {
      std::lock_guard lock(mu);
      result = std::move(r);
    };
  }
  std::optional<Sender::TestResult> Get() {
    if (!WaitUntil([&] {
          std::lock_guard lock(mu);
          return result.has_value();
        })) {
      return std::nullopt;
    }
    std::lock_guard lock(mu);
    return result;
  }
};

TEST_F(SenderTest, ATestWebhookIsSignedAuthenticatedAndReportedNotStored) {
  ASSERT_TRUE(store_->SetWebhookSecret(kSid, "whsec-1"));
  receiver_->SetResponder([](const ReceivedRequest&) {
    ReceiverAnswer a;
    a.status = 202;
    return a;
  });
  StartSender();
  store::CallbackProfile p;
  p.url = receiver_->Url("/test");
  p.method = "POST";
  p.headers = {{"X-Profile", "p1"}};
  p.auth.kind = store::CallbackAuth::Kind::kBasic;
  p.auth.user = "user";
  p.auth.password = "pass";
  TestWait wait;
  ASSERT_TRUE(sender_->SendTest(kSid, TargetFromProfile(p), "whsec-1", wait.Done()));
  const auto result = wait.Get();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->http_status, 202);
  EXPECT_EQ(result->error, "");
  EXPECT_TRUE(result->is_signed);
  EXPECT_TRUE(result->event_id.starts_with("test-")) << result->event_id;
  ASSERT_EQ(receiver_->Count(), 1u);
  const ReceivedRequest r = receiver_->Requests().front();
  EXPECT_EQ(r.Header("x-smsgw-test"), "1");
  EXPECT_EQ(r.Header("x-smsgw-event-id"), result->event_id);
  EXPECT_EQ(r.Header("authorization"), "Basic dXNlcjpwYXNz");
  EXPECT_EQ(r.Header("x-profile"), "p1");
  EXPECT_TRUE(VerifySignature(r.Header("x-smsgw-signature"), "whsec-1", r.body, clock_.Now()));
  rapidjson::Document body;
  body.Parse(r.body.c_str());
  ASSERT_TRUE(body.IsObject()) << r.body;
  EXPECT_EQ(std::string(body["event_id"].GetString()), result->event_id);
  EXPECT_EQ(std::string(body["status_trace"].GetString()), "TEST");
  // Nothing was written to the outbox, and the sender counted no webhook.
  auto counts = store_->CountWebhooks();
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->pending + counts->delivered + counts->exhausted, 0u);
  EXPECT_EQ(sender_->counters().sent, 0u);
}

TEST_F(SenderTest, ATestWebhookReportsTheFailureAndOneAtATimePerAccount) {
  // A target the egress policy refuses: reported, not sent.
  Sender::Options o = TestOptions();
  o.http.egress = core::EgressPolicy{};
  StartSender(std::move(o));
  Target target;
  target.url = "http://localhost:" + std::to_string(receiver_->port()) + "/hook";
  TestWait refused;
  ASSERT_TRUE(sender_->SendTest(kSid, target, "", refused.Done()));
  auto result = refused.Get();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->http_status, 0);
  EXPECT_EQ(result->error, "target not allowed");
  EXPECT_FALSE(result->is_signed);
  EXPECT_EQ(receiver_->Count(), 0u);
  // A header the rules refuse is never sent.
  target.headers = {{"Host", "evil"}};
  TestWait header;
  ASSERT_TRUE(sender_->SendTest(kSid, target, "", header.Done()));
  result = header.Get();
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->error.starts_with("callback header refused")) << result->error;
}

TEST_F(SenderTest, ATestWebhookFetchesABearerTokenAndReportsATokenFailure) {
  std::atomic<bool> token_ok{true};
  receiver_->SetResponder([&](const ReceivedRequest& r) {
    ReceiverAnswer a;
    if (r.path == "/token") {
      if (!token_ok) {
        a.status = 400;
        return a;
      }
      a.body = R"({"access_token":"tok-1","token_type":"Bearer","expires_in":3600})";
    }
    return a;
  });
  StartSender();
  store::CallbackProfile p;
  p.url = receiver_->Url("/hook");
  p.method = "POST";
  p.auth.kind = store::CallbackAuth::Kind::kBearerToken;
  p.auth.token_url = receiver_->Url("/token");
  p.auth.client_id = "cid";
  p.auth.client_secret = "csecret";
  TestWait wait;
  ASSERT_TRUE(sender_->SendTest(kSid, TargetFromProfile(p), "", wait.Done()));
  auto result = wait.Get();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->http_status, 200) << result->error;
  const std::vector<ReceivedRequest> got = receiver_->Requests();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].path, "/hook");
  EXPECT_EQ(got[1].Header("authorization"), "Bearer tok-1");
  // Another client whose token endpoint refuses: no webhook request, and the reason.
  token_ok = false;
  p.auth.client_id = "other";
  TestWait refused;
  ASSERT_TRUE(sender_->SendTest(kSid, TargetFromProfile(p), "", refused.Done()));
  result = refused.Get();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->http_status, 0);
  EXPECT_TRUE(result->error.starts_with("token: ")) << result->error;
  EXPECT_EQ(receiver_->Count(), 3u);  // the token request only
}

TEST_F(SenderTest, AnAccountTestsOneTargetAtATime) {
  std::atomic<bool> release{false};
  receiver_->SetResponder([&](const ReceivedRequest&) {
    WaitUntil([&] { return release.load(); });
    return ReceiverAnswer{};
  });
  StartSender();
  Target target;
  target.url = receiver_->Url("/slow");
  TestWait first;
  ASSERT_TRUE(sender_->SendTest(kSid, target, "", first.Done()));
  ASSERT_TRUE(receiver_->WaitForCount(1, milliseconds(3000)));
  TestWait second;
  EXPECT_FALSE(sender_->SendTest(kSid, target, "", second.Done()));
  TestWait other;  // another account is not held up
  EXPECT_TRUE(sender_->SendTest("HXIN0000000002IN", target, "", other.Done()));
  release = true;
  auto result = first.Get();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->http_status, 200);
  ASSERT_TRUE(other.Get());
  TestWait third;  // done: the account may test again
  EXPECT_TRUE(sender_->SendTest(kSid, target, "", third.Done()));
  ASSERT_TRUE(third.Get());
  sender_->Stop();
  TestWait stopped;
  EXPECT_TRUE(sender_->SendTest(kSid, target, "", stopped.Done()));
  result = stopped.Get();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->error, "stopped");
}

TEST_F(SenderTest, ManyWebhooksAreEachDeliveredOnce) {
  std::vector<std::string> ids;
  for (int i = 0; i < 60; ++i) {
    ids.push_back(SendMessage(Callback("/many")));
  }
  Sender::Options o = TestOptions();
  o.claim_batch = 16;  // several claims, several record batches
  StartSender(o);
  ASSERT_TRUE(receiver_->WaitForCount(60, milliseconds(4000)));
  ASSERT_TRUE(WaitUntil([&] { return sender_->counters().delivered == 60; }));
  std::set<std::string> events;
  for (const ReceivedRequest& r : receiver_->Requests()) {
    events.insert(r.Header("x-smsgw-event-id"));
  }
  EXPECT_EQ(events.size(), 60u);
  auto counts = store_->CountWebhooks();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->delivered, 60u);
  EXPECT_EQ(counts->pending, 0u);
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(receiver_->Count(), 60u);
}

TEST_F(SenderTest, ForwardsAnInboundMessage) {
  store::InboundNumber entry;
  entry.id = core::NewUuid();
  entry.sid = std::string(kSid);
  entry.number = "919900000000";
  entry.callback = Callback("/mo");
  entry.created_at = clock_.Now();
  ASSERT_TRUE(store_->CreateInboundNumber(entry));
  store::InboundPart part;
  part.connector = "c1";
  part.source = "919811111111";
  part.destination = "919900000000";
  const std::string text = "HELLO  world";
  part.payload.assign(text.begin(), text.end());
  part.received_at = clock_.Now();
  auto stored = store_->AddInboundPart(
      part, clock_.Now() - seconds(300), [](std::span<const store::InboundPart> present, int) {
        return std::string(present[0].payload.begin(), present[0].payload.end());
      });
  ASSERT_TRUE(stored) << stored.error().message;
  ASSERT_EQ(stored->outcome, store::InboundPartOutcome::kStored);
  StartSender();
  ASSERT_TRUE(receiver_->WaitForCount(1, milliseconds(3000)));
  const ReceivedRequest r = receiver_->Requests().front();
  rapidjson::Document body;
  body.Parse(r.body.c_str());
  ASSERT_FALSE(body.HasParseError()) << r.body;
  EXPECT_STREQ(body["source"].GetString(), "919811111111");
  EXPECT_STREQ(body["recipient"].GetString(), "+919900000000");
  EXPECT_STREQ(body["message"].GetString(), "HELLO  world");
  EXPECT_STREQ(body["id"].GetString(), stored->message_id.c_str());
  EXPECT_STREQ(body["kid"].GetString(), entry.id.c_str());
  EXPECT_STREQ(body["status"].GetString(), "SENT");
  ASSERT_TRUE(body["parts"].IsArray());
  EXPECT_EQ(body["parts"].Size(), 2u);
  EXPECT_STREQ(body["event_id"].GetString(), stored->message_id.c_str());
  ASSERT_TRUE(WaitForState(stored->message_id, store::WebhookState::kDelivered, 1));
}

TEST_F(SenderTest, ADeadHostDoesNotDelayAnother) {
  // The dead host accepts connections and never answers (within the test).
  auto dead = HttpReceiver::Start();
  dead->SetResponder([](const ReceivedRequest&) {
    ReceiverAnswer a;
    a.delay = milliseconds(4000);
    return a;
  });
  std::vector<std::string> stuck;
  for (int i = 0; i < 12; ++i) {
    stuck.push_back(SendMessage("{\"url\":\"" + dead->Url("/dead") + "\"}"));
  }
  const std::string good = SendMessage(Callback("/alive"));
  Sender::Options o = TestOptions();
  o.max_held = 6;
  o.per_host_held = 3;
  o.claim_batch = 4;
  o.http.request_timeout = milliseconds(4000);
  o.stop_timeout = milliseconds(50);
  StartSender(o);
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(receiver_->WaitForCount(1, milliseconds(2000)));
  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(1500));
  ASSERT_TRUE(WaitForState(good, store::WebhookState::kDelivered, 1));
  EXPECT_GE(sender_->counters().deferred, 1u);
  EXPECT_LE(dead->Count(), 3u);

  // Stopping gives the requests still in flight back, with no attempt counted.
  sender_->Stop();
  for (const std::string& id : stuck) {
    const store::WebhookSummary w = Webhook(id);
    EXPECT_EQ(w.state, store::WebhookState::kPending);
    EXPECT_EQ(w.attempts, 0);
  }
}

}  // namespace
}  // namespace smsgw::webhook
