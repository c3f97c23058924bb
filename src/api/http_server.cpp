#include "api/http_server.h"

#include <spdlog/spdlog.h>

#include "api/errors.h"
#include "api/responses.h"

namespace smsgw::api {

using asio::ip::tcp;

struct HttpServer::Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool busy = false;  // a complete request is being handled; touched only on the strand
};

HttpServer::HttpServer(asio::io_context& io, RequestHandler& handler, HttpLimits limits)
    : io_(io), handler_(handler), limits_(limits), acceptor_(io) {}

HttpServer::~HttpServer() = default;

uint16_t HttpServer::Start(const std::string& host, uint16_t port) {
  tcp::resolver resolver(io_);
  const tcp::endpoint endpoint =
      resolver.resolve(host, std::to_string(port), tcp::resolver::passive)->endpoint();
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  const uint16_t bound = acceptor_.local_endpoint().port();
  asio::co_spawn(acceptor_.get_executor(), Accept(), [](std::exception_ptr e) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        spdlog::error("http accept loop ended: {}", ex.what());
      }
    }
  });
  return bound;
}

asio::awaitable<void> HttpServer::Accept() {
  for (;;) {
    beast::error_code ec;
    tcp::socket socket = co_await acceptor_.async_accept(
        asio::make_strand(io_), asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) {
      co_return;
    }
    if (ec) {
      // EMFILE and friends: keep serving the connections we have, try again shortly.
      spdlog::warn("accept failed: {}", ec.message());
      asio::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto connection = std::make_shared<Connection>(std::move(socket));
    {
      std::lock_guard lock(mu_);
      if (stopping_) {
        co_return;
      }
      connections_.emplace(connection.get(), connection);
    }
    auto executor = connection->stream.get_executor();
    Connection* raw = connection.get();
    asio::co_spawn(executor, Serve(std::move(connection)), [this, raw](std::exception_ptr e) {
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          spdlog::error("http connection ended by an exception: {}", ex.what());
        }
      }
      Forget(raw);
    });
  }
}

asio::awaitable<void> HttpServer::Serve(std::shared_ptr<Connection> c) {
  beast::flat_buffer buffer;
  beast::error_code ec;
  for (;;) {
    // Keep-alive wait: the first byte of the next request may take up to idle_timeout; from then
    // on the whole request must arrive within request_timeout (drops slow-trickling clients).
    if (buffer.size() == 0) {
      c->stream.expires_after(limits_.idle_timeout);
      const size_t n = co_await c->stream.async_read_some(
          buffer.prepare(4096), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        break;
      }
      buffer.commit(n);
    }
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<uint32_t>(limits_.max_header_bytes));
    parser.body_limit(limits_.max_body_bytes);
    c->stream.expires_after(limits_.request_timeout);
    co_await http::async_read_header(c->stream, buffer, parser,
                                     asio::redirect_error(asio::use_awaitable, ec));
    if (!ec && !parser.is_done()) {
      // curl and others wait (about a second) for "100 Continue" before sending a larger body.
      const auto expect = parser.get()[http::field::expect];
      if (beast::iequals(expect, "100-continue")) {
        http::response<http::empty_body> go_on{http::status::continue_, 11};
        co_await http::async_write(c->stream, go_on, asio::redirect_error(asio::use_awaitable, ec));
      }
      if (!ec) {
        co_await http::async_read(c->stream, buffer, parser,
                                  asio::redirect_error(asio::use_awaitable, ec));
      }
    }
    Response response;
    bool keep_alive = false;
    if (ec == http::error::body_limit) {
      response = ErrorResponse(MakeFieldError(ApiError::kPayloadTooLarge), 11);
    } else if (ec == http::error::header_limit) {
      response = ErrorResponse(
          MakeFieldError(ApiError::kPayloadTooLarge, "The request headers are too large."), 11);
    } else if (ec == beast::error::timeout || ec == asio::error::operation_aborted ||
               ec == http::error::end_of_stream || ec == asio::error::eof ||
               ec == asio::error::connection_reset) {
      break;
    } else if (ec) {
      response = ErrorResponse(
          MakeFieldError(ApiError::kMalformedBody, "Malformed HTTP request: " + ec.message()), 11);
    } else {
      c->busy = true;
      Request request = parser.release();
      keep_alive = request.keep_alive();
      const unsigned version = request.version();
      response = co_await handler_.Handle(std::move(request));
      response.version(version);
    }
    {
      std::lock_guard lock(mu_);
      keep_alive = keep_alive && !stopping_;
    }
    response.keep_alive(keep_alive);
    response.prepare_payload();
    c->stream.expires_after(limits_.request_timeout);
    co_await http::async_write(c->stream, response, asio::redirect_error(asio::use_awaitable, ec));
    c->busy = false;
    if (ec || !keep_alive) {
      break;
    }
  }
  c->stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  c->stream.close();
}

void HttpServer::Forget(Connection* connection) {
  std::lock_guard lock(mu_);
  connections_.erase(connection);
}

void HttpServer::Stop() {
  std::vector<std::shared_ptr<Connection>> open;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (auto& [raw, weak] : connections_) {
      if (auto c = weak.lock()) {
        open.push_back(std::move(c));
      }
    }
  }
  asio::post(acceptor_.get_executor(), [this] {
    beast::error_code ec;
    acceptor_.close(ec);
  });
  for (auto& c : open) {
    asio::post(c->stream.get_executor(), [c] {
      if (!c->busy) {
        c->stream.cancel();
        c->stream.close();
      }
    });
  }
}

size_t HttpServer::ActiveConnections() const {
  std::lock_guard lock(mu_);
  return connections_.size();
}

}  // namespace smsgw::api
