#include "text/gsm7.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "text/utf8.h"

namespace smsgw::text {
namespace {

using Bytes = std::vector<uint8_t>;

// GSM 03.38 §6.2.1, checked by hand against the spec's table, position by position.
const char32_t kExpectedDefault[128] = {
    U'@', U'£', U'$', U'¥', U'è', U'é', U'ù', U'ì', U'ò', U'Ç',  U'\n', U'Ø', U'ø', U'\r', U'Å',
    U'å', U'Δ', U'_', U'Φ', U'Γ', U'Λ', U'Ω', U'Π', U'Ψ', U'Σ',  U'Θ',  U'Ξ', 0,    U'Æ',  U'æ',
    U'ß', U'É', U' ', U'!', U'"', U'#', U'¤', U'%', U'&', U'\'', U'(',  U')', U'*', U'+',  U',',
    U'-', U'.', U'/', U'0', U'1', U'2', U'3', U'4', U'5', U'6',  U'7',  U'8', U'9', U':',  U';',
    U'<', U'=', U'>', U'?', U'¡', U'A', U'B', U'C', U'D', U'E',  U'F',  U'G', U'H', U'I',  U'J',
    U'K', U'L', U'M', U'N', U'O', U'P', U'Q', U'R', U'S', U'T',  U'U',  U'V', U'W', U'X',  U'Y',
    U'Z', U'Ä', U'Ö', U'Ñ', U'Ü', U'§', U'¿', U'a', U'b', U'c',  U'd',  U'e', U'f', U'g',  U'h',
    U'i', U'j', U'k', U'l', U'm', U'n', U'o', U'p', U'q', U'r',  U's',  U't', U'u', U'v',  U'w',
    U'x', U'y', U'z', U'ä', U'ö', U'ñ', U'ü', U'à'};

struct ExtensionEntry {
  uint8_t code;
  char32_t ch;
};
const ExtensionEntry kExpectedExtension[] = {
    {0x0A, U'\f'}, {0x14, U'^'}, {0x28, U'{'}, {0x29, U'}'}, {0x2F, U'\\'},
    {0x3C, U'['},  {0x3D, U'~'}, {0x3E, U']'}, {0x40, U'|'}, {0x65, U'€'},
};

std::string Utf8Of(char32_t cp) {
  std::string s;
  AppendUtf8(s, cp);
  return s;
}

TEST(Gsm7, SpotChecksFromTheSpec) {
  EXPECT_EQ(EncodeGsm7("@£$¥èéùìòÇ\nØø\rÅå").value(),
            (Bytes{0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C,
                   0x0D, 0x0E, 0x0F}));
  EXPECT_EQ(EncodeGsm7("Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ").value(),
            (Bytes{0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1C, 0x1D,
                   0x1E, 0x1F}));
  EXPECT_EQ(
      EncodeGsm7(" ¤¡ÄÖÑÜ§¿äöñüà").value(),
      (Bytes{0x20, 0x24, 0x40, 0x5B, 0x5C, 0x5D, 0x5E, 0x5F, 0x60, 0x7B, 0x7C, 0x7D, 0x7E, 0x7F}));
  EXPECT_EQ(EncodeGsm7("\f^{}\\[~]|€").value(),
            (Bytes{0x1B, 0x0A, 0x1B, 0x14, 0x1B, 0x28, 0x1B, 0x29, 0x1B, 0x2F,
                   0x1B, 0x3C, 0x1B, 0x3D, 0x1B, 0x3E, 0x1B, 0x40, 0x1B, 0x65}));
}

TEST(Gsm7, EveryDefaultCharacterRoundTrips) {
  for (uint8_t code = 0; code < 128; ++code) {
    if (code == kGsmEscape) {
      continue;
    }
    const char32_t ch = kExpectedDefault[code];
    SCOPED_TRACE(FormatCodePoint(ch));
    EXPECT_EQ(GsmDefaultChar(code), ch);
    const GsmCode looked_up = LookupGsm7(ch);
    EXPECT_EQ(looked_up.septets, 1);
    EXPECT_EQ(looked_up.code, code);
    EXPECT_EQ(EncodeGsm7(Utf8Of(ch)).value(), Bytes{code});
    EXPECT_EQ(DecodeGsm7(Bytes{code}), Utf8Of(ch));
  }
}

TEST(Gsm7, EveryExtensionCharacterRoundTrips) {
  int assigned = 0;
  for (uint8_t code = 0; code < 128; ++code) {
    if (GsmExtensionChar(code) != 0) {
      ++assigned;
    }
  }
  EXPECT_EQ(assigned, 10);
  for (const ExtensionEntry& e : kExpectedExtension) {
    SCOPED_TRACE(FormatCodePoint(e.ch));
    EXPECT_EQ(GsmExtensionChar(e.code), e.ch);
    const GsmCode looked_up = LookupGsm7(e.ch);
    EXPECT_EQ(looked_up.septets, 2);
    EXPECT_EQ(looked_up.code, e.code);
    EXPECT_EQ(EncodeGsm7(Utf8Of(e.ch)).value(), (Bytes{kGsmEscape, e.code}));
    EXPECT_EQ(DecodeGsm7(Bytes{kGsmEscape, e.code}), Utf8Of(e.ch));
  }
}

TEST(Gsm7, NothingElseBelowU3000IsGsm) {
  // Exactly 127 default characters + 10 extension characters are representable.
  int representable = 0;
  for (char32_t cp = 0; cp < 0x3000; ++cp) {
    if (LookupGsm7(cp).septets != 0) {
      ++representable;
    }
  }
  EXPECT_EQ(representable, 137);
  for (char32_t cp : {U'`', U'\t', U'ç', U'á', char32_t{0x1B}, U'α', U'ह', U'😀'}) {
    EXPECT_EQ(GsmSeptets(cp), 0) << FormatCodePoint(cp);
  }
}

TEST(Gsm7, EncodeNamesTheFirstCharacterItCannotCarry) {
  const auto r = EncodeGsm7("ok नमस्ते");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "GSM-7 cannot carry 'न' (U+0928)");
  const auto bad = EncodeGsm7("ok\xC3");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("byte offset 2"), std::string::npos);
}

