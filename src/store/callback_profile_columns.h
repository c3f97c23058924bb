#pragma once
// A callback profile's list-valued fields as single text columns, the same in every backend so
// that a row means the same in SQLite and PostgreSQL: headers as "name<TAB>value" lines ('\',
// TAB and LF inside a name or value escaped as "\\", "\t" and "\n", so that any bytes survive),
// and fixed retry intervals as comma-separated seconds.

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace smsgw::store {

std::string EncodeHeaders(const std::vector<std::pair<std::string, std::string>>& headers);
// kInternal when `text` is not what EncodeHeaders writes.
core::Result<std::vector<std::pair<std::string, std::string>>> DecodeHeaders(std::string_view text);

std::string EncodeIntervals(const std::vector<std::chrono::seconds>& intervals);
// kInternal when `text` is not what EncodeIntervals writes.
core::Result<std::vector<std::chrono::seconds>> DecodeIntervals(std::string_view text);

}  // namespace smsgw::store
