#include "smpp/codec/address.h"

#include <gtest/gtest.h>

namespace smsgw::smpp::codec {
namespace {

TEST(Address, GuessesTonAndNpi) {
  EXPECT_EQ(MakeAddress("+919876543210"), (Address{1, 1, "919876543210"}));
  EXPECT_EQ(MakeAddress("919876543210"), (Address{1, 1, "919876543210"}));
  EXPECT_EQ(MakeAddress("123456789"), (Address{1, 1, "123456789"}));  // 9 digits
  EXPECT_EQ(MakeAddress("12345678"), (Address{3, 0, "12345678"}));    // 8: short code
  EXPECT_EQ(MakeAddress("56767"), (Address{3, 0, "56767"}));
  EXPECT_EQ(MakeAddress("+4412"), (Address{1, 1, "4412"}));  // '+' means international
  EXPECT_EQ(MakeAddress("ACMEIN"), (Address{5, 0, "ACMEIN"}));
  EXPECT_EQ(MakeAddress("Info 24"), (Address{5, 0, "Info 24"}));
  EXPECT_EQ(MakeAddress("12AB"), (Address{5, 0, "12AB"}));
  EXPECT_EQ(MakeAddress("+"), (Address{5, 0, "+"}));
  EXPECT_EQ(MakeAddress(""), (Address{0, 0, ""}));
}

TEST(Address, Overrides) {
  EXPECT_EQ(MakeAddress("919876543210", {.ton = 0, .npi = std::nullopt}),
            (Address{0, 1, "919876543210"}));
  EXPECT_EQ(MakeAddress("ACMEIN", {.ton = std::nullopt, .npi = 1}), (Address{5, 1, "ACMEIN"}));
  EXPECT_EQ(MakeAddress("+919876543210", {.ton = 2, .npi = 8}), (Address{2, 8, "919876543210"}));
}

}  // namespace
}  // namespace smsgw::smpp::codec
