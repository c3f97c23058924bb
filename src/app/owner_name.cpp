#include "app/owner_name.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>

#include "core/ids.h"

namespace smsgw::app {

std::string NodeId(const config::NodeConfig& node) {
  if (!node.id.empty()) {
    return node.id;
  }
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  std::string id(host);
  std::replace_if(
      id.begin(), id.end(),
      [](char c) {
        return !std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-';
      },
      '-');
  id.resize(std::min<size_t>(id.size(), 64));
  return id.empty() ? "node" : id;
}

std::string OwnerName(std::string_view node_id) {
  return std::string(node_id) + "/" + std::to_string(getpid()) + ":" + core::NewUuid();
}

}  // namespace smsgw::app
