#pragma once
// HttpServer accepts HTTP/1.1 connections and runs one coroutine per connection: read a request
// (header and body limits, one deadline for the whole request so a client trickling bytes is
// dropped), hand it to the RequestHandler, write the response, repeat while keep-alive. Errors it
// detects itself (oversized body, unparsable HTTP, ambiguous framing) are answered in Kaleyra's
// error shape.
//
// With a TLS context (SetTls) every connection is HTTPS: the handshake must finish within the
// header timeout; a new context (SIGHUP) applies to connections accepted after it.
//
// Connections are capped, in all and per source address. At a cap, a new connection takes the
// place of the oldest one that is idle (waiting for the first byte of a request: new, or kept
// alive), as nginx drains keep-alive connections; when none is idle the new one is closed at once.
// So idle sockets, however many, cannot lock out a client that sends its request.
//
// Threads: the server is given several io_contexts, each run by exactly one thread. Connections
// are spread over them round-robin and live on theirs for good, so a connection's state needs no
// strand and the contexts share no locks (Asio's scheduler runs lock-free with concurrency hint 1).
// Start/Stop are called from the owning thread.

#include <boost/asio/ssl.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api/asio.h"

namespace smsgw::api {

// The header HttpServer sets on every request it hands a handler to the TCP peer's address
// (replacing any the client sent), for handlers that limit by source (the console's sign-in).
inline constexpr std::string_view kPeerAddressHeader = "X-Smsgw-Peer";

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // Never throws for bad input: every failure is a response. Runs on the connection's context.
  virtual asio::awaitable<Response> Handle(Request request) = 0;
  // The largest body accepted for a request with this header, read before its body; `configured`
  // is HttpLimits::max_body_bytes. A handler may allow more for bulk endpoints, up to
  // HttpLimits::max_bulk_body_bytes. Pure and cheap: runs on the connection's context.
  virtual size_t BodyLimit(const http::request_header<>& header, size_t configured) const {
    (void)header;
    return configured;
  }
};

struct HttpLimits {
  size_t max_body_bytes = 64 * 1024;
  // The most RequestHandler::BodyLimit may allow (bulk endpoints); never less than max_body_bytes.
  size_t max_bulk_body_bytes = 0;
  size_t max_header_bytes = 16 * 1024;
  std::chrono::milliseconds request_timeout{10'000};  // whole request: header and body
  std::chrono::milliseconds idle_timeout{60'000};     // keep-alive wait for the next request
  // A new connection's wait for the first byte of its first request.
  std::chrono::milliseconds header_timeout{5'000};
  size_t max_connections = 10'000;
  size_t max_connections_per_source = 1'000;  // per remote IP address
};

// The connection cap under a descriptor limit (RLIMIT_NOFILE) of `descriptors`: `configured`, but
// leaving a quarter of the descriptors (at most 512) for the store, SMPP sessions and webhook
// connections, so accept() never hits EMFILE at the cap; at least 16.
size_t ConnectionCapFor(size_t configured, uint64_t descriptors);

class HttpServer {
 public:
  // `contexts` must outlive the server; the acceptor runs on the first.
  HttpServer(std::span<asio::io_context* const> contexts, HttpLimits limits);
  ~HttpServer();

  // Binds and listens (connections wait in the kernel's queue until Start); returns the bound
  // endpoint (useful with port 0). Throws boost::system::system_error when the address cannot be
  // resolved or bound.
  asio::ip::tcp::endpoint Bind(const std::string& host, uint16_t port);
  // Starts accepting after Bind; `handler` must outlive the server.
  void Start(RequestHandler& handler);
  // Serves HTTPS with `context` from the next accepted connection on (null: plain HTTP). Any
  // thread.
  void SetTls(std::shared_ptr<asio::ssl::context> context);

  // Stops accepting and closes idle connections; connections in the middle of a request finish
  // it (response written) and close. Returns at once; wait with ActiveConnections().
  void Stop();
  size_t ActiveConnections() const;

  struct Counters {
    uint64_t evicted = 0;  // idle connections closed to make room for a new one
    uint64_t refused = 0;  // new connections closed at a cap with no idle one to evict
  };
  Counters counters() const;

 private:
  struct Connection;
  struct Entry {
    std::weak_ptr<Connection> connection;
    asio::ip::address source;
  };
  asio::awaitable<void> Accept();
  enum class Admission { kAdmitted, kRefused, kStopping };
  // Registers a new connection from `source` unless a cap forbids; at a cap, picks the oldest
  // idle connection to close (returned in `evict`), and refuses when there is none.
  Admission Admit(const std::shared_ptr<Connection>& connection, const asio::ip::address& source,
                  std::shared_ptr<Connection>& evict);
  asio::awaitable<void> Serve(std::shared_ptr<Connection> connection);
  // The request loop over the connection's plain socket or its TLS stream.
  template <class Stream>
  asio::awaitable<void> ServeRequests(Connection& connection, Stream& stream);
  asio::awaitable<void> Watchdog(std::shared_ptr<Connection> connection);
  void Forget(Connection* connection);
  // Logs `what` at most once per kLogInterval, with how many were not logged.
  void LogThrottled(std::string_view what);

  const std::vector<asio::io_context*> contexts_;
  RequestHandler* handler_ = nullptr;  // set by Start
  const HttpLimits limits_;
  asio::ip::tcp::acceptor acceptor_;
  size_t next_context_ = 0;  // accept loop only
  mutable std::mutex mu_;
  bool stopping_ = false;
  std::unordered_map<Connection*, Entry> connections_;
  std::map<asio::ip::address, size_t> per_source_;
  Counters counters_;
  std::shared_ptr<asio::ssl::context> tls_;
  std::chrono::steady_clock::time_point last_log_{};
  uint64_t unlogged_ = 0;
};

}  // namespace smsgw::api
