#include "store/page_cursor.h"

#include <algorithm>
#include <charconv>

namespace smsgw::store {

std::string EncodePageCursor(int64_t created_ms, std::string_view id) {
  return std::to_string(created_ms) + ":" + std::string(id);
}

core::Result<PageCursor> DecodePageCursor(std::string_view cursor) {
  const size_t colon = cursor.find(':');
  const std::string_view digits = cursor.substr(0, colon);
  PageCursor out;
  if (colon == std::string_view::npos || digits.empty() || colon + 1 == cursor.size() ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return core::MakeError(core::Errc::kInvalidArgument, "malformed cursor");
  }
  const auto [end, ec] =
      std::from_chars(digits.data(), digits.data() + digits.size(), out.created_ms);
  if (ec != std::errc() || end != digits.data() + digits.size()) {
    return core::MakeError(core::Errc::kInvalidArgument, "malformed cursor");
  }
  out.id = std::string(cursor.substr(colon + 1));
  return out;
}

}  // namespace smsgw::store
