#include "smsc_sim/control_server.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/spdlog.h>

#include "core/strings.h"
#include "smpp/log_escaped.h"
#include "smsc_sim/simulator.h"

namespace smsgw::smsc_sim {
namespace {

using smpp::tcp;

constexpr size_t kBodyLimit = 64 * 1024;
constexpr auto kIoTimeout = std::chrono::seconds(10);

ControlResponse Json(http::status status, std::string body) {
  ControlResponse response{status, 11};
  response.set(http::field::content_type, "application/json");
  response.body() = std::move(body);
  return response;
}

ControlResponse Error(http::status status, std::string_view message) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("error");
  w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  w.EndObject();
  return Json(status, buffer.GetString());
}

ControlResponse Count(const char* key, size_t n) {
  return Json(http::status::ok, std::string("{\"") + key + "\":" + std::to_string(n) + "}");
}

// The value of `key` in the query string; empty when absent.
std::string QueryParam(std::string_view query, std::string_view key) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == key) {
      std::string value;
      if (eq == std::string_view::npos ||
          !core::PercentDecode(pair.substr(eq + 1), value, /*plus_is_space=*/true)) {
        return "";
      }
      return value;
    }
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
  }
  return "";
}

}  // namespace

ControlResponse HandleControlRequest(const ControlRequest& request, Simulator& simulator) {
  const std::string_view target(request.target().data(), request.target().size());
  const size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  const bool is_post = request.method() == http::verb::post;

  if (path == "/stats") {
    if (request.method() != http::verb::get) {
      return Error(http::status::method_not_allowed, "use GET");
    }
    return Json(http::status::ok, StatsJson(simulator.stats()));
  }
  if (path != "/mo" && path != "/drop" && path != "/unbind") {
    return Error(http::status::not_found, "no such endpoint: /mo, /drop, /unbind, /stats");
  }
  if (!is_post) {
    return Error(http::status::method_not_allowed, "use POST");
  }
  if (path == "/drop") {
    return Count("closed", simulator.DropConnectionsNow(QueryParam(query, "system_id")));
  }
  if (path == "/unbind") {
    return Count("unbinding", simulator.UnbindAllNow());
  }
  auto mo = ParseMoRequest(request.body());
  if (!mo) {
    return Error(http::status::bad_request, mo.error().message);
  }
  auto sent = simulator.InjectMoNow(*mo);
  if (!sent) {
    return Error(sent.error().code == core::Errc::kUnavailable ? http::status::conflict
                                                               : http::status::bad_request,
                 sent.error().message);
  }
  return Json(http::status::ok, MoSentJson(*sent));
}

ControlServer::ControlServer(asio::io_context& io, Simulator& simulator)
    : io_(io), simulator_(simulator), acceptor_(io) {}

ControlServer::~ControlServer() = default;

uint16_t ControlServer::Start(const std::string& host, uint16_t port) {
  tcp::resolver resolver(io_);
  const tcp::endpoint endpoint =
      resolver.resolve(host, std::to_string(port), tcp::resolver::passive)->endpoint();
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen();
  asio::co_spawn(io_, Accept(), smpp::LogEscapedAs("smsc-sim control accept loop"));
  return acceptor_.local_endpoint().port();
}

void ControlServer::Stop() {
  stopped_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  for (auto& [id, stream] : open_) {
    stream->socket().close(ignored);
  }
}

asio::awaitable<void> ControlServer::Accept() {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket =
        co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (stopped_ || ec == asio::error::operation_aborted || !acceptor_.is_open()) {
      co_return;
    }
    if (ec) {
      asio::steady_timer pause(io_, std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    asio::co_spawn(io_, Serve(std::move(socket)),
                   smpp::LogEscapedAs("smsc-sim control connection"));
  }
}

asio::awaitable<void> ControlServer::Serve(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  const uint64_t id = next_id_++;
  open_.emplace(id, &stream);
  beast::flat_buffer buffer;
  boost::system::error_code ec;
  while (!stopped_) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(kBodyLimit);
    stream.expires_after(kIoTimeout);
    co_await http::async_read(stream, buffer, parser,
                              asio::redirect_error(asio::use_awaitable, ec));
    ControlResponse response;
    bool keep_alive = false;
    if (ec == http::error::body_limit) {
      response = Error(http::status::payload_too_large, "the body is above 64 KiB");
    } else if (ec) {
      break;  // closed, timed out, or not HTTP: nobody to answer
    } else {
      const ControlRequest& request = parser.get();
      keep_alive = request.keep_alive();
      response = HandleControlRequest(request, simulator_);
      response.version(request.version());
    }
    response.keep_alive(keep_alive && !stopped_);
    response.prepare_payload();
    stream.expires_after(kIoTimeout);
    co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
    if (ec || !response.keep_alive()) {
      break;
    }
  }
  open_.erase(id);
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.close();
}

}  // namespace smsgw::smsc_sim
