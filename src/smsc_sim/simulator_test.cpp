// Component tests: the simulator in-process on 127.0.0.1 port 0, driven by a raw SMPP client.

#include "smsc_sim/simulator.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <rapidjson/document.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <vector>

#include "smpp/codec/command_status.h"
#include "smpp/codec/receipt.h"
#include "smpp/codec/tlv.h"
#include "smsc_sim/test_esme.h"
#include "text/inbound_decoder.h"

namespace smsgw::smsc_sim {
namespace {

using namespace testing;
using codec::BindMode;
using codec::CommandStatus;
using codec::MessageState;

constexpr uint32_t Raw(CommandStatus s) { return static_cast<uint32_t>(s); }

std::string MessageIdOf(const codec::Pdu& pdu) {
  const auto* resp = std::get_if<codec::SubmitSmResp>(&pdu.body);
  return resp ? resp->message_id : "";
}

// A bound transceiver of smsgw:smsgw.
std::unique_ptr<TestEsme> BoundEsme(uint16_t port, BindMode mode = BindMode::kTransceiver,
                                    std::string system_id = "smsgw",
                                    std::string password = "smsgw") {
  auto esme = std::make_unique<TestEsme>(port);
  EXPECT_TRUE(esme->connected());
  auto resp = esme->Bind(mode, std::move(system_id), std::move(password));
  EXPECT_TRUE(resp);
  if (resp) {
    EXPECT_EQ(resp->command_status, 0u);
  }
  return esme;
}

// Submits and returns the response (nullopt if none came).
std::optional<codec::Pdu> SubmitAndWait(TestEsme& esme, codec::SubmitSm sm) {
  return esme.Response(esme.Send(std::move(sm)));
}

TEST(Simulator, BindsEveryKindForConfiguredAccounts) {
  RunningSimulator sim(TestConfig());
  for (const BindMode mode :
       {BindMode::kTransmitter, BindMode::kReceiver, BindMode::kTransceiver}) {
    TestEsme esme(sim.port());
    auto resp = esme.Bind(mode, "other", "secret");
    ASSERT_TRUE(resp);
    EXPECT_EQ(resp->command_status, 0u);
    const auto& body = std::get<codec::BindResp>(resp->body);
    EXPECT_EQ(body.mode, mode);
    EXPECT_EQ(body.system_id, "smsgw-sim");
    EXPECT_EQ(body.tlvs.GetU8(codec::tag::kScInterfaceVersion), 0x34);
  }
  EXPECT_EQ(sim.sim().stats().binds_ok, 3u);
}

TEST(Simulator, RefusesBadBindsWithTheirStatus) {
  RunningSimulator sim(TestConfig());
  TestEsme esme(sim.port());
  auto resp = esme.Bind(BindMode::kTransceiver, "smsgw", "wrong");
  ASSERT_TRUE(resp);
  EXPECT_EQ(resp->command_status, Raw(CommandStatus::kInvalidPassword));
  resp = esme.Bind(BindMode::kTransmitter, "nobody", "smsgw");
  ASSERT_TRUE(resp);
  EXPECT_EQ(resp->command_status, Raw(CommandStatus::kInvalidSystemId));
  EXPECT_TRUE(std::holds_alternative<codec::BindResp>(resp->body));
  // Refusals leave the connection open and unbound: a correct bind still works, once.
  resp = esme.Bind(BindMode::kTransceiver, "smsgw", "smsgw");
  ASSERT_TRUE(resp);
  EXPECT_EQ(resp->command_status, 0u);
  resp = esme.Bind(BindMode::kReceiver, "smsgw", "smsgw");
  ASSERT_TRUE(resp);
  EXPECT_EQ(resp->command_status, Raw(CommandStatus::kAlreadyBound));
  const Stats stats = sim.sim().stats();
  EXPECT_EQ(stats.binds_ok, 1u);
  EXPECT_EQ(stats.binds_refused, 3u);
  EXPECT_EQ(stats.bound, 1u);
}

// What the test of several gateway nodes sharing one account's binds relies on: the simulator
// enforces the budget and reports the most binds it ever saw open at once.
TEST(Simulator, MaxBindsRefusesBindsBeyondTheBudgetUntilOneIsFreed) {
  SimulatorConfig config = TestConfig();
  config.max_binds = 2;
  RunningSimulator sim(config);
  // A transmitter and a receiver of one ESME are two connections, so two binds.
  auto transmitter = BoundEsme(sim.port(), BindMode::kTransmitter);
  auto receiver = BoundEsme(sim.port(), BindMode::kReceiver);
  TestEsme third(sim.port());
  auto resp = third.Bind(BindMode::kTransceiver, "smsgw", "smsgw");
  ASSERT_TRUE(resp);
  EXPECT_TRUE(std::holds_alternative<codec::BindResp>(resp->body));
  EXPECT_EQ(resp->command_status, Raw(CommandStatus::kBindFailed));
  // Refused, the connection stays open and unbound, as after a wrong password.
  resp = SubmitAndWait(third, MakeSubmit("919876543210"));
  ASSERT_TRUE(resp);
  EXPECT_EQ(resp->command_status, Raw(CommandStatus::kInvalidBindStatus));

  // An unbind frees its bind by the time the unbind_resp is out: no waiting.
  ASSERT_TRUE(transmitter->Response(transmitter->Send(codec::Unbind{})));
  resp = third.Bind(BindMode::kTransceiver, "smsgw", "smsgw");
  ASSERT_TRUE(resp);
  EXPECT_EQ(resp->command_status, 0u);

  TestEsme fourth(sim.port());
  resp = fourth.Bind(BindMode::kTransmitter, "smsgw", "smsgw");
  ASSERT_TRUE(resp);
  EXPECT_EQ(resp->command_status, Raw(CommandStatus::kBindFailed));
  // A connection closed without unbind frees its bind once the simulator sees the close.
  receiver->Close();
  ASSERT_TRUE(WaitUntil([&] { return sim.sim().stats().bound == 1; }));
  resp = fourth.Bind(BindMode::kTransmitter, "smsgw", "smsgw");
  ASSERT_TRUE(resp);
  EXPECT_EQ(resp->command_status, 0u);

  const Stats stats = sim.sim().stats();
  EXPECT_EQ(stats.bound, 2u);
  EXPECT_EQ(stats.bound_peak, 2u);
  EXPECT_EQ(stats.binds_ok, 4u);
  EXPECT_EQ(stats.binds_refused, 2u);
  ASSERT_TRUE(stats.bound_by_system_id.contains("smsgw"));
  EXPECT_EQ(stats.bound_by_system_id.at("smsgw").bound, 2u);
  EXPECT_EQ(stats.bound_by_system_id.at("smsgw").peak, 2u);
}

TEST(Simulator, MaxBindsIsPerSystemId) {
  SimulatorConfig config = TestConfig();
  config.max_binds = 1;
  RunningSimulator sim(config);
  auto mine = BoundEsme(sim.port());
  auto other = BoundEsme(sim.port(), BindMode::kTransceiver, "other", "secret");
  TestEsme refused(sim.port());
  auto resp = refused.Bind(BindMode::kTransceiver, "other", "secret");
  ASSERT_TRUE(resp);
  EXPECT_EQ(resp->command_status, Raw(CommandStatus::kBindFailed));

  const Stats stats = sim.sim().stats();
  EXPECT_EQ(stats.bound, 2u);
  EXPECT_EQ(stats.bound_peak, 2u);  // across system_ids
  EXPECT_EQ(stats.binds_refused, 1u);
  ASSERT_TRUE(stats.bound_by_system_id.contains("other"));
  EXPECT_EQ(stats.bound_by_system_id.at("smsgw").peak, 1u);
  EXPECT_EQ(stats.bound_by_system_id.at("other").bound, 1u);
  EXPECT_EQ(stats.bound_by_system_id.at("other").peak, 1u);
}

TEST(Simulator, WithoutMaxBindsEveryBindIsAccepted) {
  RunningSimulator sim(TestConfig());
  std::vector<std::unique_ptr<TestEsme>> esmes;
  for (int i = 0; i < 3; ++i) {
    esmes.push_back(BoundEsme(sim.port()));
  }
  esmes.front()->Close();
  ASSERT_TRUE(WaitUntil([&] { return sim.sim().stats().bound == 2; }));
  EXPECT_EQ(sim.sim().stats().bound_peak, 3u);
  EXPECT_EQ(sim.sim().stats().bound_by_system_id.at("smsgw").peak, 3u);
}

TEST(Simulator, SubmitNeedsATransmittingBind) {
  RunningSimulator sim(TestConfig());
  TestEsme unbound(sim.port());
  auto resp = SubmitAndWait(unbound, MakeSubmit("919876543210"));
  ASSERT_TRUE(resp);
  EXPECT_EQ(resp->command_status, Raw(CommandStatus::kInvalidBindStatus));

  auto receiver = BoundEsme(sim.port(), BindMode::kReceiver);
  resp = SubmitAndWait(*receiver, MakeSubmit("919876543210"));
  ASSERT_TRUE(resp);
  EXPECT_EQ(resp->command_status, Raw(CommandStatus::kInvalidBindStatus));

  auto transmitter = BoundEsme(sim.port(), BindMode::kTransmitter);
  resp = SubmitAndWait(*transmitter, MakeSubmit("919876543210"));
  ASSERT_TRUE(resp);
  EXPECT_EQ(resp->command_status, 0u);
}

TEST(Simulator, AnswersEnquireLinkAndUnbindsOnRequest) {
  RunningSimulator sim(TestConfig());
  auto esme = BoundEsme(sim.port());
  auto resp = esme->Response(esme->Send(codec::EnquireLink{}));
  ASSERT_TRUE(resp);
  EXPECT_TRUE(std::holds_alternative<codec::EnquireLinkResp>(resp->body));
  resp = esme->Response(esme->Send(codec::Unbind{}));
  ASSERT_TRUE(resp);
  EXPECT_TRUE(std::holds_alternative<codec::UnbindResp>(resp->body));
  EXPECT_EQ(resp->command_status, 0u);
  EXPECT_TRUE(esme->WaitClosed());
}

TEST(Simulator, AnswersUnofferedCommandsWithGenericNack) {
  RunningSimulator sim(TestConfig());
  auto esme = BoundEsme(sim.port());
  auto resp = esme->Response(esme->Send(codec::QuerySm{"1", {}}));
  ASSERT_TRUE(resp);
  EXPECT_TRUE(std::holds_alternative<codec::GenericNack>(resp->body));
  EXPECT_EQ(resp->command_status, Raw(CommandStatus::kInvalidCommandId));
}

// A stream that lost its framing (a command_length under the 16-octet header) is answered with
// a generic_nack ESME_RINVCMDLEN, and then the link is closed: the answer is written first.
TEST(Simulator, ABrokenCommandLengthIsNackedBeforeTheClose) {
  RunningSimulator sim(TestConfig());
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(sim.port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
  timeval timeout{5, 0};
  ASSERT_EQ(::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout), 0);
  // command_length 8, enquire_link, status 0, sequence 7.
  const uint8_t broken[16] = {0, 0, 0, 8, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 7};
  ASSERT_EQ(::write(fd, broken, sizeof broken), static_cast<ssize_t>(sizeof broken));
  std::vector<uint8_t> got;
  uint8_t buf[256];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) {
      break;  // closed (or the timeout, which the size check below reports)
    }
    got.insert(got.end(), buf, buf + n);
  }
  ::close(fd);
  ASSERT_EQ(got.size(), 16u) << "no generic_nack before the close";
  auto nack = codec::Decode(got, {});
  ASSERT_TRUE(nack) << nack.error().message;
  EXPECT_TRUE(std::holds_alternative<codec::GenericNack>(nack->body));
  EXPECT_EQ(nack->command_status, Raw(CommandStatus::kInvalidCommandLength));
}

