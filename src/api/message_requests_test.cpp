#include "api/message_requests.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>
#include <vector>

namespace smsgw::api {
namespace {

using core::MessageState;

const core::TimePoint kCreated = core::FromUnixMillis(1794992000000);  // 2026-11-18 08:53:20 UTC

std::vector<std::string> Fields(const FieldErrors& errors) {
  std::vector<std::string> out;
  for (const FieldError& e : errors) {
    out.push_back(e.field);
  }
  return out;
}

MessageListQuery ParseOk(std::string_view query, core::Region region = core::Region::kSg) {
  auto parsed = ParseMessageListQuery(query, region);
  EXPECT_TRUE(parsed) << query << ": " << (parsed ? "" : parsed.error().front().reason);
  return parsed.value_or(MessageListQuery{});
}

// The single error of a query that must fail.
FieldError OnlyError(std::string_view query, core::Region region = core::Region::kSg) {
  auto parsed = ParseMessageListQuery(query, region);
  EXPECT_FALSE(parsed) << query;
  if (parsed) {
    return {};
  }
  EXPECT_EQ(parsed.error().size(), 1u) << query;
  return parsed.error().front();
}

rapidjson::Document Parse(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  EXPECT_FALSE(doc.HasParseError()) << json;
  return doc;
}

core::Message SampleMessage() {
  core::Message m;
  m.id = "018f6c9e-7b7a-7cc2-9a56-3f1e2d4c5b6a:1";
  m.request_id = "018f6c9e-7b7a-7cc2-9a56-3f1e2d4c5b6a";
  m.sid = "HXSG1234567890SG";
  m.recipient = "6591234567";
  m.sender = "ACME";
  m.body = "Hello \"there\"";
  m.type = core::RouteType::kOtp;
  m.encoding = core::Encoding::kGsm7;
  m.segments = 2;
  m.flash = true;
  m.unicode = "AUTO";
  m.created_at = kCreated;
  m.ref = "r0";
  m.ref1 = "r1";
  m.ref_custom = R"(["John","Doe"])";
  m.campaign_name = "spring";
  m.state = MessageState::kSubmitted;
  m.status_details = "SUBMITTED";
  return m;
}

// --- status

TEST(ParseStatusFilter, KaleyraWords) {
  EXPECT_EQ(
      ParseStatusFilter("Pending"),
      (std::vector{MessageState::kQueued, MessageState::kScheduled, MessageState::kSubmitting}));
  EXPECT_EQ(ParseStatusFilter("Sent"), (std::vector{MessageState::kSubmitted}));
  EXPECT_EQ(ParseStatusFilter("Delivered"), (std::vector{MessageState::kDelivered}));
  EXPECT_EQ(ParseStatusFilter("UnDelivered"), (std::vector{MessageState::kUndelivered}));
  EXPECT_EQ(ParseStatusFilter("NotSent"), (std::vector{MessageState::kNotSent}));
  EXPECT_EQ(ParseStatusFilter("pending"), ParseStatusFilter("PENDING"));
}

TEST(ParseStatusFilter, InternalNames) {
  EXPECT_EQ(ParseStatusFilter("queued"), (std::vector{MessageState::kQueued}));
  EXPECT_EQ(ParseStatusFilter("Scheduled"), (std::vector{MessageState::kScheduled}));
  EXPECT_EQ(ParseStatusFilter("submitting"), (std::vector{MessageState::kSubmitting}));
  EXPECT_EQ(ParseStatusFilter("submitted"), (std::vector{MessageState::kSubmitted}));
  EXPECT_EQ(ParseStatusFilter("undelivered"), (std::vector{MessageState::kUndelivered}));
  EXPECT_EQ(ParseStatusFilter("not_sent"), (std::vector{MessageState::kNotSent}));
  for (MessageState s : {MessageState::kQueued, MessageState::kScheduled, MessageState::kSubmitting,
                         MessageState::kSubmitted, MessageState::kDelivered,
                         MessageState::kUndelivered, MessageState::kNotSent}) {
    EXPECT_EQ(ParseStatusFilter(StateName(s)), (std::vector{s})) << StateName(s);
  }
}

TEST(ParseStatusFilter, ListsAreUnionsInEnumOrder) {
  EXPECT_EQ(ParseStatusFilter("NotSent, Sent,queued"),
            (std::vector{MessageState::kQueued, MessageState::kSubmitted, MessageState::kNotSent}));
  EXPECT_EQ(
      ParseStatusFilter("Pending,scheduled"),
      (std::vector{MessageState::kQueued, MessageState::kScheduled, MessageState::kSubmitting}));
}

TEST(ParseStatusFilter, RejectsUnknownWords) {
  for (const char* bad : {"Failed", "NotFound", "Sent,", ",Sent", "Sent,,Delivered", "sent x",
                          "not sent", "DELIVRD", ""}) {
    EXPECT_FALSE(ParseStatusFilter(bad)) << bad;
  }
}

// --- times

TEST(ParseFilterTime, Forms) {
  const core::TimePoint want = kCreated;  // 2026-11-18 08:53:20 UTC
  EXPECT_EQ(ParseFilterTime("2026-11-18T08:53:20Z").value(), want);
  EXPECT_EQ(ParseFilterTime("2026-11-18T14:23:20+05:30").value(), want);
  EXPECT_EQ(ParseFilterTime("2026-11-18T03:53:20-05:00").value(), want);
  EXPECT_EQ(ParseFilterTime("2026-11-18 08:53:20").value(), want);        // UTC
  EXPECT_EQ(ParseFilterTime("2026-11-18 08:53:20+00:00").value(), want);  // createdDateTime
  EXPECT_EQ(ParseFilterTime("2026-11-18T14:23:20 05:30").value(), want);  // '+' decoded as ' '
  EXPECT_EQ(ParseFilterTime("2026-11-18T14:23:20 0530").value(), want);
}

TEST(ParseFilterTime, RejectsOthers) {
  for (const char* bad : {"", "2026-11-18", "2026-11-18T08:53:20", "2026-11-18 08:53", "yesterday",
                          "2026-13-18 08:53:20", "2026-11-18 08:53:20 ", "1794992000"}) {
    auto t = ParseFilterTime(bad);
    EXPECT_FALSE(t) << bad;
  }
}

// --- the whole query

TEST(ParseMessageListQuery, EmptyMeansEverythingNewestFirst) {
  MessageListQuery q = ParseOk("");
  EXPECT_TRUE(q.states.empty());
  EXPECT_FALSE(q.filter.state);
  EXPECT_EQ(q.filter.recipient, "");
  EXPECT_FALSE(q.filter.type);
  EXPECT_FALSE(q.filter.created_from);
  EXPECT_FALSE(q.filter.created_to);
  EXPECT_EQ(q.cursor, "");
  EXPECT_EQ(q.limit, 100u);
  // Empty values are absent; unknown parameters are ignored.
  q = ParseOk("status=&recipient=&limit=&page=3&api-key=x");
  EXPECT_TRUE(q.states.empty());
  EXPECT_EQ(q.limit, 100u);
}

TEST(ParseMessageListQuery, EveryParameter) {
  MessageListQuery q = ParseOk(
      "status=Delivered&recipient=%2B6591234567&sender=ACME&type=otp&ref=order%2042"
      "&campaign_name=spring-1&from=2026-11-18T00:00:00Z&to=2026-11-19+00:00:00"
      "&cursor=1794992000000%3Aabc%3A1&limit=1000");
  EXPECT_EQ(q.states, (std::vector{MessageState::kDelivered}));
  EXPECT_EQ(q.filter.state, MessageState::kDelivered);
  EXPECT_EQ(q.filter.recipient, "6591234567");
  EXPECT_EQ(q.filter.sender, "ACME");
  EXPECT_EQ(q.filter.type, core::RouteType::kOtp);
  EXPECT_EQ(q.filter.ref, "order 42");
  EXPECT_EQ(q.filter.campaign_name, "spring-1");
  EXPECT_EQ(q.filter.created_from, core::ParseIso8601("2026-11-18T00:00:00Z").value());
  EXPECT_EQ(q.filter.created_to, core::ParseIso8601("2026-11-19T00:00:00Z").value());
  EXPECT_EQ(q.cursor, "1794992000000:abc:1");
  EXPECT_EQ(q.limit, 1000u);
}

TEST(ParseMessageListQuery, PendingIsASetTheStoreDoesNotFilter) {
  MessageListQuery q = ParseOk("status=Pending");
  EXPECT_EQ(q.states, (std::vector{MessageState::kQueued, MessageState::kScheduled,
                                   MessageState::kSubmitting}));
  EXPECT_FALSE(q.filter.state);
  q = ParseOk("status=queued");
  EXPECT_EQ(q.filter.state, MessageState::kQueued);
}

TEST(ParseMessageListQuery, RecipientWithOrWithoutPlus) {
  EXPECT_EQ(ParseOk("recipient=6591234567").filter.recipient, "6591234567");
  EXPECT_EQ(ParseOk("recipient=%2B6591234567").filter.recipient, "6591234567");
  EXPECT_EQ(ParseOk("recipient=+6591234567").filter.recipient, "6591234567");  // '+' as space
  EXPECT_EQ(ParseOk("recipient=123456789012345").filter.recipient, "123456789012345");
  for (const char* bad : {"recipient=1234567890123456", "recipient=%2B", "recipient=65-9123",
                          "recipient=abc", "recipient=%2B%2B65"}) {
    FieldError e = OnlyError(bad);
    EXPECT_EQ(e.field, "recipient") << bad;
    EXPECT_EQ(Spec(e.error).code, "E426") << bad;
  }
}

TEST(ParseMessageListQuery, TypeMustBeOfTheRegion) {
  EXPECT_EQ(ParseOk("type=MKT", core::Region::kIn).filter.type, core::RouteType::kMkt);
  FieldError e = OnlyError("type=MKT", core::Region::kSg);
  EXPECT_EQ(e.field, "type");
  EXPECT_EQ(Spec(e.error).code, "E407");
  EXPECT_EQ(e.reason, "type must be one of OTP, DEFAULT in region SG.");
  EXPECT_EQ(OnlyError("type=SPAM").field, "type");
}

TEST(ParseMessageListQuery, EachBadParameterNamesItsField) {
  struct Case {
    const char* query;
    const char* field;
    const char* code;
  };
  for (const Case& c : std::vector<Case>{
           {"status=Failed", "status", "E425"},
           {"recipient=x", "recipient", "E426"},
           {"sender=TOOLONGSENDER", "sender", "E406"},
           {"type=TXN", "type", "E407"},
           {"ref=%FF", "ref", "E414"},
           {"campaign_name=spring%20sale", "campaign_name", "E416"},
           {"from=yesterday", "from", "E427"},
           {"to=2026-11-18", "to", "E427"},
           {"from=2026-11-19T00:00:00Z&to=2026-11-18T00:00:00Z", "to", "E427"},
           {"from=2026-11-18T00:00:00Z&to=2026-11-18T00:00:00Z", "to", "E427"},
           {"limit=0", "limit", "E428"},
           {"limit=1001", "limit", "E428"},
           {"limit=-1", "limit", "E428"},
           {"limit=ten", "limit", "E428"},
           {"limit=99999999999999999999", "limit", "E428"},
       }) {
    FieldError e = OnlyError(c.query);
    EXPECT_EQ(e.field, c.field) << c.query;
    EXPECT_EQ(Spec(e.error).code, c.code) << c.query;
    EXPECT_EQ(Spec(e.error).http_status, 400) << c.query;
  }
  FieldError long_ref = OnlyError("ref=" + std::string(256, 'x'));
  EXPECT_EQ(long_ref.reason, "ref is longer than 255 characters.");
  EXPECT_EQ(ParseOk("ref=" + std::string(255, 'x')).filter.ref.size(), 255u);
  FieldError long_cursor = OnlyError("cursor=" + std::string(1025, '1'));
  EXPECT_EQ(long_cursor.field, "cursor");
  EXPECT_EQ(ParseOk("limit=1").limit, 1u);
}

TEST(ParseMessageListQuery, ReportsEveryBadParameterAtOnce) {
  auto parsed = ParseMessageListQuery("status=x&recipient=y&from=z&limit=0", core::Region::kSg);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(Fields(parsed.error()),
            (std::vector<std::string>{"status", "recipient", "from", "limit"}));
}

TEST(MatchesStates, EmptyMatchesAll) {
  core::Message m = SampleMessage();
  EXPECT_TRUE(MatchesStates(m, {}));
  const std::vector pending{MessageState::kQueued, MessageState::kScheduled,
                            MessageState::kSubmitting};
  EXPECT_FALSE(MatchesStates(m, pending));
  m.state = MessageState::kScheduled;
  EXPECT_TRUE(MatchesStates(m, pending));
}

// --- rendering

TEST(MessageListJson, ShapeAndFields) {
  const std::vector<core::Message> messages = {SampleMessage()};
  rapidjson::Document doc = Parse(MessageListJson(messages, "1794992000000:x"));
  ASSERT_TRUE(doc["data"].IsArray());
  ASSERT_EQ(doc["data"].Size(), 1u);
  EXPECT_STREQ(doc["next_cursor"].GetString(), "1794992000000:x");
  EXPECT_TRUE(doc["error"].IsObject() && doc["error"].ObjectEmpty());
  const rapidjson::Value& m = doc["data"][0];
  EXPECT_STREQ(m["message_id"].GetString(), "018f6c9e-7b7a-7cc2-9a56-3f1e2d4c5b6a:1");
  EXPECT_STREQ(m["id"].GetString(), "018f6c9e-7b7a-7cc2-9a56-3f1e2d4c5b6a");
  EXPECT_STREQ(m["recipient"].GetString(), "6591234567");
  EXPECT_STREQ(m["sender"].GetString(), "ACME");
  EXPECT_STREQ(m["body"].GetString(), "Hello \"there\"");
  EXPECT_STREQ(m["type"].GetString(), "OTP");
  EXPECT_STREQ(m["unicode"].GetString(), "AUTO");
  EXPECT_STREQ(m["encoding"].GetString(), "GSM7");
  EXPECT_EQ(m["segments"].GetInt(), 2);
  EXPECT_STREQ(m["flash"].GetString(), "1");
  EXPECT_TRUE(m["template_id"].IsNull());
  EXPECT_STREQ(m["ref"].GetString(), "r0");
  EXPECT_STREQ(m["ref1"].GetString(), "r1");
  EXPECT_STREQ(m["ref2"].GetString(), "");
  ASSERT_TRUE(m["ref_custom"].IsArray());
  EXPECT_STREQ(m["ref_custom"][1].GetString(), "Doe");
  EXPECT_STREQ(m["campaign_name"].GetString(), "spring");
  EXPECT_TRUE(m["callback_profile_id"].IsNull());
  EXPECT_STREQ(m["createdDateTime"].GetString(), "2026-11-18 08:53:20+00:00");
  EXPECT_TRUE(m["time"].IsNull());
  EXPECT_STREQ(m["status"].GetString(), "Sent");
  EXPECT_STREQ(m["status_details"].GetString(), "SUBMITTED");
  EXPECT_STREQ(m["state"].GetString(), "submitted");
  EXPECT_FALSE(m.HasMember("parts"));  // the list shows messages, not their details
}

TEST(MessageListJson, LastPageAndOptionalValues) {
  core::Message m = SampleMessage();
  m.template_id = "1107160000000000001";
  m.send_at = kCreated + std::chrono::hours(1);
  m.ref_custom = "not json";  // shown as null rather than breaking the response
  m.state = MessageState::kScheduled;
  m.status_details = "SCHEDULED";
  const std::vector<core::Message> messages = {m};
  rapidjson::Document doc = Parse(MessageListJson(messages, ""));
  EXPECT_TRUE(doc["next_cursor"].IsNull());
  const rapidjson::Value& out = doc["data"][0];
  EXPECT_STREQ(out["template_id"].GetString(), "1107160000000000001");
  EXPECT_STREQ(out["time"].GetString(), "2026-11-18T09:53:20+00:00");
  EXPECT_TRUE(out["ref_custom"].IsNull());
  EXPECT_STREQ(out["status"].GetString(), "Pending");
  EXPECT_STREQ(out["state"].GetString(), "scheduled");

  rapidjson::Document empty = Parse(MessageListJson({}, ""));
  EXPECT_EQ(empty["data"].Size(), 0u);
}

TEST(MessageDetailJson, PartsAndHistory) {
  store::MessageDetail detail;
  detail.message = SampleMessage();
  detail.message.state = MessageState::kDelivered;
  detail.message.status_details = "DELIVRD";
  detail.attempts = 1;
  detail.last_error = "ESME_RTHROTTLED";
  detail.updated_at = kCreated + std::chrono::seconds(5);
  store::PartRecord p1;
  p1.part = 1;
  p1.connector = "carrier-a";
  p1.smsc_id = "0A1B";
  p1.state = core::PartState::kDelivered;
  p1.stat = "DELIVRD";
  p1.err = "000";
  p1.submitted_at = kCreated + std::chrono::seconds(1);
  p1.done_at = kCreated + std::chrono::seconds(4);
  store::PartRecord p2 = p1;
  p2.part = 2;
  p2.state = core::PartState::kSubmitted;
  p2.stat = "";
  p2.err = "";
  p2.done_at.reset();
  detail.parts = {p1, p2};
  detail.history = {
      {"ev-1", detail.message.id, detail.message.sid, MessageState::kQueued, "QUEUED", kCreated},
      {"ev-2", detail.message.id, detail.message.sid, MessageState::kDelivered, "DELIVRD",
       kCreated + std::chrono::seconds(5)}};

  rapidjson::Document doc = Parse(MessageDetailJson(detail));
  EXPECT_STREQ(doc["message_id"].GetString(), "018f6c9e-7b7a-7cc2-9a56-3f1e2d4c5b6a:1");
  EXPECT_STREQ(doc["status"].GetString(), "Delivered");
  EXPECT_STREQ(doc["status_details"].GetString(), "DELIVRD");
  EXPECT_EQ(doc["attempts"].GetInt(), 1);
  EXPECT_STREQ(doc["last_error"].GetString(), "ESME_RTHROTTLED");
  EXPECT_STREQ(doc["updated_at"].GetString(), "2026-11-18 08:53:25+00:00");
  EXPECT_FALSE(doc.HasMember("error"));

  ASSERT_EQ(doc["parts"].Size(), 2u);
  const rapidjson::Value& a = doc["parts"][0];
  EXPECT_EQ(a["part"].GetInt(), 1);
  EXPECT_STREQ(a["connector"].GetString(), "carrier-a");
  EXPECT_STREQ(a["smsc_id"].GetString(), "0A1B");
  EXPECT_STREQ(a["state"].GetString(), "DELIVERED");
  EXPECT_STREQ(a["stat"].GetString(), "DELIVRD");
  EXPECT_STREQ(a["err"].GetString(), "000");
  EXPECT_STREQ(a["submitted_at"].GetString(), "2026-11-18 08:53:21+00:00");
  EXPECT_STREQ(a["done_at"].GetString(), "2026-11-18 08:53:24+00:00");
  const rapidjson::Value& b = doc["parts"][1];
  EXPECT_STREQ(b["state"].GetString(), "SUBMITTED");
  EXPECT_STREQ(b["stat"].GetString(), "");
  EXPECT_TRUE(b["done_at"].IsNull());

  ASSERT_EQ(doc["history"].Size(), 2u);
  const rapidjson::Value& h0 = doc["history"][0];
  EXPECT_STREQ(h0["event_id"].GetString(), "ev-1");
  EXPECT_STREQ(h0["status"].GetString(), "Pending");
  EXPECT_STREQ(h0["status_details"].GetString(), "QUEUED");
  EXPECT_STREQ(h0["state"].GetString(), "queued");
  EXPECT_STREQ(h0["at"].GetString(), "2026-11-18 08:53:20+00:00");
  EXPECT_STREQ(doc["history"][1]["status"].GetString(), "Delivered");
}

TEST(MessageDetailJson, WebhooksWithAttemptLogs) {
  store::MessageDetail detail;
  detail.message = SampleMessage();
  EXPECT_EQ(Parse(MessageDetailJson(detail))["webhooks"].Size(), 0u) << "always present";

  store::WebhookSummary w;
  w.event_id = "ev-2";
  w.subject_id = detail.message.id;
  w.state = store::WebhookState::kPending;
  w.attempts = 1;
  w.last_error = "timeout";
  w.created_at = kCreated;
  w.next_attempt_at = kCreated + std::chrono::seconds(10);
  store::AttemptRecord a;
  a.n = 1;
  a.at = kCreated;
  a.latency = std::chrono::milliseconds(5000);
  a.error = "timeout";
  w.attempt_log = {a};
  rapidjson::Document doc = Parse(MessageDetailJson(detail, std::vector{w}));
  ASSERT_EQ(doc["webhooks"].Size(), 1u);
  const rapidjson::Value& hook = doc["webhooks"][0];
  EXPECT_STREQ(hook["event_id"].GetString(), "ev-2");
  EXPECT_STREQ(hook["state"].GetString(), "pending");
  EXPECT_EQ(hook["attempts"].GetInt(), 1);
  EXPECT_STREQ(hook["last_error"].GetString(), "timeout");
  EXPECT_STREQ(hook["next_attempt_at"].GetString(), "2026-11-18 08:53:30+00:00");
  EXPECT_TRUE(hook["finished_at"].IsNull());
  ASSERT_EQ(hook["attempt_log"].Size(), 1u);
  const rapidjson::Value& log = hook["attempt_log"][0];
  EXPECT_EQ(log["n"].GetInt(), 1);
  EXPECT_STREQ(log["at"].GetString(), "2026-11-18 08:53:20+00:00");
  EXPECT_EQ(log["http_status"].GetInt(), 0);
  EXPECT_STREQ(log["error"].GetString(), "timeout");
  EXPECT_EQ(log["latency_ms"].GetInt(), 5000);
}

TEST(CancelledJson, NotSentCancelled) {
  rapidjson::Document doc = Parse(CancelledJson("abc:1"));
  EXPECT_STREQ(doc["message_id"].GetString(), "abc:1");
  EXPECT_STREQ(doc["status"].GetString(), "NotSent");
  EXPECT_STREQ(doc["status_details"].GetString(), "CANCELLED");
  EXPECT_STREQ(doc["state"].GetString(), "not_sent");
}

}  // namespace
}  // namespace smsgw::api
