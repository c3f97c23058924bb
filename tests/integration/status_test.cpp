// Status lookups: own, scheduled, foreign and unknown ids, both status paths.

#include "fixture.h"

namespace smsgw::itest {
namespace {

using StatusTest = ServerTest;

struct Entry {
  std::string campaign_id;
  std::string status;
  std::string details;
};

std::vector<Entry> Entries(const HttpResponse& r) {
  std::vector<Entry> out;
  Json json = BodyJson(r);
  if (!json.ok) {
    return out;
  }
  EXPECT_TRUE(json.doc.HasMember("error") && json.doc["error"].IsObject()) << r.body;
  if (!json.doc.HasMember("data") || !json.doc["data"].IsArray()) {
    ADD_FAILURE() << "no data array: " << r.body;
    return out;
  }
  for (const auto& item : json.doc["data"].GetArray()) {
    out.push_back({Str(item, "campaign_id"), Str(item, "status"), Str(item, "status_details")});
  }
  return out;
}

TEST_F(StatusTest, OwnMessageIsQueued) {
  HttpResponse sent = SendSimple();
  ASSERT_EQ(sent.status, 200) << sent.body;
  const std::string id = MessageIds(sent).at(0);
  HttpResponse r = Status(id);
  ASSERT_EQ(r.status, 200) << r.body;
  auto entries = Entries(r);
  ASSERT_EQ(entries.size(), 1u) << r.body;
  EXPECT_EQ(entries[0].campaign_id, id);
  EXPECT_EQ(entries[0].status, "Pending");
  EXPECT_EQ(entries[0].details, "QUEUED");
}

TEST_F(StatusTest, ScheduledMessage) {
  HttpResponse sent = SendSimple(",\"time\":" + Quote(IsoTimeFromNow(std::chrono::hours(3))));
  ASSERT_EQ(sent.status, 200) << sent.body;
  auto entries = Entries(Status(MessageIds(sent).at(0)));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].status, "Pending");
  EXPECT_EQ(entries[0].details, "SCHEDULED");
}

TEST_F(StatusTest, ForeignAndUnknownIdsAreNotFound) {
  const Account other = gw_.CreateAccount("other");
  ASSERT_FALSE(HasFailure());
  HttpResponse foreign_sent =
      gw_.Post("/v1/" + other.sid + "/messages",
               R"({"to":"+6591234567","sender":"OTHER","body":"theirs"})", other.api_key);
  ASSERT_EQ(foreign_sent.status, 200) << foreign_sent.body;
  const std::string foreign = MessageIds(foreign_sent).at(0);
  HttpResponse own_sent = SendSimple();
  ASSERT_EQ(own_sent.status, 200) << own_sent.body;
  const std::string own = MessageIds(own_sent).at(0);
  const std::string unknown = "00000000-0000-4000-8000-000000000000:1";

  HttpResponse r = Status(foreign + "," + own + "," + unknown);
  ASSERT_EQ(r.status, 200) << r.body;
  auto entries = Entries(r);
  ASSERT_EQ(entries.size(), 3u) << r.body;
  EXPECT_EQ(entries[0].campaign_id, foreign);
  EXPECT_EQ(entries[0].status, "NotFound") << "another account's message leaked: " << r.body;
  EXPECT_EQ(entries[0].details, "");
  EXPECT_EQ(entries[1].campaign_id, own);
  EXPECT_EQ(entries[1].status, "Pending");
  EXPECT_EQ(entries[2].campaign_id, unknown);
  EXPECT_EQ(entries[2].status, "NotFound");
  EXPECT_EQ(entries[2].details, "");

  // The owner still sees it.
  HttpResponse theirs =
      gw_.Request("GET", "/v1/" + other.sid + "/messages/status?message_ids=" + UrlEncode(foreign),
                  "", other.api_key);
  auto their_entries = Entries(theirs);
  ASSERT_EQ(their_entries.size(), 1u) << theirs.body;
  EXPECT_EQ(their_entries[0].status, "Pending");
}

TEST_F(StatusTest, GarbageIdIsNotFound) {
  auto entries = Entries(Status("nonsense"));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].status, "NotFound");
}

TEST_F(StatusTest, SmsStatusPath) {
  HttpResponse sent = SendSimple();
  ASSERT_EQ(sent.status, 200) << sent.body;
  HttpResponse r = Status(MessageIds(sent).at(0), "sms/status");
  ASSERT_EQ(r.status, 200) << r.body;
  auto entries = Entries(r);
  ASSERT_EQ(entries.size(), 1u) << r.body;
  EXPECT_EQ(entries[0].details, "QUEUED");
}

TEST_F(StatusTest, EveryRecipientHasItsStatus) {
  HttpResponse sent = Send(R"({"to":"+919876543210,+6591234567","sender":"ACMEIN","body":"Hi"})");
  ASSERT_EQ(sent.status, 200) << sent.body;
  auto ids = MessageIds(sent);
  ASSERT_EQ(ids.size(), 2u);
  auto entries = Entries(Status(ids[0] + "," + ids[1]));
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].campaign_id, ids[0]);
  EXPECT_EQ(entries[1].campaign_id, ids[1]);
  EXPECT_EQ(entries[1].status, "Pending");
}

TEST_F(StatusTest, MissingMessageIdsIsE421) {
  EXPECT_TRUE(IsError(gw_.Request("GET", Path("v1", "messages/status"), "", account_.api_key), 400,
                      "E421", "message_ids"));
  EXPECT_TRUE(IsError(Status(""), 400, "E421", "message_ids"));
}

}  // namespace
}  // namespace smsgw::itest