TEST(Simulator, AcceptsWithUniqueHexIdsAndSendsDeliveredReceipts) {
  RunningSimulator sim(TestConfig());
  auto esme = BoundEsme(sim.port());
  std::set<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    auto resp = SubmitAndWait(*esme, MakeSubmit("919876543210"));
    ASSERT_TRUE(resp);
    EXPECT_EQ(resp->command_status, 0u);
    const std::string id = MessageIdOf(*resp);
    EXPECT_FALSE(id.empty());
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 3u);
  std::set<std::string> receipted;
  for (int i = 0; i < 3; ++i) {
    auto receipt = esme->NextDeliverSm();
    ASSERT_TRUE(receipt);
    const auto& sm = std::get<codec::DeliverSm>(receipt->body);
    EXPECT_EQ(sm.esm_class, codec::kEsmClassDeliveryReceipt);
    EXPECT_EQ(sm.source.addr, "919876543210");
    EXPECT_EQ(sm.dest.addr, "ACME");
    auto parsed = codec::ParseReceipt(sm);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->state, MessageState::kDelivered);
    EXPECT_NE(ShortMessageText(*receipt).find("stat:DELIVRD err:000 text:hello"), std::string::npos)
        << ShortMessageText(*receipt);
    EXPECT_EQ(sm.tlvs.GetString(codec::tag::kReceiptedMessageId), parsed->message_id);
    receipted.insert(parsed->message_id);
    esme->Ack(*receipt);
  }
  EXPECT_EQ(receipted, ids);
}

