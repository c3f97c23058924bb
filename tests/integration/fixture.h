#pragma once
// The usual shape of an integration test: a fresh data dir, one account created through the CLI,
// and `smsgw serve` on 127.0.0.1 port 0. Each test gets its own; the server is stopped by PID
// when the test ends.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "harness.h"

namespace smsgw::itest {

// Valid numbers (checked with libphonenumber), E.164 without '+'.
inline constexpr const char* kIndia = "919876543210";
inline constexpr const char* kIndia2 = "919876543211";
inline constexpr const char* kSingapore = "6591234567";
inline constexpr const char* kUs = "14155550123";

// A config whose only SMSC cannot be reached: accepted messages stay Pending (retried), so tests
// of the API see the states it reports before delivery, without racing the delivery pipeline.
inline constexpr const char* kOfflineSmscConfig =
    "[simulator]\nenabled = false\n"
    "[[smsc]]\nname = \"offline\"\nhost = \"127.0.0.1\"\nport = 1\nsystem_id = \"smsgw\"\n";

class ServerTest : public ::testing::Test {
 protected:
  // The config `serve` starts with; the default keeps messages from being delivered.
  virtual std::string ConfigText() const { return kOfflineSmscConfig; }

  void SetUp() override {
    account_ = gw_.CreateAccount("acme");
    ASSERT_FALSE(HasFailure());
    gw_.set_config(gw_.dir().WriteFile("smsgw.toml", ConfigText()));
    gw_.Start();
    ASSERT_NE(gw_.port(), 0);
  }

  std::string Path(const std::string& version, const std::string& rest) const {
    return "/" + version + "/" + account_.sid + "/" + rest;
  }
  std::string MessagesPath() const { return Path("v1", "messages"); }

  // POST /v1/{sid}/messages with the account's key.
  HttpResponse Send(const std::string& body) const {
    return gw_.Post(MessagesPath(), body, account_.api_key);
  }
  // A one-recipient JSON send with `extra` members appended (",\"k\":v").
  HttpResponse SendSimple(const std::string& extra = "") const {
    return Send(R"({"to":"+919876543210","sender":"ACMEIN","body":"Hello")" + extra + "}");
  }
  // Registers template `id` with `text` for the account (POST /ext/v1/{sid}/templates).
  void RegisterTemplate(const std::string& id, const std::string& text) const {
    HttpResponse r = gw_.Post("/ext/v1/" + account_.sid + "/templates",
                              R"({"template_id":)" + Quote(id) + R"(,"text":)" + Quote(text) + "}",
                              account_.api_key);
    ASSERT_EQ(r.status, 201) << r.body;
  }
  // GET /v1/{sid}/messages/status?message_ids=... with the account's key.
  HttpResponse Status(const std::string& ids, const std::string& rest = "messages/status") const {
    return gw_.Request("GET", Path("v1", rest) + "?message_ids=" + UrlEncode(ids), "",
                       account_.api_key);
  }

