#include "core/egress.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstring>

namespace smsgw::core {
namespace {

IpNetwork Net(std::string_view text) {
  auto net = ParseIpNetwork(text);
  EXPECT_TRUE(net) << text << ": " << net.error().message;
  return net ? *net : IpNetwork{};
}

IpAddress Ip(std::string_view text) {
  auto ip = ParseIpLiteral(text);
  EXPECT_TRUE(ip) << text;
  return ip.value_or(IpAddress{});
}

using Verdict = EgressPolicy::Verdict;

TEST(ParseIpNetwork, FormsAndRefusals) {
  EXPECT_EQ(Net("10.0.0.0/8").prefix, 104);
  EXPECT_EQ(Net("192.168.1.7").prefix, 128);
  EXPECT_EQ(Net("fd00::/8").prefix, 8);
  EXPECT_EQ(Net(" ::1 ").prefix, 128);
  for (const char* bad : {"", "10.0.0.0/33", "fd00::/129", "10.0.0.1/8", "127.1", "10.0.0.0/x",
                          "example.com", "10.0.0.0/-1"}) {
    EXPECT_FALSE(ParseIpNetwork(bad)) << bad;
  }
}

// Every spelling of loopback the reviewer tried, and the metadata address, refused by default;
// public and private addresses allowed.
TEST(EgressPolicy, DefaultDenies) {
  const EgressPolicy policy;
  for (const char* refused :
       {"127.0.0.1", "127.1", "2130706433", "0x7f000001", "0177.0.0.1", "::1", "0.0.0.0", "0",
        "::", "169.254.169.254", "fe80::1", "224.0.0.1", "ff02::1", "255.255.255.255",
        "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1"}) {
    EXPECT_EQ(policy.Check(Ip(refused), 80), Verdict::kDefaultDenied) << refused;
  }
  for (const char* allowed : {"8.8.8.8", "10.1.2.3", "172.16.0.1", "192.168.0.10", "100.64.0.1",
                              "2001:db8::1", "fd00::1", "::ffff:8.8.8.8"}) {
    EXPECT_EQ(policy.Check(Ip(allowed), 443), Verdict::kAllowed) << allowed;
  }
}

TEST(EgressPolicy, AllowBeatsTheDefaultsAndTheLongerPrefixWins) {
  const EgressPolicy policy({Net("127.0.0.1/32"), Net("10.1.2.0/24")},
                            {Net("10.0.0.0/8"), Net("10.1.2.3/32")}, {});
  EXPECT_EQ(policy.Check(Ip("127.0.0.1"), 9000), Verdict::kAllowed);
  EXPECT_EQ(policy.Check(Ip("127.0.0.2"), 9000), Verdict::kDefaultDenied);
  EXPECT_EQ(policy.Check(Ip("10.9.9.9"), 80), Verdict::kDenied);
  EXPECT_EQ(policy.Check(Ip("10.1.2.4"), 80), Verdict::kAllowed);
  EXPECT_EQ(policy.Check(Ip("10.1.2.3"), 80), Verdict::kDenied);
  EXPECT_EQ(policy.Check(Ip("8.8.8.8"), 80), Verdict::kAllowed);
  const EgressPolicy tie({Net("10.0.0.0/8")}, {Net("10.0.0.0/8")}, {});
  EXPECT_EQ(tie.Check(Ip("10.0.0.1"), 80), Verdict::kDenied);
}

TEST(EgressPolicy, OwnListenersAreRefusedWhateverTheLists) {
  const EgressPolicy policy({Net("127.0.0.0/8"), Net("10.0.0.0/8")}, {},
                            {{Ip("127.0.0.1"), 8080}, {Ip("10.0.0.5"), 8080}});
  EXPECT_EQ(policy.Check(Ip("127.0.0.1"), 8080), Verdict::kOwnListener);
  EXPECT_EQ(policy.Check(Ip("10.0.0.5"), 8080), Verdict::kOwnListener);
  EXPECT_EQ(policy.Check(Ip("::ffff:10.0.0.5"), 8080), Verdict::kOwnListener);
  EXPECT_EQ(policy.Check(Ip("127.0.0.1"), 8081), Verdict::kAllowed);
}

TEST(EgressPolicy, AllowsASocketAddress) {
  const EgressPolicy policy({Net("127.0.0.1/32")}, {}, {{Ip("127.0.0.1"), 8080}});
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  v4.sin_port = htons(9000);
  inet_pton(AF_INET, "127.0.0.1", &v4.sin_addr);
  EXPECT_TRUE(policy.Allows(reinterpret_cast<sockaddr*>(&v4)));
  v4.sin_port = htons(8080);
  EXPECT_FALSE(policy.Allows(reinterpret_cast<sockaddr*>(&v4)));
  sockaddr_in6 v6{};
  v6.sin6_family = AF_INET6;
  v6.sin6_port = htons(9000);
  inet_pton(AF_INET6, "::1", &v6.sin6_addr);
  EXPECT_FALSE(policy.Allows(reinterpret_cast<sockaddr*>(&v6)));
  sockaddr unix_socket{};
  unix_socket.sa_family = AF_UNIX;
  EXPECT_FALSE(policy.Allows(&unix_socket));
}

TEST(EgressPolicy, UrlProblemForLiteralsAndLocalhost) {
  const EgressPolicy policy({}, {Net("192.168.0.0/16")}, {{Ip("10.0.0.5"), 8080}});
  for (const char* url :
       {"http://127.0.0.1/x", "http://127.1/", "http://2130706433/", "http://0x7f000001:9/",
        "http://[::1]/", "http://0.0.0.0/", "http://169.254.169.254/latest/meta-data",
        "http://localhost:8080/", "http://LOCALHOST./", "http://api.localhost/",
        "http://[::ffff:127.0.0.1]/", "https://u:p@127.0.0.1/"}) {
    auto problem = policy.UrlProblem(url);
    ASSERT_TRUE(problem.has_value()) << url;
    EXPECT_NE(problem->find("loopback, link-local"), std::string::npos) << *problem;
  }
  EXPECT_EQ(policy.UrlProblem("http://192.168.1.1/"),
            "the url's address is not an allowed webhook target");
  EXPECT_EQ(policy.UrlProblem("http://10.0.0.5:8080/v1/x/messages"), "the url is smsgw's own API");
  for (const char* url : {"https://crm.example.com/h", "http://10.0.0.5/", "http://8.8.8.8:80/",
                          "http://localhostx/", "ftp://127.0.0.1/"}) {
    EXPECT_EQ(policy.UrlProblem(url), std::nullopt) << url;
  }
  // localhost is a target when one of its addresses is allowed.
  const EgressPolicy loopback_allowed({Net("127.0.0.1/32")}, {}, {});
  EXPECT_EQ(loopback_allowed.UrlProblem("http://localhost:9000/"), std::nullopt);
}

}  // namespace
}  // namespace smsgw::core
