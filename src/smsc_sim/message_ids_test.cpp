#include "smsc_sim/message_ids.h"

#include <gtest/gtest.h>

#include <set>

namespace smsgw::smsc_sim {
namespace {

using smpp::codec::IdFormat;

TEST(MessageIdGenerator, HexIsLowerCaseAndCountsUp) {
  MessageIdGenerator ids(IdFormat::kHex, 0x18c4a2b3ff);
  EXPECT_EQ(ids.Next(), "18c4a2b3ff");
  EXPECT_EQ(ids.Next(), "18c4a2b400");
}

TEST(MessageIdGenerator, Decimal) {
  MessageIdGenerator ids(IdFormat::kDecimal, 1700000000000);
  EXPECT_EQ(ids.Next(), "1700000000000");
  EXPECT_EQ(ids.Next(), "1700000000001");
}

TEST(MessageIdGenerator, HexAndDecimalIdsNormaliseToTheSameNumber) {
  MessageIdGenerator hex(IdFormat::kHex, 1234);
  MessageIdGenerator dec(IdFormat::kDecimal, 1234);
  EXPECT_TRUE(
      smpp::codec::SameMessageId(hex.Next(), dec.Next(), IdFormat::kHex, IdFormat::kDecimal));
}

TEST(MessageIdGenerator, Unique) {
  MessageIdGenerator ids(IdFormat::kHex, 1);
  std::set<std::string> seen;
  for (int i = 0; i < 5000; ++i) {
    ASSERT_TRUE(seen.insert(ids.Next()).second);
  }
}

}  // namespace
}  // namespace smsgw::smsc_sim
