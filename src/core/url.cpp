#include "core/url.h"

#include <charconv>

#include "core/strings.h"

namespace smsgw::core {

std::optional<HttpUrl> SplitHttpUrl(std::string_view url) {
  HttpUrl out;
  if (url.size() > 7 && EqualsIgnoreCase(url.substr(0, 7), "http://")) {
    out.authority_begin = 7;
  } else if (url.size() > 8 && EqualsIgnoreCase(url.substr(0, 8), "https://")) {
    out.https = true;
    out.authority_begin = 8;
  } else {
    return std::nullopt;
  }
  const size_t end = url.find_first_of("/?#", out.authority_begin);
  out.authority_end = end == std::string_view::npos ? url.size() : end;
  std::string_view authority =
      url.substr(out.authority_begin, out.authority_end - out.authority_begin);
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    out.has_userinfo = true;
    out.userinfo = authority.substr(0, at);
    authority.remove_prefix(at + 1);
  }
  std::string_view port;
  if (authority.starts_with('[')) {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return std::nullopt;
    }
    out.host = authority.substr(1, close - 1);
    out.ipv6_literal = true;
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        return std::nullopt;
      }
      port = rest.substr(1);
    }
  } else if (const size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    out.host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  } else {
    out.host = authority;
  }
  if (out.host.empty()) {
    return std::nullopt;
  }
  out.port = out.https ? 443 : 80;
  if (!port.empty()) {
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || ptr != port.data() + port.size() || value == 0 || value > 65535) {
      return std::nullopt;
    }
    out.port = static_cast<uint16_t>(value);
  }
  return out;
}

}  // namespace smsgw::core
