#pragma once
// Maps a method and path onto an endpoint of the API (see ../shared/api/kaleyra-sms.md,
// "Endpoints"). Pure.

#include <string>
#include <string_view>

#include "api/asio.h"

namespace smsgw::api {

struct Route {
  enum Kind { kSend, kStatus, kNotFound, kMethodNotAllowed };
  Kind kind = kNotFound;
  std::string sid;
  std::string_view allow;  // for kMethodNotAllowed: the Allow header
};

// `path` without the query string.
Route MatchRoute(http::verb method, std::string_view path);

}  // namespace smsgw::api
