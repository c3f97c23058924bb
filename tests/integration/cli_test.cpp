// The CLI beside a running server: accounts and keys, first start.

#include "fixture.h"

namespace smsgw::itest {
namespace {

using CliTest = ServerTest;

constexpr const char* kBody = R"({"to":"+919876543210","sender":"ACMEIN","body":"Hi"})";

TEST_F(CliTest, KeyCreatedWhileServingWorksAtOnce) {
  const std::string key = gw_.CreateKey(account_.sid);
  ASSERT_FALSE(key.empty());
  EXPECT_NE(key, account_.api_key);
  EXPECT_EQ(gw_.Post(MessagesPath(), kBody, key).status, 200);
  EXPECT_EQ(gw_.Post(MessagesPath(), kBody, account_.api_key).status, 200);
}

TEST_F(CliTest, KeyRevokedWhileServingFailsAtOnce) {
  const std::string key = gw_.CreateKey(account_.sid);
  ASSERT_FALSE(key.empty());
  // Used (and so possibly cached by the server) before the revocation.
  ASSERT_EQ(gw_.Post(MessagesPath(), kBody, key).status, 200);
  CommandResult r = gw_.Cli({"key", "revoke", "--sid", account_.sid, "--key", key});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(IsError(gw_.Post(MessagesPath(), kBody, key), 401, "E431"));
  // The account's other key is untouched.
  EXPECT_EQ(gw_.Post(MessagesPath(), kBody, account_.api_key).status, 200);
  // Revoking it again fails: it is no longer active.
  CommandResult again = gw_.Cli({"key", "revoke", "--sid", account_.sid, "--key", key});
  EXPECT_NE(again.exit_code, 0);
}

TEST_F(CliTest, RevokingAnUnknownKeyFails) {
  CommandResult r = gw_.Cli(
      {"key", "revoke", "--sid", account_.sid, "--key", "A0123456789abcdef0123456789abcdef"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_FALSE(r.err.empty());
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "want one line: " << r.err;
  // Another account's key cannot be revoked through this SID.
  const Account other = gw_.CreateAccount("other");
  CommandResult cross = gw_.Cli({"key", "revoke", "--sid", account_.sid, "--key", other.api_key});
  EXPECT_NE(cross.exit_code, 0);
  EXPECT_EQ(gw_.Post("/v1/" + other.sid + "/messages", kBody, other.api_key).status, 200);
}

TEST_F(CliTest, KeyCreateForUnknownSidFails) {
  CommandResult r = gw_.Cli({"key", "create", "--sid", "HXSG0000000000SG", "--json"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_FALSE(r.err.empty());
}

TEST_F(CliTest, SmartEncodingSetPerAccountWhileServing) {
  constexpr const char* kCurly =
      R"({"to":"+919876543210","sender":"ACMEIN","body":"\u201cHi\u201d \u2014 see you\u2026"})";
  auto encoding = [&] {
    HttpResponse r = gw_.Post(MessagesPath(), kCurly, account_.api_key);
    EXPECT_EQ(r.status, 200) << r.body;
    Json json = ParseJson(r.body);
    return json.ok ? std::string(json.doc["encoding"].GetString()) : std::string();
  };
  EXPECT_EQ(encoding(), "UCS2");  // the config default is off
  CommandResult on = gw_.Cli({"account", "set", "--sid", account_.sid, "--smart-encoding", "on"});
  ASSERT_EQ(on.exit_code, 0) << on.err;
  EXPECT_EQ(encoding(), "GSM7");  // at once, though the key is cached by the server
  CommandResult reset =
      gw_.Cli({"account", "set", "--sid", account_.sid, "--smart-encoding", "default"});
  ASSERT_EQ(reset.exit_code, 0) << reset.err;
  EXPECT_EQ(encoding(), "UCS2");
  CommandResult bad = gw_.Cli({"account", "set", "--sid", account_.sid, "--smart-encoding", "x"});
  EXPECT_NE(bad.exit_code, 0);
  CommandResult unknown =
      gw_.Cli({"account", "set", "--sid", "HXSG0000000000SG", "--smart-encoding", "on"});
  EXPECT_NE(unknown.exit_code, 0);
}

TEST_F(CliTest, AccountListJson) {
  const Account other = gw_.CreateAccount("other");
  ASSERT_FALSE(gw_.CreateKey(other.sid).empty());
  CommandResult r = gw_.Cli({"account", "list", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json json = ParseJson(r.out);
  ASSERT_TRUE(json.ok) << json.error;
  ASSERT_TRUE(json.doc.IsArray()) << r.out;
  ASSERT_EQ(json.doc.Size(), 2u) << r.out;
  bool saw_acme = false;
  bool saw_other = false;
  for (const auto& a : json.doc.GetArray()) {
    EXPECT_TRUE(a.HasMember("created_at")) << r.out;
    ASSERT_TRUE(a.HasMember("active_keys") && a["active_keys"].IsInt()) << r.out;
    if (Str(a, "sid") == account_.sid) {
      saw_acme = true;
      EXPECT_EQ(Str(a, "name"), "acme");
      EXPECT_EQ(a["active_keys"].GetInt(), 1);
    } else if (Str(a, "sid") == other.sid) {
      saw_other = true;
      EXPECT_EQ(Str(a, "name"), "other");
      EXPECT_EQ(a["active_keys"].GetInt(), 2);
    }
  }
  EXPECT_TRUE(saw_acme && saw_other) << r.out;
  // Human form mentions both SIDs.
  CommandResult text = gw_.Cli({"account", "list"});
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find(account_.sid), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(other.sid), std::string::npos) << text.out;
}

TEST_F(CliTest, AccountCreateHumanOutput) {
  CommandResult r = gw_.Cli({"account", "create", "--name", "human"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("HX"), std::string::npos) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("A[0-9a-f]{32}"))) << r.out;
}

// On the embedded SQLite store the cluster is this one node: its beat, the lease on its one bind
// slot, and what it holds.
TEST_F(CliTest, ClusterStatusShowsTheNodeAndItsBindLease) {
  CommandResult text = gw_.Cli({"cluster", "status"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("nodes: 1 alive, 0 gone"), std::string::npos) << text.out;
  EXPECT_TRUE(std::regex_search(text.out, std::regex(R"(offline slot 0  \S+/\d+:\S+  expires in)")))
      << text.out;
  CommandResult json = gw_.Cli({"cluster", "status", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const Json j = ParseJson(json.out);
  ASSERT_TRUE(j.ok && j.doc.IsObject()) << json.out;
  ASSERT_EQ(j.doc["nodes"].Size(), 1u) << json.out;
  EXPECT_TRUE(j.doc["nodes"][0]["alive"].GetBool());
  ASSERT_EQ(j.doc["binds"].Size(), 1u) << json.out;
  EXPECT_EQ(Str(j.doc["binds"][0], "connector"), "offline");
  EXPECT_EQ(Str(j.doc["binds"][0], "owner"), Str(j.doc["nodes"][0], "owner"));
  EXPECT_TRUE(j.doc["claims"].IsArray());
}

// First start on an empty data dir: an account is created and its SID, key and a curl line are
// printed before the listening line; the key works.
TEST(FirstStart, PrintsUsableCredentials) {
  Smsgw gw;
  gw.Start();
  ASSERT_NE(gw.port(), 0);
  const std::string out = gw.server()->Stdout();
  std::smatch sid;
  ASSERT_TRUE(std::regex_search(out, sid, std::regex(R"(HX[A-Z]{2}\d+[A-Z]{2})"))) << out;
  std::smatch key;
  ASSERT_TRUE(std::regex_search(out, key, std::regex(R"(A[0-9a-f]{32})"))) << out;
  EXPECT_NE(out.find("curl"), std::string::npos) << out;
  EXPECT_LT(out.find("curl"), out.find("listening")) << out;
  HttpResponse r = gw.Post("/v1/" + sid.str() + "/messages", kBody, key.str());
  EXPECT_EQ(r.status, 200) << r.body;
  // The second start finds the account and creates no other.
  ASSERT_EQ(gw.Stop(), 0);
  gw.Start();
  ASSERT_NE(gw.port(), 0);
  EXPECT_FALSE(std::regex_search(gw.server()->Stdout(), std::regex(R"(A[0-9a-f]{32})")))
      << "a key printed again: " << gw.server()->Stdout();
  CommandResult list = gw.Cli({"account", "list", "--json"});
  Json json = ParseJson(list.out);
  ASSERT_TRUE(json.ok && json.doc.IsArray()) << list.out;
  EXPECT_EQ(json.doc.Size(), 1u) << list.out;
}

}  // namespace
}  // namespace smsgw::itest
