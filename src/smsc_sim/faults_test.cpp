#include "smsc_sim/faults.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "smpp/codec/command_status.h"

namespace smsgw::smsc_sim {
namespace {

using smpp::codec::CommandStatus;
using smpp::codec::MessageState;

constexpr uint32_t Raw(CommandStatus s) { return static_cast<uint32_t>(s); }

constexpr Fault kAllFaults[] = {
    Fault::kNone,          Fault::kThrottled,    Fault::kInvalidDest,  Fault::kNoResponse,
    Fault::kUndeliverable, Fault::kExpired,      Fault::kSlowResponse, Fault::kRejected,
    Fault::kQueueFull,     Fault::kReceiptFirst, Fault::kDropLink,     Fault::kNoReceipt,
};

TEST(FaultFor, SelectsByTheLastFourDigits) {
  EXPECT_EQ(FaultFor("919876549991"), Fault::kThrottled);
  EXPECT_EQ(FaultFor("919876549992"), Fault::kInvalidDest);
  EXPECT_EQ(FaultFor("919876549993"), Fault::kNoResponse);
  EXPECT_EQ(FaultFor("919876549994"), Fault::kUndeliverable);
  EXPECT_EQ(FaultFor("919876549995"), Fault::kExpired);
  EXPECT_EQ(FaultFor("919876549996"), Fault::kSlowResponse);
  EXPECT_EQ(FaultFor("919876549997"), Fault::kRejected);
  EXPECT_EQ(FaultFor("919876549998"), Fault::kQueueFull);
  EXPECT_EQ(FaultFor("919876549999"), Fault::kReceiptFirst);
  EXPECT_EQ(FaultFor("919876549990"), Fault::kDropLink);
  EXPECT_EQ(FaultFor("919876549980"), Fault::kNoReceipt);
  EXPECT_EQ(FaultFor("9991"), Fault::kThrottled);
}

TEST(FaultFor, EverythingElseIsAccepted) {
  EXPECT_EQ(FaultFor("919876543210"), Fault::kNone);
  EXPECT_EQ(FaultFor("919876549989"), Fault::kNone);
  EXPECT_EQ(FaultFor("99919"), Fault::kNone);  // the suffix, not a substring
  EXPECT_EQ(FaultFor("991"), Fault::kNone);
  EXPECT_EQ(FaultFor(""), Fault::kNone);
}

TEST(DecideSubmit, EachFaultAnswersAsDocumented) {
  SubmitDecision d = DecideSubmit(Fault::kNone, 1);
  EXPECT_EQ(d.status, 0u);
  EXPECT_EQ(d.timing, ResponseTiming::kNow);
  EXPECT_EQ(d.final_state, MessageState::kDelivered);
  EXPECT_EQ(d.err, "000");

  EXPECT_EQ(DecideSubmit(Fault::kInvalidDest, 1).status, Raw(CommandStatus::kInvalidDestAddress));
  EXPECT_EQ(DecideSubmit(Fault::kInvalidDest, 3).status, Raw(CommandStatus::kInvalidDestAddress));
  EXPECT_EQ(DecideSubmit(Fault::kNoResponse, 1).timing, ResponseTiming::kNever);
  EXPECT_EQ(DecideSubmit(Fault::kSlowResponse, 1).timing, ResponseTiming::kSlow);
  EXPECT_EQ(DecideSubmit(Fault::kSlowResponse, 1).status, 0u);
  EXPECT_EQ(DecideSubmit(Fault::kReceiptFirst, 1).timing, ResponseTiming::kAfterReceipt);
  EXPECT_EQ(DecideSubmit(Fault::kDropLink, 1).timing, ResponseTiming::kCloseLink);
  EXPECT_FALSE(DecideSubmit(Fault::kNoReceipt, 1).receipt);
  EXPECT_EQ(DecideSubmit(Fault::kNoReceipt, 1).status, 0u);
  EXPECT_TRUE(DecideSubmit(Fault::kNone, 1).receipt);

  d = DecideSubmit(Fault::kUndeliverable, 1);
  EXPECT_EQ(d.status, 0u);
  EXPECT_EQ(d.final_state, MessageState::kUndeliverable);
  EXPECT_EQ(d.err, "001");
  EXPECT_EQ(DecideSubmit(Fault::kExpired, 1).final_state, MessageState::kExpired);
  EXPECT_EQ(DecideSubmit(Fault::kRejected, 1).final_state, MessageState::kRejected);
}

TEST(FaultTable, ThrottlesTwoOfEveryThreeSubmitsPerDestination) {
  FaultTable table;
  const uint32_t throttled = Raw(CommandStatus::kThrottled);
  std::vector<uint32_t> a, b;
  for (int i = 0; i < 6; ++i) {
    a.push_back(table.Decide("15550009991").status);
    if (i < 3) {
      b.push_back(table.Decide("15551119991").status);  // interleaved, counted apart
    }
  }
  EXPECT_EQ(a, (std::vector<uint32_t>{throttled, throttled, 0, throttled, throttled, 0}));
  EXPECT_EQ(b, (std::vector<uint32_t>{throttled, throttled, 0}));
}

TEST(FaultTable, QueueFullFollowsTheSamePattern) {
  FaultTable table;
  const uint32_t full = Raw(CommandStatus::kMessageQueueFull);
  EXPECT_EQ(table.Decide("15550009998").status, full);
  EXPECT_EQ(table.Decide("15550009998").status, full);
  const SubmitDecision third = table.Decide("15550009998");
  EXPECT_EQ(third.status, 0u);
  EXPECT_EQ(third.fault, Fault::kQueueFull);
  EXPECT_EQ(third.final_state, MessageState::kDelivered);
}

TEST(FaultTable, ForgetsDestinationsBeyondItsBound) {
  FaultTable table(2);
  EXPECT_NE(table.Decide("10009991").status, 0u);
  EXPECT_NE(table.Decide("20009991").status, 0u);
  EXPECT_NE(table.Decide("30009991").status, 0u);  // a third destination resets the counters
  EXPECT_NE(table.Decide("10009991").status, 0u);  // counting again from 1
  EXPECT_EQ(table.Decide("10009991").status, Raw(CommandStatus::kThrottled));
  EXPECT_EQ(table.Decide("10009991").status, 0u);
}

TEST(FaultTable, OtherFaultsAreNotCounted) {
  FaultTable table;
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(table.Decide("15550009992").status, Raw(CommandStatus::kInvalidDestAddress));
    EXPECT_EQ(table.Decide("15550001234").status, 0u);
  }
}

// docs/simulator.md is what test authors read: every fault must be in its table, by suffix
// and by the name GET /stats uses.
TEST(FaultTable, DocumentedInSimulatorMd) {
  std::ifstream file(std::string(SMSGW_SOURCE_DIR) + "/docs/simulator.md");
  ASSERT_TRUE(file) << "docs/simulator.md is missing";
  std::stringstream doc;
  doc << file.rdbuf();
  for (const Fault fault : kAllFaults) {
    const std::string name(FaultName(fault));
    const std::string row = fault == Fault::kNone
                                ? "| anything else | `none` |"
                                : "| `" + std::string(FaultSuffix(fault)) + "` | `" + name + "` |";
    EXPECT_NE(doc.str().find(row), std::string::npos) << "no row " << row;
    if (fault != Fault::kNone) {
      EXPECT_EQ(FaultFor("4155550" + std::string(FaultSuffix(fault))), fault);
    }
  }
}

}  // namespace
}  // namespace smsgw::smsc_sim
