#include "config/endpoint.h"

#include <charconv>

namespace smsgw::config {
namespace {

bool IsHostNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

bool IsIpv6Char(char c) {
  return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || (c >= '0' && c <= '9') || c == ':' ||
         c == '.' || c == '%' || IsHostNameChar(c);  // '%' and a name: zone id, "fe80::1%eth0"
}

core::Result<uint16_t> ParsePort(std::string_view text, std::string_view whole) {
  if (text.empty()) {
    return core::MakeError(core::Errc::kInvalidArgument,
                           "missing port in \"" + std::string(whole) + "\" (expected host:port)");
  }
  unsigned value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end || value > 65535 || text.size() > 5) {
    return core::MakeError(core::Errc::kInvalidArgument,
                           "bad port \"" + std::string(text) + "\" (expected 0..65535)");
  }
  return static_cast<uint16_t>(value);
}

}  // namespace

core::Result<Endpoint> ParseEndpoint(std::string_view host_port) {
  const std::string whole(host_port);
  std::string_view host;
  std::string_view port;
  if (host_port.starts_with('[')) {
    const size_t close = host_port.find(']');
    if (close == std::string_view::npos) {
      return core::MakeError(core::Errc::kInvalidArgument,
                             "missing ']' in \"" + whole + "\" (expected [ipv6]:port)");
    }
    host = host_port.substr(1, close - 1);
    std::string_view rest = host_port.substr(close + 1);
    if (!rest.starts_with(':')) {
      return core::MakeError(core::Errc::kInvalidArgument,
                             "missing port in \"" + whole + "\" (expected [ipv6]:port)");
    }
    port = rest.substr(1);
    if (host.empty() || host.find(':') == std::string_view::npos) {
      return core::MakeError(core::Errc::kInvalidArgument, "bad IPv6 address in \"" + whole + "\"");
    }
    for (char c : host) {
      if (!IsIpv6Char(c)) {
        return core::MakeError(core::Errc::kInvalidArgument,
                               "bad IPv6 address in \"" + whole + "\"");
      }
    }
  } else {
    const size_t colon = host_port.rfind(':');
    if (colon == std::string_view::npos) {
      return core::MakeError(core::Errc::kInvalidArgument,
                             "missing port in \"" + whole + "\" (expected host:port)");
    }
    host = host_port.substr(0, colon);
    port = host_port.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return core::MakeError(
          core::Errc::kInvalidArgument,
          "IPv6 address must be in brackets in \"" + whole + "\" (expected [ipv6]:port)");
    }
    if (host.empty()) {
      return core::MakeError(core::Errc::kInvalidArgument,
                             "missing host in \"" + whole + "\" (expected host:port)");
    }
    for (char c : host) {
      if (!IsHostNameChar(c)) {
        return core::MakeError(core::Errc::kInvalidArgument, "bad host name in \"" + whole + "\"");
      }
    }
  }
  auto parsed_port = ParsePort(port, host_port);
  if (!parsed_port) {
    return std::unexpected(parsed_port.error());
  }
  return Endpoint{std::string(host), *parsed_port};
}

std::string FormatEndpoint(const Endpoint& endpoint) {
  std::string out;
  if (endpoint.host.find(':') != std::string::npos) {
    out = "[" + endpoint.host + "]";
  } else {
    out = endpoint.host;
  }
  return out + ":" + std::to_string(endpoint.port);
}

}  // namespace smsgw::config
