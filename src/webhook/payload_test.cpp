#include "webhook/payload.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "core/strings.h"

namespace smsgw::webhook {
namespace {

core::Message TestMessage() {
  core::Message m;
  m.id = "0190f0e1-0000-7000-8000-000000000001:1";
  m.request_id = "0190f0e1-0000-7000-8000-000000000001";
  m.sid = "HXIN0000000001IN";
  m.recipient = "919876543210";
  m.sender = "ACMEIN";
  m.segments = 2;
  m.ref = "r0";
  m.ref1 = "r&1";
  m.ref2 = "";
  m.ref_custom = R"(["John","Doe"])";
  m.campaign_name = "spring";
  return m;
}

store::StatusEvent Event(core::MessageState state, std::string details) {
  store::StatusEvent e;
  e.event_id = "ev-1";
  e.message_id = "0190f0e1-0000-7000-8000-000000000001:1";
  e.state = state;
  e.details = std::move(details);
  e.at = core::FromUnixMillis(1'764'153'743'000);  // 2025-11-26 10:42:23 UTC
  return e;
}

std::string Value(const Fields& fields, std::string_view name) {
  for (const Field& f : fields) {
    if (f.name == name) {
      return f.value;
    }
  }
  ADD_FAILURE() << "no field " << name;
  return "";
}

TEST(PayloadTest, StatusFieldsInOrder) {
  const Fields f =
      StatusFields(TestMessage(), Event(core::MessageState::kDelivered, "DELIVRD"), "ev-1");
  std::vector<std::string> names;
  for (const Field& field : f) {
    names.push_back(field.name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"id", "message_id", "recipient", "sender", "status",
                                             "status_trace", "description", "error_code",
                                             "segments", "timestamp", "ref", "ref1", "ref2",
                                             "ref_custom", "campaign_name", "event_id"}));
  EXPECT_EQ(Value(f, "id"), "0190f0e1-0000-7000-8000-000000000001");
  EXPECT_EQ(Value(f, "status"), "Delivered");
  EXPECT_EQ(Value(f, "status_trace"), "DELIVRD");
  EXPECT_EQ(Value(f, "error_code"), "");
  EXPECT_EQ(Value(f, "segments"), "2");
  EXPECT_EQ(Value(f, "timestamp"), "2025-11-26 10:42:23");
  EXPECT_EQ(Value(f, "event_id"), "ev-1");
}

TEST(PayloadTest, TestFieldsAreAStatusCallbackAboutNoMessage) {
  const Fields f = TestFields("test-1", core::FromUnixMillis(1764153743000));
  ASSERT_EQ(f.size(), 16u);  // a status callback's fields, so a receiver's parser takes it
  EXPECT_EQ(Value(f, "id"), "test-1");
  EXPECT_EQ(Value(f, "message_id"), "test-1");
  EXPECT_EQ(Value(f, "event_id"), "test-1");
  EXPECT_EQ(Value(f, "recipient"), "");
  EXPECT_EQ(Value(f, "status"), "Delivered");
  EXPECT_EQ(Value(f, "status_trace"), "TEST");
  EXPECT_EQ(Value(f, "description"), "A test webhook from smsgw; no message was sent.");
  EXPECT_EQ(Value(f, "timestamp"), "2025-11-26 10:42:23");
}

TEST(PayloadTest, NotSentIsReportedAsFailed) {
  const Fields f =
      StatusFields(TestMessage(), Event(core::MessageState::kNotSent, "NO-ROUTE"), "ev-1");
  EXPECT_EQ(Value(f, "status"), "Failed");
  EXPECT_EQ(Value(f, "status_trace"), "NO-ROUTE");
  EXPECT_EQ(Value(f, "error_code"), "NO-ROUTE");
  EXPECT_EQ(Value(f, "description"), "No route for the destination");
  EXPECT_EQ(CallbackStatus(core::MessageState::kUndelivered), "UnDelivered");
  EXPECT_EQ(CallbackStatus(core::MessageState::kSubmitted), "Sent");
}

TEST(PayloadTest, JsonBody) {
  Target t;
  t.url = "http://127.0.0.1/hook";
  const RenderedRequest r = Render(
      StatusFields(TestMessage(), Event(core::MessageState::kSubmitted, "SUBMITTED"), "ev-1"), t);
  EXPECT_EQ(r.url, t.url);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.signed_part, r.body);
  rapidjson::Document doc;
  doc.Parse(r.body.c_str());
  ASSERT_FALSE(doc.HasParseError()) << r.body;
  EXPECT_STREQ(doc["status"].GetString(), "Sent");
  EXPECT_STREQ(doc["ref1"].GetString(), "r&1");
  EXPECT_EQ(doc["segments"].GetInt(), 2);
  ASSERT_TRUE(doc["ref_custom"].IsArray());
  EXPECT_STREQ(doc["ref_custom"][1].GetString(), "Doe");
}

