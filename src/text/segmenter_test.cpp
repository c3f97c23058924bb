#include "text/segmenter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "text/gsm7.h"
#include "text/ucs2.h"
#include "text/udh.h"

namespace smsgw::text {
namespace {

using Bytes = std::vector<uint8_t>;

std::string Repeat(std::string_view unit, size_t times) {
  std::string out;
  for (size_t i = 0; i < times; ++i) {
    out += unit;
  }
  return out;
}

Segmentation MustSplit(std::string_view text, core::Encoding encoding,
                       ConcatMethod method = ConcatMethod::kUdh8) {
  core::Result<Segmentation> s = Split(text, encoding, method);
  EXPECT_TRUE(s.has_value()) << s.error().message;
  return s.value_or(Segmentation{encoding, {}});
}

std::vector<size_t> UnitsPerPart(const Segmentation& s) {
  std::vector<size_t> units;
  for (const Part& p : s.parts) {
    units.push_back(p.units);
  }
  return units;
}

Bytes Joined(const Segmentation& s) {
  Bytes all;
  for (const Part& p : s.parts) {
    all.insert(all.end(), p.bytes.begin(), p.bytes.end());
  }
  return all;
}

TEST(Limits, MatchTheSpec) {
  using core::Encoding;
  const auto gsm8 = LimitsFor(Encoding::kGsm7, ConcatMethod::kUdh8);
  EXPECT_EQ(gsm8.single, 160u);
  EXPECT_EQ(gsm8.per_part, 153u);
  EXPECT_EQ(LimitsFor(Encoding::kGsm7, ConcatMethod::kUdh16).per_part, 152u);
  EXPECT_EQ(LimitsFor(Encoding::kGsm7, ConcatMethod::kSar).per_part, 153u);
  EXPECT_EQ(LimitsFor(Encoding::kUcs2, ConcatMethod::kUdh8).single, 70u);
  EXPECT_EQ(LimitsFor(Encoding::kUcs2, ConcatMethod::kUdh8).per_part, 67u);
  EXPECT_EQ(LimitsFor(Encoding::kUcs2, ConcatMethod::kUdh16).per_part, 66u);
  EXPECT_EQ(LimitsFor(Encoding::kUcs2, ConcatMethod::kMessagePayload).per_part, 67u);
  EXPECT_EQ(LimitsFor(Encoding::kBinary, ConcatMethod::kUdh8).single, 140u);
  EXPECT_EQ(LimitsFor(Encoding::kBinary, ConcatMethod::kUdh8).per_part, 134u);
}

TEST(Split, Gsm7Boundaries) {
  EXPECT_EQ(UnitsPerPart(MustSplit(Repeat("a", 160), core::Encoding::kGsm7)),
            std::vector<size_t>{160});
  EXPECT_EQ(UnitsPerPart(MustSplit(Repeat("a", 161), core::Encoding::kGsm7)),
            (std::vector<size_t>{153, 8}));
  EXPECT_EQ(UnitsPerPart(MustSplit(Repeat("a", 306), core::Encoding::kGsm7)),
            (std::vector<size_t>{153, 153}));
  EXPECT_EQ(UnitsPerPart(MustSplit(Repeat("a", 307), core::Encoding::kGsm7)),
            (std::vector<size_t>{153, 153, 1}));
  EXPECT_EQ(UnitsPerPart(MustSplit(Repeat("a", 307), core::Encoding::kGsm7, ConcatMethod::kUdh16)),
            (std::vector<size_t>{152, 152, 3}));
}

TEST(Split, EscapeAndItsCharacterStayTogether) {
  const Segmentation s =
      MustSplit(Repeat("a", 152) + "€" + Repeat("a", 152), core::Encoding::kGsm7);
  ASSERT_EQ(UnitsPerPart(s), (std::vector<size_t>{152, 153, 1}));
  EXPECT_EQ(s.parts[1].bytes[0], kGsmEscape);
  EXPECT_EQ(s.parts[1].bytes[1], 0x65);
  EXPECT_NE(s.parts[0].bytes.back(), kGsmEscape);
  EXPECT_EQ(DecodeGsm7(s.parts[1].bytes), "€" + Repeat("a", 151));
}

TEST(Split, Ucs2BoundariesAndSurrogatePairs) {
  EXPECT_EQ(UnitsPerPart(MustSplit(Repeat("ह", 70), core::Encoding::kUcs2)),
            std::vector<size_t>{70});
  EXPECT_EQ(UnitsPerPart(MustSplit(Repeat("ह", 71), core::Encoding::kUcs2)),
            (std::vector<size_t>{67, 4}));
  const Segmentation s = MustSplit(Repeat("ह", 66) + "😀" + Repeat("ह", 66), core::Encoding::kUcs2);
  ASSERT_EQ(UnitsPerPart(s), (std::vector<size_t>{66, 67, 1}));
  EXPECT_EQ(s.parts[1].bytes[0], 0xD8);  // the pair opens part 2
  EXPECT_EQ(DecodeUcs2(s.parts[0].bytes), Repeat("ह", 66));
  EXPECT_EQ(DecodeUcs2(s.parts[1].bytes), "😀" + Repeat("ह", 65));
}

TEST(Split, ByModeAndErrors) {
  const core::Result<Segmentation> s = Split("Hi 😀", UnicodeMode::kAuto);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->encoding, core::Encoding::kUcs2);
  EXPECT_FALSE(Split("Hi 😀", UnicodeMode::kGsm7).has_value());
  EXPECT_FALSE(Split("Hi 😀", core::Encoding::kGsm7).has_value());
  EXPECT_FALSE(Split("bad \xFF", core::Encoding::kUcs2).has_value());
  const Segmentation empty = MustSplit("", core::Encoding::kGsm7);
  ASSERT_EQ(empty.parts.size(), 1u);
  EXPECT_TRUE(empty.parts[0].bytes.empty());
}

TEST(Split, BinaryIsSplitByOctets) {
  const std::string octets(300, '\x1B');
  const Segmentation s = MustSplit(octets, core::Encoding::kBinary);
  EXPECT_EQ(UnitsPerPart(s), (std::vector<size_t>{134, 134, 32}));
  EXPECT_EQ(Joined(s), Bytes(octets.begin(), octets.end()));
}

TEST(SplitEncoded, NeverReadsPastATruncatedEscapeOrPair) {
  const Bytes gsm(200, kGsmEscape);  // odd trailing escape
  size_t total = 0;
  for (const Part& p : SplitEncoded(gsm, core::Encoding::kGsm7, {160, 153})) {
    EXPECT_LE(p.units, 153u);
    total += p.bytes.size();
  }
  EXPECT_EQ(total, 200u);
  Bytes ucs2(151, 0xD8);  // high surrogates and an odd byte
  total = 0;
  for (const Part& p : SplitEncoded(ucs2, core::Encoding::kUcs2, {70, 67})) {
    EXPECT_LE(p.units, 67u);
    total += p.bytes.size();
  }
  EXPECT_EQ(total, 151u);
}

TEST(WireParts, SinglePartHasNoHeader) {
  const Segmentation s = MustSplit("Hello", core::Encoding::kGsm7);
  for (ConcatMethod m : {ConcatMethod::kUdh8, ConcatMethod::kUdh16, ConcatMethod::kSar,
                         ConcatMethod::kMessagePayload}) {
    const auto wire = BuildWireParts(s, {m, 7, false});
    ASSERT_TRUE(wire.has_value());
    ASSERT_EQ(wire->size(), 1u);
    EXPECT_EQ((*wire)[0].bytes, EncodeGsm7("Hello").value());
    EXPECT_FALSE((*wire)[0].udhi);
    EXPECT_FALSE((*wire)[0].sar.has_value());
    EXPECT_FALSE((*wire)[0].in_message_payload);
  }
}

TEST(WireParts, EightBitReferenceUdh) {
  const Segmentation s = MustSplit(Repeat("a", 200), core::Encoding::kGsm7);
  const auto wire = BuildWireParts(s, {ConcatMethod::kUdh8, 0x42, false});
  ASSERT_TRUE(wire.has_value());
  ASSERT_EQ(wire->size(), 2u);
  const WirePart& second = (*wire)[1];
  EXPECT_TRUE(second.udhi);
  EXPECT_EQ(Bytes(second.bytes.begin(), second.bytes.begin() + 6),
            (Bytes{0x05, 0x00, 0x03, 0x42, 0x02, 0x02}));
  EXPECT_EQ(second.bytes.size(), 6u + 47u);
  EXPECT_EQ((*wire)[0].bytes.size(), 6u + 153u);
}

TEST(WireParts, SixteenBitReferenceUdh) {
  const Segmentation s = MustSplit(Repeat("ह", 100), core::Encoding::kUcs2, ConcatMethod::kUdh16);
  const auto wire = BuildWireParts(s, {ConcatMethod::kUdh16, 0xBEEF, false});
  ASSERT_TRUE(wire.has_value());
  ASSERT_EQ(wire->size(), 2u);
  EXPECT_EQ(Bytes((*wire)[0].bytes.begin(), (*wire)[0].bytes.begin() + 7),
            (Bytes{0x06, 0x08, 0x04, 0xBE, 0xEF, 0x02, 0x01}));
  EXPECT_EQ((*wire)[0].bytes.size(), 7u + 132u);  // 66 units fill 133 octets to 139
  EXPECT_LE((*wire)[0].bytes.size(), 140u);
}

TEST(WireParts, SarCarriesTheDataForTlvs) {
  const Segmentation s = MustSplit(Repeat("b", 400), core::Encoding::kGsm7, ConcatMethod::kSar);
  const auto wire = BuildWireParts(s, {ConcatMethod::kSar, 0x1234, false});
  ASSERT_TRUE(wire.has_value());
  ASSERT_EQ(wire->size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    const WirePart& p = (*wire)[i];
    EXPECT_FALSE(p.udhi);
    ASSERT_TRUE(p.sar.has_value());
    EXPECT_EQ(p.sar->msg_ref_num, 0x1234);
    EXPECT_EQ(p.sar->total_segments, 3);
    EXPECT_EQ(p.sar->segment_seqnum, i + 1);
    EXPECT_EQ(p.bytes, s.parts[i].bytes);
  }
}

TEST(WireParts, MessagePayloadCarriesTheWholeText) {
  const std::string text = Repeat("c", 400);
  const Segmentation s = MustSplit(text, core::Encoding::kGsm7, ConcatMethod::kMessagePayload);
  const auto wire = BuildWireParts(s, {ConcatMethod::kMessagePayload, 0, false});
  ASSERT_TRUE(wire.has_value());
  ASSERT_EQ(wire->size(), 1u);
  EXPECT_TRUE((*wire)[0].in_message_payload);
  EXPECT_FALSE((*wire)[0].udhi);
  EXPECT_EQ((*wire)[0].bytes, EncodeGsm7(text).value());
}

TEST(WireParts, PackedGsm7AfterUdhUsesFillBits) {
  const Segmentation s = MustSplit(Repeat("Hello", 40), core::Encoding::kGsm7);  // 200 septets
  const auto wire = BuildWireParts(s, {ConcatMethod::kUdh8, 1, true});
  ASSERT_TRUE(wire.has_value());
  ASSERT_EQ(wire->size(), 2u);
  const Bytes& first = (*wire)[0].bytes;
  EXPECT_EQ(first.size(), 140u);  // 6 UDH octets + 1 fill bit + 153 septets = 140 octets
  EXPECT_EQ(first[6], 0x90);      // 'H' after one fill bit
  const auto back = UnpackSeptets(std::span(first).subspan(6), 153, 1);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, s.parts[0].bytes);
  // 16-bit UDH: 7 octets = 8 septets exactly, no fill bits, 152 septets.
  const Segmentation s16 =
      MustSplit(Repeat("Hello", 40), core::Encoding::kGsm7, ConcatMethod::kUdh16);
  const auto wire16 = BuildWireParts(s16, {ConcatMethod::kUdh16, 1, true});
  ASSERT_TRUE(wire16.has_value());
  EXPECT_EQ((*wire16)[0].bytes.size(), 140u);
  EXPECT_EQ((*wire16)[0].bytes[7], 0xC8);  // 'H' plus the low bit of 'e', no fill
}

TEST(WireParts, Errors) {
  const Segmentation s = MustSplit(Repeat("a", 400), core::Encoding::kGsm7);
  EXPECT_FALSE(BuildWireParts(s, {ConcatMethod::kUdh8, 256, false}).has_value());
  EXPECT_TRUE(BuildWireParts(s, {ConcatMethod::kUdh16, 256, false}).has_value());
  const Segmentation huge = MustSplit(Repeat("a", 153 * 256), core::Encoding::kGsm7);
  ASSERT_EQ(huge.parts.size(), 256u);
  EXPECT_FALSE(BuildWireParts(huge, {ConcatMethod::kUdh8, 1, false}).has_value());
  EXPECT_FALSE(BuildWireParts(huge, {ConcatMethod::kSar, 1, false}).has_value());
  EXPECT_TRUE(BuildWireParts(huge, {ConcatMethod::kMessagePayload, 1, false}).has_value());
}

}  // namespace
}  // namespace smsgw::text