TEST(Gsm7, DecodeNeverFailsOnOddInput) {
  // Unassigned extension code → the default character (TS 23.038 §6.2.1.1 note).
  EXPECT_EQ(DecodeGsm7(Bytes{kGsmEscape, 0x41}), "A");
  EXPECT_EQ(DecodeGsm7(Bytes{kGsmEscape, kGsmEscape}), " ");
  EXPECT_EQ(DecodeGsm7(Bytes{0x41, kGsmEscape}), "A");
  EXPECT_EQ(DecodeGsm7(Bytes{0x80, 0x41, 0xFF}), "\uFFFDA\uFFFD");
  EXPECT_EQ(DecodeGsm7(Bytes{kGsmEscape, 0xC1}), "\uFFFD");
  EXPECT_EQ(DecodeGsm7(Bytes{}), "");
}

Bytes Septets(std::string_view ascii) { return EncodeGsm7(ascii).value(); }

TEST(Gsm7Packing, KnownVectors) {
  // TS 23.038 §6.1.2.1.1 example shape; "hellohello" is the classic PDU test vector.
  EXPECT_EQ(PackSeptets(Septets("hellohello")),
            (Bytes{0xE8, 0x32, 0x9B, 0xFD, 0x46, 0x97, 0xD9, 0xEC, 0x37}));
  EXPECT_EQ(PackSeptets(Septets("hello")), (Bytes{0xE8, 0x32, 0x9B, 0xFD, 0x06}));
  EXPECT_EQ(PackSeptets(Septets("Hello")), (Bytes{0xC8, 0x32, 0x9B, 0xFD, 0x06}));
  // Eight septets fill exactly seven octets.
  EXPECT_EQ(PackSeptets(Septets("12345678")), (Bytes{0x31, 0xD9, 0x8C, 0x56, 0xB3, 0xDD, 0x70}));
  EXPECT_EQ(PackSeptets(Bytes{}), Bytes{});
  EXPECT_EQ(PackedLength(160), 140u);
  EXPECT_EQ(PackedLength(153, 1), 134u);
}

TEST(Gsm7Packing, FillBitsAfterAUdh) {
  // After a 6-octet UDH (48 bits) the septets start at bit 49: one zero fill bit, so 'H'
  // (0x48) shifted by one gives 0x90 — the familiar first octet of concatenated parts.
  const Bytes packed = PackSeptets(Septets("Hello"), 1);
  EXPECT_EQ(packed, (Bytes{0x90, 0x65, 0x36, 0xFB, 0x0D}));
  EXPECT_EQ(packed[0] & 0x01, 0);
  EXPECT_EQ(UnpackSeptets(packed, 5, 1).value(), Septets("Hello"));
  // Six fill bits (e.g. after a 3-octet UDH): first octet keeps only bits 6..7 of data.
  const Bytes six = PackSeptets(Septets("A"), 6);
  EXPECT_EQ(six, (Bytes{0x40, 0x10}));
  EXPECT_EQ(UnpackSeptets(six, 1, 6).value(), Septets("A"));
}

TEST(Gsm7Packing, UnpackChecksTheCount) {
  const Bytes packed = PackSeptets(Septets("hello"));
  EXPECT_EQ(UnpackSeptets(packed, 5).value(), Septets("hello"));
  EXPECT_FALSE(UnpackSeptets(packed, 6).has_value());
  EXPECT_FALSE(UnpackSeptets(packed, 1, 7).has_value());
  EXPECT_FALSE(UnpackSeptets(Bytes{}, 1).has_value());
  EXPECT_TRUE(UnpackSeptets(Bytes{}, 0).value().empty());
}

TEST(Gsm7Packing, CarriageReturnPaddingWhenTheCountIsNotTransmitted) {
  // 7 septets = 49 bits: the last octet has seven spare bits. Zero bits would read as '@'.
  const Bytes seven = Septets("1234567");
  EXPECT_EQ(UnpackAllSeptets(PackSeptets(seven)), Septets("1234567@"));
  const Bytes padded = PackSeptetsPaddedWithCr(seven);
  EXPECT_EQ(padded.back() >> 1, kGsmCarriageReturn);
  EXPECT_EQ(UnpackAllSeptets(padded), seven);
  // A wanted final <CR> that ends on an octet boundary looks like padding and is lost
  // (documented; the spec's <CR><CR> remedy could overflow a full part).
  const Bytes eight = Septets("1234567\r");
  EXPECT_EQ(PackSeptetsPaddedWithCr(eight).size(), 7u);
  EXPECT_EQ(UnpackAllSeptets(PackSeptetsPaddedWithCr(eight)), Septets("1234567"));
  EXPECT_EQ(UnpackSeptets(PackSeptetsPaddedWithCr(eight), 8).value(), eight);
  // Otherwise nothing changes.
  EXPECT_EQ(PackSeptetsPaddedWithCr(Septets("hello")), PackSeptets(Septets("hello")));
  EXPECT_EQ(UnpackAllSeptets(PackSeptets(Septets("hellohello"))), Septets("hellohello"));
  EXPECT_TRUE(UnpackAllSeptets(Bytes{}).empty());
  EXPECT_TRUE(UnpackAllSeptets(Bytes{0x00}, 9).empty());
}

}  // namespace
}  // namespace smsgw::text
