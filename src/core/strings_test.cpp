#include "core/strings.h"

#include <gtest/gtest.h>

namespace smsgw::core {
namespace {

TEST(Strings, PrintableAscii) {
  EXPECT_EQ(PrintableAscii("acme-01 ~"), "acme-01 ~");
  EXPECT_EQ(PrintableAscii(std::string("a\nb\x00"
                                       "c\x7f\xc3\xa9",
                                       8)),
            "a?b?c???");
  EXPECT_EQ(PrintableAscii(""), "");
}

TEST(Strings, HexDigitValue) {
  EXPECT_EQ(HexDigitValue('0'), 0);
  EXPECT_EQ(HexDigitValue('9'), 9);
  EXPECT_EQ(HexDigitValue('a'), 10);
  EXPECT_EQ(HexDigitValue('F'), 15);
  EXPECT_EQ(HexDigitValue('g'), -1);
  EXPECT_EQ(HexDigitValue('%'), -1);
}

TEST(Strings, PercentDecode) {
  std::string out;
  EXPECT_TRUE(PercentDecode("a%20b+c%2B%e2%82%AC", out, /*plus_is_space=*/true));
  EXPECT_EQ(out, "a b c+€");
  EXPECT_TRUE(PercentDecode("a+b", out, /*plus_is_space=*/false));
  EXPECT_EQ(out, "a+b");
  EXPECT_TRUE(PercentDecode("", out, true));
  EXPECT_EQ(out, "");
  EXPECT_FALSE(PercentDecode("%", out, true));
  EXPECT_FALSE(PercentDecode("%4", out, true));
  EXPECT_FALSE(PercentDecode("%4g", out, true));
  EXPECT_TRUE(PercentDecode("%41", out, true));
  EXPECT_EQ(out, "A");
}

}  // namespace
}  // namespace smsgw::core
