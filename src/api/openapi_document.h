#pragma once
// The OpenAPI 3.1 description of the API: the bytes of docs/api/openapi.json, embedded at build
// time (cmake/embed_text.cmake writes the definition into the build tree). Served at
// GET /openapi.json.

#include <string_view>

namespace smsgw::api {

std::string_view OpenApiDocument();

}  // namespace smsgw::api
