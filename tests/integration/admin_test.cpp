// The admin listener of a running serve: /metrics moves as messages flow, /readyz follows the
// only SMSC going away and coming back, the token guards it all, and readiness fails before the
// API stops on SIGTERM.

#include <gtest/gtest.h>

#include <csignal>
#include <optional>
#include <regex>
#include <thread>

#include "external_smsc.h"
#include "harness.h"

namespace smsgw::itest {
namespace {

// The value of the sample `series` (name and labels exactly as written) in a /metrics page.
std::optional<double> Sample(const std::string& page, const std::string& series) {
  const std::string prefix = "\n" + series + " ";
  const size_t at = ("\n" + page).find(prefix);
  if (at == std::string::npos) {
    return std::nullopt;
  }
  return std::stod(page.substr(at + prefix.size() - 1));
}

// Polls `path` until `done(response)`, for up to `timeout`; returns the last response.
template <class Done>
HttpResponse PollAdmin(const Smsgw& gw, const std::string& path, Done done,
                       Clock::duration timeout = 30s) {
  const auto deadline = Clock::now() + timeout;
  HttpResponse r = gw.AdminGet(path);
  while (!done(r) && Clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);
    r = gw.AdminGet(path);
  }
  return r;
}

TEST(AdminTest, MetricsMoveAsMessagesFlowAndReadinessFollowsTheSmsc) {
  Smsgw gw;
  auto smsc = std::make_unique<ExternalSmsc>(gw.dir());
  const uint16_t smsc_port = smsc->port();
  ASSERT_NE(smsc_port, 0);
  gw.set_config(gw.dir().WriteFile("smsgw.toml", SmscConfig(smsc_port)));
  const Account account = gw.CreateAccount("ops");
  gw.Start();
  ASSERT_NE(gw.admin_port(), 0) << gw.server()->Stdout();

  EXPECT_EQ(gw.AdminGet("/healthz").status, 200);
  EXPECT_EQ(PollAdmin(gw, "/readyz", [](const HttpResponse& r) { return r.status == 200; }).status,
            200);

  for (int i = 0; i < 3; ++i) {
    HttpResponse r = gw.Post("/v1/" + account.sid + "/messages",
                             R"({"to":"+9198765432)" + std::to_string(10 + i) +
                                 R"(","sender":"ACMEIN","body":"Hi","type":"OTP"})",
                             account.api_key);
    ASSERT_EQ(r.status, 200) << r.body;
  }
  const std::string delivered = R"(smsgw_messages_finished_total{type="OTP",status="delivered"})";
  HttpResponse page = PollAdmin(gw, "/metrics", [&](const HttpResponse& r) {
    return Sample(r.body, delivered).value_or(0) == 3;
  });
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(Sample(page.body, delivered), 3) << page.body;
  EXPECT_EQ(Sample(page.body, R"(smsgw_messages_accepted_total{type="OTP"})"), 3);
  EXPECT_EQ(Sample(page.body, R"(smsgw_http_requests_total{route="send",code="200"})"), 3);
  EXPECT_EQ(
      Sample(page.body, R"(smsgw_smpp_submits_accepted_total{connector="carrier",session="0"})"),
      3);
  EXPECT_EQ(Sample(page.body, R"(smsgw_smpp_bound{connector="carrier",session="0"})"), 1);
  EXPECT_EQ(Sample(page.body, R"(smsgw_receipts_total{outcome="applied"})"), 3);
  EXPECT_EQ(Sample(page.body, "smsgw_receipt_delay_seconds_count"), 3);
  EXPECT_EQ(Sample(page.body, "smsgw_store_up"), 1);
  EXPECT_GT(Sample(page.body, "smsgw_store_database_bytes").value_or(0), 0);
  EXPECT_EQ(page.body.find(account.sid), std::string::npos);  // no unbounded labels

  // The only SMSC goes away: the bind shows down and the node is not ready.
  ASSERT_EQ(smsc->Stop(), 0);
  HttpResponse unready =
      PollAdmin(gw, "/readyz", [](const HttpResponse& r) { return r.status == 503; });
  EXPECT_EQ(unready.status, 503);
  EXPECT_NE(unready.body.find("no SMSC bound (connectors: carrier)"), std::string::npos)
      << unready.body;
  EXPECT_EQ(
      Sample(gw.AdminGet("/metrics").body, R"(smsgw_smpp_bound{connector="carrier",session="0"})"),
      0);
  EXPECT_EQ(gw.AdminGet("/healthz").status, 200);

  // It comes back on the same port: ready again once the session has rebound.
  smsc = std::make_unique<ExternalSmsc>(gw.dir(), std::vector<std::string>{}, smsc_port);
  ASSERT_EQ(smsc->port(), smsc_port);
  EXPECT_EQ(PollAdmin(
                gw, "/readyz", [](const HttpResponse& r) { return r.status == 200; }, 60s)
                .status,
            200);
  const std::string metrics = gw.AdminGet("/metrics").body;
  EXPECT_GE(Sample(metrics, R"(smsgw_smpp_reconnects_total{connector="carrier",session="0"})")
                .value_or(0),
            1)
      << metrics;
  EXPECT_EQ(gw.Stop(), 0);
}

