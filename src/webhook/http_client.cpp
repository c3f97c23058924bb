#include "webhook/http_client.h"

// clang-format off
#include <utility>  // must precede Boost 1.74's asio/awaitable.hpp, which uses std::exchange
// clang-format on

#include <openssl/ssl.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/callback_header.h"
#include "core/strings.h"
#include "core/thread_name.h"
#include "core/url.h"
#include "webhook/basic_auth.h"
#include "webhook/target.h"

namespace smsgw::webhook {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

// Deadlines are looked at this often while requests run (a timer per request, armed and cancelled
// for each, costs more than a tick over the few hundred that can run), and idle connections every
// kIdleTick otherwise.
constexpr auto kTick = std::chrono::milliseconds(25);
constexpr auto kIdleTick = std::chrono::seconds(1);
// A kept-alive connection unused this long is closed: receivers close theirs too (nginx after
// 75 s), and one that did is found out only by the next request.
constexpr auto kIdleLifetime = std::chrono::seconds(60);
constexpr auto kFreshIdle = std::chrono::seconds(1);
constexpr uint32_t kMaxAnswerHeader = 16 * 1024;
constexpr size_t kReadChunk = 16 * 1024;

constexpr std::string_view kUnanswered = "connection closed before an answer";

// What a request's URL says about where it goes.
struct Destination {
  bool https = false;
  std::string host;           // for DNS, SNI and the certificate check: IPv6 without brackets
  std::string port;           // decimal
  std::string host_header;    // host, and the port when not the scheme's default
  std::string target;         // path and query; "/" when the URL has no path
  std::string authorization;  // Basic, from credentials written in the URL; empty when none
};

// Bytes that may not appear in a request line or a header: they would end it early.
bool HasControlOrSpace(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
  });
}

// The client frames and routes the request itself: a caller's header would contradict it.
bool IsFraming(std::string_view name) {
  return core::EqualsIgnoreCase(name, "content-length") ||
         core::EqualsIgnoreCase(name, "transfer-encoding") ||
         core::EqualsIgnoreCase(name, "connection") || core::EqualsIgnoreCase(name, "host");
}

std::optional<Destination> ReadUrl(std::string_view url) {
  const std::optional<core::HttpUrl> parts = core::SplitHttpUrl(url);
  if (!parts || HasControlOrSpace(parts->host)) {
    return std::nullopt;
  }
  Destination d;
  d.https = parts->https;
  d.host = std::string(parts->host);
  d.port = std::to_string(parts->port);
  d.host_header = parts->ipv6_literal ? "[" + d.host + "]" : d.host;
  if (parts->port != (d.https ? 443 : 80)) {
    d.host_header += ":" + d.port;
  }
  std::string_view rest = url.substr(parts->authority_end);
  rest = rest.substr(0, rest.find('#'));  // a fragment stays with the client
  if (rest.empty() || rest.front() == '?') {
    d.target = "/";
  } else if (rest.front() != '/') {
    return std::nullopt;
  }
  d.target += rest;
  if (HasControlOrSpace(d.target)) {
    return std::nullopt;
  }
  if (parts->has_userinfo) {
    const size_t colon = parts->userinfo.find(':');
    std::string user, password;
    if (!core::PercentDecode(parts->userinfo.substr(0, colon), user, false) ||
        (colon != std::string_view::npos &&
         !core::PercentDecode(parts->userinfo.substr(colon + 1), password, false))) {
      return std::nullopt;
    }
    d.authorization = BasicAuthorization(user, password);
  }
  return d;
}

HttpResult Failed(std::string_view error) {
  HttpResult result;
  result.error = std::string(error);
  return result;
}

// A connection to one host, plain or TLS; kept alive between requests to that host.
struct Connection {
  explicit Connection(asio::io_context& io) : socket(io) {}
  tcp::socket socket;  // the lowest layer: what a deadline or Stop closes
  std::optional<ssl::stream<tcp::socket&>> tls;
  beast::flat_buffer buffer;
  SteadyClock::time_point idle_since;
};

// One request, from Submit to its completion.
struct Transfer {
  HttpRequest request;
  HttpClient::Completion done;
  std::string host_key;  // scheme://host:port
  Destination destination;
  SteadyClock::time_point started;
  SteadyClock::time_point deadline = SteadyClock::time_point::max();
  SteadyClock::time_point connect_deadline = SteadyClock::time_point::max();
  // What a deadline or Stop must interrupt: the connection in use, or the name lookup.
  Connection* connection = nullptr;
  tcp::resolver* resolver = nullptr;
  bool running = false;    // counted in its host's `running`
  bool timed_out = false;  // a deadline passed; the interrupted operation reports "timeout"
  bool finished = false;   // completed (by Stop too, while its coroutine is still suspended)
};