TEST(PayloadTest, EmptyOrBrokenRefCustomIsAnArray) {
  core::Message m = TestMessage();
  m.ref_custom = "";
  EXPECT_EQ(
      Value(StatusFields(m, Event(core::MessageState::kSubmitted, "SUBMITTED"), "e"), "ref_custom"),
      "[]");
  m.ref_custom = "['a'";
  Target t;
  t.url = "http://h/";
  const RenderedRequest r =
      Render(StatusFields(m, Event(core::MessageState::kSubmitted, "SUBMITTED"), "e"), t);
  rapidjson::Document doc;
  doc.Parse(r.body.c_str());
  ASSERT_FALSE(doc.HasParseError()) << r.body;
  EXPECT_TRUE(doc["ref_custom"].IsArray());
}

TEST(PayloadTest, GetQueryParameters) {
  Target t;
  t.url = "http://127.0.0.1/hook?token=abc";
  t.method = "GET";
  const RenderedRequest r = Render(
      StatusFields(TestMessage(), Event(core::MessageState::kDelivered, "DELIVRD"), "ev-1"), t);
  EXPECT_TRUE(r.body.empty());
  EXPECT_TRUE(r.url.starts_with("http://127.0.0.1/hook?token=abc&id=0190f0e1-"));
  EXPECT_NE(r.url.find("&ref1=r%261&"), std::string::npos) << r.url;
  EXPECT_NE(r.url.find("&timestamp=2025-11-26%2010%3A42%3A23&"), std::string::npos) << r.url;
  EXPECT_NE(r.url.find("&ref_custom=%5B%22John%22%2C%22Doe%22%5D&"), std::string::npos) << r.url;
  EXPECT_EQ(r.signed_part, r.url.substr(r.url.find('?') + 1));
  std::string decoded;
  ASSERT_TRUE(core::PercentDecode("r%261", decoded, true));
  EXPECT_EQ(decoded, "r&1");
}

TEST(PayloadTest, BodyTemplate) {
  Target t;
  t.url = "http://h/";
  t.body_template = R"(  {"to":"<recipient>","st":"<status>","n":<segments>,"x":"<nope>"} a<b)";
  const RenderedRequest r = Render(
      StatusFields(TestMessage(), Event(core::MessageState::kDelivered, "DELIVRD"), "ev-1"), t);
  EXPECT_EQ(r.body, R"(  {"to":"919876543210","st":"Delivered","n":2,"x":"<nope>"} a<b)");
  EXPECT_EQ(r.content_type, "application/json");
  t.body_template = "status=<status>&id=<message_id><";
  const RenderedRequest text = Render(
      StatusFields(TestMessage(), Event(core::MessageState::kDelivered, "DELIVRD"), "ev-1"), t);
  EXPECT_EQ(text.body, "status=Delivered&id=0190f0e1-0000-7000-8000-000000000001:1<");
  EXPECT_EQ(text.content_type, "text/plain; charset=utf-8");
}

TEST(PayloadTest, InboundFields) {
  store::InboundDelivery in;
  in.message.id = "in-1";
  in.message.source = "+919811111111";
  in.message.destination = "919900000000";
  in.message.text = "  STOP  all\tplease ";
  in.message.received_at = core::FromUnixMillis(1'764'153'743'000);
  in.number_id = "num-1";
  in.number = "919900000000";
  in.keyword = "STOP";
  const Fields f = InboundFields(in, "in-1");
  EXPECT_EQ(Value(f, "source"), "919811111111");
  EXPECT_EQ(Value(f, "recipient"), "+919900000000");
  EXPECT_EQ(Value(f, "message"), "  STOP  all\tplease ");
  EXPECT_EQ(Value(f, "keyword"), "STOP");
  EXPECT_EQ(Value(f, "id"), "in-1");
  EXPECT_EQ(Value(f, "kid"), "num-1");
  EXPECT_EQ(Value(f, "status"), "SENT");
  EXPECT_EQ(Value(f, "status_trace"), "RECEIVED");
  EXPECT_EQ(Value(f, "timestamp"), "2025-11-26 10:42:23");
  EXPECT_EQ(Value(f, "parts"), R"(["STOP","all","please"])");
  EXPECT_EQ(Value(f, "operator"), "");
  EXPECT_EQ(Value(f, "circle"), "");
  EXPECT_EQ(Value(f, "event_id"), "in-1");

  store::WebhookJob job;
  job.kind = store::WebhookKind::kInbound;
  job.event_id = "in-1";
  job.inbound = in;
  EXPECT_EQ(JobFields(job), f);

  Target t;
  t.url = "http://h/";
  rapidjson::Document doc;
  const RenderedRequest r = Render(f, t);
  doc.Parse(r.body.c_str());
  ASSERT_FALSE(doc.HasParseError()) << r.body;
  ASSERT_TRUE(doc["parts"].IsArray());
  EXPECT_EQ(doc["parts"].Size(), 3u);
}

}  // namespace
}  // namespace smsgw::webhook