  Smsgw gw_;
  Account account_;
};

// The response's JSON, failing the test if it is not a JSON object sent as application/json.
inline Json BodyJson(const HttpResponse& r) {
  Json json = ParseJson(r.body);
  EXPECT_TRUE(json.ok) << "HTTP " << r.status << ": " << json.error;
  EXPECT_TRUE(json.ok && json.doc.IsObject()) << r.body;
  EXPECT_NE(r.Header("content-type").find("application/json"), std::string::npos)
      << "Content-Type: " << r.Header("content-type") << " (HTTP " << r.status << ")";
  if (json.ok && !json.doc.IsObject()) {
    json.ok = false;
  }
  return json;
}

// Kaleyra's error shape with this HTTP status and code, naming `field` under "error" (if given).
inline ::testing::AssertionResult IsError(const HttpResponse& r, int status,
                                          const std::string& code, const std::string& field = "") {
  Json json = ParseJson(r.body);
  if (!json.ok || !json.doc.IsObject()) {
    return ::testing::AssertionFailure() << "HTTP " << r.status << " not a JSON object: " << r.body;
  }
  if (r.status != status || Str(json.doc, "code") != code) {
    return ::testing::AssertionFailure()
           << "want HTTP " << status << " " << code << ", got HTTP " << r.status << ": " << r.body;
  }
  if (Str(json.doc, "message").empty()) {
    return ::testing::AssertionFailure() << "no message: " << r.body;
  }
  if (r.Header("content-type").find("application/json") == std::string::npos) {
    return ::testing::AssertionFailure() << "Content-Type " << r.Header("content-type");
  }
  const auto err = json.doc.FindMember("error");
  if (err == json.doc.MemberEnd() || !err->value.IsObject()) {
    return ::testing::AssertionFailure() << "no \"error\" object: " << r.body;
  }
  if (!field.empty() && !err->value.HasMember(field.c_str())) {
    return ::testing::AssertionFailure()
           << "error does not name field \"" << field << "\": " << r.body;
  }
  return ::testing::AssertionSuccess();
}

// The message ids of a 200 send response, in order.
inline std::vector<std::string> MessageIds(const HttpResponse& r) {
  std::vector<std::string> ids;
  Json json = ParseJson(r.body);
  if (!json.ok || !json.doc.IsObject() || !json.doc.HasMember("data") ||
      !json.doc["data"].IsArray()) {
    return ids;
  }
  for (const auto& item : json.doc["data"].GetArray()) {
    ids.push_back(Str(item, "message_id"));
  }
  return ids;
}

// Delivery statuses as the status API reports them, for tests that wait for messages to settle.
struct StatusEntry {
  std::string status;
  std::string details;
};

// GET /v1/{sid}/messages/status for up to 100 ids at a time.
inline std::map<std::string, StatusEntry> Statuses(const Smsgw& gw, const Account& account,
                                                   const std::vector<std::string>& ids) {
  std::map<std::string, StatusEntry> out;
  for (size_t i = 0; i < ids.size(); i += 100) {
    std::string list;
    for (size_t j = i; j < std::min(ids.size(), i + 100); ++j) {
      list += (list.empty() ? "" : ",") + ids[j];
    }
    HttpResponse r =
        gw.Request("GET", "/v1/" + account.sid + "/messages/status?message_ids=" + UrlEncode(list),
                   "", account.api_key);
    Json json = ParseJson(r.body);
    if (!json.ok || !json.doc.IsObject() || !json.doc.HasMember("data") ||
        !json.doc["data"].IsArray()) {
      ADD_FAILURE() << "status: HTTP " << r.status << " " << r.body;
      return out;
    }
    for (const auto& item : json.doc["data"].GetArray()) {
      out[Str(item, "campaign_id")] = {Str(item, "status"), Str(item, "status_details")};
    }
  }
  return out;
}

inline bool IsFinalStatus(const std::string& s) {
  return s == "Delivered" || s == "UnDelivered" || s == "NotSent";
}

// Waits until every id has a final status (or the deadline); returns the last statuses read.
inline std::map<std::string, StatusEntry> WaitFinal(const Smsgw& gw, const Account& account,
                                                    const std::vector<std::string>& ids,
                                                    Clock::duration timeout = 60s) {
  const auto deadline = Clock::now() + timeout;
  std::map<std::string, StatusEntry> last;
  while (Clock::now() < deadline) {
    last = Statuses(gw, account, ids);
    bool all = last.size() == ids.size();
    for (const auto& [id, e] : last) {
      all = all && IsFinalStatus(e.status);
    }
    if (all) {
      return last;
    }
    std::this_thread::sleep_for(50ms);
  }
  ADD_FAILURE() << "not every message reached a final status within the deadline";
  return last;
}

inline StatusEntry WaitFinalOne(const Smsgw& gw, const Account& account, const std::string& id) {
  return WaitFinal(gw, account, {id})[id];
}

}  // namespace smsgw::itest
