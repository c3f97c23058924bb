#pragma once
// The completion handler for detached coroutines of the SMPP side (session, simulator): an
// exception that escapes one is logged instead of vanishing, as asio::detached would let it.

#include <spdlog/spdlog.h>

#include <exception>
#include <string_view>

namespace smsgw::smpp {

inline void LogEscaped(std::exception_ptr e, std::string_view what) {
  if (!e) {
    return;
  }
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    SPDLOG_ERROR("{} ended by an exception: {}", what, ex.what());
  }
}

// For co_spawn: `asio::co_spawn(executor, Loop(), LogEscapedAs("smsc-sim accept loop"))`.
inline auto LogEscapedAs(std::string_view what) {
  return [what](std::exception_ptr e) { LogEscaped(e, what); };
}

}  // namespace smsgw::smpp
