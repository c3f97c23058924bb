#include "core/url.h"

#include <gtest/gtest.h>

namespace smsgw::core {
namespace {

TEST(SplitHttpUrl, HostPortAndUserinfo) {
  auto u = SplitHttpUrl("HTTPS://user:pw@Example.com:8443/p?q=1@x#f");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->https);
  EXPECT_TRUE(u->has_userinfo);
  EXPECT_EQ(u->userinfo, "user:pw");
  EXPECT_EQ(u->host, "Example.com");
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(u->authority_begin, 8u);
  EXPECT_EQ(u->authority_end, 32u);

  auto plain = SplitHttpUrl("http://h");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->port, 80);
  EXPECT_FALSE(plain->has_userinfo);
  EXPECT_EQ(SplitHttpUrl("https://h/")->port, 443);
  EXPECT_EQ(SplitHttpUrl("http://h:/x")->port, 80);
}

TEST(SplitHttpUrl, Ipv6Literals) {
  auto u = SplitHttpUrl("http://[::1]:8080/x");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->ipv6_literal);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 8080);
  EXPECT_EQ(SplitHttpUrl("http://[::ffff:127.0.0.1]")->host, "::ffff:127.0.0.1");
  EXPECT_FALSE(SplitHttpUrl("http://[::1/x"));
  EXPECT_FALSE(SplitHttpUrl("http://[::1]x/"));
}

TEST(SplitHttpUrl, Refusals) {
  for (const char* bad : {"ftp://h", "http://", "http:///x", "http://u@/x", "http://h:0",
                          "http://h:65536", "http://h:8a", "//h/x"}) {
    EXPECT_FALSE(SplitHttpUrl(bad)) << bad;
  }
}

}  // namespace
}  // namespace smsgw::core
