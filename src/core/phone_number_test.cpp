#include "core/phone_number.h"

#include <gtest/gtest.h>

namespace smsgw::core {
namespace {

TEST(NormalizePhoneNumber, International) {
  EXPECT_EQ(NormalizePhoneNumber("+919876543210", ""), "919876543210");
  EXPECT_EQ(NormalizePhoneNumber("+1 (415) 555-0100", ""), "14155550100");
  EXPECT_EQ(NormalizePhoneNumber("+6591234567", "+91"), "6591234567");  // '+' wins over prefix
}

TEST(NormalizePhoneNumber, NationalNumbersWithLeadingZeros) {
  EXPECT_EQ(NormalizePhoneNumber("+39 06 1234 5678", ""), "390612345678");  // Rome, fixed line
}

TEST(NormalizePhoneNumber, RepeatedLookupsAgree) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(NormalizePhoneNumber("+919876543210", ""), "919876543210");
    EXPECT_FALSE(NormalizePhoneNumber("+910000000000", "").has_value());
  }
}

TEST(NormalizePhoneNumber, PrefixAppliedOnlyWhenMissing) {
  EXPECT_EQ(NormalizePhoneNumber("9876543210", "+91"), "919876543210");
  EXPECT_EQ(NormalizePhoneNumber("919876543210", "+91"), "919876543210");
  EXPECT_EQ(NormalizePhoneNumber("9876543210", "91"), "919876543210");
}

TEST(NormalizePhoneNumber, DigitsWithoutPlusAreCountryCodeAndNumber) {
  EXPECT_EQ(NormalizePhoneNumber("14155550100", ""), "14155550100");
  EXPECT_FALSE(NormalizePhoneNumber("9876543210", "").has_value());  // +98 76.. is not valid
}

TEST(NormalizePhoneNumber, RejectsGarbageAndInvalidNumbers) {
  for (const char* bad : {"", "+", "abc", "+91abc9876543210", "++919876543210", "+9198765",
                          "+91987654321099999", "+910000000000", "12+34567890"}) {
    EXPECT_FALSE(NormalizePhoneNumber(bad, "").has_value()) << bad;
  }
}

TEST(RegionOf, TheCountryOfANumber) {
  EXPECT_EQ(RegionOf("919876543210"), "IN");
  EXPECT_EQ(RegionOf("6591234567"), "SG");
  EXPECT_EQ(RegionOf("14155550123"), "US");
  EXPECT_EQ(RegionOf("442071838750"), "GB");
  EXPECT_EQ(RegionOf("447911123456"), "GG") << "Guernsey mobiles share +44";
  EXPECT_EQ(RegionOf(""), "");
  EXPECT_EQ(RegionOf("+919876543210"), "") << "digits only";
  EXPECT_TRUE(IsKnownRegion("IN"));
  EXPECT_TRUE(IsKnownRegion("US"));
  EXPECT_FALSE(IsKnownRegion("in"));
  EXPECT_FALSE(IsKnownRegion("XX"));
  EXPECT_FALSE(IsKnownRegion("IND"));
}

}  // namespace
}  // namespace smsgw::core