TEST(Simulator, DecimalIds) {
  SimulatorConfig config = TestConfig();
  config.id_format = codec::IdFormat::kDecimal;
  config.first_message_id = 4200;
  RunningSimulator sim(config);
  auto esme = BoundEsme(sim.port());
  auto resp = SubmitAndWait(*esme, MakeSubmit("919876543210"));
  ASSERT_TRUE(resp);
  EXPECT_EQ(MessageIdOf(*resp), "4200");
  resp = SubmitAndWait(*esme, MakeSubmit("919876543210"));
  ASSERT_TRUE(resp);
  EXPECT_EQ(MessageIdOf(*resp), "4201");
}

TEST(Simulator, FailureReceiptsByDestination) {
  RunningSimulator sim(TestConfig());
  auto esme = BoundEsme(sim.port());
  struct Case {
    std::string dest;
    MessageState state;
    std::string text;
  };
  for (const Case& c : {Case{"919876549994", MessageState::kUndeliverable, "stat:UNDELIV err:001"},
                        Case{"919876549995", MessageState::kExpired, "stat:EXPIRED"},
                        Case{"919876549997", MessageState::kRejected, "stat:REJECTD"}}) {
    auto resp = SubmitAndWait(*esme, MakeSubmit(c.dest));
    ASSERT_TRUE(resp);
    EXPECT_EQ(resp->command_status, 0u) << c.dest;
    auto receipt = esme->NextDeliverSm();
    ASSERT_TRUE(receipt) << c.dest;
    const auto& sm = std::get<codec::DeliverSm>(receipt->body);
    EXPECT_EQ(sm.tlvs.GetU8(codec::tag::kMessageState), static_cast<uint8_t>(c.state));
    EXPECT_EQ(sm.tlvs.GetString(codec::tag::kReceiptedMessageId), MessageIdOf(*resp));
    EXPECT_NE(ShortMessageText(*receipt).find(c.text), std::string::npos)
        << ShortMessageText(*receipt);
    esme->Ack(*receipt);
  }
}

