#include "text/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace smsgw::text {
namespace {

struct Invalid {
  std::string bytes;
  size_t offset;
  std::string reason;
};

class Utf8Invalid : public testing::TestWithParam<Invalid> {};

TEST_P(Utf8Invalid, IsRejectedWithOffsetAndReason) {
  const Invalid& c = GetParam();
  const core::Result<size_t> count = CountCodePoints(c.bytes);
  ASSERT_FALSE(count.has_value());
  EXPECT_EQ(count.error().code, core::Errc::kInvalidArgument);
  const std::string& message = count.error().message;
  EXPECT_NE(message.find("invalid UTF-8 at byte offset " + std::to_string(c.offset) + ":"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find(c.reason), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    EveryKind, Utf8Invalid,
    testing::Values(
        // Stray continuation bytes, alone and after a complete character.
        Invalid{"\x80", 0, "unexpected continuation byte"},
        Invalid{"ab\xBF", 2, "unexpected continuation byte"},
        Invalid{"\xC3\xA9\xA9", 2, "unexpected continuation byte"},
        // Lead bytes that never occur.
        Invalid{"\xC0\x80", 0, "overlong"}, Invalid{"x\xC1\xBF", 1, "overlong"},
        Invalid{"\xF5\x80\x80\x80", 0, "invalid lead byte"},
        Invalid{"\xF8\x88\x80\x80\x80", 0, "invalid lead byte"},
        Invalid{"\xFE", 0, "invalid lead byte"}, Invalid{"\xFF", 0, "invalid lead byte"},
        // Overlong forms of '/' and of U+07FF / U+FFFF.
        Invalid{"\xE0\x80\xAF", 0, "overlong encoding"},
        Invalid{"\xE0\x9F\xBF", 0, "overlong encoding"},
        Invalid{"\xF0\x80\x80\xAF", 0, "overlong encoding"},
        Invalid{"\xF0\x8F\xBF\xBF", 0, "overlong encoding"},
        // UTF-16 surrogates encoded in UTF-8 (CESU-8 style), high and low.
        Invalid{"\xED\xA0\x80", 0, "surrogate"}, Invalid{"ok\xED\xBF\xBF", 2, "surrogate"},
        Invalid{"\xED\xA0\xBD\xED\xB8\x80", 0, "surrogate"},
        // Above U+10FFFF.
        Invalid{"\xF4\x90\x80\x80", 0, "above U+10FFFF"},
        Invalid{"\xF4\xBF\xBF\xBF", 0, "above U+10FFFF"},
        // Truncated: at the end, and interrupted by another character.
        Invalid{"\xC3", 0, "truncated"}, Invalid{"abc\xE2\x82", 3, "truncated"},
        Invalid{"\xF0\x9F\x98", 0, "truncated"},
        Invalid{"\xE2\x82"
                "A",
                0, "truncated"},
        Invalid{"\xF0\x9F\x98 ", 0, "truncated"}, Invalid{"\xC3 ", 0, "truncated"},
        // Truncated but already wrong in the bytes present.
        Invalid{"\xED\xA0", 0, "surrogate"}, Invalid{"\xE0\x80", 0, "overlong"},
        Invalid{"\xF4\x90", 0, "above U+10FFFF"}));

TEST(Utf8, AcceptsEveryBoundaryOfTheWellFormedRanges) {
  // U+0000, U+007F, U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FFFF, U+10000, U+10FFFF.
  static constexpr char kBytes[] =
      "\x00\x7F\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF"
      "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF";
  const std::string text(kBytes, sizeof kBytes - 1);
  const core::Result<size_t> count = CountCodePoints(text);
  ASSERT_TRUE(count.has_value()) << count.error().message;
  EXPECT_EQ(*count, 10u);
}

TEST(Utf8, DecodesCodePointsAndLengths) {
  const std::string text = "aé€😀";
  const char32_t expected[] = {U'a', U'é', U'€', U'😀'};
  const int lengths[] = {1, 2, 3, 4};
  size_t offset = 0;
  for (int i = 0; i < 4; ++i) {
    const Utf8Char c = DecodeUtf8Char(text, offset);
    EXPECT_EQ(c.code_point, expected[i]);
    EXPECT_EQ(c.length, lengths[i]);
    offset += c.length;
  }
  EXPECT_EQ(offset, text.size());
}

TEST(Utf8, CountsCodePointsNotBytes) {
  EXPECT_EQ(CountCodePoints("").value(), 0u);
  EXPECT_EQ(CountCodePoints("hello").value(), 5u);
  EXPECT_EQ(CountCodePoints("नमस्ते").value(), 6u);
  EXPECT_EQ(CountCodePoints("😀👍").value(), 2u);
}

TEST(Utf8, AppendRoundTripsAndReplacesWhatUtf8CannotHold) {
  std::string out;
  for (char32_t cp : {U'A', U'é', U'€', U'😀', char32_t{0x10FFFF}}) {
    AppendUtf8(out, cp);
  }
  EXPECT_EQ(out, "Aé€😀\xF4\x8F\xBF\xBF");
  std::string bad;
  AppendUtf8(bad, 0xD800);
  AppendUtf8(bad, 0x110000);
  EXPECT_EQ(bad, "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Utf8, DescribesCharacters) {
  EXPECT_EQ(FormatCodePoint(0x939), "U+0939");
  EXPECT_EQ(FormatCodePoint(0x1F600), "U+1F600");
  EXPECT_EQ(DescribeCodePoint(0x939), "'ह' (U+0939)");
  EXPECT_EQ(DescribeCodePoint('\t'), "U+0009");
}

// An independent, arithmetic definition of well-formed UTF-8 (RFC 3629 §3): the bit patterns
// give the length, the value must need that length, and surrogates and values above U+10FFFF
// are excluded. Checked exhaustively against the table-driven decoder.
// Returns the code point count, or -1 for ill-formed input.
long ReferenceCount(const std::string& s) {
  long count = 0;
  for (size_t i = 0; i < s.size(); ++count) {
    const auto lead = static_cast<uint8_t>(s[i]);
    size_t n = 0;
    char32_t cp = 0;
    if (lead < 0x80) {
      n = 1;
      cp = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      n = 2;
      cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      n = 3;
      cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      n = 4;
      cp = lead & 0x07;
    } else {
      return -1;
    }
    if (s.size() - i < n) {
      return -1;
    }
    for (size_t k = 1; k < n; ++k) {
      const auto b = static_cast<uint8_t>(s[i + k]);
      if ((b & 0xC0) != 0x80) {
        return -1;
      }
      cp = (cp << 6) | (b & 0x3F);
    }
    const char32_t min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_length[n] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      return -1;
    }
    i += n;
  }
  return count;
}

void ExpectAgreesWithReference(const std::string& s) {
  const core::Result<size_t> count = CountCodePoints(s);
  const long expected = ReferenceCount(s);
  ASSERT_EQ(count.has_value(), expected >= 0) << testing::PrintToString(s);
  if (count.has_value()) {
    ASSERT_EQ(static_cast<long>(*count), expected);
  }
}

TEST(Utf8, AgreesWithReferenceOnAllOneTwoAndThreeByteSequences) {
  for (int a = 0; a < 256; ++a) {
    ExpectAgreesWithReference(std::string(1, static_cast<char>(a)));
    for (int b = 0; b < 256; ++b) {
      ExpectAgreesWithReference({static_cast<char>(a), static_cast<char>(b)});
    }
  }
  for (int a = 0xE0; a <= 0xEF; ++a) {
    for (int b = 0; b < 256; ++b) {
      for (int c : {0x00, 0x41, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF}) {
        ExpectAgreesWithReference(
            {static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)});
      }
    }
  }
}

TEST(Utf8, AgreesWithReferenceOnFourByteSequences) {
  for (int a = 0xF0; a <= 0xFF; ++a) {
    for (int b = 0; b < 256; ++b) {
      for (int c : {0x41, 0x80, 0xBF, 0xC0}) {
        for (int d : {0x41, 0x80, 0xBF, 0xC0}) {
          ExpectAgreesWithReference({static_cast<char>(a), static_cast<char>(b),
                                     static_cast<char>(c), static_cast<char>(d)});
        }
      }
    }
  }
}

}  // namespace
}  // namespace smsgw::text