// However a coroutine's frame ends (by an exception too), the watchdog and Stop must not reach a
// connection or a name lookup that ended with it.
struct Forget {
  Transfer& t;
  ~Forget() {
    t.connection = nullptr;
    t.resolver = nullptr;
  }
};

// Whether a kept-alive connection can take a request: the server may have closed it meanwhile.
bool StillOpen(Connection& c) {
  char byte;
  const ssize_t n = ::recv(c.socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0) {
    return errno == EAGAIN || errno == EWOULDBLOCK;
  }
  // 0: the server closed it. Bytes on an idle plain connection answer nothing we asked; on TLS
  // they can be a session ticket.
  return n > 0 && c.tls.has_value();
}

// How one request and answer on a connection ended.
enum class Exchanged {
  kKeepAlive,   // answered; the connection can take the next request
  kClose,       // answered; the connection is done
  kUnanswered,  // failed before any byte of an answer
  kFailed,      // failed part way through the answer
};

class AsioHttpClient final : public HttpClient {
 public:
  AsioHttpClient(const Options& options, std::unique_ptr<ssl::context> tls)
      : options_(options), tls_(std::move(tls)), work_(asio::make_work_guard(io_)), watchdog_(io_) {
    options_.per_host_connections = std::max<size_t>(1, options_.per_host_connections);
    options_.max_connections = std::max<size_t>(1, options_.max_connections);
    asio::co_spawn(io_, Watch(), asio::detached);
    thread_ = std::thread([this] {
      core::NameThisThread("webhook-http");
      io_.run();
    });
  }

  ~AsioHttpClient() override { Stop(); }

  void Submit(HttpRequest request, Completion done) override {
    {
      std::lock_guard lock(mu_);
      if (!stopping_) {
        pending_.fetch_add(1);
        asio::post(io_, [this, request = std::move(request), done = std::move(done)]() mutable {
          Enqueue(std::move(request), std::move(done));
        });
        return;
      }
    }
    done(Failed("stopped"));
  }

  void Post(std::function<void()> task) override {
    {
      std::lock_guard lock(mu_);
      if (!stopping_) {
        asio::post(io_, std::move(task));
        return;
      }
    }
    task();
  }

  size_t Pending() const override { return pending_.load(); }

