#pragma once
// The Asio/Beast includes and aliases every file of src/api uses. Boost 1.74's coroutine headers
// need <utility> first under GCC 12 with -std=c++23 (see docs/DESIGN.md).

// clang-format off
#include <utility>  // must precede Boost 1.74's asio/awaitable.hpp, which uses std::exchange
// clang-format on

#include <boost/asio.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace smsgw::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

}  // namespace smsgw::api
