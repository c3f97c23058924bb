#include "core/ip_network.h"

#include <gtest/gtest.h>

namespace smsgw::core {
namespace {

IpNetwork Net(std::string_view text) {
  auto net = ParseIpNetwork(text);
  EXPECT_TRUE(net) << text;
  return net ? *net : IpNetwork{};
}

TEST(FormatIpNetwork, IsCanonicalAndReadsBack) {
  for (auto [in, out] :
       {std::pair{"10.0.0.0/8", "10.0.0.0/8"}, std::pair{"192.0.2.7", "192.0.2.7/32"},
        std::pair{" 0.0.0.0/0 ", "0.0.0.0/0"}, std::pair{"FD00::/8", "fd00::/8"},
        std::pair{"2001:db8:0:0::1", "2001:db8::1/128"}, std::pair{"::/0", "::/0"}}) {
    const IpNetwork net = Net(in);
    EXPECT_EQ(FormatIpNetwork(net), out) << in;
    EXPECT_EQ(Net(FormatIpNetwork(net)), net) << in;
  }
}

TEST(Contains, IPv4AndIPv6ByPrefix) {
  const IpAddress local = *ParseIpLiteral("127.0.0.1");
  EXPECT_TRUE(Contains(Net("127.0.0.0/8"), local));
  EXPECT_FALSE(Contains(Net("10.0.0.0/8"), local));
  EXPECT_TRUE(Contains(Net("0.0.0.0/0"), local));
  EXPECT_TRUE(Contains(Net("127.0.0.1"), local));
  EXPECT_FALSE(Contains(Net("127.0.0.2"), local));
  // A /12 splits a byte: 172.16.0.0 to 172.31.255.255.
  EXPECT_TRUE(Contains(Net("172.16.0.0/12"), *ParseIpLiteral("172.31.255.255")));
  EXPECT_FALSE(Contains(Net("172.16.0.0/12"), *ParseIpLiteral("172.32.0.0")));
  EXPECT_TRUE(Contains(Net("2001:db8::/32"), *ParseIpLiteral("2001:db8:ffff::1")));
  EXPECT_FALSE(Contains(Net("2001:db8::/32"), *ParseIpLiteral("2001:db9::1")));
  EXPECT_FALSE(Contains(Net("2001:db8::/32"), local));
  // An IPv4 client on an IPv6 socket arrives IPv4-mapped: the IPv4 network holds it.
  EXPECT_TRUE(Contains(Net("127.0.0.0/8"), *ParseIpLiteral("::ffff:127.0.0.1")));
  EXPECT_TRUE(Contains(Net("::/0"), local));
}

}  // namespace
}  // namespace smsgw::core
