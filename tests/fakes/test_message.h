#pragma once
// A minimal valid core::Message for store tests: request id taken from `id` ("<request>:<n>").

#include <string>
#include <string_view>

#include "core/message.h"

namespace smsgw::fakes {

// The account MakeMessage puts messages in unless told otherwise.
inline constexpr std::string_view kTestSid = "HXIN0000000001IN";

core::Message MakeMessage(std::string id, std::string sid = std::string(kTestSid));

}  // namespace smsgw::fakes
