#pragma once
// The console's static files by name, with their content type and a strong ETag (a hash of the
// bytes, computed once), so browsers revalidate instead of keeping a stale bundle. Pure.

#include <string>
#include <string_view>

namespace smsgw::console {

struct Asset {
  std::string_view content_type;
  std::string_view body;
  std::string etag;  // "\"<hex>\""
};

// "index.html", "app.js" or "app.css"; null for anything else.
const Asset* FindAsset(std::string_view name);

}  // namespace smsgw::console
