#include "support/http_receiver.h"

// clang-format off
#include <utility>  // must precede Boost 1.74's asio/awaitable.hpp, which uses std::exchange
// clang-format on

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <thread>
#include <unordered_set>

#include "core/strings.h"

namespace smsgw::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using asio::ip::tcp;

std::string ReceivedRequest::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (core::EqualsIgnoreCase(key, name)) {
      return value;
    }
  }
  return {};
}

std::string ReceivedRequest::QueryParam(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    const size_t eq = pair.find('=');
    std::string key;
    std::string value;
    if (!core::PercentDecode(pair.substr(0, eq), key, true) || key != name) {
      continue;
    }
    if (eq != std::string_view::npos && !core::PercentDecode(pair.substr(eq + 1), value, true)) {
      return {};
    }
    return value;
  }
  return {};
}

core::EgressPolicy LoopbackReceiversAllowed() {
  return core::EgressPolicy({*core::ParseIpNetwork("127.0.0.1/32")}, {}, {});
}

std::string HttpReceiver::Url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port()) + std::string(path);
}

namespace {

// Everything below the mutex is touched only on the receiver's thread.
class AsioReceiver final : public HttpReceiver {
 public:
  AsioReceiver() : work_(asio::make_work_guard(io_)) {}

  ~AsioReceiver() override {
    Down();
    work_.reset();
    if (thread_.joinable()) {
      thread_.join();
    }
  }

  void Begin(uint16_t port) {
    // On this thread: the loop is not running yet.
    if (port != 0) {
      Listen(port);
    } else {
      ListenBelowEphemeralRange();
    }
    thread_ = std::thread([this] { io_.run(); });
  }

  uint16_t port() const override { return port_; }

  void SetResponder(Responder responder) override {
    std::lock_guard lock(mu_);
    responder_ = std::move(responder);
  }

  std::vector<ReceivedRequest> Requests() const override {
    std::lock_guard lock(mu_);
    return requests_;
  }

  size_t Count() const override {
    std::lock_guard lock(mu_);
    return requests_.size();
  }

  bool WaitForCount(size_t n, std::chrono::milliseconds timeout) const override {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
  }

  void Down() override {
    OnLoop([this] {
      beast::error_code ec;
      if (acceptor_) {
        acceptor_->close(ec);
        acceptor_.reset();
      }
      for (const auto& c : connections_) {
        c->socket.shutdown(tcp::socket::shutdown_both, ec);
        c->socket.close(ec);
        c->timer.cancel();
      }
      connections_.clear();
    });
  }

  void Up() override {
    OnLoop([this] {
      if (!acceptor_) {
        Listen(port_);
      }
    });
  }

 private:
  struct Connection {
    explicit Connection(tcp::socket s) : socket(std::move(s)), timer(socket.get_executor()) {}
    tcp::socket socket;
    asio::steady_timer timer;
    uint64_t id = 0;
  };

  // Runs `fn` on the receiver's thread and waits for it; exceptions reach the caller.
  void OnLoop(std::function<void()> fn) {
    if (!thread_.joinable() || io_.get_executor().running_in_this_thread()) {
      fn();
      return;
    }
    std::promise<void> done;
    asio::post(io_, [&] {
      try {
        fn();
        done.set_value();
      } catch (...) {
        done.set_exception(std::current_exception());
      }
    });
    done.get_future().get();
  }

  // A port the kernel hands out for port 0 lies in the ephemeral range, where it can also become
  // the source port of an outgoing connection (the gateway's retries, this process's clients)
  // while the receiver is Down(), so Up() could not bind it again. Ports below the range
  // (net.ipv4.ip_local_port_range starts at 32768) are never picked as source ports.
  void ListenBelowEphemeralRange() {
    std::random_device seed;
    std::minstd_rand random(seed());
    std::uniform_int_distribution<int> pick(20000, 32000);
    for (int attempt = 1;; ++attempt) {
      try {
        Listen(static_cast<uint16_t>(pick(random)));
        return;
      } catch (const std::exception&) {
        if (attempt == 100) {
          throw;
        }
      }
    }
  }

