#include "core/callback_header.h"

#include <algorithm>
#include <array>

#include "core/strings.h"

namespace smsgw::core {
namespace {

// RFC 9110 §5.6.2 token characters: what a header name may be made of.
bool IsTokenChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// RFC 9110 §5.5: field-value = VCHAR, obs-text, SP and HTAB; anything else below 0x20, and DEL,
// ends or corrupts the header line.
bool IsValueByte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u == '\t' || (u >= 0x20 && u != 0x7F);
}

// Headers that frame the request or the connection (RFC 9110 §7.6.1, RFC 9112 §6-7), that route
// it (Host) or that the webhook HTTP client sets itself.
constexpr std::array<std::string_view, 11> kReserved = {"content-length",
                                                        "transfer-encoding",
                                                        "host",
                                                        "connection",
                                                        "keep-alive",
                                                        "upgrade",
                                                        "te",
                                                        "trailer",
                                                        "expect",
                                                        "proxy-connection",
                                                        "content-encoding"};

bool IsReserved(std::string_view name) {
  if (name.size() >= kSmsgwHeaderPrefix.size() &&
      EqualsIgnoreCase(name.substr(0, kSmsgwHeaderPrefix.size()), kSmsgwHeaderPrefix)) {
    return true;
  }
  if (name.size() > 6 && EqualsIgnoreCase(name.substr(0, 6), "proxy-")) {
    return true;
  }
  return std::any_of(kReserved.begin(), kReserved.end(),
                     [&](std::string_view r) { return EqualsIgnoreCase(name, r); });
}

}  // namespace

bool IsHeaderName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), IsTokenChar);
}

bool IsHeaderValue(std::string_view value) {
  return std::all_of(value.begin(), value.end(), IsValueByte);
}

std::optional<std::string> CallbackHeaderProblem(std::string_view name, std::string_view value) {
  if (name.size() > kMaxCallbackHeaderName || !IsHeaderName(name)) {
    std::string shown(name.substr(0, 64));
    std::replace_if(
        shown.begin(), shown.end(), [](char c) { return !IsValueByte(c); }, '?');
    return "'" + shown + "' is not a header name";
  }
  if (IsReserved(name)) {
    return std::string(name) + " is set by smsgw itself";
  }
  if (value.size() > kMaxCallbackHeaderValue || !IsHeaderValue(value)) {
    return "the value of " + std::string(name) +
           " must be at most 4096 characters on one line, without control characters";
  }
  return std::nullopt;
}

}  // namespace smsgw::core
