#include "delivery/mo_text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "text/segmenter.h"
#include "text/ucs2.h"
#include "text/udh.h"

namespace smsgw::delivery {
namespace {

// Part `seqnum` of `total` with an 8-bit concatenation UDH in front of `user_data`.
store::InboundPart Part(int seqnum, int total, std::vector<uint8_t> user_data,
                        uint8_t data_coding = 0x08) {
  store::InboundPart p;
  p.data_coding = data_coding;
  p.payload =
      text::BuildConcatUdh({42, static_cast<uint8_t>(total), static_cast<uint8_t>(seqnum), false});
  p.udh_length = p.payload.size();
  p.payload.insert(p.payload.end(), user_data.begin(), user_data.end());
  p.concat = store::InboundConcat{42, total, seqnum};
  return p;
}

std::vector<uint8_t> Bytes(std::string_view s) { return {s.begin(), s.end()}; }

std::vector<uint8_t> Ucs2(std::string_view utf8) { return *text::EncodeUcs2(utf8); }

TEST(AssembleMoTextTest, OnePartWithoutConcatenation) {
  store::InboundPart p;
  p.data_coding = 0;
  p.payload = Bytes("Hello @ world");  // GSM-7 0x40 is '¡'
  EXPECT_EQ(AssembleMoText({&p, 1}, 1), "Hello \u00A1 world");
}

TEST(AssembleMoTextTest, ASurrogatePairSplitBetweenPartsDecodesWhole) {
  // U+1F600 is D83D DE00 in UTF-16; an SMSC that splits by octets puts a half in each part.
  const std::vector<store::InboundPart> parts = {Part(1, 2, {0x00, 0x41, 0xD8, 0x3D}),
                                                 Part(2, 2, {0xDE, 0x00, 0x00, 0x42})};
  EXPECT_EQ(AssembleMoText(parts, 2), "A\U0001F600B");
  // Decoded part by part, each half would have been a replacement character.
  EXPECT_EQ(text::DecodeUcs2(std::vector<uint8_t>{0x00, 0x41, 0xD8, 0x3D}), "A\uFFFD");
}

TEST(AssembleMoTextTest, AGsmEscapeSplitBetweenPartsDecodesWhole) {
  // ESC 0x65 is the euro sign.
  const std::vector<store::InboundPart> parts = {Part(1, 2, {'p', 'a', 'y', ' ', 0x1B}, 0x00),
                                                 Part(2, 2, {0x65, '5'}, 0x00)};
  EXPECT_EQ(AssembleMoText(parts, 2), "pay \u20AC5");
}

TEST(AssembleMoTextTest, PartsAreTakenInPartOrder) {
  const std::vector<store::InboundPart> parts = {Part(3, 3, Ucs2("c")), Part(1, 3, Ucs2("a")),
                                                 Part(2, 3, Ucs2("b"))};
  EXPECT_EQ(AssembleMoText(parts, 3), "abc");
}

TEST(AssembleMoTextTest, EachMissingPartIsMarked) {
  const std::string m(kMissingPartMarker);
  const store::InboundPart a = Part(1, 4, Ucs2("one ")), c = Part(3, 4, Ucs2("three"));
  EXPECT_EQ(AssembleMoText(std::vector{a, c}, 4), "one " + m + "three" + m);
  EXPECT_EQ(AssembleMoText(std::vector{c}, 4), m + m + "three" + m);
  EXPECT_EQ(AssembleMoText({}, 2), m + m);
  // A surrogate pair whose second half is in the missing part cannot be recovered.
  const store::InboundPart half = Part(1, 2, {0x00, 0x41, 0xD8, 0x3D});
  EXPECT_EQ(AssembleMoText({&half, 1}, 2), "A\uFFFD" + m);
}

TEST(AssembleMoTextTest, PartsInDifferentAlphabetsAreDecodedEachByItsOwn) {
  const std::vector<store::InboundPart> parts = {Part(1, 2, Bytes("abc"), 0x00),
                                                 Part(2, 2, Ucs2("\u0416"), 0x08)};
  EXPECT_EQ(AssembleMoText(parts, 2), "abc\u0416");
}

TEST(AssembleMoTextTest, WhatCannotBeDecodedBecomesAReplacementCharacter) {
  const std::vector<store::InboundPart> parts = {Part(1, 2, {0x01, 0x02}, 0x04),
                                                 Part(2, 2, Bytes("ok"), 0x00)};
  EXPECT_EQ(AssembleMoText(parts, 2), "\uFFFDok");
}

// A NUL (UCS-2 0x0000) cannot be stored in PostgreSQL text; the MO is kept, with U+FFFD there.
TEST(AssembleMoTextTest, ANulBecomesAReplacementCharacter) {
  const std::vector<store::InboundPart> parts = {Part(1, 1, {0x00, 0x41, 0x00, 0x00, 0x00, 0x42})};
  EXPECT_EQ(AssembleMoText(parts, 1), "A\uFFFDB");
}

TEST(AssembleMoTextTest, CopiesAndPartsBeyondTheTotalAreIgnored) {
  const std::vector<store::InboundPart> parts = {Part(1, 2, Ucs2("a")), Part(1, 2, Ucs2("A")),
                                                 Part(2, 2, Ucs2("b")), Part(3, 2, Ucs2("c"))};
  EXPECT_EQ(AssembleMoText(parts, 2), "ab");
}

TEST(AssembleMoTextTest, AUdhLongerThanThePayloadLeavesNoText) {
  store::InboundPart p;
  p.payload = {0x05, 0x00};
  p.udh_length = 6;
  EXPECT_EQ(AssembleMoText({&p, 1}, 1), "");
}

// What the segmenter splits, assembly puts back together, for each alphabet and method.
TEST(AssembleMoTextTest, RoundTripsTheSegmentersParts) {
  const std::string gsm = "Price: 10\u20AC {x} [y] " + std::string(300, 'g') + "~|^";
  const std::string ucs = "Namaste \u0928\u092E\u0938\u094D\u0924\u0947 \U0001F600 " +
                          std::string(150, 'u') + "\U0001F44D";
  for (const auto& [utf8, encoding] :
       {std::pair{gsm, core::Encoding::kGsm7}, std::pair{ucs, core::Encoding::kUcs2}}) {
    for (text::ConcatMethod method :
         {text::ConcatMethod::kUdh8, text::ConcatMethod::kUdh16, text::ConcatMethod::kSar}) {
      auto split = text::Split(utf8, encoding, method);
      ASSERT_TRUE(split) << split.error().message;
      text::WireOptions options;
      options.method = method;
      options.reference = 77;
      auto wire = text::BuildWireParts(*split, options);
      ASSERT_TRUE(wire) << wire.error().message;
      ASSERT_GT(wire->size(), 2u);
      std::vector<store::InboundPart> parts;
      const int total = static_cast<int>(wire->size());
      for (int i = total - 1; i >= 0; --i) {  // arrival order does not matter
        const text::WirePart& w = (*wire)[static_cast<size_t>(i)];
        store::InboundPart p;
        p.data_coding = encoding == core::Encoding::kUcs2 ? 0x08 : 0x00;
        p.payload = w.bytes;
        if (w.udhi) {
          auto udh = text::ParseUdh(w.bytes);
          ASSERT_TRUE(udh && udh->concat);
          p.udh_length = udh->length;
        }
        p.concat = store::InboundConcat{77, total, i + 1};
        parts.push_back(std::move(p));
      }
      EXPECT_EQ(AssembleMoText(parts, total), utf8) << static_cast<int>(method);
    }
  }
}

}  // namespace
}  // namespace smsgw::delivery
