// The same requests against a server configured for region IN and one for region SG, with the same
// registries (a sender with its DLT entity id, an OTP template approved for that sender, a
// template with no type or senders, a second registered sender): the differences are the region
// rules of core/region.h: allowed types and defaults, DLT (template_id required, the template's
// type and senders enforced, the entity id stored with each message), sender registration
// required by default, entity ids required to register a sender, the callback-profile prefix.

#include <sqlite3.h>

#include <memory>

#include "fixture.h"

namespace smsgw::itest {
namespace {

constexpr const char* kOtpId = "1107160000000000001";
constexpr const char* kAnyId = "1107160000000000002";
constexpr const char* kEntity = "1201159000000000001";

// One configured server with its account and registries.
class RegionServer {
 public:
  explicit RegionServer(const std::string& region) {
    gw_.set_config(gw_.dir().WriteFile("smsgw.toml", "region = " + Quote(region) + "\n"));
    account_ = gw_.CreateAccount("acme");
    gw_.Start();
  }

  bool ok() const { return gw_.port() != 0 && !account_.sid.empty(); }
  const Smsgw& gw() const { return gw_; }
  const Account& account() const { return account_; }

  HttpResponse Post(const std::string& path, const std::string& body) const {
    return gw_.Post(path, body, account_.api_key);
  }
  HttpResponse Send(const std::string& body) const {
    return Post("/v1/" + account_.sid + "/messages", body);
  }
  HttpResponse RegisterSenders(const std::string& body) const {
    return Post("/v1/" + account_.sid + "/sms/sender", body);
  }
  HttpResponse CreateTemplate(const std::string& body) const {
    return Post("/ext/v1/" + account_.sid + "/templates", body);
  }

  // The same registries on both servers (only what both regions accept).
  void Register() const {
    HttpResponse senders = RegisterSenders(std::string(R"({"data":[
        {"sender":"ACMEIN","iso_code":"in","entity_id":")") +
                                           kEntity + R"("},
        {"sender":"OTHERS","iso_code":"in","entity_id":"1201159000000000002"}]})");
    ASSERT_EQ(senders.status, 200) << senders.body;
    ASSERT_EQ(Json(senders)["totalCount"].GetInt(), 2) << senders.body;
    HttpResponse otp =
        CreateTemplate(std::string(R"({"template_id":")") + kOtpId +
                       R"(","text":"Your OTP is {#otp#}","type":"OTP","senders":["ACMEIN"]})");
    ASSERT_EQ(otp.status, 201) << otp.body;
    HttpResponse any = CreateTemplate(std::string(R"({"template_id":")") + kAnyId +
                                      R"(","text":"Hello {#name#}"})");
    ASSERT_EQ(any.status, 201) << any.body;
  }

  // A stored message's column, read from the database the way an operator would.
  std::string StoredColumn(const std::string& message_id, const std::string& column) const {
    sqlite3* db = nullptr;
    const std::string path = gw_.data() + "/smsgw.db";
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      sqlite3_close(db);
      return "<cannot open>";
    }
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> closer(db, sqlite3_close);
    sqlite3_stmt* stmt = nullptr;
    const std::string sql = "SELECT " + column + " FROM messages WHERE id = ?1";
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      return "<" + std::string(sqlite3_errmsg(db)) + ">";
    }
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> finalizer(stmt, sqlite3_finalize);
    sqlite3_bind_text(stmt, 1, message_id.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(stmt) != SQLITE_ROW) {
      return "<no row>";
    }
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    return text == nullptr ? "<null>" : reinterpret_cast<const char*>(text);
  }

 private:
  static rapidjson::Document Json(const HttpResponse& r) {
    rapidjson::Document doc;
    doc.Parse(r.body.c_str());
    if (!doc.IsObject()) {
      doc.SetObject();
    }
    if (!doc.HasMember("totalCount")) {
      doc.AddMember("totalCount", -1, doc.GetAllocator());
    }
    return doc;
  }

  Smsgw gw_;
  Account account_;
};

class RegionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    in_ = std::make_unique<RegionServer>("IN");
    sg_ = std::make_unique<RegionServer>("SG");
    ASSERT_TRUE(in_->ok() && sg_->ok());
    ASSERT_NO_FATAL_FAILURE(in_->Register());
    ASSERT_NO_FATAL_FAILURE(sg_->Register());
  }

  // Sends `body` to both servers.
  std::pair<HttpResponse, HttpResponse> Both(const std::string& body) const {
    return {in_->Send(body), sg_->Send(body)};
  }

  static std::string Otp(const std::string& sender, const std::string& extra = "") {
    return R"({"to":"+919876543210","sender":")" + sender + R"(","template_id":")" + kOtpId +
           R"(","template_data":{"otp":"4821"})" + extra + "}";
  }

  std::unique_ptr<RegionServer> in_, sg_;
};

TEST_F(RegionTest, TemplateIdIsRequiredOnlyInIndia) {
  auto [in, sg] = Both(R"({"to":"+919876543210","sender":"ACMEIN","body":"Hi"})");
  EXPECT_TRUE(IsError(in, 400, "E412", "template_id"));
  ASSERT_EQ(sg.status, 200) << sg.body;
  EXPECT_EQ(Str(BodyJson(sg).doc, "type"), "DEFAULT");
}

TEST_F(RegionTest, TheApprovedTemplateAndSenderWorkInBothAndCarryTheEntityIdOnlyInIndia) {
  auto [in, sg] = Both(Otp("ACMEIN"));
  ASSERT_EQ(in.status, 200) << in.body;
  ASSERT_EQ(sg.status, 200) << sg.body;
  for (const HttpResponse* r : {&in, &sg}) {
    Json json = BodyJson(*r);
    EXPECT_EQ(Str(json.doc, "body"), "Your OTP is 4821");
    EXPECT_EQ(Str(json.doc, "type"), "OTP");
    EXPECT_EQ(Str(json.doc, "template_id"), kOtpId);
  }
  const std::string in_id = MessageIds(in).at(0);
  const std::string sg_id = MessageIds(sg).at(0);
  EXPECT_EQ(in_->StoredColumn(in_id, "entity_id"), kEntity);
  EXPECT_EQ(sg_->StoredColumn(sg_id, "entity_id"), "");
  EXPECT_EQ(in_->StoredColumn(in_id, "template_id"), kOtpId);
  EXPECT_EQ(sg_->StoredColumn(sg_id, "template_id"), kOtpId);
  EXPECT_EQ(in_->StoredColumn(in_id, "body"), "Your OTP is 4821");
}

TEST_F(RegionTest, DefaultTypesDiffer) {
  const std::string hello = std::string(R"({"to":"+919876543210","sender":"ACMEIN",
      "template_id":")") + kAnyId +
                            R"(","template_data":{"name":"Ann"}})";
  auto [in, sg] = Both(hello);
  ASSERT_EQ(in.status, 200) << in.body;
  ASSERT_EQ(sg.status, 200) << sg.body;
  EXPECT_EQ(Str(BodyJson(in).doc, "type"), "MKT");
  EXPECT_EQ(Str(BodyJson(sg).doc, "type"), "DEFAULT");
  EXPECT_EQ(Str(BodyJson(in).doc, "body"), "Hello Ann");
}

TEST_F(RegionTest, TheTemplatesTypeIsEnforcedOnlyInIndia) {
  // OTP is allowed in both regions; the OTP template then decides nothing more in SG.
  auto [in_mkt, sg_mkt] = Both(Otp("ACMEIN", R"(,"type":"MKT")"));
  EXPECT_TRUE(IsError(in_mkt, 400, "E424", "type"));
  EXPECT_TRUE(IsError(sg_mkt, 400, "E407", "type"));  // MKT is no type in SG at all
  auto [in_def, sg_def] = Both(Otp("ACMEIN", R"(,"type":"DEFAULT")"));
  EXPECT_TRUE(IsError(in_def, 400, "E407", "type"));
  ASSERT_EQ(sg_def.status, 200) << sg_def.body;
  EXPECT_EQ(Str(BodyJson(sg_def).doc, "type"), "DEFAULT");
}

TEST_F(RegionTest, TheTemplatesSendersAreEnforcedOnlyInIndia) {
  auto [in, sg] = Both(Otp("OTHERS"));  // registered, but not approved for the OTP template
  EXPECT_TRUE(IsError(in, 400, "E423", "sender"));
  ASSERT_EQ(sg.status, 200) << sg.body;
}

