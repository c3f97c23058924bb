#include "api/webhook_requests.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "api/request_body.h"

namespace smsgw::api {
namespace {

rapidjson::Document Json(const std::string& text) {
  rapidjson::Document doc;
  auto parsed = ParseJsonBody(text, doc);
  EXPECT_TRUE(parsed) << text;
  return doc;
}

TEST(ParseWebhookListQuery, Defaults) {
  auto q = ParseWebhookListQuery("");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->state, store::WebhookState::kExhausted);
  EXPECT_EQ(q->cursor, "");
  EXPECT_EQ(q->limit, kDefaultWebhookPage);
}

TEST(ParseWebhookListQuery, Values) {
  auto q = ParseWebhookListQuery("state=Pending&cursor=abc%3A1&limit=5&other=x");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->state, store::WebhookState::kPending);
  EXPECT_EQ(q->cursor, "abc:1");
  EXPECT_EQ(q->limit, 5u);
  EXPECT_EQ(ParseWebhookListQuery("state=delivered")->state, store::WebhookState::kDelivered);
}

TEST(ParseWebhookListQuery, EveryBadParameterAtOnce) {
  auto q = ParseWebhookListQuery("state=failed&limit=0&cursor=" + std::string(1025, 'c'));
  ASSERT_FALSE(q);
  ASSERT_EQ(q.error().size(), 3u);
  EXPECT_EQ(Spec(q.error()[0].error).code, "E471");
  EXPECT_EQ(q.error()[0].field, "state");
  EXPECT_EQ(q.error()[1].field, "cursor");
  EXPECT_EQ(q.error()[2].field, "limit");
  EXPECT_FALSE(ParseWebhookListQuery("limit=1001"));
  EXPECT_FALSE(ParseWebhookListQuery("limit=ten"));
  EXPECT_TRUE(ParseWebhookListQuery("limit=1000"));
}

TEST(ValidateWebhookSecret, Bounds) {
  EXPECT_EQ(ValidateWebhookSecret(Json(R"({"secret": "0123456789abcdef"})")), "0123456789abcdef");
  EXPECT_TRUE(ValidateWebhookSecret(Json(R"({"secret": ")" + std::string(128, 'x') + "\"}")));
  const std::string punctuation = R"x({"secret": "with space and ~!@#$%^&*()"})x";
  EXPECT_TRUE(ValidateWebhookSecret(Json(punctuation)));
  for (const std::string& bad :
       {std::string(R"({})"), std::string(R"({"secret": "short"})"),
        R"({"secret": ")" + std::string(129, 'x') + "\"}",
        std::string(R"({"secret": "0123456789abcdef\n"})"),
        std::string(R"({"secret": "0123456789abcdéf"})"), std::string(R"({"secret": ["x"]})")}) {
    auto s = ValidateWebhookSecret(Json(bad));
    ASSERT_FALSE(s) << bad;
    EXPECT_EQ(Spec(s.error().front().error).code, "E470") << bad;
    EXPECT_EQ(s.error().front().field, "secret");
  }
}

TEST(WebhookJson, PageAndDetail) {
  store::WebhookSummary w;
  w.event_id = "ev1";
  w.kind = store::WebhookKind::kInbound;
  w.subject_id = "mo1";
  w.state = store::WebhookState::kExhausted;
  w.attempts = 2;
  w.last_error = "HTTP 500";
  w.created_at = core::FromUnixMillis(1794992000000);
  w.finished_at = core::FromUnixMillis(1794992060000);
  store::AttemptRecord a;
  a.n = 1;
  a.at = core::FromUnixMillis(1794992000000);
  a.latency = std::chrono::milliseconds(42);
  a.http_status = 500;
  a.error = "HTTP 500";
  w.attempt_log.push_back(a);

  store::WebhookPage page;
  page.webhooks.push_back(w);
  page.next_cursor = "c2";
  EXPECT_EQ(WebhookPageJson(page),
            R"({"data":[{"event_id":"ev1","kind":"inbound","subject_id":"mo1","state":"exhausted",)"
            R"("attempts":2,"last_error":"HTTP 500","created_at":"2026-11-18 08:53:20+00:00",)"
            R"("next_attempt_at":null,"finished_at":"2026-11-18 08:54:20+00:00"}],)"
            R"("next_cursor":"c2","error":{}})");
  JsonWriter j;
  WriteWebhook(j, w, true);
  EXPECT_NE(j.Take().find(R"("attempt_log":[{"n":1,"at":"2026-11-18 08:53:20+00:00",)"
                          R"("http_status":500,"error":"HTTP 500","latency_ms":42}])"),
            std::string::npos);
  EXPECT_EQ(ReplayedJson("ev1"), R"({"event_id":"ev1","state":"pending"})");
}

}  // namespace
}  // namespace smsgw::api
