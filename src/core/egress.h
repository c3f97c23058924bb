#pragma once
// EgressPolicy decides which addresses smsgw's outgoing webhook requests (callbacks and OAuth
// token fetches) may connect to, so a tenant cannot point a callback at the node itself, its
// loopback services, the cloud metadata address or anything else the operator walls off (SSRF).
// The webhook HTTP client asks it about the address it is about to connect to, after DNS, so a
// name that resolves to a refused address is refused too; the API asks it about URLs whose host is
// a literal address (any spelling inet_aton reads: 127.1, 2130706433, 0x7f000001) or `localhost`,
// to refuse them when they are configured.
//
// The verdict for an address and port, in order:
//   1. the node's own listeners (address and port) are refused, whatever the lists say;
//   2. the longest prefix among `allow` and `deny` decides (allow wins only when strictly longer);
//   3. otherwise the default denies: unspecified (0.0.0.0/8, ::/96 with ::), loopback
//      (127.0.0.0/8, ::1), link-local (169.254.0.0/16, fe80::/10), multicast (224.0.0.0/4,
//      ff00::/8) and reserved/broadcast (240.0.0.0/4);
//   4. everything else, private ranges included, is allowed.
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are judged as the IPv4 address they carry.
// Immutable after construction; thread-safe.

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ip_network.h"
#include "core/result.h"

namespace smsgw::core {

class EgressPolicy {
 public:
  struct Endpoint {
    IpAddress address{};
    uint16_t port = 0;
  };
  enum class Verdict { kAllowed, kOwnListener, kDenied, kDefaultDenied };

  EgressPolicy() = default;  // the default denies only
  EgressPolicy(std::vector<IpNetwork> allow, std::vector<IpNetwork> deny,
               std::vector<Endpoint> own_listeners);

  Verdict Check(const IpAddress& address, uint16_t port) const;
  bool Allows(const sockaddr* address) const;

  // Why `url` may not be a webhook target, for people, or nullopt when it may (as far as can be
  // told without DNS): its host is a literal address or `localhost` (RFC 6761: and its
  // subdomains) that Check refuses. A URL that is not http(s) is the caller's to refuse.
  std::optional<std::string> UrlProblem(std::string_view url) const;

 private:
  std::vector<IpNetwork> allow_, deny_;
  std::vector<Endpoint> own_listeners_;
};

// The ranges refused unless allowed (rule 3 above), for documentation and tests.
const std::vector<IpNetwork>& DefaultDeniedNetworks();

}  // namespace smsgw::core
