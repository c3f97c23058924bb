#pragma once
// IP addresses and networks (CIDR), IPv4 and IPv6 in one form: the webhook egress policy
// (egress.h) and the SMPP credentials' allowed source ranges use them. Pure; thread-safe.

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace smsgw::core {

// An IPv6 address; IPv4 addresses are held IPv4-mapped (::ffff:a.b.c.d).
using IpAddress = std::array<uint8_t, 16>;

struct IpNetwork {
  IpAddress address{};
  int prefix = 128;  // of the 128 bits (an IPv4 /8 is 104)
  friend bool operator==(const IpNetwork&, const IpNetwork&) = default;
};

// "10.0.0.0/8", "192.168.1.7" (a /32), "fd00::/8", "::1"; the address must not have bits set
// past the prefix. kInvalidArgument with a reason otherwise.
Result<IpNetwork> ParseIpNetwork(std::string_view text);

// The canonical text of `net`, which ParseIpNetwork reads back: "10.0.0.0/8" for an IPv4 (mapped)
// network, "fd00::/8" otherwise; the prefix is always written ("192.0.2.7/32").
std::string FormatIpNetwork(const IpNetwork& net);

// Whether `address` is inside `net`. An IPv4-mapped address is inside an IPv4 network.
bool Contains(const IpNetwork& net, const IpAddress& address);

// A literal address as a URL host may spell it: IPv4 in any form inet_aton reads, or IPv6 (without
// brackets). nullopt for a name.
std::optional<IpAddress> ParseIpLiteral(std::string_view host);

// The address of a socket address (AF_INET or AF_INET6); nullopt for other families.
std::optional<IpAddress> IpAddressOf(const sockaddr* address);

}  // namespace smsgw::core
