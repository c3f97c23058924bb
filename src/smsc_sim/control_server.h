#pragma once
// ControlServer is the simulator's small HTTP control endpoint (`--control HOST:PORT`, loopback
// by default), for tests and people driving a running simulator:
//   POST /mo       JSON MoRequest (mo.h): send an MO; 200 with MoSentJson, 400 for a bad
//                  request, 409 when no receiver is bound
//   POST /drop     close all connections, or ?system_id=ID only those bound as ID; {"closed": N}
//   POST /unbind   send unbind on every bound connection; {"unbinding": N}
//   GET  /stats    StatsJson
// Errors are {"error": "..."}. One coroutine per HTTP connection, a deadline before each read
// and write, a body limit on the parser (Beast examples style).
//
// Threads: runs on the simulator's io_context and calls the Simulator's ...Now members
// directly; Start before or while the context runs, Stop on the context's thread.

#include <cstdint>
#include <string>
#include <unordered_map>

#include "smpp/asio.h"
// clang-format off
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
// clang-format on

namespace smsgw::smsc_sim {

namespace asio = smpp::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using ControlRequest = http::request<http::string_body>;
using ControlResponse = http::response<http::string_body>;

class Simulator;

// The response to one request, from routing to JSON; runs on the simulator's thread.
ControlResponse HandleControlRequest(const ControlRequest& request, Simulator& simulator);

class ControlServer {
 public:
  ControlServer(asio::io_context& io, Simulator& simulator);
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Binds and starts accepting; returns the bound port. Throws boost::system::system_error.
  uint16_t Start(const std::string& host, uint16_t port);
  // Stops accepting and closes open connections.
  void Stop();

 private:
  asio::awaitable<void> Accept();
  asio::awaitable<void> Serve(smpp::tcp::socket socket);

  asio::io_context& io_;
  Simulator& simulator_;
  smpp::tcp::acceptor acceptor_;
  std::unordered_map<uint64_t, beast::tcp_stream*> open_;  // each owned by its Serve coroutine
  uint64_t next_id_ = 0;
  bool stopped_ = false;
};

}  // namespace smsgw::smsc_sim
