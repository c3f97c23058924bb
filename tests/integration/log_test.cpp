// [log]: JSON lines in a file that SIGHUP reopens after a rotation, and no secret in them.

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "fixture.h"
#include "harness.h"

namespace smsgw::itest {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every line is one JSON object with the four fields; returns how many lines there were.
size_t ExpectJsonLines(const std::string& text) {
  std::istringstream lines(text);
  size_t n = 0;
  for (std::string line; std::getline(lines, line); ++n) {
    Json j = ParseJson(line);
    EXPECT_TRUE(j.ok && j.doc.IsObject()) << line;
    if (!j.ok || !j.doc.IsObject()) {
      continue;
    }
    for (const char* field : {"time", "level", "component", "message"}) {
      EXPECT_TRUE(j.doc.HasMember(field) && j.doc[field].IsString()) << field << " in " << line;
    }
  }
  return n;
}

TEST(LogTest, JsonLinesToAFileThatSighupReopens) {
  Smsgw gw;
  const std::string log = gw.dir().File("smsgw.log");
  gw.set_config(gw.dir().WriteFile(
      "smsgw.toml", "[log]\nformat = \"json\"\nlevel = \"debug\"\nfile = \"" + log + "\"\n"));
  const Account account = gw.CreateAccount("logs");
  const std::string body = "body-that-must-not-be-logged-5c1e";
  gw.AddSecret(body);
  gw.Start();
  ASSERT_NE(gw.port(), 0);
  HttpResponse r = gw.Post("/v1/" + account.sid + "/messages",
                           R"({"to":"+919876543210","sender":"ACMEIN","body":")" + body + R"("})",
                           account.api_key);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string id = MessageIds(r).at(0);
  EXPECT_EQ(WaitFinalOne(gw, account, id).status, "Delivered");

  std::filesystem::rename(log, log + ".1");
  gw.server()->Signal(SIGHUP);
  const auto deadline = Clock::now() + 10s;
  while (ReadFile(log).find("reopened") == std::string::npos && Clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(gw.Stop(), 0);

  const std::string rotated = ReadFile(log + ".1");
  const std::string current = ReadFile(log);
  EXPECT_GT(ExpectJsonLines(rotated), 0u);
  EXPECT_GT(ExpectJsonLines(current), 0u);
  EXPECT_NE(
      rotated.find(R"("component":"smpp","connector":"simulator","message":"smpp[simulator]: )"
                   R"(bound as transceiver)"),
      std::string::npos)
      << rotated;
  EXPECT_NE(current.find(R"("message":"SIGHUP: log file )" + log + " reopened\"}"),
            std::string::npos)
      << current;
  EXPECT_NE(current.find(R"("message":"stopped"})"), std::string::npos);
  for (const std::string& text : {rotated, current}) {
    EXPECT_EQ(text.find(account.api_key), std::string::npos);
    EXPECT_EQ(text.find(body), std::string::npos);
  }
  // Nothing went to stderr but what the file could not take.
  EXPECT_EQ(gw.server()->Stderr(), "");
}

// The harness's check itself: a string serve does print ("listening on") taken for a secret.
TEST(LogTest, TheHarnessCatchesASecretInServesOutput) {
  EXPECT_NONFATAL_FAILURE(
      {
        Smsgw gw;
        gw.AddSecret("smsgw listening on");
        gw.Start();
        gw.Stop();
      },
      "serve wrote a secret");
}

TEST(LogTest, AnUnopenableLogFileStopsServeWithOneLine) {
  Smsgw gw;
  const std::string config =
      gw.dir().WriteFile("smsgw.toml", "[log]\nfile = \"/nonexistent-dir/smsgw.log\"\n");
  CommandResult r = RunCommand({BinaryPath(), "serve", "--listen", "127.0.0.1:0", "--admin-listen",
                                "127.0.0.1:0", "--data", gw.data(), "--config", config});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "smsgw: [log] file /nonexistent-dir/smsgw.log: cannot open: No such file or "
            "directory\n");
}

}  // namespace
}  // namespace smsgw::itest