  void Stop() override {
    {
      std::lock_guard lock(mu_);
      if (!stopping_) {
        stopping_ = true;
        // After every Submit and Post made before it: those complete with "stopped".
        asio::post(io_, [this] { Shutdown(); });
      }
    }
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) {
      thread_.join();
    }
  }

 private:
  struct Host {
    std::deque<std::shared_ptr<Transfer>> queue;
    size_t running = 0;
    bool in_turns = false;  // listed in turns_
  };

  void Enqueue(HttpRequest request, Completion done) {
    auto t = std::make_shared<Transfer>();
    t->request = std::move(request);
    t->done = std::move(done);
    if (shut_) {
      Complete(*t, Failed("stopped"));
      return;
    }
    std::optional<Destination> destination = ReadUrl(t->request.url);
    if (!destination) {
      Complete(*t, Failed("bad url"));
      return;
    }
    for (const auto& [name, value] : t->request.headers) {
      if (!core::IsHeaderName(name) || !core::IsHeaderValue(value) || IsFraming(name)) {
        Complete(*t, Failed("bad header"));
        return;
      }
    }
    t->destination = std::move(*destination);
    t->host_key = HostKey(t->request.url);
    Host& host = hosts_[t->host_key];
    host.queue.push_back(t);
    if (!host.in_turns) {
      host.in_turns = true;
      turns_.push_back(t->host_key);
    }
    StartTransfers();
  }

  // Hosts take turns, one transfer each per round, within both limits.
  void StartTransfers() {
    bool started = true;
    while (started && running_.size() < options_.max_connections) {
      started = false;
      for (size_t n = turns_.size(); n > 0 && running_.size() < options_.max_connections; --n) {
        std::string key = std::move(turns_.front());
        turns_.pop_front();
        Host& host = hosts_[key];
        if (host.running < options_.per_host_connections && !host.queue.empty()) {
          std::shared_ptr<Transfer> t = std::move(host.queue.front());
          host.queue.pop_front();
          Begin(host, std::move(t));
          started = true;
        }
        if (host.queue.empty()) {
          host.in_turns = false;
          if (host.running == 0) {
            hosts_.erase(key);
          }
        } else {
          turns_.push_back(std::move(key));
        }
      }
    }
  }

  void Begin(Host& host, std::shared_ptr<Transfer> t) {
    ++host.running;
    t->running = true;
    t->started = SteadyClock::now();
    t->deadline = t->started + options_.request_timeout;
    running_.emplace(t.get(), t);
    if (watching_idle_) {
      watchdog_.cancel();  // from the idle tick to the short one
    }
    asio::co_spawn(io_, Run(t), [this, t](std::exception_ptr e) {
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          SPDLOG_ERROR("webhook request ended by an exception: {}", ex.what());
        }
        // Its connection went with the coroutine's frame (Forget).
        Complete(*t, Failed("internal error"));
      }
    });
  }

  asio::awaitable<void> Run(std::shared_ptr<Transfer> t) {
    const Forget forget{*t};
    HttpResult result;
    for (bool first = true;; first = false) {
      std::unique_ptr<Connection> c = TakeIdle(t->host_key);
      const bool reused = c != nullptr;
      if (c == nullptr) {
        c = co_await Connect(*t, result);
        if (c == nullptr) {
          break;
        }
      }
      t->connection = c.get();
      const Exchanged how = c->tls ? co_await Exchange(*t, *c->tls, *c, result)
                                   : co_await Exchange(*t, c->socket, *c, result);
      t->connection = nullptr;
      if (how == Exchanged::kKeepAlive) {
        Keep(t->host_key, std::move(c));
      } else if (how == Exchanged::kUnanswered && reused && first && !t->timed_out &&
                 !t->finished) {
        continue;  // the server had closed the kept-alive connection: once on a new one
      }
      break;
    }
    Complete(*t, std::move(result));
  }

  // A new connection to the transfer's host: name lookup, every address the egress policy
  // allows tried in turn, and the TLS handshake. nullptr with `result.error` set when it fails.
  asio::awaitable<std::unique_ptr<Connection>> Connect(Transfer& t, HttpResult& result) {
    t.connect_deadline = SteadyClock::now() + options_.connect_timeout;
    const Forget forget{t};
    beast::error_code ec;
    tcp::resolver resolver(io_);
    t.resolver = &resolver;
    const auto addresses = co_await resolver.async_resolve(
        t.destination.host, t.destination.port, asio::redirect_error(asio::use_awaitable, ec));
    t.resolver = nullptr;
    if (t.finished || ec || addresses.empty()) {
      result = Failed(t.timed_out ? "timeout" : "cannot resolve host");
      co_return nullptr;
    }
    auto c = std::make_unique<Connection>(io_);
    bool refused = false;
    bool tried = false;
    for (const auto& entry : addresses) {
      if (!options_.egress.Allows(entry.endpoint().data())) {
        refused = true;
        continue;
      }
      tried = true;
      beast::error_code ignored;
      c->socket.close(ignored);  // a failed connect leaves it open
      t.connection = c.get();
      co_await c->socket.async_connect(entry.endpoint(),
                                       asio::redirect_error(asio::use_awaitable, ec));
      t.connection = nullptr;
      if (!ec || t.finished || t.timed_out) {
        break;
      }
    }
    if (!tried || (ec && refused && !t.timed_out)) {
      // Nothing about the address, port or timing: the attempt log must not map a network.
      result = Failed(kTargetNotAllowed);
      co_return nullptr;
    }
    if (t.finished || ec) {
      result = Failed(t.timed_out                             ? "timeout"
                      : ec == asio::error::connection_refused ? "connection refused"
                                                              : ec.message());
      co_return nullptr;
    }
    c->socket.set_option(tcp::no_delay(true), ec);
    if (t.destination.https) {
      c->tls.emplace(c->socket, *tls_);
      boost::system::error_code not_an_address;
      asio::ip::make_address(t.destination.host, not_an_address);
      if (not_an_address) {
        // SNI carries names only (RFC 6066 §3).
        SSL_set_tlsext_host_name(c->tls->native_handle(), t.destination.host.c_str());
      }
      if (options_.verify_tls) {
        c->tls->set_verify_mode(ssl::verify_peer);
        c->tls->set_verify_callback(ssl::host_name_verification(t.destination.host));
      } else {
        c->tls->set_verify_mode(ssl::verify_none);
      }
      t.connection = c.get();
      co_await c->tls->async_handshake(ssl::stream_base::client,
                                       asio::redirect_error(asio::use_awaitable, ec));
      t.connection = nullptr;
      if (t.finished || ec) {
        result = Failed(t.timed_out ? "timeout" : "TLS handshake failed: " + ec.message());
        co_return nullptr;
      }
    }
    t.connect_deadline = SteadyClock::time_point::max();
    co_return c;
  }

  template <class Stream>
  asio::awaitable<Exchanged> Exchange(Transfer& t, Stream& stream, Connection& c,
                                      HttpResult& result) {
    const HttpRequest& r = t.request;
    http::request<http::string_body> request;
    request.method_string(r.method);
    request.target(t.destination.target);
    request.version(11);
    request.set(http::field::host, t.destination.host_header);
    bool has_authorization = false;
    for (const auto& [name, value] : r.headers) {
      request.insert(name, value);
      has_authorization = has_authorization || core::EqualsIgnoreCase(name, "authorization");
    }
    if (!t.destination.authorization.empty() && !has_authorization) {
      request.set(http::field::authorization, t.destination.authorization);
    }
    // Marks the request as smsgw's, so an smsgw API it reaches (itself through a proxy or a
    // balancer, or another node) refuses it instead of looping.
    request.set(
        beast::string_view(core::kWebhookMarkerHeader.data(), core::kWebhookMarkerHeader.size()),
        "1");
    if (r.method != "GET") {
      request.body() = r.body;
      request.prepare_payload();
    }
    beast::error_code ec;
    co_await http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
    if (t.finished || ec) {
      result = Failed(t.timed_out ? "timeout" : kUnanswered);
      co_return Exchanged::kUnanswered;
    }

    const size_t keep = r.max_response_body != 0 ? r.max_response_body : options_.max_response_body;
    std::string body;
    for (;;) {
      http::response_parser<http::buffer_body> parser;
      parser.header_limit(kMaxAnswerHeader);
      // Read to the end, but keep only `keep` bytes. Not boost::none: Boost 1.74 compares a
      // Content-Length with an empty limit as greater.
      parser.body_limit(std::numeric_limits<std::uint64_t>::max());
      co_await http::async_read_header(stream, c.buffer, parser,
                                       asio::redirect_error(asio::use_awaitable, ec));
      if (t.finished || ec) {
        const bool nothing = !parser.got_some() && c.buffer.size() == 0;
        result = Failed(t.timed_out ? "timeout"
                        : nothing   ? kUnanswered
                                    : "bad answer: " + ec.message());
        co_return nothing ? Exchanged::kUnanswered : Exchanged::kFailed;
      }
      const unsigned status = parser.get().result_int();
      if (status >= 100 && status < 200) {
        continue;  // an interim answer; the final one follows
      }
      std::array<char, kReadChunk> chunk;
      while (!parser.is_done()) {
        parser.get().body().data = chunk.data();
        parser.get().body().size = chunk.size();
        co_await http::async_read(stream, c.buffer, parser,
                                  asio::redirect_error(asio::use_awaitable, ec));
        if (ec == http::error::need_buffer) {
          ec = {};
        }
        if (t.finished || ec) {
          result = Failed(t.timed_out ? "timeout" : "answer cut short: " + ec.message());
          co_return Exchanged::kFailed;
        }
        const size_t got = chunk.size() - parser.get().body().size;
        body.append(chunk.data(), std::min(got, keep - std::min(keep, body.size())));
      }
      result = HttpResult{};
      result.status = static_cast<int>(status);
      result.body = std::move(body);
      // Bytes after the answer are nothing we asked for: that connection is not reused.
      co_return parser.keep_alive() && c.buffer.size() == 0 ? Exchanged::kKeepAlive
                                                            : Exchanged::kClose;
    }
  }

  std::unique_ptr<Connection> TakeIdle(const std::string& host_key) {
    auto it = idle_.find(host_key);
    while (it != idle_.end() && !it->second.empty()) {
      std::unique_ptr<Connection> c = std::move(it->second.back());
      it->second.pop_back();
      --idle_count_;
      // A connection used within the last second is taken as it is (a look costs a system call
      // per request); if the server closed it all the same, the request goes out once more.
      if (SteadyClock::now() - c->idle_since < kFreshIdle || StillOpen(*c)) {
        return c;
      }
    }
    return nullptr;
  }

  void Keep(const std::string& host_key, std::unique_ptr<Connection> c) {
    auto& list = idle_[host_key];
    if (shut_ || idle_count_ >= options_.max_connections ||
        list.size() >= options_.per_host_connections) {
      return;
    }
    c->idle_since = SteadyClock::now();
    list.push_back(std::move(c));
    ++idle_count_;
  }

  // Interrupts what the transfer waits for; its coroutine resumes with an error.
  static void Close(Transfer& t) {
    beast::error_code ignored;
    if (t.connection != nullptr) {
      t.connection->socket.close(ignored);
    }
    if (t.resolver != nullptr) {
      t.resolver->cancel();
    }
  }

  // Deadlines of running transfers, and idle connections past their lifetime.
  asio::awaitable<void> Watch() {
    while (!shut_) {
      watching_idle_ = running_.empty();
      watchdog_.expires_after(watching_idle_ ? kIdleTick : kTick);
      beast::error_code ec;
      co_await watchdog_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      watching_idle_ = false;
      const auto now = SteadyClock::now();
      for (const auto& [raw, t] : running_) {
        if (!t->timed_out && (now >= t->deadline || now >= t->connect_deadline)) {
          t->timed_out = true;
          Close(*t);
        }
      }
      for (auto it = idle_.begin(); it != idle_.end();) {
        auto& list = it->second;
        const auto before = list.size();
        std::erase_if(list, [&](const auto& c) { return now - c->idle_since >= kIdleLifetime; });
        idle_count_ -= before - list.size();
        it = list.empty() ? idle_.erase(it) : std::next(it);
      }
    }
  }

  // Stop, on the client's thread: everything running or queued ends with "stopped"; the
  // coroutines of running ones wind down on their own as their operations are cancelled.
  void Shutdown() {
    shut_ = true;
    const auto running = running_;
    for (const auto& [raw, t] : running) {
      Close(*t);
      Complete(*t, Failed("stopped"));
    }
    auto hosts = std::move(hosts_);
    turns_.clear();
    for (auto& [key, host] : hosts) {
      for (auto& t : host.queue) {
        Complete(*t, Failed("stopped"));
      }
    }
    idle_.clear();
    idle_count_ = 0;
    watchdog_.cancel();
    work_.reset();
  }

  void Complete(Transfer& t, HttpResult result) {
    if (t.finished) {
      return;
    }
    t.finished = true;
    if (t.running) {
      if (result.error != kTargetNotAllowed) {
        result.latency =
            std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - t.started);
      }
      running_.erase(&t);
      if (auto host = hosts_.find(t.host_key); host != hosts_.end()) {
        if (--host->second.running == 0 && host->second.queue.empty()) {
          hosts_.erase(host);
        }
      }
    }
    pending_.fetch_sub(1);
    Completion done = std::move(t.done);
    done(std::move(result));
    if (!shut_) {
      StartTransfers();
    }
  }

  Options options_;
  std::unique_ptr<ssl::context> tls_;
  asio::io_context io_{1};
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread thread_;

  std::mutex mu_;
  bool stopping_ = false;  // under mu_: Submit and Post no longer reach the thread
  std::atomic<size_t> pending_{0};

  // The client's thread only.
  bool shut_ = false;
  std::unordered_map<std::string, Host> hosts_;
  std::deque<std::string> turns_;  // hosts with queued requests, in turn order
  std::unordered_map<Transfer*, std::shared_ptr<Transfer>> running_;
  std::unordered_map<std::string, std::vector<std::unique_ptr<Connection>>> idle_;
  size_t idle_count_ = 0;
  asio::steady_timer watchdog_;
  bool watching_idle_ = false;  // the watchdog sleeps the long tick
};

}  // namespace

std::unique_ptr<HttpClient> HttpClient::Start(const Options& options, std::string* error) {
  auto tls = std::make_unique<ssl::context>(ssl::context::tls_client);
  tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                   SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_min_proto_version(tls->native_handle(), TLS1_2_VERSION);
  boost::system::error_code ec;
  std::string problem;
  if (options.ca_file.empty()) {
    tls->set_default_verify_paths(ec);
    problem = ec ? "the system's trusted certificates: cannot use them: " + ec.message() : "";
  } else if (std::ifstream file(options.ca_file); !file) {
    problem = options.ca_file + ": cannot read it: " + std::strerror(errno);
  } else if (tls->load_verify_file(options.ca_file, ec); ec) {
    problem = options.ca_file + ": cannot use them: no PEM certificate in it";
  }
  if (!problem.empty()) {
    if (error != nullptr) {
      *error = std::move(problem);
    }
    return nullptr;
  }
  return std::make_unique<AsioHttpClient>(options, std::move(tls));
}

}  // namespace smsgw::webhook