TEST(Simulator, ThrottleAndQueueFullRefuseTwoOfThree) {
  RunningSimulator sim(TestConfig());
  auto esme = BoundEsme(sim.port());
  for (const auto& [dest, status] :
       {std::pair{std::string("15550009991"), Raw(CommandStatus::kThrottled)},
        std::pair{std::string("15550009998"), Raw(CommandStatus::kMessageQueueFull)}}) {
    std::vector<uint32_t> statuses;
    for (int i = 0; i < 6; ++i) {
      auto resp = SubmitAndWait(*esme, MakeSubmit(dest, 0));
      ASSERT_TRUE(resp);
      statuses.push_back(resp->command_status);
    }
    EXPECT_EQ(statuses, (std::vector<uint32_t>{status, status, 0, status, status, 0})) << dest;
  }
  const Stats stats = sim.sim().stats();
  EXPECT_EQ(stats.submits_by_fault.at("throttled"), 6u);
  EXPECT_EQ(stats.submits_by_fault.at("queue_full"), 6u);
}

TEST(Simulator, PermanentErrorForInvalidDestination) {
  RunningSimulator sim(TestConfig());
  auto esme = BoundEsme(sim.port());
  auto resp = SubmitAndWait(*esme, MakeSubmit("15550009992"));
  ASSERT_TRUE(resp);
  EXPECT_EQ(resp->command_status, Raw(CommandStatus::kInvalidDestAddress));
  EXPECT_EQ(resp->command_status, 0x0Bu);
}

TEST(Simulator, NoResponseFault) {
  RunningSimulator sim(TestConfig());
  auto esme = BoundEsme(sim.port());
  const uint32_t submit = esme->Send(MakeSubmit("15550009993"));
  // The simulator answers in order, so once the later enquire_link is answered, a response to
  // the submit would have come already.
  ASSERT_TRUE(esme->Response(esme->Send(codec::EnquireLink{})));
  EXPECT_FALSE(esme->Response(submit, 0ms));
  EXPECT_EQ(sim.sim().stats().submits_by_fault.at("no_response"), 1u);
}

TEST(Simulator, SlowResponseFault) {
  RunningSimulator sim(TestConfig());  // slow_response = 300 ms
  auto esme = BoundEsme(sim.port());
  const auto start = Clock::now();
  const uint32_t submit = esme->Send(MakeSubmit("15550009996"));
  // The link stays responsive meanwhile.
  ASSERT_TRUE(esme->Response(esme->Send(codec::EnquireLink{})));
  EXPECT_FALSE(esme->Response(submit, 0ms));
  auto resp = esme->Response(submit);
  ASSERT_TRUE(resp);
  EXPECT_GE(Clock::now() - start, 300ms);
  EXPECT_EQ(resp->command_status, 0u);
  auto receipt = esme->NextDeliverSm();
  ASSERT_TRUE(receipt);
  EXPECT_EQ(
      std::get<codec::DeliverSm>(receipt->body).tlvs.GetString(codec::tag::kReceiptedMessageId),
      MessageIdOf(*resp));
}

