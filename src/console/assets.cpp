#include "console/assets.h"

#include <array>

#include "console/embedded.h"
#include "core/ids.h"

namespace smsgw::console {
namespace {

struct Named {
  std::string_view name;
  Asset asset;
};

Asset Make(std::string_view content_type, std::string_view body) {
  return {content_type, body, "\"" + core::Sha256Hex(body).substr(0, 32) + "\""};
}

}  // namespace

const Asset* FindAsset(std::string_view name) {
  static const std::array<Named, 3> kAssets{{
      {"index.html", Make("text/html; charset=utf-8", IndexHtml())},
      {"app.js", Make("text/javascript; charset=utf-8", AppJs())},
      {"app.css", Make("text/css; charset=utf-8", AppCss())},
  }};
  for (const Named& named : kAssets) {
    if (named.name == name) {
      return &named.asset;
    }
  }
  return nullptr;
}

}  // namespace smsgw::console
