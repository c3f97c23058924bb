#include "delivery/mo_part.h"

#include <gtest/gtest.h>

#include <random>

#include "smpp/codec/receipt.h"
#include "smpp/codec/tlv.h"

namespace smsgw::delivery {
namespace {

namespace codec = smpp::codec;

const core::TimePoint kNow = core::FromUnixMillis(1'800'000'000'000);

codec::DeliverSm Mo(std::vector<uint8_t> short_message, uint8_t esm_class = 0,
                    uint8_t data_coding = 0) {
  codec::DeliverSm sm;
  sm.source = {codec::kTonInternational, codec::kNpiIsdn, "14155550100"};
  sm.dest = {codec::kTonNetworkSpecific, codec::kNpiUnknown, "56767"};
  sm.esm_class = esm_class;
  sm.data_coding = data_coding;
  sm.short_message = std::move(short_message);
  return sm;
}

codec::Pdu AsPdu(codec::Body body) { return codec::Pdu{0, 42, std::move(body)}; }

TEST(ReadMoPartTest, ASingleGsmMessage) {
  auto part = ReadMoPart(AsPdu(Mo({'H', 'i'})), "carrier", kNow);
  ASSERT_TRUE(part) << part.error().message;
  EXPECT_EQ(part->connector, "carrier");
  EXPECT_EQ(part->source, "14155550100");
  EXPECT_EQ(part->destination, "56767");
  EXPECT_EQ(part->data_coding, 0);
  EXPECT_EQ(part->payload, (std::vector<uint8_t>{'H', 'i'}));
  EXPECT_EQ(part->udh_length, 0u);
  EXPECT_FALSE(part->concat.has_value());
  EXPECT_EQ(part->received_at, kNow);
}

TEST(ReadMoPartTest, ConcatenationFromAnEightBitUdh) {
  const std::vector<uint8_t> payload = {0x05, 0x00, 0x03, 0xA7, 0x03, 0x02, 0x00, 0x41};
  auto part = ReadMoPart(AsPdu(Mo(payload, 0x40, 0x08)), "c", kNow);
  ASSERT_TRUE(part) << part.error().message;
  EXPECT_EQ(part->payload, payload) << "the UDH stays in the payload";
  EXPECT_EQ(part->udh_length, 6u);
  ASSERT_TRUE(part->concat);
  EXPECT_EQ(*part->concat, (store::InboundConcat{0xA7, 3, 2}));
  EXPECT_EQ(part->data_coding, 0x08);
}

TEST(ReadMoPartTest, ConcatenationFromASixteenBitUdhAmongOtherElements) {
  // Port addressing (IEI 0x05) before the 16-bit concatenation IE.
  const std::vector<uint8_t> payload = {0x0C, 0x05, 0x04, 0x0B, 0x84, 0x23, 0xF0,
                                        0x08, 0x04, 0x12, 0x34, 0x02, 0x01, 'a'};
  auto part = ReadMoPart(AsPdu(Mo(payload, 0x40)), "c", kNow);
  ASSERT_TRUE(part) << part.error().message;
  EXPECT_EQ(part->udh_length, 13u);
  ASSERT_TRUE(part->concat);
  EXPECT_EQ(*part->concat, (store::InboundConcat{0x1234, 2, 1}));
}

TEST(ReadMoPartTest, ConcatenationFromSarTlvs) {
  codec::DeliverSm sm = Mo({'p', 'a', 'r', 't'});
  codec::SetSar(sm.tlvs, text::SarInfo{0x0102, 4, 3});
  auto part = ReadMoPart(AsPdu(sm), "c", kNow);
  ASSERT_TRUE(part) << part.error().message;
  EXPECT_EQ(part->udh_length, 0u);
  ASSERT_TRUE(part->concat);
  EXPECT_EQ(*part->concat, (store::InboundConcat{0x0102, 4, 3}));
}

TEST(ReadMoPartTest, AUdhWithoutConcatenationLeavesItToSar) {
  codec::DeliverSm sm = Mo({0x06, 0x05, 0x04, 0x0B, 0x84, 0x23, 0xF0, 'x'}, 0x40);
  codec::SetSar(sm.tlvs, text::SarInfo{9, 2, 2});
  auto part = ReadMoPart(AsPdu(sm), "c", kNow);
  ASSERT_TRUE(part) << part.error().message;
  EXPECT_EQ(part->udh_length, 7u);
  ASSERT_TRUE(part->concat);
  EXPECT_EQ(*part->concat, (store::InboundConcat{9, 2, 2}));
}

TEST(ReadMoPartTest, SarThatCannotBePlacedIsIgnored) {
  codec::DeliverSm sm = Mo({'x'});
  sm.tlvs.SetU16(codec::tag::kSarMsgRefNum, 5);
  sm.tlvs.SetU8(codec::tag::kSarTotalSegments, 2);
  sm.tlvs.SetU8(codec::tag::kSarSegmentSeqnum, 3);  // beyond the total
  auto part = ReadMoPart(AsPdu(sm), "c", kNow);
  ASSERT_TRUE(part) << part.error().message;
  EXPECT_FALSE(part->concat.has_value());
}

TEST(ReadMoPartTest, MessagePayloadWhenShortMessageIsEmpty) {
  codec::DeliverSm sm = Mo({});
  sm.tlvs.SetOctets(codec::tag::kMessagePayload, "a long text");
  auto part = ReadMoPart(AsPdu(sm), "c", kNow);
  ASSERT_TRUE(part) << part.error().message;
  EXPECT_EQ(std::string(part->payload.begin(), part->payload.end()), "a long text");

  // short_message wins when both are there (SMPP 3.4 §5.3.2.32 allows only one).
  sm.short_message = {'s', 'm'};
  part = ReadMoPart(AsPdu(sm), "c", kNow);
  ASSERT_TRUE(part) << part.error().message;
  EXPECT_EQ(std::string(part->payload.begin(), part->payload.end()), "sm");
}

TEST(ReadMoPartTest, DataSmWithPayloadAndUdh) {
  codec::DataSm data;
  data.source = {1, 1, "447700900123"};
  data.dest = {1, 1, "447700900999"};
  data.esm_class = 0x40;
  data.data_coding = 0x08;
  data.tlvs.Set(codec::tag::kMessagePayload, {0x05, 0x00, 0x03, 0x01, 0x02, 0x01, 0x00, 0x48});
  auto part = ReadMoPart(AsPdu(data), "c", kNow);
  ASSERT_TRUE(part) << part.error().message;
  EXPECT_EQ(part->source, "447700900123");
  EXPECT_EQ(part->destination, "447700900999");
  EXPECT_EQ(part->udh_length, 6u);
  ASSERT_TRUE(part->concat);
  EXPECT_EQ(*part->concat, (store::InboundConcat{1, 2, 1}));
}

TEST(ReadMoPartTest, AnEmptyMessageIsStillAMessage) {
  auto part = ReadMoPart(AsPdu(Mo({})), "c", kNow);
  ASSERT_TRUE(part) << part.error().message;
  EXPECT_TRUE(part->payload.empty());
}

TEST(ReadMoPartTest, WhatCannotBeReadIsAnError) {
  auto expect_error = [](const codec::Pdu& pdu, std::string_view words) {
    auto part = ReadMoPart(pdu, "c", kNow);
    ASSERT_FALSE(part) << words;
    EXPECT_EQ(part.error().code, core::Errc::kInvalidArgument);
    EXPECT_NE(part.error().message.find(words), std::string::npos) << part.error().message;
  };
  expect_error(AsPdu(Mo({'x'}, codec::kEsmClassDeliveryReceipt)), "receipt");
  expect_error(AsPdu(codec::SubmitSm{}), "not a deliver_sm");
  codec::DeliverSm no_dest = Mo({'x'});
  no_dest.dest.addr.clear();
  expect_error(AsPdu(no_dest), "destination");
  expect_error(AsPdu(Mo({0x01, 0x02}, 0, 0x04)), "data_coding 0x04");
  expect_error(AsPdu(Mo({0x01, 0x02}, 0, 0xF5)), "data_coding 0xF5");  // 8-bit data, class 1
  expect_error(AsPdu(Mo({0x09, 0x00, 0x03, 0x01}, 0x40)), "");         // UDHL past the data
  expect_error(AsPdu(Mo({}, 0x40)), "");                               // UDHI, no data at all
}

// Untrusted bytes: whatever arrives, reading returns a value or an error, and a part it accepts
// has its UDH inside the payload and a placeable concatenation.
TEST(ReadMoPartTest, RandomPdusNeverCrash) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = 0; i < 20'000; ++i) {
    std::vector<uint8_t> payload(static_cast<size_t>(byte(rng)) % 24);
    for (uint8_t& b : payload) {
      b = static_cast<uint8_t>(byte(rng));
    }
    if (i % 3 == 0 && !payload.empty()) {
      payload[0] %= 12;  // a UDHL that fits now and then
    }
    codec::DeliverSm sm = Mo(std::move(payload), static_cast<uint8_t>(byte(rng) & 0x44),
                             static_cast<uint8_t>(i % 2 == 0 ? 0 : byte(rng)));
    if (i % 5 == 0) {
      sm.tlvs.Add(codec::tag::kSarTotalSegments, {static_cast<uint8_t>(byte(rng))});
      sm.tlvs.Add(codec::tag::kSarSegmentSeqnum, {static_cast<uint8_t>(byte(rng))});
      sm.tlvs.Add(codec::tag::kSarMsgRefNum, {static_cast<uint8_t>(byte(rng)), 0});
    }
    auto part = ReadMoPart(AsPdu(sm), "c", kNow);
    if (part) {
      EXPECT_LE(part->udh_length, part->payload.size());
      if (part->concat) {
        EXPECT_GE(part->concat->seqnum, 1);
        EXPECT_LE(part->concat->seqnum, part->concat->total);
      }
    }
  }
}

}  // namespace
}  // namespace smsgw::delivery
