// `serve --config FILE`: bad files stop the start with <file>:<line> and a reason; good ones
// change behaviour.

#include "fixture.h"

namespace smsgw::itest {
namespace {

// Runs serve with `config_text` as its config and expects it to exit non-zero at once, naming
// the file, the line and `reason`.
void ExpectRefused(const std::string& config_text, int line, const std::string& reason) {
  Smsgw gw;
  const std::string file = gw.dir().WriteFile("smsgw.toml", config_text);
  CommandResult r = RunCommand({BinaryPath(), "serve", "--listen", "127.0.0.1:0", "--admin-listen",
                                "127.0.0.1:0", "--data", gw.data(), "--config", file});
  EXPECT_NE(r.exit_code, 0) << "serve accepted:\n" << config_text;
  EXPECT_NE(r.exit_code, -1) << "serve did not exit";
  const std::string output = r.err + r.out;
  EXPECT_NE(output.find(file + ":" + std::to_string(line) + ":"), std::string::npos)
      << "want " << file << ":" << line << " in: " << output;
  EXPECT_NE(output.find(reason), std::string::npos) << "want \"" << reason << "\" in: " << output;
  EXPECT_EQ(output.find("listening"), std::string::npos) << output;
}

TEST(ServeConfig, BadValueIsRefused) {
  ExpectRefused("region = \"SG\"\n[limits]\nmax_body_bytes = 10\n", 3, "max_body_bytes");
}

TEST(ServeConfig, UnknownKeyIsRefused) {
  ExpectRefused("[server]\nlisten = \"127.0.0.1:0\"\nthreads = 4\n", 3, "threads");
}

TEST(ServeConfig, SyntaxErrorIsRefused) { ExpectRefused("\n\n[schedule\n", 3, ""); }

TEST(ServeConfig, BadRegionIsRefused) { ExpectRefused("region = \"XX\"\n", 1, "region"); }

TEST(ServeConfig, MissingFileIsRefused) {
  Smsgw gw;
  const std::string file = gw.data() + "/absent.toml";
  CommandResult r = RunCommand({BinaryPath(), "serve", "--listen", "127.0.0.1:0", "--admin-listen",
                                "127.0.0.1:0", "--data", gw.data(), "--config", file});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.exit_code, -1);
  EXPECT_NE((r.err + r.out).find(file), std::string::npos) << r.err << r.out;
}

TEST(ServeConfig, CliCommandsCheckTheConfigToo) {
  Smsgw gw;
  gw.set_config(gw.dir().WriteFile("smsgw.toml", "[store]\npath = 1\n"));
  CommandResult r = gw.Cli({"account", "create", "--name", "x", "--json"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("smsgw.toml:2:"), std::string::npos) << r.err;
}

// The listen address comes from the file when --listen is absent.
TEST(ServeConfig, ListenFromFile) {
  Smsgw gw;
  const std::string file = gw.dir().WriteFile("smsgw.toml", "[server]\nlisten = \"127.0.0.1:0\"\n");
  auto p = Process::Spawn({BinaryPath(), "serve", "--admin-listen", "127.0.0.1:0", "--data",
                           gw.data(), "--config", file});
  ASSERT_TRUE(p);
  auto line =
      p->WaitForLine(std::regex(R"(smsgw listening on http://127\.0\.0\.1:(\d+))"), kStartTimeout);
  ASSERT_TRUE(line) << p->Stdout() << p->Stderr();
  ASSERT_NE((*line)[1], "0");
  HttpConnection conn(static_cast<uint16_t>(std::stoi((*line)[1])));
  ASSERT_TRUE(conn.connected());
  std::string error;
  auto r = conn.Request("GET", "/", {}, "", &error);
  ASSERT_TRUE(r) << error;
  EXPECT_EQ(r->status, 404);
}

// [store] path puts the database where the file says; the CLI and serve agree on it.
TEST(ServeConfig, StorePathFromFile) {
  Smsgw gw;
  const std::string db = gw.data() + "/elsewhere/my.db";
  gw.set_config(gw.dir().WriteFile("smsgw.toml", "[store]\npath = " + Quote(db) + "\n"));
  const Account account = gw.CreateAccount("acme");
  ASSERT_FALSE(account.sid.empty());
  EXPECT_TRUE(std::filesystem::exists(db));
  gw.Start();
  ASSERT_NE(gw.port(), 0);
  EXPECT_EQ(gw.Post("/v1/" + account.sid + "/messages",
                    R"({"to":"+919876543210","sender":"ACMEIN","body":"Hi"})", account.api_key)
                .status,
            200);
}

// A smaller body limit from the file applies: a 3000-byte request that the default would take
// is refused with 413.
TEST(ServeConfig, MaxBodyBytesFromFile) {
  Smsgw gw;
  gw.set_config(gw.dir().WriteFile("smsgw.toml", "[limits]\nmax_body_bytes = 2048\n"));
  const Account account = gw.CreateAccount("acme");
  gw.Start();
  ASSERT_NE(gw.port(), 0);
  const std::string target = "/v1/" + account.sid + "/messages";
  const std::string big =
      R"({"to":"+919876543210","sender":"ACMEIN","body":")" + std::string(2900, 'a') + "\"}";
  EXPECT_TRUE(IsError(gw.Post(target, big, account.api_key), 413, "E442"));
  EXPECT_EQ(
      gw.Post(target, R"({"to":"+919876543210","sender":"ACMEIN","body":"Hi"})", account.api_key)
          .status,
      200);
}

// [schedule] from the file: min_ahead 0 allows a time 1 minute ahead; max_ahead 1h refuses 2h.
TEST(ServeConfig, ScheduleWindowFromFile) {
  Smsgw gw;
  gw.set_config(
      gw.dir().WriteFile("smsgw.toml", "[schedule]\nmin_ahead = \"0s\"\nmax_ahead = \"1h\"\n"));
  const Account account = gw.CreateAccount("acme");
  gw.Start();
  ASSERT_NE(gw.port(), 0);
  const std::string target = "/v1/" + account.sid + "/messages";
  auto at = [&](std::chrono::seconds ahead) {
    return gw.Post(target,
                   R"({"to":"+919876543210","sender":"ACMEIN","body":"Hi","time":)" +
                       Quote(IsoTimeFromNow(ahead)) + "}",
                   account.api_key);
  };
  EXPECT_EQ(at(std::chrono::minutes(1)).status, 200) << at(std::chrono::minutes(1)).body;
  EXPECT_TRUE(IsError(at(std::chrono::hours(2)), 400, "E410", "time"));
}

// Region IN: the default type becomes MKT, DEFAULT is no longer a type, and TXN is. (The rest of
// the IN rules, against an SG server, is region_test.cpp.)
TEST(ServeConfig, RegionInDefaultsTypeToMkt) {
  Smsgw gw;
  gw.set_config(gw.dir().WriteFile("smsgw.toml", "region = \"in\"\n"));
  const Account account = gw.CreateAccount("acme");
  gw.Start();
  ASSERT_NE(gw.port(), 0);
  // DLT: the sender and the template must be registered first.
  ASSERT_EQ(gw.Post("/v1/" + account.sid + "/sms/sender",
                    R"({"data":[{"sender":"ACMEIN","entity_id":"120115900000"}]})", account.api_key)
                .status,
            200);
  ASSERT_EQ(gw.Post("/ext/v1/" + account.sid + "/templates",
                    R"({"template_id":"101234567890","text":"Hi"})", account.api_key)
                .status,
            201);
  const std::string target = "/v1/" + account.sid + "/messages";
  const std::string base =
      R"({"to":"+919876543210","sender":"ACMEIN","body":"Hi","template_id":"101234567890")";
  HttpResponse r = gw.Post(target, base + "}", account.api_key);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Str(BodyJson(r).doc, "type"), "MKT") << r.body;
  EXPECT_TRUE(IsError(gw.Post(target, base + R"(,"type":"DEFAULT"})", account.api_key), 400, "E407",
                      "type"));
  HttpResponse txn = gw.Post(target, base + R"(,"type":"txn"})", account.api_key);
  ASSERT_EQ(txn.status, 200) << txn.body;
  EXPECT_EQ(Str(BodyJson(txn).doc, "type"), "TXN");
  // DLT: template_id is required in India.
  EXPECT_TRUE(IsError(
      gw.Post(target, R"({"to":"+919876543210","sender":"ACMEIN","body":"Hi"})", account.api_key),
      400, "E412", "template_id"));
}

TEST(ServeConfig, ListenFlagWinsOverFile) {
  Smsgw gw;
  gw.set_config(gw.dir().WriteFile("smsgw.toml", "[server]\nlisten = \"127.0.0.1:1\"\n"));
  gw.CreateAccount("acme");
  gw.Start();  // passes --listen 127.0.0.1:0; port 1 would fail (privileged / in use)
  EXPECT_NE(gw.port(), 0);
  EXPECT_NE(gw.port(), 1);
}

}  // namespace
}  // namespace smsgw::itest
