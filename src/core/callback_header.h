#pragma once
// The one rule for a header a tenant configures on its webhooks: a callback profile's `headers`,
// and the `header` object of an inline callback (in a send and in an inbound-number entry). The
// API validates with it when the header is configured, and the webhook sender checks again before
// sending (rows stored before the rule existed), so a value can never smuggle a second request
// (CR/LF), reframe ours (Content-Length, Transfer-Encoding, Host, ...) or forge what smsgw itself
// vouches for (X-Smsgw-*: the signature, the event id, the webhook marker). Pure; thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace smsgw::core {

inline constexpr size_t kMaxCallbackHeaders = 50;
inline constexpr size_t kMaxCallbackHeaderName = 256;
inline constexpr size_t kMaxCallbackHeaderValue = 4096;

// Every header smsgw's webhook requests carry begins with this; a tenant may set none of them.
inline constexpr std::string_view kSmsgwHeaderPrefix = "X-Smsgw-";
// Carried by every request of smsgw's webhook sender; smsgw's API refuses requests that carry it,
// so a callback aimed at an smsgw API (this node through a proxy, or another node) cannot loop.
inline constexpr std::string_view kWebhookMarkerHeader = "X-Smsgw-Webhook";

// The syntax of any header line, whoever sets it: a name of RFC 9110 token characters (not
// empty), a value of no control character but tab. Nothing else may reach a request's header.
bool IsHeaderName(std::string_view name);
bool IsHeaderValue(std::string_view value);

// Why `name: value` may not be configured, for people ("'Host' is set by smsgw itself"), or
// nullopt when it may: a name of RFC 9110 token characters (at most 256) that is not reserved,
// and a value of at most 4096 bytes with no control character but tab.
std::optional<std::string> CallbackHeaderProblem(std::string_view name, std::string_view value);

}  // namespace smsgw::core
