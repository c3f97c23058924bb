// `smsgw smpp-send` against `smsgw smsc-sim`: both real binaries, over 127.0.0.1. The fault
// numbers are the simulator's (docs/simulator.md).

#include <gtest/gtest.h>

#include "harness.h"

namespace smsgw::itest {
namespace {

class SmppCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_ = Process::Spawn({BinaryPath(), "smsc-sim", "--listen", "127.0.0.1:0", "--account",
                           "op:pw", "--receipt-delay", "10"});
    ASSERT_TRUE(sim_);
    const auto line =
        sim_->WaitForLine(std::regex(R"(listening on 127\.0\.0\.1:(\d+))"), kStartTimeout);
    ASSERT_TRUE(line) << sim_->Stderr();
    port_ = (*line)[1];
  }
  void TearDown() override {
    if (sim_) {
      EXPECT_EQ(sim_->Stop(), 0) << sim_->Stderr();
    }
  }

  CommandResult Send(std::vector<std::string> extra) {
    std::vector<std::string> argv = {BinaryPath(), "smpp-send", "--host", "127.0.0.1",   "--port",
                                     port_,        "--from",    "SMSGW",  "--system-id", "op",
                                     "--password", "pw",        "--json"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return RunCommand(argv);
  }

  std::unique_ptr<Process> sim_;
  std::string port_;
};

TEST_F(SmppCliTest, SendsAMultipartMessageAndWaitsForEveryReceipt) {
  const CommandResult r =
      Send({"--to", "+14155550100", "--text", std::string(200, 'a'), "--wait-receipt", "20"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  Json report = ParseJson(r.out);
  ASSERT_TRUE(report.ok) << r.out;
  ASSERT_EQ(report.doc["parts"].Size(), 2u);
  EXPECT_EQ(report.doc["receipts"].Size(), 2u);
  EXPECT_TRUE(report.doc["all_receipts"].GetBool());
  EXPECT_EQ(Str(report.doc["receipts"][0], "stat"), "DELIVRD");
  EXPECT_EQ(Str(report.doc, "encoding"), "GSM7");
}

TEST_F(SmppCliTest, TransmitterBindWaitsForReceiptsOnAReceiver) {
  const CommandResult r = Send({"--to", "+14155550100", "--text", "Привет", "--bind", "transmitter",
                                "--wait-receipt", "20"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  Json report = ParseJson(r.out);
  ASSERT_TRUE(report.ok) << r.out;
  EXPECT_EQ(Str(report.doc, "encoding"), "UCS2");
  EXPECT_TRUE(report.doc["all_receipts"].GetBool());
}

TEST_F(SmppCliTest, AFailedReceiptIsReportedButTheSubmitSucceeded) {
  const CommandResult r = Send({"--to", "+14155559994", "--text", "hello", "--wait-receipt", "20"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;  // accepted and a receipt came: the link works
  Json report = ParseJson(r.out);
  ASSERT_TRUE(report.ok) << r.out;
  EXPECT_EQ(Str(report.doc["receipts"][0], "stat"), "UNDELIV");
}

TEST_F(SmppCliTest, RefusedSubmitExitsNonZero) {
  const CommandResult r = Send({"--to", "+14155559992", "--text", "hello"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  Json report = ParseJson(r.out);
  ASSERT_TRUE(report.ok) << r.out;
  EXPECT_EQ(Str(report.doc["parts"][0], "status"), "ESME_RINVDSTADR");
}

TEST_F(SmppCliTest, BadCredentialsAndBadInputAreOneLineErrors) {
  std::vector<std::string> argv = {BinaryPath(),  "smpp-send",    "--host",     "127.0.0.1",
                                   "--port",      port_,          "--from",     "SMSGW",
                                   "--to",        "+14155550100", "--text",     "hi",
                                   "--system-id", "op",           "--password", "nope"};
  CommandResult r = RunCommand(argv);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("bind refused: ESME_RINVPASWD"), std::string::npos) << r.err;

  argv.back() = "pw";
  argv.push_back("--unicode");
  argv.push_back("0");
  argv[11] = "Привет";  // --text: not GSM-7, and GSM-7 was demanded
  r = RunCommand(argv);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("smsgw: "), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(SmppCli, UnreachableSmscFailsAtOnce) {
  // Port 1 on loopback: nothing listens, the connection is refused at once, and smpp-send
  // says so instead of backing off and retrying.
  const CommandResult r =
      RunCommand({BinaryPath(), "smpp-send", "--host", "127.0.0.1", "--port", "1", "--system-id",
                  "x", "--password", "y", "--from", "A", "--to", "+14155550100", "--text", "hi"},
                 std::chrono::seconds(40));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("cannot connect and bind to 127.0.0.1:1: Connection refused"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace smsgw::itest
