#include "smpp_server/message_id_form.h"

#include <gtest/gtest.h>

#include <string>

#include "core/ids.h"

namespace smsgw::smpp_server {
namespace {

using store::SmppIdFormat;

TEST(MessageIdForm, HexIsSmsgwsOwnId) {
  const std::string id = "0190c2d4-8a7e-7c3e-9f00-0123456789ab:1";
  EXPECT_EQ(CustomerMessageId(id, SmppIdFormat::kHex), id);
  EXPECT_EQ(SmsgwMessageId(id, SmppIdFormat::kHex), id);
  EXPECT_EQ(SmsgwMessageId("anything at all", SmppIdFormat::kHex), "anything at all");
}

TEST(MessageIdForm, DecimalIsTheUuidsNumberThenThePosition) {
  EXPECT_EQ(CustomerMessageId("00000000-0000-0000-0000-000000000000:1", SmppIdFormat::kDecimal),
            std::string(39, '0') + "1");
  EXPECT_EQ(CustomerMessageId("00000000-0000-0000-0000-0000000000ff:12", SmppIdFormat::kDecimal),
            std::string(36, '0') + "255" + "12");
  // 2^128 - 1 = 340282366920938463463374607431768211455 (39 digits).
  EXPECT_EQ(CustomerMessageId("ffffffff-ffff-ffff-ffff-ffffffffffff:100", SmppIdFormat::kDecimal),
            "340282366920938463463374607431768211455100");
  EXPECT_EQ(SmsgwMessageId("340282366920938463463374607431768211455100", SmppIdFormat::kDecimal),
            "ffffffff-ffff-ffff-ffff-ffffffffffff:100");
}

TEST(MessageIdForm, DecimalMapsBackForEveryIdSmsgwMakes) {
  for (int i = 0; i < 1000; ++i) {
    const std::string id = core::NewUuid() + ":" + std::to_string(1 + i % 150);
    const std::string decimal = CustomerMessageId(id, SmppIdFormat::kDecimal);
    EXPECT_TRUE(decimal.find_first_not_of("0123456789") == std::string::npos) << decimal;
    EXPECT_GE(decimal.size(), 40u);
    EXPECT_LE(decimal.size(), kMaxSmppMessageId);
    EXPECT_EQ(SmsgwMessageId(decimal, SmppIdFormat::kDecimal), id);
  }
  // The longest position still fits SMPP's 64 characters.
  const std::string longest = core::NewUuid() + ":" + std::string(25, '9');
  const std::string decimal = CustomerMessageId(longest, SmppIdFormat::kDecimal);
  EXPECT_EQ(decimal.size(), 64u);
  EXPECT_EQ(SmsgwMessageId(decimal, SmppIdFormat::kDecimal), longest);
}

TEST(MessageIdForm, WhatIsNotADecimalIdMapsToNothing) {
  for (const std::string& bad : {
           std::string(""),
           std::string(39, '1'),                                          // no position
           std::string(39, '1') + "0",                                    // position 0
           std::string(39, '1') + "01",                                   // leading zero
           std::string(39, '1') + std::string(26, '1'),                   // 65 characters
           std::string("340282366920938463463374607431768211456") + "1",  // 2^128
           std::string(38, '1') + "x1",
           std::string("0190c2d4-8a7e-7c3e-9f00-0123456789ab:1"),
       }) {
    EXPECT_EQ(SmsgwMessageId(bad, SmppIdFormat::kDecimal), std::nullopt) << bad;
  }
}

TEST(MessageIdForm, AnIdOfAnotherShapeIsShownAsItIs) {
  for (const std::string odd :
       {"legacy-id", "0190C2D4-8A7E-7C3E-9F00-0123456789AB:1",
        "0190c2d4-8a7e-7c3e-9f00-0123456789ab", "x:1", "0190c2d4-8a7e-7c3e-9f00-0123456789ab:01"}) {
    EXPECT_EQ(CustomerMessageId(odd, SmppIdFormat::kDecimal), odd);
  }
}

}  // namespace
}  // namespace smsgw::smpp_server
