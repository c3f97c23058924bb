#include "core/region.h"

#include <gtest/gtest.h>

namespace smsgw::core {
namespace {

bool Allows(Region r, RouteType t) { return AllowsType(r, t); }

TEST(Region, IndiaHasDltTypes) {
  EXPECT_TRUE(Allows(Region::kIn, RouteType::kOtp));
  EXPECT_TRUE(Allows(Region::kIn, RouteType::kTxn));
  EXPECT_TRUE(Allows(Region::kIn, RouteType::kTxnd));
  EXPECT_TRUE(Allows(Region::kIn, RouteType::kMkt));
  EXPECT_FALSE(Allows(Region::kIn, RouteType::kDefault));
  EXPECT_EQ(RulesFor(Region::kIn).default_type, RouteType::kMkt);
  EXPECT_TRUE(RulesFor(Region::kIn).dlt_enforced);
  EXPECT_EQ(AllowedTypesText(Region::kIn), "OTP, TXN, TXND, MKT");
  EXPECT_EQ(RulesFor(Region::kIn).profile_prefix, "IN");
}

TEST(Region, OthersHaveOtpAndDefault) {
  for (Region r : {Region::kSg, Region::kEu, Region::kNa}) {
    EXPECT_TRUE(Allows(r, RouteType::kOtp));
    EXPECT_TRUE(Allows(r, RouteType::kDefault));
    EXPECT_FALSE(Allows(r, RouteType::kMkt));
    EXPECT_EQ(RulesFor(r).default_type, RouteType::kDefault);
    EXPECT_FALSE(RulesFor(r).dlt_enforced);
    EXPECT_EQ(AllowedTypesText(r), "OTP, DEFAULT");
    EXPECT_EQ(RulesFor(r).profile_prefix, ToString(r));
  }
}

TEST(Region, RegisteredSendersByDefaultOnlyInIndia) {
  EXPECT_TRUE(SendersMustBeRegistered(Region::kIn, std::nullopt));
  EXPECT_FALSE(SendersMustBeRegistered(Region::kIn, false));
  for (Region r : {Region::kSg, Region::kEu, Region::kNa}) {
    EXPECT_FALSE(SendersMustBeRegistered(r, std::nullopt));
    EXPECT_TRUE(SendersMustBeRegistered(r, true));
  }
}

TEST(Region, ParsesCaseInsensitively) {
  EXPECT_EQ(ParseRegion("in"), Region::kIn);
  EXPECT_EQ(ParseRegion("Sg"), Region::kSg);
  EXPECT_FALSE(ParseRegion("AP").has_value());
  EXPECT_EQ(ParseRouteType("txnd"), RouteType::kTxnd);
  EXPECT_FALSE(ParseRouteType("PROMO").has_value());
}

}  // namespace
}  // namespace smsgw::core
