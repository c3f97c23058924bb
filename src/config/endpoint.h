#pragma once
// A listening address, `host:port`, as written in the config file and on the command line
// (`--listen`). Pure; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace smsgw::config {

struct Endpoint {
  // A host name or an IP address. IPv6 addresses are kept without their brackets ("::1").
  std::string host;
  // 0 asks the operating system for a free port; the server prints the one it bound.
  uint16_t port;

  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

// Parses "127.0.0.1:8080", "localhost:0", "[::1]:80". The port is required (0..65535); an IPv6
// address must be bracketed, so "::1:80" is rejected as ambiguous.
core::Result<Endpoint> ParseEndpoint(std::string_view host_port);

// The inverse of ParseEndpoint, for messages and URLs: "127.0.0.1:8080", "[::1]:80".
std::string FormatEndpoint(const Endpoint& endpoint);

}  // namespace smsgw::config
