#pragma once
// The name a process claims work in the store under (messages, webhooks): host, pid and a
// random part, so that no two processes sharing a store, even across restarts, ever share one.

#include <string>

namespace smsgw::app {

std::string OwnerName();

}  // namespace smsgw::app
