#pragma once
// The console's files as built from console/ (esbuild's bundle, the page and its stylesheet),
// compiled into the binary by cmake/embed_text.cmake (src/console/CMakeLists.txt).

#include <string_view>

namespace smsgw::console {

std::string_view IndexHtml();
std::string_view AppJs();
std::string_view AppCss();

}  // namespace smsgw::console
