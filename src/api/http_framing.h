#pragma once
// RequestFramingProblem applies the rules of RFC 9112 that Beast's parser leaves to the server:
// a request whose body length cannot be told reliably is answered 400 and its connection closed
// (§6.3), or a client and a proxy in front of smsgw could disagree on where the next request
// starts (request smuggling). Checked on the header, before any body is read. Pure; thread-safe.

#include <optional>
#include <string>

#include "api/asio.h"

namespace smsgw::api {

// Why the request must be refused, for people, or nullopt when it may be read:
// - Transfer-Encoding other than exactly `chunked` (Beast reads `gzip` or `chunked, identity` as
//   "no body", so the body would run as the next request; smsgw decodes no other coding);
// - Transfer-Encoding together with Content-Length (§6.1: a message that has both is an attack
//   or a broken intermediary);
// - HTTP/1.1 without Host, or with more than one Host (§3.2).
std::optional<std::string> RequestFramingProblem(const http::request_header<>& header);

}  // namespace smsgw::api
