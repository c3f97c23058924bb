// Component tests of the control endpoint: real HTTP to a simulator in-process on port 0.

#include "smsc_sim/control_server.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "smpp/codec/tlv.h"
#include "smsc_sim/test_esme.h"
#include "text/inbound_decoder.h"

namespace smsgw::smsc_sim {
namespace {

using namespace testing;
using codec::BindMode;

rapidjson::Document Parse(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.c_str());
  EXPECT_FALSE(doc.HasParseError()) << body;
  return doc;
}

std::unique_ptr<TestEsme> Bound(uint16_t port, BindMode mode, const std::string& id,
                                const std::string& password) {
  auto esme = std::make_unique<TestEsme>(port);
  auto resp = esme->Bind(mode, id, password);
  EXPECT_TRUE(resp && resp->command_status == 0);
  return esme;
}

TEST(ControlServer, MoIsRefusedWhileNoReceiverIsBound) {
  RunningSimulator sim(TestConfig(), true);
  const HttpResult r = HttpCall(sim.control_port(), "POST", "/mo",
                                R"({"from":"+14155550100","to":"56767","text":"hi"})");
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(Parse(r.body).HasMember("error"));
}

TEST(ControlServer, InjectsAGsm7Mo) {
  RunningSimulator sim(TestConfig(), true);
  auto esme = Bound(sim.port(), BindMode::kReceiver, "smsgw", "smsgw");
  const HttpResult r =
      HttpCall(sim.control_port(), "POST", "/mo",
               R"({"from":"+14155550100","to":"56767","text":"STOP {now}","encoding":"gsm7"})");
  ASSERT_EQ(r.status, 200) << r.body;
  rapidjson::Document doc = Parse(r.body);
  EXPECT_STREQ(doc["system_id"].GetString(), "smsgw");
  EXPECT_STREQ(doc["encoding"].GetString(), "GSM7");
  EXPECT_EQ(doc["parts"].GetUint(), 1u);
  auto mo = esme->NextDeliverSm();
  ASSERT_TRUE(mo);
  EXPECT_EQ(mo->sequence_number, doc["sequence_numbers"][0].GetUint());
  const auto& sm = std::get<codec::DeliverSm>(mo->body);
  EXPECT_EQ(sm.esm_class, 0);
  EXPECT_EQ(sm.data_coding, 0);
  EXPECT_EQ(sm.source.addr, "14155550100");
  EXPECT_EQ(sm.dest.addr, "56767");
  auto text = text::DecodeInbound(sm.data_coding, sm.short_message);
  ASSERT_TRUE(text);
  EXPECT_EQ(text->utf8, "STOP {now}");
  esme->Ack(*mo);
}

TEST(ControlServer, InjectsAMultipartUcs2MoWithSarToTheNamedSystemId) {
  RunningSimulator sim(TestConfig(), true);
  auto smsgw = Bound(sim.port(), BindMode::kTransceiver, "smsgw", "smsgw");
  auto other = Bound(sim.port(), BindMode::kTransceiver, "other", "secret");
  std::string text;
  for (int i = 0; i < 20; ++i) {
    text += "привет ";  // 140 units: 3 parts of at most 67
  }
  const std::string body = R"({"from":"+14155550100","to":"56767","text":")" + text +
                           R"(","encoding":"ucs2","system_id":"other","concat":"sar"})";
  const HttpResult r = HttpCall(sim.control_port(), "POST", "/mo", body);
  ASSERT_EQ(r.status, 200) << r.body;
  rapidjson::Document doc = Parse(r.body);
  EXPECT_STREQ(doc["system_id"].GetString(), "other");
  ASSERT_EQ(doc["parts"].GetUint(), 3u);
  std::string reassembled;
  for (int i = 0; i < 3; ++i) {
    auto part = other->NextDeliverSm();
    ASSERT_TRUE(part);
    const auto& sm = std::get<codec::DeliverSm>(part->body);
    EXPECT_EQ(sm.data_coding, 0x08);
    auto sar = codec::GetSar(sm.tlvs);
    ASSERT_TRUE(sar);
    EXPECT_EQ(sar->total_segments, 3);
    EXPECT_EQ(sar->segment_seqnum, i + 1);
    reassembled += text::DecodeInbound(sm.data_coding, sm.short_message)->utf8;
    other->Ack(*part);
  }
  EXPECT_EQ(reassembled, text);
  ASSERT_TRUE(smsgw->Response(smsgw->Send(codec::EnquireLink{})));
  EXPECT_TRUE(smsgw->Drain().empty());
}

