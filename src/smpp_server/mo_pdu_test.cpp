#include "smpp_server/mo_pdu.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "smpp/codec/pdu_codec.h"
#include "smpp/codec/tlv.h"
#include "text/gsm7.h"
#include "text/ucs2.h"

namespace smsgw::smpp_server {
namespace {

namespace codec = smpp::codec;

store::SmppOutboxJob Mo(std::string text) {
  store::SmppOutboxJob job;
  job.kind = store::SmppOutboxKind::kMo;
  job.message_id = "0190c2d4-8a7e-7c3e-9f00-0123456789ab";
  job.sender = "14155550100";  // the handset
  job.recipient = "56767";     // the inbound number
  job.body = std::move(text);
  return job;
}

std::vector<uint8_t> Bytes(std::string_view s) { return {s.begin(), s.end()}; }

TEST(MoDeliverSm, GsmTextIsAShortMessageFromTheHandsetToTheNumber) {
  const codec::DeliverSm pdu = MoDeliverSm(Mo("JOIN me @ 5"));
  EXPECT_EQ(pdu.esm_class, 0x00) << "a short message, not a receipt";
  EXPECT_EQ(pdu.source.addr, "14155550100");
  EXPECT_EQ(pdu.source.ton, codec::kTonInternational);
  EXPECT_EQ(pdu.source.npi, codec::kNpiIsdn);
  EXPECT_EQ(pdu.dest.addr, "56767");
  EXPECT_EQ(pdu.data_coding, 0x00);
  // GSM 03.38 one septet per octet: '@' is 0x00 there, not 0x40.
  std::vector<uint8_t> expected = Bytes("JOIN me ");
  expected.push_back(0x00);
  for (uint8_t b : Bytes(" 5")) {
    expected.push_back(b);
  }
  EXPECT_EQ(pdu.short_message, expected);
  EXPECT_FALSE(pdu.tlvs.Has(codec::tag::kMessagePayload));
  EXPECT_FALSE(pdu.tlvs.Has(codec::tag::kReceiptedMessageId));
  EXPECT_EQ(text::DecodeGsm7(pdu.short_message), "JOIN me @ 5");
}

TEST(MoDeliverSm, APlusBeforeTheHandsetIsTheInternationalTon) {
  store::SmppOutboxJob job = Mo("Hi");
  job.sender = "+14155550100";
  const codec::DeliverSm pdu = MoDeliverSm(job);
  EXPECT_EQ(pdu.source.addr, "14155550100");
  EXPECT_EQ(pdu.source.ton, codec::kTonInternational);
}

TEST(MoDeliverSm, ExtensionCharactersAreEscapedAndCountTwo) {
  const codec::DeliverSm pdu = MoDeliverSm(Mo("5€"));
  EXPECT_EQ(pdu.data_coding, 0x00);
  EXPECT_EQ(pdu.short_message, (std::vector<uint8_t>{'5', text::kGsmEscape, 0x65}));
  // 159 plain characters and a euro sign are 161 septets: more than one SMS.
  const codec::DeliverSm long_pdu = MoDeliverSm(Mo(std::string(159, 'a') + "€"));
  EXPECT_TRUE(long_pdu.short_message.empty());
  ASSERT_TRUE(long_pdu.tlvs.Has(codec::tag::kMessagePayload));
  EXPECT_EQ(long_pdu.tlvs.Find(codec::tag::kMessagePayload)->value.size(), 161u);
}

TEST(MoDeliverSm, TextOutsideGsmIsUcs2) {
  const codec::DeliverSm pdu = MoDeliverSm(Mo("नमस्ते 😀"));
  EXPECT_EQ(pdu.data_coding, 0x08);
  EXPECT_EQ(text::DecodeUcs2(pdu.short_message), "नमस्ते 😀");
  EXPECT_FALSE(pdu.tlvs.Has(codec::tag::kMessagePayload));
}

TEST(MoDeliverSm, OneSmsIsTheShortMessageAndLongerGoesWholeInMessagePayload) {
  EXPECT_EQ(MoDeliverSm(Mo(std::string(160, 'a'))).short_message.size(), 160u);
  EXPECT_EQ(MoDeliverSm(Mo(std::string(69, 'a') + "ж")).short_message.size(), 140u)
      << "70 UCS-2 characters are one SMS";

  const std::string long_gsm(400, 'b');
  const codec::DeliverSm gsm = MoDeliverSm(Mo(long_gsm));
  EXPECT_EQ(gsm.data_coding, 0x00);
  EXPECT_TRUE(gsm.short_message.empty()) << "§5.2.21: sm_length 0 with message_payload";
  ASSERT_TRUE(gsm.tlvs.Has(codec::tag::kMessagePayload));
  EXPECT_EQ(gsm.tlvs.Find(codec::tag::kMessagePayload)->value, Bytes(long_gsm));

  std::string long_ucs2;
  for (int i = 0; i < 71; ++i) {
    long_ucs2 += "ж";
  }
  const codec::DeliverSm ucs2 = MoDeliverSm(Mo(long_ucs2));
  EXPECT_EQ(ucs2.data_coding, 0x08);
  EXPECT_TRUE(ucs2.short_message.empty());
  ASSERT_TRUE(ucs2.tlvs.Has(codec::tag::kMessagePayload));
  EXPECT_EQ(text::DecodeUcs2(ucs2.tlvs.Find(codec::tag::kMessagePayload)->value), long_ucs2);
}

TEST(MoDeliverSm, APayloadBeyondTheBoundIsCutAtACharacterAndStillEncodes) {
  std::string huge;
  for (size_t i = 0; i < kMoMaxPayloadOctets; ++i) {
    huge += "😀";  // 4 octets of UTF-16 each
  }
  const codec::DeliverSm pdu = MoDeliverSm(Mo(huge));
  const std::vector<uint8_t>& payload = pdu.tlvs.Find(codec::tag::kMessagePayload)->value;
  EXPECT_LE(payload.size(), kMoMaxPayloadOctets);
  EXPECT_EQ(payload.size() % 4, 0u) << "no half of a surrogate pair";
  EXPECT_LT(codec::Encode(codec::Pdu{0, 7, pdu}).size(), 65536u);

  const codec::DeliverSm gsm = MoDeliverSm(Mo(std::string(kMoMaxPayloadOctets + 10, 'g')));
  EXPECT_EQ(gsm.data_coding, 0x00);
  EXPECT_EQ(gsm.tlvs.Find(codec::tag::kMessagePayload)->value.size(), kMoMaxPayloadOctets);
}

TEST(MoDeliverSm, TheEmptyTextIsAnEmptyShortMessage) {
  const codec::DeliverSm pdu = MoDeliverSm(Mo(""));
  EXPECT_EQ(pdu.data_coding, 0x00);
  EXPECT_TRUE(pdu.short_message.empty());
  EXPECT_FALSE(pdu.tlvs.Has(codec::tag::kMessagePayload));
}

}  // namespace
}  // namespace smsgw::smpp_server
