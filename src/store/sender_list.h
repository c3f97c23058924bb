#pragma once
// A template's approved sender IDs as one text column, for the backends that store them so:
// comma-separated, in order ('' for none). Sender IDs never contain ',' (core::IsValidSenderId).

#include <string>
#include <string_view>
#include <vector>

namespace smsgw::store {

inline std::string JoinSenders(const std::vector<std::string>& senders) {
  std::string out;
  for (const std::string& sender : senders) {
    out += (out.empty() ? "" : ",") + sender;
  }
  return out;
}

inline std::vector<std::string> SplitSenders(std::string_view joined) {
  std::vector<std::string> out;
  while (!joined.empty()) {
    const size_t comma = joined.find(',');
    out.emplace_back(joined.substr(0, comma));
    joined = comma == std::string_view::npos ? std::string_view() : joined.substr(comma + 1);
  }
  return out;
}

}  // namespace smsgw::store
