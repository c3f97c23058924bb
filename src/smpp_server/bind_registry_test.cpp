#include "smpp_server/bind_registry.h"

#include <gtest/gtest.h>

namespace smsgw::smpp_server {
namespace {

TEST(BindRegistry, LimitsBindsPerAccountNotPerCredential) {
  BindRegistry binds(2);
  EXPECT_TRUE(binds.TryAdd(1, {"A", "a1", [] {}}));
  EXPECT_TRUE(binds.TryAdd(2, {"A", "a2", [] {}}));
  EXPECT_FALSE(binds.TryAdd(3, {"A", "a1", [] {}}));  // a third of account A, any credential
  EXPECT_TRUE(binds.TryAdd(4, {"B", "b1", [] {}}));   // other accounts are not affected
  binds.Remove(1);
  EXPECT_TRUE(binds.TryAdd(3, {"A", "a1", [] {}}));
  binds.Remove(99);  // unknown: nothing happens
  EXPECT_FALSE(binds.TryAdd(5, {"A", "a2", [] {}}));
}

TEST(BindRegistry, ClosesEveryBindOfACredential) {
  BindRegistry binds(10);
  int closed_a1 = 0, closed_other = 0;
  ASSERT_TRUE(binds.TryAdd(1, {"A", "a1", [&] { ++closed_a1; }}));
  ASSERT_TRUE(binds.TryAdd(2, {"A", "a1", [&] { ++closed_a1; }}));
  ASSERT_TRUE(binds.TryAdd(3, {"A", "a2", [&] { ++closed_other; }}));
  EXPECT_EQ(binds.SystemIds(), (std::vector<std::string>{"a1", "a2"}));
  EXPECT_EQ(binds.CloseBindsOf("a1"), 2u);
  EXPECT_EQ(closed_a1, 2);
  EXPECT_EQ(closed_other, 0);
  EXPECT_EQ(binds.CloseBindsOf("nobody"), 0u);
}

}  // namespace
}  // namespace smsgw::smpp_server
