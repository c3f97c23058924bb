#include "api/http_server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <limits>
#include <optional>

#include "api/errors.h"
#include "api/http_framing.h"
#include "api/responses.h"

namespace smsgw::api {

using asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr auto kLogInterval = std::chrono::seconds(10);

// Feeds `parser` what `buffer` already holds: the header alone (`eager` false: the route's body
// limit is set between the two), or as much of the body as is there. A request of a few hundred
// bytes nearly always arrives whole in one read, and parsing it here spares the two trips
// through the io_context that async_read_header and async_read would take to find it complete.
// Sets `ec` only for a real error; what is missing is left to the asynchronous read.
void ParseBuffered(http::request_parser<http::string_body>& parser, beast::flat_buffer& buffer,
                   bool eager, beast::error_code& ec) {
  parser.eager(eager);
  while (buffer.size() > 0 && !parser.is_done() && (eager || !parser.is_header_done())) {
    const size_t used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec == http::error::need_more) {
      ec = {};
      return;
    }
    if (ec || used == 0) {
      return;
    }
  }
}

void LogEscaped(std::exception_ptr e, const char* what) {
  if (!e) {
    return;
  }
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    SPDLOG_ERROR("{} ended by an exception: {}", what, ex.what());
  }
}

}  // namespace

// Touched only on its own io_context's thread (Stop posts there too).
struct HttpServer::Connection {
  Connection(tcp::socket s, const std::shared_ptr<asio::ssl::context>& context)
      : socket(std::move(s)), watchdog(socket.get_executor()) {
    if (context != nullptr) {
      tls.emplace(socket, *context);
    }
  }
  tcp::socket socket;  // the lowest layer: what the watchdog, eviction and Stop close
  std::optional<asio::ssl::stream<tcp::socket&>> tls;
  // Deadlines are a plain time stamp checked by a ticking watchdog rather than a timer per I/O
  // operation (beast::tcp_stream): arming and cancelling a timer on every read and write was a
  // measurable share of the cost of a request.
  asio::steady_timer watchdog;
  SteadyClock::time_point deadline = SteadyClock::time_point::max();
  bool busy = false;  // a complete request is being handled
  bool closed = false;
  // Since when it has waited for the first byte of a request (steady clock ticks); 0 while a
  // request is under way. Read by the accept loop, on another thread, to pick whom to evict.
  std::atomic<SteadyClock::rep> idle_since{0};
  std::atomic<bool> evicting{false};  // chosen to make room; the close is on its way
  std::string source;                 // the peer's address: set once at accept, then read only
};

size_t ConnectionCapFor(size_t configured, uint64_t descriptors) {
  const uint64_t reserve = std::min<uint64_t>(descriptors / 4, 512);
  const uint64_t usable = descriptors > reserve ? descriptors - reserve : 0;
  return std::max<size_t>(16, std::min<uint64_t>(configured, usable));
}

HttpServer::HttpServer(std::span<asio::io_context* const> contexts, HttpLimits limits)
    : contexts_(contexts.begin(), contexts.end()), limits_(limits), acceptor_(*contexts_.front()) {}

HttpServer::~HttpServer() = default;

tcp::endpoint HttpServer::Bind(const std::string& host, uint16_t port) {
  tcp::resolver resolver(acceptor_.get_executor());
  const tcp::endpoint endpoint =
      resolver.resolve(host, std::to_string(port), tcp::resolver::passive)->endpoint();
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  return acceptor_.local_endpoint();
}

void HttpServer::SetTls(std::shared_ptr<asio::ssl::context> context) {
  std::lock_guard lock(mu_);
  tls_ = std::move(context);
}

void HttpServer::Start(RequestHandler& handler) {
  handler_ = &handler;
  asio::co_spawn(acceptor_.get_executor(), Accept(),
                 [](std::exception_ptr e) { LogEscaped(e, "http accept loop"); });
}

