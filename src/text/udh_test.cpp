#include "text/udh.h"

#include <gtest/gtest.h>

#include <vector>

namespace smsgw::text {
namespace {

using Bytes = std::vector<uint8_t>;

TEST(Udh, BuildsConcatenationHeaders) {
  EXPECT_EQ(BuildConcatUdh({0xA7, 3, 1, false}), (Bytes{0x05, 0x00, 0x03, 0xA7, 0x03, 0x01}));
  EXPECT_EQ(BuildConcatUdh({0x1234, 2, 2, true}),
            (Bytes{0x06, 0x08, 0x04, 0x12, 0x34, 0x02, 0x02}));
}

TEST(Udh, FillBitsAlignToASeptetBoundary) {
  EXPECT_EQ(SeptetFillBits(6), 1);  // 48 bits → 49
  EXPECT_EQ(SeptetFillBits(7), 0);  // 56 bits = 8 septets
  EXPECT_EQ(SeptetFillBits(1), 6);
  EXPECT_EQ(SeptetFillBits(3), 4);
  EXPECT_EQ(UdhSeptets(6), 7u);
  EXPECT_EQ(UdhSeptets(7), 8u);
}

TEST(Udh, ParsesWhatItBuilds) {
  for (const ConcatInfo& c : {ConcatInfo{0, 1, 1, false}, ConcatInfo{255, 255, 255, false},
                              ConcatInfo{0xFFFF, 9, 4, true}}) {
    Bytes data = BuildConcatUdh(c);
    data.push_back('x');
    const core::Result<Udh> udh = ParseUdh(data);
    ASSERT_TRUE(udh.has_value()) << udh.error().message;
    EXPECT_EQ(udh->length, data.size() - 1);
    ASSERT_TRUE(udh->concat.has_value());
    EXPECT_EQ(*udh->concat, c);
  }
}

TEST(Udh, FindsConcatenationAmongOtherElements) {
  // National language single shift (0x24), 16-bit application port addressing (0x05), then
  // the 8-bit concatenation IE, then an unknown IE (0x70) with two octets.
  const Bytes data = {0x12, 0x24, 0x01, 0x06, 0x05, 0x04, 0x0B, 0x84, 0x23, 0xF0, 0x00,
                      0x03, 0x9C, 0x04, 0x02, 0x70, 0x02, 0xAA, 0xBB, 'h',  'i'};
  const core::Result<Udh> udh = ParseUdh(data);
  ASSERT_TRUE(udh.has_value()) << udh.error().message;
  EXPECT_EQ(udh->length, 19u);
  ASSERT_EQ(udh->elements.size(), 4u);
  EXPECT_EQ(udh->elements[0].iei, 0x24);
  EXPECT_EQ(udh->elements[1].data, (Bytes{0x0B, 0x84, 0x23, 0xF0}));
  EXPECT_EQ(udh->elements[3].iei, 0x70);
  EXPECT_EQ(udh->elements[3].data, (Bytes{0xAA, 0xBB}));
  ASSERT_TRUE(udh->concat.has_value());
  EXPECT_EQ(*udh->concat, (ConcatInfo{0x9C, 4, 2, false}));
}

TEST(Udh, EmptyHeaderAndZeroLengthElements) {
  const core::Result<Udh> empty = ParseUdh(Bytes{0x00, 'a'});
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->length, 1u);
  EXPECT_TRUE(empty->elements.empty());
  EXPECT_FALSE(empty->concat.has_value());
  const core::Result<Udh> zero = ParseUdh(Bytes{0x02, 0x0A, 0x00});
  ASSERT_TRUE(zero.has_value());
  ASSERT_EQ(zero->elements.size(), 1u);
  EXPECT_TRUE(zero->elements[0].data.empty());
}

TEST(Udh, TheLastConcatenationElementWins) {
  const Bytes data = {0x0A, 0x00, 0x03, 0x01, 0x02, 0x01, 0x00, 0x03, 0x07, 0x05, 0x03};
  const core::Result<Udh> udh = ParseUdh(data);
  ASSERT_TRUE(udh.has_value());
  EXPECT_EQ(*udh->concat, (ConcatInfo{7, 5, 3, false}));
}

TEST(Udh, IgnoresConcatenationWithImpossibleNumbers) {
  // TS 23.040 §9.2.3.24.1: total 0, seqnum 0 or seqnum > total → ignore the IE.
  for (const Bytes& data :
       {Bytes{0x05, 0x00, 0x03, 0x01, 0x00, 0x01}, Bytes{0x05, 0x00, 0x03, 0x01, 0x02, 0x00},
        Bytes{0x05, 0x00, 0x03, 0x01, 0x02, 0x03},
        Bytes{0x06, 0x08, 0x04, 0x00, 0x01, 0x01, 0x02}}) {
    const core::Result<Udh> udh = ParseUdh(data);
    ASSERT_TRUE(udh.has_value());
    EXPECT_FALSE(udh->concat.has_value());
    EXPECT_EQ(udh->elements.size(), 1u);
  }
}

struct Malformed {
  Bytes data;
  const char* why;
};

class UdhMalformed : public testing::TestWithParam<Malformed> {};

TEST_P(UdhMalformed, IsAnErrorValue) {
  const core::Result<Udh> udh = ParseUdh(GetParam().data);
  ASSERT_FALSE(udh.has_value());
  EXPECT_EQ(udh.error().code, core::Errc::kInvalidArgument);
  EXPECT_NE(udh.error().message.find(GetParam().why), std::string::npos) << udh.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, UdhMalformed,
    testing::Values(Malformed{{}, "no UDHL"}, Malformed{{0x05, 0x00, 0x03, 0x01, 0x02}, "exceeds"},
                    Malformed{{0xFF, 0x00}, "exceeds"},
                    Malformed{{0x01, 0x00}, "truncated information element"},
                    Malformed{{0x04, 0x00, 0x03, 0x01, 0x02, 0x01}, "runs past UDHL"},
                    Malformed{{0x06, 0x00, 0x03, 0x01, 0x02, 0x01, 0x05}, "truncated"},
                    Malformed{{0x04, 0x00, 0x02, 0x01, 0x02}, "not 3"},
                    Malformed{{0x06, 0x00, 0x04, 0x01, 0x02, 0x01, 0x01}, "not 3"},
                    Malformed{{0x05, 0x08, 0x03, 0x01, 0x02, 0x01}, "not 4"},
                    Malformed{{0x07, 0x24, 0x01, 0x00, 0x00, 0x09, 0x01, 0x02}, "0x00 length 9"}));

}  // namespace
}  // namespace smsgw::text
