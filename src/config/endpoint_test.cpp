#include "config/endpoint.h"

#include <gtest/gtest.h>

namespace smsgw::config {
namespace {

TEST(ParseEndpoint, Ipv4) {
  auto e = ParseEndpoint("127.0.0.1:8080");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->host, "127.0.0.1");
  EXPECT_EQ(e->port, 8080);
}

TEST(ParseEndpoint, HostNameAndPortZero) {
  auto e = ParseEndpoint("localhost:0");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->host, "localhost");
  EXPECT_EQ(e->port, 0);
}

TEST(ParseEndpoint, BracketedIpv6LosesBrackets) {
  auto e = ParseEndpoint("[::1]:80");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->host, "::1");
  EXPECT_EQ(e->port, 80);
  auto any = ParseEndpoint("[::]:65535");
  ASSERT_TRUE(any) << any.error().message;
  EXPECT_EQ(any->host, "::");
  EXPECT_EQ(any->port, 65535);
}

TEST(ParseEndpoint, AllInterfaces) {
  auto e = ParseEndpoint("0.0.0.0:443");
  ASSERT_TRUE(e);
  EXPECT_EQ(*e, (Endpoint{"0.0.0.0", 443}));
}

TEST(ParseEndpoint, RejectsBadInput) {
  for (const char* bad : {
           "",                  // nothing
           "127.0.0.1",         // no port
           "127.0.0.1:",        // empty port
           ":8080",             // no host
           "localhost:65536",   // port too large
           "localhost:-1",      // negative
           "localhost:80a",     // junk after the port
           "localhost:+80",     // sign
           "localhost:000080",  // too many digits
           "::1:80",            // IPv6 without brackets
           "[::1]",             // bracketed without port
           "[::1]80",           // missing colon
           "[::1:80",           // missing ']'
           "[]:80",             // empty IPv6
           "[1.2.3.4]:80",      // IPv4 in brackets
           "local host:80",     // space
           "host/x:80",         // slash
       }) {
    auto e = ParseEndpoint(bad);
    EXPECT_FALSE(e) << "accepted \"" << bad << "\"";
    if (!e) {
      EXPECT_EQ(e.error().code, core::Errc::kInvalidArgument);
      EXPECT_FALSE(e.error().message.empty());
    }
  }
}

TEST(ParseEndpoint, ErrorNamesTheInput) {
  auto e = ParseEndpoint("localhost:99999");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("99999"), std::string::npos) << e.error().message;
}

TEST(FormatEndpoint, RoundTrips) {
  for (const char* text : {"127.0.0.1:8080", "[::1]:80", "localhost:0", "[fe80::1%eth0]:9"}) {
    auto e = ParseEndpoint(text);
    ASSERT_TRUE(e) << text << ": " << e.error().message;
    EXPECT_EQ(FormatEndpoint(*e), text);
  }
}

}  // namespace
}  // namespace smsgw::config
