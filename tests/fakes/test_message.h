#pragma once
// A minimal valid core::Message for store tests: request id taken from `id` ("<request>:<n>").

#include <string>

#include "core/message.h"

namespace smsgw::fakes {

core::Message MakeMessage(std::string id, std::string sid = "HXIN0000000001IN");

}  // namespace smsgw::fakes