TEST(AdminTest, TheTokenGuardsEveryPathAndIsNeverEchoed) {
  Smsgw gw;
  const std::string token = "s3cret-admin-token-0123456789";
  gw.set_config(gw.dir().WriteFile("smsgw.toml", "[admin]\ntoken = \"" + token + "\"\n"));
  gw.Start();
  ASSERT_NE(gw.admin_port(), 0);
  for (const char* path : {"/metrics", "/healthz", "/readyz"}) {
    HttpResponse r = gw.AdminGet(path);
    EXPECT_EQ(r.status, 401) << path;
    EXPECT_EQ(r.body.find(token), std::string::npos);
    EXPECT_EQ(gw.AdminGet(path, token + "x").status, 401) << path;
    EXPECT_EQ(gw.AdminGet(path, token).status, 200) << path;
  }
  EXPECT_EQ(gw.AdminGet("/v1/x/messages", token).status, 404);  // not the API
  EXPECT_EQ(gw.Stop(), 0);
  EXPECT_EQ(gw.server()->Stdout().find(token), std::string::npos);
  EXPECT_EQ(gw.server()->Stderr().find(token), std::string::npos);
}

TEST(AdminTest, ABadTokenStopsServeWithoutEchoingIt) {
  Smsgw gw;
  gw.set_config(gw.dir().WriteFile("smsgw.toml", "[admin]\ntoken = \"short secret\"\n"));
  CommandResult r =
      RunCommand({BinaryPath(), "serve", "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0",
                  "--data", gw.data(), "--config", gw.dir().File("smsgw.toml")});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("admin.token must be 16..256 printable ASCII characters"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("short secret"), std::string::npos);
}

TEST(AdminTest, ReadinessFailsBeforeTheApiStops) {
  Smsgw gw;
  gw.set_config(gw.dir().WriteFile("smsgw.toml", "[admin]\nstop_delay = \"2s\"\n"));
  const Account account = gw.CreateAccount("ops");
  gw.Start();
  ASSERT_NE(gw.admin_port(), 0);
  ASSERT_EQ(PollAdmin(gw, "/readyz", [](const HttpResponse& r) { return r.status == 200; }).status,
            200);
  gw.server()->Signal(SIGTERM);
  HttpResponse stopping = PollAdmin(
      gw, "/readyz", [](const HttpResponse& r) { return r.status == 503; }, 2s);
  EXPECT_EQ(stopping.status, 503);
  EXPECT_NE(stopping.body.find("stopping"), std::string::npos) << stopping.body;
  // Within stop_delay the API still takes sends.
  HttpResponse sent =
      gw.Post("/v1/" + account.sid + "/messages",
              R"({"to":"+919876543210","sender":"ACMEIN","body":"Hi"})", account.api_key);
  EXPECT_EQ(sent.status, 200) << sent.body;
  EXPECT_EQ(gw.server()->WaitForExit(kStopTimeout), 0);
}

}  // namespace
}  // namespace smsgw::itest
