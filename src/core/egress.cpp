#include "core/egress.h"

#include <arpa/inet.h>

#include "core/strings.h"
#include "core/url.h"

namespace smsgw::core {
namespace {

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
