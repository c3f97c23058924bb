#pragma once
// The Asio includes and alias src/smpp (and the simulator) use. Boost 1.74's coroutine headers
// need <utility> first under GCC 12 with -std=c++23 (see docs/DESIGN.md).

// clang-format off
#include <utility>  // must precede Boost 1.74's asio/awaitable.hpp, which uses std::exchange
// clang-format on

#include <boost/asio.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace smsgw::smpp {

namespace asio = boost::asio;
using tcp = boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;

}  // namespace smsgw::smpp