TEST(Simulator, ReceiptBeforeResponseFault) {
  RunningSimulator sim(TestConfig());
  auto esme = BoundEsme(sim.port());
  const uint32_t submit = esme->Send(MakeSubmit("15550009999"));
  auto first = esme->Await([](const codec::Pdu&) { return true; });
  ASSERT_TRUE(first);
  ASSERT_TRUE(std::holds_alternative<codec::DeliverSm>(first->body))
      << codec::CommandName(codec::CommandIdOf(*first));
  auto resp = esme->Response(submit);
  ASSERT_TRUE(resp);
  EXPECT_EQ(resp->command_status, 0u);
  EXPECT_EQ(std::get<codec::DeliverSm>(first->body).tlvs.GetString(codec::tag::kReceiptedMessageId),
            MessageIdOf(*resp));
}

TEST(Simulator, DropLinkFault) {
  RunningSimulator sim(TestConfig());
  auto esme = BoundEsme(sim.port());
  const uint32_t submit = esme->Send(MakeSubmit("15550009990"));
  EXPECT_TRUE(esme->WaitClosed());
  EXPECT_FALSE(esme->Response(submit, 0ms));
}

TEST(Simulator, ReceiptsOnlyWhenRegisteredDeliveryAsks) {
  RunningSimulator sim(TestConfig());
  auto esme = BoundEsme(sim.port());
  ASSERT_TRUE(SubmitAndWait(*esme, MakeSubmit("919876543210", 0)));   // none
  ASSERT_TRUE(SubmitAndWait(*esme, MakeSubmit("919876543211", 2)));   // failure only: delivered
  auto failed = SubmitAndWait(*esme, MakeSubmit("919876549994", 2));  // failure only: UNDELIV
  ASSERT_TRUE(failed);
  // Receipts go out in submit order (same delay), so the first one must be the failure's.
  auto receipt = esme->NextDeliverSm();
  ASSERT_TRUE(receipt);
  EXPECT_EQ(
      std::get<codec::DeliverSm>(receipt->body).tlvs.GetString(codec::tag::kReceiptedMessageId),
      MessageIdOf(*failed));
}

TEST(Simulator, MaxRateThrottles) {
  SimulatorConfig config = TestConfig();
  config.max_rate = 2;
  RunningSimulator sim(config);
  auto esme = BoundEsme(sim.port());
  std::vector<uint32_t> sequences;
  for (int i = 0; i < 12; ++i) {
    sequences.push_back(esme->Send(MakeSubmit("919876543210", 0)));
  }
  int ok = 0, throttled = 0;
  for (const uint32_t seq : sequences) {
    auto resp = esme->Response(seq);
    ASSERT_TRUE(resp);
    if (resp->command_status == 0) {
      ++ok;
    } else if (resp->command_status == Raw(CommandStatus::kThrottled)) {
      ++throttled;
    }
  }
  // A full bucket of 2, plus what refilled while the 12 arrived (milliseconds; 2 s of stalls
  // on a loaded machine would still stay within the bound).
  EXPECT_GE(ok, 2);
  EXPECT_LE(ok, 6);
  EXPECT_EQ(ok + throttled, 12);
  EXPECT_EQ(sim.sim().stats().submits_by_fault.at("rate_limited"),
            static_cast<uint64_t>(throttled));
}

TEST(Simulator, ReceiptsWaitForAReceiverOfTheirSystemId) {
  RunningSimulator sim(TestConfig());
  auto transmitter = BoundEsme(sim.port(), BindMode::kTransmitter);
  auto other = BoundEsme(sim.port(), BindMode::kReceiver, "other", "secret");
  auto resp = SubmitAndWait(*transmitter, MakeSubmit("919876543210"));
  ASSERT_TRUE(resp);
  ASSERT_TRUE(WaitUntil([&] { return sim.sim().stats().deliveries_queued == 1; }));
  auto receiver = BoundEsme(sim.port(), BindMode::kReceiver);
  auto receipt = receiver->NextDeliverSm();
  ASSERT_TRUE(receipt);
  EXPECT_EQ(
      std::get<codec::DeliverSm>(receipt->body).tlvs.GetString(codec::tag::kReceiptedMessageId),
      MessageIdOf(*resp));
  receiver->Ack(*receipt);
  EXPECT_EQ(sim.sim().stats().deliveries_queued, 0u);
  EXPECT_TRUE(other->Drain().empty()) << "a receipt went to another system_id";
}

