#include "smpp/codec/submit_builder.h"

#include <gtest/gtest.h>

#include <vector>

#include "smpp/codec/pdu_codec.h"
#include "text/segmenter.h"

namespace smsgw::smpp::codec {
namespace {

using namespace std::chrono_literals;
using Bytes = std::vector<uint8_t>;

SubmitFields Fields() {
  SubmitFields f;
  f.source = "ACMEIN";
  f.destination = "+919876543210";
  return f;
}

TEST(RelativeTime, Format) {
  EXPECT_EQ(RelativeTime(48h).value(), "000002000000000R");
  EXPECT_EQ(RelativeTime(1s).value(), "000000000001000R");
  EXPECT_EQ(RelativeTime(1h + 2min + 3s).value(), "000000010203000R");
  EXPECT_EQ(RelativeTime(std::chrono::days(99)).value(), "000099000000000R");
  EXPECT_EQ(RelativeTime(0s).error().code, CommandStatus::kInvalidExpiryTime);
  EXPECT_EQ(RelativeTime(-5s).error().code, CommandStatus::kInvalidExpiryTime);
  EXPECT_FALSE(RelativeTime(std::chrono::days(99) + 1s).has_value());
}

TEST(SubmitBuilder, SinglePart) {
  const auto seg = text::Split("Hello", core::Encoding::kGsm7);
  ASSERT_TRUE(seg.has_value());
  const auto parts = text::BuildWireParts(*seg, {});
  ASSERT_TRUE(parts.has_value());
  ASSERT_EQ(parts->size(), 1u);
  SubmitFields f = Fields();
  f.validity = 48h;
  f.dlt_entity_id = "1101456789012345678";
  f.dlt_template_id = "1107161234567890123";
  const core::Result<SubmitSm> sm = BuildSubmitSm(parts->front(), f);
  ASSERT_TRUE(sm.has_value()) << sm.error().message;
  EXPECT_EQ(sm->source, (Address{5, 0, "ACMEIN"}));
  EXPECT_EQ(sm->dest, (Address{1, 1, "919876543210"}));
  EXPECT_EQ(sm->esm_class, 0x00);
  EXPECT_EQ(sm->data_coding, 0x00);
  EXPECT_EQ(sm->registered_delivery, kRegisteredDeliveryFinal);
  EXPECT_EQ(sm->validity_period, "000002000000000R");
  EXPECT_EQ(sm->short_message, (Bytes{'H', 'e', 'l', 'l', 'o'}));  // GSM 03.38 = ASCII here
  EXPECT_EQ(sm->tlvs.GetString(tag::kDltEntityId), "1101456789012345678");
  EXPECT_EQ(sm->tlvs.Find(tag::kDltTemplateId)->value.back(), 0);  // C-Octet by default
  EXPECT_FALSE(sm->tlvs.Has(tag::kMessagePayload));
  EXPECT_FALSE(GetSar(sm->tlvs).has_value());
  // And it travels.
  const Pdu pdu{0, 1, *sm};
  EXPECT_EQ(Decode(Encode(pdu)).value(), pdu);
}

TEST(SubmitBuilder, UdhPartsSetUdhiAndUcs2DataCoding) {
  const std::string text(80, 'x');
  const auto seg = text::Split(text, core::Encoding::kUcs2);
  ASSERT_TRUE(seg.has_value());
  const auto parts =
      text::BuildWireParts(*seg, {.method = text::ConcatMethod::kUdh8, .reference = 0x2A});
  ASSERT_TRUE(parts.has_value());
  ASSERT_EQ(parts->size(), 2u);
  SubmitFields f = Fields();
  f.encoding = core::Encoding::kUcs2;
  f.flash = true;
  f.esm_class = 0x03;  // store and forward mode
  for (const text::WirePart& part : *parts) {
    const core::Result<SubmitSm> sm = BuildSubmitSm(part, f);
    ASSERT_TRUE(sm.has_value()) << sm.error().message;
    EXPECT_EQ(sm->esm_class, 0x43);
    EXPECT_EQ(sm->data_coding, 0x18);  // UCS-2, class 0
    EXPECT_EQ(sm->short_message, part.bytes);
    EXPECT_EQ(sm->short_message[0], 0x05);  // UDHL
  }
}

TEST(SubmitBuilder, SarParts) {
  const std::string text(200, 'y');
  const auto seg = text::Split(text, core::Encoding::kGsm7, text::ConcatMethod::kSar);
  ASSERT_TRUE(seg.has_value());
  const auto parts =
      text::BuildWireParts(*seg, {.method = text::ConcatMethod::kSar, .reference = 0x1234});
  ASSERT_TRUE(parts.has_value());
  ASSERT_EQ(parts->size(), 2u);
  const core::Result<SubmitSm> sm = BuildSubmitSm((*parts)[1], Fields());
  ASSERT_TRUE(sm.has_value());
  EXPECT_EQ(sm->esm_class, 0x00);
  const auto sar = GetSar(sm->tlvs);
  ASSERT_TRUE(sar.has_value());
  EXPECT_EQ(sar->msg_ref_num, 0x1234);
  EXPECT_EQ(sar->total_segments, 2);
  EXPECT_EQ(sar->segment_seqnum, 2);
}

TEST(SubmitBuilder, MessagePayload) {
  const std::string text(400, 'z');
  const auto seg = text::Split(text, core::Encoding::kGsm7, text::ConcatMethod::kMessagePayload);
  ASSERT_TRUE(seg.has_value());
  const auto parts = text::BuildWireParts(*seg, {.method = text::ConcatMethod::kMessagePayload});
  ASSERT_TRUE(parts.has_value());
  ASSERT_EQ(parts->size(), 1u);
  const core::Result<SubmitSm> sm = BuildSubmitSm(parts->front(), Fields());
  ASSERT_TRUE(sm.has_value()) << sm.error().message;
  EXPECT_TRUE(sm->short_message.empty());
  ASSERT_TRUE(sm->tlvs.GetBytes(tag::kMessagePayload).has_value());
  EXPECT_EQ(sm->tlvs.GetBytes(tag::kMessagePayload)->size(), 400u);
}

TEST(SubmitBuilder, OverridesAndExtraTlvs) {
  SubmitFields f = Fields();
  f.source = "56767";
  f.source_override = {.ton = 0, .npi = 1};
  f.dlt_entity_id = "11";
  f.dlt_form = DltStringForm::kOctet;
  f.extra_tlvs.Add(0x1402, {'T', 'M'});
  text::WirePart part;
  part.bytes = {'a'};
  const core::Result<SubmitSm> sm = BuildSubmitSm(part, f);
  ASSERT_TRUE(sm.has_value());
  EXPECT_EQ(sm->source, (Address{0, 1, "56767"}));
  EXPECT_EQ(sm->tlvs.Find(tag::kDltEntityId)->value, (Bytes{'1', '1'}));
  EXPECT_FALSE(sm->tlvs.Has(tag::kDltTemplateId));
  EXPECT_EQ(sm->tlvs.items().back(), (Tlv{0x1402, {'T', 'M'}}));
}

TEST(SubmitBuilder, Errors) {
  text::WirePart part;
  part.bytes = {'a'};
  SubmitFields f = Fields();
  f.destination = "";
  EXPECT_EQ(BuildSubmitSm(part, f).error().code, CommandStatus::kInvalidDestAddress);
  f = Fields();
  f.destination = std::string(21, '1');
  EXPECT_EQ(BuildSubmitSm(part, f).error().code, CommandStatus::kInvalidDestAddress);
  f = Fields();
  f.source = "A VERY LONG SENDER NAME";
  EXPECT_EQ(BuildSubmitSm(part, f).error().code, CommandStatus::kInvalidSourceAddress);
  f = Fields();
  f.validity = 0s;
  EXPECT_EQ(BuildSubmitSm(part, f).error().code, CommandStatus::kInvalidExpiryTime);
  text::WirePart big;
  big.bytes = Bytes(255, 'a');
  EXPECT_EQ(BuildSubmitSm(big, Fields()).error().code, CommandStatus::kInvalidMessageLength);
  text::WirePart payload;
  payload.bytes = Bytes(255, 'a');
  payload.in_message_payload = true;
  EXPECT_TRUE(BuildSubmitSm(payload, Fields()).has_value());
}

}  // namespace
}  // namespace smsgw::smpp::codec

