#pragma once
// The names a process claims work in the store under (messages, webhooks). A node's stable id
// ([node] id, else the host's name) and one name per process life: "<node>/<pid>:<random>", so
// that no two processes ever share an owner, and the store can tell this node's earlier lives
// (whose claims it releases at start at once: DeliveryStore::ReleaseClaims) from other nodes
// (whose claims wait out their lease).

#include <string>
#include <string_view>

#include "config/config.h"

namespace smsgw::app {

// [node] id, else the host's name with every character outside [A-Za-z0-9._-] made '-' and cut
// to 64 ("node" when the host has no name).
std::string NodeId(const config::NodeConfig& node);

// A new owner name of `node_id` for this process.
std::string OwnerName(std::string_view node_id);

}  // namespace smsgw::app
