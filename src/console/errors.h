#pragma once
// The console's own error answers (sign-in, session, routing, keys): {"code", "message"}, the
// top-level keys of the API's errors, so the page reads one shape whichever answered. Pure.

#include <string_view>

#include "api/http_server.h"

namespace smsgw::console {

api::Response ErrorJson(int status, std::string_view code, std::string_view message);
// 405 with the Allow header.
api::Response MethodNotAllowed(std::string_view allow);

}  // namespace smsgw::console