asio::awaitable<void> HttpServer::Accept() {
  for (;;) {
    beast::error_code ec;
    asio::io_context& context = *contexts_[next_context_++ % contexts_.size()];
    tcp::socket socket = co_await acceptor_.async_accept(
        context.get_executor(), asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) {
      co_return;
    }
    if (ec) {
      // EMFILE and friends: keep serving the connections we have, try again shortly.
      LogThrottled("accept failed: " + ec.message());
      asio::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    const tcp::endpoint peer = socket.remote_endpoint(ec);
    if (ec) {
      continue;  // gone already
    }
    socket.set_option(tcp::no_delay(true), ec);
    std::shared_ptr<asio::ssl::context> tls;
    {
      std::lock_guard lock(mu_);
      tls = tls_;
    }
    auto connection = std::make_shared<Connection>(std::move(socket), tls);
    connection->source = peer.address().to_string();
    std::shared_ptr<Connection> evict;
    const Admission admission = Admit(connection, peer.address(), evict);
    if (admission == Admission::kStopping) {
      co_return;
    }
    if (admission == Admission::kRefused) {
      LogThrottled("connection limit reached and no idle connection to close: refusing " +
                   peer.address().to_string());
      connection->socket.close(ec);
      continue;
    }
    if (evict != nullptr) {
      // Closed on its own thread, and only if it is still idle there.
      asio::post(evict->socket.get_executor(), [evict] {
        if (!evict->closed && evict->idle_since.load() != 0) {
          beast::error_code ignored;
          evict->socket.close(ignored);
        } else {
          evict->evicting.store(false);  // a request began meanwhile: it stays
        }
      });
    }
    Connection* raw = connection.get();
    asio::co_spawn(context, Watchdog(connection),
                   [](std::exception_ptr e) { LogEscaped(e, "http watchdog"); });
    asio::co_spawn(context, Serve(std::move(connection)), [this, raw](std::exception_ptr e) {
      LogEscaped(e, "http connection");
      Forget(raw);
    });
  }
}

HttpServer::Admission HttpServer::Admit(const std::shared_ptr<Connection>& connection,
                                        const asio::ip::address& source,
                                        std::shared_ptr<Connection>& evict) {
  std::lock_guard lock(mu_);
  if (stopping_) {
    return Admission::kStopping;
  }
  size_t& from_source = per_source_[source];
  const bool source_full = from_source >= limits_.max_connections_per_source;
  if (source_full || connections_.size() >= limits_.max_connections) {
    // The oldest idle connection, of this source when the source is at its cap. A scan: it runs
    // only at a cap, and the caps bound it.
    SteadyClock::rep oldest = std::numeric_limits<SteadyClock::rep>::max();
    for (const auto& [raw, entry] : connections_) {
      if (source_full && entry.source != source) {
        continue;
      }
      const SteadyClock::rep since = raw->idle_since.load();
      if (since != 0 && since < oldest && !raw->evicting.load()) {
        if (auto c = entry.connection.lock()) {
          oldest = since;
          evict = std::move(c);
        }
      }
    }
    if (evict == nullptr) {
      if (from_source == 0) {
        per_source_.erase(source);
      }
      ++counters_.refused;
      return Admission::kRefused;
    }
    evict->evicting.store(true);  // chosen once, even if another accept comes before it closes
    ++counters_.evicted;
  }
  ++from_source;
  // Idle from the start: a connection that never sends a byte is the first to make room.
  connection->idle_since.store(SteadyClock::now().time_since_epoch().count());
  connections_.emplace(connection.get(), Entry{connection, source});
  return Admission::kAdmitted;
}

HttpServer::Counters HttpServer::counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

void HttpServer::LogThrottled(std::string_view what) {
  std::lock_guard lock(mu_);
  const auto now = SteadyClock::now();
  if (now - last_log_ < kLogInterval) {
    ++unlogged_;
    return;
  }
  if (unlogged_ > 0) {
    SPDLOG_WARN("{} (and {} more such events in the last {} s)", what, unlogged_,
                std::chrono::duration_cast<std::chrono::seconds>(now - last_log_).count());
  } else {
    SPDLOG_WARN("{}", what);
  }
  last_log_ = now;
  unlogged_ = 0;
}

asio::awaitable<void> HttpServer::Watchdog(std::shared_ptr<Connection> c) {
  const auto tick =
      std::min<SteadyClock::duration>(std::chrono::seconds(1), limits_.request_timeout / 4);
  beast::error_code ec;
  while (!c->closed) {
    c->watchdog.expires_after(tick);
    co_await c->watchdog.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (!c->closed && SteadyClock::now() >= c->deadline) {
      c->socket.close(ec);  // the pending read or write fails; Serve ends the connection
      co_return;
    }
  }
}

asio::awaitable<void> HttpServer::Serve(std::shared_ptr<Connection> c) {
  if (c->tls) {
    // A client that connects and never finishes the handshake is as silent as one that sends
    // nothing: the same header timeout.
    beast::error_code ec;
    c->deadline = SteadyClock::now() + limits_.header_timeout;
    co_await c->tls->async_handshake(asio::ssl::stream_base::server,
                                     asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) {
      co_await ServeRequests(*c, *c->tls);
    }
  } else {
    co_await ServeRequests(*c, c->socket);
  }
  beast::error_code ec;
  c->closed = true;
  c->socket.shutdown(tcp::socket::shutdown_send, ec);
  c->socket.close(ec);
  c->watchdog.cancel();
}

template <class Stream>
asio::awaitable<void> HttpServer::ServeRequests(Connection& connection, Stream& stream) {
  Connection* const c = &connection;
  beast::flat_buffer buffer;
  beast::error_code ec;
  for (bool first = true;; first = false) {
    // The first byte of a new connection's request may take up to header_timeout, of a kept-alive
    // connection's next one idle_timeout; from then on the whole request must arrive within
    // request_timeout (drops slow-trickling clients). While it waits, the connection is idle:
    // evictable when a new one needs its place.
    if (buffer.size() == 0) {
      const auto now = SteadyClock::now();
      c->deadline = now + (first ? limits_.header_timeout : limits_.idle_timeout);
      if (!first) {
        c->idle_since.store(now.time_since_epoch().count());
      }
      const size_t n = co_await stream.async_read_some(
          buffer.prepare(4096), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        break;
      }
      buffer.commit(n);
    }
    c->idle_since.store(0);
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<uint32_t>(limits_.max_header_bytes));
    // The header is read under the largest limit any request may have (Beast checks a
    // Content-Length against it while parsing the header); the request's own limit, which its
    // route decides, is applied once the header is known.
    const size_t ceiling = std::max(limits_.max_body_bytes, limits_.max_bulk_body_bytes);
    parser.body_limit(ceiling);
    c->deadline = SteadyClock::now() + limits_.request_timeout;
    ParseBuffered(parser, buffer, /*eager=*/false, ec);
    if (!ec && !parser.is_header_done()) {
      co_await http::async_read_header(stream, buffer, parser,
                                       asio::redirect_error(asio::use_awaitable, ec));
    }
    // A request whose end cannot be told for sure is answered and its connection closed before
    // any of its body is read: the rest of the stream could be anything.
    const std::optional<std::string> unframed =
        ec ? std::nullopt : RequestFramingProblem(parser.get().base());
    if (!ec && !unframed && !parser.is_done()) {
      const size_t limit =
          std::min(ceiling, handler_->BodyLimit(parser.get().base(), limits_.max_body_bytes));
      const auto length = parser.content_length();
      if (length && *length > limit) {
        ec = http::error::body_limit;
      } else {
        parser.body_limit(limit);
      }
    }
    if (!ec && !unframed && !parser.is_done()) {
      ParseBuffered(parser, buffer, /*eager=*/true, ec);
    }
    if (!ec && !unframed && !parser.is_done()) {
      // curl and others wait (about a second) for "100 Continue" before sending a larger body.
      if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
        http::response<http::empty_body> go_on{http::status::continue_, 11};
        co_await http::async_write(stream, go_on, asio::redirect_error(asio::use_awaitable, ec));
      }
      if (!ec) {
        co_await http::async_read(stream, buffer, parser,
                                  asio::redirect_error(asio::use_awaitable, ec));
      }
    }
    Response response;
    bool keep_alive = false;  // only a handled request keeps the connection
    if (unframed) {
      response = ErrorResponse(MakeFieldError(ApiError::kMalformedBody, *unframed));
    } else if (ec == http::error::body_limit) {
      response = ErrorResponse(MakeFieldError(ApiError::kPayloadTooLarge));
    } else if (ec == http::error::header_limit) {
      response = ErrorResponse(
          MakeFieldError(ApiError::kPayloadTooLarge, "The request headers are too large."));
    } else if (ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor ||
               ec == http::error::end_of_stream || ec == asio::error::eof ||
               ec == asio::error::connection_reset || ec == http::error::partial_message) {
      break;  // closed by the peer, the watchdog or Stop: nobody to answer
    } else if (ec) {
      response = ErrorResponse(
          MakeFieldError(ApiError::kMalformedBody, "Malformed HTTP request: " + ec.message()));
    } else {
      c->busy = true;
      Request request = parser.release();
      // The peer's address for handlers that limit by source: always ours, never the client's.
      request.erase(kPeerAddressHeader.data());  // a literal: NUL-terminated
      request.set(kPeerAddressHeader.data(), c->source);
      keep_alive = request.keep_alive();
      const unsigned version = request.version();
      try {
        response = co_await handler_->Handle(std::move(request));
      } catch (const std::exception& e) {
        // A bug, not bad input (handlers turn every input failure into a response): answer 500
        // rather than drop the connection without a word.
        SPDLOG_ERROR("request handler failed: {}", e.what());
        response = ErrorResponse(MakeFieldError(ApiError::kInternal));
      }
      response.version(version);
    }
    {
      std::lock_guard lock(mu_);
      keep_alive = keep_alive && !stopping_;
    }
    response.keep_alive(keep_alive);
    response.prepare_payload();
    c->deadline = SteadyClock::now() + limits_.request_timeout;
    co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
    c->busy = false;
    if (ec || !keep_alive) {
      break;
    }
  }
}

void HttpServer::Forget(Connection* connection) {
  std::lock_guard lock(mu_);
  auto it = connections_.find(connection);
  if (it == connections_.end()) {
    return;
  }
  auto source = per_source_.find(it->second.source);
  if (source != per_source_.end() && --source->second == 0) {
    per_source_.erase(source);
  }
  connections_.erase(it);
}

void HttpServer::Stop() {
  std::vector<std::shared_ptr<Connection>> open;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (auto& [raw, entry] : connections_) {
      if (auto c = entry.connection.lock()) {
        open.push_back(std::move(c));
      }
    }
  }
  asio::post(acceptor_.get_executor(), [this] {
    beast::error_code ec;
    acceptor_.close(ec);
  });
  for (auto& c : open) {
    asio::post(c->socket.get_executor(), [c] {
      if (!c->busy && !c->closed) {
        beast::error_code ec;
        c->socket.close(ec);
      }
    });
  }
}

size_t HttpServer::ActiveConnections() const {
  std::lock_guard lock(mu_);
  return connections_.size();
}

}  // namespace smsgw::api
