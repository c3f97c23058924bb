#include "app/owner_name.h"

#include <unistd.h>

#include "core/ids.h"

namespace smsgw::app {

std::string OwnerName() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + core::NewUuid();
}

}  // namespace smsgw::app
