#pragma once
// The parts of an http(s) URL that routing decisions need: scheme, userinfo, host and port.
// Not a full RFC 3986 parser (the path, query and fragment are left alone); shared by the webhook
// sender's per-host queues (webhook::HostKey), the egress policy's check of literal hosts
// (core/egress.h) and the masking of URL passwords in responses. Pure; thread-safe.

#include <cstdint>
#include <optional>
#include <string_view>

namespace smsgw::core {

struct HttpUrl {
  bool https = false;
  std::string_view userinfo;  // between "://" and the last '@' of the authority; may be empty
  bool has_userinfo = false;
  std::string_view host;  // as written; an IPv6 literal without its brackets
  bool ipv6_literal = false;
  uint16_t port = 0;           // as written, or 80 / 443
  size_t authority_begin = 0;  // offsets into the URL: the authority is [begin, end)
  size_t authority_end = 0;
};

// nullopt unless `url` starts with http:// or https:// (any case) and has a non-empty host and a
// valid port (1..65535) if one is written.
std::optional<HttpUrl> SplitHttpUrl(std::string_view url);

}  // namespace smsgw::core
