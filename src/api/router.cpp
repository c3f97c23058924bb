#include "api/router.h"

#include <array>
#include <vector>

namespace smsgw::api {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.starts_with('/')) {
    path.remove_prefix(1);
  }
  if (path.ends_with('/')) {
    path.remove_suffix(1);
  }
  while (!path.empty()) {
    const size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  return out;
}

bool ValidSid(std::string_view sid) {
  if (sid.empty() || sid.size() > 64) {
    return false;
  }
  for (char c : sid) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
      return false;
    }
  }
  return true;
}

}  // namespace

Route MatchRoute(http::verb method, std::string_view path) {
  const std::vector<std::string_view> s = Segments(path);
  if (s.size() < 3 || (s[0] != "v1" && s[0] != "v2") || !ValidSid(s[1]) ||
      (s[2] != "messages" && s[2] != "sms")) {
    return {};
  }
  Route route;
  route.sid = s[1];
  if (s.size() == 3) {
    // v1 sends by POST, and by GET with query parameters; v2 (templates) by POST.
    const bool get_ok = s[0] == "v1";
    if (method == http::verb::post || (get_ok && method == http::verb::get)) {
      route.kind = Route::kSend;
    } else {
      route.kind = Route::kMethodNotAllowed;
      route.allow = get_ok ? "GET, POST" : "POST";
    }
    return route;
  }
  if (s.size() == 4 && s[0] == "v1" && s[3] == "status") {
    route.kind = method == http::verb::get ? Route::kStatus : Route::kMethodNotAllowed;
    route.allow = "GET";
    return route;
  }
  return {};
}

}  // namespace smsgw::api