  void Listen(uint16_t port) {
    auto acceptor = std::make_shared<tcp::acceptor>(io_);
    try {
      const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
      acceptor->open(endpoint.protocol());
      acceptor->set_option(asio::socket_base::reuse_address(true));
      acceptor->bind(endpoint);
      acceptor->listen(asio::socket_base::max_listen_connections);
    } catch (const std::exception& e) {
      throw std::runtime_error("HttpReceiver cannot listen on 127.0.0.1:" + std::to_string(port) +
                               ": " + e.what());
    }
    port_ = acceptor->local_endpoint().port();
    acceptor_ = acceptor;
    asio::co_spawn(io_, Accept(std::move(acceptor)), asio::detached);
  }

  asio::awaitable<void> Accept(std::shared_ptr<tcp::acceptor> acceptor) {
    for (;;) {
      beast::error_code ec;
      tcp::socket socket =
          co_await acceptor->async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (!acceptor->is_open() || acceptor != acceptor_) {
        co_return;  // Down() closed it; the socket (if any) closes with it
      }
      if (ec) {
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      auto c = std::make_shared<Connection>(std::move(socket));
      c->id = ++connections_accepted_;
      connections_.insert(c);
      asio::co_spawn(io_, Serve(c), asio::detached);
    }
  }

  asio::awaitable<void> Serve(std::shared_ptr<Connection> c) {
    beast::flat_buffer buffer;
    for (;;) {
      beast::error_code ec;
      http::request_parser<http::string_body> parser;
      parser.body_limit(64 * 1024 * 1024);
      co_await http::async_read_header(c->socket, buffer, parser,
                                       asio::redirect_error(asio::use_awaitable, ec));
      if (!ec && !parser.is_done()) {
        if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
          http::response<http::empty_body> go_on{http::status::continue_, 11};
          co_await http::async_write(c->socket, go_on,
                                     asio::redirect_error(asio::use_awaitable, ec));
        }
        if (!ec) {
          co_await http::async_read(c->socket, buffer, parser,
                                    asio::redirect_error(asio::use_awaitable, ec));
        }
      }
      if (ec) {
        break;
      }
      http::request<http::string_body> request = parser.release();
      ReceivedRequest received = Record(request, c->id);

      Responder responder;
      {
        std::lock_guard lock(mu_);
        responder = responder_;
      }
      const ReceiverAnswer answer = responder ? responder(received) : ReceiverAnswer{};
      if (answer.delay.count() > 0) {
        c->timer.expires_after(answer.delay);
        co_await c->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (!c->socket.is_open()) {
          break;  // Down() while waiting
        }
      }
      if (answer.close_without_answer) {
        break;
      }
      http::response<http::string_body> response;
      response.version(request.version());
      response.result(static_cast<unsigned>(answer.status));
      response.set(http::field::content_type, "text/plain");
      for (const auto& [name, value] : answer.headers) {
        response.set(name, value);
      }
      response.body() = answer.body;
      response.keep_alive(request.keep_alive());
      response.prepare_payload();
      co_await http::async_write(c->socket, response,
                                 asio::redirect_error(asio::use_awaitable, ec));
      if (ec || !request.keep_alive()) {
        break;
      }
    }
    beast::error_code ignored;
    c->socket.shutdown(tcp::socket::shutdown_both, ignored);
    c->socket.close(ignored);
    connections_.erase(c);
  }

  ReceivedRequest Record(const http::request<http::string_body>& request, uint64_t connection) {
    ReceivedRequest r;
    r.method = std::string(request.method_string());
    r.target = std::string(request.target());
    const size_t q = r.target.find('?');
    r.path = r.target.substr(0, q);
    if (q != std::string::npos) {
      r.query = r.target.substr(q + 1);
    }
    for (const auto& field : request) {
      std::string name(field.name_string());
      for (char& ch : name) {
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      }
      r.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    r.body = request.body();
    r.at = std::chrono::steady_clock::now();
    r.connection = connection;
    {
      std::lock_guard lock(mu_);
      requests_.push_back(r);
    }
    cv_.notify_all();
    return r;
  }

  asio::io_context io_{1};
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread thread_;
  std::atomic<uint16_t> port_{0};

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  Responder responder_;
  std::vector<ReceivedRequest> requests_;

  std::shared_ptr<tcp::acceptor> acceptor_;  // null while down
  std::unordered_set<std::shared_ptr<Connection>> connections_;
  uint64_t connections_accepted_ = 0;
};

}  // namespace

std::unique_ptr<HttpReceiver> HttpReceiver::Start(uint16_t port) {
  auto receiver = std::make_unique<AsioReceiver>();
  receiver->Begin(port);
  return receiver;
}

}  // namespace smsgw::testing
