#pragma once
// An SMPP credential's allowed source networks as one text column, the same in every backend:
// canonical CIDRs separated by one space ("" for none, which the backends store as NULL).

#include <string>
#include <string_view>
#include <vector>

#include "core/ip_network.h"
#include "core/result.h"

namespace smsgw::store {

std::string EncodeAllowedSources(const std::vector<core::IpNetwork>& sources);
// kInternal when `text` is not what EncodeAllowedSources writes: only smsgw writes the column,
// so a row that does not read back is damage, not input.
core::Result<std::vector<core::IpNetwork>> DecodeAllowedSources(std::string_view text);

}  // namespace smsgw::store
