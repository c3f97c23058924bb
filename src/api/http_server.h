#pragma once
// HttpServer accepts HTTP/1.1 connections and runs one coroutine per connection, on its own
// strand: read a request (header and body limits, one deadline for the whole request so a client
// trickling bytes is dropped), hand it to the RequestHandler, write the response, repeat while
// keep-alive. Errors it detects itself (oversized body, unparsable HTTP) are answered in
// Kaleyra's error shape. Start/Stop are called from the owning thread; the connections run on
// the io_context's threads.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "api/asio.h"

namespace smsgw::api {

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // Never throws for bad input: every failure is a response.
  virtual asio::awaitable<Response> Handle(Request request) = 0;
};

struct HttpLimits {
  size_t max_body_bytes = 64 * 1024;
  size_t max_header_bytes = 16 * 1024;
  std::chrono::milliseconds request_timeout{10'000};  // whole request: header and body
  std::chrono::milliseconds idle_timeout{60'000};     // keep-alive wait for the next request
};

class HttpServer {
 public:
  HttpServer(asio::io_context& io, RequestHandler& handler, HttpLimits limits);
  ~HttpServer();

  // Binds and starts accepting; returns the bound port (useful with port 0).
  uint16_t Start(const std::string& host, uint16_t port);

  // Stops accepting and closes idle connections; connections in the middle of a request finish
  // it (response written) and close. Returns at once; Wait for them with ActiveConnections().
  void Stop();
  size_t ActiveConnections() const;

 private:
  struct Connection;
  asio::awaitable<void> Accept();
  asio::awaitable<void> Serve(std::shared_ptr<Connection> connection);
  void Forget(Connection* connection);

  asio::io_context& io_;
  RequestHandler& handler_;
  const HttpLimits limits_;
  asio::ip::tcp::acceptor acceptor_;
  mutable std::mutex mu_;
  bool stopping_ = false;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> connections_;
};

}  // namespace smsgw::api