TEST_F(RegionTest, UnregisteredSendersAreRefusedByDefaultOnlyInIndia) {
  const std::string hello = std::string(R"({"to":"+919876543210","sender":"NEWSND",
      "template_id":")") + kAnyId +
                            R"(","template_data":{"name":"Ann"}})";
  auto [in, sg] = Both(hello);
  EXPECT_TRUE(IsError(in, 400, "E422", "sender"));
  ASSERT_EQ(sg.status, 200) << sg.body;

  // The per-account setting overrides the region's default, both ways, at once.
  CommandResult off = in_->gw().Cli(
      {"account", "set", "--sid", in_->account().sid, "--require-registered-senders", "off"});
  ASSERT_EQ(off.exit_code, 0) << off.err;
  CommandResult on = sg_->gw().Cli(
      {"account", "set", "--sid", sg_->account().sid, "--require-registered-senders", "on"});
  ASSERT_EQ(on.exit_code, 0) << on.err;
  auto [in_after, sg_after] = Both(hello);
  ASSERT_EQ(in_after.status, 200) << in_after.body;
  EXPECT_TRUE(IsError(sg_after, 400, "E422", "sender"));
  // An unregistered sender has no entity id to carry.
  EXPECT_EQ(in_->StoredColumn(MessageIds(in_after).at(0), "entity_id"), "");
}

TEST_F(RegionTest, RegisteringASenderNeedsItsEntityIdOnlyInIndia) {
  const std::string body = R"({"data":[{"sender":"NOENTITY","iso_code":"in"}]})";
  EXPECT_TRUE(IsError(in_->RegisterSenders(body), 400, "E457", "data[0].entity_id"));
  EXPECT_EQ(sg_->RegisterSenders(body).status, 200);
  // The CLI applies the same rule from the config's region.
  CommandResult in_cli =
      in_->gw().Cli({"sender", "add", "--sid", in_->account().sid, "--sender", "NOENTITY"});
  EXPECT_NE(in_cli.exit_code, 0);
  EXPECT_NE(in_cli.err.find("entity_id"), std::string::npos) << in_cli.err;
  CommandResult sg_cli =
      sg_->gw().Cli({"sender", "add", "--sid", sg_->account().sid, "--sender", "NOENTITY2"});
  EXPECT_EQ(sg_cli.exit_code, 0) << sg_cli.err;
}

TEST_F(RegionTest, TemplateTypesFollowTheRegion) {
  const std::string txn = R"({"template_id":"1107160000000000003","text":"Txn {#id#}",
                              "type":"TXN"})";
  EXPECT_EQ(in_->CreateTemplate(txn).status, 201);
  EXPECT_TRUE(IsError(sg_->CreateTemplate(txn), 400, "E407", "type"));
}

TEST_F(RegionTest, CallbackProfilePrefixIsTheRegions) {
  const auto create = [](const RegionServer& server) {
    HttpResponse r = server.Post("/ext/v1/" + server.account().sid + "/callback-profiles",
                                 R"({"url":"https://crm.example.com/h"})");
    EXPECT_EQ(r.status, 201) << r.body;
    return Str(BodyJson(r).doc, "id");
  };
  const std::string in_id = create(*in_);
  const std::string sg_id = create(*sg_);
  EXPECT_TRUE(in_id.starts_with("IN_")) << in_id;
  EXPECT_TRUE(sg_id.starts_with("SG_")) << sg_id;
  // Each id used on both servers: the other region refuses its prefix, and the profile belongs
  // to the other server's account anyway.
  const std::string profile = R"(,"callback_profile_id":")";
  auto [in_in, sg_in] = Both(Otp("ACMEIN", profile + in_id + "\""));
  EXPECT_EQ(in_in.status, 200) << in_in.body;
  EXPECT_TRUE(IsError(sg_in, 400, "E417", "callback_profile_id"));
  auto [in_sg, sg_sg] = Both(Otp("ACMEIN", profile + sg_id + "\""));
  EXPECT_TRUE(IsError(in_sg, 400, "E417", "callback_profile_id"));
  EXPECT_EQ(sg_sg.status, 200) << sg_sg.body;
}

}  // namespace
}  // namespace smsgw::itest
