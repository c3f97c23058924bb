// Two-way SMS on the real binary: inbound (MO) messages sent by `smsgw smsc-sim` through its
// control endpoint reach the callback of the account that owns the number (and keyword), whole
// when they came in parts; unmatched ones are stored and counted, never forwarded anywhere.

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "external_smsc.h"
#include "fixture.h"
#include "support/http_receiver.h"

namespace smsgw::itest {
namespace {

using testing::HttpReceiver;
using testing::ReceivedRequest;

constexpr auto kForwardTimeout = 60s;

class InboundWebhookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    receiver_ = HttpReceiver::Start();
    smsc_ = std::make_unique<ExternalSmsc>(gw_.dir());
    ASSERT_NE(smsc_->port(), 0);
    gw_.set_config(gw_.dir().WriteFile(
        "smsgw.toml",
        SmscConfig(smsc_->port(), "[webhooks]\nallow_targets = [\"127.0.0.1/32\"]\n")));
    acme_ = gw_.CreateAccount("acme");
    beta_ = gw_.CreateAccount("beta");
    gw_.Start();
    ASSERT_NE(gw_.port(), 0);
  }

  // POST /ext/v1/{sid}/inbound-numbers with the callback to `path` on the receiver.
  HttpResponse AddNumber(const Account& account, const std::string& number,
                         const std::string& keyword, const std::string& path,
                         const std::string& extra = "") const {
    std::string body = R"({"number":)" + Quote(number);
    if (!keyword.empty()) {
      body += R"(,"keyword":)" + Quote(keyword);
    }
    body += R"(,"callback":{"url":)" + Quote(receiver_->Url(path)) + R"(,"method":"POST"})" +
            extra + "}";
    return gw_.Post("/ext/v1/" + account.sid + "/inbound-numbers", body, account.api_key);
  }

  void Mo(const std::string& from, const std::string& to, const std::string& text,
          const std::string& encoding = "auto") const {
    HttpResponse r =
        smsc_->InjectMo(R"({"from":)" + Quote(from) + R"(,"to":)" + Quote(to) + R"(,"text":)" +
                        Quote(text) + R"(,"encoding":")" + encoding + "\"}");
    ASSERT_EQ(r.status, 200) << r.body;
  }

  // The forwarded messages' JSON bodies received on `path`, once `n` arrived.
  std::vector<Json> Forwarded(const std::string& path, size_t n) const {
    const auto deadline = Clock::now() + kForwardTimeout;
    std::vector<Json> out;
    while (Clock::now() < deadline) {
      out.clear();
      for (const ReceivedRequest& r : receiver_->Requests()) {
        if (r.path == path) {
          out.push_back(ParseJson(r.body));
        }
      }
      if (out.size() >= n) {
        return out;
      }
      std::this_thread::sleep_for(50ms);
    }
    ADD_FAILURE() << "got " << out.size() << " forwarded messages on " << path << ", want " << n;
    return out;
  }

  // `delivery stats --json`'s inbound.unmatched.
  uint64_t Unmatched() const {
    CommandResult stats = gw_.Cli({"delivery", "stats", "--json"});
    Json j = ParseJson(stats.out);
    if (!j.ok || !j.doc.IsObject() || !j.doc.HasMember("inbound") ||
        !j.doc["inbound"].HasMember("unmatched")) {
      ADD_FAILURE() << "delivery stats: " << stats.out << stats.err;
      return 0;
    }
    return j.doc["inbound"]["unmatched"].GetUint64();
  }

  Smsgw gw_;
  std::unique_ptr<HttpReceiver> receiver_;
  std::unique_ptr<ExternalSmsc> smsc_;
  Account acme_;
  Account beta_;
};

TEST_F(InboundWebhookTest, MultipartUcs2MoReachesTheOwnersCallbackWhole) {
  ASSERT_EQ(AddNumber(acme_, "+14155550123", "", "/acme").status, 201);
  std::string text = "Привет! ";
  while (text.size() < 300) {
    text += "Длинное сообщение ";
  }
  Mo("+919876543210", "14155550123", text, "ucs2");
  auto forwarded = Forwarded("/acme", 1);
  ASSERT_EQ(forwarded.size(), 1u);
  const Json& j = forwarded[0];
  ASSERT_TRUE(j.ok && j.doc.IsObject()) << j.error;
  EXPECT_EQ(Str(j.doc, "message"), text);
  EXPECT_EQ(Str(j.doc, "source"), "919876543210");
  EXPECT_EQ(Str(j.doc, "recipient"), "+14155550123");
  EXPECT_EQ(Str(j.doc, "keyword"), "");
  EXPECT_EQ(Str(j.doc, "status"), "SENT");
  EXPECT_FALSE(Str(j.doc, "id").empty());
  EXPECT_FALSE(Str(j.doc, "kid").empty());
  ASSERT_TRUE(j.doc.HasMember("parts") && j.doc["parts"].IsArray()) << ToJson(j.doc);
  ASSERT_GT(j.doc["parts"].Size(), 1u) << ToJson(j.doc);
  ASSERT_TRUE(j.doc["parts"][0].IsString()) << ToJson(j.doc);
  EXPECT_EQ(std::string(j.doc["parts"][0].GetString()), "Привет!");
}

