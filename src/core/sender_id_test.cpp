#include "core/sender_id.h"

#include <gtest/gtest.h>

namespace smsgw::core {
namespace {

TEST(SenderId, AlphanumericAndNumericForms) {
  for (const char* ok : {"A", "ACMEIN", "Acme Bank", "ABCDEFGHIJK", "917012345678", "+14155550100",
                         "123456789012345"}) {
    EXPECT_TRUE(IsValidSenderId(ok)) << ok;
  }
  for (const char* bad : {"", "ABCDEFGHIJKL", "ACME-IN", "   ", "1234567890123456", "Acmé", "+"}) {
    EXPECT_FALSE(IsValidSenderId(bad)) << bad;
  }
}

TEST(SenderId, EntityIdIsTwelveToThirtyDigits) {
  EXPECT_TRUE(IsValidEntityId("120115900000"));
  EXPECT_TRUE(IsValidEntityId("1201159000000000000"));
  EXPECT_FALSE(IsValidEntityId("12011590000"));
  EXPECT_FALSE(IsValidEntityId(std::string(31, '1')));
  EXPECT_FALSE(IsValidEntityId("12011590000x"));
}

TEST(SenderId, IsoCodeIsTwoLetters) {
  EXPECT_EQ(NormalizeIsoCode("in"), "IN");
  EXPECT_EQ(NormalizeIsoCode("Sg"), "SG");
  EXPECT_FALSE(NormalizeIsoCode("IND").has_value());
  EXPECT_FALSE(NormalizeIsoCode("I1").has_value());
  EXPECT_FALSE(NormalizeIsoCode("").has_value());
}

}  // namespace
}  // namespace smsgw::core
