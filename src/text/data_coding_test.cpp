#include "text/data_coding.h"

#include <gtest/gtest.h>

namespace smsgw::text {
namespace {

TEST(DataCoding, Outbound) {
  EXPECT_EQ(DataCodingFor(core::Encoding::kGsm7, false), 0x00);
  EXPECT_EQ(DataCodingFor(core::Encoding::kGsm7, true), 0x10);
  EXPECT_EQ(DataCodingFor(core::Encoding::kUcs2, false), 0x08);
  EXPECT_EQ(DataCodingFor(core::Encoding::kUcs2, true), 0x18);
  EXPECT_EQ(DataCodingFor(core::Encoding::kBinary, false), 0x04);
  EXPECT_EQ(DataCodingFor(core::Encoding::kBinary, true), 0x14);
}

TEST(DataCoding, OutboundValuesReadBackAsTheirAlphabetAndClass) {
  for (core::Encoding e : {core::Encoding::kGsm7, core::Encoding::kUcs2}) {
    for (bool flash : {false, true}) {
      const uint8_t dc = DataCodingFor(e, flash);
      EXPECT_EQ(AlphabetOf(dc), e == core::Encoding::kGsm7 ? Alphabet::kGsm7 : Alphabet::kUcs2);
      EXPECT_EQ(IsFlash(dc), flash);
    }
  }
}

TEST(DataCoding, SmppValues) {
  EXPECT_EQ(AlphabetOf(0x00), Alphabet::kGsm7);
  EXPECT_EQ(AlphabetOf(0x01), Alphabet::kAscii);
  EXPECT_EQ(AlphabetOf(0x02), Alphabet::kBinary);
  EXPECT_EQ(AlphabetOf(0x03), Alphabet::kLatin1);
  EXPECT_EQ(AlphabetOf(0x04), Alphabet::kBinary);
  EXPECT_EQ(AlphabetOf(0x05), Alphabet::kUnsupported);  // JIS
  EXPECT_EQ(AlphabetOf(0x06), Alphabet::kUnsupported);  // Cyrillic
  EXPECT_EQ(AlphabetOf(0x08), Alphabet::kUcs2);
  EXPECT_EQ(AlphabetOf(0x0E), Alphabet::kUnsupported);
}

TEST(DataCoding, GsmDcsGroups) {
  EXPECT_EQ(AlphabetOf(0x11), Alphabet::kGsm7);         // class 1
  EXPECT_EQ(AlphabetOf(0x15), Alphabet::kBinary);       // 8-bit, class 1
  EXPECT_EQ(AlphabetOf(0x19), Alphabet::kUcs2);         // UCS-2, class 1
  EXPECT_EQ(AlphabetOf(0x1C), Alphabet::kUnsupported);  // reserved alphabet
  EXPECT_EQ(AlphabetOf(0x30), Alphabet::kUnsupported);  // compressed
  EXPECT_EQ(AlphabetOf(0x48), Alphabet::kUcs2);         // marked for automatic deletion
  EXPECT_EQ(AlphabetOf(0x90), Alphabet::kUnsupported);  // reserved group
  EXPECT_EQ(AlphabetOf(0xC8), Alphabet::kGsm7);         // MWI discard
  EXPECT_EQ(AlphabetOf(0xD8), Alphabet::kGsm7);         // MWI store
  EXPECT_EQ(AlphabetOf(0xE8), Alphabet::kUcs2);         // MWI store UCS-2
  EXPECT_EQ(AlphabetOf(0xF0), Alphabet::kGsm7);
  EXPECT_EQ(AlphabetOf(0xF4), Alphabet::kBinary);
  EXPECT_TRUE(IsFlash(0xF0));
  EXPECT_TRUE(IsFlash(0xF4));
  EXPECT_FALSE(IsFlash(0xF1));
  EXPECT_FALSE(IsFlash(0x00));
  EXPECT_FALSE(IsFlash(0x08));
  EXPECT_FALSE(IsFlash(0x01));  // no class bit: SMPP's own value, not class 1
}

}  // namespace
}  // namespace smsgw::text
