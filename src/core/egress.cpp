#include "core/egress.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

#include "core/strings.h"
#include "core/url.h"

namespace smsgw::core {
namespace {

IpAddress MappedV4(const in_addr& v4) {
  IpAddress a{};
  a[10] = 0xFF;
  a[11] = 0xFF;
  std::memcpy(a.data() + 12, &v4, 4);
  return a;
}

bool Contains(const IpNetwork& net, const IpAddress& address) {
  const int whole = net.prefix / 8;
  if (std::memcmp(net.address.data(), address.data(), static_cast<size_t>(whole)) != 0) {
    return false;
  }
  const int rest = net.prefix % 8;
  if (rest == 0) {
    return true;
  }
  const uint8_t mask = static_cast<uint8_t>(0xFF << (8 - rest));
  return (net.address[whole] & mask) == (address[whole] & mask);
}

// The longest prefix of `nets` containing `address`, or -1.
int LongestMatch(const std::vector<IpNetwork>& nets, const IpAddress& address) {
  int longest = -1;
  for (const IpNetwork& net : nets) {
    if (net.prefix > longest && Contains(net, address)) {
      longest = net.prefix;
    }
  }
  return longest;
}

IpNetwork Net(std::string_view text) { return *ParseIpNetwork(text); }

bool IsLocalhostName(std::string_view host) {
  if (host.ends_with('.')) {
    host.remove_suffix(1);  // the absolute form "localhost."
  }
  return EqualsIgnoreCase(host, "localhost") ||
         (host.size() > 10 && EqualsIgnoreCase(host.substr(host.size() - 10), ".localhost"));
}

}  // namespace

Result<IpNetwork> ParseIpNetwork(std::string_view text) {
  const std::string_view trimmed = TrimAscii(text);
  const size_t slash = trimmed.find('/');
  const std::string address_text(trimmed.substr(0, slash));
  IpNetwork net;
  int max_prefix = 128;
  in_addr v4{};
  in6_addr v6{};
  // inet_pton, not inet_aton: a configured network is written the one standard way.
  if (inet_pton(AF_INET, address_text.c_str(), &v4) == 1) {
    net.address = MappedV4(v4);
    max_prefix = 32;
  } else if (inet_pton(AF_INET6, address_text.c_str(), &v6) == 1) {
    std::memcpy(net.address.data(), &v6, 16);
  } else {
    return MakeError(Errc::kInvalidArgument,
                     "\"" + std::string(text) + "\" is not an IP address or network (a.b.c.d/n)");
  }
  int prefix = max_prefix;
  if (slash != std::string_view::npos) {
    const std::string_view digits = trimmed.substr(slash + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (ec != std::errc() || end != digits.data() + digits.size() || prefix < 0 ||
        prefix > max_prefix) {
      return MakeError(Errc::kInvalidArgument, "\"" + std::string(text) +
                                                   "\": the prefix length must be 0 to " +
                                                   std::to_string(max_prefix));
    }
  }
  net.prefix = max_prefix == 32 ? prefix + 96 : prefix;
  IpNetwork masked{net.address, net.prefix};
  for (int bit = net.prefix; bit < 128; ++bit) {
    masked.address[bit / 8] &= static_cast<uint8_t>(~(0x80 >> (bit % 8)));
  }
  if (masked.address != net.address) {
    return MakeError(Errc::kInvalidArgument,
                     "\"" + std::string(text) + "\" has address bits set past its prefix length");
  }
  return net;
}

std::optional<IpAddress> ParseIpLiteral(std::string_view host) {
  const std::string text(host);
  in_addr v4{};
  // inet_aton reads every legacy form a resolver (getaddrinfo) accepts: 127.1, 2130706433,
  // 0x7f000001, 0177.0.0.1.
  if (!text.empty() && inet_aton(text.c_str(), &v4) != 0) {
    return MappedV4(v4);
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    IpAddress a{};
    std::memcpy(a.data(), &v6, 16);
    return a;
  }
  return std::nullopt;
}

std::optional<IpAddress> IpAddressOf(const sockaddr* address) {
  if (address->sa_family == AF_INET) {
    return MappedV4(reinterpret_cast<const sockaddr_in*>(address)->sin_addr);
  }
  if (address->sa_family == AF_INET6) {
    IpAddress a{};
    std::memcpy(a.data(), &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, 16);
    return a;
  }
  return std::nullopt;
}

const std::vector<IpNetwork>& DefaultDeniedNetworks() {
  static const std::vector<IpNetwork> nets = {
      Net("0.0.0.0/8"),   Net("127.0.0.0/8"), Net("169.254.0.0/16"), Net("224.0.0.0/4"),
      Net("240.0.0.0/4"), Net("::/96"),       Net("fe80::/10"),      Net("ff00::/8"),
  };
  return nets;
}

EgressPolicy::EgressPolicy(std::vector<IpNetwork> allow, std::vector<IpNetwork> deny,
                           std::vector<Endpoint> own_listeners)
    : allow_(std::move(allow)), deny_(std::move(deny)), own_listeners_(std::move(own_listeners)) {}

EgressPolicy::Verdict EgressPolicy::Check(const IpAddress& address, uint16_t port) const {
  for (const Endpoint& own : own_listeners_) {
    if (own.address == address && own.port == port) {
      return Verdict::kOwnListener;
    }
  }
  const int allowed = LongestMatch(allow_, address);
  const int denied = LongestMatch(deny_, address);
  if (allowed > denied) {
    return Verdict::kAllowed;
  }
  if (denied >= 0) {
    return Verdict::kDenied;
  }
  return LongestMatch(DefaultDeniedNetworks(), address) >= 0 ? Verdict::kDefaultDenied
                                                             : Verdict::kAllowed;
}

bool EgressPolicy::Allows(const sockaddr* address) const {
  const std::optional<IpAddress> ip = IpAddressOf(address);
  if (!ip) {
    return false;
  }
  const uint16_t port = ntohs(address->sa_family == AF_INET
                                  ? reinterpret_cast<const sockaddr_in*>(address)->sin_port
                                  : reinterpret_cast<const sockaddr_in6*>(address)->sin6_port);
  return Check(*ip, port) == Verdict::kAllowed;
}

std::optional<std::string> EgressPolicy::UrlProblem(std::string_view url) const {
  const std::optional<HttpUrl> parts = SplitHttpUrl(url);
  if (!parts) {
    return std::nullopt;
  }
  std::vector<IpAddress> addresses;
  if (IsLocalhostName(parts->host)) {
    addresses.push_back(*ParseIpLiteral("127.0.0.1"));
    addresses.push_back(*ParseIpLiteral("::1"));
  } else if (auto literal = ParseIpLiteral(parts->host)) {
    addresses.push_back(*literal);
  }
  // A name with several addresses (localhost: 127.0.0.1 and ::1) is a target if one is allowed.
  std::optional<Verdict> refused;
  for (const IpAddress& address : addresses) {
    const Verdict verdict = Check(address, parts->port);
    if (verdict == Verdict::kAllowed) {
      return std::nullopt;
    }
    refused = refused.value_or(verdict);
  }
  if (!refused) {
    return std::nullopt;
  }
  switch (*refused) {
    case Verdict::kOwnListener:
      return "the url is smsgw's own API";
    case Verdict::kDenied:
      return "the url's address is not an allowed webhook target";
    default:
      return "the url's address is loopback, link-local, multicast or unspecified; such targets "
             "need [webhooks] allow_targets";
  }
}

}  // namespace smsgw::core
