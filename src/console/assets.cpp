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
  // Appended piece by piece: GCC 12 at -O3 sees a bogus overflow in `"\"" + hex + "\""`.
  const std::string hex = core::Sha256Hex(body);
  std::string etag(1, '"');
  etag.append(hex, 0, 32);
  etag.push_back('"');
  return {content_type, body, std::move(etag)};
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