TEST(Simulator, UnacknowledgedReceiptIsDeliveredAgainAfterReconnect) {
  RunningSimulator sim(TestConfig());
  std::string id;
  {
    auto esme = BoundEsme(sim.port());
    auto resp = SubmitAndWait(*esme, MakeSubmit("919876543210"));
    ASSERT_TRUE(resp);
    id = MessageIdOf(*resp);
    ASSERT_TRUE(esme->NextDeliverSm());  // not acknowledged
  }
  auto esme = BoundEsme(sim.port());
  auto again = esme->NextDeliverSm();
  ASSERT_TRUE(again);
  EXPECT_EQ(std::get<codec::DeliverSm>(again->body).tlvs.GetString(codec::tag::kReceiptedMessageId),
            id);
}

TEST(Simulator, TemporaryDeliverErrorIsRetried) {
  RunningSimulator sim(TestConfig());  // deliver_retry = 50 ms
  auto esme = BoundEsme(sim.port());
  ASSERT_TRUE(SubmitAndWait(*esme, MakeSubmit("919876543210")));
  auto first = esme->NextDeliverSm();
  ASSERT_TRUE(first);
  esme->Ack(*first, Raw(CommandStatus::kTemporaryAppError));
  auto second = esme->NextDeliverSm();
  ASSERT_TRUE(second);
  EXPECT_EQ(std::get<codec::DeliverSm>(second->body).short_message,
            std::get<codec::DeliverSm>(first->body).short_message);
  esme->Ack(*second, Raw(CommandStatus::kPermanentAppError));  // dropped, not retried
  ASSERT_TRUE(WaitUntil([&] { return sim.sim().stats().deliveries_dropped == 1; }));
}

// Three UDH parts of one message; returns their ids in part order.
std::vector<std::string> SubmitThreeParts(TestEsme& esme, bool sar) {
  std::vector<std::string> ids;
  for (uint8_t part = 1; part <= 3; ++part) {
    codec::SubmitSm sm = MakeSubmit("919876543210", 1, "part");
    if (sar) {
      codec::SetSar(sm.tlvs, {77, 3, part});
    } else {
      sm.esm_class = 0x40;
      const std::vector<uint8_t> udh = {0x05, 0x00, 0x03, 0x4D, 0x03, part};
      sm.short_message.insert(sm.short_message.begin(), udh.begin(), udh.end());
    }
    auto resp = SubmitAndWait(esme, std::move(sm));
    EXPECT_TRUE(resp);
    ids.push_back(resp ? MessageIdOf(*resp) : "");
  }
  return ids;
}

std::string ReceiptedId(const codec::Pdu& pdu) {
  return std::get<codec::DeliverSm>(pdu.body)
      .tlvs.GetString(codec::tag::kReceiptedMessageId)
      .value_or("");
}

TEST(Simulator, MultipartReceiptsPerPart) {
  RunningSimulator sim(TestConfig());
  auto esme = BoundEsme(sim.port());
  const std::vector<std::string> ids = SubmitThreeParts(*esme, false);
  std::vector<std::string> receipted;
  for (int i = 0; i < 3; ++i) {
    auto receipt = esme->NextDeliverSm();
    ASSERT_TRUE(receipt);
    receipted.push_back(ReceiptedId(*receipt));
    esme->Ack(*receipt);
  }
  EXPECT_EQ(receipted, ids);
}

TEST(Simulator, MultipartReceiptsLastPartOnly) {
  SimulatorConfig config = TestConfig();
  config.multipart_receipts = MultipartReceipts::kLastPart;
  RunningSimulator sim(config);
  auto esme = BoundEsme(sim.port());
  for (const bool sar : {false, true}) {
    const std::vector<std::string> ids = SubmitThreeParts(*esme, sar);
    auto marker = SubmitAndWait(*esme, MakeSubmit("919876543219"));
    ASSERT_TRUE(marker);
    // In submit order: the last part's receipt, then the single message's; none for parts 1, 2.
    auto receipt = esme->NextDeliverSm();
    ASSERT_TRUE(receipt);
    EXPECT_EQ(ReceiptedId(*receipt), ids[2]) << (sar ? "sar" : "udh");
    esme->Ack(*receipt);
    receipt = esme->NextDeliverSm();
    ASSERT_TRUE(receipt);
    EXPECT_EQ(ReceiptedId(*receipt), MessageIdOf(*marker));
    esme->Ack(*receipt);
  }
}