namespace smsgw::smpp::codec {
namespace {

TEST(BuildMessageSubmits, LongUcs2MessageInOrderedUdhParts) {
  std::string text;
  for (int i = 0; i < 100; ++i) {
    text += "Ж";  // 100 UCS-2 units: two parts of at most 67
  }
  text::WireOptions wire;
  wire.reference = 0x42;
  const auto submits = BuildMessageSubmits(text, text::UnicodeMode::kAuto, wire, Fields());
  ASSERT_TRUE(submits.has_value()) << submits.error().message;
  ASSERT_EQ(submits->size(), 2u);
  for (size_t i = 0; i < submits->size(); ++i) {
    const SubmitSm& sm = (*submits)[i];
    EXPECT_EQ(sm.data_coding, 0x08);
    EXPECT_EQ(sm.esm_class & 0x40, 0x40);
    // UDH: 05 00 03 ref total seq
    ASSERT_GE(sm.short_message.size(), 6u);
    EXPECT_EQ(sm.short_message[3], 0x42);
    EXPECT_EQ(sm.short_message[4], 2);
    EXPECT_EQ(sm.short_message[5], i + 1);
  }
  EXPECT_EQ((*submits)[0].short_message.size(), 6u + 67 * 2);
}

TEST(BuildMessageSubmits, FlashGsm7AndErrors) {
  SubmitFields f = Fields();
  f.flash = true;
  const auto one = BuildMessageSubmits("Hi", text::UnicodeMode::kAuto, {}, f);
  ASSERT_TRUE(one.has_value());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ(one->front().data_coding, 0x10);  // GSM-7, message class 0
  EXPECT_FALSE(BuildMessageSubmits("Ж", text::UnicodeMode::kGsm7, {}, f).has_value());
  EXPECT_FALSE(BuildMessageSubmits("\xff", text::UnicodeMode::kAuto, {}, f).has_value());
  f.destination.clear();
  EXPECT_FALSE(BuildMessageSubmits("Hi", text::UnicodeMode::kAuto, {}, f).has_value());
}

}  // namespace
}  // namespace smsgw::smpp::codec
