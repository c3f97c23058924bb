#include "store/smpp_credential_columns.h"

namespace smsgw::store {

std::string EncodeAllowedSources(const std::vector<core::IpNetwork>& sources) {
  std::string text;
  for (const core::IpNetwork& net : sources) {
    text += (text.empty() ? "" : " ") + core::FormatIpNetwork(net);
  }
  return text;
}

core::Result<std::vector<core::IpNetwork>> DecodeAllowedSources(std::string_view text) {
  std::vector<core::IpNetwork> out;
  while (!text.empty()) {
    const size_t space = text.find(' ');
    auto net = core::ParseIpNetwork(text.substr(0, space));
    if (!net) {
      return core::MakeError(core::Errc::kInternal,
                             "smpp_credentials.allowed_sources: " + net.error().message);
    }
    out.push_back(*net);
    text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
  }
  return out;
}

}  // namespace smsgw::store
