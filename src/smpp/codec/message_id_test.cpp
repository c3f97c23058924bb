#include "smpp/codec/message_id.h"

#include <gtest/gtest.h>

#include <string>

namespace smsgw::smpp::codec {
namespace {

TEST(MessageId, HexAndDecimalFormsMeet) {
  EXPECT_EQ(NormalizeMessageId("4d2"), "1234");
  EXPECT_EQ(NormalizeMessageId("4D2"), "1234");
  EXPECT_EQ(NormalizeMessageId("0x4d2"), "1234");
  EXPECT_EQ(NormalizeMessageId("1234"), "1234");
  EXPECT_EQ(NormalizeMessageId("0000001234"), "1234");
  EXPECT_EQ(NormalizeMessageId("000"), "0");
  EXPECT_EQ(NormalizeMessageId(" 1234\r\n"), "1234");
  EXPECT_TRUE(SameMessageId("4d2", "1234"));
  EXPECT_TRUE(SameMessageId("00004D2", "01234"));
  EXPECT_FALSE(SameMessageId("4d2", "1235"));
}

TEST(MessageId, ExplicitFormats) {
  // An all-digit hex id only meets its decimal twin when the format says hex.
  EXPECT_EQ(NormalizeMessageId("1234", IdFormat::kHex), "4660");
  EXPECT_TRUE(SameMessageId("1234", "4660", IdFormat::kHex, IdFormat::kDecimal));
  EXPECT_FALSE(SameMessageId("1234", "4660"));
  EXPECT_EQ(NormalizeMessageId("0x10", IdFormat::kHex), "16");
  EXPECT_EQ(NormalizeMessageId("0010", IdFormat::kDecimal), "10");
  // Not a number in the stated format: kept as given.
  EXPECT_EQ(NormalizeMessageId("4d2", IdFormat::kDecimal), "4d2");
  EXPECT_EQ(NormalizeMessageId("12g", IdFormat::kHex), "12g");
}

TEST(MessageId, BeyondSixtyFourBits) {
  // A 128-bit hex id (UUID-style SMSC ids), checked against Python's int(..., 16).
  EXPECT_EQ(NormalizeMessageId("ffffffffffffffffffffffffffffffff"),
            "340282366920938463463374607431768211455");
  EXPECT_EQ(NormalizeMessageId("ffffffffffffffff"), "18446744073709551615");
  EXPECT_EQ(NormalizeMessageId("10000000000000000"), "10000000000000000");  // decimal
  EXPECT_EQ(NormalizeMessageId("0x10000000000000000"), "18446744073709551616");
}

TEST(MessageId, OpaqueIdsStayAsTheyAre) {
  EXPECT_EQ(NormalizeMessageId("abc-123"), "abc-123");
  EXPECT_EQ(NormalizeMessageId("MSG_XYZ"), "MSG_XYZ");
  EXPECT_EQ(NormalizeMessageId(""), "");
  const std::string long_id(65, '1');  // longer than any SMPP message_id
  EXPECT_EQ(NormalizeMessageId(long_id), long_id);
  EXPECT_FALSE(SameMessageId("xyz", "XYZ"));       // case matters for opaque ids...
  EXPECT_TRUE(SameMessageId("abcdef", "ABCDEF"));  // ...not for hex numbers
}

TEST(MessageId, Idempotent) {
  for (const char* id :
       {"4d2", "0x4D2", "00012", "abc-1", "", "ffffffffffffffffffffffffffffffff"}) {
    const std::string once = NormalizeMessageId(id);
    EXPECT_EQ(NormalizeMessageId(once), once) << id;
    EXPECT_EQ(NormalizeMessageId(once, IdFormat::kDecimal), once) << id;
  }
}

}  // namespace
}  // namespace smsgw::smpp::codec
