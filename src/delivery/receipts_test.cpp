#include "delivery/receipts.h"

#include <gtest/gtest.h>

#include "smpp/codec/receipt.h"

namespace smsgw::delivery {
namespace {

namespace codec = smpp::codec;

codec::Pdu Deliver(std::string text, uint8_t esm_class = codec::kEsmClassDeliveryReceipt) {
  codec::DeliverSm sm;
  sm.esm_class = esm_class;
  sm.short_message.assign(text.begin(), text.end());
  codec::Pdu pdu;
  pdu.body = std::move(sm);
  return pdu;
}

const core::TimePoint kNow = core::FromUnixMillis(1'800'000'000'000);

TEST(ReceiptsTest, ReadsAndNormalisesAReceipt) {
  auto r = ReadReceipt(Deliver("id:0000001234 sub:001 dlvrd:001 submit date:2611261042 done "
                               "date:2611261043 stat:delivrd err:000 text:Hi"),
                       "carrier", codec::IdFormat::kAuto, kNow);
  ASSERT_TRUE(r.has_value());
  ASSERT_TRUE(*r) << r->error().message;
  EXPECT_EQ((*r)->connector, "carrier");
  EXPECT_EQ((*r)->smsc_id, "1234");
  EXPECT_EQ((*r)->stat, "DELIVRD");
  EXPECT_EQ((*r)->state, core::PartState::kDelivered);
  EXPECT_EQ((*r)->err, "000");
  EXPECT_EQ((*r)->at, kNow);
}

TEST(ReceiptsTest, FinalFailuresAndIntermediates) {
  auto undeliv =
      ReadReceipt(Deliver("id:7 stat:UNDELIV err:001"), "c", codec::IdFormat::kAuto, kNow);
  ASSERT_TRUE(undeliv && *undeliv);
  EXPECT_EQ((*undeliv)->state, core::PartState::kUndelivered);
  auto enroute = ReadReceipt(Deliver("id:7 stat:ENROUTE", codec::kEsmClassIntermediateNotification),
                             "c", codec::IdFormat::kAuto, kNow);
  ASSERT_TRUE(enroute && *enroute);
  EXPECT_EQ((*enroute)->state, core::PartState::kSubmitted);
}

TEST(ReceiptsTest, HexDecimalConnectorsMeetTheirRespIds) {
  const IdFormats f = IdFormatsFor(config::DlrIdFormat::kHexDecimal);
  auto r = ReadReceipt(Deliver("id:4660 stat:DELIVRD"), "c", f.receipt, kNow);
  ASSERT_TRUE(r && *r);
  EXPECT_EQ((*r)->smsc_id, codec::NormalizeMessageId("1234", f.resp));
  const IdFormats hex = IdFormatsFor(config::DlrIdFormat::kHex);
  EXPECT_EQ(codec::NormalizeMessageId("1234", hex.resp),
            codec::NormalizeMessageId("1234", hex.receipt));
}

TEST(ReceiptsTest, MoMessagesAreNotReceipts) {
  EXPECT_FALSE(ReadReceipt(Deliver("hello", 0x00), "c", codec::IdFormat::kAuto, kNow).has_value());
  codec::Pdu other;
  other.body = codec::EnquireLink{};
  EXPECT_FALSE(ReadReceipt(other, "c", codec::IdFormat::kAuto, kNow).has_value());
}

TEST(ReceiptsTest, AReceiptWithoutIdIsAnError) {
  auto r = ReadReceipt(Deliver("stat:DELIVRD"), "c", codec::IdFormat::kAuto, kNow);
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(*r);
}

}  // namespace
}  // namespace smsgw::delivery