TEST_F(InboundWebhookTest, KeywordsRouteASharedNumberToTheirAccounts) {
  ASSERT_EQ(AddNumber(acme_, "+14155550124", "JOIN", "/acme").status, 201);
  ASSERT_EQ(AddNumber(beta_, "+14155550124", "stop", "/beta").status, 201);
  // A shared number needs a keyword, and a keyword belongs to one account.
  EXPECT_EQ(AddNumber(beta_, "+14155550124", "", "/beta").status, 409);
  EXPECT_EQ(AddNumber(beta_, "+14155550124", "join", "/beta").status, 409);
  Mo("+919876543210", "14155550124", "join me please");
  Mo("+919876543211", "+14155550124", "Stop");
  auto acme = Forwarded("/acme", 1);
  auto beta = Forwarded("/beta", 1);
  ASSERT_EQ(acme.size(), 1u);
  ASSERT_EQ(beta.size(), 1u);
  EXPECT_EQ(Str(acme[0].doc, "keyword"), "JOIN");
  EXPECT_EQ(Str(acme[0].doc, "message"), "join me please");
  EXPECT_EQ(Str(beta[0].doc, "keyword"), "STOP");
  EXPECT_EQ(Str(beta[0].doc, "source"), "919876543211");
}

TEST_F(InboundWebhookTest, ExpiredKeywordAndUnknownNumberAreStoredUnmatched) {
  const auto soon = std::chrono::system_clock::now() + 2s;
  const std::time_t t = std::chrono::system_clock::to_time_t(soon);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char expires[32];
  std::strftime(expires, sizeof expires, "%Y-%m-%d %H:%M:%S", &tm);
  ASSERT_EQ(AddNumber(acme_, "+14155550125", "PROMO", "/acme",
                      R"(,"expires":")" + std::string(expires) + "\"")
                .status,
            201);
  ASSERT_EQ(AddNumber(beta_, "+14155550125", "INFO", "/beta").status, 201);
  std::this_thread::sleep_for(3s);
  const uint64_t before = Unmatched();
  Mo("+919876543210", "14155550125", "PROMO yes");  // expired keyword, no default entry
  Mo("+919876543210", "14155550999", "hello");      // nobody's number
  const auto deadline = Clock::now() + kForwardTimeout;
  while (Clock::now() < deadline && Unmatched() < before + 2) {
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(Unmatched(), before + 2);
  EXPECT_EQ(receiver_->Count(), 0u);

  // The operator finds them: `smsgw inbound list --unmatched`.
  const CommandResult listed = gw_.Cli({"inbound", "list", "--unmatched", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const Json j = ParseJson(listed.out);
  ASSERT_TRUE(j.ok && j.doc.IsArray()) << listed.out;
  std::set<std::string> texts;
  for (const auto& m : j.doc.GetArray()) {
    texts.insert(Str(m, "text"));
    EXPECT_TRUE(m["sid"].IsNull()) << listed.out;
  }
  EXPECT_TRUE(texts.contains("PROMO yes") && texts.contains("hello")) << listed.out;
  const CommandResult line = gw_.Cli({"inbound", "list", "--unmatched", "--limit", "1"});
  EXPECT_EQ(std::count(line.out.begin(), line.out.end(), '\n'), 1) << line.out;
  EXPECT_NE(line.out.find("  unmatched  parts 1/1  \""), std::string::npos) << line.out;
  const CommandResult unknown = gw_.Cli({"inbound", "list", "--before", "no-such-id"});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.err.find("no inbound message"), std::string::npos) << unknown.err;
}

// A reply to a message an account sent from a shared number (no keyword in the reply) goes to
// that account: the two-way conversation.
TEST_F(InboundWebhookTest, ReplyWithoutKeywordGoesToTheAccountThatSentFromTheNumber) {
  ASSERT_EQ(AddNumber(acme_, "+14155550126", "JOIN", "/acme").status, 201);
  ASSERT_EQ(AddNumber(beta_, "+14155550126", "INFO", "/beta").status, 201);
  HttpResponse sent = gw_.Post(
      "/v1/" + beta_.sid + "/messages",
      R"({"to":"+919876543212","sender":"+14155550126","body":"How was it?"})", beta_.api_key);
  ASSERT_EQ(sent.status, 200) << sent.body;
  Mo("+919876543212", "14155550126", "great, thanks");
  auto beta = Forwarded("/beta", 1);
  ASSERT_EQ(beta.size(), 1u);
  EXPECT_EQ(Str(beta[0].doc, "message"), "great, thanks");
  EXPECT_EQ(Forwarded("/acme", 0).size(), 0u);
}

}  // namespace
}  // namespace smsgw::itest
