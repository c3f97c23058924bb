// Limits that protect every tenant (issue 13), on the real binary: per-account rate limits (429
// with Retry-After), idempotent sends, per-country caps, opt-out and the receipt timeout.

#include <memory>
#include <thread>
#include <vector>

#include "external_smsc.h"
#include "fixture.h"
#include "support/http_receiver.h"

namespace smsgw::itest {
namespace {

constexpr const char* kBody = R"({"to":"+919876543210","sender":"ACMEIN","body":"Hi"})";

class RateLimitTest : public ServerTest {
 protected:
  std::string ConfigText() const override {
    return std::string(kOfflineSmscConfig) + "[limits]\nsends_per_second = 2\n";
  }
};

TEST_F(RateLimitTest, OverTheAccountsRateIs429WithRetryAfter) {
  // Two a second with a second's burst: the third of a quick run is refused (a run of ten, in
  // case the machine is slow enough for a token to come back meanwhile).
  HttpResponse over;
  int accepted = 0;
  for (int i = 0; i < 10 && over.status != 429; ++i) {
    over = Send(kBody);
    accepted += over.status == 200;
  }
  ASSERT_TRUE(IsError(over, 429, "E429")) << over.body;
  EXPECT_GE(accepted, 2);
  const int retry_after = std::atoi(over.Header("retry-after").c_str());
  EXPECT_GE(retry_after, 1) << "Retry-After: " << over.Header("retry-after");
  EXPECT_LE(retry_after, 2);
  // Another account has its own bucket.
  const Account other = gw_.CreateAccount("other");
  EXPECT_EQ(gw_.Post("/v1/" + other.sid + "/messages", kBody, other.api_key).status, 200);

  // The account sees its limits; it cannot change them.
  HttpResponse shown =
      gw_.Request("GET", "/ext/v1/" + account_.sid + "/rate-limits", "", account_.api_key);
  EXPECT_EQ(shown.body, R"({"sends_per_second":2,"recipients_per_second":null,"error":{}})");
  EXPECT_TRUE(IsError(gw_.Request("PUT", "/ext/v1/" + account_.sid + "/rate-limits",
                                  R"({"sends_per_second":0})", account_.api_key),
                      405, "E441"));
  // The operator lifts the limit for this account: it applies to the next request.
  CommandResult set = gw_.Cli({"account", "set", "--sid", account_.sid, "--sends-per-second", "0"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(Send(kBody).status, 200) << i;
  }
  // A recipients limit counts each accepted recipient; a request over the burst goes through
  // once and is paid for by the following ones.
  set = gw_.Cli({"account", "set", "--sid", account_.sid, "--recipients-per-second", "2"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  const std::string five =
      R"({"to":["+919876543210","+919876543211","+919876543212","+919876543213",)"
      R"("+919876543214"],"sender":"ACMEIN","body":"Hi"})";
  EXPECT_EQ(Send(five).status, 200);
  HttpResponse owed = Send(kBody);
  ASSERT_TRUE(IsError(owed, 429, "E429")) << owed.body;
  EXPECT_NE(owed.body.find("2 recipients a second"), std::string::npos) << owed.body;
  // A bad value is refused with a one-line reason.
  CommandResult bad = gw_.Cli({"account", "set", "--sid", account_.sid, "--sends-per-second", "x"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("0 (unlimited) to 1000000"), std::string::npos) << bad.err;
}

using IdempotencyTest = ServerTest;

// How many messages the account's log holds (the first page is enough here).
size_t LoggedMessages(const Smsgw& gw, const Account& account) {
  HttpResponse r =
      gw.Request("GET", "/ext/v1/" + account.sid + "/messages?limit=100", "", account.api_key);
  Json json = ParseJson(r.body);
  return json.ok && json.doc.HasMember("data") ? json.doc["data"].Size() : 0;
}

HttpResponse SendWithKey(const Smsgw& gw, const Account& account, const std::string& key,
                         const std::string& body) {
  return gw.Request("POST", "/v1/" + account.sid + "/messages", body, account.api_key,
                    {{"Content-Type", "application/json"}, {"Idempotency-Key", key}});
}

TEST_F(IdempotencyTest, TheSameKeyAndBodyAnswerAsTheFirstTimeAndCreateNothing) {
  HttpResponse first = SendWithKey(gw_, account_, "order-1001", kBody);
  ASSERT_EQ(first.status, 200) << first.body;
  HttpResponse again = SendWithKey(gw_, account_, "order-1001", kBody);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, first.body) << "the same request id and message ids";
  EXPECT_EQ(again.Header("idempotent-replayed"), "true");
  EXPECT_EQ(LoggedMessages(gw_, account_), 1u);
  // Another body with the key is a client bug: 422, and nothing is created.
  HttpResponse other = SendWithKey(gw_, account_, "order-1001",
                                   R"({"to":"+919876543210","sender":"ACMEIN","body":"Bye"})");
  EXPECT_TRUE(IsError(other, 422, "E435", "Idempotency-Key")) << other.body;
  // Keys are per account.
  const Account beta = gw_.CreateAccount("beta");
  EXPECT_EQ(SendWithKey(gw_, beta, "order-1001", kBody).status, 200);
  EXPECT_EQ(LoggedMessages(gw_, account_), 1u);
  for (const std::string& bad : {std::string(256, 'k'), std::string("two words")}) {
    EXPECT_TRUE(IsError(SendWithKey(gw_, account_, bad, kBody), 400, "E434", "Idempotency-Key"));
  }
}

// Retries that race each other (a client with a short timeout) all get the one answer.
TEST_F(IdempotencyTest, ConcurrentRetriesCreateOneRequest) {
  std::vector<std::string> bodies(8);
  std::vector<int> statuses(8);
  std::vector<std::thread> clients;
  for (size_t i = 0; i < bodies.size(); ++i) {
    clients.emplace_back([&, i] {
      HttpResponse r = SendWithKey(gw_, account_, "burst-7", kBody);
      statuses[i] = r.status;
      bodies[i] = r.body;
    });
  }
  for (auto& c : clients) {
    c.join();
  }
  for (size_t i = 0; i < bodies.size(); ++i) {
    EXPECT_EQ(statuses[i], 200) << bodies[i];
    EXPECT_EQ(bodies[i], bodies[0]);
  }
  EXPECT_EQ(LoggedMessages(gw_, account_), 1u);
}

// The key is stored with the messages: a client that retries after the server died (kill -9
// right after answering) gets the first answer from the restarted server.
TEST_F(IdempotencyTest, ARetryAfterKillNineSendsNothingTwice) {
  HttpResponse first = SendWithKey(gw_, account_, "after-crash", kBody);
  ASSERT_EQ(first.status, 200) << first.body;
  gw_.Kill9();
  gw_.Start();
  ASSERT_NE(gw_.port(), 0);
  HttpResponse retried = SendWithKey(gw_, account_, "after-crash", kBody);
  EXPECT_EQ(retried.status, 200);
  EXPECT_EQ(retried.body, first.body);
  EXPECT_EQ(LoggedMessages(gw_, account_), 1u);
}

// A carrier that never sends the receipt (the simulator's 9980): the message is Sent, then ends
// UnDelivered / NO-RECEIPT after [delivery] receipt_timeout, and its callback says so.
class ReceiptTimeoutTest : public ServerTest {
 protected:
  void SetUp() override {
    receiver_ = testing::HttpReceiver::Start();
    ServerTest::SetUp();
  }
  std::string ConfigText() const override {
    return "[simulator]\nreceipt_delay = \"50ms\"\n[delivery]\nreceipt_timeout = \"2s\"\n"
           "[webhooks]\nallow_targets = [\"127.0.0.1/32\"]\n";
  }
  std::unique_ptr<testing::HttpReceiver> receiver_;
};

TEST_F(ReceiptTimeoutTest, APartWithoutAReceiptEndsUndelivered) {
  HttpResponse sent =
      Send(R"({"to":["+919876549980","+919876543210"],"sender":"ACMEIN","body":"Hi",)"
           R"("callback":{"url":)" +
           Quote(receiver_->Url("/hook")) + "}}");
  ASSERT_EQ(sent.status, 200) << sent.body;
  const std::vector<std::string> ids = MessageIds(sent);
  auto final_statuses = WaitFinal(gw_, account_, ids);
  EXPECT_EQ(final_statuses[ids[0]].status, "UnDelivered");
  EXPECT_EQ(final_statuses[ids[0]].details, "NO-RECEIPT");
  EXPECT_EQ(final_statuses[ids[1]].status, "Delivered") << "a receipted message is not touched";
  // Sent, then the final status, for each: four callbacks, one of them NO-RECEIPT.
  ASSERT_TRUE(receiver_->WaitForCount(4, 30s));
  int no_receipt = 0;
  for (const testing::ReceivedRequest& r : receiver_->Requests()) {
    no_receipt += r.body.find("\"status_trace\":\"NO-RECEIPT\"") != std::string::npos;
  }
  EXPECT_EQ(no_receipt, 1);
}

// The simulator's receipts still pending are lost with it to a kill -9; after the restart the
// message does not stay Sent forever.
class LostReceiptsTest : public ServerTest {
 protected:
  std::string ConfigText() const override {
    return "[simulator]\nreceipt_delay = \"1h\"\n[delivery]\nreceipt_timeout = \"2s\"\n";
  }
};

TEST_F(LostReceiptsTest, ReceiptsLostToKillNineEndAfterTheTimeout) {
  HttpResponse sent = SendSimple();
  ASSERT_EQ(sent.status, 200) << sent.body;
  const std::string id = MessageIds(sent).at(0);
  const auto deadline = Clock::now() + 30s;
  while (Statuses(gw_, account_, {id})[id].status != "Sent" && Clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(Statuses(gw_, account_, {id})[id].status, "Sent");
  gw_.Kill9();
  gw_.Start();
  ASSERT_NE(gw_.port(), 0);
  const StatusEntry ended = WaitFinalOne(gw_, account_, id);
  EXPECT_EQ(ended.status, "UnDelivered");
  EXPECT_EQ(ended.details, "NO-RECEIPT");
}

// Opt-out: a handset that replies STOP to the account's number gets nothing more from that sender
// (NotSent / OPTOUT, never submitted), OTPs excepted; START lets it back in; the account manages
// its list through /ext/v1/{sid}/opt-outs and the operator through `smsgw opt-out`.
class OptOutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    smsc_ = std::make_unique<ExternalSmsc>(gw_.dir());
    ASSERT_NE(smsc_->port(), 0);
    gw_.set_config(gw_.dir().WriteFile("smsgw.toml", SmscConfig(smsc_->port())));
    account_ = gw_.CreateAccount("acme");
    gw_.Start();
    ASSERT_NE(gw_.port(), 0);
    ASSERT_EQ(Ext("POST", "inbound-numbers", R"({"number":"+14155550123"})").status, 201);
  }

  HttpResponse Ext(const std::string& method, const std::string& rest,
                   const std::string& body = "") const {
    return gw_.Request(method, "/ext/v1/" + account_.sid + "/" + rest, body, account_.api_key,
                       {{"Content-Type", "application/json"}});
  }

  // Sends one message and waits for its final status ("<status>:<details>").
  std::string SendAndSettle(const std::string& sender, const std::string& type = "") const {
    HttpResponse r =
        gw_.Post("/v1/" + account_.sid + "/messages",
                 R"({"to":"+919876543210","sender":)" + Quote(sender) + R"(,"body":"Hi")" +
                     (type.empty() ? "" : R"(,"type":)" + Quote(type)) + "}",
                 account_.api_key);
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) {
      return "<not accepted>";
    }
    const StatusEntry e = WaitFinalOne(gw_, account_, MessageIds(r).at(0));
    return e.status + ":" + e.details;
  }

  void Mo(const std::string& text) const {
    HttpResponse r =
        smsc_->InjectMo(R"({"from":"919876543210","to":"14155550123","text":)" + Quote(text) + "}");
    ASSERT_EQ(r.status, 200) << r.body;
  }

  // Polls the account's opt-outs of the handset until there are `n`.
  std::string WaitForOptOuts(size_t n) const {
    const auto deadline = Clock::now() + 30s;
    std::string body;
    while (Clock::now() < deadline) {
      body = Ext("GET", "opt-outs?recipient=919876543210").body;
      Json json = ParseJson(body);
      if (json.ok && json.doc.HasMember("data") && json.doc["data"].Size() == n) {
        return body;
      }
      std::this_thread::sleep_for(50ms);
    }
    ADD_FAILURE() << "want " << n << " opt-outs, have " << body;
    return body;
  }

  Smsgw gw_;
  std::unique_ptr<ExternalSmsc> smsc_;
  Account account_;
};

TEST_F(OptOutTest, StopByMoAndStartAgain) {
  EXPECT_EQ(SendAndSettle("+14155550123"), "Delivered:DELIVRD");
  Mo("Stop");
  const std::string listed = WaitForOptOuts(1);
  EXPECT_NE(listed.find(R"("sender":"14155550123","source":"mo")"), std::string::npos) << listed;
  EXPECT_EQ(SendAndSettle("+14155550123"), "NotSent:OPTOUT");
  EXPECT_EQ(SendAndSettle("14155550123"), "NotSent:OPTOUT") << "the sender with or without '+'";
  EXPECT_EQ(SendAndSettle("ACMEIN"), "Delivered:DELIVRD") << "another sender still reaches it";
  EXPECT_EQ(SendAndSettle("+14155550123", "OTP"), "Delivered:DELIVRD") << "OTPs are exempt";
  // None of the refused ones reached the SMSC: two baseline sends, ACMEIN and the OTP.
  int submitted = 0;
  for (const auto& [destination, count] : smsc_->SubmitsByDestination()) {
    submitted += count;
  }
  EXPECT_EQ(submitted, 3);
  Mo("START");
  WaitForOptOuts(0);
  EXPECT_EQ(SendAndSettle("+14155550123"), "Delivered:DELIVRD");
}

TEST_F(OptOutTest, TheAccountAndTheOperatorManageTheList) {
  HttpResponse added = Ext("POST", "opt-outs", R"({"recipient":"+919876543210"})");
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_NE(added.body.find(R"("sender":null)"), std::string::npos) << "every sender";
  EXPECT_EQ(SendAndSettle("ACMEIN"), "NotSent:OPTOUT");
  EXPECT_TRUE(IsError(Ext("POST", "opt-outs", R"({"recipient":"12"})"), 400, "E426", "recipient"));
  EXPECT_TRUE(IsError(Ext("DELETE", "opt-outs?recipient=919876543210&sender=ACMEIN"), 404, "E472",
                      "recipient"));
  EXPECT_EQ(Ext("DELETE", "opt-outs?recipient=919876543210").status, 204);
  EXPECT_EQ(SendAndSettle("ACMEIN"), "Delivered:DELIVRD");

  CommandResult cli = gw_.Cli({"opt-out", "add", "--sid", account_.sid, "--recipient",
                               "+919876543210", "--sender", "ACMEIN"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(SendAndSettle("ACMEIN"), "NotSent:OPTOUT");
  CommandResult list = gw_.Cli({"opt-out", "list", "--sid", account_.sid});
  EXPECT_NE(list.out.find("919876543210  ACMEIN  cli"), std::string::npos) << list.out;
  CommandResult bad = gw_.Cli({"opt-out", "add", "--sid", account_.sid, "--recipient", "x"});
  EXPECT_NE(bad.exit_code, 0);
}

// Per-country caps (Kaleyra's "Daily Limit"): past the account's daily cap for a country, a
// recipient's message is accepted but ends NotSent / DAILY-CAP and never reaches a carrier.
using CountryCapTest = ServerTest;

TEST_F(CountryCapTest, OverTheDailyCapEndsNotSent) {
  const std::string caps = "/ext/v1/" + account_.sid + "/country-caps";
  HttpResponse set = gw_.Request("PUT", caps + "/in", R"({"daily": 2})", account_.api_key,
                                 {{"Content-Type", "application/json"}});
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_NE(set.body.find(R"("country":"IN","daily":2,"monthly":null,"used_today":0)"),
            std::string::npos)
      << set.body;
  HttpResponse sent =
      Send(R"({"to":["+919876543210","+919876543211","+919876543212","+14155550123"],)"
           R"("sender":"ACMEIN","body":"Hi"})");
  ASSERT_EQ(sent.status, 200) << sent.body;
  const std::vector<std::string> ids = MessageIds(sent);
  auto statuses = Statuses(gw_, account_, ids);
  EXPECT_EQ(statuses[ids[0]].status, "Pending");
  EXPECT_EQ(statuses[ids[1]].status, "Pending");
  EXPECT_EQ(statuses[ids[2]].status + ":" + statuses[ids[2]].details, "NotSent:DAILY-CAP");
  EXPECT_EQ(statuses[ids[3]].status, "Pending") << "another country";
  HttpResponse listed = gw_.Request("GET", caps, "", account_.api_key);
  EXPECT_NE(listed.body.find(R"("used_today":2,"used_this_month":2)"), std::string::npos)
      << listed.body;
  EXPECT_TRUE(IsError(gw_.Request("PUT", caps + "/XX", R"({"daily": 2})", account_.api_key,
                                  {{"Content-Type", "application/json"}}),
                      400, "E456", "country"));
  EXPECT_TRUE(IsError(gw_.Request("PUT", caps + "/IN", R"({"daily": 0})", account_.api_key,
                                  {{"Content-Type", "application/json"}}),
                      400, "E473", "daily"));
  // The operator's CLI sees and changes the same caps.
  CommandResult cli = gw_.Cli({"country-cap", "list", "--sid", account_.sid});
  EXPECT_NE(cli.out.find("IN  daily 2/2  monthly 2/-"), std::string::npos) << cli.out << cli.err;
  ASSERT_EQ(gw_.Cli({"country-cap", "remove", "--sid", account_.sid, "--country", "IN"}).exit_code,
            0);
  EXPECT_TRUE(
      IsError(gw_.Request("DELETE", caps + "/IN", "", account_.api_key), 404, "E474", "country"));
  HttpResponse after = SendSimple();
  EXPECT_EQ(Statuses(gw_, account_, {MessageIds(after).at(0)}).begin()->second.status, "Pending");
}

}  // namespace
}  // namespace smsgw::itest
