#include "smpp/codec/tlv.h"

#include <gtest/gtest.h>

#include <vector>

namespace smsgw::smpp::codec {
namespace {

using Bytes = std::vector<uint8_t>;

TEST(Tlv, TagValuesMatchSmpp34Table53) {
  EXPECT_EQ(tag::kReceiptedMessageId, 0x001E);
  EXPECT_EQ(tag::kUserMessageReference, 0x0204);
  EXPECT_EQ(tag::kSourcePort, 0x020A);
  EXPECT_EQ(tag::kSarMsgRefNum, 0x020C);
  EXPECT_EQ(tag::kSarTotalSegments, 0x020E);
  EXPECT_EQ(tag::kSarSegmentSeqnum, 0x020F);
  EXPECT_EQ(tag::kScInterfaceVersion, 0x0210);
  EXPECT_EQ(tag::kNetworkErrorCode, 0x0423);
  EXPECT_EQ(tag::kMessagePayload, 0x0424);
  EXPECT_EQ(tag::kMoreMessagesToSend, 0x0426);
  EXPECT_EQ(tag::kMessageState, 0x0427);
  EXPECT_EQ(tag::kPayloadType, 0x0019);
  EXPECT_EQ(tag::kMsValidity, 0x1204);
  EXPECT_EQ(tag::kDltEntityId, 0x1400);
  EXPECT_EQ(tag::kDltTemplateId, 0x1401);
  EXPECT_EQ(TagName(0x0424), "message_payload");
  EXPECT_EQ(TagName(0x1401), "vendor_specific");
  EXPECT_EQ(TagName(0x0001), "unknown");
}

TEST(Tlv, IntegersAreBigEndianOfTheirSize) {
  TlvList tlvs;
  tlvs.SetU8(tag::kMessageState, 2);
  tlvs.SetU16(tag::kSarMsgRefNum, 0x1234);
  tlvs.SetU32(tag::kQosTimeToLive, 0xA1B2C3D4);
  EXPECT_EQ(tlvs.items()[0].value, (Bytes{2}));
  EXPECT_EQ(tlvs.items()[1].value, (Bytes{0x12, 0x34}));
  EXPECT_EQ(tlvs.items()[2].value, (Bytes{0xA1, 0xB2, 0xC3, 0xD4}));
  EXPECT_EQ(tlvs.GetU8(tag::kMessageState), 2);
  EXPECT_EQ(tlvs.GetU16(tag::kSarMsgRefNum), 0x1234);
  EXPECT_EQ(tlvs.GetU32(tag::kQosTimeToLive), 0xA1B2C3D4u);
  // The wrong width reads as absent rather than as a guess.
  EXPECT_FALSE(tlvs.GetU16(tag::kMessageState).has_value());
  EXPECT_FALSE(tlvs.GetU8(tag::kSarMsgRefNum).has_value());
  EXPECT_FALSE(tlvs.GetU8(tag::kPayloadType).has_value());
}

TEST(Tlv, SetReplacesAddAppends) {
  TlvList tlvs;
  tlvs.Add(0x2000, {1});
  tlvs.Add(0x2000, {2});
  tlvs.Set(0x2000, {3});
  ASSERT_EQ(tlvs.size(), 2u);
  EXPECT_EQ(tlvs.items()[0].value, (Bytes{3}));
  EXPECT_EQ(tlvs.items()[1].value, (Bytes{2}));
  tlvs.Set(0x2001, {4});
  EXPECT_EQ(tlvs.items().back().tag, 0x2001);
  tlvs.Remove(0x2000);
  ASSERT_EQ(tlvs.size(), 1u);
  EXPECT_TRUE(tlvs.Has(0x2001));
  EXPECT_FALSE(tlvs.Has(0x2000));
}

TEST(Tlv, Strings) {
  TlvList tlvs;
  tlvs.SetCString(tag::kReceiptedMessageId, "4d2");
  tlvs.SetOctets(tag::kDltTemplateId, "1107");
  EXPECT_EQ(tlvs.Find(tag::kReceiptedMessageId)->value, (Bytes{'4', 'd', '2', 0}));
  EXPECT_EQ(tlvs.Find(tag::kDltTemplateId)->value, (Bytes{'1', '1', '0', '7'}));
  EXPECT_EQ(tlvs.GetString(tag::kReceiptedMessageId), "4d2");
  EXPECT_EQ(tlvs.GetString(tag::kDltTemplateId), "1107");
  tlvs.Set(tag::kAdditionalStatusInfoText, {'a', 0, 'b'});
  EXPECT_EQ(tlvs.GetString(tag::kAdditionalStatusInfoText), "a");
  EXPECT_FALSE(tlvs.GetString(tag::kSourceSubaddress).has_value());
  ASSERT_TRUE(tlvs.GetBytes(tag::kDltTemplateId).has_value());
  EXPECT_EQ(tlvs.GetBytes(tag::kDltTemplateId)->size(), 4u);
}

TEST(Tlv, Sar) {
  TlvList tlvs;
  SetSar(tlvs, {0xABCD, 3, 2});
  const auto sar = GetSar(tlvs);
  ASSERT_TRUE(sar.has_value());
  EXPECT_EQ(sar->msg_ref_num, 0xABCD);
  EXPECT_EQ(sar->total_segments, 3);
  EXPECT_EQ(sar->segment_seqnum, 2);
  tlvs.SetU8(tag::kSarSegmentSeqnum, 4);  // beyond the total
  EXPECT_FALSE(GetSar(tlvs).has_value());
  tlvs.SetU8(tag::kSarSegmentSeqnum, 0);
  EXPECT_FALSE(GetSar(tlvs).has_value());
  tlvs.Remove(tag::kSarSegmentSeqnum);
  EXPECT_FALSE(GetSar(tlvs).has_value());
}

TEST(Tlv, NetworkErrorCode) {
  TlvList tlvs;
  tlvs.Set(tag::kNetworkErrorCode, {0x03, 0x00, 0x0B});  // GSM, error 11
  EXPECT_EQ(GetNetworkErrorCode(tlvs), (NetworkErrorCode{3, 11}));
  SetNetworkErrorCode(tlvs, {1, 0x1234});
  EXPECT_EQ(tlvs.Find(tag::kNetworkErrorCode)->value, (Bytes{1, 0x12, 0x34}));
  tlvs.Set(tag::kNetworkErrorCode, {0x03, 0x00});
  EXPECT_FALSE(GetNetworkErrorCode(tlvs).has_value());
}

TEST(Tlv, Dlt) {
  TlvList c;
  SetDlt(c, "1101456789012345678", "1107161234567890123");
  EXPECT_EQ(c.Find(tag::kDltEntityId)->value.back(), 0);
  EXPECT_EQ(c.GetString(tag::kDltEntityId), "1101456789012345678");
  EXPECT_EQ(c.GetString(tag::kDltTemplateId), "1107161234567890123");
  TlvList octets;
  SetDlt(octets, "1101", "", DltStringForm::kOctet);
  EXPECT_EQ(octets.Find(tag::kDltEntityId)->value, (Bytes{'1', '1', '0', '1'}));
  EXPECT_FALSE(octets.Has(tag::kDltTemplateId));
}

}  // namespace
}  // namespace smsgw::smpp::codec
