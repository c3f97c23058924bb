#include "core/ip_network.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>
#include <cstring>

#include "core/strings.h"

namespace smsgw::core {
namespace {

IpAddress MappedV4(const in_addr& v4) {
  IpAddress a{};
  a[10] = 0xFF;
  a[11] = 0xFF;
  std::memcpy(a.data() + 12, &v4, 4);
  return a;
}

bool IsV4Mapped(const IpAddress& a) {
  for (int i = 0; i < 10; ++i) {
    if (a[i] != 0) {
      return false;
    }
  }
  return a[10] == 0xFF && a[11] == 0xFF;
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

std::string FormatIpNetwork(const IpNetwork& net) {
  char text[INET6_ADDRSTRLEN] = {};
  if (IsV4Mapped(net.address) && net.prefix >= 96) {
    inet_ntop(AF_INET, net.address.data() + 12, text, sizeof text);
    return std::string(text) + "/" + std::to_string(net.prefix - 96);
  }
  inet_ntop(AF_INET6, net.address.data(), text, sizeof text);
  return std::string(text) + "/" + std::to_string(net.prefix);
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

}  // namespace smsgw::core
