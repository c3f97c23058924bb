#include "smpp_server/concat_part.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "smpp/codec/tlv.h"
#include "smpp_server/submit_fields.h"
#include "text/segmenter.h"

namespace smsgw::smpp_server {
namespace {

namespace codec = smpp::codec;
using codec::CommandStatus;
using Bytes = std::vector<uint8_t>;

codec::SubmitSm Submit(Bytes short_message, uint8_t esm_class = 0x40, uint8_t data_coding = 0) {
  codec::SubmitSm s;
  s.source = {codec::kTonAlphanumeric, codec::kNpiUnknown, "ACME"};
  s.dest = {codec::kTonInternational, codec::kNpiIsdn, "919876543210"};
  s.esm_class = esm_class;
  s.data_coding = data_coding;
  s.short_message = std::move(short_message);
  return s;
}

Bytes Cat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(ConcatPart, OnlyUdhiOrSarTlvsMakeAPart) {
  EXPECT_FALSE(IsConcatenated(Submit({'H', 'i'}, 0x00)));
  EXPECT_TRUE(IsConcatenated(Submit({0x05, 0x00, 0x03, 1, 2, 1, 'H'}, 0x40)));
  EXPECT_TRUE(IsConcatenated(Submit({0x05, 0x00, 0x03, 1, 2, 1, 'H'}, 0x43)));
  for (uint16_t tag :
       {codec::tag::kSarMsgRefNum, codec::tag::kSarTotalSegments, codec::tag::kSarSegmentSeqnum}) {
    codec::SubmitSm s = Submit({'H'}, 0x00);
    s.tlvs.Add(tag, {1});
    EXPECT_TRUE(IsConcatenated(s)) << tag;
  }
}

TEST(ConcatPart, EightBitUdhPlacesThePartAndIsCutOff) {
  auto part = ReadSubmitPart(Submit({0x05, 0x00, 0x03, 0xA7, 3, 2, 'H', 'i'}));
  ASSERT_TRUE(part);
  EXPECT_EQ(part->reference, 0xA7);
  EXPECT_EQ(part->total, 3);
  EXPECT_EQ(part->seqnum, 2);
  EXPECT_FALSE(part->from_sar);
  EXPECT_EQ(part->user_data, (Bytes{'H', 'i'}));
}

TEST(ConcatPart, SixteenBitUdhAndOtherElementsBeside) {
  // A 16-bit concatenation element after a port-addressing one (IEI 0x05): both are cut off.
  auto part = ReadSubmitPart(
      Submit({0x0C, 0x05, 0x04, 0x0B, 0x84, 0x23, 0xF0, 0x08, 0x04, 0x12, 0x34, 2, 2, 'x'}));
  ASSERT_TRUE(part);
  EXPECT_EQ(part->reference, 0x1234);
  EXPECT_EQ(part->total, 2);
  EXPECT_EQ(part->seqnum, 2);
  EXPECT_EQ(part->user_data, (Bytes{'x'}));
}

TEST(ConcatPart, SarTlvsPlaceThePartWhenThereIsNoUdh) {
  codec::SubmitSm s = Submit({'a', 'b'}, 0x00);
  codec::SetSar(s.tlvs, text::SarInfo{0x0102, 4, 4});
  auto part = ReadSubmitPart(s);
  ASSERT_TRUE(part);
  EXPECT_EQ(part->reference, 0x0102);
  EXPECT_EQ(part->total, 4);
  EXPECT_EQ(part->seqnum, 4);
  EXPECT_TRUE(part->from_sar);
  EXPECT_EQ(part->user_data, (Bytes{'a', 'b'}));

  // In message_payload (data_sm's only place for text) when short_message is empty.
  codec::SubmitSm payload = Submit({}, 0x00);
  codec::SetSar(payload.tlvs, text::SarInfo{9, 2, 1});
  payload.tlvs.Add(codec::tag::kMessagePayload, {'p', 'q'});
  auto from_payload = ReadSubmitPart(payload);
  ASSERT_TRUE(from_payload);
  EXPECT_EQ(from_payload->user_data, (Bytes{'p', 'q'}));

  // A valid UDH element wins over SAR TLVs.
  codec::SubmitSm both = Submit({0x05, 0x00, 0x03, 7, 2, 1, 'u'});
  codec::SetSar(both.tlvs, text::SarInfo{8, 3, 3});
  auto udh = ReadSubmitPart(both);
  ASSERT_TRUE(udh);
  EXPECT_EQ(udh->reference, 7);
  EXPECT_FALSE(udh->from_sar);
}

TEST(ConcatPart, WhatCannotBePlacedIsRefused) {
  // UDHI, and the UDH broken, cut short, or without a concatenation element.
  for (const Bytes& bad : {Bytes{}, Bytes{0x05, 0x00, 0x03, 1, 2}, Bytes{0x07, 0x00, 0x03, 1, 2, 1},
                           Bytes{0x04, 0x05, 0x02, 0x0B, 0x84, 'x'},
                           Bytes{0x05, 0x00, 0x03, 1, 2, 3, 'x'},  // seqnum > total: ignored
                           Bytes{0x05, 0x00, 0x03, 1, 0, 0, 'x'}}) {
    auto part = ReadSubmitPart(Submit(bad));
    ASSERT_FALSE(part) << ::testing::PrintToString(bad);
    EXPECT_EQ(part.error(), CommandStatus::kInvalidEsmClass) << ::testing::PrintToString(bad);
  }
  // SAR TLVs not all there, or inconsistent.
  codec::SubmitSm missing = Submit({'x'}, 0x00);
  missing.tlvs.SetU16(codec::tag::kSarMsgRefNum, 1);
  missing.tlvs.SetU8(codec::tag::kSarTotalSegments, 2);
  auto no_seqnum = ReadSubmitPart(missing);
  ASSERT_FALSE(no_seqnum);
  EXPECT_EQ(no_seqnum.error(), CommandStatus::kInvalidOptionalParamValue);
  missing.tlvs.SetU8(codec::tag::kSarSegmentSeqnum, 3);
  EXPECT_EQ(ReadSubmitPart(missing).error(), CommandStatus::kInvalidOptionalParamValue);
  // No text after the header; more than a whole message may hold.
  EXPECT_EQ(ReadSubmitPart(Submit({0x05, 0x00, 0x03, 1, 2, 1})).error(),
            CommandStatus::kInvalidMessageLength);
  codec::SubmitSm huge = Submit({}, 0x00);
  codec::SetSar(huge.tlvs, text::SarInfo{1, 2, 1});
  huge.tlvs.Add(codec::tag::kMessagePayload, Bytes(kMaxReassembledOctets + 1, 'a'));
  EXPECT_EQ(ReadSubmitPart(huge).error(), CommandStatus::kInvalidMessageLength);
}

// The whole message is the submit of its last part with the joined text and nothing that made
// it a part.
TEST(ConcatPart, WholeSubmitJoinsThePartsAndDropsWhatMadeThemParts) {
  codec::SubmitSm last = Submit({0x05, 0x00, 0x03, 1, 2, 2, 'c'}, 0x43);
  codec::SetSar(last.tlvs, text::SarInfo{1, 2, 2});
  last.tlvs.Add(codec::tag::kMessagePayload, {'z'});
  last.tlvs.SetCString(codec::tag::kDltTemplateId, "1107160000000000001");
  last.schedule_delivery_time = "000000001000000R";
  const Bytes parts[] = {{'a', 'b'}, {'c'}};
  const codec::SubmitSm whole = WholeSubmit(last, parts, 0x01);
  EXPECT_EQ(whole.short_message, (Bytes{'a', 'b', 'c'}));
  EXPECT_EQ(whole.esm_class, 0x03);
  EXPECT_EQ(whole.registered_delivery, 0x01);
  EXPECT_FALSE(whole.tlvs.Has(codec::tag::kSarMsgRefNum));
  EXPECT_FALSE(whole.tlvs.Has(codec::tag::kSarTotalSegments));
  EXPECT_FALSE(whole.tlvs.Has(codec::tag::kSarSegmentSeqnum));
  EXPECT_FALSE(whole.tlvs.Has(codec::tag::kMessagePayload));
  EXPECT_TRUE(whole.tlvs.Has(codec::tag::kDltTemplateId));
  EXPECT_EQ(whole.schedule_delivery_time, last.schedule_delivery_time);
  EXPECT_EQ(whole.dest, last.dest);
}

std::string BodyOf(const codec::SubmitSm& whole) {
  rapidjson::Document fields;
  auto read = SubmitFields(whole, core::TimePoint{}, fields);
  EXPECT_TRUE(read) << static_cast<int>(read.error());
  return read && fields.HasMember("body") ? fields["body"].GetString() : "<refused>";
}

TEST(ConcatPart, Ucs2SurrogatePairSplitBetweenPartsIsReadWhole) {
  // "A😀B" in UTF-16BE: 0041 D83D DE00 0042, cut between the two halves of the pair.
  const Bytes udh1 = {0x05, 0x00, 0x03, 5, 2, 1};
  const Bytes udh2 = {0x05, 0x00, 0x03, 5, 2, 2};
  auto p1 = ReadSubmitPart(Submit(Cat(udh1, {0x00, 0x41, 0xD8, 0x3D}), 0x40, 0x08));
  auto p2 = ReadSubmitPart(Submit(Cat(udh2, {0xDE, 0x00, 0x00, 0x42}), 0x40, 0x08));
  ASSERT_TRUE(p1 && p2);
  const Bytes parts[] = {p1->user_data, p2->user_data};
  const codec::SubmitSm whole =
      WholeSubmit(Submit(Cat(udh2, {0xDE, 0x00, 0x00, 0x42}), 0x40, 0x08), parts, 0);
  EXPECT_EQ(BodyOf(whole),
            "A\xF0\x9F\x98\x80"
            "B");
}

TEST(ConcatPart, Gsm7PartsJoinAsSeptetsWithAnEscapeSplitBetweenThem) {
  // One septet per octet (SMPP's form): "Price 5" ESC | "e" (0x1B 0x65 is the euro sign).
  const Bytes udh1 = {0x05, 0x00, 0x03, 9, 3, 1};
  const Bytes udh2 = {0x05, 0x00, 0x03, 9, 3, 2};
  const Bytes udh3 = {0x05, 0x00, 0x03, 9, 3, 3};
  auto p1 = ReadSubmitPart(Submit(Cat(udh1, {'P', 'r', 'i', 'c', 'e', ' ', '5', 0x1B})));
  auto p2 = ReadSubmitPart(Submit(Cat(udh2, {0x65, ' ', 0x00})));  // the euro, ' ', '@'
  auto p3 = ReadSubmitPart(Submit(Cat(udh3, {'!'})));
  ASSERT_TRUE(p1 && p2 && p3);
  const Bytes parts[] = {p1->user_data, p2->user_data, p3->user_data};
  EXPECT_EQ(BodyOf(WholeSubmit(Submit(Cat(udh3, {'!'})), parts, 0)), "Price 5\xE2\x82\xAC @!");
}

// smsgw's own carrier-side splitter (text/segmenter.h) makes parts a customer could send: each
// method's parts read back as one set and join to the text it split.
TEST(ConcatPart, WhatSmsgwSplitsReadsBackWhole) {
  std::string text;
  for (int i = 0; i < 40; ++i) {
    text += "part of a long message {" + std::to_string(i) + "} ";  // '{' is a GSM-7 escape
  }
  for (const text::ConcatMethod method :
       {text::ConcatMethod::kUdh8, text::ConcatMethod::kUdh16, text::ConcatMethod::kSar}) {
    auto split = text::Split(text, core::Encoding::kGsm7, method);
    ASSERT_TRUE(split);
    auto wire = text::BuildWireParts(*split, {.method = method, .reference = 77});
    ASSERT_TRUE(wire);
    ASSERT_GT(wire->size(), 3u);
    std::vector<Bytes> parts(wire->size());
    codec::SubmitSm last;
    for (const text::WirePart& w : *wire) {
      codec::SubmitSm s = Submit(w.bytes, w.udhi ? 0x40 : 0x00);
      if (w.sar) {
        codec::SetSar(s.tlvs, *w.sar);
      }
      ASSERT_TRUE(IsConcatenated(s));
      auto part = ReadSubmitPart(s);
      ASSERT_TRUE(part) << static_cast<int>(part.error());
      EXPECT_EQ(part->reference, 77);
      EXPECT_EQ(part->total, static_cast<int>(wire->size()));
      parts.at(part->seqnum - 1) = part->user_data;
      last = s;
    }
    EXPECT_EQ(BodyOf(WholeSubmit(last, parts, 0)), text) << static_cast<int>(method);
  }
}

}  // namespace
}  // namespace smsgw::smpp_server
