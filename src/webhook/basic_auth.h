#pragma once
// The value of an HTTP Basic `Authorization` header (RFC 7617): "Basic " and the Base64 of
// "user:password", the two taken as given. Shared by the sender (profiles' Basic auth), the token
// cache (client credentials) and the HTTP client (credentials written in a URL). Pure.

#include <string>
#include <string_view>

namespace smsgw::webhook {

std::string BasicAuthorization(std::string_view user, std::string_view password);

}  // namespace smsgw::webhook