TEST(ControlServer, RefusesBadMoRequests) {
  RunningSimulator sim(TestConfig(), true);
  auto esme = Bound(sim.port(), BindMode::kReceiver, "smsgw", "smsgw");
  EXPECT_EQ(HttpCall(sim.control_port(), "POST", "/mo", "{not json").status, 400);
  EXPECT_EQ(HttpCall(sim.control_port(), "POST", "/mo", R"({"from":"+1","to":"2"})").status, 400);
  EXPECT_EQ(HttpCall(sim.control_port(), "POST", "/mo",
                     R"({"from":"+14155550100","to":"56767","text":"✓","encoding":"gsm7"})")
                .status,
            400);
  EXPECT_EQ(HttpCall(sim.control_port(), "GET", "/mo").status, 405);
  EXPECT_EQ(HttpCall(sim.control_port(), "POST", "/stats").status, 405);
  EXPECT_EQ(HttpCall(sim.control_port(), "GET", "/nothing").status, 404);
  EXPECT_EQ(HttpCall(sim.control_port(), "POST", "/mo", std::string(70 * 1024, 'x')).status, 413);
}

TEST(ControlServer, DropsConnections) {
  RunningSimulator sim(TestConfig(), true);
  auto smsgw = Bound(sim.port(), BindMode::kTransceiver, "smsgw", "smsgw");
  auto other = Bound(sim.port(), BindMode::kTransceiver, "other", "secret");
  HttpResult r = HttpCall(sim.control_port(), "POST", "/drop?system_id=other");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Parse(r.body)["closed"].GetUint(), 1u);
  EXPECT_TRUE(other->WaitClosed());
  ASSERT_TRUE(smsgw->Response(smsgw->Send(codec::EnquireLink{})));
  r = HttpCall(sim.control_port(), "POST", "/drop");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Parse(r.body)["closed"].GetUint(), 1u);
  EXPECT_TRUE(smsgw->WaitClosed());
}

TEST(ControlServer, UnbindsBoundConnections) {
  RunningSimulator sim(TestConfig(), true);
  auto esme = Bound(sim.port(), BindMode::kTransceiver, "smsgw", "smsgw");
  const HttpResult r = HttpCall(sim.control_port(), "POST", "/unbind");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Parse(r.body)["unbinding"].GetUint(), 1u);
  auto unbind = esme->Await(
      [](const codec::Pdu& p) { return std::holds_alternative<codec::Unbind>(p.body); });
  ASSERT_TRUE(unbind);
  esme->SendPdu(codec::Pdu{0, unbind->sequence_number, codec::UnbindResp{}});
  EXPECT_TRUE(esme->WaitClosed());
}

TEST(ControlServer, Stats) {
  RunningSimulator sim(TestConfig(), true);
  auto esme = Bound(sim.port(), BindMode::kTransceiver, "smsgw", "smsgw");
  ASSERT_TRUE(esme->Response(esme->Send(MakeSubmit("15550009992"))));
  const HttpResult r = HttpCall(sim.control_port(), "GET", "/stats");
  ASSERT_EQ(r.status, 200);
  rapidjson::Document doc = Parse(r.body);
  EXPECT_EQ(doc["connections"]["open"].GetUint(), 1u);
  EXPECT_EQ(doc["bound"].GetUint(), 1u);
  EXPECT_EQ(doc["bound_peak"].GetUint(), 1u);
  EXPECT_EQ(doc["bound_by_system_id"]["smsgw"]["bound"].GetUint(), 1u);
  EXPECT_EQ(doc["bound_by_system_id"]["smsgw"]["peak"].GetUint(), 1u);
  EXPECT_FALSE(doc["bound_by_system_id"].HasMember("other"));  // never bound
  EXPECT_EQ(doc["binds"]["ok"].GetUint(), 1u);
  EXPECT_EQ(doc["received"]["bind_transceiver"].GetUint(), 1u);
  EXPECT_EQ(doc["received"]["submit_sm"].GetUint(), 1u);
  EXPECT_EQ(doc["sent"]["submit_sm_resp"].GetUint(), 1u);
  EXPECT_EQ(doc["submits_by_fault"]["invalid_dest"].GetUint(), 1u);
}

}  // namespace
}  // namespace smsgw::smsc_sim
