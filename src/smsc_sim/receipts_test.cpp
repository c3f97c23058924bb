#include "smsc_sim/receipts.h"

#include <gtest/gtest.h>

#include "smpp/codec/receipt.h"
#include "smpp/codec/tlv.h"
#include "text/gsm7.h"
#include "text/ucs2.h"

namespace smsgw::smsc_sim {
namespace {

namespace codec = smpp::codec;
using codec::MessageState;

codec::SubmitSm Gsm7Submit(std::string_view text) {
  codec::SubmitSm sm;
  sm.source = {5, 0, "ACME"};
  sm.dest = {1, 1, "919876543210"};
  sm.registered_delivery = 1;
  sm.short_message = *text::EncodeGsm7(text);
  return sm;
}

TEST(WantsReceipt, FollowsRegisteredDeliveryBits) {
  EXPECT_FALSE(WantsReceipt(0x00, MessageState::kDelivered));
  EXPECT_FALSE(WantsReceipt(0x00, MessageState::kUndeliverable));
  EXPECT_TRUE(WantsReceipt(0x01, MessageState::kDelivered));
  EXPECT_TRUE(WantsReceipt(0x01, MessageState::kExpired));
  EXPECT_FALSE(WantsReceipt(0x02, MessageState::kDelivered));
  EXPECT_TRUE(WantsReceipt(0x02, MessageState::kUndeliverable));
  EXPECT_TRUE(WantsReceipt(0x02, MessageState::kExpired));
  EXPECT_TRUE(WantsReceipt(0x02, MessageState::kRejected));
  EXPECT_TRUE(WantsReceipt(0x03, MessageState::kDelivered));
  EXPECT_FALSE(WantsReceipt(0x03, MessageState::kRejected));
  // Bits above 1..0 (SME acknowledgements, intermediate notifications) do not matter here.
  EXPECT_TRUE(WantsReceipt(0x11, MessageState::kDelivered));
  EXPECT_FALSE(WantsReceipt(0x10, MessageState::kDelivered));
}

TEST(PartOf, ReadsTheUdhWhenUdhiIsSet) {
  codec::SubmitSm sm = Gsm7Submit("");
  sm.short_message = {0x05, 0x00, 0x03, 0x2A, 0x03, 0x02, 'h', 'i'};
  EXPECT_FALSE(PartOf(sm)) << "without UDHI the bytes are text";
  sm.esm_class = 0x40;
  auto part = PartOf(sm);
  ASSERT_TRUE(part);
  EXPECT_EQ(part->reference, 0x2A);
  EXPECT_EQ(part->total, 3);
  EXPECT_EQ(part->seqnum, 2);

  sm.short_message = {0x06, 0x08, 0x04, 0x12, 0x34, 0x02, 0x02, 'h'};
  part = PartOf(sm);
  ASSERT_TRUE(part);
  EXPECT_EQ(part->reference, 0x1234);
  EXPECT_EQ(part->seqnum, 2);
}

TEST(PartOf, ReadsSarTlvs) {
  codec::SubmitSm sm = Gsm7Submit("part");
  codec::SetSar(sm.tlvs, {7, 2, 1});
  auto part = PartOf(sm);
  ASSERT_TRUE(part);
  EXPECT_EQ(part->reference, 7);
  EXPECT_EQ(part->total, 2);
  EXPECT_EQ(part->seqnum, 1);
}

TEST(PartOf, OnePartAndBrokenUdhAreNoPart) {
  EXPECT_FALSE(PartOf(Gsm7Submit("hello")));
  codec::SubmitSm sm = Gsm7Submit("");
  sm.esm_class = 0x40;
  sm.short_message = {0x09, 0x00};  // UDHL past the end
  EXPECT_FALSE(PartOf(sm));
  sm.short_message = {0x05, 0x00, 0x03, 0x01, 0x01, 0x01, 'x'};  // "1 of 1"
  EXPECT_FALSE(PartOf(sm));
}

TEST(ReceiptForPart, PerPartOrLastPart) {
  const text::ConcatInfo first{1, 3, 1, false};
  const text::ConcatInfo last{1, 3, 3, false};
  EXPECT_TRUE(ReceiptForPart(MultipartReceipts::kPerPart, first));
  EXPECT_TRUE(ReceiptForPart(MultipartReceipts::kPerPart, last));
  EXPECT_FALSE(ReceiptForPart(MultipartReceipts::kLastPart, first));
  EXPECT_TRUE(ReceiptForPart(MultipartReceipts::kLastPart, last));
  EXPECT_TRUE(ReceiptForPart(MultipartReceipts::kLastPart, std::nullopt));
}

TEST(ReceiptTextSample, FirstTwentyCharactersAsAscii) {
  EXPECT_EQ(ReceiptTextSample(Gsm7Submit("Your code is 123456, valid 5 min")),
            "Your code is 123456,");
  EXPECT_EQ(ReceiptTextSample(Gsm7Submit("Prix: 5€ @home")), "Prix: 5? ?home");

  codec::SubmitSm ucs2 = Gsm7Submit("");
  ucs2.data_coding = 0x08;
  ucs2.short_message = *text::EncodeUcs2("नमस्ते hi");
  EXPECT_EQ(ReceiptTextSample(ucs2), "?????? hi");
  EXPECT_EQ(ReceiptTextSample(Gsm7Submit("a_b$c{d}[e]~f|g^h\\i")), "a?b?c?d??e??f?g?h?i");
  EXPECT_EQ(ReceiptTextSample(Gsm7Submit("ok: #1 (100%) 'x' \"y\" <z>?")), "ok: #1 (100%) 'x' \"y");

  codec::SubmitSm udh = Gsm7Submit("");
  udh.esm_class = 0x40;
  udh.short_message = {0x05, 0x00, 0x03, 0x01, 0x02, 0x01};
  const auto text = *text::EncodeGsm7("after the header");
  udh.short_message.insert(udh.short_message.end(), text.begin(), text.end());
  EXPECT_EQ(ReceiptTextSample(udh), "after the header");

  codec::SubmitSm binary = Gsm7Submit("");
  binary.data_coding = 0x04;
  binary.short_message = {0x01, 0x02};
  EXPECT_EQ(ReceiptTextSample(binary), "");
}

TEST(ReceiptTextSample, ReadsMessagePayload) {
  codec::SubmitSm sm = Gsm7Submit("");
  const auto text = *text::EncodeGsm7("in the payload");
  sm.tlvs.Set(codec::tag::kMessagePayload, text);
  EXPECT_EQ(ReceiptTextSample(sm), "in the payload");
}

TEST(MakeReceipt, ParsesBackAsTheSameReceipt) {
  const core::TimePoint submitted = core::FromUnixMillis(1'735'732'800'000);  // 2025-01-01 12:00
  const ReceiptInfo info = MakeReceiptInfo(Gsm7Submit("Hello there"), "18c4a2b3ff",
                                           MessageState::kUndeliverable, "001", submitted);
  const codec::DeliverSm sm = MakeReceipt(info, submitted + std::chrono::minutes(2));
  EXPECT_EQ(sm.esm_class, codec::kEsmClassDeliveryReceipt);
  EXPECT_EQ(sm.source, (codec::Address{1, 1, "919876543210"}));
  EXPECT_EQ(sm.dest, (codec::Address{5, 0, "ACME"}));
  EXPECT_EQ(sm.data_coding, 0);
  const std::string text(sm.short_message.begin(), sm.short_message.end());
  EXPECT_EQ(text,
            "id:18c4a2b3ff sub:001 dlvrd:000 submit date:2501011200 done date:2501011202 "
            "stat:UNDELIV err:001 text:Hello there");
  EXPECT_EQ(sm.tlvs.GetString(codec::tag::kReceiptedMessageId), "18c4a2b3ff");
  EXPECT_EQ(sm.tlvs.GetU8(codec::tag::kMessageState), 5);
  EXPECT_EQ(codec::GetNetworkErrorCode(sm.tlvs), (codec::NetworkErrorCode{3, 1}));

  auto parsed = codec::ParseReceipt(sm);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->message_id, "18c4a2b3ff");
  EXPECT_EQ(parsed->state, MessageState::kUndeliverable);
  EXPECT_EQ(parsed->err, "001");
  EXPECT_EQ(parsed->done_date, submitted + std::chrono::minutes(2));
}

TEST(MakeReceipt, EachFinalStateHasItsStatWord) {
  const core::TimePoint t = core::FromUnixMillis(1'735'732'800'000);
  for (const auto& [state, stat] : {std::pair{MessageState::kDelivered, "stat:DELIVRD"},
                                    std::pair{MessageState::kExpired, "stat:EXPIRED"},
                                    std::pair{MessageState::kRejected, "stat:REJECTD"}}) {
    const codec::DeliverSm sm =
        MakeReceipt(MakeReceiptInfo(Gsm7Submit("x"), "1", state, "000", t), t);
    const std::string text(sm.short_message.begin(), sm.short_message.end());
    EXPECT_NE(text.find(stat), std::string::npos) << text;
    EXPECT_EQ(sm.tlvs.GetU8(codec::tag::kMessageState), static_cast<uint8_t>(state));
    EXPECT_FALSE(sm.tlvs.Has(codec::tag::kNetworkErrorCode));
  }
}

}  // namespace
}  // namespace smsgw::smsc_sim