TEST(Simulator, MuteAnswersNothingUntilUnmuted) {
  RunningSimulator sim(TestConfig());
  auto esme = BoundEsme(sim.port());
  sim.sim().SetMute(true);
  ASSERT_TRUE(WaitUntil([&] {
    // SetMute is posted; an unanswered enquire_link proves it took effect.
    const uint32_t seq = esme->Send(codec::EnquireLink{});
    return !esme->Response(seq, 100ms);
  }));
  const uint32_t submit = esme->Send(MakeSubmit("919876543210"));
  EXPECT_FALSE(esme->Response(submit, 300ms));
  sim.sim().SetMute(false);
  auto resp = esme->Response(esme->Send(codec::EnquireLink{}));
  ASSERT_TRUE(resp);
  EXPECT_FALSE(esme->Response(submit, 0ms)) << "requests read while muted stay unanswered";
}

TEST(Simulator, ReceiptsWaitOutTheMute) {
  SimulatorConfig config = TestConfig();
  config.receipt_delay = 200ms;
  RunningSimulator sim(config);
  auto esme = BoundEsme(sim.port());
  auto resp = SubmitAndWait(*esme, MakeSubmit("919876543210"));
  ASSERT_TRUE(resp);
  sim.sim().SetMute(true);
  ASSERT_TRUE(WaitUntil([&] { return sim.sim().stats().deliveries_queued == 1; }));
  EXPECT_FALSE(esme->NextDeliverSm(0ms));
  sim.sim().SetMute(false);
  auto receipt = esme->NextDeliverSm();
  ASSERT_TRUE(receipt);
  EXPECT_EQ(ReceiptedId(*receipt), MessageIdOf(*resp));
}

TEST(Simulator, DropConnectionsBySystemId) {
  RunningSimulator sim(TestConfig());
  auto mine = BoundEsme(sim.port());
  auto other = BoundEsme(sim.port(), BindMode::kTransceiver, "other", "secret");
  sim.sim().DropConnections("other");
  EXPECT_TRUE(other->WaitClosed());
  ASSERT_TRUE(mine->Response(mine->Send(codec::EnquireLink{})));
  sim.sim().DropConnections();
  EXPECT_TRUE(mine->WaitClosed());
}

TEST(Simulator, UnbindAllWaitsForUnbindResp) {
  RunningSimulator sim(TestConfig());
  auto esme = BoundEsme(sim.port());
  TestEsme unbound(sim.port());
  sim.sim().UnbindAll();
  auto unbind = esme->Await(
      [](const codec::Pdu& p) { return std::holds_alternative<codec::Unbind>(p.body); });
  ASSERT_TRUE(unbind);
  esme->SendPdu(codec::Pdu{0, unbind->sequence_number, codec::UnbindResp{}});
  EXPECT_TRUE(esme->WaitClosed());
  // Only bound connections are unbound.
  ASSERT_TRUE(unbound.Response(unbound.Send(codec::EnquireLink{})));
  EXPECT_TRUE(unbound.Drain().empty());
}

TEST(Simulator, UnbindWithoutAnswerClosesAfterTheTimeout) {
  SimulatorConfig config = TestConfig();
  config.unbind_timeout = 100ms;
  RunningSimulator sim(config);
  auto esme = BoundEsme(sim.port());
  sim.sim().UnbindAll();
  EXPECT_TRUE(esme->WaitClosed());
}

TEST(Simulator, ClosesIdleConnections) {
  SimulatorConfig config = TestConfig();
  config.idle_limit = 200ms;
  RunningSimulator sim(config);
  TestEsme esme(sim.port());
  const auto start = Clock::now();
  EXPECT_TRUE(esme.WaitClosed());
  EXPECT_GE(Clock::now() - start, 150ms);
}

