#include "text/ucs2.h"

#include <gtest/gtest.h>

#include <vector>

namespace smsgw::text {
namespace {

using Bytes = std::vector<uint8_t>;

TEST(Ucs2, EncodesBigEndianWithSurrogatePairs) {
  EXPECT_EQ(EncodeUcs2("Aé").value(), (Bytes{0x00, 0x41, 0x00, 0xE9}));
  EXPECT_EQ(EncodeUcs2("ह").value(), (Bytes{0x09, 0x39}));
  EXPECT_EQ(EncodeUcs2("中文").value(), (Bytes{0x4E, 0x2D, 0x65, 0x87}));
  EXPECT_EQ(EncodeUcs2("مرحبا").value(),
            (Bytes{0x06, 0x45, 0x06, 0x31, 0x06, 0x2D, 0x06, 0x28, 0x06, 0x27}));
  // U+1F600 = D83D DE00; U+10FFFF = DBFF DFFF.
  EXPECT_EQ(EncodeUcs2("😀").value(), (Bytes{0xD8, 0x3D, 0xDE, 0x00}));
  EXPECT_EQ(EncodeUcs2("\xF4\x8F\xBF\xBF").value(), (Bytes{0xDB, 0xFF, 0xDF, 0xFF}));
  EXPECT_EQ(Utf16Units(U'😀'), 2);
  EXPECT_EQ(Utf16Units(U'ह'), 1);
}

TEST(Ucs2, RejectsInvalidUtf8) {
  const auto r = EncodeUcs2("ab\xED\xA0\x80");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("byte offset 2"), std::string::npos);
}

TEST(Ucs2, DecodesAndRoundTrips) {
  for (const char* text :
       {"", "Hello", "नमस्ते दुनिया", "مرحبا بالعالم", "你好，世界", "😀👍🏽🇮🇳"}) {
    EXPECT_EQ(DecodeUcs2(EncodeUcs2(text).value()), text);
  }
}

TEST(Ucs2, BrokenInputBecomesReplacementCharacters) {
  // Lone high surrogate, lone low surrogate, high followed by a non-surrogate, a high
  // surrogate at the very end, and a trailing odd byte.
  EXPECT_EQ(DecodeUcs2(Bytes{0xD8, 0x3D, 0x00, 0x41}), "\uFFFDA");
  EXPECT_EQ(DecodeUcs2(Bytes{0xDE, 0x00}), "\uFFFD");
  EXPECT_EQ(DecodeUcs2(Bytes{0xD8, 0x3D, 0xD8, 0x3D, 0xDE, 0x00}), "\uFFFD😀");
  EXPECT_EQ(DecodeUcs2(Bytes{0x00, 0x41, 0xD8, 0x3D}), "A\uFFFD");
  EXPECT_EQ(DecodeUcs2(Bytes{0x00, 0x41, 0x00}), "A\uFFFD");
  EXPECT_EQ(DecodeUcs2(Bytes{0x00}), "\uFFFD");
}

}  // namespace
}  // namespace smsgw::text
