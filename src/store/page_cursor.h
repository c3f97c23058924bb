#pragma once
// The opaque cursor of the newest-first listings (MessageLog::List, WebhookStore::ListWebhooks),
// the same in every backend: "<created_ms>:<id>", the last row a page read. Ids contain ':'
// themselves, so only the first one separates.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace smsgw::store {

struct PageCursor {
  int64_t created_ms = 0;
  std::string id;
};

std::string EncodePageCursor(int64_t created_ms, std::string_view id);
// kInvalidArgument ("malformed cursor") for anything EncodePageCursor does not write: a client
// hands it back, so it is input.
core::Result<PageCursor> DecodePageCursor(std::string_view cursor);

}  // namespace smsgw::store