TEST(Simulator, InjectMoThroughTheApi) {
  RunningSimulator sim(TestConfig());
  auto refused = sim.sim().InjectMo({"+14155550100", "56767", "hi"}).get();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::Errc::kUnavailable);

  auto transmitter = BoundEsme(sim.port(), BindMode::kTransmitter);
  EXPECT_FALSE(sim.sim().InjectMo({"+14155550100", "56767", "hi"}).get())
      << "a transmitter receives no MO";
  auto receiver = BoundEsme(sim.port(), BindMode::kReceiver);
  EXPECT_FALSE(sim.sim().InjectMo({"+14155550100", "56767", "hi", {}, "other"}).get());

  std::string text;
  for (int i = 0; i < 12; ++i) {
    text += "Ünïcødé ✓ ";  // UCS-2 for the check mark: 120 units, 2 parts
  }
  auto sent = sim.sim().InjectMo({"+14155550100", "56767", text, {}, "smsgw"}).get();
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->encoding, core::Encoding::kUcs2);
  ASSERT_EQ(sent->sequence_numbers.size(), 2u);
  std::string reassembled;
  for (const uint32_t seq : sent->sequence_numbers) {
    auto part = receiver->NextDeliverSm();
    ASSERT_TRUE(part);
    EXPECT_EQ(part->sequence_number, seq);
    const auto& sm = std::get<codec::DeliverSm>(part->body);
    EXPECT_EQ(sm.source, (codec::Address{1, 1, "14155550100"}));
    EXPECT_EQ(sm.dest, (codec::Address{3, 0, "56767"}));
    EXPECT_EQ(sm.esm_class, 0x40);
    auto decoded = text::DecodeInbound(sm.data_coding, sm.short_message, {.udhi = true});
    ASSERT_TRUE(decoded);
    reassembled += decoded->utf8;
    receiver->Ack(*part);
  }
  EXPECT_EQ(reassembled, text);
  EXPECT_EQ(sim.sim().stats().mo_sent, 1u);
}

TEST(Simulator, LogsEveryPduAsJsonLines) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("smsc_sim_log_" + std::to_string(getpid()));
  std::filesystem::remove(path);
  SimulatorConfig config = TestConfig();
  config.log_path = path.string();
  {
    RunningSimulator sim(config);
    auto esme = BoundEsme(sim.port());
    auto resp = SubmitAndWait(*esme, MakeSubmit("919876543210"));
    ASSERT_TRUE(resp);
    auto receipt = esme->NextDeliverSm();
    ASSERT_TRUE(receipt);
    esme->Ack(*receipt);
    ASSERT_TRUE(WaitUntil([&] { return sim.sim().stats().received.contains("deliver_sm_resp"); }));
  }
  std::ifstream file(path);
  std::vector<std::string> commands;
  std::string line, submit_id, resp_id, receipt_id;
  while (std::getline(file, line)) {
    rapidjson::Document doc;
    doc.Parse(line.c_str());
    ASSERT_FALSE(doc.HasParseError()) << line;
    const std::string command = doc["command"].GetString();
    commands.push_back(std::string(doc["dir"].GetString()) + " " + command);
    if (command == "submit_sm") {
      EXPECT_STREQ(doc["dest"].GetString(), "919876543210");
      EXPECT_STREQ(doc["short_message"].GetString(), "68656c6c6f");  // "hello"
      EXPECT_STREQ(doc["system_id"].GetString(), "smsgw");
      submit_id = doc["message_id"].GetString();
    } else if (command == "submit_sm_resp") {
      resp_id = doc["message_id"].GetString();
    } else if (command == "deliver_sm") {
      EXPECT_EQ(doc["esm_class"].GetUint(), 4u);
      receipt_id = doc["message_id"].GetString();
    }
  }
  EXPECT_EQ(commands, (std::vector<std::string>{"in bind_transceiver", "out bind_transceiver_resp",
                                                "in submit_sm", "out submit_sm_resp",
                                                "out deliver_sm", "in deliver_sm_resp"}));
  EXPECT_FALSE(submit_id.empty());
  EXPECT_EQ(submit_id, resp_id);
  EXPECT_EQ(submit_id, receipt_id);
  std::filesystem::remove(path);
}

TEST(Simulator, CountsPdusAndConnections) {
  RunningSimulator sim(TestConfig());
  {
    auto esme = BoundEsme(sim.port());
    ASSERT_TRUE(SubmitAndWait(*esme, MakeSubmit("919876543210", 0)));
    ASSERT_TRUE(SubmitAndWait(*esme, MakeSubmit("919876549992", 0)));
    const Stats stats = sim.sim().stats();
    EXPECT_EQ(stats.connections_open, 1u);
    EXPECT_EQ(stats.received.at("submit_sm"), 2u);
    EXPECT_EQ(stats.sent.at("submit_sm_resp"), 2u);
    EXPECT_EQ(stats.submits_by_fault.at("none"), 1u);
    EXPECT_EQ(stats.submits_by_fault.at("invalid_dest"), 1u);
  }
  ASSERT_TRUE(WaitUntil([&] { return sim.sim().stats().connections_open == 0; }));
  EXPECT_EQ(sim.sim().stats().connections_total, 1u);
  EXPECT_EQ(sim.sim().stats().bound, 0u);
}

}  // namespace
}  // namespace smsgw::smsc_sim
